"""One build of one year through Dagster, recorded in the instance: the `build` command's engine."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.config import REPORTS_DIR
from pipeline.contract import load_program
from pipeline.definitions import defs
from pipeline.defs.assets import ASSETS
from pipeline.defs.raw import observe_year
from pipeline.defs.resources import ProjectPaths, ReportRenderer, warehouse_resource
from pipeline.defs.staleness import build_settings, plan_build
from pipeline.ops.instance import fail_dead_runs, process_tag, project_instance
from pipeline.ops.locks import exclusive
from pipeline.report.bundle import bundle_summary
from pipeline.report.template import report_template


@dataclass(frozen=True)
class BuildOutcome:
    success: bool
    summary: str
    run_id: str  # empty when nothing had to run


def build_run_config(as_of: str, selection: list[dg.AssetKey], log_level: str = "WARNING") -> dict[str, object]:
    """The as-of date goes to report_period when it runs; the console shows warnings and up."""
    ops = {"year_metrics": {"config": {"as_of": as_of}}} if dg.AssetKey("report_period") in selection else {}
    return {"ops": ops, "loggers": {"console": {"config": {"log_level": log_level}}}}


def run_build(
    raw_dir: Path,
    output_dir: Path,
    year: int,
    as_of: str = "",
    renderer: str = "auto",
    warehouse: str | None = None,
    instance: dg.DagsterInstance | None = None,
    force: bool = False,
    log_level: str = "WARNING",
) -> BuildOutcome:
    """Materialise the assets of one year partition whose inputs changed (all of them on a
    first build), with their checks; failures come back as text."""
    instance = instance or project_instance()
    collect_from_here()
    duckdb = warehouse_resource(warehouse)
    for run_id in fail_dead_runs(instance):
        print(f"marked run {run_id} failed: its build was killed before it finished", file=sys.stderr)
    # The warehouse pool serialises steps, not runs: two builds of one year at once would
    # interleave, and one could bundle the other's as-of. The second waits, then plans
    # (and usually finds nothing left to do).
    with exclusive(Path(f"{duckdb.database}.{year}.lock"), f"waiting for another build of {year} to finish"):
        return _run_build(raw_dir, output_dir, year, as_of, renderer, duckdb, instance, force, log_level)


def _run_build(
    raw_dir: Path, output_dir: Path, year: int, as_of: str, renderer: str,
    duckdb: DuckDBResource, instance: dg.DagsterInstance, force: bool, log_level: str,
) -> BuildOutcome:
    bundle = output_dir / str(year)
    plan = plan_build(
        instance, ASSETS, year, raw_dir, duckdb.database,
        build_settings(as_of, bundle, renderer, report_template(raw_dir, REPORTS_DIR, load_program(raw_dir))),
    )
    if plan.up_to_date and not force:
        return BuildOutcome(True, bundle_summary(bundle, "up to date, nothing re-run"), "")
    observe_year(instance, raw_dir, year)
    selection = None if force else plan.selection
    result = dg.materialize(
        list(defs.assets),
        selection=selection,
        instance=instance,
        resources={
            "duckdb": duckdb,
            "project": ProjectPaths(raw_dir=str(raw_dir), output_dir=str(output_dir)),
            "renderer": ReportRenderer(renderer=renderer),
        },
        partition_key=str(year),
        run_config=build_run_config(as_of, selection or [dg.AssetKey("report_period")], log_level),
        raise_on_error=False,
        tags={"pipeline/command": "build", **process_tag()},
    )
    if not result.success:
        return BuildOutcome(False, _failure_text(result), result.run_id)
    ran = "everything (--force)" if force else ", ".join(sorted(plan.reasons))
    return BuildOutcome(True, bundle_summary(bundle, f"Dagster run {result.run_id}; ran {ran}"), result.run_id)


def collect_from_here() -> None:
    """Resume garbage collection if it is paused (as `python -m pipeline` starts), leaving what is
    loaded by now (Dagster, the instance's storage, the definitions) out of every later scan.
    A process that collects as usual is left alone."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _failure_text(result: dg.ExecuteInProcessResult) -> str:
    """Why the run failed, one line per failed step or blocking check (the first line of each error)."""
    lines = [f"build failed (Dagster run {result.run_id}; --verbose shows Dagster's log):"]
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        reason = (data.user_failure_data and data.user_failure_data.description) or data.error.message
        lines.append(f"  {event.step_key}: {reason.strip().splitlines()[0]}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            lines.append(f"  check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed")
    return "\n".join(lines)
