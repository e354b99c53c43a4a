"""A programme's notice of one week from its rows: the roster (names and aliases) matched to the
written units, the owed weeks of the ISO year up to the week (from `reporting.since`, else the
year's first week with a dynamics row), the suggestions for unlisted units; pure, no Dagster.

A week belongs to its ISO year (the year of its Thursday); a week that straddles New Year
reads the rows of both calendar years, and the year to date starts at the ISO year's first week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.contract import Program, Week, roster_unit, suggested_unit
from pipeline.reporting.notice import WeekInputs, notice_figures
from pipeline.reporting.weeks import OwedWeeks, owed_weeks

ROWS_SCHEMA = {"unit": pl.String, "date": pl.Date, "kind": pl.String}
NIL_SCHEMA = {"unit": pl.String, "date": pl.Date}
RECEIPTS_SCHEMA = {"member": pl.String, "week": pl.String, "received": pl.Datetime("us", "Asia/Shanghai")}


@dataclass(frozen=True)
class WeekNotice:
    """notice.json's figures, and what the documents say besides: the weeks of the year that
    were not owed (week -> 跳过 / 放假), the calendar's note when it does not cover the year,
    and whether the units owed come from a roster."""

    figures: dict[str, Any]
    exempt: dict[Week, str]
    calendar_note: str | None
    has_roster: bool


def year_span(week: Week) -> tuple[dt.date, dt.date]:
    """The days a notice of `week` reads: from the Monday of its ISO year's first week to its Sunday."""
    return Week(week.year, 1).monday, week.sunday


def latest_week(rows: pl.DataFrame, nil: pl.DataFrame) -> Week | None:
    """The week of the latest dated dynamics row (counted or nil report): the default week."""
    dates = [d for d in (rows.get_column("date").max(), nil.get_column("date").max()) if d is not None]
    return Week.of(max(dates)) if dates else None


def _with_member(frame: pl.DataFrame, program: Program) -> pl.DataFrame:
    """`member`: the roster entry a row's written unit names, by name or alias; null if on none."""
    members = {unit: roster_unit(unit, program.units) for unit in frame.get_column("unit").unique().to_list()}
    return frame.with_columns(pl.col("unit").replace_strict(members, default=None, return_dtype=pl.String).alias("member"))


def _first_owed(program: Program, week: Week, rows: pl.DataFrame, nil: pl.DataFrame) -> Week | None:
    """The year's first owed week: `since` (not before the ISO year), else its first week with a row."""
    if program.reporting.since is not None:
        return max(Week.of(program.reporting.since), Week(week.year, 1))
    dates = [d for d in (rows.get_column("date").min(), nil.get_column("date").min()) if d is not None]
    return Week.of(min(dates)) if dates else None


def week_notice(program: Program, week: Week, rows: pl.DataFrame, nil: pl.DataFrame, receipts: pl.DataFrame) -> WeekNotice:
    """The notice of `week`: `rows` are counted dynamics (`unit` as written, `date`, `kind`),
    `nil` nil reports (`unit`, `date`), `receipts` the portal's first receipts (`member`,
    `week`, `received`); rows outside the ISO year up to the week's Sunday are left out."""
    first_day, last_day = year_span(week)
    rows = _with_member(rows.filter(pl.col("date").is_between(first_day, last_day)), program)
    nil = _with_member(nil.filter(pl.col("date").is_between(first_day, last_day)), program)
    first = _first_owed(program, week, rows, nil)
    owed = owed_weeks(first, week, program.reporting.skipped_weeks) if first is not None else OwedWeeks([], {})
    unlisted = set(rows.filter(pl.col("member").is_null()).get_column("unit").to_list())
    unlisted |= set(nil.filter(pl.col("member").is_null()).get_column("unit").to_list())
    inputs = WeekInputs(
        rows=rows, nil=nil, receipts=receipts, members=list(program.unit_names) or None,
        suggestions={unit: suggested_unit(unit, program.units) for unit in sorted(unlisted)},
    )
    figures = notice_figures(week, program.reporting.deadline_at(week), owed, inputs)
    return WeekNotice(figures, owed.exempt, owed.note, bool(program.units))
