"""The weeks a member unit owes its work dynamics (ISO weeks: `pipeline.contract.weeks`): from
the programme's first week on, less the weeks the office declares exempt and the weeks whose
Monday to Friday China's official calendar gives off (the Spring Festival week, the National Day
week), from the maintained `chinese-calendar` library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar

from pipeline.contract.weeks import Week


class CalendarNotCovered(LookupError):
    """chinese-calendar has no official holiday schedule for the year yet (the State Council
    publishes each year's in the November before); the message says so in Chinese."""


@cache
def _days_off(week: Week) -> bool:
    """Whether Monday to Friday of `week` are all holidays or rest days in China's official calendar."""
    try:
        return not any(chinese_calendar.is_workday(week.day(weekday)) for weekday in range(1, 6))
    except NotImplementedError:
        raise CalendarNotCovered(
            f"节假日日历（chinese-calendar）尚未收录{week.year}年的放假安排：该年各周均按应报送计算，"
            "放假的周次请写入 program.yaml 的 reporting.skip_weeks"
        ) from None


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from `first` to `last`, both included."""
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week = week.following()
    return weeks


@dataclass(frozen=True)
class OwedWeeks:
    """The weeks owed from a first week up to a last one, and a note when the calendar could not
    say which weeks a holiday took (those weeks are then owed)."""

    weeks: list[Week]
    exempt: dict[Week, str]  # week -> why it is not owed (跳过 / 放假)
    note: str | None = None


def owed_weeks(first: Week, last: Week, skip: Iterable[Week] = ()) -> OwedWeeks:
    """The weeks from `first` to `last` a unit owes: less `skip` (the office's exempt weeks) and
    the weeks whose working days are all off in the official calendar."""
    skipped, owed, exempt, note = set(skip), [], {}, None
    for week in weeks_between(first, last):
        if week in skipped:
            exempt[week] = "跳过"
            continue
        try:
            off = _days_off(week)
        except CalendarNotCovered as uncovered:
            off, note = False, str(uncovered)
        if off:
            exempt[week] = "放假"
        else:
            owed.append(week)
    return OwedWeeks(owed, exempt, note)
