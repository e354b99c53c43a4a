"""A programme's notice of one week from its rows: the week's duty (`duty.week_duty`: the roster
matched, the owed weeks from `reporting.since` or the year's first dynamics row) over the rows
of the week's ISO year up to its Sunday, and what the documents say besides; pure, no Dagster.

A week belongs to its ISO year (the year of its Thursday); a week that straddles New Year
reads the rows of both calendar years, and the year to date starts at the ISO year's first week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.contract import Program, Week
from pipeline.reporting.duty import week_duty
from pipeline.reporting.notice import notice_figures

# what the notice reads: counted dynamics (the unit as written) and nil reports
ROW_COLUMNS = {"unit": pl.String, "date": pl.Date, "kind": pl.String}
NIL_COLUMNS = {"unit": pl.String, "date": pl.Date}


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


def week_notice(program: Program, week: Week, rows: pl.DataFrame, nil: pl.DataFrame, receipts: pl.DataFrame) -> WeekNotice:
    """The notice of `week`: `rows` are counted dynamics (`unit` as written, `date`, `kind`),
    `nil` nil reports (`unit`, `date`), `receipts` the portal's first receipts (`member`,
    `week`, `received`); rows outside the ISO year up to the week's Sunday are left out."""
    first_day, last_day = year_span(week)
    in_span = pl.col("date").is_between(first_day, last_day)
    deadline, owed, inputs = week_duty(program, week, rows.filter(in_span), nil.filter(in_span), receipts)
    return WeekNotice(notice_figures(week, deadline, owed, inputs), owed.exempt, owed.note, bool(program.units))
