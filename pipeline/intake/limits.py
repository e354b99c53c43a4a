"""Checking a workbook before it is loaded: a reader builds a sheet from A1 to its last cell,
so one cell at XFD1048576 (or a declared dimension that large) would ask for billions of
cells, and a small zip can unpack to gigabytes. Both are refused from the zip's directory and
a streaming scan of each sheet's XML, before any cell is read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.config import WorkbookLimits
from pipeline.intake.text import UnreadableFile

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_CELL_REF = re.compile(rb'<(?:\w+:)?(?:c|dimension)\s[^>]*?\br(?:ef)?="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_CHUNK = 1 << 20


def check_workbook(path: Path, limits: WorkbookLimits | None = None) -> None:
    """Raise UnreadableFile (with the reason in Chinese) when the workbook exceeds a limit."""
    if path.suffix.lower() not in ZIP_SUFFIXES:
        return  # .xls is at most 65,536 x 256 cells by its format
    limits = limits or WorkbookLimits.from_environment()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.uncompressed_mb * 2**20:
                raise UnreadableFile(
                    f"工作簿解压后有 {unpacked / 2**20:,.0f} MB，超过上限 {limits.uncompressed_mb} MB"
                    "（文件可能已损坏或被构造），未读取"
                )
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _check_extent(archive, member, limits)
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - zipfile and zlib raise many types for a damaged archive
        return  # a damaged zip: the reader names it unreadable with its own reason


def _check_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: WorkbookLimits) -> None:
    rows = columns = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            for match in _CELL_REF.finditer(text):
                last_column, last_row = (match[3], match[4]) if match[3] else (match[1], match[2])
                columns, rows = max(columns, _column_number(last_column)), max(rows, int(last_row))
            tail = text[-200:]
    if columns > limits.sheet_columns or rows * columns > limits.sheet_cells:
        raise UnreadableFile(
            f"工作表（工作簿内的 {Path(member.filename).name}）从A1到最后一个单元格共 {rows:,} 行 × {columns:,} 列，超过上限"
            f"（{limits.sheet_cells:,} 个单元格、{limits.sheet_columns:,} 列），未读取；"
            "请删除远处的空白格式或多余单元格后重新报送"
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
