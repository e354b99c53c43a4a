"""The input contract as data: every table's columns, their Chinese and English names,
required flags and rules, and the programme vocabulary (program.yaml) with its default.

Parsing (`headers.py`, `rules.py`, `layout.py`), `check`, and the README's format section (its
column and layout-row tables) all read these tables.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

import yaml

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    `rule` is one of: text, date, count (whole number >= 0), choice (one of `choices`),
    vocab (one of the program's `vocabulary` list). For tasks the area's vocabulary
    depends on the row's kind, given by `vocabulary_by_kind`.
    """

    name: str
    chinese: tuple[str, ...]  # the header offices use first, then its usual synonyms
    required: bool
    rule: str = "text"
    choices: tuple[str, ...] = ()
    vocabulary: str = ""
    vocabulary_by_kind: tuple[tuple[str, str], ...] = ()
    default: str | None = None

    @property
    def label(self) -> str:
        """How messages name the column: the Chinese header offices use."""
        return self.chinese[0]


@dataclass(frozen=True)
class NilReport:
    """A table's nil report (零报告): a row whose `column` is one of NIL_PHRASES (after NFKC,
    without punctuation and spaces) says its unit had nothing to report. It needs only the
    `needs` columns, is never counted as a row of the table, and is a layout row of kind 零报告."""

    column: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """An input table: where its files live and what a row must hold.

    `places` are the names its file or folder may have in a year folder: <year>/<place>.xlsx,
    or any file at any depth below <year>/<place>/.
    """

    name: str
    chinese: str
    places: tuple[str, ...]
    columns: tuple[Column, ...]
    dedupe_key: tuple[str, ...]  # rows equal on these (after normalisation) count once
    dated: bool = True
    # True: the table comes in dated snapshots; a file named by its date (2023-06-30.xlsx) dates
    # its rows' `snapshot` column where the rows do not say it themselves (截至日期)
    snapshots: bool = False
    nil_report: NilReport | None = None  # how a row says its unit had nothing to report (零报告)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


_DATE_NAMES = ("日期", "时间")
_DATE = Column("date", _DATE_NAMES, True, "date")

DYNAMICS = TableSpec(
    name="dynamics",
    chinese="工作动态",
    places=("dynamics", "工作动态"),
    columns=(
        Column("date", ("日期", "报送日期", "上报日期", "填报日期", "报送时间", "时间"), True, "date"),
        Column("unit", ("报送单位", "单位", "单位名称", "上报单位", "填报单位", "报送部门", "部门"), True),
        Column("area", ("领域", "所属领域", "工作领域", "跑道", "所属跑道"), True, "vocab", vocabulary="areas"),
        Column("title", ("标题", "动态标题", "信息标题", "题目", "工作动态"), True),
        Column("kind", ("类别", "类型", "信息类别", "动态类别"), False, "choice", choices=("动态", "信息"), default="动态"),
        Column("summary", ("摘要", "内容", "主要内容", "内容摘要", "简要内容"), False),
    ),
    dedupe_key=("date", "unit", "title"),
    nil_report=NilReport("title", ("date", "unit")),
)

MEDIA = TableSpec(
    name="media",
    chinese="媒体宣传",
    places=("media", "媒体宣传"),
    columns=(
        Column("date", ("日期", "刊发日期", "发布日期", "刊登日期", "报道日期", "发稿日期", "时间"), True, "date"),
        Column("outlet", ("媒体", "媒体名称", "刊发媒体", "媒体平台"), True),
        Column("level", ("级别", "媒体级别", "层级", "媒体层级"), True, "vocab", vocabulary="media_levels"),
        Column("count", ("稿件数", "稿件数量", "篇数", "刊发数量", "发稿数", "稿件篇数"), True, "count"),
        Column("theme", ("专题", "主题", "栏目", "专栏"), False),
    ),
    dedupe_key=("date", "outlet", "level", "count", "theme"),
)

MEETINGS = TableSpec(
    name="meetings",
    chinese="会议",
    places=("meetings", "会议"),
    columns=(
        Column("date", ("日期", "会议日期", "召开日期", "时间"), True, "date"),
        Column("name", ("会议名称", "名称", "会议"), True),
        Column("kind", ("类型", "会议类型", "类别"), False),
    ),
    dedupe_key=("date", "name"),
)

