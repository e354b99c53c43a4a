"""Quirk fixtures: small raw folders of the spreadsheets district offices really send in,
each with the reading a correct reader must make of every row.

    uv run python tools/quirk_fixtures.py

Deletes and re-creates tests/data/quirks/: one raw folder per family
(tests/data/quirks/<family>/2023/...), plus EXPECTED.md, which is written from the same
rows as the files, so the two cannot disagree. The output is deterministic (no seed, no
clock: workbook properties and zip entry times are fixed). At the end every file is
read back (python-calamine, openpyxl, the csv module) and compared cell by cell with
what was meant to be written, so the row numbers in EXPECTED.md are the rows the files
have.

One function per family builds a list of `Fixture`s; a fixture's sheets are lists of
`Line`s, one per spreadsheet row from row 1, each carrying its expected outcome.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.contract import Program

ROOT = Path(__file__).resolve().parents[1]
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
        shown = " · ".join(_text_cell(v) for v in cells if v is not None)
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


# --------------------------------------------------------------------------- families


def family_formats() -> list[Fixture]:
    """Every file format an office may send: the same header, two rows each."""
    c = Cols("dynamics")
    m = Cols("media")
    return [
        csv_file(
            "dynamics/a.csv",
            [
                c.head(),
                c.row(
                    date="2023-01-06",
                    unit="西溪街道",
                    area="社会治理",
                    title="西溪街道“共享社区”议事会首次开议",
                    kind="动态",
                ),
                c.row(
                    date="2023-01-06",
                    unit="区发改局",
                    area="经济高质量发展",
                    title="区发改局召开数字经济重点项目推进会",
                    kind="信息",
                    summary="梳理2023年首批重点项目",
                ),
            ],
            CsvStyle("utf-8", ",", "\n"),
            note="UTF-8 without BOM, comma, LF line ends",
        ),
        csv_file(
            "dynamics/b.csv",
            [
                c.head(),
                c.row(
                    raw={"date": "2023/1/13"},
                    date="2023-01-13",
                    unit="三墩镇",
                    area="区域协调发展",
                    title="三墩镇与淳安县签订山海协作结对协议",
                    kind="动态",
                    note='date "2023/1/13"',
                ),
                c.row(
                    raw={"date": "2023/1/13"},
                    date="2023-01-13",
                    unit="区教育局",
                    area="公共服务优质共享",
                    title="西湖区新增三所城乡教共体学校",
                    summary="覆盖学生1,200余人",
                    note='date "2023/1/13"; 类别 empty; the comma in 摘要 is text, not a separator',
                ),
            ],
            CsvStyle("utf-8-sig", ";", "\r\n"),
            note="UTF-8 with BOM, semicolon separated, CRLF",
        ),
        csv_file(
            "dynamics/c.txt",
            [
                c.head(),
                c.row(
                    raw={"date": "2023年1月20日"},
                    date="2023-01-20",
                    unit="区民政局",
                    area="社会治理",
                    title="幸福西湖民生综合体新增两处服务点",
                    kind="动态",
                    note='date "2023年1月20日"',
                ),
                c.row(
                    date="2023-01-20",
                    unit="区人力社保局",
                    area="收入分配",
                    title="区人力社保局发布灵活就业人员参保指引",
                    kind="信息",
                ),
            ],
            CsvStyle("utf-16le-bom", "\t", "\r\n"),
            note='tab separated, UTF-16 LE with BOM, CRLF: Excel\'s "Unicode text (*.txt)"',
        ),
        csv_file(
            "dynamics/d.tsv",
            [
                c.head(),
                c.row(
                    date="2023-02-03",
                    unit="留下街道",
                    area="社会文化",
                    title="留下街道举办元宵节“我们的节日”文化活动",
                    kind="动态",
                ),
                c.row(
                    date="2023-02-03",
                    unit="区农业农村局",
                    area="区域协调发展",
                    title="区农业农村局推进强村公司提质增效",
                    kind="动态",
                ),
            ],
            CsvStyle("gb18030", "\t", "\r\n"),
            note="tab separated, GB18030, CRLF",
        ),
        book(
            "dynamics/e.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 10),
                        unit="转塘街道",
                        area="生态文明建设",
                        title="转塘街道完成象山溪生态修复一期工程",
                        kind="动态",
                        note="date is a real date cell",
                    ),
                    c.row(
                        date=d(2, 10),
                        unit="区卫健局",
                        area="公共服务优质共享",
                        title="区卫健局推出“健康大脑+智慧医疗”便民服务",
                        kind="信息",
                        note="date is a real date cell",
                    ),
                ],
            ),
        ),
        book(
            "dynamics/f.xlsm",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 17),
                        unit="蒋村街道",
                        area="社会治理",
                        title="蒋村街道上线“邻里帮”志愿服务平台",
                        kind="动态",
                        note="date is a real date cell",
                    ),
                    c.row(
                        date="2023-02-17",
                        unit="区住建局",
                        area="公共服务优质共享",
                        title="区住建局启动2023年老旧小区改造",
                        kind="动态",
                        note="date is text",
                    ),
                ],
            ),
            note="an xlsx workbook saved under the .xlsm name (no macros)",
        ),
        book(
            "dynamics/g.xls",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 24),
                        unit="文新街道",
                        area="社会文化",
                        title="文新街道开展“书香文新”全民阅读月活动",
                        kind="动态",
                        note="date is a real date cell (BIFF8, yyyy/m/d format)",
                    ),
                    c.row(
                        raw={"date": "2023/2/24"},
                        date="2023-02-24",
                        unit="区市场监管局",
                        area="经济高质量发展",
                        title="区市场监管局助企纾困专项行动启动",
                        kind="信息",
                        note='date is text "2023/2/24"',
                    ),
                ],
            ),
            fmt="xls",
            note="Excel 97-2003 workbook (BIFF8, written by xlwt)",
        ),
        book(
            "dynamics/h.ods",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(3, 3),
                        unit="翠苑街道",
                        area="收入分配",
                        title="翠苑街道开展技能培训助力居民增收",
                        kind="动态",
                        note='date is a real date cell (office:value-type="date")',
                    ),
                    c.row(
                        date="2023-03-03",
                        unit="区文广旅体局",
                        area="社会文化",
                        title="区文广旅体局推出“宋韵西湖”文化惠民季",
                        kind="动态",
                        note="date is a text cell",
                    ),
                ],
            ),
            fmt="ods",
            note="OpenDocument spreadsheet (written by odfpy)",
        ),
        book(
            "media/m.xls",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(
                        date=d(1, 5),
                        outlet="人民日报",
                        level="中央",
                        count=1,
                        theme="杭向共富",
                        note="count is a number cell",
                    ),
                    m.row(date=d(1, 12), outlet="浙江日报", level="省级", count=4, note="count is a number cell"),
                    m.row(
                        date=d(1, 19),
                        outlet="西湖报",
                        level="区级",
                        count=6,
                        theme="共同富裕看西湖",
                        note="count is a number cell",
                    ),
                ],
            ),
            fmt="xls",
            note="media as .xls: real date cells, counts as number cells",
        ),
    ]


def _lock_file() -> bytes:
    """An Office owner ("lock") file as Word/Excel leave beside an open file: 165 bytes."""
    name = b"zhangsan"
    data = bytes([len(name)]) + name.ljust(53, b" ") + bytes([len(name), 0]) + "zhangsan".encode("utf-16-le")
    data += b" \x00" * ((165 - len(data)) // 2)
    data += b"\x00" * (165 - len(data))
    assert len(data) == 165
    return data


def _ds_store() -> bytes:
    """A Finder .DS_Store: its magic, then zeros to the usual 6148 bytes."""
    data = b"\x00\x00\x00\x01Bud1" + b"\x00\x00\x10\x00\x00\x00\x08\x00\x00\x00\x10\x00"
    return data.ljust(6148, b"\x00")


def _docx(text: str) -> bytes:
    """A minimal, valid Word document (a zip, like xlsx: a reader must not take it for a workbook)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in text.split("\n"))
            + "</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), content.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def family_locations() -> list[Fixture]:
    """Where files sit: table folders with sub-folders, Chinese table names, a table as a
    folder of files, and files that must be reported as not used."""
    c = Cols("dynamics")
    m = Cols("media")
    meet = Cols("meetings")
    task = Cols("tasks")
    ach = Cols("achievements")
    return [
        book(
            "dynamics/第7周/办公室.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 13),
                        unit="北山街道",
                        area="社会治理",
                        title="北山街道试点“一老一小”综合服务",
                        kind="动态",
                    ),
                    c.row(
                        date=d(2, 15),
                        unit="区医保分局",
                        area="公共服务优质共享",
                        title="区医保分局推进长期护理保险扩面",
                        kind="动态",
                    ),
                    c.row(
                        date=d(2, 17),
                        unit="古荡街道",
                        area="经济高质量发展",
                        title="古荡街道召开楼宇经济服务座谈会",
                        kind="信息",
                    ),
                ],
            ),
            note="in a sub-folder of dynamics/",
        ),
        csv_file(
            "dynamics/街道/西溪街道/第8周.csv",
            [
                c.head(),
                c.row(
                    date="2023-02-20",
                    unit="西溪街道",
                    area="公共服务优质共享",
                    title="西溪街道开设“家门口”老年食堂",
                    kind="动态",
                ),
                c.row(
                    date="2023-02-23", unit="西溪街道", area="社会治理", title="西溪街道推行网格“多员合一”", kind="动态"
                ),
            ],
            note="two sub-folders deep in dynamics/",
        ),
        csv_file(
            "media/10月/稿件.csv",
            [
                m.head(),
                m.row(date="2023-10-09", outlet="杭州日报", level="市级", count=3, theme="共富迎亚运"),
                m.row(date="2023-10-16", outlet="浙江在线", level="省级", count=2),
            ],
            note="in a sub-folder of media/",
        ),
        book(
            "会议.xlsx",
            Sheet(
                "Sheet1",
                [
                    meet.head(),
                    meet.row(date=d(3, 15), name="西湖区共同富裕示范区建设领导小组第一次会议", kind="领导小组会议"),
                    meet.row(date=d(6, 20), name="共同富裕示范区建设二季度工作推进会", kind="专题例会"),
                ],
            ),
            note="the meetings table under its Chinese name",
        ),
        csv_file(
            "任务/重点工作.csv",
            [
                task.head(),
                task.row(
                    id="ZD-2023-01",
                    kind="重点工作",
                    area="经济高质量发展",
                    name="打造数字经济发展高地",
                    lead="区发改局",
                    status="推进中",
                ),
                task.row(
                    id="ZD-2023-02",
                    kind="重点工作",
                    area="公共服务优质共享",
                    name="建设城乡教育共同体",
                    lead="区教育局",
                    status="已完成",
                ),
            ],
            CsvStyle("gb18030"),
            note="tasks as a folder (任务/) of two files; this one GB18030 as Excel on Chinese Windows saves CSV",
        ),
        book(
            "任务/重大改革.xlsx",
            Sheet(
                "Sheet1",
                [
                    task.head(),
                    task.row(
                        id="GG-2023-01",
                        kind="重大改革",
                        area="扩中提低",
                        name="实施“扩中提低”收入分配改革",
                        lead="区人力社保局",
                        status="推进中",
                    ),
                    task.row(
                        id="GG-2023-02",
                        kind="重大改革",
                        area="共同富裕基本单元改革",
                        name="开展未来社区建设试点",
                        lead="区住建局",
                        status="未启动",
                    ),
                ],
            ),
            note="the second file of the tasks folder",
        ),
        csv_file(
            "成果.csv",
            [
                ach.head(),
                ach.row(
                    date="2023-05-18",
                    name="“共享社区”建设入选全省共同富裕最佳实践",
                    kind="最佳实践",
                    level="省级",
                    unit="区委社建委",
                    area="社会治理",
                ),
                ach.row(
                    date="2023-09-01", name="三墩镇入选全国乡村治理示范镇", kind="荣誉", level="国家级", unit="三墩镇"
                ),
            ],
            note="the achievements table under its Chinese name",
        ),
        Fixture(
            "dynamics/.DS_Store",
            "bytes",
            status="file skipped: hidden file (name starts with '.'; macOS Finder metadata)",
            payload=_ds_store(),
        ),
        Fixture(
            "dynamics/第7周/~$办公室.xlsx",
            "bytes",
            status="file skipped: Office lock (owner) file (name starts with '~$'; 165 bytes, not a workbook)",
            payload=_lock_file(),
        ),
        Fixture(
            "说明.docx",
            "bytes",
            status="file skipped: a Word document at the year's top level (not a table file)",
            payload=_docx("报送说明\n各单位请于每周五前报送工作动态。"),
        ),
        Fixture(
            "dynamics/周报说明.docx",
            "bytes",
            status="file skipped: a Word document inside the dynamics folder (not a spreadsheet; a zip like xlsx)",
            payload=_docx("周报填报说明\n领域按七大跑道填写。"),
        ),
        book(
            "汇总表.xlsx",
            Sheet(
                "汇总",
                [Line(["领域", "动态数", "信息数"], HEADER, "")]
                + [
                    Line([area, n, n // 3], NOT_READ, "")
                    for area, n in zip(AREAS, (12, 8, 9, 15, 11, 6, 14), strict=True)
                ],
                list_rows=False,
            ),
            status="file skipped: a valid workbook whose name matches no table (a summary: 领域, 动态数, 信息数)",
        ),
    ]


def family_sheets() -> list[Fixture]:
    """Workbooks of several sheets: data sheets, an instructions sheet, a hidden list sheet, empty sheets."""
    c = Cols("dynamics")
    week1 = [
        c.head(),
        c.row(
            date=d(1, 3), unit="灵隐街道", area="社会文化", title="灵隐街道启动“运河文化进社区”系列活动", kind="动态"
        ),
        c.row(date=d(1, 4), unit="双浦镇", area="区域协调发展", title="双浦镇召开强村富民集成改革推进会", kind="动态"),
        c.row(
            date=d(1, 5),
            unit="区生态环境分局",
            area="生态文明建设",
            title="区生态环境分局发布2022年度空气质量公报",
            kind="信息",
        ),
    ]
    week2 = [
        c.head(),
        c.row(
            date=d(1, 9),
            unit="西湖街道",
            area="公共服务优质共享",
            title="西湖街道新增两家社区嵌入式托育点",
            kind="动态",
        ),
        c.row(
            date=d(1, 11), unit="区委社建委", area="社会治理", title="区委社建委部署2023年社区治理重点任务", kind="动态"
        ),
        c.row(
            date=d(1, 13), unit="区人力社保局", area="收入分配", title="区人力社保局开展春风行动专场招聘会", kind="动态"
        ),
    ]
    instructions = [
        Line(["填报说明"], NOT_READ),
        Line(["1. 日期填写报送当天日期，如2023-01-06。"], NOT_READ),
        Line(["2. 领域请从下拉选项中选择七大领域之一。"], NOT_READ),
        Line(["3. 标题不超过40字，摘要不超过200字。"], NOT_READ),
        Line(["4. 每周五17:00前报送区共富办。"], NOT_READ),
    ]
    choices = [Line(["领域"], NOT_READ)] + [Line([area], NOT_READ) for area in AREAS]
    return [
        book(
            "dynamics/周报.xlsx",
            Sheet("第1周", week1),
            Sheet("第2周", week2),
            Sheet(
                "填报说明",
                instructions,
                status="sheet skipped: instructions (5 lines of text in column A, no header naming the required columns)",
                list_rows=False,
            ),
            Sheet(
                "下拉选项",
                choices,
                hidden=True,
                status="sheet skipped: hidden sheet (the 领域 drop-down list: a header 领域 and the 7 areas)",
                list_rows=False,
            ),
            note="four sheets: two data sheets, instructions, a hidden list",
        ),
        book(
            "dynamics/空表.xlsx",
            Sheet("第3周", [c.head("header only")], status="sheet read: header only, 0 data rows (not an error)"),
            Sheet("Sheet2", [], status="sheet skipped: totally empty sheet"),
            note="a header with no rows, and an empty second sheet: contributes nothing",
        ),
    ]


def family_headers() -> list[Fixture]:
    """Headers as offices write them: under a title, on two levels, with marks, breaks,
    spaces and notes in the names, synonyms, and a file with no usable header."""
    c = Cols("dynamics")
    two = Cols(
        "dynamics", ["序号", "报送日期", "报送单位", None, None, None], ["no", "date", "unit", "area", "title", "kind"]
    )
    odd = Cols(
        "dynamics",
        ["报送\n日期", "报 送 单 位", "领  域", "*标题", "类别（选填）", "摘要(200字以内)"],
        ["date", "unit", "area", "title", "kind", "summary"],
    )
    mark = Cols(
        "dynamics", ["*报送日期", "报送单位（必填）", "领域", "标题【必填】"], ["date", "unit", "area", "title"]
    )
    syn = Cols("media", ["刊发日期", "媒体名称", "媒体级别", "稿件数量", "专题"])
    units = Cols("media", ["发布日期", "媒体", "级别", "稿件数（篇）"], ["date", "outlet", "level", "count"])
    return [
        book(
            "dynamics/title.xlsx",
            Sheet(
                "Sheet1",
                [
                    Line(
                        ["西湖区共同富裕工作动态报送表（2023年第42周）", None, None, None, None, None],
                        "layout: title",
                        "title merged over A1:F1",
                    ),
                    Line(
                        ["填报单位：西溪街道", None, None, "填报日期：2023年10月20日", None, None],
                        "layout: info",
                        "填报单位 in A2, 填报日期 in D2 (not data; the rows carry their own 报送单位)",
                    ),
                    c.head("the header is row 3"),
                    c.row(
                        date=d(10, 16),
                        unit="西溪街道",
                        area="社会治理",
                        title="西溪街道召开第四季度网格工作例会",
                        kind="动态",
                    ),
                    c.row(
                        date=d(10, 18),
                        unit="西溪街道",
                        area="公共服务优质共享",
                        title="西溪街道“助老员”上门服务覆盖全部独居老人",
                        kind="动态",
                    ),
                    c.row(
                        date=d(10, 20),
                        unit="西溪街道",
                        area="社会文化",
                        title="西溪街道举办重阳节敬老文艺汇演",
                        kind="信息",
                    ),
                ],
                merges=[(1, 1, 1, 6)],
            ),
        ),
        book(
            "dynamics/twolevel.xlsx",
            Sheet(
                "Sheet1",
                [
                    Line(
                        ["序号", "报送日期", "报送单位", "动态信息", None, None],
                        HEADER,
                        "header, upper level: 序号 A1:A2, 报送日期 B1:B2, 报送单位 C1:C2 merged down; 动态信息 merged over D1:F1",
                    ),
                    Line(
                        [None, None, None, "领域", "标题", "类别"],
                        HEADER,
                        "header, lower level: 领域, 标题, 类别 under 动态信息 (column names: 序号, 报送日期, 报送单位, 领域, 标题, 类别)",
                    ),
                    two.row(
                        raw={"no": 1},
                        date=d(10, 23),
                        unit="三墩镇",
                        area="经济高质量发展",
                        title="三墩镇数字经济产业园新签约项目五个",
                        kind="动态",
                    ),
                    two.row(
                        raw={"no": 2},
                        date=d(10, 24),
                        unit="区教育局",
                        area="公共服务优质共享",
                        title="区教育局启动“教育共富”结对帮扶计划",
                        kind="信息",
                    ),
                    two.row(
                        raw={"no": 3},
                        date=d(10, 25),
                        unit="区农业农村局",
                        area="区域协调发展",
                        title="区农业农村局召开山区海岛县结对工作会",
                        kind="动态",
                    ),
                ],
                merges=[(1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 2, 3), (1, 4, 1, 6)],
            ),
        ),
        csv_file(
            "dynamics/odd_names.csv",
            [
                odd.head(
                    'header names: "报送\\n日期" (a line break in a quoted cell), "报 送 单 位", "领  域", "*标题", '
                    '"类别（选填）", "摘要(200字以内)" -> 报送日期, 报送单位, 领域, 标题, 类别, 摘要'
                ),
                odd.row(
                    date="2023-10-26",
                    unit="区民政局",
                    area="社会治理",
                    title="区民政局发布社区社会组织培育计划",
                    kind="动态",
                    summary="年内培育社区社会组织50家",
                    note="row 2 as Excel shows it (the header's quoted line break makes it text line 3)",
                ),
                odd.row(
                    date="2023-10-27",
                    unit="翠苑街道",
                    area="收入分配",
                    title="翠苑街道开设共富工坊增加居民收入",
                    note="row 3 (text line 4); 类别, 摘要 empty",
                ),
            ],
            CsvStyle("utf-8-sig"),
            note="UTF-8 with BOM, CRLF; the header's first cell spans two text lines",
        ),
        book(
            "dynamics/required_mark.xlsx",
            Sheet(
                "Sheet1",
                [
                    mark.head(
                        '"*报送日期", "报送单位（必填）", "领域", "标题【必填】" -> 报送日期, 报送单位, 领域, 标题; no 类别 or 摘要 column'
                    ),
                    mark.row(
                        date=d(10, 30), unit="蒋村街道", area="生态文明建设", title="蒋村街道开展西溪湿地周边河道清淤"
                    ),
                    mark.row(
                        date=d(10, 31),
                        unit="区市场监管局",
                        area="经济高质量发展",
                        title="区市场监管局推进个转企助力小微企业成长",
                    ),
                ],
            ),
        ),
        book(
            "media/synonyms.xlsx",
            Sheet(
                "Sheet1",
                [
                    syn.head("刊发日期 -> 日期, 媒体名称 -> 媒体, 媒体级别 -> 级别, 稿件数量 -> 稿件数"),
                    syn.row(date=d(5, 8), outlet="光明日报", level="中央", count=1, theme="共同富裕示范区建设"),
                    syn.row(date=d(5, 9), outlet="浙江卫视", level="省级", count=2),
                    syn.row(date=d(5, 10), outlet="西湖发布", level="区级", count=5, theme="共同富裕示范区建设"),
                ],
            ),
        ),
        csv_file(
            "media/units.csv",
            [
                units.head("发布日期 -> 日期; 稿件数（篇） -> 稿件数 (a unit in brackets); no 专题 column"),
                units.row(date="2023-06-05", outlet="中国新闻网", level="中央", count=1),
                units.row(date="2023-06-06", outlet="杭州日报", level="市级", count=3),
            ],
        ),
        csv_file(
            "dynamics/noheader.csv",
            [
                Line(["序号", "日期", "单位", "内容"], NOT_READ, "taken as the header: 序号, 日期, 单位, 内容"),
                Line(["1", "2023-10-09", "西溪街道", "召开共富工作例会"], NOT_READ, "file unreadable"),
                Line(["2", "2023-10-10", "三墩镇", "开展入户走访"], NOT_READ, "file unreadable"),
                Line(["3", "2023-10-11", "区发改局", "报送季度数据"], NOT_READ, "file unreadable"),
            ],
            status="file unreadable: 第1行被当作表头，找到：序号、日期、单位、内容；缺少：领域、标题 "
            "(日期 -> 日期, 单位 -> 报送单位 and 内容 -> 摘要 are synonyms the contract accepts, 序号 is ignored; "
            "the required 领域 and 标题 are named by no row in the first ten)",
        ),
    ]


def family_merged() -> list[Fixture]:
    """Merged cells over data rows: the value fills every row of the merge."""
    c = Cols(
        "dynamics",
        ["序号", "日期", "报送单位", "领域", "标题", "类别"],
        ["no", "date", "unit", "area", "title", "kind"],
    )
    m = Cols("media")
    fill = "from merged {}"
    return [
        book(
            "dynamics/merged.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        raw={"no": 1},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="经济高质量发展",
                        title="三墩镇举办数字经济人才招聘周",
                        kind="动态",
                        note="date B2:B4 and unit C2:C6 merged; their values are in this row",
                    ),
                    c.row(
                        raw={"no": 2},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="区域协调发展",
                        title="三墩镇与松阳县共建飞地产业园",
                        note=f"date {fill.format('B2:B4')}, unit {fill.format('C2:C6')}; 类别 empty",
                    ),
                    c.row(
                        raw={"no": 3},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="社会文化",
                        title="三墩镇农村文化礼堂开展秋季文艺演出",
                        kind="信息",
                        note=f"date {fill.format('B2:B4')}, unit {fill.format('C2:C6')}",
                    ),
                    c.row(
                        raw={"no": 4},
                        date=d(9, 6),
                        unit="三墩镇",
                        area="生态文明建设",
                        title="三墩镇完成紫金港河道水质提升工程",
                        kind="动态",
                        note=f"unit {fill.format('C2:C6')}; area D5:D6 merged, its value is in this row",
                    ),
                    c.row(
                        raw={"no": 5},
                        date=d(9, 8),
                        unit="三墩镇",
                        area="生态文明建设",
                        title="三墩镇推行垃圾分类“定时定点”投放",
                        kind="动态",
                        note=f"unit {fill.format('C2:C6')}, area {fill.format('D5:D6')}",
                    ),
                ],
                merges=[(2, 2, 4, 2), (2, 3, 6, 3), (5, 4, 6, 4)],
            ),
        ),
        book(
            "media/merged_level.xls",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州日报",
                        level="市级",
                        count=2,
                        theme="亚运惠民",
                        note="date A2:A5 and level C2:C4 merged; their values are in this row",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州电视台",
                        level="市级",
                        count=1,
                        theme="亚运惠民",
                        note=f"date {fill.format('A2:A5')}, level {fill.format('C2:C4')}",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州网",
                        level="市级",
                        count=3,
                        note=f"date {fill.format('A2:A5')}, level {fill.format('C2:C4')}",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="西湖报",
                        level="区级",
                        count=4,
                        theme="亚运惠民",
                        note=f"date {fill.format('A2:A5')}; own level",
                    ),
                ],
                merges=[(2, 1, 5, 1), (2, 3, 4, 3)],
            ),
            fmt="xls",
            note="xlwt write_merge; the date is a real date cell",
        ),
    ]


