"""ISO weeks as offices name them: `2023-W20` (Monday to Sunday), 2023年第20周 in a notice."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
