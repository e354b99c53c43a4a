"""The input tables as data: every table's columns, their Chinese and English names, required
flags and rules, and the layout rows a sheet may carry besides its data. Parsing (`intake/`),
`check` and the README's format section (its column and layout-row tables) all read them."""

from __future__ import annotations

from dataclasses import dataclass

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