def family_layout() -> list[Fixture]:
    """Rows that are part of the form, not data: totals, signatures, notes and a notes block, pre-numbered empty rows."""
    m = Cols("media")
    c = Cols("dynamics")
    tpl = Cols("dynamics", ["序号", *STANDARD_HEADER["dynamics"]], ["no", *FIELDS["dynamics"]])
    return [
        book(
            "media/with_totals.xlsx",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(date=d(10, 9), outlet="浙江日报", level="省级", count=3, theme="共富迎亚运"),
                    m.row(date=d(10, 10), outlet="杭州日报", level="市级", count=5, theme="共富迎亚运"),
                    m.row(date=d(10, 12), outlet="西湖报", level="区级", count=12),
                    m.row(date=d(10, 13), outlet="新华社", level="中央", count=1, theme="共富迎亚运"),
                    m.layout(
                        "total",
                        '"合计" in the 媒体 column; it also carries a date, a level and 21 (the sum of rows 2-5): not counted',
                        {"date": d(10, 13), "outlet": "合计", "level": "区级", "count": 21},
                    ),
                ],
            ),
        ),
        csv_file(
            "media/totals2.csv",
            [
                m.head(),
                m.row(date="2023-12-04", outlet="浙江日报", level="省级", count=2, theme="共同富裕看浙江"),
                m.row(date="2023-12-05", outlet="杭州日报", level="市级", count=4),
                m.layout("subtotal", '"小计" in the first cell, 6 in 稿件数 (rows 2-3)', {"date": "小计", "count": 6}),
                m.row(date="2023-12-11", outlet="西湖报", level="区级", count=8),
                m.row(date="2023-12-12", outlet="新华社", level="中央", count=1, theme="共同富裕看浙江"),
                m.layout(
                    "total", '"总 计" (a space inside) in the first cell, 15 in 稿件数', {"date": "总 计", "count": 15}
                ),
            ],
        ),
        book(
            "dynamics/footer.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(11, 13),
                        unit="留下街道",
                        area="区域协调发展",
                        title="留下街道与开化县签订共富结对协议",
                        kind="动态",
                    ),
                    c.row(
                        date=d(11, 15),
                        unit="区卫健局",
                        area="公共服务优质共享",
                        title="区卫健局推进基层卫生服务“一站式”改革",
                        kind="信息",
                    ),
                    c.row(
                        date=d(11, 17),
                        unit="转塘街道",
                        area="社会文化",
                        title="转塘街道举办“艺术转塘”社区美育节",
                        kind="动态",
                    ),
                    blank(6),
                    c.layout(
                        "signature",
                        '"填表人：张三" in A, "联系电话：0571-88888888" in D (the 标题 column)',
                        {"date": "填表人：张三", "title": "联系电话：0571-88888888"},
                    ),
                    c.layout("signature", '"审核人：李四" in A', {"date": "审核人：李四"}),
                    c.layout("note", '"备注：本表每周五前报送" in A', {"date": "备注：本表每周五前报送"}),
                    c.layout("note", '"注：领域按七大跑道填写" in A', {"date": "注：领域按七大跑道填写"}),
                ],
            ),
        ),
        book(
            "dynamics/template.xlsx",
            Sheet(
                "Sheet1",
                [
                    tpl.head("序号 in column A"),
                    tpl.row(
                        raw={"no": 1},
                        date=d(11, 20),
                        unit="文新街道",
                        area="社会治理",
                        title="文新街道推广“民生议事堂”协商机制",
                        kind="动态",
                    ),
                    tpl.row(
                        raw={"no": 2},
                        date=d(11, 22),
                        unit="区住建局",
                        area="公共服务优质共享",
                        title="区住建局新开工保障性租赁住房两千套",
                        kind="信息",
                    ),
                    tpl.row(
                        raw={"no": 3},
                        date=d(11, 24),
                        unit="北山街道",
                        area="社会文化",
                        title="北山街道开展西湖诗词进社区活动",
                        kind="动态",
                    ),
                ]
                + [
                    tpl.layout("empty template row", f"only 序号 {n} (pre-numbered, never filled)", {"no": n})
                    for n in range(4, 9)
                ],
            ),
        ),
        book(
            "dynamics/notes_block.xlsx",
            Sheet("Sheet1", _notes_block_lines(tpl), merges=[(r, 1, r, 7) for r in range(6, 10)]),
            note="a 备注 block below the data: its heading and numbered lines each merged across A:G",
        ),
        csv_file(
            "dynamics/说明行.csv",
            [
                c.head(),
                c.row(
                    date="2023-11-27",
                    unit="古荡街道",
                    area="收入分配",
                    title="古荡街道开展“共富工坊”技能培训",
                    kind="动态",
                ),
                c.row(
                    date="2023-11-29",
                    unit="区发改局",
                    area="经济高质量发展",
                    title="区发改局召开民营企业座谈会",
                    kind="动态",
                ),
                Line(
                    ["说明：第48周其余单位无新增动态"],
                    "layout: note",
                    'a line of one cell, "说明：第48周其余单位无新增动态" (no trailing separators)',
                ),
            ],
            CsvStyle("utf-8-sig", pad=False),
        ),
    ]


