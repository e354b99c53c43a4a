"""What the portal reads of program.yaml's roster (`units`) and weekly reporting rules, in one
place: today `Program.units` is a tuple of names and the rules are CONTRACT section 7's
defaults; when program.yaml gains `{name, aliases}` entries and its `reporting` key, only this
module changes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

from pipeline.contract import Program
from pipeline.reporting.weeks import Week

SHANGHAI = ZoneInfo("Asia/Shanghai")
# CONTRACT section 7: a week's dynamics are due on its Friday at 17:00, Asia/Shanghai
_DEADLINE_WEEKDAY, _DEADLINE_TIME = 5, dt.time(17, 0)


def shanghai_now() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)


def members(program: Program) -> list[str] | None:
    """The roster's names in its order; None when program.yaml lists no units."""
    return list(program.units) if program.units else None


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def member_of(program: Program, written: str | None) -> str | None:
    """The roster entry a written unit names (after NFKC and trimming), or None."""
    if written is None:
        return None
    wanted = _plain(written)
    return next((name for name in program.units if _plain(name) == wanted), None)


def suggestion(program: Program, written: str) -> str | None:
    """For a name on no roster entry: the roster name it contains or is contained in (仓前街道办 -> 仓前街道)."""
    wanted = _plain(written)
    if not wanted:
        return None
    return next((name for name in program.units if name in wanted or wanted in name), None)


def deadline(program: Program, week: Week) -> dt.datetime:
    """When the week's dynamics are due."""
    return dt.datetime.combine(week.day(_DEADLINE_WEEKDAY), _DEADLINE_TIME, SHANGHAI)


def first_week(program: Program, first_row: dt.date | None) -> Week | None:
    """The first week owed: the week of the year's first dynamics row (reporting.since's default)."""
    return Week.of(first_row) if first_row is not None else None


def skip_weeks(program: Program) -> list[Week]:
    """The weeks the office declares exempt (reporting.skip_weeks; none by default)."""
    return []
