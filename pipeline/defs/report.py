"""Group "report": the year-end progress report bundle (HTML, PDF, figures.json,
manifest.json) rendered from reports/progress-report.qmd and the warehouse."""


import datetime as dt
import logging
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES
from pipeline.defs import ingest, metrics, versions
from pipeline.defs.checks import latest_check_outcomes
from pipeline.defs.raw import REBUILD
from pipeline.defs.resources import ProjectPaths, ReportRenderer
from pipeline.defs.scope import DISTRICT, SINGLE, Graph, Scope, scope_of
from pipeline.defs.currency import (
    INPUT_FINGERPRINT,
    RENDERER_REQUESTED,
    WAREHOUSE_STAT,
    report_fingerprint,
    warehouse_stat,
)
from pipeline.metrics.figures import tasks_as_of
from pipeline.metrics.findings import missing_unit_weeks
from pipeline.report.bundle import staged_year_folder
from pipeline.report.documents import report_bundle
from pipeline.report.fonts import MissingFontError
from pipeline.report.render import RenderError, RenderResult
from pipeline.report.template import TemplateError, check_template, report_template
from pipeline.warehouse.reads import NoFigures, report_frames, year_figures

REPORT_CODE_VERSION = versions.REPORT


def read_report_inputs(
    conn: duckdb.DuckDBPyConnection, instance: dg.DagsterInstance, year: int, partition: str | None = None,
    graph: Graph = SINGLE,
) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """The year's figures, every table the report lists or charts, and (from the Dagster
    instance) the latest result of each check of the partition, for the appendix."""
    figures, frames = read_inputs(conn, year)
    frames["checks"] = pl.DataFrame(
        check_outcomes(instance, partition or str(year), graph),
        schema={"asset": pl.String, "name": pl.String, "blocking": pl.Boolean, "passed": pl.Boolean},
    )
    return figures, frames


def read_inputs(conn: duckdb.DuckDBPyConnection, year: int) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """The year's figures and every table the report lists or charts, the tasks' statuses as of
    the report's date and the units' missed weeks beside them."""
    try:
        figures = year_figures(conn, year)
    except NoFigures as exc:
        raise dg.Failure(description=str(exc)) from None
    as_of = dt.date.fromisoformat(figures["as_of"])
    frames = report_frames(conn, year, as_of)
    frames["tasks"] = tasks_as_of(frames["tasks"], as_of)
    frames["unit_gaps"] = missing_unit_weeks(frames["dynamics"], as_of)
    return figures, frames


def check_outcomes(instance: dg.DagsterInstance, partition: str, graph: Graph = SINGLE) -> list[dict[str, Any]]:
    """The latest result of every check on the report's upstream assets, for the appendix."""
    specs = [spec for assets_def in graph_assets(graph) for spec in assets_def.check_specs]
    outcomes = latest_check_outcomes(instance, [spec.key for spec in specs], partition)
    return [
        {"asset": spec.key.asset_key.path[-1], "name": spec.key.name, "blocking": spec.blocking,
         "passed": outcomes[spec.key][0] if spec.key in outcomes else None}
        for spec in specs
    ]


def report_assets(graph: Graph) -> dg.AssetsDefinition:
    @dg.asset(
        key=graph.key("progress_report"),
        group_name=graph.group("report"),
        partitions_def=graph.partitions_def,
        pool=graph.pool,
        code_version=REPORT_CODE_VERSION,
        deps=[graph.key(name) for name in ("figures", "dynamics_weekly", "media_monthly", *TABLES)],
        automation_condition=REBUILD,
        kinds={"quarto", "pdf", "html"},
    )
    def progress_report(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths, renderer: ReportRenderer
    ) -> dg.MaterializeResult:
        """The year's report bundle: progress-report.html, .pdf and .docx, figures.json, manifest.json.

        Built in <output>/<year>.tmp-* and swapped in whole; a failed build leaves the previous bundle as it was.
        """
        scope = scope_of(context.partition_key, project, duckdb.database)
        return report_result(context.log, context.instance, scope, project, duckdb, renderer, graph)

    return progress_report


def report_result(
    log: logging.Logger, instance: dg.DagsterInstance, scope: Scope, project: ProjectPaths,
    duckdb: DuckDBResource, renderer: ReportRenderer, graph: Graph,
) -> dg.MaterializeResult:
    """The report step's body for one partition (the district assets' step and a province run's
    batch step both run it): the bundle written, and what the materialisation records."""
    year, program = scope.year, scope.program()
    try:
        template = report_template(scope.raw_path, project.reports_path, program)
        check_template(template)
    except TemplateError as exc:
        raise dg.Failure(description=f"{year}年报告未生成，原报告保留：{exc}") from None
    with scope.warehouse(duckdb).get_connection() as conn:
        figures, frames = read_report_inputs(conn, instance, year, scope.partition, graph)
    read_from = warehouse_stat(scope.database)  # the file as it is once read (and closed)
    target = scope.bundle
    try:
        with staged_year_folder(scope.output_path, year) as folder:
            result = report_bundle(folder, year, program, figures, frames, project.reports_path, renderer.get(), template)
    except (RenderError, MissingFontError, TemplateError) as exc:
        raise dg.Failure(description=f"{year}年报告未生成，原报告保留：{exc}") from None
    log.info(f"rendered with {result.renderer} ({result.version})")
    return dg.MaterializeResult(metadata=bundle_metadata(target, result) | {
        "pages": _page_count(target / "progress-report.pdf") or 0,
        INPUT_FINGERPRINT: report_fingerprint(target, renderer.renderer, template),
        RENDERER_REQUESTED: renderer.renderer,
        WAREHOUSE_STAT: read_from,
        "template": str(template),
    })


def bundle_metadata(target: Path, result: RenderResult) -> dict[str, Any]:
    """Where a bundle's files are, and what rendered it."""
    return {
        "html": dg.MetadataValue.path(str(target / "progress-report.html")),
        "pdf": dg.MetadataValue.path(str(target / "progress-report.pdf")),
        "figures": dg.MetadataValue.path(str(target / "figures.json")),
        "manifest": dg.MetadataValue.path(str(target / "manifest.json")),
        "renderer": result.renderer,
        "renderer_version": result.version,
    }


progress_report = report_assets(SINGLE)
assets = [progress_report]
district_assets = [report_assets(DISTRICT)]


def graph_assets(graph: Graph) -> list[dg.AssetsDefinition]:
    """Every asset of one copy of the graph, upstream first: ingest, metrics, report."""
    if graph is SINGLE:
        return [*ingest.assets, *metrics.assets, *assets]
    return [*ingest.district_assets, *metrics.district_assets, *district_assets]


def _page_count(pdf: Path) -> int | None:
    """Pages of the PDF when poppler's pdfinfo is at hand; the count is a nicety, not a check."""
    if shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else None


