"""Reading one input file into sheets of text cells numbered by spreadsheet row: text tables
(.csv/.txt/.tsv in any accepted encoding and separator) here, workbooks in `workbooks.py`.
No header is looked for and no rule applied here (`headers.py` and `rules.py` do that)."""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipeline.sql import load_sql

ROW = "row"
_BLOCK = 1 << 20
# A line longer than this is no submission's row (README: Reliability); it is rejected alone.
MAX_LINE_BYTES = 1 << 20
# What a workbook, a .doc or a PDF saved under a .csv name starts with.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


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
            if index == 0 and _looks_binary(block[:65536]):
                raise UnreadableFile("文件内容是二进制数据，不是文本表格")
            if index == 0 and block.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if is_utf8:
                whole, carry = _split_utf8(carry + block)
                is_utf8 = _is_utf8(whole)
    if blank:
        raise UnreadableFile("空文件")
    # GB18030 is checked line by line while the file is copied as UTF-8 (`_repair`).
    return "utf-8" if is_utf8 and _is_utf8(carry) else "gb18030"


def _looks_binary(head: bytes) -> bool:
    """A binary file, not a text table with a stray NUL (that line alone is rejected): control
    bytes other than tab and line breaks are in no text table."""
    controls = sum(head.count(byte) for byte in (*range(0, 9), 11, 12, *range(14, 32)))
    return head.startswith(_BINARY_MAGIC) or controls > max(2, len(head) // 100)


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
    plain = encoding in ("utf-8", "utf-8-sig") and not _has_nul_or_blank_line(path)
    if plain and (sheet := _scan_text(path, encoding, database)) is not None:
        return sheet
    # DuckDB reads UTF-8 only (other encodings need an extension we cannot download), so the
    # file is transcoded to a temporary copy; the raw file is never touched. Lines that cannot
    # be read (a NUL, bytes of no encoding, over MAX_LINE_BYTES) are left out of the copy as
    # blank lines and come back as rejected rows.
    with tempfile.TemporaryDirectory(prefix="cp-transcode-") as tmp:
        copy = Path(tmp) / "transcoded.csv"
        if encoding == "utf-16":
            _transcode(path, copy, encoding)
            bad = empty_broken()
        else:
            encoding, bad = _repair(path, copy, encoding)
        sheet = None
        if bad.is_empty() and not _has_nul_or_blank_line(copy):
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
            if encoding not in ("utf-8", "utf-8-sig") or _has_nul_or_blank_line(path):
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


def _has_nul_or_blank_line(path: Path) -> bool:
    """Whether the file has a NUL or an empty line (a few memchr-speed scans per block)."""
    previous = None
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            joined = (previous or b"") + block
            if b"\x00" in block or b"\n\n" in joined or b"\n\r\n" in joined:
                return True
            if previous is None and block.startswith((b"\n", b"\r\n")):  # the file starts with a blank line
                return True
            previous = block[-2:]
    return False


def _lines(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) of each line; a line over MAX_LINE_BYTES is not held whole."""
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            too_long = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
            while too_long and (rest := handle.readline(_BLOCK)) and not rest.endswith(b"\n"):
                pass
            yield number, line, too_long


def _repair(source: Path, target: Path, encoding: str) -> tuple[str, pl.DataFrame]:
    """Write the readable lines to `target` as UTF-8; returns the encoding most lines are in
    (UTF-8 when most lines with non-ASCII bytes are UTF-8, else GB18030) and the lines left out."""
    if encoding == "gb18030":
        non_ascii = utf8 = 0
        for _, line, too_long in _lines(source):
            if not too_long and not line.isascii():
                non_ascii += 1
                utf8 += _decodes(line, "utf-8")
        encoding = "utf-8" if utf8 * 2 > non_ascii else "gb18030"  # GB18030 text is hardly ever valid UTF-8
    bad: list[tuple[int, str, str]] = []
    readable = 0
    with target.open("wb") as writer:
        for number, line, too_long in _lines(source):
            reason = _bad_line(line, too_long, encoding)
            readable += reason is None and bool(line.strip())
            if reason is None:
                text = line.decode(encoding)
                writer.write((text.lstrip("\ufeff") if number == 1 else text).encode("utf-8"))
            else:
                bad.append((number, reason, line[:200].decode(encoding, errors="replace").replace("\x00", "")))
                writer.write(b"\n")
    if not readable and any(reason == _UNKNOWN_ENCODING for _, reason, _ in bad):
        raise UnreadableFile("文件编码无法识别（可读取 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）")
    return encoding, pl.DataFrame(
        [(n, None, reason, raw) for n, reason, raw in bad], schema=empty_broken().schema, orient="row"
    )


def _bad_line(line: bytes, too_long: bool, encoding: str) -> str | None:
    if too_long:
        return f"该行超过{MAX_LINE_BYTES // 2**20} MB，未读取"
    if b"\x00" in line:
        return "该行含有空字符（NUL），未读取"
    if not _decodes(line, encoding):
        return _UNKNOWN_ENCODING
    return None


_UNKNOWN_ENCODING = "该行含有无法识别的字符编码（文件其余各行可读取），未读取"


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(source: Path, target: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open("rb") as reader, target.open("wb") as writer:
            for block in iter(lambda: reader.read(_BLOCK), b""):
                writer.write(decoder.decode(block).lstrip("\ufeff").encode("utf-8"))
            writer.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile("文件编码无法识别（可读取 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）") from None


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
