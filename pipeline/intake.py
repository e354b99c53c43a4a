"""One table of one year, from its raw files to counted rows, rejects, duplicates and
warnings. Shared by the ingest assets and by `python -m pipeline check`."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb
import polars as pl

from pipeline.contract import Program, TableSpec, file_sha256, relative_name, table_files
from pipeline.readers import ROW, UnreadableFile, read_table_file
from pipeline.validate import FILE, CheckedRows, check_rows, dedupe, unit_warnings

_WORKERS = min(4, os.cpu_count() or 1)
SOURCE_SCHEMA = {
    FILE: pl.String,
    "sha256": pl.String,
    "encoding": pl.String,
    "rows_read": pl.Int64,
    "error": pl.String,
}


@dataclass(frozen=True)
class TableIntake:
    """Everything one table's files gave: each row read is in exactly one of
    `counted`, `rejects` or `duplicates`; `sources` has one row per file."""

    spec: TableSpec
    sources: pl.DataFrame
    counted: pl.DataFrame
    rejects: pl.DataFrame
    duplicates: pl.DataFrame
    warnings: pl.DataFrame

    @property
    def rows_read(self) -> int:
        return int(self.sources.get_column("rows_read").sum())


def take_in(raw_dir: Path, year: int, spec: TableSpec, program: Program) -> TableIntake:
    """Read, check and de-duplicate every file of `spec` in raw_dir/<year>/."""
    paths = table_files(raw_dir / str(year), spec)
    # Files are read and checked independently, a few at a time: DuckDB and polars release
    # the GIL, so this uses every core. Results come back in file order all the same.
    # One in-memory DuckDB scans them all; closing it hands its memory back before the
    # (large) accepted rows are de-duplicated and stored.
    with duckdb.connect() as database, ThreadPoolExecutor(max_workers=max(1, min(_WORKERS, len(paths)))) as pool:
        take = partial(_take_file, raw_dir=raw_dir, year=year, spec=spec, program=program, database=database)
        outcomes = list(pool.map(take, paths))
    sources = [source for source, _ in outcomes]
    accepted = [checked.accepted for _, checked in outcomes if checked is not None]
    rejects = [checked.rejects for _, checked in outcomes if checked is not None]

    empty_accepted = pl.DataFrame(schema={FILE: pl.String, ROW: pl.Int64}).with_columns(
        [pl.lit(None, _dtype(c.rule)).alias(c.name) for c in spec.columns]
    )
    all_accepted = pl.concat([empty_accepted, *accepted], how="vertical_relaxed")
    counted, duplicates = dedupe(all_accepted, spec.dedupe_key)
    return TableIntake(
        spec=spec,
        sources=pl.DataFrame(sources, schema=SOURCE_SCHEMA),
        counted=counted,
        rejects=_stack(rejects, {FILE: pl.String, ROW: pl.Int64, "reason": pl.String, "raw": pl.String}),
        duplicates=duplicates,
        warnings=unit_warnings(counted, program).sort(FILE, ROW),
    )


def _take_file(
    path: Path, raw_dir: Path, year: int, spec: TableSpec, program: Program, database: duckdb.DuckDBPyConnection
) -> tuple[dict, CheckedRows | None]:
    """One file's inventory row, and its checked rows unless it cannot be read at all."""
    name = relative_name(path, raw_dir)
    source = {FILE: name, "sha256": file_sha256(path), "encoding": None, "rows_read": 0, "error": None}
    try:
        raw = read_table_file(path, database)
        checked = check_rows(raw, spec, program, year, name)
    except UnreadableFile as exc:
        return source | {"error": str(exc)}, None
    read = checked.accepted.height + checked.rejects.height
    return source | {"encoding": raw.encoding, "rows_read": read}, checked


def _dtype(rule: str) -> pl.DataType:
    return {"date": pl.Date(), "count": pl.Int64()}.get(rule, pl.String())


def _stack(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat([pl.DataFrame(schema=schema), *frames]).sort(FILE, ROW)
