"""The weekly notice's bundle <output>/<year>/notices/<week>/: notice.json, and the notice as HTML,
PDF and Word rendered from reports/notice.qmd by the report's own renderer, page layout and
manifest, staged and swapped in like a report bundle."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import PROJECT_DIR
from pipeline.contract import Program, Week
from pipeline.report.bundle import manifest, source_date_epoch, staged_year_folder, write_json
from pipeline.report.compose import printable
from pipeline.report.notice_context import notice_context
from pipeline.report.render import SUPPORT_FILES, Renderer, RenderResult
from pipeline.report.template import render_qmd
from pipeline.reporting.week_notice import WeekNotice

NOTICE_TEMPLATE = "notice.qmd"
NOTICES = "notices"  # the folder of a year's notices, kept across rebuilds of the year's bundle
NOTICE_FILES = ("notice.html", "notice.pdf", "notice.docx", "notice.json", "manifest.json")


def notice_folder(output_dir: Path, week: Week) -> Path:
    """Where the notice of `week` goes: <output>/<ISO year>/notices/<2023-W20>/."""
    return output_dir / str(week.year) / NOTICES / str(week)


def notice_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in NOTICE_FILES)


@contextmanager
def staged_notice_folder(folder: Path) -> Iterator[Path]:
    """A fresh folder swapped in for the notice folder `folder` if the block succeeds (the report's swap)."""
    with staged_year_folder(folder.parent, folder.name) as staging:
        yield staging


def render_notice(folder: Path, program: Program, document: dict[str, Any], reports_dir: Path,
                  renderer: Renderer) -> RenderResult:
    """Fill reports/notice.qmd with `document` (notice_context's values, or a roll-up's) and render
    notice.html, .pdf and .docx into `folder` in the report's page layout."""
    build = folder / "_build"
    build.mkdir(parents=True)
    for support in SUPPORT_FILES:
        shutil.copyfile(reports_dir / support, build / support)
    template = reports_dir / document.get("template", NOTICE_TEMPLATE)
    qmd = build / NOTICE_TEMPLATE
    qmd.write_text(printable(render_qmd(template.read_text(encoding="utf-8"), document, template.name)), encoding="utf-8")
    week_end = dt.date.fromisoformat(document["week_end"])
    result = renderer.render(qmd, folder, env={"SOURCE_DATE_EPOCH": source_date_epoch(week_end)})
    shutil.rmtree(build)
    return result


def notice_manifest(week: Week, program: Program, sources: pl.DataFrame, result: RenderResult) -> dict[str, Any]:
    """The report's manifest (the dynamics files read, code, packages, renderer) with the week."""
    week_end = week.sunday
    return manifest(week.year, week_end, program.name, sources, result, PROJECT_DIR) | {"week": str(week)}


def build_notice_bundle(folder: Path, program: Program, notice: WeekNotice, sources: pl.DataFrame,
                        reports_dir: Path, renderer: Renderer) -> RenderResult:
    """One week's notice bundle written into `folder`."""
    week = Week.parse(notice.figures["week"])
    result = render_notice(folder, program, notice_context(program, notice), reports_dir, renderer)
    write_json(folder / "notice.json", notice.figures)
    write_json(folder / "manifest.json", notice_manifest(week, program, sources, result))
    return result
