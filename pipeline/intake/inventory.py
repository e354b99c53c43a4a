"""Every file under a year folder, each assigned to the table it feeds or named with why it
is not read. Nothing under a year folder is passed over without a reason."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipeline.contract import DYNAMICS, TABLE_SUFFIXES, TABLES, TableSpec
from pipeline.intake.submissions import superseded
from pipeline.terminal import escaped

# An Office or WPS lock file (~$报表.xlsx) exists while someone has the workbook open.
_LOCK_PREFIX = "~$"
SUPPORTED = "、".join(TABLE_SUFFIXES)
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Entry:
    """One file of a year folder: the table it belongs to (None: no table), and why it is not
    read when it is not. `skipped` files are expected clutter (hidden files, lock files, files
    of no table); a file with a reason that is not skipped is a table file that cannot be used."""

    path: Path
    table: str | None
    reason: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class YearFiles:
    """A year folder's files: the readable ones per table, and every file that is not read."""

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
    top = relative.parts[0]
    name = top if len(relative.parts) > 1 else Path(top).stem
    return _places().get(name.casefold())


def not_a_table(suffix: str) -> str:
    """Why a file with this suffix is not read (the intake portal refuses an upload with it)."""
    return f"不是可读取的表格文件（{escaped(suffix) or '无扩展名'}）；可读取的格式：{SUPPORTED}"


def _classify(path: Path, year_dir: Path) -> Entry:
    relative = path.relative_to(year_dir)
    table = _table_of(relative)
    if path.name.startswith(_LOCK_PREFIX):
        return Entry(path, table, "Office/WPS 打开文件时生成的临时锁定文件（~$ 开头），未读取", skipped=True)
    if any(part.startswith(".") for part in relative.parts):
        return Entry(path, table, "隐藏文件，未读取", skipped=True)
    if path.is_symlink():
        return Entry(path, table, "符号链接，未读取（请放入文件本身）", skipped=True)
    if table is None:
        places = "、".join("/".join(spec.places) for spec in TABLES.values())
        return Entry(path, None, f"不属于任何数据表（数据表的文件或文件夹名应为：{places}），未读取", skipped=True)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return Entry(path, table, not_a_table(path.suffix))
    return Entry(path, table)


def _replaced(entry: Entry, by: Path) -> Entry:
    """A portal upload a later one of the same unit and week replaced: kept on disk, not counted."""
    return Entry(entry.path, entry.table, f"已被同一单位同一周后来的报送“{escaped(by.name)}”替换，不计入", skipped=True)


def year_files(year_dir: Path) -> YearFiles:
    """Walk the year folder (symbolic links to folders are not followed) in a stable order."""
    entries: list[Entry] = []
    for folder, subfolders, names in os.walk(year_dir):
        subfolders.sort()
        entries += [_classify(Path(folder) / name, year_dir) for name in sorted(names)]
    entries.sort(key=lambda e: e.path.relative_to(year_dir).as_posix())
    replaced = superseded(e.path for e in entries if e.reason is None and e.table == DYNAMICS.name)
    entries = [_replaced(e, replaced[e.path]) if e.path in replaced else e for e in entries]
    tables: dict[str, list[Path]] = {name: [] for name in TABLES}
    for entry in entries:
        if entry.reason is None and entry.table is not None:
            tables[entry.table].append(entry.path)
    return YearFiles(tables, [e for e in entries if e.reason is not None])


def year_folders(raw_dir: Path) -> list[int]:
    """Years with a folder in the raw folder (four ASCII digits), ascending."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if p.is_dir() and _YEAR.fullmatch(p.name))


def near_year_folders(raw_dir: Path) -> list[str]:
    """Folders that read as a year but are not written as one (full-width ２０２３, superscripts)."""
    return sorted(
        p.name for p in Path(raw_dir).iterdir()
        if p.is_dir() and not _YEAR.fullmatch(p.name) and _YEAR.fullmatch(unicodedata.normalize("NFKC", p.name))
    )


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256; None when it cannot be opened (its reader says why).

    A build asks for a file's hash several times (planning, reading, recording what was read):
    the file is read once as long as it keeps its size, modification time and inode.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    return _sha256(str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@lru_cache(maxsize=65536)
def _sha256(path: str, size: int, mtime_ns: int, inode: int) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def relative_name(path: Path, raw_dir: Path) -> str:
    """How files are named in the warehouse, in messages and in the report: relative to the raw
    folder, as readable text. A name that is not UTF-8 (GBK bytes, as a Windows zip unpacks
    elsewhere) is shown decoded as GB18030; control characters (a line break) are shown
    escaped, so a name can never print as a line of its own."""
    name = path.relative_to(raw_dir).as_posix()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", errors="backslashreplace")
    return escaped(name)


def current_files(raw_dir: Path, year: int, spec: TableSpec, found: YearFiles | None = None) -> list[tuple[str, str | None]]:
    """(name, SHA-256) of each file one table's ingest depends on: its own files, read or not,
    and the files of no table (each ingest lists them), in name order. `found`: the year
    folder's files, when already listed (a plan asks this of every table)."""
    found = found or year_files(raw_dir / str(year))
    paths = found.of(spec) + [e.path for e in found.not_read_of(spec.name) + found.not_read_of(None)]
    return [(relative_name(p, raw_dir), file_sha256(p)) for p in sorted(paths)]
