"""Group "notice": each ISO week's submission notice (报送情况通报), a weekly-partitioned asset
reading the dynamics of the years the week falls in; for a roll-up folder, every district's
notice and one over all districts.

A notice whose inputs did not change (its figures, the programme's name, the template, the
renderer, and the bundle on disk being the one it wrote) is not rendered again: the step
records nothing, and the UI keeps showing the week's latest materialisation.
"""


from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.config import accounts_file
from pipeline.contract import Program, ProgramError, Week, load_program
from pipeline.defs import versions
from pipeline.defs.partitions import WEEKS
from pipeline.defs.resources import ProjectPaths, ReportRenderer
from pipeline.defs.scope import DISTRICT, district_database
from pipeline.defs.currency import INPUT_FINGERPRINT, fingerprint
from pipeline.defs.weekly import NOTICE_DUE, WEEK_TO_YEARS, week_of_partition
from pipeline.intake.districts import district_program, districts
from pipeline.intake.inventory import file_sha256
from pipeline.portal.receipts import first_receipts
from pipeline.report.documents import notice_bundle, rollup_notice_bundle
from pipeline.report.fonts import MissingFontError
from pipeline.report.notice import NOTICE_TEMPLATE, notice_complete, notice_folder, staged_notice_folder
from pipeline.report.notice_context import rollup_notice_figures
from pipeline.report.render import Renderer, RenderError
from pipeline.reporting.week_notice import WeekNotice, week_notice
from pipeline.warehouse.notice import read_notice_rows

NOTICE_CODE_VERSION = versions.NOTICE
NOTICE = dg.AssetKey("weekly_notice")
ROLLUP_NOTICE = dg.AssetKey("rollup_weekly_notice")


@dataclass(frozen=True)
class NoticeWork:
    """One programme's notice of a week, computed, and where its bundle goes."""

    program: Program
    notice: WeekNotice
    sources: pl.DataFrame
    folder: Path


def read_week(conn: duckdb.DuckDBPyConnection, program: Program, week: Week, output_dir: Path) -> NoticeWork:
    """The notice of `week` from the warehouse, and the intake portal's receipts for `late`."""
    read = read_notice_rows(conn, week)
    notice = week_notice(program, week, read.rows, read.nil, first_receipts(accounts_file(), week.year))
    return NoticeWork(program, notice, read.sources, notice_folder(output_dir, week))


def notice_fingerprint(work: NoticeWork, reports_dir: Path, renderer: str) -> str:
    """What the notice's bundle depends on: its figures and notes, the programme's name, the
    template, the renderer asked for, and the bundle on disk being complete and the one it wrote."""
    manifest = file_sha256(work.folder / "manifest.json") if notice_complete(work.folder) else None
    notice = work.notice
    return fingerprint("weekly_notice", NOTICE_CODE_VERSION, str(work.folder), notice.figures, notice.calendar_note,
                       sorted(map(str, notice.exempt)), work.program.name, file_sha256(reports_dir / NOTICE_TEMPLATE),
                       renderer, manifest)


def recorded_fingerprint(instance: dg.DagsterInstance, key: dg.AssetKey, partition: str) -> str | None:
    """The fingerprint the latest materialisation of the week's notice recorded."""
    found = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=key, asset_partitions=[partition]), limit=1)
    if not found.records:
        return None
    entry = found.records[0].asset_materialization.metadata.get(INPUT_FINGERPRINT)
    return getattr(entry, "value", None)


def write_notice(work: NoticeWork, reports_dir: Path, renderer: Renderer) -> None:
    """Render the week's bundle in a staging folder and swap it in; a failure keeps the previous one."""
    week = Week.parse(work.notice.figures["week"])
    try:
        with staged_notice_folder(work.folder) as folder:
            notice_bundle(folder, work.program, work.notice, work.sources, reports_dir, renderer)
    except (RenderError, MissingFontError) as exc:
        raise dg.Failure(description=f"{week.label}通报未生成，原通报保留：{exc}") from None


def programme(raw_dir: Path) -> Program:
    """The raw folder's programme; a broken program.yaml fails the step in one Chinese line."""
    try:
        return load_program(raw_dir)
    except ProgramError as exc:
        raise dg.Failure(description=str(exc)) from None


def notice_metadata(work: NoticeWork, expected: str) -> dict[str, object]:
    figures = work.notice.figures
    return {
        "notice": dg.MetadataValue.path(str(work.folder / "notice.pdf")),
        "units_expected": len(figures["units_expected"]),
        "reported": len(figures["reported"]),
        "missing": dg.MetadataValue.md("、".join(figures["missing"]) or "none"),
        "dynamics_week": figures["dynamics_week"],
        INPUT_FINGERPRINT: expected,
    }