def _notes_block_lines(tpl: Cols) -> list[Line]:
    """Three data rows numbered 1-3 in 序号, a blank row, then a 备注 block: the heading and
    three numbered lines, each one text merged across the row."""
    notes = [
        ("备注：", '"备注：" merged A6:G6: the block\'s heading'),
        ("1. 请于每周五下午5点前报送至区共富办邮箱。", "a numbered line merged A7:G7: one text, under the heading"),
        ("2、领域按七大跑道填写，类别填“动态”或“信息”。", "numbered 2、, merged A8:G8"),
        ("（3）无动态的单位请在标题栏填写“无”。", "numbered （3）, merged A9:G9"),
    ]
    return [
        tpl.head("序号 in column A"),
        tpl.row(raw={"no": 1}, date=d(12, 11), unit="古荡街道", area="社会治理", title="古荡街道召开年度网格员表彰会", kind="动态"),
        tpl.row(raw={"no": 2}, date=d(12, 12), unit="区文广旅体局", area="社会文化", title="区文广旅体局举办冬季全民健身赛事", kind="信息"),
        tpl.row(raw={"no": 3}, date=d(12, 13), unit="转塘街道", area="收入分配", title="转塘街道开展民宿从业人员技能提升培训", kind="动态"),
        blank(7),
        *(Line([text] * 7, "layout: note", detail) for text, detail in notes),
    ]


