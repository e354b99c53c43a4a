"""The input contract as data: every table's columns, their Chinese and English names,
required flags and rules, and the programme vocabulary (program.yaml) with its default.

Parsing (`validate.py`), `check`, and the README's format section all read these tables.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    `rule` is one of: text, date, count (whole number >= 0), choice (one of `choices`),
    vocab (one of the program's `vocabulary` list). For tasks the area's vocabulary
    depends on the row's kind, given by `vocabulary_by_kind`.
    """

    name: str
    chinese: tuple[str, ...]
    required: bool
    rule: str = "text"
    choices: tuple[str, ...] = ()
    vocabulary: str = ""
    vocabulary_by_kind: tuple[tuple[str, str], ...] = ()
    default: str | None = None

    @property
    def label(self) -> str:
        """How messages name the column: the Chinese header users see, then the English."""
        return f"{self.chinese[0]} ({self.name})"


@dataclass(frozen=True)
class TableSpec:
    """An input table: where its files live and what a row must hold."""

    name: str
    chinese: str
    folder: bool  # True: <year>/<name>/*.csv|xlsx; False: <year>/<name>.csv|xlsx
    columns: tuple[Column, ...]
    dedupe_key: tuple[str, ...]  # rows equal on these (after normalisation) count once
    dated: bool = True

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


_DATE = Column("date", ("日期",), True, "date")

DYNAMICS = TableSpec(
    name="dynamics",
    chinese="工作动态",
    folder=True,
    columns=(
        Column("date", ("日期", "报送日期"), True, "date"),
        Column("unit", ("报送单位",), True),
        Column("area", ("领域",), True, "vocab", vocabulary="areas"),
        Column("title", ("标题",), True),
        Column("kind", ("类别",), False, "choice", choices=("动态", "信息"), default="动态"),
        Column("summary", ("摘要",), False),
    ),
    dedupe_key=("date", "unit", "title"),
)

MEDIA = TableSpec(
    name="media",
    chinese="媒体宣传",
    folder=True,
    columns=(
        _DATE,
        Column("outlet", ("媒体",), True),
        Column("level", ("级别",), True, "vocab", vocabulary="media_levels"),
        Column("count", ("稿件数",), True, "count"),
        Column("theme", ("专题",), False),
    ),
    dedupe_key=("date", "outlet", "level", "count", "theme"),
)

MEETINGS = TableSpec(
    name="meetings",
    chinese="会议",
    folder=False,
    columns=(
        _DATE,
        Column("name", ("会议名称",), True),
        Column("kind", ("类型",), False),
    ),
    dedupe_key=("date", "name"),
)

# A task's 状态, in the order reports list them.
TASK_STATUSES = ("已完成", "推进中", "未启动")

TASKS = TableSpec(
    name="tasks",
    chinese="重点工作和重大改革",
    folder=False,
    columns=(
        Column("id", ("编号",), True),
        Column("kind", ("类型",), True, "choice", choices=("重点工作", "重大改革")),
        Column(
            "area",
            ("领域",),
            True,
            "vocab",
            vocabulary_by_kind=(("重点工作", "areas"), ("重大改革", "reform_areas")),
        ),
        Column("name", ("名称",), True),
        Column("lead_unit", ("牵头单位",), False),
        Column("status", ("状态",), True, "choice", choices=TASK_STATUSES),
    ),
    dedupe_key=("id",),
    dated=False,
)

ACHIEVEMENTS = TableSpec(
    name="achievements",
    chinese="成果",
    folder=False,
    columns=(
        _DATE,
        Column("name", ("名称",), True),
        Column("kind", ("类型",), True, "choice", choices=("标志性成果", "试点", "最佳实践", "课题", "荣誉")),
        Column("level", ("级别",), True, "choice", choices=("国家级", "省级", "市级", "区级")),
        Column("unit", ("单位",), False),
        Column("area", ("领域",), False),
    ),
    dedupe_key=("name", "kind", "level"),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (DYNAMICS, MEDIA, MEETINGS, TASKS, ACHIEVEMENTS)}


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

    def vocabulary(self, key: str) -> tuple[str, ...]:
        return getattr(self, key)

    def as_dict(self) -> dict[str, object]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


PROGRAM_FILE = "program.yaml"


def load_program(raw_dir: Path) -> Program:
    """Read raw/program.yaml over the default, key by key; absent file: the default."""
    path = Path(raw_dir) / PROGRAM_FILE
    if not path.exists():
        return Program()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProgramError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProgramError(f"{path}: expected a mapping of keys, got {type(data).__name__}")
    known = {f.name for f in fields(Program)}
    overrides: dict[str, object] = {}
    for key, value in data.items():
        if key not in known:
            raise ProgramError(f"{path}: unknown key '{key}' (known: {', '.join(sorted(known))})")
        if key == "name":
            if not isinstance(value, str) or not value.strip():
                raise ProgramError(f"{path}: key 'name' must be a non-empty string")
            overrides[key] = value.strip()
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProgramError(f"{path}: key '{key}' must be a list of non-empty strings")
        if not value:
            raise ProgramError(f"{path}: key '{key}' must not be an empty list")
        overrides[key] = tuple(_normalise_text(v) for v in value)
    return replace(Program(), **overrides)


def _normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def table_files(year_dir: Path, spec: TableSpec) -> list[Path]:
    """The input files of one table in one year folder, in a stable order."""
    if spec.folder:
        folder = year_dir / spec.name
        found = folder.iterdir() if folder.is_dir() else []
    else:
        found = (year_dir / f"{spec.name}{suffix}" for suffix in TABLE_SUFFIXES)
    return sorted(
        p for p in found if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES and not p.name.startswith(("~$", "."))
    )


def year_folders(raw_dir: Path) -> list[int]:
    """Years with a folder in the raw folder, ascending."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def relative_name(path: Path, raw_dir: Path) -> str:
    """How files are named in the warehouse and in messages: relative to the raw folder."""
    return path.relative_to(raw_dir).as_posix()


def current_files(raw_dir: Path, year: int, spec: TableSpec) -> list[tuple[str, str]]:
    """(name, SHA-256) of each input file of one table in one year, in reading order."""
    return [(relative_name(p, raw_dir), file_sha256(p)) for p in table_files(raw_dir / str(year), spec)]
