"""Composing a bundle: the template filled from the year's figures and tables, the charts
drawn, the HTML and PDF rendered, figures.json and manifest.json written."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import PROJECT_DIR
from pipeline.contract import Program
from pipeline.report.appendix import link_attachments, write_attachments
from pipeline.report.bundle import manifest, source_date_epoch, write_json
from pipeline.report.integrity import write_manifest
from pipeline.report.context import build_context
from pipeline.report.fonts import REPLACEMENT, drawable, undrawable
from pipeline.report.render import SUPPORT_FILES, Renderer, RenderResult
from pipeline.report.template import render_qmd

TEMPLATE = "progress-report.qmd"


def _draw_charts(build: Path, year: int, program: Program, frames: dict[str, pl.DataFrame]) -> dict[str, str]:
    """Write the PNG charts under build/charts; returns name -> path relative to build."""
    # matplotlib takes seconds to import: only a run that draws pays for it, not every
    # process that loads the definitions (sensor ticks, no-op builds, the UI).
    from pipeline.report import charts  # noqa: PLC0415

    weekly, tasks = frames["dynamics_weekly"], frames["tasks"]
    drawn = {
        "dynamics_cumulative": charts.dynamics_cumulative(weekly, year),
        "dynamics_by_area": charts.dynamics_by_area(weekly, program.areas),
        "media_by_month": charts.media_by_month(frames["media_monthly"], program.media_levels),
        "task_status": charts.task_status(
            tasks, [("重点工作", program.areas), ("重大改革", program.reform_areas)]
        ),
    }
    (build / "charts").mkdir(parents=True)
    for name, png in drawn.items():
        (build / "charts" / f"{name.replace('_', '-')}.png").write_bytes(png)
    return {name: f"charts/{name.replace('_', '-')}.png" for name in drawn}


def printable(text: str) -> str:
    """The report text with every character no installed font has replaced by the replacement
    mark, and a closing note naming them by code point (the rows keep the original)."""
    missing = undrawable(text)
    if not missing:
        return text
    codes = "、".join(f"U+{ord(c):04X}" for c in missing)
    return (f"{drawable(text)}\n\n本报告中有{len(missing)}种字符在本机没有可用字体（{codes}），"
            f"已以“{REPLACEMENT}”代替；原文见数据文件。\n")


def build_bundle(
    folder: Path, year: int, program: Program, figures: dict[str, Any], frames: dict[str, pl.DataFrame],
    template_dir: Path, renderer: Renderer, template: Path | None = None,
) -> RenderResult:
    """Fill the template (`template`, default the built-in one in `template_dir`, where the
    stylesheet, Typst template and Word reference document are), draw the charts and render
    into `folder` (build files under _build)."""
    build = folder / "_build"
    chart_paths = _draw_charts(build, year, program, frames)
    for support in SUPPORT_FILES:
        shutil.copyfile(template_dir / support, build / support)
    context = build_context(program, figures, frames, chart_paths)
    # the rows behind each figure, attached to the PDF and linked from the HTML
    write_attachments(context["figure_sources"], build)
    qmd = build / TEMPLATE
    source = template or template_dir / TEMPLATE
    qmd.write_text(printable(render_qmd(source.read_text(encoding="utf-8"), context, source.name)), encoding="utf-8")
    as_of = dt.date.fromisoformat(figures["as_of"])
    result = renderer.render(qmd, folder, env={"SOURCE_DATE_EPOCH": source_date_epoch(as_of)})
    link_attachments(result.html_path, context["figure_sources"], build)
    shutil.rmtree(build)
    write_json(folder / "figures.json", figures)
    built_from = manifest(year, as_of, program.name, frames["source_files"], result, PROJECT_DIR)
    write_manifest(folder, built_from)
    return result
