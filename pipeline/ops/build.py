"""One build of one year through Dagster, recorded in the instance as a run of the code
location's own job (`build_year`, `build_district_year`, `build_rollup`): the `build` command's engine."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

import dagster as dg

from pipeline.config import Settings
from pipeline.contract import ProgramError
from pipeline.defs.assets import ASSETS, DISTRICT_ASSETS, ROLLUP_ASSETS
from pipeline.defs.automation import build_district_year, build_rollup, build_year
from pipeline.defs.partitions import DISTRICTS
from pipeline.defs.raw import district_raw_folder, observe_partition, raw_folder
from pipeline.defs.resources import ProjectPaths, project_paths, project_resources
from pipeline.defs.rollup import (
    ROLLUP,
    ROLLUP_CODE_VERSION,
    rollup_fingerprint,
    year_districts,
)
from pipeline.defs.scope import DISTRICT, SINGLE, Graph, Scope, partition_key, scope_of
from pipeline.defs.currency import CODE_VERSION_TAG, INPUT_FINGERPRINT, RENDERER_REQUESTED, Latest, latest_materializations
from pipeline.intake.districts import is_rollup, rollup_not_read
from pipeline.locks import exclusive
from pipeline.ops.plan import BuildPlan, build_settings, plan_build, requested_settings
from pipeline.ops.instance import fail_dead_runs, process_tag, project_instance
from pipeline.ops.province import PER_PARTITION_MAX, province_run_config, run_province
from pipeline.report.bundle import bundle_summary
from pipeline.report.template import report_template
from pipeline.terminal import escaped

UP_TO_DATE = "已是最新，未重新运行"


@dataclass(frozen=True)
class BuildOutcome:
    success: bool
    summary: str
    run_id: str  # empty when nothing had to run


def build_run_config(
    as_of: str, selection: list[dg.AssetKey], log_level: str = "WARNING", graph: Graph = SINGLE
) -> dict[str, object]:
    """The as-of date goes to report_period when it runs; the console shows warnings and up."""
    ops = {graph.op_name("year_metrics"): {"config": {"as_of": as_of}}} if graph.key("report_period") in selection else {}
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
    district: str | None = None,
) -> BuildOutcome:
    """Materialise the assets of one year partition (of a district's year, in a roll-up folder)
    whose inputs changed (all of them on a first build), with their checks; failures come back
    as text. The warehouse defaults to the raw folder's own (config.Settings)."""
    instance = instance or project_instance()
    collect_from_here()
    resources = project_resources(raw_dir, output_dir, warehouse or Settings.of(raw_dir).warehouse, renderer)
    duckdb, project = resources["duckdb"], resources["project"]
    _mark_dead_runs(instance)
    scope = scope_of(partition_key(year, district), project, duckdb.database)
    if district is not None:
        instance.add_dynamic_partitions(DISTRICTS.name, [district])
    # The warehouse pool serialises steps, not runs: two builds of one year at once would
    # interleave, and one could bundle the other's as-of. The second waits, then plans
    # (and usually finds nothing left to do).
    with exclusive(Path(f"{scope.database}.{year}.lock"), f"正在等待 {scope.partition} 的另一次生成结束"):
        return _run_build(scope, resources, as_of, renderer, instance, force, log_level)


def _run_build(
    scope: Scope, resources: dict[str, dg.ConfigurableResource], as_of: str, renderer: str,
    instance: dg.DagsterInstance, force: bool, log_level: str,
) -> BuildOutcome:
    project = resources["project"]
    single = scope.district is None
    job, graph, source = (build_year, SINGLE, raw_folder) if single else (build_district_year, DISTRICT, district_raw_folder)
    build_plan = plan(instance, scope, project, as_of, renderer)
    if build_plan.up_to_date and not force:
        return BuildOutcome(True, bundle_summary(scope.bundle, UP_TO_DATE), "")
    observe_partition(instance, scope)
    assets = _graph_assets(scope)
    selection = [key for a in assets for key in a.keys] if force else build_plan.selection
    result = _execute(job, [source, *assets], selection, scope.partition, instance,
                      build_run_config(as_of, selection, log_level, graph), resources)
    if not result.success:
        return BuildOutcome(False, _failure_text(result), result.run_id)
    ran = "全部资产（--force）" if force else "、".join(sorted(build_plan.reasons))
    return BuildOutcome(True, bundle_summary(scope.bundle, f"Dagster 运行 {result.run_id}，运行了：{ran}"), result.run_id)


def _execute(
    job: dg.UnresolvedAssetJobDefinition, assets: list[dg.AssetsDefinition | dg.SourceAsset],
    selection: list[dg.AssetKey], partition: str, instance: dg.DagsterInstance,
    run_config: dict[str, object], resources: dict[str, object],
) -> dg.ExecuteInProcessResult:
    """One run of the code location's job `job` (its definition, with this build's resources), of
    the assets selected and their checks, in this process: the UI and `dagster run list` show
    it under the job's name, as a run launched there."""
    return dg.Definitions(assets=assets, jobs=[job], resources=resources).resolve_job_def(job.name).execute_in_process(
        run_config=run_config,
        instance=instance,
        partition_key=partition,
        raise_on_error=False,
        asset_selection=selection,
        tags={"pipeline/command": "build", **process_tag()},
        resources=resources,
    )


def plan(
    instance: dg.DagsterInstance, scope: Scope, project: ProjectPaths, as_of: str = "", renderer: str = "auto",
    latest: Latest | None = None,
) -> BuildPlan:
    """What a build of the partition `scope` with these settings would run, and why (nothing: up to date)."""
    assets = _graph_assets(scope)
    template = report_template(scope.raw_path, project.reports_path, scope.program())
    return plan_build(instance, assets, scope, build_settings(as_of, scope.bundle, renderer, template), latest)


def plan_partition(
    instance: dg.DagsterInstance, settings: Settings, year: int, district: str | None = None,
    as_of: str = "", renderer: str = "auto",
) -> BuildPlan:
    """`plan` for a year (or a district's year) of the project `settings` describe."""
    project = project_paths(settings.raw_dir, settings.output_dir)
    return plan(instance, scope_of(partition_key(year, district), project, str(settings.warehouse)), project,
                as_of, renderer)


def _graph_assets(scope: Scope) -> list[dg.AssetsDefinition]:
    return ASSETS if scope.district is None else DISTRICT_ASSETS


class BuildSettings(TypedDict, total=False):
    """run_build's settings, which a roll-up build passes on to every district's."""

    as_of: str
    renderer: str
    warehouse: str | None
    force: bool
    log_level: str


def run_rollup_build(
    raw_dir: Path, output_dir: Path, year: int, instance: dg.DagsterInstance | None = None,
    **settings: Unpack[BuildSettings],
) -> BuildOutcome:
    """Build every district of a roll-up folder that has the year (each as `run_build` would,
    into <output>/<district>/<year>/), then the roll-up bundle <output>/<year>/. A district
    that fails is named and the others are still built; the roll-up then fails, naming it."""
    instance = instance or project_instance()
    as_of, renderer, force = settings.get("as_of", ""), settings.get("renderer", "auto"), settings.get("force", False)
    log_level = settings.get("log_level", "WARNING")
    names = year_districts(raw_dir, year)
    resources = project_resources(raw_dir, output_dir, settings.get("warehouse") or Settings.of(raw_dir).warehouse,
                                  renderer)
    project, duckdb = resources["project"], resources["duckdb"]
    scopes = {d: scope_of(partition_key(year, d), project, duckdb.database) for d in names}
    # every district's records in one pass: a province's no-op build plans every district
    latest = latest_materializations(instance, DISTRICT_ASSETS, [scope.partition for scope in scopes.values()])
    # a district folder whose name cannot be a partition key is not built; the others are
    refused = [e for e in rollup_not_read(raw_dir) if not e.skipped]
    lines = [f"{e.name(raw_dir)}：{e.reason}" for e in refused]
    outcomes: dict[str, BuildOutcome] = {}
    for district, scope in scopes.items():
        try:
            if not force and plan(instance, scope, project, as_of, renderer, latest).up_to_date:
                outcomes[district] = BuildOutcome(True, bundle_summary(scope.bundle, UP_TO_DATE), "")
        except ProgramError as exc:  # the district's own program.yaml or template: it fails alone
            outcomes[district] = BuildOutcome(False, f"生成失败：{escaped(str(exc))}", "")
    stale = [district for district in names if district not in outcomes]
    if len(stale) > PER_PARTITION_MAX:
        run_config = province_run_config(year, stale, as_of, project, duckdb.database, renderer, log_level)
        outcomes |= _build_province(instance, {d: scopes[d] for d in stale}, run_config)
    for district in stale:
        if district not in outcomes:  # a few districts, or a province run that could not start
            outcomes[district] = _build_district(raw_dir, output_dir, year, instance, district, settings)
    failed: list[str] = []
    for district in names:
        outcome = outcomes[district]
        lines.append(f"{district}：{outcome.summary.splitlines()[0]}")
        if not outcome.success:
            failed.append(district)
            lines += [f"  {line}" for line in outcome.summary.splitlines()[1:]]
    rollup = _run_rollup(resources, year, renderer, instance, force, log_level, names)
    lines.append(rollup.summary)
    if failed:
        lines.append(f"{len(names)}个区县中有{len(failed)}个生成失败：{'、'.join(failed)}")
    return BuildOutcome(rollup.success and not failed and not refused, "\n".join(lines), rollup.run_id)


def _build_district(
    raw_dir: Path, output_dir: Path, year: int, instance: dg.DagsterInstance, district: str, settings: BuildSettings
) -> BuildOutcome:
    try:
        return run_build(raw_dir, output_dir, year, instance=instance, district=district, **settings)
    except ProgramError as exc:  # the district's own program.yaml or template: it fails alone
        return BuildOutcome(False, f"生成失败：{escaped(str(exc))}", "")


def _build_province(
    instance: dg.DagsterInstance, scopes: dict[str, Scope], run_config: dict[str, object]
) -> dict[str, BuildOutcome]:
    """Many districts' year in one run of `build_province_year`, each district's outcome as
    run_build would give it."""
    _mark_dead_runs(instance)
    province = run_province(instance, scopes, run_config)
    ran = f"Dagster 运行 {province.run_id}（{len(scopes)}个区县一次运行），运行了：全部资产"
    return {
        district: BuildOutcome(False, f"生成失败（Dagster 运行 {province.run_id}；--verbose 显示 Dagster 的日志）：\n"
                               f"  {escaped(province.failed[district])}", province.run_id)
        if district in province.failed else BuildOutcome(True, bundle_summary(scope.bundle, ran), province.run_id)
        for district, scope in scopes.items()
    }


def _run_rollup(
    resources: dict[str, dg.ConfigurableResource], year: int, renderer: str, instance: dg.DagsterInstance,
    force: bool, log_level: str, names: list[str],
) -> BuildOutcome:
    project = resources["project"]
    bundle = project.output_path / str(year)
    if not force and _rollup_current(_latest_rollup(instance, year), project, year, names, renderer):
        return BuildOutcome(True, bundle_summary(bundle, f"汇总报告{UP_TO_DATE}"), "")
    result = _execute(build_rollup, ROLLUP_ASSETS, [ROLLUP], str(year), instance, build_run_config("", [ROLLUP], log_level),
                      resources)
    if not result.success:
        return BuildOutcome(False, _failure_text(result), result.run_id)
    return BuildOutcome(True, bundle_summary(bundle, f"{len(names)}个区县的汇总报告，Dagster 运行 {result.run_id}"),
                        result.run_id)


def _latest_rollup(instance: dg.DagsterInstance, year: int) -> dg.AssetMaterialization | None:
    last = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=ROLLUP, asset_partitions=[str(year)]), limit=1)
    return last.records[0].asset_materialization if last.records else None