def family_nil() -> list[Fixture]:
    """Nil reports (零报告): a unit that had nothing this week says so in the title."""
    c = Cols("dynamics")
    nil = "nil report"
    return [
        book(
            "dynamics/零报告.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(date=d(12, 18), unit="区残联", area="公共服务优质共享", title="区残联开展无障碍设施专项排查", kind="动态",
                          note="a title with 无 in it is a dynamic: only a title that is a nil phrase is a nil report"),
                    c.layout(nil, '标题 "无", 领域 and 类别 empty: a nil report of 区司法局 for 2023-12-18',
                             {"date": d(12, 18), "unit": "区司法局", "title": "无"}),
                    c.layout(nil, '标题 "本周无动态。" (the 。 is ignored), with 领域 and 类别: still a nil report, not a dynamic',
                             {"date": d(12, 19), "unit": "区统计局", "area": "社会治理", "title": "本周无动态。", "kind": "动态"}),
                    c.layout(nil, '标题 "（暂无）" with its brackets; 领域 "无" (not an area), which a nil report does not need',
                             {"date": "2023/12/20", "unit": "区档案馆", "area": "无", "title": "（暂无）"}),
                    c.layout(nil, '标题 "无", but 领域 and 摘要 filled in: the title decides, a nil report; the row\'s text keeps the 摘要',
                             {"date": d(12, 21), "unit": "区科技局", "area": "经济高质量发展", "title": "无",
                              "summary": "走访科技型中小企业三家"}),
                    c.rejected('日期 "2023年12月": a nil report needs its date; the 领域 left empty is not a reason',
                               raw={"date": "2023年12月"}, unit="区信访局", title="本周无工作动态"),
                    c.rejected("报送单位 empty: a nil report needs its unit",
                               date=d(12, 22), title="无新增"),
                    c.rejected('日期 "2022-12-30": outside the report year',
                               raw={"date": "2022-12-30"}, unit="区民防局", title="本周无"),
                ],
            ),
            note="nil reports beside one dynamic; three of them without what a nil report needs",
        ),
    ]


