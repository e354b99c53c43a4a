"""The appendix of figure sources: for each figure counted from rows, its files and row ranges,
a bounded listing of its rows for the HTML, and the CSV of all of them that the PDF attaches
and the HTML links to (cells a spreadsheet would run as a formula are neutralised)."""

from __future__ import annotations

import base64
import re
import datetime as dt
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
from markupsafe import Markup, escape

from pipeline.contract import TABLES
from pipeline.metrics.figures import report_tables
from pipeline.metrics.sources import KEY_SEPARATOR, ROW_FIGURES, rows_of, stated_value

# The HTML lists this many rows of a figure; all of them are in its CSV.
HTML_ROWS_SHOWN = 100
# The figures' CSVs are also carried in the HTML as download links (data: URIs, so the page
# still opens offline), in the appendix's order while they add up to this; the others are in
# the PDF's attachments only.
HTML_CSV_BUDGET = 32 * 1024 * 1024
# ... and names this many of its files, each with this many of its row ranges.
HTML_FILES_LISTED = 20
HTML_RANGES_LISTED = 12
SOURCES_DIR = "sources"
# Where the bundle writer (writer.py) puts a figure's CSV into the rendered HTML: the renderers never see the data.
_CSV_LINK = "data:text/csv;charset=utf-8;base64,@rows-{id}@"
# A cell starting with = + - or @ is run by Excel or WPS as a formula (=HYPERLINK(...),
# +cmd|' /C calc'!A0, @SUM(...)); a leading tab or CR starts one in some versions.
_FORMULA_START = r"^[=+\-@\t\r]"


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell that starts like a formula prefixed with ' (which a
    spreadsheet shows as text and does not print)."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_START)).then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )


def spreadsheet_csv(frame: pl.DataFrame, path: Path) -> None:
    """Write `frame` as a CSV for an office to open: UTF-8 with a BOM (Excel then reads the
    Chinese right), formula-looking cells neutralised."""
    path.write_bytes(b"\xef\xbb\xbf" + neutralised(frame).write_csv().encode("utf-8"))


def figure_sources(figures: Mapping[str, Any], frames: Mapping[str, pl.DataFrame]) -> list[dict[str, Any]]:
    """One appendix entry per figure counted from rows: its anchor, label, value, the files
    and row ranges behind it, its first rows (HTML table) and all of them (`frame`, the CSV)."""
    as_of = dt.date.fromisoformat(str(figures["as_of"]))
    tables = report_tables({name: frames[name] for name in TABLES if name in frames}, as_of)
    entries = []
    order = list(ROW_FIGURES)
    stated = sorted((figures.get("sources") or {}).items(), key=lambda item: order.index(item[0].partition(KEY_SEPARATOR)[0]))
    for index, (key, files) in enumerate(stated, start=1):
        name, _, sub = key.partition(KEY_SEPARATOR)
        figure = ROW_FIGURES[name]
        rows = rows_of(key, tables)[1] if figure.dataset in tables else None
        listed = None if rows is None else rows.select("file", "row", *_main_fields(rows, figure.dataset))
        anchor = f"src-{index}"
        entries.append({
            "key": key,
            "id": anchor,
            "label": f"{figure.label}：{sub}" if sub else figure.label,
            "value": stated_value(key, figures),
            "unit": figure.unit,
            "files": [{"file": f, "ranges": _ranges_shown(r)} for f, r in list(files.items())[:HTML_FILES_LISTED]],
            "files_more": max(0, len(files) - HTML_FILES_LISTED),
            "files_summary": files_summary(list(files)),
            "rows": 0 if listed is None else listed.height,
            "shown": 0 if listed is None else min(listed.height, HTML_ROWS_SHOWN),
            "table": Markup("") if listed is None else _rows_html(listed.head(HTML_ROWS_SHOWN), figure.dataset),
            "csv_name": attachment_name(key),
            "csv_link": Markup(_CSV_LINK.format(id=anchor)),
            "frame": listed,
            "linked": False,
        })
    return entries


def _ranges_shown(ranges: str) -> str:
    """A file's row ranges as the HTML states them: 2-5、7、9-20, the first few of a long list."""
    pieces = ranges.split(",")
    if len(pieces) <= HTML_RANGES_LISTED:
        return "、".join(pieces)
    return "、".join(pieces[:HTML_RANGES_LISTED]) + f"等{len(pieces)}段"


def attachment_name(key: str) -> Markup:
    """A figure's CSV is named by its key (dynamics_total.csv); a character that could make it
    a path, or markup in the HTML, becomes _."""
    return Markup(re.sub(r"[^\w.\-]", "_", key) + ".csv")


def files_summary(files: list[str]) -> str:
    """The files behind a figure in a few words: the file, or how many under which folder."""
    if len(files) <= 1:
        return files[0] if files else "无"
    folder = posixpath.commonpath(files)
    return f"{folder}/下{len(files)}个文件" if folder else f"{len(files)}个文件"


def _main_fields(rows: pl.DataFrame, dataset: str) -> list[str]:
    return [c.name for c in TABLES[dataset].columns if c.name in rows.columns]


def _rows_html(rows: pl.DataFrame, dataset: str) -> Markup:
    """The rows as an HTML table (escaped), for the HTML's <details>."""
    labels = {"file": "文件", "row": "行"} | {c.name: c.chinese[0] for c in TABLES[dataset].columns}
    head = "".join(f"<th>{escape(labels[f])}</th>" for f in rows.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in values) + "</tr>"
        for values in rows.iter_rows()
    )
    return Markup(f'<table class="figure-rows"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def write_attachments(entries: list[dict[str, Any]], build: Path) -> None:
    """Each figure's rows as build/sources/<key>.csv, which the PDF attaches; an entry's
    `linked` says whether the HTML carries it too (within HTML_CSV_BUDGET)."""
    (build / SOURCES_DIR).mkdir()
    budget = HTML_CSV_BUDGET
    for entry in entries:
        csv = build / SOURCES_DIR / entry["csv_name"]
        if entry["frame"] is not None:
            spreadsheet_csv(entry["frame"], csv)
        size = csv.stat().st_size if csv.is_file() else None
        entry["linked"] = size is not None and size <= budget
        budget -= size if entry["linked"] else 0


def link_attachments(html: Path, entries: list[dict[str, Any]], build: Path) -> None:
    """Put each linked figure's CSV into the rendered HTML's download link."""
    text = html.read_text(encoding="utf-8")
    for entry in entries:
        placeholder = _CSV_LINK.format(id=entry["id"])
        csv = build / SOURCES_DIR / entry["csv_name"]
        if entry["linked"] and placeholder in text:
            encoded = base64.b64encode(csv.read_bytes()).decode("ascii")
            text = text.replace(placeholder, placeholder.replace(f"@rows-{entry['id']}@", encoded))
    html.write_text(text, encoding="utf-8")
