"""What the weekly notice's template (reports/notice.qmd) is filled with: plain values from a
week's notice.json figures and the programme; pure. The year to date is ranked by owed weeks
reported, then by counted rows, ties sharing a rank."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.contract import Program, Week
from pipeline.report.wording import chinese_date, chinese_month_day
from pipeline.reporting.week_notice import WeekNotice

NOTICE_TITLE = "工作动态报送情况通报"
WEEKDAY_NAMES = "一二三四五六日"


def notice_title(program_name: str, week: Week) -> str:
    """<programme>工作动态报送情况通报（2023年第20周）; without a programme name, no name in it."""
    return f"{program_name}{NOTICE_TITLE}（{week.label}）"


def week_dates(week: Week) -> str:
    """2023年5月15日至5月21日 (the year once, unless the week straddles New Year)."""
    end = chinese_month_day(week.sunday) if week.sunday.year == week.monday.year else chinese_date(week.sunday)
    return f"{chinese_date(week.monday)}至{end}"


def deadline_text(deadline: dt.datetime) -> str:
    """5月19日（周五）17:00."""
    return f"{chinese_month_day(deadline.date())}（周{WEEKDAY_NAMES[deadline.weekday()]}）{deadline:%H:%M}"


def ranked(by_unit: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every unit's year to date, best first: owed weeks reported, then counted rows (roster order on a tie)."""
    def score(entry: dict[str, Any]) -> tuple[int, int]:
        return entry["weeks_reported"], entry["dynamics"] + entry["info"]

    order = sorted(by_unit, key=score, reverse=True)  # stable: roster order within a tie
    rows, previous = [], None
    for place, entry in enumerate(order, start=1):
        rank = rows[-1]["rank"] if previous == score(entry) else place
        previous = score(entry)
        rate = f"{entry['weeks_reported'] / entry['weeks_expected'] * 100:.0f}%" if entry["weeks_expected"] else "—"
        last = f"第{Week.parse(entry['last_week']).number}周" if entry["last_week"] else "—"
        rows.append(entry | {"rank": rank, "rate": rate, "last_week_label": last})
    return rows


def _exempt_text(notice: WeekNotice) -> str:
    """第4周（放假）、第18周（跳过）: the weeks of the year to date that were not owed."""
    return "、".join(f"第{week.number}周（{why}）" for week, why in sorted(notice.exempt.items()))


def notice_context(program: Program, notice: WeekNotice) -> dict[str, Any]:
    """The template's values for one week's notice."""
    figures = notice.figures
    week = Week.parse(figures["week"])
    streaks = figures["missing_streak"]
    return {
        "title": notice_title(program.name, week),
        "dates": week_dates(week),
        "week": week.label,
        "week_end": figures["week_end"],
        "deadline": deadline_text(dt.datetime.fromisoformat(figures["deadline"])),
        "figures": figures,
        "expected": len(figures["units_expected"]),
        "reported_owed": len([u for u in figures["reported"] if u in figures["units_expected"]]),
        "streaks": [{"unit": unit, "weeks": streaks[unit]} for unit in figures["missing"] if unit in streaks],
        "unlisted": figures["unlisted"],
        "ranking": ranked(figures["by_unit"]),
        "has_roster": notice.has_roster,
        "exempt": _exempt_text(notice),
        "calendar_note": notice.calendar_note,
    }


def rollup_notice_figures(week: Week, by_district: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The roll-up's notice.json: per district (in the programme's order) the units owed and
    reported, those missing, the nil reports and the week's rows; and the totals."""
    districts = [{
        "district": name, "units_expected": len(f["units_expected"]),
        "reported": len([u for u in f["reported"] if u in f["units_expected"]]),
        "missing": f["missing"], "nil_reports": len(f["nil_reports"]), "unlisted": len(f["unlisted"]),
        "dynamics_week": f["dynamics_week"], "info_week": f["info_week"],
    } for name, f in by_district.items()]
    totals = {key: sum(d[key] for d in districts)
              for key in ("units_expected", "reported", "nil_reports", "dynamics_week", "info_week")}
    return {"week": str(week), "week_start": week.monday.isoformat(), "week_end": week.sunday.isoformat(),
            "districts": districts, **totals, "missing": sum(len(d["missing"]) for d in districts)}


def rollup_notice_context(program: Program, figures: dict[str, Any]) -> dict[str, Any]:
    """The roll-up notice template's values (reports/notice-rollup.qmd)."""
    week = Week.parse(figures["week"])
    return {"title": notice_title(program.name, week).replace("（", "（汇总，", 1), "dates": week_dates(week),
            "week_end": figures["week_end"], "figures": figures, "template": "notice-rollup.qmd"}
