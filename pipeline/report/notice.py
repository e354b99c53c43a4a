"""The weekly notice's bundle <output>/<year>/notices/<week>/: notice.json, and the notice as HTML,
PDF and Word rendered from reports/notice.qmd by the report's own renderer, page layout and
manifest, staged and swapped in like a report bundle (documents.py writes it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import PROJECT_DIR
from pipeline.contract import Program, Week
from pipeline.report.bundle import manifest, staged_year_folder
from pipeline.report.render import RenderResult

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


def notice_manifest(week: Week, program: Program, sources: pl.DataFrame, result: RenderResult) -> dict[str, Any]:
    """The report's manifest (the dynamics files read, code, packages, renderer) with the week."""
    week_end = week.sunday
    return manifest(week.year, week_end, program.name, sources, result, PROJECT_DIR) | {"week": str(week)}
