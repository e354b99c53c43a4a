"""Reading a workbook (.xlsx, .xlsm, .xls, .ods, as Excel and WPS save them) into one
`Sheet` per worksheet, with merged cells spread over their whole range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from pipeline.intake.limits import check_workbook
from pipeline.intake.text import (
    ROW,
    Sheet,
    UnreadableFile,
    cell_column,
    drop_blank,
    empty_broken,
)


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet; hidden sheets and chart sheets come back with `skipped` set. A workbook
    over a size limit (limits.py) is unreadable before it is loaded."""
    check_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = book.sheets_metadata
    except Exception:  # calamine raises its own zip/xml/cfb error types
        raise UnreadableFile("无法作为 Excel/WPS 工作簿读取（文件已损坏，或内容与扩展名不符）") from None
    sheets, kind = [], path.suffix.lower().lstrip(".")
    for index, meta in enumerate(metadata):
        name = None if index == 0 else meta.name
        if meta.typ != SheetTypeEnum.WorkSheet:
            sheets.append(_skipped(name, "图表工作表，不含数据行"))
        elif meta.visible != SheetVisibleEnum.Visible:
            sheets.append(_skipped(name, f"隐藏的工作表“{meta.name}”（如下拉选项列表），未读取"))
        else:
            try:
                rows = book.get_sheet_by_index(index)
                sheets.append(_sheet(name, rows.to_python(skip_empty_area=False), rows.merged_cell_ranges or [], kind))
            except Exception:
                raise UnreadableFile(f"工作表“{meta.name}”无法读取（文件已损坏）") from None
    return sheets


def _skipped(name: str | None, reason: str) -> Sheet:
    return Sheet(name, pl.DataFrame(schema={ROW: pl.Int64}), empty_broken(), "", skipped=reason)


def _cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(name: str | None, values: list[list[object]], merged: list, kind: str) -> Sheet:
    cells = [[_cell(v) for v in row] for row in values]
    width = max((len(r) for r in cells), default=0)
    cells = [r + [None] * (width - len(r)) for r in cells]
    # A row is read when it has a value of its own; one that merging alone fills (the empty
    # rows a merged unit cell reaches into) is spacing, like any empty row.
    own = [any(v is not None for v in row) for row in cells]
    for (top, left), (bottom, right) in merged:
        value = cells[top][left] if top < len(cells) and left < width else None
        for r in range(top, min(bottom, len(cells) - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                cells[r][c] = value
    frame = pl.DataFrame(cells, schema={cell_column(i): pl.String for i in range(width)}, orient="row")
    frame = frame.with_columns(pl.int_range(1, len(cells) + 1, dtype=pl.Int64).alias(ROW))
    frame = frame.filter(pl.Series(own, dtype=pl.Boolean)) if cells else frame
    return Sheet(name, drop_blank(frame), empty_broken(), kind)
