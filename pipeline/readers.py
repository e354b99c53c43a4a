"""Reading one input file (CSV in any of the accepted encodings, or XLSX) into a frame of
text cells numbered by spreadsheet row. No rules are applied here; `validate.py` does that.
"""

from __future__ import annotations

import codecs
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from python_calamine import CalamineWorkbook

from pipeline.sql import load_sql

ROW = "row"
_BLOCK = 1 << 20


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


def read_table_file(path: Path, database: duckdb.DuckDBPyConnection | None = None) -> RawTable:
    """Read a .csv or .xlsx input; raise UnreadableFile with the reason when it is not a table.

    `database`: an in-memory DuckDB to scan CSV files with, shared by the files of one intake.
    """
    table = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path, database)
    if not any(table.header):
        raise UnreadableFile("no header row")
    return table


def _empty_broken() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.Int64, "cells": pl.Int64, "error": pl.String, "raw": pl.String})


def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-8 or gb18030 (what Excel on Chinese Windows writes); never asked of the user.

    The file is read in blocks, so a large file is never held whole just to name its encoding.
    """
    blank, is_utf8, carry = True, True, b""
    with path.open("rb") as handle:
        for index, block in enumerate(iter(lambda: handle.read(_BLOCK), b"")):
            blank = blank and not block.strip()
            if index == 0 and b"\x00" in block[:65536]:
                raise UnreadableFile("binary content, not a CSV text file")
            if index == 0 and block.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if is_utf8:
                whole, carry = _split_utf8(carry + block)
                is_utf8 = _is_utf8(whole)
    if blank:
        raise UnreadableFile("empty file")
    # GB18030 is checked while transcoding (`_transcode`), which decodes the whole file anyway.
    return "utf-8" if is_utf8 and _is_utf8(carry) else "gb18030"


def _split_utf8(data: bytes) -> tuple[bytes, bytes]:
    """Cut off a character that the block boundary split, to be prepended to the next block."""
    for back in range(1, min(4, len(data)) + 1):
        lead = data[-back]
        if lead & 0xC0 != 0x80:  # not a continuation byte: the last character starts here
            length = 1 if lead < 0x80 else 2 if lead >> 5 == 0b110 else 3 if lead >> 4 == 0b1110 else 4
            return (data[:-back], data[-back:]) if length > back else (data, b"")
    return data, b""


def _is_utf8(data: bytes) -> bool:
    # polars validates UTF-8 in native code, about ten times faster than bytes.decode
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True


def _read_csv(path: Path, database: duckdb.DuckDBPyConnection | None) -> RawTable:
    encoding = detect_encoding(path)
    if encoding != "gb18030":
        return _scan_csv(path, encoding, database)
    # DuckDB reads UTF-8 only (other encodings need an extension we cannot download),
    # so a GB18030 file is transcoded to a temporary copy; the raw file is never touched.
    with tempfile.TemporaryDirectory(prefix="cp-transcode-") as tmp:
        copy = Path(tmp) / "transcoded.csv"
        _transcode(path, copy)
        return _scan_csv(copy, encoding, database)


def _transcode(source: Path, target: Path) -> None:
    gb18030 = codecs.getincrementaldecoder("gb18030")()
    try:
        with source.open("rb") as reader, target.open("wb") as writer:
            for block in iter(lambda: reader.read(_BLOCK), b""):
                writer.write(gb18030.decode(block).encode("utf-8"))
            writer.write(gb18030.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile("text is neither UTF-8 nor GB18030") from None


def _scan_csv(path: Path, encoding: str, database: duckdb.DuckDBPyConnection | None) -> RawTable:
    # A cursor on a shared in-memory database is far cheaper than a new connection, and has
    # its own temporary reject tables, so concurrent scans never see each other's rejects.
    conn = database.cursor() if database is not None else duckdb.connect()
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
    del arrow
    if frame.height == 0:
        raise UnreadableFile("no header row")
    frame = frame.rename({old: cell_column(i) for i, old in enumerate(frame.columns)})
    header = ["" if v is None else str(v) for v in frame.row(0)]
    body = frame.slice(1)
    return RawTable(header, _drop_blank(body.with_columns(_line_numbers(body.height, broken))), broken, encoding)


def _line_numbers(height: int, broken: pl.DataFrame) -> pl.Series:
    """DuckDB leaves rows it could not split out of the result; the lines that remain are
    numbered by skipping the line numbers of those rejected rows."""
    lines = pl.int_range(2, height + broken.height + 2, dtype=pl.Int64, eager=True).alias(ROW)
    if broken.is_empty():
        return lines
    return lines.filter(~lines.is_in(broken.get_column(ROW).implode())).head(height)


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