def family_dates() -> list[Fixture]:
    """Dates and counts as they come: text, real cells, serial numbers, Chinese and
    full-width forms, no year, no day, two-digit years, ambiguous orders; counts with units."""
    c = Cols("dynamics")
    m = Cols("media")
    dyn = [
        (
            "20231016",
            "2023-10-16",
            "西溪街道",
            "社会治理",
            "西溪街道开展消防安全进网格专项行动",
            'text "20231016" (eight digits)',
        ),
        (
            dt.datetime(2023, 10, 17, 9, 30),
            "2023-10-17",
            "三墩镇",
            "经济高质量发展",
            "三墩镇召开科创企业服务专班会议",
            "a real date-time cell 2023-10-17 09:30 (the time is dropped)",
        ),
        (
            "2023-10-18 14:05:00",
            "2023-10-18",
            "区发改局",
            "区域协调发展",
            "区发改局赴衢州对接山海协作项目",
            'text "2023-10-18 14:05:00" (the time is dropped)',
        ),
        (
            45218,
            "2023-10-19",
            "区教育局",
            "公共服务优质共享",
            "区教育局发布课后服务提质方案",
            "the number 45218 in a number cell: an Excel date serial",
        ),
        (
            "2023 年 10 月 23 日",
            "2023-10-23",
            "留下街道",
            "社会文化",
            "留下街道举办非遗展演进社区活动",
            'text "2023 年 10 月 23 日" (spaces inside)',
        ),
        (
            "2023年11月28号",
            "2023-11-28",
            "区民政局",
            "社会治理",
            "区民政局开展困难群众走访慰问",
            'text "2023年11月28号" (号 for 日)',
        ),
        (
            "２０２３－１１－２９",
            "2023-11-29",
            "区农业农村局",
            "区域协调发展",
            "区农业农村局举办农产品产销对接会",
            'text "２０２３－１１－２９" (full-width digits and dashes)',
        ),
    ]
    lines = [c.head()]
    for cell, iso, unit, area, title, note in dyn:
        lines.append(c.row(raw={"date": cell}, date=iso, unit=unit, area=area, title=title, kind="动态", note=note))
    lines.append(
        c.warned(
            '"3月5日" has no year: the report year 2023 is assumed',
            raw={"date": "3月5日"},
            date="2023-03-05",
            unit="蒋村街道",
            area="生态文明建设",
            title="蒋村街道启动春季植树护绿行动",
            kind="动态",
        )
    )
    for cell, unit, area, title, reason in [
        (
            "2023年10月",
            "转塘街道",
            "收入分配",
            "转塘街道开展新就业形态劳动者权益保障宣传",
            '日期 "2023年10月": a month without a day, not a date',
        ),
        (
            "23-11-6",
            "区卫健局",
            "公共服务优质共享",
            "区卫健局开展秋冬季流感疫苗接种",
            '日期 "23-11-6": a two-digit year, not accepted',
        ),
        (
            "11/1/2023",
            "古荡街道",
            "社会治理",
            "古荡街道召开平安建设联席会议",
            '日期 "11/1/2023": ambiguous (1 November or 11 January?), not accepted',
        ),
    ]:
        lines.append(c.rejected(reason, raw={"date": cell}, unit=unit, area=area, title=title, kind="动态"))
    lines.append(
        c.row(
            raw={"date": "2023/3/5"},
            date="2023-03-05",
            unit="灵隐街道",
            area="社会文化",
            title="灵隐街道举办学雷锋志愿服务集市",
            kind="动态",
            note='text "2023/3/5"',
        )
    )
    lines.append(
        c.row(
            raw={"date": "2023.3.5"},
            date="2023-03-05",
            unit="双浦镇",
            area="生态文明建设",
            title="双浦镇开展钱塘江沿岸环境整治",
            kind="动态",
            note='text "2023.3.5"',
        )
    )
    lines.append(
        c.rejected(
            '日期 "11/2/2023": 2 November or 11 February? the reason offers both, 2023-11-02 and 2023-02-11',
            raw={"date": "11/2/2023"},
            unit="西湖街道",
            area="公共服务优质共享",
            title="西湖街道开展冬季送温暖入户走访",
            kind="动态",
        )
    )
    return [
        book(
            "dynamics/dates.xlsx",
            Sheet("Sheet1", lines),
            note="one row per way of writing a date; all other cells plain",
        ),
        csv_file(
            "media/counts.csv",
            [
                m.head(),
                m.row(
                    raw={"count": "12篇"},
                    date="2023-11-06",
                    outlet="浙江日报",
                    level="省级",
                    count=12,
                    note='稿件数 "12篇"',
                ),
                m.row(
                    raw={"count": "12 条"},
                    date="2023-11-07",
                    outlet="杭州日报",
                    level="市级",
                    count=12,
                    note='稿件数 "12 条"',
                ),
                m.row(
                    raw={"count": "12.0"},
                    date="2023-11-08",
                    outlet="西湖报",
                    level="区级",
                    count=12,
                    note='稿件数 "12.0"',
                ),
                m.row(
                    raw={"count": "７"},
                    date="2023-11-09",
                    outlet="人民日报",
                    level="中央",
                    count=7,
                    note='稿件数 "７" (full-width)',
                ),
                m.rejected(
                    '稿件数 "3.5": not a whole number',
                    raw={"count": "3.5"},
                    date="2023-11-10",
                    outlet="钱江晚报",
                    level="省级",
                ),
                m.rejected(
                    '稿件数 "-1": negative', raw={"count": "-1"}, date="2023-11-13", outlet="都市快报", level="市级"
                ),
            ],
        ),
    ]


