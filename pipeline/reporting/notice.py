"""The figures of one week's submission notice (报送情况通报, `notice.json`): which units owed the
week, who reported (a counted 动态 or 信息 row dated in it, or a nil report), who did not and for
how many owed weeks in a row, who was late, the units on no roster entry, and every unit's year
to date. A pure function of the year's rows; CONTRACT section 7 states the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.contract import Week
from pipeline.reporting.weeks import OwedWeeks

# a streak of missed owed weeks is named from this length on
STREAK_FROM = 2


@dataclass(frozen=True)
class WeekInputs:
    """What a notice is computed from. `rows`: the year's counted dynamics (`unit` as written,
    `member`: its roster entry or null, `date`, `kind`); `nil`: nil reports (`unit`, `member`,
    `date`); `receipts`: the first portal receipt per unit and week (`member`, `week`, `received`,
    a time-zone-aware datetime); `members`: the roster in its order, None without one."""

    rows: pl.DataFrame
    nil: pl.DataFrame
    receipts: pl.DataFrame
    members: Sequence[str] | None
    suggestions: dict[str, str | None]  # unlisted name -> the roster name it resembles, or None


def _weeks_reported(inputs: WeekInputs, last: Week) -> dict[str, set[Week]]:
    """Unit (the roster name, or without a roster the name written) -> the weeks it reported in, up to `last`."""
    who = "member" if inputs.members is not None else "unit"
    dated = pl.concat([inputs.rows.select(who, "date"), inputs.nil.select(who, "date")])
    dated = dated.filter(pl.col(who).is_not_null() & (pl.col("date") <= last.sunday))
    reported: dict[str, set[Week]] = {}
    for unit, day in dated.iter_rows():
        reported.setdefault(unit, set()).add(Week.of(day))
    return reported


def _units(inputs: WeekInputs, reported: dict[str, set[Week]]) -> list[str]:
    """The units a notice lists: the roster, or without one every unit that ever reported, by its first week."""
    if inputs.members is not None:
        return list(inputs.members)
    return sorted(reported, key=lambda unit: (min(reported[unit]), unit))


def _owed_by(unit: str, inputs: WeekInputs, owed: OwedWeeks, reported: dict[str, set[Week]]) -> list[Week]:
    """The owed weeks a unit owed: all of them on a roster; without one, those after its first report."""
    if inputs.members is not None:
        return owed.weeks
    first = min(reported.get(unit, set()), default=None)
    return [week for week in owed.weeks if first is not None and week > first]


def _streak(owed_by: list[Week], weeks: set[Week]) -> int:
    """Owed weeks missed in a row up to the last owed week (weeks not owed neither break nor extend it)."""
    streak = 0
    for week in reversed(owed_by):
        if week in weeks:
            break
        streak += 1
    return streak


def _counted(rows: pl.DataFrame, unit_column: str, unit: str, until: dt.date) -> tuple[int, int]:
    mine = rows.filter((pl.col(unit_column) == unit) & (pl.col("date") <= until))
    return mine.filter(pl.col("kind") == "动态").height, mine.filter(pl.col("kind") == "信息").height


def notice_figures(week: Week, deadline: dt.datetime, owed: OwedWeeks, inputs: WeekInputs) -> dict[str, Any]:
    """notice.json for `week`; `owed`: the owed weeks from the first owed week up to `week`."""
    reported = _weeks_reported(inputs, week)
    units = _units(inputs, reported)
    who = "member" if inputs.members is not None else "unit"
    by_unit, expected, missing, streaks = [], [], [], {}
    for unit in units:
        owed_by = _owed_by(unit, inputs, owed, reported)
        weeks = reported.get(unit, set())
        if week in owed_by:
            expected.append(unit)
            if week not in weeks:
                missing.append(unit)
                if (streak := _streak(owed_by, weeks)) >= STREAK_FROM:
                    streaks[unit] = streak
        dynamics, info = _counted(inputs.rows, who, unit, week.sunday)
        done = [w for w in owed_by if w in weeks]
        by_unit.append({"unit": unit, "weeks_expected": len(owed_by), "weeks_reported": len(done),
                        "dynamics": dynamics, "info": info, "last_week": str(max(done)) if done else None})
    in_week = inputs.rows.filter(pl.col("date").is_between(week.monday, week.sunday))
    return {
        "week": str(week),
        "week_start": week.monday.isoformat(),
        "week_end": week.sunday.isoformat(),
        "deadline": deadline.isoformat(),
        "units_expected": expected,
        "reported": [unit for unit in units if week in reported.get(unit, set())],
        "missing": missing,
        "missing_streak": streaks,
        "nil_reports": _in_order(units, _nil_in(inputs, who, week)),
        "late": _in_order(units, _late(inputs, week, deadline)),
        "unlisted": _unlisted(inputs, week),
        "dynamics_week": in_week.filter(pl.col("kind") == "动态").height,
        "info_week": in_week.filter(pl.col("kind") == "信息").height,
        "by_unit": by_unit,
    }


def _in_order(units: list[str], found: set[str]) -> list[str]:
    return [unit for unit in units if unit in found]


def _nil_in(inputs: WeekInputs, who: str, week: Week) -> set[str]:
    nil = inputs.nil.filter(pl.col("date").is_between(week.monday, week.sunday) & pl.col(who).is_not_null())
    return set(nil.get_column(who).to_list())


def _late(inputs: WeekInputs, week: Week, deadline: dt.datetime) -> set[str]:
    """Units whose first portal receipt for the week came after its deadline (files put in the
    folder by hand have no receipt, so no lateness is judged for them)."""
    receipts = inputs.receipts.filter((pl.col("week") == str(week)) & pl.col("member").is_not_null())
    first: dict[str, dt.datetime] = {}
    for member, received in receipts.select("member", "received").iter_rows():
        first[member] = min(first.get(member, received), received)
    return {member for member, received in first.items() if received > deadline}


def _unlisted(inputs: WeekInputs, week: Week) -> list[dict[str, Any]]:
    """Written names on no roster entry (in counted rows or nil reports), with the roster name
    they resemble and their counted rows to date."""
    if inputs.members is None:
        return []
    stray = inputs.rows.filter(pl.col("member").is_null() & (pl.col("date") <= week.sunday))
    counts = dict(stray.group_by("unit").agg(pl.len()).iter_rows())
    # a name that only sent nil reports is on no roster entry either: the office must see it
    nil = inputs.nil.filter(pl.col("member").is_null() & (pl.col("date") <= week.sunday))
    names = sorted(set(counts) | set(nil.get_column("unit").to_list()))
    return [{"unit": unit, "suggestion": inputs.suggestions.get(unit), "rows": counts.get(unit, 0)} for unit in names]