# A task's 状态, in the order reports list them.
TASK_STATUSES = ("已完成", "推进中", "未启动")

TASKS = TableSpec(
    name="tasks",
    chinese="重点工作和重大改革",
    places=("tasks", "任务"),
    columns=(
        Column("id", ("编号", "任务编号", "事项编号"), True),
        Column("kind", ("类型", "类别", "任务类型"), True, "choice", choices=("重点工作", "重大改革")),
        Column(
            "area",
            ("领域", "所属领域", "改革领域", "跑道"),
            True,
            "vocab",
            vocabulary_by_kind=(("重点工作", "areas"), ("重大改革", "reform_areas")),
        ),
        Column("name", ("名称", "任务名称", "事项名称", "工作名称"), True),
        Column("lead_unit", ("牵头单位", "责任单位", "牵头部门"), False),
        Column("status", ("状态", "进展状态", "推进状态", "完成情况"), True, "choice", choices=TASK_STATUSES),
        Column("snapshot", ("截至日期", "截止日期", "统计截至日期"), False, "date"),
    ),
    dedupe_key=("snapshot", "id"),
    dated=False,
    snapshots=True,
)

ACHIEVEMENTS = TableSpec(
    name="achievements",
    chinese="成果",
    places=("achievements", "成果"),
    columns=(
        Column("date", ("日期", "获评日期", "入选日期", "时间"), True, "date"),
        Column("name", ("名称", "成果名称"), True),
        Column("kind", ("类型", "类别", "成果类型"), True, "choice", choices=("标志性成果", "试点", "最佳实践", "课题", "荣誉")),
        Column("level", ("级别", "层级"), True, "choice", choices=("国家级", "省级", "市级", "区级")),
        Column("unit", ("单位", "责任单位", "牵头单位"), False),
        Column("area", ("领域", "所属领域"), False),
    ),
    dedupe_key=("name", "kind", "level"),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (DYNAMICS, MEDIA, MEETINGS, TASKS, ACHIEVEMENTS)}

NIL_PHRASES = ("无", "暂无", "本周无", "本周无动态", "本周无工作动态", "无新增")


@dataclass(frozen=True)
class LayoutKind:
    """A kind of layout row (neither counted nor rejected, listed with its text): its name in
    `check`, the warehouse and the report, and the words its first non-blank cell opens with
    where that is how it is recognised."""

    name: str
    words: tuple[str, ...] = ()


TITLE_ROW = LayoutKind("表头上方的标题行")
TOTALS_ROW = LayoutKind("合计行", ("合计", "总计", "小计"))
SIGN_OFF_ROW = LayoutKind(
    "签署行", ("填表人", "填报人", "审核人", "制表人", "签发人", "负责人", "联系人", "联系电话", "联系方式")
)
NOTE_ROW = LayoutKind("备注行", ("备注", "说明", "填报说明", "注"))
NIL_REPORT_ROW = LayoutKind("零报告")
EMPTY_TEMPLATE_ROW = LayoutKind("空白模板行")
# in the order a row is tried: the first kind that fits is the row's
LAYOUT_KINDS = (TITLE_ROW, TOTALS_ROW, SIGN_OFF_ROW, NOTE_ROW, NIL_REPORT_ROW, EMPTY_TEMPLATE_ROW)


class ProgramError(ValueError):
    """program.yaml is not usable; the message names the key."""


@dataclass(frozen=True)
class Program:
    """The programme's vocabulary. Defaults are the Xihu 2022 reference's."""

    name: str = "西湖区高质量发展建设共同富裕示范区"
    areas: tuple[str, ...] = (
        "经济高质量发展",
        "收入分配",
        "区域协调发展",
        "公共服务优质共享",
        "社会文化",
        "生态文明建设",
        "社会治理",
    )
    reform_areas: tuple[str, ...] = (
        "扩中提低",
        "缩小地区差距",
        "缩小城乡差距",
        "公共服务优质共享",
        "精神生活共同富裕",
        "共同富裕基本单元改革",
    )
    media_levels: tuple[str, ...] = ("中央", "省级", "市级", "区级")
    units: tuple[str, ...] = field(default=())
    template: str = ""  # the office's own report template, a file in the raw folder (README)
    districts: tuple[str, ...] = field(default=())  # a roll-up's districts, in the report's order

    def vocabulary(self, key: str) -> tuple[str, ...]:
        return getattr(self, key)

    def as_dict(self) -> dict[str, object]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


