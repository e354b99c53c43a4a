"""One build of one year through Dagster, recorded in the instance: the `build` command's engine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.definitions import defs
from pipeline.freshness import build_settings, plan_build
from pipeline.render import ReportRenderer
from pipeline.resources import ProjectPaths, warehouse_resource

HEADLINE = ("dynamics_total", "info_total", "media_articles_total", "meetings_total", "key_tasks_total", "reforms_total", "landmarks_total")


@dataclass(frozen=True)
class BuildOutcome:
    success: bool
    summary: str
    run_id: str


def build_run_config(as_of: str, selection: list[dg.AssetKey], log_level: str = "WARNING") -> dict[str, object]:
    """The as-of date goes to report_period when it runs; the console shows warnings and up."""
    ops = {"report_period": {"config": {"as_of": as_of}}} if dg.AssetKey("report_period") in selection else {}
    return {"ops": ops, "loggers": {"console": {"config": {"log_level": log_level}}}}


def run_build(
    raw_dir: Path,
    output_dir: Path,
    year: int,
    as_of: str = "",
    renderer: str = "auto",
    warehouse: str | None = None,
    instance: dg.DagsterInstance | None = None,
) -> BuildOutcome:
    """Materialise the assets of one year partition whose inputs changed (all of them on a
    first build), with their checks; failures come back as text."""
    instance = instance or dg.DagsterInstance.get()
    duckdb = warehouse_resource(warehouse)
    bundle = output_dir / str(year)
    plan = plan_build(
        instance, list(defs.assets), year, raw_dir, duckdb.database, build_settings(as_of, bundle, renderer)
    )
    if plan.up_to_date:
        return BuildOutcome(True, _summary(bundle, "up to date, nothing re-run"), "")
    result = dg.materialize(
        [*defs.assets, *defs.asset_checks],
        selection=plan.selection,
        instance=instance,
        resources={
            "duckdb": duckdb,
            "project": ProjectPaths(raw_dir=str(raw_dir), output_dir=str(output_dir)),
            "renderer": ReportRenderer(renderer=renderer),
        },
        partition_key=str(year),
        run_config=build_run_config(as_of, plan.selection),
        raise_on_error=False,
        tags={"pipeline/command": "build"},
    )
    if not result.success:
        return BuildOutcome(False, _failure_text(result), result.run_id)
    ran = ", ".join(sorted(plan.reasons))
    return BuildOutcome(True, _summary(bundle, f"Dagster run {result.run_id}; ran {ran}"), result.run_id)


def _summary(bundle: Path, how: str) -> str:
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    lines = [f"built {bundle} (as of {figures['as_of']}; {how})"]
    lines += [f"  {key}: {figures[key]}" for key in HEADLINE]
    lines += [f"  rejected rows: {figures['rows_rejected']}, unreadable files: {figures['unreadable_files']}"]
    return "\n".join(lines)


def _failure_text(result: dg.ExecuteInProcessResult) -> str:
    lines = [f"build failed (Dagster run {result.run_id}):"]
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            data = event.step_failure_data
            reason = (data.user_failure_data and data.user_failure_data.description) or data.error.message.strip()
            lines.append(f"  {event.step_key}: {reason}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                lines.append(f"  check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed")
    return "\n".join(lines)
