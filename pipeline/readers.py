"""Reading one input file (CSV in any of the accepted encodings, or XLSX) into a frame of
text cells numbered by spreadsheet row. No rules are applied here; `validate.py` does that.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from python_calamine import CalamineWorkbook

from pipeline.sql import load_sql

ROW = "row"


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; the message is the reason."""


@dataclass(frozen=True)
class RawTable:
    """A file's header and its data rows as text, before any rule.

    `cells` has the spreadsheet row number in `_row` and cells in `c0..cN`;
    `broken` holds rows the reader itself could not split: row, cells (when it had too
    many), the reader's error, and the raw line.
    """

    header: list[str]
    cells: pl.DataFrame
    broken: pl.DataFrame
    encoding: str


def cell_column(i: int) -> str:
    return f"c{i}"


def read_table_file(path: Path) -> RawTable:
    """Read a .csv or .xlsx input; raise UnreadableFile with the reason when it is not a table."""
    reader = _read_xlsx if path.suffix.lower() == ".xlsx" else _read_csv
    table = reader(path)
    if not any(table.header):
        raise UnreadableFile("no header row")
    return table


def _empty_broken() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.Int64, "cells": pl.Int64, "error": pl.String, "raw": pl.String})


def detect_encoding(data: bytes) -> str:
    """utf-8-sig, utf-8 or gb18030 (what Excel on Chinese Windows writes); never asked of the user."""
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary content, not a CSV text file")
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise UnreadableFile("text is neither UTF-8 nor GB18030") from None


def _read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("empty file")
    encoding = detect_encoding(data)
    if encoding != "gb18030":
        return _scan_csv(path, encoding)
    # DuckDB reads UTF-8 only (other encodings need an extension we cannot download),
    # so a GB18030 file is transcoded to a temporary copy; the raw file is never touched.
    with tempfile.TemporaryDirectory(prefix="cp-transcode-") as tmp:
        copy = Path(tmp) / "transcoded.csv"
        copy.write_text(data.decode("gb18030"), encoding="utf-8")
        return _scan_csv(copy, encoding)


def _scan_csv(path: Path, encoding: str) -> RawTable:
    conn = duckdb.connect()
    try:
        try:
            arrow = conn.sql(load_sql("read_csv_cells"), params={"path": str(path)}).to_arrow_table()
        except duckdb.Error as exc:
            raise UnreadableFile(f"not a readable CSV table ({str(exc).splitlines()[0]})") from None
        broken = conn.sql(load_sql("read_csv_rejects")).pl()
    finally:
        conn.close()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        raise UnreadableFile("no header row")
    frame = frame.rename({old: cell_column(i) for i, old in enumerate(frame.columns)})
    header = ["" if v is None else str(v) for v in frame.row(0)]
    body = frame.slice(1)
    # DuckDB leaves rows it could not split out of the result; the lines that remain are
    # numbered by skipping the line numbers of those rejected rows.
    total_lines = body.height + broken.height
    lines = pl.DataFrame({ROW: pl.int_range(2, total_lines + 2, eager=True, dtype=pl.Int64)})
    kept = lines.join(broken.select(ROW), on=ROW, how="anti").sort(ROW)
    body = body.with_columns(kept.get_column(ROW).head(body.height).alias(ROW))
    return RawTable(header, _drop_blank(body), broken, encoding)


def _xlsx_cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> RawTable:
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own zip/xml error types
        raise UnreadableFile(f"not a readable XLSX workbook ({exc})") from None
    first_row = sheet.start[0] if sheet.start else 0
    cells = [[_xlsx_cell(v) for v in row] for row in rows]
    header_at = next((i for i, row in enumerate(cells) if any(v is not None for v in row)), None)
    if header_at is None:
        raise UnreadableFile("the first sheet is empty")
    width = max(len(r) for r in cells)
    columns = [cell_column(i) for i in range(width)]
    body = cells[header_at + 1 :]
    frame = pl.DataFrame(
        [r + [None] * (width - len(r)) for r in body], schema={c: pl.String for c in columns}, orient="row"
    ).with_columns(pl.int_range(0, len(body), dtype=pl.Int64).add(first_row + header_at + 2).alias(ROW))
    header = ["" if v is None else v for v in cells[header_at]]
    return RawTable(header, _drop_blank(frame), _empty_broken(), "xlsx")


def _drop_blank(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows with no cell at all are spacing in a spreadsheet, not rows read."""
    cells = [c for c in frame.columns if c != ROW]
    if not cells:
        return frame.select(ROW).clear()
    return frame.filter(pl.any_horizontal(pl.col(cells).is_not_null())).select(ROW, *cells)
