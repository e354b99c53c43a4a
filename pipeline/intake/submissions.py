"""The files the intake portal (报送平台) stores: each in its unit's folder under a name the
portal makes, `<year>/dynamics/<unit>/<week>-<n><suffix>` (`2023-W20-2.xlsx`), and the one rule
of which count: of a folder's files for one week, the highest `n` (the latest upload); the
earlier ones stay on disk and the inventory names them as replaced. A file put in the folder
by hand under any other name is read as always."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pipeline.contract import TABLE_SUFFIXES
from pipeline.terminal import escaped

_NAME = re.compile(r"(?P<week>[0-9]{4}-W[0-9]{2})-(?P<number>[1-9][0-9]*)(?P<suffix>\.[a-z]+)")
# names a file system or the inventory treats specially: hidden, Office lock files, the folder itself
_UNSAFE_START = (".", "~$")


def submission_name(week: str, number: int, suffix: str) -> str:
    """The file name of a unit's `number`th upload for `week` (`2023-W20`)."""
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(f"not a table file suffix: {suffix!r}")
    return f"{week}-{number}{suffix}"


def submission_week(path: Path) -> tuple[str, int] | None:
    """(week, n) of a file named by the portal; None for any other name."""
    found = _NAME.fullmatch(path.name)
    if found is None or found["suffix"] not in TABLE_SUFFIXES:
        return None
    return found["week"], int(found["number"])


def superseded(paths: Iterable[Path]) -> dict[Path, Path]:
    """Each portal file a later upload of the same folder and week replaces -> the file that counts."""
    latest: dict[tuple[Path, str], tuple[int, Path]] = {}
    named = [(path, found) for path in paths if (found := submission_week(path)) is not None]
    for path, (week, number) in named:
        key = (path.parent, week)
        if key not in latest or number > latest[key][0]:
            latest[key] = (number, path)
    return {path: latest[(path.parent, week)][1] for path, (week, _) in named if latest[(path.parent, week)][1] != path}


def unit_folder(unit: str) -> str:
    """The folder a unit's uploads go to: its roster name, refused (ValueError, in Chinese) when
    it could name another place (a separator, `..`), hide (a leading dot) or carry control characters."""
    name = unicodedata.normalize("NFKC", unit).strip()
    unsafe = (not name or name in (".", "..") or name.startswith(_UNSAFE_START) or "/" in name or "\\" in name
              or any(unicodedata.category(c)[0] == "C" for c in name))
    if unsafe:
        raise ValueError(f"单位名称“{escaped(name)}”不能用作文件夹名（不能为空、以“.”开头，或含“/”“\\”和控制字符）")
    return name
