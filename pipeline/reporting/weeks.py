"""ISO weeks as offices name them (`2023-W20`, 第20周), and the weeks a member unit owes its
work dynamics: from the programme's first week on, less the weeks the office declares exempt and
the weeks whose Monday to Friday China's official calendar gives off (the Spring Festival week,
the National Day week), from the maintained `chinese-calendar` library."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar

_WEEK = re.compile(r"([0-9]{4})-W([0-9]{1,2})")


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (Monday to Sunday)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @classmethod
    def parse(cls, text: str) -> Week:
        """`2023-W20`; a ValueError in Chinese for anything else, or a week the year does not have."""
        found = _WEEK.fullmatch(text.strip())
        if found is None:
            raise ValueError(f"“{text}”不是周次（应写作如2023-W20）")
        year, number = int(found[1]), int(found[2])
        try:
            dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"{year}年没有第{number}周") from None
        return cls(year, number)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def label(self) -> str:
        """How a notice names it: 2023年第20周."""
        return f"{self.year}年第{self.number}周"

    def day(self, weekday: int) -> dt.date:
        """The week's day `weekday` (1 Monday .. 7 Sunday)."""
        return dt.date.fromisocalendar(self.year, self.number, weekday)

    @property
    def monday(self) -> dt.date:
        return self.day(1)

    @property
    def sunday(self) -> dt.date:
        return self.day(7)

    def following(self) -> Week:
        return Week.of(self.monday + dt.timedelta(days=7))


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
