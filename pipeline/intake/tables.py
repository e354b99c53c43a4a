"""One table of one year, from its raw files to counted rows, rejects, duplicates, layout
rows and warnings, with every file and sheet in the inventory. Shared by the ingest assets
and by `python -m pipeline check`."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import duckdb
import polars as pl

from pipeline.contract import WORKBOOK_SUFFIXES, Program, TableSpec
from pipeline.intake.dedupe import dedupe
from pipeline.intake.groups import Mapper, check_sheets
from pipeline.intake.headers import NoHeader, RawTable, find_table
from pipeline.intake.inventory import Entry, year_files
from pipeline.paths import file_sha256, relative_name
from pipeline.intake.places import SHEET, place
from pipeline.intake.rules import (
    FILE,
    NIL_REPORT_SCHEMA,
    WARNING_SCHEMA,
    CheckedRows,
    check_rows,
    unit_warnings,
)
from pipeline.intake.text import ROW, Sheet, UnreadableFile, read_text, scan_texts
from pipeline.intake.values import read_date
from pipeline.intake.workbooks import read_workbook

_WORKERS = min(4, os.cpu_count() or 1)
SOURCE_SCHEMA = {
    FILE: pl.String,
    SHEET: pl.String,
    "sha256": pl.String,
    "encoding": pl.String,
    "rows_read": pl.Int64,
    "error": pl.String,
    "skipped": pl.Boolean,
}
REJECT_SCHEMA = {FILE: pl.String, ROW: pl.Int64, "reason": pl.String, "raw": pl.String}
LAYOUT_SCHEMA = {FILE: pl.String, ROW: pl.Int64, "kind": pl.String, "text": pl.String}
# The pseudo-dataset of files under a year folder that belong to no table.
OTHER_FILES = "other"


@dataclass(frozen=True)
class TableIntake:
    """Everything one table's files gave: each row read is in exactly one of `counted`,
    `rejects`, `duplicates` or `layout`; `sources` has one row per file and per sheet after
    the first, with `error` saying why one was not used (`skipped`: expected clutter). Every
    frame names a row's place in `file` and its sheet in `sheet` (pipeline.intake.places)."""

    spec: TableSpec
    sources: pl.DataFrame
    counted: pl.DataFrame
    rejects: pl.DataFrame
    duplicates: pl.DataFrame
    layout: pl.DataFrame
    warnings: pl.DataFrame
    nil_reports: pl.DataFrame  # the layout rows of kind 零报告: file, row, date, unit

    @property
    def rows_read(self) -> int:
        return int(self.sources.get_column("rows_read").sum())

    @property
    def unusable(self) -> pl.DataFrame:
        """Files and sheets that should have been read and could not."""
        return self.sources.filter(pl.col("error").is_not_null() & ~pl.col("skipped"))


def take_in(raw_dir: Path, year: int, spec: TableSpec, program: Program) -> TableIntake:
    """Read, check and de-duplicate every file of `spec` in raw_dir/<year>/."""
    files = year_files(raw_dir / str(year))
    paths = files.of(spec)
    # Files are read independently, a few at a time, then the sheets of each header checked
    # together: DuckDB and polars release the GIL, so this uses every core. Results come back
    # in file order all the same.
    # One in-memory DuckDB scans them all; closing it hands its memory back before the
    # (large) accepted rows are de-duplicated and stored.
    # Text files that share a header line are scanned together first (one DuckDB scan a group).
    with duckdb.connect() as database, ThreadPoolExecutor(max_workers=max(1, min(_WORKERS, len(paths)))) as pool:
        scanned = scan_texts([p for p in paths if p.suffix.lower() not in WORKBOOK_SUFFIXES], database)
        find = partial(_find_file, raw_dir=raw_dir, spec=spec, program=program, year=year, database=database,
                       scanned=scanned)
        found = [sheet for sheets in pool.map(find, paths) for sheet in sheets]
        outcomes = _checked(found, spec, program, year, pool.map)
    return _intake(spec, program, outcomes, not_read_sources(files.not_read_of(spec.name), raw_dir))


