"""Every file under a year folder, each assigned to the table it feeds or named with why it
is not read, and the raw folder's own entries that are not read (a program.yaml or folder that
cannot be opened, hidden folders, folders that are not year folders). Nothing under a year
folder is passed over without a reason."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.contract import DYNAMICS, PROGRAM_FILE, TABLE_SUFFIXES, TABLES, TableSpec
from pipeline.paths import file_sha256, relative_name, why_not_opened
from pipeline.intake.submissions import superseded
from pipeline.terminal import escaped

# An Office or WPS lock file (~$报表.xlsx) exists while someone has the workbook open.
_LOCK_PREFIX = "~$"
SUPPORTED = "、".join(TABLE_SUFFIXES)
_YEAR = re.compile(r"[0-9]{4}")
HIDDEN_FOLDER = "隐藏文件夹，其中的文件未读取"


@dataclass(frozen=True)
class Entry:
    """One file (or folder) of a year folder or of the raw folder: the table it belongs to
    (None: no table), and why it is not read when it is not. `skipped` entries are expected
    clutter (hidden files, lock files, files of no table, links); one with a reason that is not
    skipped is table data that cannot be used. `folder`: a folder named once for everything in
    it; `opened`: its bytes may be read (a regular file inside the raw folder)."""

    path: Path
    table: str | None
    reason: str | None = None
    skipped: bool = False
    folder: bool = False
    opened: bool = True

    def name(self, raw_dir: Path) -> str:
        """As the warehouse and messages name it; a folder ends in `/`."""
        return relative_name(self.path, raw_dir) + ("/" if self.folder else "")

    def sha256(self) -> str | None:
        return file_sha256(self.path) if self.opened and not self.folder else None


@dataclass(frozen=True)
class YearFiles:
    """A year folder's files: the readable ones per table, and every entry that is not read
    (those of the raw folder itself among them, with no table)."""

    tables: dict[str, list[Path]]
    not_read: list[Entry]

    def of(self, spec: TableSpec) -> list[Path]:
        return self.tables.get(spec.name, [])

    def not_read_of(self, table: str | None) -> list[Entry]:
        return [e for e in self.not_read if e.table == table]


@cache
def _places() -> dict[str, str]:
    """A top-level name (folder, or file without its suffix), case-folded -> table name."""
    return {place.casefold(): spec.name for spec in TABLES.values() for place in spec.places}


def _table_of(relative: Path) -> str | None:
    if not relative.parts:
        return None
    top = relative.parts[0]
    name = top if len(relative.parts) > 1 else Path(top).stem
    return _places().get(name.casefold())


def not_a_table(suffix: str) -> str:
    """Why a file with this suffix is not read (the intake portal refuses an upload with it)."""
    return f"不是可读取的表格文件（{escaped(suffix) or '无扩展名'}）；可读取的格式：{SUPPORTED}"


def _classify(path: Path, year_dir: Path) -> Entry:
    """A regular file of the year folder (a link to one inside the raw folder included)."""
    relative = path.relative_to(year_dir)
    table = _table_of(relative)
    if path.name.startswith(_LOCK_PREFIX):
        return Entry(path, table, "Office/WPS 打开文件时生成的临时锁定文件（~$ 开头），未读取", skipped=True)
    if table is None:
        places = "、".join("/".join(spec.places) for spec in TABLES.values())
        return Entry(path, None, f"不属于任何数据表（数据表的文件或文件夹名应为：{places}），未读取", skipped=True)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return Entry(path, table, not_a_table(path.suffix))
    return Entry(path, table)


def _replaced(entry: Entry, by: Path) -> Entry:
    """A portal upload a later one of the same unit and week replaced: kept on disk, not counted."""
    return Entry(entry.path, entry.table, f"已被同一单位同一周后来的报送“{escaped(by.name)}”替换，不计入", skipped=True)


def listing(folder: Path) -> list[str] | str:
    """The names in a folder, sorted; or why it cannot be listed (no permission), in Chinese."""
    try:
        return sorted(os.listdir(folder))
    except PermissionError:
        return "文件夹没有读取权限，其中的文件未读取"
    except OSError:
        return "文件夹无法读取，其中的文件未读取"


def _walk(folder: Path, year_dir: Path, root: Path, seen: set[tuple[int, int]]) -> list[Entry]:
    """Every entry under `folder`, following links that stay inside `root` (each folder once:
    a link back up cannot loop)."""
    names = listing(folder)
    if isinstance(names, str):
        table = _table_of(folder.relative_to(year_dir))
        # a folder of no table holds no table data; the year folder itself, or a table's, does
        return [Entry(folder, table, names, skipped=table is None and folder != year_dir, folder=True, opened=False)]
    entries: list[Entry] = []
    for name in names:
        path = folder / name
        table = _table_of(path.relative_to(year_dir))
        problem = why_not_opened(path, root)
        is_folder = problem is None and path.is_dir()
        if name.startswith("."):
            reason = HIDDEN_FOLDER if is_folder else "隐藏文件，未读取"
            entries.append(Entry(path, table, reason, skipped=True, folder=is_folder, opened=problem is None))
        elif problem is not None:
            entries.append(Entry(path, table, problem, skipped=True, opened=False))
        elif not is_folder:
            entries.append(_classify(path, year_dir))
        elif (key := _identity(path)) in seen:
            entries.append(Entry(path, table, "与本年度文件夹中另一个文件夹相同（符号链接），未重复读取",
                                 skipped=True, folder=True, opened=False))
        else:
            seen.add(key)
            entries += _walk(path, year_dir, root, seen)
    return entries


def _identity(path: Path) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino


def _each_file_once(entries: list[Entry], root: Path) -> list[Entry]:
    """A file reached twice (a link to a file that is read anyway, a hard link) is read once:
    under its own name when it has one in the year folder, else under the first name."""
    readable = [e for e in entries if e.reason is None]
    order = sorted(readable, key=lambda e: (os.path.islink(e.path), e.path.relative_to(root).as_posix()))
    first: dict[tuple[int, int], Entry] = {}
    for entry in order:
        first.setdefault(_identity(entry.path), entry)
    return [
        e if e.reason is not None or first[_identity(e.path)] is e
        else Entry(e.path, e.table, f"与 {relative_name(first[_identity(e.path)].path, root)} 是同一个文件（链接），未重复读取",
                   skipped=True)
        for e in entries
    ]


def year_files(year_dir: Path) -> YearFiles:
    """Walk the year folder in a stable order, and list the raw folder's entries that are not read."""
    root = year_dir.parent
    entries = _each_file_once(_walk(year_dir, year_dir, root, {_identity(year_dir)}), root)
    entries += raw_folder_not_read(root)
    entries.sort(key=lambda e: e.path.relative_to(root).as_posix())
    replaced = superseded(e.path for e in entries if e.reason is None and e.table == DYNAMICS.name)
    entries = [_replaced(e, replaced[e.path]) if e.path in replaced else e for e in entries]
    tables: dict[str, list[Path]] = {name: [] for name in TABLES}
    for entry in entries:
        if entry.reason is None and entry.table is not None:
            tables[entry.table].append(entry.path)
    return YearFiles(tables, [e for e in entries if e.reason is not None])


