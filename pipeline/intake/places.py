"""Where a row comes from. The warehouse keeps a row's `file` (its path from the raw folder) and
its `sheet` apart (null for a text file and for a workbook's first sheet). In memory, from the
intake to the report, `file` holds the row's place as people read it: the file, and `#sheet`
after it for another sheet of a workbook; `sheet` stays beside it, so the file is always known
without splitting a name (`#` is a character like any other in a file name)."""

from __future__ import annotations

import polars as pl

FILE = "file"
SHEET = "sheet"
SHEET_MARK = "#"


def place(file: str, sheet: str | None) -> str:
    """A row's place: `2022/tasks.xlsx` (text file, first sheet) or `2022/tasks.xlsx#重大改革`."""
    return file if sheet is None else f"{file}{SHEET_MARK}{sheet}"


def file_of(place_name: str, sheet: str | None) -> str:
    """The file of a place whose sheet is known (the inverse of `place`)."""
    return place_name if sheet is None else place_name[: len(place_name) - len(SHEET_MARK) - len(sheet)]


def placed(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows as the warehouse holds them (file and sheet apart) -> `file` naming each row's place."""
    if SHEET not in frame.columns:
        return frame
    sheet = pl.col(SHEET)
    return frame.with_columns(
        pl.when(sheet.is_null()).then(pl.col(FILE)).otherwise(pl.col(FILE) + SHEET_MARK + sheet).alias(FILE)
    )


def unplaced(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose `file` names their place -> the file alone, as the warehouse holds it."""
    if SHEET not in frame.columns:
        return frame
    sheet, file = pl.col(SHEET), pl.col(FILE)
    length = file.str.len_chars() - sheet.str.len_chars() - len(SHEET_MARK)
    return frame.with_columns(pl.when(sheet.is_null()).then(file).otherwise(file.str.slice(0, length)).alias(FILE))
