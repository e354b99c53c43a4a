"""The weekly notice's figures from a year's rows: who owed, reported, missed (and for how long),
was late, or is on no roster entry; field by field."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from pipeline.contract import Week
from pipeline.reporting.notice import WeekInputs, notice_figures
from pipeline.reporting.weeks import owed_weeks

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROSTER = ["区民政局", "区教育局", "西溪街道", "仓前街道"]


def _rows(*rows: tuple[str, str | None, str, str]) -> pl.DataFrame:
    return pl.DataFrame([(u, m, dt.date.fromisoformat(d), k) for u, m, d, k in rows],
                        schema={"unit": pl.String, "member": pl.String, "date": pl.Date, "kind": pl.String}, orient="row")


def _nil(*rows: tuple[str, str | None, str]) -> pl.DataFrame:
    return pl.DataFrame([(u, m, dt.date.fromisoformat(d)) for u, m, d in rows],
                        schema={"unit": pl.String, "member": pl.String, "date": pl.Date}, orient="row")


NO_RECEIPTS = pl.DataFrame(schema={"member": pl.String, "week": pl.String, "received": pl.Datetime("us", "Asia/Shanghai")})


def _inputs(rows: pl.DataFrame, nil: pl.DataFrame, receipts: pl.DataFrame = NO_RECEIPTS,
            members: list[str] | None = ROSTER) -> WeekInputs:
    return WeekInputs(rows, nil, receipts, members, {"仓前街道办": "仓前街道", "某某公司": None})


def _deadline(week: Week) -> dt.datetime:
    return dt.datetime.combine(week.day(5), dt.time(17), SHANGHAI)


def test_the_notice_of_a_week_field_by_field() -> None:
    """Weeks 2023-W01..W05: W04 is the Spring Festival (not owed), W02 the office skipped.
    区民政局 reports every owed week (once under its alias, which the matching gave as member);
    区教育局 sent a nil report in W05; 西溪街道 reported in W01 only (missed W03 and W05, two
    owed weeks in a row, W04 neither breaking nor extending the streak); 仓前街道 reported in
    W05 through the portal after the deadline; 仓前街道办 and 某某公司 are on no roster entry."""
    rows = _rows(
        ("区民政局", "区民政局", "2023-01-03", "动态"), ("余杭区民政局", "区民政局", "2023-01-17", "信息"),
        ("区民政局", "区民政局", "2023-01-31", "动态"), ("西溪街道", "西溪街道", "2023-01-04", "动态"),
        ("区教育局", "区教育局", "2023-01-05", "动态"), ("仓前街道", "仓前街道", "2023-02-01", "动态"),
        ("仓前街道办", None, "2023-01-18", "动态"), ("仓前街道办", None, "2023-02-02", "信息"),
        ("某某公司", None, "2023-02-10", "动态"),  # after W05: not counted for it
    )
    nil = _nil(("区教育局", "区教育局", "2023-02-03"), ("区教育局", "区教育局", "2023-01-18"))
    week = Week.parse("2023-W05")
    receipts = pl.DataFrame({"member": ["仓前街道", "仓前街道"], "week": ["2023-W05", "2023-W05"],
                             "received": [dt.datetime(2023, 2, 3, 18, 5, tzinfo=SHANGHAI),
                                          dt.datetime(2023, 2, 4, 9, 0, tzinfo=SHANGHAI)]})
    owed = owed_weeks(Week.parse("2023-W01"), week, [Week.parse("2023-W02")])
    figures = notice_figures(week, _deadline(week), owed, _inputs(rows, nil, receipts))
    assert figures == {
        "week": "2023-W05", "week_start": "2023-01-30", "week_end": "2023-02-05",
        "deadline": "2023-02-03T17:00:00+08:00",
        "units_expected": ROSTER,
        "reported": ["区民政局", "区教育局", "仓前街道"],
        "missing": ["西溪街道"],
        "missing_streak": {"西溪街道": 2},
        "nil_reports": ["区教育局"],
        "late": ["仓前街道"],
        "unlisted": [{"unit": "仓前街道办", "suggestion": "仓前街道", "rows": 2}],
        "dynamics_week": 2, "info_week": 1,
        "by_unit": [
            {"unit": "区民政局", "weeks_expected": 3, "weeks_reported": 3, "dynamics": 2, "info": 1, "last_week": "2023-W05"},
            {"unit": "区教育局", "weeks_expected": 3, "weeks_reported": 3, "dynamics": 1, "info": 0, "last_week": "2023-W05"},
            {"unit": "西溪街道", "weeks_expected": 3, "weeks_reported": 1, "dynamics": 1, "info": 0, "last_week": "2023-W01"},
            {"unit": "仓前街道", "weeks_expected": 3, "weeks_reported": 1, "dynamics": 1, "info": 0, "last_week": "2023-W05"},
        ],
    }


def test_a_week_nobody_owes_expects_no_unit() -> None:
    """The Spring Festival week: a unit that reports anyway is listed as reporting; nobody is missing."""
    rows = _rows(("区民政局", "区民政局", "2023-01-25", "动态"))
    week = Week.parse("2023-W04")
    figures = notice_figures(week, _deadline(week), owed_weeks(Week.parse("2023-W01"), week), _inputs(rows, _nil()))
    assert (figures["units_expected"], figures["reported"], figures["missing"]) == ([], ["区民政局"], [])


def test_without_a_roster_the_units_owed_are_those_that_reported_before() -> None:
    rows = _rows(("甲单位", None, "2023-01-03", "动态"), ("乙单位", None, "2023-01-10", "动态"),
                 ("乙单位", None, "2023-01-17", "动态"))
    week = Week.parse("2023-W03")
    figures = notice_figures(week, _deadline(week), owed_weeks(Week.parse("2023-W01"), week),
                             _inputs(rows, _nil(), members=None))
    assert figures["units_expected"] == ["甲单位", "乙单位"] and figures["missing"] == ["甲单位"]
    assert figures["missing_streak"] == {"甲单位": 2} and figures["unlisted"] == []
    assert [(u["unit"], u["weeks_expected"], u["weeks_reported"]) for u in figures["by_unit"]] == [
        ("甲单位", 2, 0), ("乙单位", 1, 1)]


@pytest.mark.parametrize(("reported_in", "streak"), [
    # W02 is skipped by the office, W04 is the Spring Festival: neither breaks nor extends a streak
    (["2023-01-04"], 3),  # reported W01; missed W03, W05, W06
    (["2023-01-11"], 4),  # reported only in the skipped W02: no owed week reported, W01 W03 W05 W06 missed
    (["2023-01-25"], 4),  # reported only in the holiday week W04: the same
    (["2023-01-18"], 2),  # reported W03; missed W05, W06
    (["2023-02-01"], 0),  # reported W05; missed W06 only: not named
])
def test_a_streak_runs_across_skipped_and_holiday_weeks(reported_in: list[str], streak: int) -> None:
    rows = _rows(*[("西溪街道", "西溪街道", day, "动态") for day in reported_in])
    week = Week.parse("2023-W06")
    owed = owed_weeks(Week.parse("2023-W01"), week, [Week.parse("2023-W02")])
    figures = notice_figures(week, _deadline(week), owed, _inputs(rows, _nil()))
    assert figures["missing_streak"].get("西溪街道", 0) == streak


def test_a_name_that_only_sent_nil_reports_is_unlisted_too() -> None:
    week = Week.parse("2023-W05")
    figures = notice_figures(week, _deadline(week), owed_weeks(Week.parse("2023-W01"), week),
                             _inputs(_rows(), _nil(("仓前街道办", None, "2023-02-01"))))
    assert figures["unlisted"] == [{"unit": "仓前街道办", "suggestion": "仓前街道", "rows": 0}]