PROGRAM_FILE = "program.yaml"


# program.yaml is a short list of names; a larger file is a mistake (or a YAML bomb).
MAX_PROGRAM_BYTES = 64 * 1024
# An area, outlet level or unit is a name, printed in tables and on chart axes.
MAX_PROGRAM_NAME = 100


def load_program(raw_dir: Path, defaults: Program | None = None) -> Program:
    """Read raw/program.yaml over `defaults` (the built-in programme, or for a district the
    roll-up's), key by key; absent file: the defaults.

    Every problem is a ProgramError in Chinese naming the key, before any row is read.
    """
    path = Path(raw_dir) / PROGRAM_FILE
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return defaults or Program()
    return _load_program(str(path), (stat.st_size, stat.st_mtime_ns, stat.st_ino), defaults)


@lru_cache(maxsize=4096)
def _load_program(file: str, version: tuple[int, int, int], defaults: Program | None) -> Program:
    """The programme of one program.yaml as it stands (size, modification time, inode): a
    roll-up's build reads each district's file for every district it plans. A file that
    cannot be used raises, and is read again next time."""
    path, base = Path(file), defaults or Program()
    data = _read_yaml(path)
    known = {f.name for f in fields(Program)}
    overrides: dict[str, object] = {}
    for key, value in data.items():
        if key not in known:
            raise ProgramError(f"{path}：未知的键“{key}”（可用的键：{'、'.join(sorted(known))}）")
        if key == "districts" and defaults is not None:
            raise ProgramError(f"{path}：键“districts”只能写在汇总文件夹的 program.yaml 中")
        if key == "template":
            if not isinstance(value, str) or not value.strip():
                raise ProgramError(f"{path}：键“template”应为原始数据文件夹中一个文件的名称")
            overrides[key] = value.strip()
            continue
        if key == "name":
            if not isinstance(value, str) or not value.strip():
                raise ProgramError(f"{path}：键“name”应为非空的文字")
            if len(value.strip()) > MAX_PROGRAM_NAME:
                raise ProgramError(f"{path}：键“name”超过{MAX_PROGRAM_NAME}字")
            overrides[key] = value.strip()
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProgramError(f"{path}：键“{key}”应为非空文字的列表")
        if not value:
            raise ProgramError(f"{path}：键“{key}”的列表不能为空")
        words = tuple(_normalise_text(v) for v in value)
        if long := [w for w in words if len(w) > MAX_PROGRAM_NAME]:
            raise ProgramError(f"{path}：键“{key}”中有超过{MAX_PROGRAM_NAME}字的项：{long[0][:20]}…")
        repeated = sorted({w for w in words if words.count(w) > 1})
        if repeated:
            raise ProgramError(f"{path}：键“{key}”中有重复的项：{'、'.join(repeated)}")
        overrides[key] = words
    return replace(base, **overrides)


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise ProgramError(f"{path}：不是文件")
    try:
        size = path.stat().st_size
        if size > MAX_PROGRAM_BYTES:
            raise ProgramError(f"{path}：文件过大（{size}字节，上限{MAX_PROGRAM_BYTES}字节）")
        text = path.read_text(encoding="utf-8")
        # anchors and aliases let a few bytes expand into gigabytes; a vocabulary never needs them
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise ProgramError(f"{path}：不支持 YAML 锚点和别名（& 与 *）")
        data = yaml.safe_load(text) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProgramError(f"{path}：不是有效的 YAML（{str(exc).splitlines()[0]}）") from None
    except OSError as exc:
        raise ProgramError(f"{path}：无法读取（{exc.strerror}）") from None
    if not isinstance(data, dict):
        raise ProgramError(f"{path}：应为“键: 值”的映射，而不是{type(data).__name__}")
    return data


def _normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def year_folders(raw_dir: Path) -> list[int]:
    """Years with a folder in the raw folder, ascending."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)
