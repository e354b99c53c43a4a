"""The command line's plan of a build: which assets of a partition to run and why (defs/currency.py
says what is stale), and the settings a build records or asked for last time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipeline.defs.currency import (
    AS_OF_REQUESTED,
    RENDERER_REQUESTED,
    Latest,
    metadata_value,
    period_fingerprint,
    report_fingerprint,
    stale_assets,
)
from pipeline.defs.scope import Graph, Scope


def build_settings(as_of: str, bundle_dir: Path, renderer: str, template: Path) -> dict[str, str]:
    """The fingerprints of a build's settings, as report_period and progress_report record them."""
    return {"report_period": period_fingerprint(as_of),
            "progress_report": report_fingerprint(bundle_dir, renderer, template)}


@dataclass(frozen=True)
class BuildPlan:
    """The assets to run for one year, each with the reason it must run."""

    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def selection(self) -> list[dg.AssetKey]:
        return [dg.AssetKey.from_user_string(name) for name in self.reasons]

    @property
    def up_to_date(self) -> bool:
        return not self.reasons


def requested_settings(latest: Latest, graph: Graph, partition: str) -> tuple[str, str]:
    """The as-of and the renderer the latest build of a partition asked for, as report_period
    and the report recorded them (the build's defaults, "" and "auto", where none is recorded)."""
    period, report = (latest.get((graph.key(name), str(partition))) for name in ("report_period", "progress_report"))
    as_of = metadata_value(period.asset_materialization, AS_OF_REQUESTED) if period else None
    renderer = metadata_value(report.asset_materialization, RENDERER_REQUESTED) if report else None
    return (as_of if isinstance(as_of, str) else "", renderer if isinstance(renderer, str) else "auto")


def plan_build(
    instance: dg.DagsterInstance, assets: list[dg.AssetsDefinition], scope: Scope, settings: dict[str, str],
    latest_found: Latest | None = None,
) -> BuildPlan:
    """Plan one partition's run: `settings` as for `stale_assets`."""
    return BuildPlan(stale_assets(instance, assets, scope, settings, latest_found))
