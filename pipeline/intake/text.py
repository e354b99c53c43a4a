"""Reading one input file into sheets of text cells numbered by spreadsheet row: text tables
(.csv/.txt/.tsv in any accepted encoding and separator) here, workbooks in `workbooks.py`.
No header is looked for and no rule applied here (`headers.py` and `validate.py` do that)."""

from __future__ import annotations

import codecs
import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipeline.warehouse.sql import load_sql

ROW = "row"
_BLOCK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; the message is the reason, in Chinese."""


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


def detect_encoding(path: Path) -> str:
    """utf-16 (with BOM, as Excel's "Unicode text" writes it), utf-8-sig, utf-8 or gb18030
    (what Excel on Chinese Windows writes); never asked of the user.

    The file is read in blocks, so a large file is never held whole just to name its encoding.
    """
    blank, is_utf8, carry = True, True, b""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(f"文件无法打开（{exc.strerror}）") from None
    with handle:
        for index, block in enumerate(iter(lambda: handle.read(_BLOCK), b"")):
            blank = blank and not block.strip()
            if index == 0 and block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            if index == 0 and b"\x00" in block[:65536]:
                raise UnreadableFile("文件内容是二进制数据，不是文本表格")
            if index == 0 and block.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if is_utf8:
                whole, carry = _split_utf8(carry + block)
                is_utf8 = _is_utf8(whole)
    if blank:
        raise UnreadableFile("空文件")
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
    # polars validates UTF-8 in native code, without decoding the text into Python strings
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True


def read_text(path: Path, database: duckdb.DuckDBPyConnection | None = None) -> Sheet:
    """A .csv/.txt/.tsv file as one sheet; `database`: an in-memory DuckDB to scan it with."""
    encoding = detect_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        return _scan_text(path, encoding, database)
    # DuckDB reads UTF-8 only (other encodings need an extension we cannot download),
    # so the file is transcoded to a temporary copy; the raw file is never touched.
    with tempfile.TemporaryDirectory(prefix="cp-transcode-") as tmp:
        copy = Path(tmp) / "transcoded.csv"
        _transcode(path, copy, encoding)
        return _scan_text(copy, encoding, database)


def _transcode(source: Path, target: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open("rb") as reader, target.open("wb") as writer:
            for block in iter(lambda: reader.read(_BLOCK), b""):
                writer.write(decoder.decode(block).lstrip("\ufeff").encode("utf-8"))
            writer.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile("文件编码无法识别（可读取 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）") from None


def _scan_text(path: Path, encoding: str, database: duckdb.DuckDBPyConnection | None) -> Sheet:
    # A cursor on a shared in-memory database is far cheaper than a new connection, and has
    # its own temporary reject tables, so concurrent scans never see each other's rejects.
    conn = database.cursor() if database is not None else duckdb.connect()
    try:
        try:
            arrow = conn.sql(load_sql("read_csv_cells"), params={"path": str(path)}).to_arrow_table()
        except duckdb.Error:
            # DuckDB's sniffer gives up on some files Excel writes (a line break inside a
            # quoted header cell in a CRLF file); Python's csv module reads them as Excel does.
            return _read_with_csv_module(path, encoding)
        broken = conn.sql(load_sql("read_csv_rejects")).pl()
    finally:
        conn.close()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    del arrow
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
