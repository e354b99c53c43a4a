"""The quirk fixtures' model: rows (`Line`), sheets, CSV styles, fixtures, the outcomes a row may have, and the helpers every family writes its rows with."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.contract import Program


ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "quirks"
YEAR = "2023"
FIXED_TIME = dt.datetime(2023, 12, 29, 9, 0, 0)
ZIP_TIME = (2023, 12, 29, 9, 0, 0)

# Row outcomes. A "layout" outcome is always written "layout: <kind>".
COUNTED = "counted"
WARNED = "counted + warning"
REJECTED = "rejected"
HEADER = "header"
BLANK = "blank"
NOT_READ = "not read"

AREAS, REFORM_AREAS, MEDIA_LEVELS = Program().areas, Program().reform_areas, Program().media_levels


# --------------------------------------------------------------------------- model


@dataclass
class Line:
    """One spreadsheet row as meant: its cells (None = empty) and what a reader must make of it."""

    cells: list
    outcome: str
    detail: str = ""
    table: str = ""  # the table a counted row counts in
    count: int = 0  # media: the articles a counted row adds
    key: tuple = ()  # the row's identity for the cross-family uniqueness check


@dataclass
class Sheet:
    name: str
    lines: list[Line]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based
    hidden: bool = False
    status: str = ""  # "" = read normally; else "sheet skipped: ..." or "sheet read: ..."
    list_rows: bool = True  # False: a skipped sheet, described by its status only


@dataclass
class CsvStyle:
    encoding: str  # utf-8 | utf-8-sig | utf-16le-bom | gb18030
    delimiter: str = ","
    newline: str = "\r\n"
    pad: bool = True  # pad every line to the widest with empty cells, as Excel saves


@dataclass
class Fixture:
    rel: str  # path under the year folder
    fmt: str  # csv | xlsx | xls | ods | bytes
    sheets: list[Sheet] = field(default_factory=list)
    status: str = ""  # "" = read; else "file skipped: ..." / "file unreadable: ..."
    style: CsvStyle | None = None
    payload: bytes = b""
    note: str = ""

    @property
    def path(self) -> str:
        return f"{YEAR}/{self.rel}"


# --------------------------------------------------------------------------- rows

FIELDS = {
    "dynamics": ("date", "unit", "area", "title", "kind", "summary"),
    "media": ("date", "outlet", "level", "count", "theme"),
    "meetings": ("date", "name", "kind"),
    "tasks": ("id", "kind", "area", "name", "lead", "status"),
    "achievements": ("date", "name", "kind", "level", "unit", "area"),
}
STANDARD_HEADER = {
    "dynamics": ["日期", "报送单位", "领域", "标题", "类别", "摘要"],
    "media": ["日期", "媒体", "级别", "稿件数", "专题"],
    "meetings": ["日期", "会议名称", "类型"],
    "tasks": ["编号", "类型", "领域", "名称", "牵头单位", "状态"],
    "achievements": ["日期", "名称", "类型", "级别", "单位", "领域"],
}


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def record_text(table: str, v: dict) -> str:
    """How EXPECTED.md shows a counted row: the values a reader must produce, after defaults."""
    if table == "dynamics":
        kind = v.get("kind") or "动态 (default)"
        text = f"{_iso(v['date'])} · {v['unit']} · {v['area']} · {v['title']} · {kind}"
        return text + (f" · 摘要: {v['summary']}" if v.get("summary") else "")
    if table == "media":
        return f"{_iso(v['date'])} · {v['outlet']} · {v['level']} · {v['count']} 篇 · 专题: {v.get('theme') or 'none'}"
    if table == "meetings":
        return f"{_iso(v['date'])} · {v['name']} · 类型: {v.get('kind') or 'none'}"
    if table == "tasks":
        return f"{v['id']} · {v['kind']} · {v['area']} · {v['name']} · {v['status']} · 牵头: {v.get('lead') or 'none'}"
    return (
        f"{_iso(v['date'])} · {v['name']} · {v['kind']} · {v['level']}"
        f" · 单位: {v.get('unit') or 'none'} · 领域: {v.get('area') or 'none'}"
    )


def identity(table: str, v: dict) -> tuple:
    """What must be unique across every fixture (so nothing dedupes unless meant to)."""
    if table == "dynamics":
        return (table, v["title"])
    if table == "media":
        return (table, _iso(v["date"]), v["outlet"], v["level"], v["count"], v.get("theme") or "")
    if table == "tasks":
        return (table, v["id"])
    return (table, v["name"])


def check_counted(table: str, v: dict) -> None:
    """A counted row must satisfy the contract, so a typo in this file cannot make a fixture wrong."""
    if "date" in v:
        date = v["date"] if isinstance(v["date"], dt.date) else dt.date.fromisoformat(v["date"])
        assert date.year == int(YEAR) and (isinstance(v["date"], dt.date) or len(v["date"]) == 10), v
    required = {
        "dynamics": ("unit", "area", "title"),
        "media": ("outlet", "level", "count"),
        "meetings": ("name",),
        "tasks": ("id", "kind", "area", "name", "status"),
        "achievements": ("name", "kind", "level"),
    }[table]
    assert all(v.get(k) not in (None, "") for k in required), v
    if table == "dynamics":
        assert v["area"] in AREAS and v.get("kind") in (None, "动态", "信息"), v
    elif table == "media":
        assert v["level"] in MEDIA_LEVELS and isinstance(v["count"], int) and v["count"] >= 0, v
    elif table == "tasks":
        assert v["area"] in (AREAS if v["kind"] == "重点工作" else REFORM_AREAS), v
        assert v["kind"] in ("重点工作", "重大改革") and v["status"] in ("已完成", "推进中", "未启动"), v
    elif table == "achievements":
        assert v["kind"] in ("标志性成果", "试点", "最佳实践", "课题", "荣誉"), v
        assert v["level"] in ("国家级", "省级", "市级", "区级"), v


class Cols:
    """A file's columns: the header as written, and which field each column carries
    ("no" = a 序号 column, None = a column no table uses)."""

    def __init__(self, table: str, header: list[str] | None = None, keys: list[str | None] | None = None):
        self.table = table
        self.header = header or STANDARD_HEADER[table]
        self.keys = keys or list(FIELDS[table])
        assert len(self.header) == len(self.keys)

    def head(self, detail: str = "") -> Line:
        return Line(list(self.header), HEADER, detail)

    def cells(self, values: dict, raw: dict | None) -> list:
        raw = raw or {}
        return [raw[k] if k in raw else values.get(k) for k in self.keys]

    def row(self, *, raw: dict | None = None, note: str = "", **values) -> Line:
        """A row that counts; `values` are what the reader must produce, `raw` the cells as written when they differ."""
        check_counted(self.table, values)
        detail = record_text(self.table, values) + (f" — {note}" if note else "")
        count = int(values["count"]) if self.table == "media" else 0
        return Line(self.cells(values, raw), COUNTED, detail, self.table, count, identity(self.table, values))

    def warned(self, warning: str, *, raw: dict | None = None, **values) -> Line:
        line = self.row(raw=raw, **values)
        line.outcome, line.detail = WARNED, f"{line.detail} — warning: {warning}"
        return line

    def rejected(self, reason: str, *, raw: dict | None = None, **values) -> Line:
        key = identity(self.table, values) if self.table == "dynamics" else ()
        cells = self.cells(values, raw)
        shown = " · ".join(text_cell(v) for v in cells if v is not None)
        return Line(cells, REJECTED, f"{reason} (cells: {shown})", self.table, 0, key)

    def layout(self, kind: str, detail: str, raw: dict) -> Line:
        return Line(self.cells({}, raw), f"layout: {kind}", detail)


def blank(width: int = 0) -> Line:
    return Line([None] * width, BLANK, "empty row: spacing, not a row read")


def csv_file(
    rel: str, lines: list[Line], style: CsvStyle | None = None, *, status: str = "", note: str = ""
) -> Fixture:
    return Fixture(rel, "csv", [Sheet("", lines)], status, style or CsvStyle("utf-8-sig"), note=note)


def book(rel: str, *sheets: Sheet, fmt: str = "xlsx", status: str = "", note: str = "") -> Fixture:
    return Fixture(rel, fmt, list(sheets), status, note=note)


def d(month: int, day: int) -> dt.date:
    return dt.date(2023, month, day)

def text_cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