def _rollup_current(
    recorded: dg.AssetMaterialization | None, project: ProjectPaths, year: int, names: list[str], renderer: str
) -> bool:
    expected = rollup_fingerprint(project, year, names, renderer)
    return bool(recorded) and recorded.metadata.get(INPUT_FINGERPRINT) == dg.TextMetadataValue(expected) \
        and recorded.tags.get(CODE_VERSION_TAG) == ROLLUP_CODE_VERSION


def stale_reasons(
    instance: dg.DagsterInstance, raw_dir: Path, output_dir: Path, year: int,
    warehouse: str | None = None, district: str | None = None,
) -> dict[str, str]:
    """What `build` would re-run now for the year's bundle (a district's with `district`; in a
    roll-up folder, every district's and the roll-up), planned with the settings its latest
    build asked for: asset -> why, empty when the bundle is current. `publish` asks this, so
    publish and build never disagree about what is current."""
    project = project_paths(raw_dir, output_dir)
    database = warehouse or str(Settings.of(raw_dir).warehouse)
    rollup = district is None and is_rollup(raw_dir)
    names = year_districts(raw_dir, year) if rollup else [district]
    scopes = [scope_of(partition_key(year, name), project, database) for name in names]
    graph, assets = (SINGLE, ASSETS) if scopes[0].district is None else (DISTRICT, DISTRICT_ASSETS)
    latest = latest_materializations(instance, assets, [scope.partition for scope in scopes])
    reasons = {}
    for scope in scopes:
        as_of, renderer = requested_settings(latest, graph, scope.partition)
        prefix = f"{scope.district}/" if rollup else ""
        reasons |= {prefix + name: why for name, why in plan(instance, scope, project, as_of, renderer, latest).reasons.items()}
    if rollup:
        recorded = _latest_rollup(instance, year)
        renderer = recorded.metadata.get(RENDERER_REQUESTED) if recorded else None
        if not _rollup_current(recorded, project, year, names, getattr(renderer, "value", "auto")):
            reasons[ROLLUP.to_user_string()] = "输入、设置或代码版本已变"
    return reasons


def _mark_dead_runs(instance: dg.DagsterInstance) -> None:
    for run_id in fail_dead_runs(instance):
        print(f"已将运行 {run_id} 标为失败：生成它的进程在完成前被终止", file=sys.stderr)


def collect_from_here() -> None:
    """Resume garbage collection if it is paused (as `python -m pipeline` starts), leaving what is
    loaded by now (Dagster, the instance's storage, the definitions) out of every later scan.
    A process that collects as usual is left alone."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _failure_text(result: dg.ExecuteInProcessResult) -> str:
    """Why the run failed, one line per failed step or blocking check (the first line of each error)."""
    lines = [f"生成失败（Dagster 运行 {result.run_id}；--verbose 显示 Dagster 的日志）："]
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        reason = (data.user_failure_data and data.user_failure_data.description) or data.error.message
        lines.append(f"  {event.step_key}：{escaped(reason.strip().splitlines()[0])}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            lines.append(f"  检查 {evaluation.asset_key.to_user_string()}:{evaluation.check_name} 未通过")
    return "\n".join(lines)