def family_everything_clean() -> list[Fixture]:
    """The clean meetings, tasks and achievements files the everything folder adds."""
    meet = Cols("meetings")
    task = Cols("tasks")
    ach = Cols("achievements")
    return [
        csv_file(
            "meetings.csv",
            [
                meet.head(),
                meet.row(date="2023-02-21", name="共同富裕示范区建设一季度工作例会", kind="专题例会"),
                meet.row(date="2023-07-18", name="区共同富裕示范区建设领导小组（扩大）会议", kind="领导小组会议"),
                meet.row(date="2023-11-28", name="共同富裕“最佳实践”案例评审会", kind="评审会"),
            ],
        ),
        csv_file(
            "tasks.csv",
            [
                task.head(),
                task.row(
                    id="ZD-01",
                    kind="重点工作",
                    area="经济高质量发展",
                    name="实施数字经济“一号工程”升级版",
                    lead="区发改局",
                    status="推进中",
                ),
                task.row(
                    id="ZD-02",
                    kind="重点工作",
                    area="公共服务优质共享",
                    name="推进“15分钟公共服务圈”建设",
                    lead="区民政局",
                    status="已完成",
                ),
                task.row(
                    id="GG-01",
                    kind="重大改革",
                    area="缩小城乡差距",
                    name="深化强村富民乡村集成改革",
                    lead="区农业农村局",
                    status="推进中",
                ),
                task.row(
                    id="GG-02",
                    kind="重大改革",
                    area="精神生活共同富裕",
                    name="打造“文化润心”精神富有品牌",
                    lead="区委宣传部",
                    status="未启动",
                ),
            ],
        ),
        csv_file(
            "achievements.csv",
            [
                ach.head(),
                ach.row(
                    date="2023-04-20",
                    name="“西湖益联”社区服务模式入选全国社区治理优秀案例",
                    kind="最佳实践",
                    level="国家级",
                    unit="区民政局",
                    area="社会治理",
                ),
                ach.row(
                    date="2023-08-15",
                    name="双浦镇入选省级未来乡村试点",
                    kind="试点",
                    level="省级",
                    unit="双浦镇",
                    area="区域协调发展",
                ),
            ],
        ),
    ]


# In everything/, the locations family's own meetings, tasks and achievements files
# (会议.xlsx, 任务/, 成果.csv) are left out: the clean meetings.csv, tasks.csv and
# achievements.csv stand for those tables, so no table has two competing sources.
EVERYTHING_LEAVES_OUT = ("会议.xlsx", "任务/重点工作.csv", "任务/重大改革.xlsx", "成果.csv")

FAMILIES = {
    "formats": (
        family_formats,
        "Every file format an office may send (dynamics, plus one media .xls); plain header in row 1.",
    ),
    "locations": (
        family_locations,
        "Where files sit: sub-folders in table folders, tables under Chinese names, a table as a folder of files, and files that are not used.",
    ),
    "sheets": (
        family_sheets,
        "Workbooks with several sheets: every visible sheet with a usable header is data; instruction, hidden and empty sheets are not.",
    ),
    "headers": (
        family_headers,
        "Headers as offices write them: below a title, on two levels, with marks, breaks, spaces, notes and synonyms in the names; and a file with no usable header.",
    ),
    "merged": (family_merged, "Merged cells over data rows: the merged value holds for every row of the merge."),
    "layout": (
        family_layout,
        "Form rows that are not data: totals and subtotals, signatures, notes and a notes block, pre-numbered empty rows, a blank spacer.",
    ),
    "dates": (family_dates, "Dates and counts in the forms offices write them; the report year is 2023."),
    "nil": (
        family_nil,
        "Nil reports (零报告): a title such as 无 or 本周无动态 says the unit reported nothing that week; "
        "it needs only its date and unit, and is never counted as a dynamic.",
    ),
}


def family_everything(built: dict[str, list[Fixture]]) -> list[Fixture]:
    fixtures = [
        f for name in FAMILIES for f in built[name] if not (name == "locations" and f.rel in EVERYTHING_LEAVES_OUT)
    ]
    return fixtures + family_everything_clean()


# --------------------------------------------------------------------------- writers


def physical(sheet: Sheet) -> list[list]:
    """The cells as they are in the file: a merge keeps its value in the top-left cell only."""
    width = max((len(line.cells) for line in sheet.lines), default=0)
    grid = [list(line.cells) + [None] * (width - len(line.cells)) for line in sheet.lines]
    for r1, c1, r2, c2 in sheet.merges:
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) != (r1, c1):
                    grid[r - 1][col - 1] = None
    return grid


