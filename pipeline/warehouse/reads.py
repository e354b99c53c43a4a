"""What the metrics, the report and the roll-up read of a year from the warehouse: its figures,
every table the report lists or charts, where each row of each input table went, its latest date.
The per-table parts of these statements are written from `contract.TABLES` (identifiers of our code)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import polars as pl

from pipeline.contract import TABLES
from pipeline.sql import load_sql
from pipeline.warehouse.store import BOOKKEEPING, read_year

SERIES = ("dynamics_weekly", "media_monthly")
REPORT_TABLES = (*TABLES, *BOOKKEEPING, *SERIES)
QUALITY_TABLES = ("achievements", "rejects", "warnings", "layout_rows", "source_files")


class NoFigures(LookupError):
    """The warehouse holds no figures of the year (metrics has not run for it)."""


def year_figures(conn: duckdb.DuckDBPyConnection, year: int) -> dict[str, Any]:
    """The year's figures as figures.json holds them (the table keeps each value as JSON text)."""
    stored = conn.execute(load_sql("figures_of_year"), {"year": year}).fetchall()
    if not stored:
        raise NoFigures(f"数据仓库中没有 {year} 年的数字：请先生成 metrics（figures）")
    return {key: json.loads(value) for key, value in stored}


def report_frames(conn: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> dict[str, pl.DataFrame]:
    """Every table the report lists or charts, as stored for the year."""
    frames = {name: read_year(conn, name, year) for name in REPORT_TABLES}
    frames["media_themes"] = conn.sql(load_sql("report_media_themes"), params={"year": year, "as_of": as_of}).pl()
    frames["row_accounting"] = row_accounting(conn, year)
    return frames


def quality_frames(conn: duckdb.DuckDBPyConnection, year: int) -> dict[str, pl.DataFrame]:
    """What a roll-up shows of a district: its achievements and where each of its rows went."""
    frames = {name: read_year(conn, name, year) for name in QUALITY_TABLES}
    frames["row_accounting"] = row_accounting(conn, year)
    return frames


def row_accounting(conn: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """Per input table of the year: files and rows read, and where every row went."""
    counted = "\n        union all ".join(
        f"select '{name}' as dataset, count(*) as n from {name} where year = $year" for name in TABLES)
    return conn.sql(load_sql("report_row_accounting").replace("{counted}", counted), params={"year": year}).pl()


def latest_input_date(conn: duckdb.DuckDBPyConnection, year: int) -> dt.date | None:
    """The latest date in the year's accepted rows of every dated input table."""
    dated = " union all ".join(f"select date from {spec.name} where year = $year" for spec in TABLES.values() if spec.dated)
    return conn.execute(load_sql("latest_input_date").replace("{dated}", dated), {"year": year}).fetchall()[0][0]
