"""ISO weeks, and the weeks a unit owes: skip weeks and official holiday weeks are not owed."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.contract import Week
from pipeline.reporting.weeks import owed_weeks, weeks_between


@pytest.mark.parametrize(
    ("day", "week"),
    [(dt.date(2023, 1, 1), "2022-W52"), (dt.date(2023, 1, 2), "2023-W01"), (dt.date(2023, 5, 19), "2023-W20"),
     (dt.date(2024, 12, 30), "2025-W01")],
)
def test_a_day_belongs_to_its_iso_week(day: dt.date, week: str) -> None:
    assert str(Week.of(day)) == week and Week.parse(week) == Week.of(day)


@pytest.mark.parametrize(("text", "message"), [("2023-20", "不是周次"), ("2023-W54", "2023年没有第54周"), ("W20", "不是周次")])
def test_a_week_that_is_not_one_is_said_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Week.parse(text)


def test_a_week_runs_monday_to_sunday() -> None:
    week = Week.parse("2023-W20")
    assert (week.monday, week.sunday, week.label) == (dt.date(2023, 5, 15), dt.date(2023, 5, 21), "2023年第20周")
    assert [str(w) for w in weeks_between(Week.parse("2022-W51"), Week.parse("2023-W02"))] == [
        "2022-W51", "2022-W52", "2023-W01", "2023-W02"]


def test_the_spring_festival_and_national_day_weeks_are_not_owed_nor_the_office_s_skip_weeks() -> None:
    """2023-W04 (Spring Festival) and 2023-W40 (National Day) have no working day; 2023-W18 has
    May Day off from Monday to Wednesday but two working days, so it is owed unless skipped."""
    owed = owed_weeks(Week.parse("2023-W01"), Week.parse("2023-W52"))
    assert {str(w) for w in owed.exempt} == {"2023-W04", "2023-W40"} and owed.note is None
    assert len(owed.weeks) == 50 and Week.parse("2023-W18") in owed.weeks
    skipped = owed_weeks(Week.parse("2023-W01"), Week.parse("2023-W20"), [Week.parse("2023-W18")])
    assert {str(w): why for w, why in skipped.exempt.items()} == {"2023-W04": "放假", "2023-W18": "跳过"}


def test_a_year_the_calendar_does_not_cover_owes_every_week_and_says_so() -> None:
    owed = owed_weeks(Week.parse("2099-W01"), Week.parse("2099-W05"))
    assert len(owed.weeks) == 5 and not owed.exempt
    assert "尚未收录2099年的放假安排" in owed.note and "skip_weeks" in owed.note
