"""`notice`: one week's submission notice through Dagster, recorded in the instance like a build:
the year's dynamics ingested when its files changed, then the week's notice (or, for a roll-up
folder, every district's and the roll-up's), then on request the reminders (催报), or with
`dry_run` the lines of what they would send."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import DYNAMICS, Program, Week, load_program
from pipeline.defs.channels import channels_of
from pipeline.defs.ingest import district_assets as district_ingest
from pipeline.defs.ingest import ingest_tables
from pipeline.defs.notice import (
    NOTICE,
    ROLLUP_NOTICE,
    notice_fingerprint,
    read_week,
    recorded_fingerprint,
    rollup_weekly_notice,
    weekly_notice,
)
from pipeline.defs.partitions import DISTRICTS
from pipeline.defs.raw import district_raw_folder, observe_partition, raw_folder
from pipeline.defs.reminders import REMINDERS, reminders, sent_before
from pipeline.defs.resources import channel_resources, project_resources
from pipeline.defs.rollup import year_districts
from pipeline.defs.scope import DISTRICT, SINGLE, Scope, partition_key, scope_of
from pipeline.defs.currency import INPUT_FINGERPRINT, ingest_fingerprint, latest_materializations
from pipeline.defs.weekly import partition_of_week
from pipeline.intake.districts import is_rollup
from pipeline.intake.inventory import current_files
from pipeline.config import Settings
from pipeline.defs.automation import build_district_year, build_notice, build_rollup_notice, build_year, send_reminders
from pipeline.ops.build import _failure_text, collect_from_here
from pipeline.ops.instance import process_tag, project_instance
from pipeline.locks import exclusive
from pipeline.report.notice import notice_folder
from pipeline.report.notice_context import deadline_text
from pipeline.reporting.reminders import reminder_messages
from pipeline.warehouse.notice import latest_dynamics_date


class NoticeRefused(Exception):
    """The notice cannot be made as asked (no dynamics in the year, a week that is not one); in Chinese."""


@dataclass(frozen=True)
class NoticeOutcome:
    success: bool
    lines: list[str]
    refused: bool = False  # the week asked for cannot be made (nothing ran)

    @property
    def code(self) -> int:
        """The command's exit code: 0, 1 when a run failed, 2 when refused."""
        return 0 if self.success else 2 if self.refused else 1


def _run(job: dg.UnresolvedAssetJobDefinition, assets: list, selection: list[dg.AssetKey], partition: str,
         resources: dict, instance: dg.DagsterInstance, log_level: str) -> dg.ExecuteInProcessResult:
    """One run of the code location's job `job` in this process, as `build` runs its jobs: the UI
    and `dagster run list` show it under the job's name."""
    return dg.Definitions(assets=assets, jobs=[job], resources=resources).resolve_job_def(job.name).execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}}, instance=instance,
        partition_key=partition, raise_on_error=False, asset_selection=selection, resources=resources,
        tags={"pipeline/command": "notice", **process_tag()},
    )


def _ingest_dynamics(scope: Scope, resources: dict[str, dg.ConfigurableResource], instance: dg.DagsterInstance,
                     log_level: str) -> str | None:
    """Ingest the partition's dynamics when its files, the vocabulary or the warehouse changed since
    its latest materialisation; the failure's text, or None."""
    job, graph, source, assets = (build_year, SINGLE, raw_folder, [ingest_tables]) if scope.district is None else (
        build_district_year, DISTRICT, district_raw_folder, district_ingest)
    key = graph.key("dynamics")
    with exclusive(Path(f"{scope.database}.{scope.year}.lock"), f"等待{scope.partition}的另一次构建完成"):
        expected = ingest_fingerprint(DYNAMICS, current_files(scope.raw_path, scope.year, DYNAMICS), scope.program(),
                                      scope.database)
        record = latest_materializations(instance, assets, [scope.partition]).get((key, str(scope.partition)))
        entry = record.asset_materialization.metadata.get(INPUT_FINGERPRINT) if record else None
        if getattr(entry, "value", None) == expected and Path(scope.database).exists():
            return None
        observe_partition(instance, scope)
        result = _run(job, [source, *assets], [key], str(scope.partition), resources, instance, log_level)
    return None if result.success else _failure_text(result)


def _parsed(requested: str) -> Week:
    try:
        return Week.parse(requested)
    except ValueError as exc:
        raise NoticeRefused(f"--week {requested}：{exc}") from None


def _week(requested: str | None, duckdb: DuckDBResource, year: int) -> Week:
    """--week, else the week of the year's latest dated dynamics row (never the clock)."""
    if requested:
        return _parsed(requested)
    with duckdb.get_connection() as conn:
        found = latest_dynamics_date(conn, year)
    if found is None:
        raise NoticeRefused(f"{year}年没有已计入的工作动态，无法确定周次（请用 --week 指定，如 --week {year}-W20）")
    return Week.of(found)


def _summary(folder: Path, figures: dict, how: str) -> str:
    missing = "、".join(figures["missing"]) or "无"
    return (f"{folder}：{Week.parse(figures['week']).label}，应报送{len(figures['units_expected'])}个单位，"
            f"已报送{len(set(figures['reported']) & set(figures['units_expected']))}个，未报送：{missing}（{how}）")