def raw_folder_not_read(raw_dir: Path) -> list[Entry]:
    """A programme's raw folder's entries that are not read: anything that cannot be opened
    (program.yaml included: the default programme is used), hidden folders, and folders that are
    not year folders. Its other files (notes, the report template) are not table data."""
    names = listing(raw_dir)
    entries: list[Entry] = []
    for name in names if isinstance(names, list) else []:
        path = raw_dir / name
        problem = why_not_opened(path, raw_dir)
        if problem is not None:
            reason = f"{problem}（使用默认方案）" if name == PROGRAM_FILE else problem
            entries.append(Entry(path, None, reason, skipped=True, opened=False))
        elif path.is_dir() and not _YEAR.fullmatch(name):
            entries.append(Entry(path, None, _not_a_year(name), skipped=True, folder=True, opened=False))
    return entries


def _not_a_year(name: str) -> str:
    if name.startswith("."):
        return HIDDEN_FOLDER
    if _YEAR.fullmatch(unicodedata.normalize("NFKC", name)):
        return "年度文件夹的年份请用半角数字（如 2022），未读取"
    return "不是年度文件夹（年度文件夹的名称为四位数字，如 2022），未读取"


def year_folders(raw_dir: Path) -> list[int]:
    """Years with a folder in the raw folder (four ASCII digits; a link to one inside it), ascending."""
    raw_dir = Path(raw_dir)
    names = listing(raw_dir) if raw_dir.is_dir() else []
    return sorted(
        int(name) for name in (names if isinstance(names, list) else [])
        if _YEAR.fullmatch(name) and why_not_opened(raw_dir / name, raw_dir) is None and (raw_dir / name).is_dir()
    )


def year_folder_hints(raw_dir: Path) -> list[str]:
    """Why folders that look like years are not read (full-width ２０２３, a link leaving the raw
    folder), for the message that a year has no folder."""
    hints = []
    for entry in raw_folder_not_read(Path(raw_dir)):
        name = entry.path.name
        if _YEAR.fullmatch(name):
            hints.append(f"文件夹“{name}”：{entry.reason}")
        elif _YEAR.fullmatch(unicodedata.normalize("NFKC", name)):
            hints.append(f"文件夹“{escaped(name)}”的年份请用半角数字")
    return hints


def current_files(raw_dir: Path, year: int, spec: TableSpec, found: YearFiles | None = None) -> list[tuple[str, str | None]]:
    """(name, SHA-256) of each file one table's ingest depends on: its own files, read or not,
    and the files of no table (each ingest lists them), in name order. `found`: the year
    folder's files, when already listed (a plan asks this of every table)."""
    found = found or year_files(raw_dir / str(year))
    entries = [Entry(p, spec.name) for p in found.of(spec)] + found.not_read_of(spec.name) + found.not_read_of(None)
    return [(e.name(raw_dir), e.sha256()) for e in sorted(entries, key=lambda e: e.path)]
