"""Reading one input file into sheets of text cells numbered by spreadsheet row: text tables
(.csv/.txt/.tsv in any accepted encoding and separator) here, workbooks in `workbooks.py`.
No header is looked for and no rule applied here (`headers.py` and `rules.py` do that)."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipeline.intake.encodings import (
    MAX_LINE_BYTES,
    UnreadableFile,
    detect_encoding,
    has_nul_or_blank_line,
    repair,
    transcode,
)
from pipeline.sql import load_sql

ROW = "row"


@dataclass(frozen=True)
class Sheet:
    """One sheet (a text file has one) as text cells: spreadsheet row number in `row`, cells
    in `c0..cN`, blank rows left out. `broken` holds lines the reader itself could not split:
    row, cells (when it had too many), the reader's error, and the raw line.
    `name` is None for a text file or a workbook's first sheet. `skipped` says why a sheet
    is not to be read at all (hidden, a chart); such a sheet has no cells."""

    name: str | None
    grid: pl.DataFrame
    broken: pl.DataFrame
    encoding: str
    skipped: str | None = None


def cell_column(i: int) -> str:
    return f"c{i}"


def empty_broken() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.Int64, "cells": pl.Int64, "error": pl.String, "raw": pl.String})


def read_text(path: Path, database: duckdb.DuckDBPyConnection | None = None) -> Sheet:
    """A .csv/.txt/.tsv file as one sheet; `database`: an in-memory DuckDB to scan it with."""
    encoding = detect_encoding(path)
    plain = encoding in ("utf-8", "utf-8-sig") and not has_nul_or_blank_line(path)
    if plain and (sheet := _scan_text(path, encoding, database)) is not None:
        return sheet
    # DuckDB reads UTF-8 only (other encodings need an extension we cannot download), so the
    # file is transcoded to a temporary copy; the raw file is never touched. Lines that cannot
    # be read (a NUL, bytes of no encoding, over MAX_LINE_BYTES) are left out of the copy as
    # blank lines and come back as rejected rows.
    with tempfile.TemporaryDirectory(prefix="cp-transcode-") as tmp:
        copy = Path(tmp) / "transcoded.csv"
        if encoding == "utf-16":
            transcode(path, copy, encoding)
            bad = empty_broken()
        else:
            encoding, left_out = repair(path, copy, encoding)
            bad = pl.DataFrame([(n, None, reason, raw) for n, reason, raw in left_out], schema=empty_broken().schema,
                               orient="row")
        sheet = None
        if bad.is_empty() and not has_nul_or_blank_line(copy):
            sheet = _scan_text(copy, encoding, database)
        # DuckDB skips blank lines, which would shift the numbers of the rows below them, and
        # its sniffer gives up on some files Excel writes (a line break inside a quoted header
        # cell in a CRLF file); Python's csv module numbers and reads them as Excel does.
        sheet = sheet or _read_with_csv_module(copy, encoding)
    broken = pl.concat([sheet.broken, bad]).sort(ROW)
    return Sheet(None, sheet.grid.filter(~pl.col(ROW).is_in(bad[ROW].implode())), broken, encoding)


def scan_texts(paths: list[Path], database: duckdb.DuckDBPyConnection) -> dict[Path, Sheet]:
    """The small plain UTF-8 files among `paths` (no NUL, no blank line) that share their first
    line with another, each group in one DuckDB scan of its file list, split per file after:
    what `read_text` gives each of them alone (the same cells, numbered the same). A group the
    one scan cannot read (files of different widths, a line DuckDB cannot split) is left out,
    for `read_text` to read file by file, as is every other file."""
    groups: dict[tuple[str, bytes], list[Path]] = {}
    for path in paths:
        try:
            if path.stat().st_size > _BATCHED_BYTES:
                continue
            encoding = detect_encoding(path)
            if encoding not in ("utf-8", "utf-8-sig") or has_nul_or_blank_line(path):
                continue
            with path.open("rb") as handle:
                first = handle.readline(MAX_LINE_BYTES)
        except (OSError, UnreadableFile):
            continue  # read_text says why, file by file
        groups.setdefault((encoding, first), []).append(path)
    sheets: dict[Path, Sheet] = {}
    for (encoding, _), group in groups.items():
        if len(group) > 1:
            sheets |= _scan_texts(group, encoding, database)
    return sheets


def _scan_texts(group: list[Path], encoding: str, database: duckdb.DuckDBPyConnection) -> dict[Path, Sheet]:
    conn = database.cursor()
    try:
        arrow = conn.sql(load_sql("read_csv_cells_of_files"), params={"paths": [str(p) for p in group]}).to_arrow_table()
    except duckdb.Error:
        return {}
    finally:
        conn.close()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    by_file = frame.partition_by("filename", as_dict=True, maintain_order=True, include_key=False)
    sheets = {}
    for path in group:
        part = by_file.get((str(path),))
        if part is None:
            return {}  # a file the scan gave no line of: read alone, it says why
        sheets[path] = _sheet(part, empty_broken(), encoding)
    return sheets


# Files up to this size are read together with the others of their first line (scan_texts):
# a week's submission is a few kilobytes; a large file is read alone, as it is checked alone.
_BATCHED_BYTES = 1 << 18


def _scan_text(path: Path, encoding: str, database: duckdb.DuckDBPyConnection | None) -> Sheet | None:
    """The file through DuckDB's reader; None when DuckDB cannot scan it."""
    # A cursor on a shared in-memory database is far cheaper than a new connection, and has
    # its own temporary reject tables, so concurrent scans never see each other's rejects.
    conn = database.cursor() if database is not None else duckdb.connect()
    try:
        try:
            arrow = conn.sql(load_sql("read_csv_cells"), params={"path": str(path)}).to_arrow_table()
        except duckdb.Error:
            return None
        broken = conn.sql(load_sql("read_csv_rejects")).pl()
    finally:
        conn.close()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    del arrow
    return _sheet(frame, broken, encoding)


