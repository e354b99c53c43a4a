"""program.yaml's `reporting` key: the weekly reporting rules (the first week owed, the deadline,
the reminder, the exempt weeks)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from pipeline.contract.limits import EARLIEST_YEAR, LATEST_YEAR, MAX_SKIP_WEEKS, bounded_tuple, repeated
from pipeline.contract.weeks import Week

# China has kept one offset all year since 1991: the fixed offset is Asia/Shanghai exactly.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
WEEKDAYS = "一二三四五六日"
DEFAULT_DEADLINE = "周五 17:00"
# A reminder not set in program.yaml goes out at this time of the deadline's day (README: program.yaml).
DEFAULT_REMINDER_TIME = dt.time(10, 0)
_WEEKLY_TIME = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])\s*([01]?\d|2[0-3]):([0-5]\d)")
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
MODEL = ConfigDict(frozen=True, extra="forbid", strict=True)


def _nfkc(value: object) -> object:
    return " ".join(unicodedata.normalize("NFKC", value).split()) if isinstance(value, str) else value


def _weekly_time(value: object) -> object:
    """周五 17:00, 星期五17:00, 周五 9:00 -> 周五 09:00 (the canonical spelling); anything else but
    None (no reminder) is refused here, so the optional reminder's union never reports per branch."""
    if value is None:
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("weekly_time", "expected a weekday and a time", {"input": value})
    match = _WEEKLY_TIME.fullmatch(str(_nfkc(value)))
    if match is None:
        raise PydanticCustomError("weekly_time", "expected a weekday and a time", {"input": value})
    day = "日" if match[1] == "天" else match[1]
    return f"周{day} {int(match[2]):02d}:{match[3]}"


def _week(value: object) -> object:
    """2023-W18, 2023W5, 2023-w05 -> 2023-W05; a week the year does not have is refused."""
    if not isinstance(value, str):
        return value
    match = _WEEK.fullmatch(str(_nfkc(value)))
    if match is None:
        raise PydanticCustomError("iso_week", "expected an ISO week", {"input": value})
    try:
        dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise PydanticCustomError("iso_week", "expected an ISO week", {"input": value}) from None
    _within_years(int(match[1]), value)
    return f"{int(match[1])}-W{int(match[2]):02d}"


def _day(value: object) -> object:
    """A date as YAML reads it (2023-01-02) or as text; a date with a time of day is refused."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(str(_nfkc(value)))
        except ValueError:
            raise PydanticCustomError("day", "expected a date", {"input": value}) from None
    if isinstance(value, dt.datetime) or (value is not None and not isinstance(value, dt.date)):
        raise PydanticCustomError("day", "expected a date", {"input": value})
    if value is not None:
        _within_years(value.year, value)
    return value


def _within_years(year: int, value: object) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PydanticCustomError("year_range", "year out of range", {"input": str(value)})


WeeklyTime = Annotated[str, BeforeValidator(_weekly_time)]
WeekName = Annotated[str, BeforeValidator(_week)]
Weeks = Annotated[
    tuple[WeekName, ...], BeforeValidator(bounded_tuple(MAX_SKIP_WEEKS)), Field(min_length=1), AfterValidator(repeated)
]


def weekly_minutes(weekly_time: str) -> int:
    """Minutes from Monday 00:00 to a canonical weekly time (周五 17:00)."""
    return WEEKDAYS.index(weekly_time[1]) * 24 * 60 + int(weekly_time[3:5]) * 60 + int(weekly_time[6:8])


class Reporting(BaseModel):
    """When a week's work dynamics are owed and due. Weeks are ISO weeks (Monday to Sunday);
    times are Asia/Shanghai's."""

    model_config = MODEL

    since: Annotated[dt.date | None, BeforeValidator(_day)] = None  # None: the first week with a dynamics row
    deadline: WeeklyTime = DEFAULT_DEADLINE
    reminder: Annotated[str | None, BeforeValidator(_weekly_time)] = None  # None: see reminder_at
    skip_weeks: Weeks = ()

    @model_validator(mode="after")
    def _reminder_before_deadline(self) -> Reporting:
        if self.reminder is not None and weekly_minutes(self.reminder) >= weekly_minutes(self.deadline):
            raise PydanticCustomError(
                "reminder_late", "the reminder must come before the deadline",
                {"reminder": self.reminder, "deadline": self.deadline},
            )
        return self

    def deadline_at(self, week: Week | str) -> dt.datetime:
        """When the dynamics of `week` (2023-W20) are due."""
        return _at(week, weekly_minutes(self.deadline))

    def reminder_at(self, week: Week | str) -> dt.datetime:
        """When units still missing for `week` are reminded: the reminder set, else 10:00 on the
        deadline's day, or the day before when the deadline is at 10:00 or earlier."""
        if self.reminder is not None:
            return _at(week, weekly_minutes(self.reminder))
        deadline = weekly_minutes(self.deadline)
        day, minutes = divmod(deadline, 24 * 60)
        default = DEFAULT_REMINDER_TIME.hour * 60 + DEFAULT_REMINDER_TIME.minute
        return _at(week, (day if minutes > default else day - 1) * 24 * 60 + default)

    def skipped(self, week: Week | str) -> bool:
        """True for a week the office declared exempt."""
        return str(week) in self.skip_weeks

    @property
    def skipped_weeks(self) -> tuple[Week, ...]:
        return tuple(Week.parse(week) for week in self.skip_weeks)


def _at(week: Week | str, minutes: int) -> dt.datetime:
    monday = dt.datetime.combine(Week.parse(str(week)).monday, dt.time(), tzinfo=SHANGHAI)
    return monday + dt.timedelta(minutes=minutes)