def _text_cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def csv_text(fixture: Fixture) -> str:
    style = fixture.style
    assert style is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.newline, quoting=csv.QUOTE_MINIMAL)
    rows = physical(fixture.sheets[0]) if style.pad else [line.cells for line in fixture.sheets[0].lines]
    for row in rows:
        writer.writerow([_text_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(fixture: Fixture, path: Path) -> None:
    style = fixture.style
    assert style is not None
    text = csv_text(fixture)
    if style.encoding == "utf-16le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    else:
        data = text.encode(style.encoding)
    path.write_bytes(data)


def _number_format(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return "yyyy/m/d h:mm"
    if isinstance(value, dt.date):
        return "yyyy/m/d"
    return None


def write_xlsx(fixture: Fixture, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in fixture.sheets:
        ws = wb.create_sheet(sheet.name)
        for r, row in enumerate(physical(sheet), start=1):
            for col, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=col, value=value)
                if fmt := _number_format(value):
                    cell.number_format = fmt
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if sheet.hidden:
            ws.sheet_state = "hidden"
    wb.properties.creator = "西湖区共富办"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    # Workbook.save stamps `modified` with the clock; its writer, used directly, does not.
    ExcelWriter(wb, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    stabilise_zip(path)


def write_xls(fixture: Fixture, path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles = {
        "date": xlwt.easyxf(num_format_str="yyyy/m/d"),
        "datetime": xlwt.easyxf(num_format_str="yyyy/m/d h:mm"),
        "plain": xlwt.easyxf(),
    }

    def style_of(value: object) -> xlwt.XFStyle:
        if isinstance(value, dt.datetime):
            return styles["datetime"]
        return styles["date"] if isinstance(value, dt.date) else styles["plain"]

    for sheet in fixture.sheets:
        ws = wb.add_sheet(sheet.name)
        grid = physical(sheet)
        merged: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in sheet.merges:
            value = grid[r1 - 1][c1 - 1]
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value, style_of(value))
            merged |= {(r, col) for r in range(r1, r2 + 1) for col in range(c1, c2 + 1)}
        for r, row in enumerate(grid, start=1):
            for col, value in enumerate(row, start=1):
                if value is not None and (r, col) not in merged:
                    ws.write(r - 1, col - 1, value, style_of(value))
        if sheet.hidden:
            ws.visibility = 1
    wb.save(str(path))


def write_ods(fixture: Fixture, path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for sheet in fixture.sheets:
        table = Table(name=sheet.name)
        for row in physical(sheet):
            tr = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=f"{value.year}/{value.month}/{value.day}"))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    stabilise_zip(path)


def stabilise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry times (openpyxl and odfpy stamp the clock), order and compression kept."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


def write_fixture(fixture: Fixture, year_dir: Path) -> None:
    path = year_dir / fixture.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    {
        "csv": write_csv,
        "xlsx": write_xlsx,
        "xls": write_xls,
        "ods": write_ods,
        "bytes": lambda f, p: p.write_bytes(f.payload),
    }[fixture.fmt](fixture, path)


# --------------------------------------------------------------------------- read-back


def _same(meant: object, read: object) -> bool:
    if meant is None:
        return read in (None, "")
    if isinstance(meant, dt.datetime):
        return isinstance(read, dt.datetime) and read == meant
    if isinstance(meant, dt.date):
        if isinstance(read, dt.datetime):
            return read == dt.datetime.combine(meant, dt.time())
        return isinstance(read, dt.date) and read == meant
    if isinstance(meant, (int, float)):
        return isinstance(read, (int, float)) and not isinstance(read, bool) and float(read) == float(meant)
    return read == meant


def verify(fixture: Fixture, year_dir: Path) -> None:
    """Read the written file back and compare it with the lines, row by row."""
    path = year_dir / fixture.rel
    where = f"{year_dir.parent.name}/{fixture.path}"
    if fixture.fmt == "bytes":
        assert path.read_bytes() == fixture.payload, where
        return
    if fixture.fmt == "csv":
        style = fixture.style
        assert style is not None
        data = path.read_bytes()
        if style.encoding == "utf-16le-bom":
            assert data.startswith(codecs.BOM_UTF16_LE), where
            text = data[2:].decode("utf-16-le")
        elif style.encoding == "utf-8-sig":
            assert data.startswith(codecs.BOM_UTF8), where
            text = data.decode("utf-8-sig")
        elif style.encoding == "gb18030":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise AssertionError(f"{where}: GB18030 file also decodes as UTF-8")
            text = data.decode("gb18030")
        else:
            assert not data.startswith(codecs.BOM_UTF8), where
            text = data.decode("utf-8")
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=style.delimiter))
        rows = physical(fixture.sheets[0]) if style.pad else [line.cells for line in fixture.sheets[0].lines]
        meant = [[_text_cell(v) for v in row] for row in rows]
        assert records == meant, f"{where}: read back {records} != {meant}"
        ends = text.count(style.newline) if style.newline == "\r\n" else text.count("\n") - text.count("\r\n")
        assert ends == len(records), f"{where}: {ends} line ends for {len(records)} rows"
        return
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == [s.name for s in fixture.sheets], f"{where}: sheets {wb.sheet_names}"
    for sheet, meta in zip(fixture.sheets, wb.sheets_metadata, strict=True):
        visible = str(meta.visible).lower()
        assert ("hidden" in visible) == sheet.hidden, f"{where}#{sheet.name}: visibility {meta.visible}"
        rows = wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        grid = physical(sheet)
        while grid and all(v is None for v in grid[-1]):
            grid.pop()  # a trailing blank row is not in the file
        assert len(rows) == len(grid), f"{where}#{sheet.name}: {len(rows)} rows read, {len(grid)} meant"
        for r, (meant_row, read_row) in enumerate(zip(grid, rows, strict=True), start=1):
            width = max(len(meant_row), len(read_row))
            meant_row = meant_row + [None] * (width - len(meant_row))
            read_row = list(read_row) + [""] * (width - len(read_row))
            for col, (meant, read) in enumerate(zip(meant_row, read_row, strict=True), start=1):
                assert _same(meant, read), f"{where}#{sheet.name} R{r}C{col}: read {read!r}, meant {meant!r}"
        if fixture.fmt in ("xlsx", "xls") and sheet.merges:
            ranges = wb.get_sheet_by_name(sheet.name).merged_cell_ranges or []
            got = sorted((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in ranges)
            assert got == sorted(sheet.merges), f"{where}#{sheet.name}: merges {got} != {sorted(sheet.merges)}"
    if fixture.fmt == "xlsx":
        from openpyxl import load_workbook

        owb = load_workbook(path)
        for sheet in fixture.sheets:
            got = sorted((m.min_row, m.min_col, m.max_row, m.max_col) for m in owb[sheet.name].merged_cells.ranges)
            assert got == sorted(sheet.merges), f"{where}#{sheet.name}: openpyxl merges {got}"
            assert (owb[sheet.name].sheet_state == "hidden") == sheet.hidden, where


# --------------------------------------------------------------------------- EXPECTED.md


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "\\n")


def _rows_of(fixtures: list[Fixture]) -> list[tuple[Fixture, Sheet | None, int | None, Line | None]]:
    out = []
    for fixture in fixtures:
        if fixture.fmt == "bytes" or not fixture.sheets:
            out.append((fixture, None, None, None))
            continue
        for sheet in fixture.sheets:
            if not sheet.list_rows:
                out.append((fixture, sheet, None, None))
                continue
            for r, line in enumerate(sheet.lines, start=1):
                out.append((fixture, sheet, r, line))
            if sheet.status and not sheet.lines:
                out.append((fixture, sheet, None, None))
    return out


def family_markdown(name: str, purpose: str, fixtures: list[Fixture]) -> tuple[str, dict]:
    lines = [f"## {name}/ — `tests/data/quirks/{name}/{YEAR}/`", "", purpose, ""]
    notes = [f"- `{f.path}`: {f.note}" for f in fixtures if f.note]
    if notes:
        lines += ["Files:", "", *notes, ""]
    lines += ["| file[#sheet] | row | expected outcome | detail |", "|---|---|---|---|"]
    totals: dict = {
        "counted": Counter(),
        "warnings": 0,
        "rejected": Counter(),
        "layout": Counter(),
        "articles": 0,
        "files_skipped": [],
        "files_unreadable": [],
        "sheets_skipped": [],
        "sheets_empty": [],
    }
    for fixture, sheet, row, line in _rows_of(fixtures):
        label = f"{fixture.path}#{sheet.name}" if sheet is not None and len(fixture.sheets) > 1 else fixture.path
        if line is None:
            status = (sheet.status if sheet is not None and sheet.status else fixture.status) or "read"
            outcome, _, why = status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
            continue
        if row == 1 and fixture.status:
            outcome, _, why = fixture.status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
        if row == 1 and sheet is not None and sheet.status:
            outcome, _, why = sheet.status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
        lines.append(f"| `{_cell(label)}` | {row} | {line.outcome} | {_cell(line.detail)} |")
        if line.outcome in (COUNTED, WARNED):
            totals["counted"][line.table] += 1
            totals["articles"] += line.count
            totals["warnings"] += line.outcome == WARNED
        elif line.outcome == REJECTED:
            totals["rejected"][line.table] += 1
        elif line.outcome.startswith("layout: "):
            totals["layout"][line.outcome.removeprefix("layout: ")] += 1
    for fixture in fixtures:
        if fixture.status.startswith("file skipped"):
            totals["files_skipped"].append(fixture.path)
        elif fixture.status.startswith("file unreadable"):
            totals["files_unreadable"].append(fixture.path)
        for sheet in fixture.sheets:
            if sheet.status.startswith("sheet skipped"):
                totals["sheets_skipped"].append(f"{fixture.path}#{sheet.name}")
            elif sheet.status.startswith("sheet read"):
                totals["sheets_empty"].append(f"{fixture.path}#{sheet.name}")
    lines += ["", f"Totals for {name}/:", ""]
    counted = totals["counted"]
    lines.append(
        "- rows counted: "
        + (", ".join(f"{t} {counted[t]}" for t in FIELDS if counted[t]) or "none")
        + f" (total {sum(counted.values())}; of these with a warning: {totals['warnings']})"
    )
    rejected = totals["rejected"]
    lines.append(
        f"- rows rejected: {sum(rejected.values())}"
        + (" (" + ", ".join(f"{t} {rejected[t]}" for t in FIELDS if rejected[t]) + ")" if rejected else "")
    )
    layout = totals["layout"]
    lines.append(
        f"- layout rows: {sum(layout.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(layout.items())) + ")" if layout else "")
    )
    lines.append("- duplicates: 0")
    if counted["media"]:
        lines.append(f"- media articles counted (sum of 稿件数 over counted media rows): {totals['articles']}")
    for key, title in (
        ("files_skipped", "files skipped (not used)"),
        ("files_unreadable", "files unreadable"),
        ("sheets_skipped", "sheets skipped"),
        ("sheets_empty", "sheets read with no data rows"),
    ):
        items = totals[key]
        lines.append(f"- {title}: {len(items)}" + (" — " + ", ".join(f"`{i}`" for i in items) if items else ""))
    lines.append("")
    return "\n".join(lines), totals