def run_notice(raw_dir: Path, output_dir: Path, year: int, week: str | None = None, remind: bool = False,
               dry_run: bool = False, warehouse: str | None = None, renderer: str = "auto",
               instance: dg.DagsterInstance | None = None, log_level: str = "CRITICAL") -> NoticeOutcome:
    """The notice of `week` (default: the week of the year's latest dynamics row), then the reminders."""
    try:
        return _notice(raw_dir, output_dir, year, week, remind, dry_run, warehouse, renderer, instance, log_level)
    except NoticeRefused as exc:
        return NoticeOutcome(False, [f"error: {exc}"], refused=True)


def _notice(raw_dir: Path, output_dir: Path, year: int, week: str | None, remind: bool, dry_run: bool,
            warehouse: str | None, renderer: str, instance: dg.DagsterInstance | None, log_level: str) -> NoticeOutcome:
    instance = instance or project_instance()
    collect_from_here()
    resources = project_resources(raw_dir, output_dir, warehouse or Settings.of(raw_dir).warehouse, renderer)
    duckdb, project = resources["duckdb"], resources["project"]
    if is_rollup(raw_dir):
        return _rollup_notice(raw_dir, year, week, resources, instance, log_level)
    scope = scope_of(partition_key(year), project, duckdb.database)
    if failure := _ingest_dynamics(scope, resources, instance, log_level):
        return NoticeOutcome(False, [failure])
    chosen = _week(week, duckdb, year)
    partition, program = partition_of_week(chosen), load_program(raw_dir)
    with duckdb.get_connection() as conn:
        work = read_week(conn, program, chosen, project.output_path)
    lines = []
    if recorded_fingerprint(instance, NOTICE, partition) == notice_fingerprint(work, project.reports_path, renderer):
        lines.append(_summary(work.folder, work.notice.figures, "已是最新，未重新生成"))
    else:
        result = _run(build_notice, [weekly_notice], [NOTICE], partition, resources, instance, log_level)
        if not result.success:
            return NoticeOutcome(False, [_failure_text(result)])
        lines.append(_summary(work.folder, work.notice.figures, f"Dagster 运行 {result.run_id}"))
    if work.notice.calendar_note:
        lines.append(f"注意：{work.notice.calendar_note}")
    if remind:
        lines += _remind(work.notice.figures, program, chosen, partition, resources, instance, dry_run, log_level)
    return NoticeOutcome(True, lines)


def _remind(figures: dict, program: Program, week: Week, partition: str, resources: dict[str, dg.ConfigurableResource],
            instance: dg.DagsterInstance, dry_run: bool, log_level: str) -> list[str]:
    """The reminders of the week's missing units: sent through the `reminders` asset, or printed."""
    resources = resources | channel_resources(resolved=True)  # this process's settings, checked before the run
    channels = channels_of(resources["dingtalk"], resources["wecom"], resources["email"])
    if not channels:
        return ["未配置任何发送渠道（PIPELINE_DINGTALK_URL、PIPELINE_WECOM_URL、PIPELINE_SMTP_HOST），未催报"]
    if dry_run:
        messages = reminder_messages(figures, deadline_text(program.reporting.deadline_at(week)),
                                     resources["contacts"].read(), channels, sent_before(instance, REMINDERS, partition))
        return [f"将发送：{m.line()}" for m in messages] or ["没有需要催报的单位（均已报送或本周已催报）"]
    result = _run(send_reminders, [reminders], [REMINDERS], partition, resources, instance, log_level)
    if not result.success:
        return [_failure_text(result)]
    sent = result.asset_materializations_for_node("reminders")[0].metadata
    return [f"催报已发送{sent['sent'].value}条（失败的渠道：{sent['failed_channels'].value}；Dagster 运行 {result.run_id}）"]


def _rollup_notice(raw_dir: Path, year: int, week: str | None, resources: dict[str, dg.ConfigurableResource],
                   instance: dg.DagsterInstance, log_level: str) -> NoticeOutcome:
    """Each district's dynamics ingested, then every district's notice and the roll-up's."""
    duckdb, project = resources["duckdb"], resources["project"]
    names = year_districts(raw_dir, year)
    instance.add_dynamic_partitions(DISTRICTS.name, names)
    failures = []
    for name in names:
        scope = scope_of(partition_key(year, name), project, duckdb.database)
        if failure := _ingest_dynamics(scope, resources, instance, log_level):
            failures.append(f"{name}: {failure}")
    if failures:
        return NoticeOutcome(False, failures)
    if week is None:
        dates = []
        for name in names:
            with scope_of(partition_key(year, name), project, duckdb.database).warehouse(duckdb).get_connection() as conn:
                dates += [found] if (found := latest_dynamics_date(conn, year)) else []
        if not dates:
            raise NoticeRefused(f"{year}年没有已计入的工作动态，无法确定周次（请用 --week 指定，如 --week {year}-W20）")
    chosen = _parsed(week) if week else Week.of(max(dates))
    result = _run(build_rollup_notice, [rollup_weekly_notice], [ROLLUP_NOTICE], partition_of_week(chosen), resources,
                  instance, log_level)
    if not result.success:
        return NoticeOutcome(False, [_failure_text(result)])
    folder = notice_folder(project.output_path, chosen)
    return NoticeOutcome(True, [f"{folder}：{chosen.label}汇总通报及各区（县、市）通报（Dagster 运行 {result.run_id}）"])
