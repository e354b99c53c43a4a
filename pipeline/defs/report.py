"""Group "report": the year-end progress report bundle (HTML, PDF, figures.json,
manifest.json) rendered from reports/progress-report.qmd and the warehouse."""


import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, load_program
from pipeline.defs import ingest, metrics
from pipeline.defs.checks import latest_check_outcomes
from pipeline.defs.partitions import YEARS
from pipeline.defs.raw import REBUILD
from pipeline.defs.resources import WAREHOUSE_POOL, ProjectPaths, ReportRenderer
from pipeline.defs.staleness import INPUT_FINGERPRINT, report_fingerprint
from pipeline.metrics.figures import tasks_as_of
from pipeline.metrics.findings import missing_unit_weeks
from pipeline.report.bundle import read_figures, staged_year_folder
from pipeline.report.compose import build_bundle
from pipeline.report.fonts import MissingFontError
from pipeline.report.render import RenderError
from pipeline.report.template import TemplateError, check_template, report_template
from pipeline.warehouse.sql import load_sql
from pipeline.warehouse.store import read_year

REPORT_CODE_VERSION = "2"
_TABLES = ("dynamics", "media", "meetings", "tasks", "achievements", "rejects", "warnings", "duplicates", "layout_rows", "source_files",
           "dynamics_weekly", "media_monthly")


def read_report_inputs(
    conn: duckdb.DuckDBPyConnection, instance: dg.DagsterInstance, year: int
) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """The year's figures, every table the report lists or charts, and (from the Dagster
    instance) the latest result of each check, for the appendix."""
    figures, frames = _read_inputs(conn, year)
    frames["checks"] = pl.DataFrame(
        _check_outcomes(instance, year),
        schema={"asset": pl.String, "name": pl.String, "blocking": pl.Boolean, "passed": pl.Boolean},
    )
    return figures, frames


def _read_inputs(conn: duckdb.DuckDBPyConnection, year: int) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """The year's figures and every table the report lists or charts."""
    stored = conn.execute("select key, value from figures where year = $year", {"year": year}).fetchall()
    if not stored:
        raise dg.Failure(description=f"no figures for {year} in the warehouse: materialize the metrics first")
    figures = read_figures(dict(stored))
    frames = {name: read_year(conn, name, year) for name in _TABLES}
    as_of = dt.date.fromisoformat(figures["as_of"])
    frames["tasks"] = tasks_as_of(frames["tasks"], as_of)
    frames["media_themes"] = conn.sql(load_sql("report_media_themes"), params={"year": year, "as_of": as_of}).pl()
    frames["row_accounting"] = conn.sql(load_sql("report_row_accounting"), params={"year": year}).pl()
    frames["unit_gaps"] = missing_unit_weeks(read_year(conn, "dynamics", year), as_of)
    return figures, frames


def _check_outcomes(instance: dg.DagsterInstance, year: int) -> list[dict[str, Any]]:
    """The latest result of every check on the report's upstream assets, for the appendix."""
    specs = [spec for assets_def in (*ingest.assets, *metrics.assets) for spec in assets_def.check_specs]
    outcomes = latest_check_outcomes(instance, [spec.key for spec in specs], year)
    return [
        {"asset": spec.key.asset_key.to_user_string(), "name": spec.key.name, "blocking": spec.blocking,
         "passed": outcomes[spec.key][0] if spec.key in outcomes else None}
        for spec in specs
    ]


@dg.asset(
    group_name="report",
    partitions_def=YEARS,
    pool=WAREHOUSE_POOL,
    code_version=REPORT_CODE_VERSION,
    deps=["figures", "dynamics_weekly", "media_monthly", *TABLES],
    automation_condition=REBUILD,
    kinds={"quarto", "pdf", "html"},
)
def progress_report(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths, renderer: ReportRenderer
) -> dg.MaterializeResult:
    """The year's report bundle: progress-report.html and .pdf, figures.json, manifest.json.

    Built in <output>/<year>.tmp-* and swapped in whole; a failed build leaves the previous bundle as it was.
    """
    year = int(context.partition_key)
    program = load_program(project.raw_path)
    try:
        template = report_template(project.raw_path, project.reports_path, program)
        check_template(template)
    except TemplateError as exc:
        raise dg.Failure(description=f"report for {year} not built, previous bundle kept: {exc}") from None
    with duckdb.get_connection() as conn:
        figures, frames = read_report_inputs(conn, context.instance, year)
    target = project.output_path / str(year)
    try:
        with staged_year_folder(project.output_path, year) as folder:
            result = build_bundle(folder, year, program, figures, frames, project.reports_path, renderer.get(), template)
    except (RenderError, MissingFontError) as exc:
        raise dg.Failure(description=f"report for {year} not built, previous bundle kept: {exc}") from None
    context.log.info(f"rendered with {result.renderer} ({result.version})")
    return dg.MaterializeResult(
        metadata={
            "html": dg.MetadataValue.path(str(target / "progress-report.html")),
            "pdf": dg.MetadataValue.path(str(target / "progress-report.pdf")),
            "figures": dg.MetadataValue.path(str(target / "figures.json")),
            "manifest": dg.MetadataValue.path(str(target / "manifest.json")),
            "renderer": result.renderer,
            "renderer_version": result.version,
            "pages": _page_count(target / "progress-report.pdf") or 0,
            INPUT_FINGERPRINT: report_fingerprint(target, renderer.renderer, template),
            "template": str(template),
        }
    )


assets = [progress_report]


def _page_count(pdf: Path) -> int | None:
    """Pages of the PDF when poppler's pdfinfo is at hand; the count is a nicety, not a check."""
    if shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else None