def take_file(path: Path, raw_dir: Path, year: int, spec: TableSpec, program: Program) -> TableIntake:
    """One table file read and checked exactly as `take_in` reads it in its year folder (the same
    reasons, word for word): the intake portal checks an upload with it before storing it.
    `path` lies under `raw_dir`, which names it in the result."""
    with duckdb.connect() as database:
        outcomes = _checked(_find_file(path, raw_dir, spec, program, year, database), spec, program, year)
    return _intake(spec, program, outcomes, [])


def _intake(spec: TableSpec, program: Program, outcomes: list[tuple[dict, CheckedRows | None]],
            not_read: list[dict]) -> TableIntake:
    """The table's intake from its files' sheets and the inventory rows of its files not read."""
    checked = [rows for _, rows in outcomes if rows is not None]
    empty_accepted = pl.DataFrame(schema={FILE: pl.String, ROW: pl.Int64}).with_columns(
        [pl.lit(None, _dtype(c.rule)).alias(c.name) for c in spec.columns]
    )
    all_accepted = pl.concat([empty_accepted, *(c.accepted for c in checked)], how="vertical_relaxed")
    counted, duplicates = dedupe(all_accepted, spec.dedupe_key)
    sources = pl.DataFrame([source for source, _ in outcomes] + not_read, schema=SOURCE_SCHEMA).sort(FILE)
    sheets = sources.select(FILE, SHEET).unique(FILE)
    return TableIntake(
        spec=spec,
        sources=sources,
        counted=_with_sheets(counted, sheets),
        rejects=_with_sheets(_stack([c.rejects for c in checked], REJECT_SCHEMA), sheets),
        duplicates=_with_sheets(duplicates, sheets),
        layout=_with_sheets(_stack([c.layout for c in checked], LAYOUT_SCHEMA), sheets),
        warnings=_with_sheets(_stack([*(c.warnings for c in checked), unit_warnings(counted, program)], WARNING_SCHEMA),
                              sheets),
        nil_reports=_with_sheets(_stack([c.nil_reports for c in checked], NIL_REPORT_SCHEMA), sheets),
    )


def _with_sheets(frame: pl.DataFrame, sheets: pl.DataFrame) -> pl.DataFrame:
    """Rows named by their place (file#sheet, as the rules name them), with their sheet beside it."""
    return frame.join(sheets, on=FILE, how="left", maintain_order="left")


def not_read_sources(entries: list[Entry], raw_dir: Path) -> list[dict]:
    """Inventory rows of files that are not read, each with its reason."""
    return [
        {FILE: e.name(raw_dir), SHEET: None, "sha256": e.sha256(), "encoding": None, "rows_read": 0,
         "error": e.reason, "skipped": e.skipped}
        for e in entries
    ]


def other_files(raw_dir: Path, year: int) -> pl.DataFrame:
    """The inventory of files under the year folder that belong to no table, and of the raw
    folder's own entries that are not read."""
    entries = year_files(raw_dir / str(year)).not_read_of(None)
    return pl.DataFrame(not_read_sources(entries, raw_dir), schema=SOURCE_SCHEMA)


def read_sheets(path: Path, database: duckdb.DuckDBPyConnection | None = None) -> list[Sheet]:
    """Every sheet of a table file (a text file has one)."""
    return read_workbook(path) if path.suffix.lower() in WORKBOOK_SUFFIXES else [read_text(path, database)]


# A sheet as found: its inventory row, its rows under their header (or already checked) unless
# it is not read, and the name of its file.
Found = tuple[dict, RawTable | CheckedRows | None, str]
# A sheet of more rows is checked as soon as it is read, alone, as a frame of that size gains
# nothing from company: a large folder's raw cells are then never all held at once.
GROUPED_ROWS = 5_000


