"""A programme's weekly duty from program.yaml: rows tied to roster entries (aliases included),
the owed weeks from `since` less the skip weeks, the deadline; a nil report is a report."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.contract import Program, Reporting, RosterEntry, Week
from pipeline.reporting.duty import first_week, week_duty
from pipeline.reporting.notice import notice_figures

PROGRAM = Program(
    units=(RosterEntry(name="区民政局", aliases=("余杭区民政局",)), RosterEntry(name="仓前街道")),
    reporting=Reporting(since=dt.date(2023, 1, 9), skip_weeks=("2023-W03",)),
)
NO_RECEIPTS = pl.DataFrame(schema={"member": pl.String, "week": pl.String, "received": pl.Datetime("us", "Asia/Shanghai")})


def test_a_week_s_duty_from_program_yaml() -> None:
    rows = pl.DataFrame({"unit": ["余杭区民政局", "仓前街道办"], "date": [dt.date(2023, 1, 10), dt.date(2023, 1, 11)],
                         "kind": ["动态", "动态"]})
    nil = pl.DataFrame({"unit": ["仓前街道"], "date": [dt.date(2023, 1, 12)]})
    week = Week.parse("2023-W02")
    deadline, owed, inputs = week_duty(PROGRAM, week, rows, nil, NO_RECEIPTS)
    assert deadline.isoformat() == "2023-01-13T17:00:00+08:00"
    assert [str(w) for w in owed.weeks] == ["2023-W02"]  # since 2023-01-09: W01 is not owed
    figures = notice_figures(week, deadline, owed, inputs)
    assert figures["reported"] == ["区民政局", "仓前街道"] and figures["nil_reports"] == ["仓前街道"]
    assert figures["unlisted"] == [{"unit": "仓前街道办", "suggestion": "仓前街道", "rows": 1}]
    later = week_duty(PROGRAM, Week.parse("2023-W04"), rows, nil, NO_RECEIPTS)[1]
    assert {str(w) for w in later.exempt} == {"2023-W03", "2023-W04"}  # skipped; the Spring Festival


def test_the_first_week_owed_is_since_s_else_the_first_row_s() -> None:
    assert first_week(PROGRAM, dt.date(2023, 1, 3)) == Week.parse("2023-W02")
    assert first_week(Program(), dt.date(2023, 1, 3)) == Week.parse("2023-W01")
    assert first_week(Program(), None) is None


def test_the_year_to_date_starts_with_the_weeks_iso_year_and_nil_only_names_are_unlisted() -> None:
    """A `since` of an earlier year owes from the ISO year's first week; a name on no roster entry
    that only sent nil reports gets its suggestion like any other."""
    import datetime as dt

    import polars as pl

    from pipeline.contract import Program, Week
    from pipeline.reporting.duty import week_duty

    program = Program.model_validate({"units": ["仓前街道"], "reporting": {"since": "2022-06-06"}})
    rows = pl.DataFrame({"unit": ["仓前街道"], "date": [dt.date(2023, 1, 3)], "kind": ["动态"]})
    nil = pl.DataFrame({"unit": ["仓前街道办"], "date": [dt.date(2023, 1, 4)]})
    receipts = pl.DataFrame(schema={"member": pl.String, "week": pl.String, "received": pl.Datetime("us", "Asia/Shanghai")})
    _, owed, inputs = week_duty(program, Week.parse("2023-W03"), rows, nil, receipts)
    assert [str(w) for w in owed.weeks] == ["2023-W01", "2023-W02", "2023-W03"]
    assert inputs.suggestions == {"仓前街道办": "仓前街道"}