@dg.asset(
    key=NOTICE,
    group_name="notice",
    partitions_def=WEEKS,
    deps=[dg.AssetDep(dg.AssetKey("dynamics"), partition_mapping=WEEK_TO_YEARS)],
    code_version=NOTICE_CODE_VERSION,
    automation_condition=NOTICE_DUE,
    output_required=False,
    kinds={"pdf", "html", "docx"},
)
def weekly_notice(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths, renderer: ReportRenderer
) -> Iterator[dg.MaterializeResult]:
    """The week's submission notice: <output>/<year>/notices/<2023-W20>/ with notice.json, .html, .pdf, .docx.

    Who owed the week (the roster; without one, the units that reported before), who reported
    (a counted row or a nil report dated in it), who did not and for how many owed weeks in a row.
    """
    week = week_of_partition(context.partition_key)
    program = programme(project.raw_path)
    with duckdb.get_connection() as conn:
        work = read_week(conn, program, week, project.output_path)
    expected = notice_fingerprint(work, project.reports_path, renderer.renderer)
    if recorded_fingerprint(context.instance, NOTICE, context.partition_key) == expected:
        context.log.info(f"{week.label}通报的输入没有变化，未重新生成：{work.folder}")
        return
    if work.notice.calendar_note:
        context.log.warning(work.notice.calendar_note)
    write_notice(work, project.reports_path, renderer.get())
    # recorded as the bundle now on disk is: the next run compares against its manifest
    inputs = notice_fingerprint(work, project.reports_path, renderer.renderer)
    yield dg.MaterializeResult(data_version=dg.DataVersion(inputs), metadata=notice_metadata(work, inputs))


def district_weeks(raw_dir: Path, database: str, week: Week, output_dir: Path) -> dict[str, NoticeWork]:
    """District -> its notice of `week`, for every district whose warehouse holds rows, in the programme's order."""
    rollup = programme(raw_dir)
    found = {}
    for name in districts(raw_dir, rollup):
        path = Path(district_database(database, name))
        if not path.is_file():
            continue  # never ingested: it has no notice to give
        with duckdb.connect(str(path), read_only=True) as conn:
            found[name] = read_week(conn, district_program(raw_dir, name, rollup), week, output_dir / name)
    return found


@dg.asset(
    key=ROLLUP_NOTICE,
    group_name="notice",
    partitions_def=WEEKS,
    # every district's dynamics of every year: a week reads the years of its districts. Dagster
    # maps a week to no single dimension of district x year, so this dependency cannot tell the
    # automation which weeks have rows: the roll-up's notices are made on request (`notice`, the UI).
    deps=[dg.AssetDep(DISTRICT.key("dynamics"), partition_mapping=dg.AllPartitionMapping())],
    code_version=NOTICE_CODE_VERSION,
    output_required=False,
    kinds={"pdf", "html", "docx"},
)
def rollup_weekly_notice(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths, renderer: ReportRenderer
) -> Iterator[dg.MaterializeResult]:
    """A roll-up folder's notices of the week: each district's under <output>/<district>/, and one
    over all districts (units owed and reported per district) under <output>/<year>/notices/."""
    week = week_of_partition(context.partition_key)
    works = district_weeks(project.raw_path, duckdb.database, week, project.output_path)
    if not works:
        raise dg.Failure(description=f"{project.raw_path} 中没有已导入的区县，{week.label}无通报可生成")
    figures = rollup_notice_figures(week, {name: work.notice.figures for name, work in works.items()})
    folder = notice_folder(project.output_path, week)
    if recorded_fingerprint(context.instance, ROLLUP_NOTICE, context.partition_key) == _rollup_fingerprint(
            works, figures, folder, project.reports_path, renderer.renderer):
        context.log.info(f"{week.label}汇总通报的输入没有变化，未重新生成")
        return
    for work in works.values():
        write_notice(work, project.reports_path, renderer.get())
    program = programme(project.raw_path)
    try:
        with staged_notice_folder(folder) as staging:
            rollup_notice_bundle(staging, program, figures, {n: file_sha256(w.folder / "notice.json") for n, w in works.items()},
                                 project.reports_path, renderer.get())
    except (RenderError, MissingFontError) as exc:
        raise dg.Failure(description=f"{week.label}汇总通报未生成，原通报保留：{exc}") from None
    yield dg.MaterializeResult(metadata={"notice": dg.MetadataValue.path(str(folder / "notice.pdf")),
                                         "districts": len(works), "missing": figures["missing"],
                                         INPUT_FINGERPRINT: _rollup_fingerprint(works, figures, folder,
                                                                                project.reports_path, renderer.renderer)})


def _rollup_fingerprint(works: dict[str, NoticeWork], figures: dict, folder: Path, reports_dir: Path, renderer: str) -> str:
    """Every district's notice fingerprint, the roll-up's figures, and its bundle on disk."""
    manifest = file_sha256(folder / "manifest.json") if notice_complete(folder) else None
    return fingerprint("rollup_weekly_notice", [notice_fingerprint(w, reports_dir, renderer) for w in works.values()],
                       figures, manifest)


assets = [weekly_notice, rollup_weekly_notice]