def _find_file(path: Path, raw_dir: Path, spec: TableSpec, program: Program, year: int,
               database: duckdb.DuckDBPyConnection, scanned: dict[Path, Sheet] | None = None) -> list[Found]:
    """Per sheet: its inventory row, and its header and rows (checked when large) unless it is not
    read; `scanned`: text files already read (scan_texts)."""
    name = relative_name(path, raw_dir)
    source = {FILE: name, SHEET: None, "sha256": file_sha256(path), "encoding": None, "rows_read": 0, "error": None,
              "skipped": False}
    try:
        sheets = [scanned[path]] if scanned and path in scanned else read_sheets(path, database)
    except UnreadableFile as exc:
        return [(source | {"error": str(exc)}, None, name)]
    if not sheets:
        return [(source | {"error": "工作簿中没有工作表"}, None, name)]
    found = [_find_sheet(sheet, source, spec, len(sheets)) for sheet in sheets]
    if all(table is None for _, table, _ in found) and not any(o["error"] and not o["skipped"] for o, _, _ in found):
        # no sheet holds the table: the file as a whole is not usable, said on its first sheet
        first = found[0][0]
        reason = first["error"] if len(sheets) == 1 else f"没有一个工作表含本表的表头（{first['error']}）"
        found[0] = (first | {"error": reason, "skipped": False}, None, name)
    return [(source, check_rows(table, spec, program, year, source[FILE])
             if table is not None and table.cells.height > GROUPED_ROWS else table, file)
            for source, table, file in found]


def _find_sheet(sheet: Sheet, source: dict, spec: TableSpec, sheets: int) -> Found:
    file = source[FILE]
    source = source | {FILE: place(file, sheet.name), SHEET: sheet.name, "encoding": sheet.encoding}
    if sheet.skipped:
        return source | {"error": sheet.skipped, "skipped": True}, None, file
    try:
        return source, find_table(sheet, spec), file
    except NoHeader as exc:
        # In a workbook of several sheets, one that names fewer than half the required columns is
        # an instruction or list sheet; one that names more is a data sheet with a broken header.
        required = sum(c.required for c in spec.columns)
        other = sheets > 1 and exc.found * 2 < required
        reason = f"工作表不含本表的表头，未读取（{exc}）" if other else str(exc)
        return source | {"error": reason, "skipped": other}, None, file


def _checked(found: list[Found], spec: TableSpec, program: Program, year: int,
             mapper: Mapper = map) -> list[tuple[dict, CheckedRows | None]]:
    """Per sheet found: its inventory row with the rows it gave, and its checked rows (the
    sheets of one header checked together)."""
    tables = [(table, source[FILE]) for source, table, _ in found if isinstance(table, RawTable)]
    checked = iter(check_sheets(tables, spec, program, year, mapper))
    outcomes: list[tuple[dict, CheckedRows | None]] = []
    for source, table, file in found:
        if table is None:
            outcomes.append((source, None))
            continue
        rows = next(checked) if isinstance(table, RawTable) else table
        if spec.snapshots:
            rows = _dated_by_file_name(rows, file, year)
        outcomes.append((source | {"rows_read": rows.accepted.height + rows.rejects.height + rows.layout.height}, rows))
    return outcomes


def _dated_by_file_name(checked: CheckedRows, file: str, year: int) -> CheckedRows:
    """A snapshot file named by its date (tasks/2023-06-30.xlsx) dates the rows that carry no
    截至日期, on every sheet."""
    stem = Path(file).stem
    day = read_date(stem, year).date if stem else None
    if day is None:
        return checked
    accepted = checked.accepted.with_columns(pl.col("snapshot").fill_null(day))
    return replace(checked, accepted=accepted)


def _dtype(rule: str) -> pl.DataType:
    return {"date": pl.Date(), "count": pl.Int64()}.get(rule, pl.String())


def _stack(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat([pl.DataFrame(schema=schema), *frames]).sort(FILE, ROW)
