"""What a weekly notice reads from the warehouse: the counted dynamics and nil reports dated in its
span (every year it touches) and the dynamics files they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from pipeline.contract import Week
from pipeline.intake.places import placed
from pipeline.reporting.week_notice import NIL_COLUMNS, ROW_COLUMNS, year_span
from pipeline.sql import load_sql


@dataclass(frozen=True)
class NoticeRows:
    rows: pl.DataFrame  # counted dynamics: unit, date, kind
    nil: pl.DataFrame  # nil reports: unit, date
    sources: pl.DataFrame  # the dynamics files of the years read (source_files' columns; `file` a sheet's place)


def read_notice_rows(conn: duckdb.DuckDBPyConnection, week: Week) -> NoticeRows:
    """The rows of the notice of `week`: those dated from its ISO year's first Monday to its Sunday
    (the warehouse as an ingest left it; a roll-up reads its districts' read-only)."""
    first, last = year_span(week)
    span = {"first": first, "last": last}
    rows = conn.sql(load_sql("notice_rows"), params=span).pl().cast(ROW_COLUMNS)
    nil = conn.sql(load_sql("notice_nil_reports"), params=span).pl().cast(NIL_COLUMNS)
    sources = placed(conn.sql(load_sql("notice_sources"), params={"first_year": first.year, "last_year": last.year}).pl())
    return NoticeRows(rows, nil, sources)


def latest_dynamics_date(conn: duckdb.DuckDBPyConnection, year: int) -> dt.date | None:
    """The latest date of the year's dynamics rows, counted or nil reports."""
    return conn.execute(load_sql("notice_latest_date"), {"year": year}).fetchall()[0][0]