def _sheet(frame: pl.DataFrame, broken: pl.DataFrame, encoding: str) -> Sheet:
    """A text file's sheet from DuckDB's columns of its lines (and the lines it could not split)."""
    frame = frame.rename({old: cell_column(i) for i, old in enumerate(frame.columns)})
    return Sheet(None, drop_blank(frame.with_columns(_line_numbers(frame.height, broken))), broken, encoding)


def _read_with_csv_module(path: Path, encoding: str) -> Sheet:
    """A text table through Python's csv module: every record is a row, numbered as Excel would."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(1 << 16)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            handle.seek(0)
            csv.field_size_limit(MAX_LINE_BYTES)
            records = list(csv.reader(handle, delimiter=dialect.delimiter, quotechar='"'))
    except (csv.Error, UnicodeDecodeError):
        raise UnreadableFile("无法作为文本表格读取（分隔符或引号不一致）") from None
    width = max((len(r) for r in records), default=0)
    schema = {cell_column(i): pl.String for i in range(width)}
    rows = [[v if v.strip() else None for v in r] + [None] * (width - len(r)) for r in records]
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.int_range(1, len(rows) + 1, dtype=pl.Int64).alias(ROW)
    )
    return Sheet(None, drop_blank(frame), empty_broken(), encoding)


def _line_numbers(height: int, broken: pl.DataFrame) -> pl.Series:
    """DuckDB leaves rows it could not split out of the result; the lines that remain are
    numbered by skipping the line numbers of those rejected rows."""
    lines = pl.int_range(1, height + broken.height + 1, dtype=pl.Int64, eager=True).alias(ROW)
    if broken.is_empty():
        return lines
    return lines.filter(~lines.is_in(broken.get_column(ROW).implode())).head(height)


def drop_blank(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows with no cell at all are spacing in a spreadsheet, not rows read; `row` comes first."""
    cells = [c for c in frame.columns if c != ROW]
    if not cells:
        return frame.select(ROW).clear()
    return frame.filter(pl.any_horizontal(pl.col(cells).is_not_null())).select(ROW, *cells)
