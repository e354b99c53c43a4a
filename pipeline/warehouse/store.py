"""Reading and replacing one year's slice of a warehouse table (polars <-> DuckDB via Arrow)."""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.intake.places import placed, unplaced
from pipeline.intake.tables import OTHER_FILES, TableIntake
from pipeline.warehouse.schema import ensure_schema

# the tables that say where each row of a year went, besides the counted rows themselves
BOOKKEEPING = ("rejects", "duplicates", "warnings", "layout_rows", "source_files")


def replace_year(
    conn: duckdb.DuckDBPyConnection, table: str, year: int, frame: pl.DataFrame, dataset: str | None = None,
    in_transaction: bool = False,
) -> None:
    """Swap the rows of `year` (and `dataset`, for the shared bookkeeping tables) for `frame`,
    all or nothing: a failure (a full disk) leaves the old rows, which Dagster's records still
    describe, rather than a year with no rows. `in_transaction`: the caller has one open.

    `table` and the frame's column names come from our own code, never from input files. A
    frame's `file` names each row's place (file#sheet); the warehouse keeps the file alone.
    """
    scope = "year = $year" + (" and dataset = $dataset" if dataset else "")
    params: dict[str, object] = {"year": year} | ({"dataset": dataset} if dataset else {})
    staged = unplaced(frame).with_columns(pl.lit(year, pl.Int32).alias("year"))
    if dataset:
        staged = staged.with_columns(pl.lit(dataset).alias("dataset"))
    columns = ", ".join(f'"{c}"' for c in staged.columns)
    conn.register("staging_slice", staged.to_arrow())
    own = not in_transaction
    if own:
        conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table} where {scope}", params)
        conn.execute(f"insert into {table} ({columns}) select {columns} from staging_slice")
        if own:
            conn.execute("commit")
    except BaseException:
        if own:
            conn.execute("rollback")
        raise
    finally:
        conn.unregister("staging_slice")



def read_year(conn: duckdb.DuckDBPyConnection, table: str, year: int) -> pl.DataFrame:
    """The year's rows, each naming its place in `file` (file#sheet), its sheet beside it."""
    return placed(conn.sql(f"select * exclude (year) from {table} where year = $year", params={"year": year}).pl())


def store_intake(conn: duckdb.DuckDBPyConnection, year: int, intake: TableIntake) -> None:
    """Replace the year's slice of a table and of the bookkeeping tables (and of its nil
    reports, for dynamics) in one transaction."""
    name = intake.spec.name
    ensure_schema(conn)
    conn.execute("begin transaction")
    replace_year(conn, name, year, intake.counted, in_transaction=True)
    replace_year(conn, "source_files", year, intake.sources, dataset=name, in_transaction=True)
    replace_year(conn, "rejects", year, intake.rejects, dataset=name, in_transaction=True)
    replace_year(conn, "duplicates", year, intake.duplicates, dataset=name, in_transaction=True)
    replace_year(conn, "warnings", year, intake.warnings, dataset=name, in_transaction=True)
    replace_year(conn, "layout_rows", year, intake.layout, dataset=name, in_transaction=True)
    if intake.spec.nil_report:
        replace_year(conn, "nil_reports", year, intake.nil_reports, in_transaction=True)
    conn.execute("commit")


def store_other_files(conn: duckdb.DuckDBPyConnection, year: int, sources: pl.DataFrame) -> None:
    """Replace the year's inventory of files that belong to no table."""
    ensure_schema(conn)
    replace_year(conn, "source_files", year, sources, dataset=OTHER_FILES)