PREAMBLE = f"""# Quirk fixtures: what a correct reader must make of every row

Generated by `uv run python tools/quirk_fixtures.py` together with the files; do not edit by
hand (the generator deletes and re-creates `tests/data/quirks/`). Every file was read back
after writing (python-calamine, openpyxl, the csv module) and compared cell by cell with the
rows below, so the row numbers are the files' own.

Each family is its own raw folder, `tests/data/quirks/<family>/`, with one year, {YEAR}; the
report year is {YEAR}. File names below are relative to that raw folder.

Conventions:

- **row** is the spreadsheet row as Excel shows it, 1-based, header rows included. In a
  CSV/text file it is the record number, not the text line: a quoted cell with a line break
  (`headers/…/odd_names.csv`) makes one row of two lines. In a workbook it is per sheet;
  `file#sheet` names the sheet when a workbook has more than one.
- **counted**: the row is a record of its table; the detail gives the values the reader must
  produce (dates as ISO, counts as whole numbers, empty 类别 as the default 动态, merged
  cells filled in).
- **counted + warning**: counted, and the reader must say why it is doubtful.
- **rejected**: the row is read but breaks the contract; the detail says why (the wording of
  the reason is the reader's; what it must name is given here).
- **layout: <kind>**: a row of the form, not data: not counted, not rejected. Kinds: title,
  info (a 填报单位/填报日期 line), total, subtotal, signature (填表人/审核人/联系电话), note
  (备注/注/说明, and the numbered lines of a notes block under such a row), empty template row
  (only a pre-printed 序号), nil report (零报告: a 标题 such as 无 or 本周无动态, with a date and a
  unit: the unit reported, with nothing to count).
- **header**: a header row (two rows for a two-level header). **blank**: an empty row,
  spacing, not a row read. **not read**: a row of a file or sheet that is not used as data.
- File and sheet outcomes (row `—`): **file skipped** (not an input: hidden, lock file, not
  a spreadsheet, a name that matches no table), **file unreadable** (an input file with no
  usable header: the build names it and goes on), **sheet skipped**, **sheet read** (header
  only: zero rows, not an error).
- Duplicates: none anywhere. Titles (and media rows, meeting names, task ids, achievement
  names) are distinct across all fixtures, so the `everything/` folder, which combines the
  families, dedupes nothing either.
"""


def write_expected(built: dict[str, list[Fixture]]) -> dict[str, dict]:
    sections = [PREAMBLE]
    all_totals = {}
    purposes = {name: purpose for name, (_, purpose) in FAMILIES.items()}
    purposes["everything"] = (
        "Every family's files together in one raw folder (byte-identical copies; the locations family's "
        f"{', '.join(EVERYTHING_LEAVES_OUT)} left out, so that meetings, tasks and achievements each have "
        "one source), plus clean `meetings.csv` (3 meetings), `tasks.csv` (4 tasks, 2 重点工作 and 2 重大改革) "
        "and `achievements.csv` (2): a full pipeline build runs on it. Its outcomes are the families' outcomes, "
        "listed again here with their paths in this folder."
    )
    for name, fixtures in built.items():
        text, totals = family_markdown(name, purposes[name], fixtures)
        sections.append(text)
        all_totals[name] = totals
    sections.append(summary_markdown(all_totals))
    (OUT / "EXPECTED.md").write_text("\n".join(sections), encoding="utf-8")
    return all_totals


def summary_markdown(all_totals: dict[str, dict]) -> str:
    lines = [
        "## Summary",
        "",
        "| family | dynamics | media | meetings | tasks | achievements | warnings | rejected | layout | media articles | files skipped | files unreadable | sheets skipped |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, t in all_totals.items():
        c = t["counted"]
        lines.append(
            f"| {name} | {c['dynamics']} | {c['media']} | {c['meetings']} | {c['tasks']} | {c['achievements']} "
            f"| {t['warnings']} | {sum(t['rejected'].values())} | {sum(t['layout'].values())} | {t['articles']} "
            f"| {len(t['files_skipped'])} | {len(t['files_unreadable'])} | {len(t['sheets_skipped'])} |"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def check_unique(built: dict[str, list[Fixture]]) -> None:
    """No row identity (dynamics title, media row, meeting name, task id, achievement name)
    appears twice across the families, so no fixture dedupes anything by accident."""
    seen: dict[tuple, str] = {}
    for name, fixtures in built.items():
        if name == "everything":
            continue
        for fixture in fixtures:
            for sheet in fixture.sheets:
                for r, line in enumerate(sheet.lines, start=1):
                    if not line.key:
                        continue
                    where = f"{name}/{fixture.path}#{sheet.name}:{r}"
                    assert line.key not in seen, f"{line.key} at {where} and {seen[line.key]}"
                    seen[line.key] = where


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    built: dict[str, list[Fixture]] = {}
    for name, (build, _) in FAMILIES.items():
        built[name] = build()
        year_dir = OUT / name / YEAR
        for fixture in built[name]:
            write_fixture(fixture, year_dir)
    built["everything"] = family_everything(built)
    check_unique(built)
    everything_dir = OUT / "everything" / YEAR
    copied = {id(f): name for name in FAMILIES for f in built[name]}
    for fixture in built["everything"]:
        if id(fixture) in copied:  # copy the family's file in, byte for byte
            target = everything_dir / fixture.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(OUT / copied[id(fixture)] / YEAR / fixture.rel, target)
        else:
            write_fixture(fixture, everything_dir)
    for name, fixtures in built.items():
        for fixture in fixtures:
            verify(fixture, OUT / name / YEAR)
    totals = write_expected(built)
    files = sum(1 for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {files} files under {OUT.relative_to(ROOT)}")
    for name, t in totals.items():
        counted = {k: v for k, v in t["counted"].items() if v}
        print(
            f"  {name:<11} counted {counted}, warnings {t['warnings']}, rejected {sum(t['rejected'].values())}, "
            f"layout {sum(t['layout'].values())}, articles {t['articles']}, files skipped {len(t['files_skipped'])}, "
            f"sheets skipped {len(t['sheets_skipped'])}, unreadable {len(t['files_unreadable'])}"
        )


if __name__ == "__main__":
    main()
