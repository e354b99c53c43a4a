"""Unattended runs: the build job, the nightly schedule and the raw-folder sensor.

Both plan with `freshness.plan_build`, so they launch only the assets whose inputs changed.
"""

import datetime as dt
import json
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import PROGRAM_FILE
from pipeline.defs.assets import ASSETS
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.staleness import build_settings, fingerprint, plan_build
from pipeline.intake.inventory import file_sha256, year_folders

build_year = dg.define_asset_job(
    "build_year",
    selection=dg.AssetSelection.all(),
    description="Ingest, metrics and report for one year partition.",
)


def year_run_request(
    instance: dg.DagsterInstance, year: int, project: ProjectPaths, warehouse: str, run_key: str | None
) -> dg.RunRequest | dg.SkipReason:
    bundle = project.output_path / str(year)
    plan = plan_build(instance, ASSETS, year, project.raw_path, warehouse, build_settings("", bundle, "auto"))
    if plan.up_to_date:
        return dg.SkipReason(f"{year}: nothing changed since the last build")
    return dg.RunRequest(
        run_key=run_key,
        partition_key=str(year),
        asset_selection=plan.selection,
        tags={"pipeline/reasons": json.dumps(plan.reasons, ensure_ascii=False)[:4000]},
    )


@dg.schedule(
    job=build_year,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 (Asia/Shanghai): rebuild the current year when its inputs changed.",
)
def nightly_build(
    context: dg.ScheduleEvaluationContext, project: ProjectPaths, duckdb: DuckDBResource
) -> dg.RunRequest | dg.SkipReason:
    year = (context.scheduled_execution_time or dt.datetime.now()).year
    if year not in year_folders(project.raw_path):
        return dg.SkipReason(f"no folder {project.raw_path / str(year)} for the current year")
    return year_run_request(context.instance, year, project, duckdb.database, run_key=None)


def _scan(raw_dir: Path, previous: dict[str, list]) -> dict[str, list]:
    """path -> [size, mtime_ns, sha256]; a file is re-hashed only when its size or mtime moved."""
    found: dict[str, list] = {}
    candidates = [raw_dir / PROGRAM_FILE, *(p for y in year_folders(raw_dir) for p in (raw_dir / str(y)).rglob("*"))]
    for path in candidates:
        if not path.is_file():
            continue
        name = path.relative_to(raw_dir).as_posix()
        stat = path.stat()
        old = previous.get(name)
        same_stat = old is not None and old[:2] == [stat.st_size, stat.st_mtime_ns]
        found[name] = [stat.st_size, stat.st_mtime_ns, old[2] if same_stat else file_sha256(path)]
    return found


def changed_years(before: dict[str, list], after: dict[str, list], years: list[int]) -> list[int]:
    """Years whose files were added, changed (by hash) or removed; program.yaml touches all."""
    changed = {n for n in before.keys() | after.keys() if (before.get(n) or [None] * 3)[2] != (after.get(n) or [None] * 3)[2]}
    if PROGRAM_FILE in changed:
        return years
    return sorted({int(n.split("/", 1)[0]) for n in changed if n[:4].isdigit()} & set(years))


@dg.sensor(
    job=build_year,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a build of a year when a file in its raw folder is added, changed or removed.",
)
def raw_folder_sensor(
    context: dg.SensorEvaluationContext, project: ProjectPaths, duckdb: DuckDBResource
) -> dg.SensorResult:
    before = json.loads(context.cursor) if context.cursor else {}
    after = _scan(project.raw_path, before)
    years = changed_years(before, after, year_folders(project.raw_path))
    digest = fingerprint({name: entry[2] for name, entry in after.items()})
    requests = [year_run_request(context.instance, y, project, duckdb.database, run_key=f"{y}-{digest}") for y in years]
    return dg.SensorResult(
        run_requests=[r for r in requests if isinstance(r, dg.RunRequest)],
        skip_reason=None if any(isinstance(r, dg.RunRequest) for r in requests) else "no raw file changed",
        cursor=json.dumps(after, sort_keys=True),
    )


schedules = [nightly_build]
sensors = [raw_folder_sensor]
jobs = [build_year]
