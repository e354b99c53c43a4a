"""A programme's weekly duty read from its program.yaml: the roster in its order, the entry a
written unit names, the suggestion for a unit on none, and for one week what `notice_figures`
is computed from (the owed weeks up to it, its deadline, the rows tied to their roster entries).
Shared by the weekly notice and the intake portal's status page."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.contract import Program, Week, roster_unit, suggested_unit
from pipeline.reporting.notice import WeekInputs
from pipeline.reporting.weeks import OwedWeeks, owed_weeks

ROWS_SCHEMA = {"unit": pl.String, "member": pl.String, "date": pl.Date, "kind": pl.String}
NIL_SCHEMA = {"unit": pl.String, "member": pl.String, "date": pl.Date}


def members(program: Program) -> list[str] | None:
    """The roster's names in its order; None when program.yaml lists no units."""
    return list(program.unit_names) if program.units else None


def member_of(program: Program, written: str | None) -> str | None:
    """The roster entry a written unit names (by its name or an alias, after NFKC and trimming), or None."""
    return None if written is None else roster_unit(written, program.units)


def with_members(program: Program, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (with a `unit` column as written) with `member`, the roster entry each row names."""
    names = frame.get_column("unit").unique().to_list()
    lookup = pl.DataFrame({"unit": names, "member": [member_of(program, n) for n in names]},
                          schema={"unit": pl.String, "member": pl.String})
    return frame.join(lookup, on="unit", how="left", maintain_order="left")


def first_week(program: Program, first_row: dt.date | None) -> Week | None:
    """The first week owed: reporting.since's, else the week of the year's first dynamics row."""
    since = program.reporting.since or first_row
    return Week.of(since) if since is not None else None


def week_duty(
    program: Program, week: Week, rows: pl.DataFrame, nil: pl.DataFrame, receipts: pl.DataFrame
) -> tuple[dt.datetime, OwedWeeks, WeekInputs]:
    """The week's deadline, the owed weeks up to it and the inputs of its notice. `rows`: the
    year's counted dynamics (`unit`, `date`, `kind`); `nil`: its nil reports (`unit`, `date`);
    `receipts`: the first portal receipt per unit and week (`member`, `week`, `received`)."""
    rows = with_members(program, rows.select("unit", "date", "kind")).select(*ROWS_SCHEMA).cast(ROWS_SCHEMA)
    nil = with_members(program, nil.select("unit", "date")).select(*NIL_SCHEMA).cast(NIL_SCHEMA)
    dated = pl.concat([rows.get_column("date"), nil.get_column("date")])
    first = first_week(program, dated.min())
    # nothing is owed before the first owed week (the year's first dynamics row by default), and
    # the year to date starts with the week's ISO year (a `since` of an earlier year owes from W01)
    first = max(first, Week(week.year, 1)) if first is not None else None
    owed = owed_weeks(first, week, program.reporting.skipped_weeks) if first is not None else OwedWeeks([], {})
    # a name that only sent nil reports is on no roster entry either
    unlisted = sorted({*rows.filter(pl.col("member").is_null()).get_column("unit").to_list(),
                       *nil.filter(pl.col("member").is_null()).get_column("unit").to_list()})
    inputs = WeekInputs(rows, nil, receipts, members(program),
                        {name: suggested_unit(name, program.units) for name in unlisted})
    return program.reporting.deadline_at(week), owed, inputs
