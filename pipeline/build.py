"""One build of one year through Dagster, recorded in the instance: the `build` command's engine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.definitions import defs
from pipeline.render import ReportRenderer
from pipeline.resources import ProjectPaths, warehouse_resource

HEADLINE = ("dynamics_total", "info_total", "media_articles_total", "meetings_total", "key_tasks_total", "reforms_total", "landmarks_total")


@dataclass(frozen=True)
class BuildOutcome:
    success: bool
    summary: str
    run_id: str


def build_run_config(as_of: str, log_level: str = "WARNING") -> dict[str, object]:
    """Run config shared by the CLI, the schedule and the sensor."""
    return {
        "ops": {"report_period": {"config": {"as_of": as_of}}},
        "loggers": {"console": {"config": {"log_level": log_level}}},
    }


def run_build(
    raw_dir: Path,
    output_dir: Path,
    year: int,
    as_of: str = "",
    renderer: str = "auto",
    warehouse: str | None = None,
    instance: dg.DagsterInstance | None = None,
) -> BuildOutcome:
    """Materialise every asset and check for one year partition; failures come back as text."""
    result = dg.materialize(
        [*defs.assets, *defs.asset_checks],
        instance=instance or dg.DagsterInstance.get(),
        resources={
            "duckdb": warehouse_resource(warehouse),
            "project": ProjectPaths(raw_dir=str(raw_dir), output_dir=str(output_dir)),
            "renderer": ReportRenderer(renderer=renderer),
        },
        partition_key=str(year),
        run_config=build_run_config(as_of),
        raise_on_error=False,
        tags={"pipeline/command": "build"},
    )
    if not result.success:
        return BuildOutcome(False, _failure_text(result), result.run_id)
    bundle = output_dir / str(year)
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    lines = [f"built {bundle} (as of {figures['as_of']}, Dagster run {result.run_id})"]
    lines += [f"  {key}: {figures[key]}" for key in HEADLINE]
    lines += [f"  rejected rows: {figures['rows_rejected']}, unreadable files: {figures['unreadable_files']}"]
    return BuildOutcome(True, "\n".join(lines), result.run_id)


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
