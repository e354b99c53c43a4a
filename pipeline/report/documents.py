"""Every document the pipeline writes, as a registry entry of the bundle writer (writer.py): its
template, its files' name and its charts. A new document or chart is an entry here and a template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

from pipeline.config import PROJECT_DIR
from pipeline.contract import Program, Week
from pipeline.report.bundle import manifest
from pipeline.report.context import build_context
from pipeline.report.notice import NOTICE_TEMPLATE, notice_manifest
from pipeline.report.notice_context import notice_context, rollup_notice_context
from pipeline.report.render import Renderer, RenderResult
from pipeline.report.rollup import ROLLUP_TEMPLATE, district_row, rollup_context
from pipeline.report.writer import Document, DocumentInputs, write_bundle
from pipeline.reporting.week_notice import WeekNotice

TEMPLATE = "progress-report.qmd"
# The roll-up's files carry the district reports' names: a roll-up bundle is a bundle like any other.
BUNDLE_STEM = "progress-report"


def _charts() -> ModuleType:
    # matplotlib is slow to import (README, Performance): only a run that draws pays for it, not every
    # process that loads the definitions (sensor ticks, no-op builds, the UI).
    from pipeline.report import charts  # noqa: PLC0415

    return charts


REPORT = Document(TEMPLATE, BUNDLE_STEM, "figures.json", attachments=True, charts={
    "dynamics_cumulative": lambda d: _charts().dynamics_cumulative(d.frames["dynamics_weekly"], d.year),
    "dynamics_by_area": lambda d: _charts().dynamics_by_area(d.frames["dynamics_weekly"], d.program.areas),
    "media_by_month": lambda d: _charts().media_by_month(d.frames["media_monthly"], d.program.media_levels),
    "task_status": lambda d: _charts().task_status(
        d.frames["tasks"], [("重点工作", d.program.areas), ("重大改革", d.program.reform_areas)]),
})
ROLLUP = Document(ROLLUP_TEMPLATE, BUNDLE_STEM, "figures.json", charts={
    "districts": lambda d: _charts().districts_compared(
        [(r["district"], r["dynamics"], r["info"], r["media"])
         for r in (district_row(e["district"], e) for e in d.data["districts"])]),
})
NOTICE = Document(NOTICE_TEMPLATE, "notice", "notice.json", sealed=False)


def report_bundle(
    folder: Path, year: int, program: Program, figures: dict[str, Any], frames: dict[str, pl.DataFrame],
    template_dir: Path, renderer: Renderer, template: Path | None = None,
) -> RenderResult:
    """A district's (or a single programme's) year report: `template` an office's own, else the built-in one."""
    as_of = dt.date.fromisoformat(figures["as_of"])
    return write_bundle(
        folder, REPORT, DocumentInputs(year, program, figures, frames),
        lambda charts: build_context(program, figures, frames, charts),
        lambda result: manifest(year, as_of, program.name, frames["source_files"], result, PROJECT_DIR),
        template_dir, renderer, as_of, template)


def rollup_bundle(
    folder: Path, year: int, program: Program, figures: dict[str, Any],
    frames: Mapping[str, Mapping[str, pl.DataFrame]], district_figures_sha256: Mapping[str, str],
    template_dir: Path, renderer: Renderer,
) -> RenderResult:
    """The roll-up report over the districts' figures and tables (district -> its frames)."""
    as_of = dt.date.fromisoformat(figures["as_of"])

    def built_from(result: RenderResult) -> dict[str, Any]:
        sources = pl.concat(
            [f["source_files"].with_columns((pl.lit(f"{d}/") + pl.col("file")).alias("file")) for d, f in frames.items()],
            how="vertical_relaxed",
        )
        return manifest(year, as_of, program.name, sources, result, PROJECT_DIR) | {"districts": [
            {"district": d, "figures_json": f"{d}/{year}/figures.json", "sha256": district_figures_sha256[d]}
            for d in frames]}

    return write_bundle(folder, ROLLUP, DocumentInputs(year, program, figures, frames),
                        lambda charts: rollup_context(program, figures, frames, charts), built_from,
                        template_dir, renderer, as_of)


def notice_bundle(folder: Path, program: Program, notice: WeekNotice, sources: pl.DataFrame,
                  reports_dir: Path, renderer: Renderer) -> RenderResult:
    """One week's notice of one programme."""
    week = Week.parse(notice.figures["week"])
    return write_bundle(folder, NOTICE, DocumentInputs(week.year, program, notice.figures),
                        lambda _charts: notice_context(program, notice),
                        lambda result: notice_manifest(week, program, sources, result),
                        reports_dir, renderer, dt.date.fromisoformat(notice.figures["week_end"]))


def rollup_notice_bundle(folder: Path, program: Program, figures: dict[str, Any], districts_sha256: dict[str, str],
                         reports_dir: Path, renderer: Renderer) -> RenderResult:
    """One week's roll-up notice over its districts' notices (district -> its notice.json's SHA-256)."""
    week = Week.parse(figures["week"])
    return write_bundle(
        folder, NOTICE, DocumentInputs(week.year, program, figures), lambda _charts: rollup_notice_context(program, figures),
        lambda result: {"week": str(week), "program": program.name, "districts": districts_sha256,
                        "renderer": {"name": result.renderer, "version": result.version}},
        reports_dir, renderer, dt.date.fromisoformat(figures["week_end"]))
