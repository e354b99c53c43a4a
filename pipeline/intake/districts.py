"""A roll-up raw folder: sub-folders that are districts, each laid out as a single programme's
raw folder (its year folders, its own optional program.yaml), under a program.yaml that names
the roll-up programme, optionally the districts' order, and defaults every district may replace.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.contract import PROGRAM_FILE, Program, ProgramError, load_program
from pipeline.intake.inventory import HIDDEN_FOLDER, Entry, listing, year_folders
from pipeline.paths import why_not_opened
from pipeline.terminal import escaped

# What Dagster cannot have in a dimension of a multi-partition key: its delimiter `|`, the
# characters it refuses in static keys, and `...`, which the UI reads as a range of keys.
_NOT_IN_KEYS = ("|", ",", "[", "]", "...")


def refused_name(name: str) -> str | None:
    """Why a district folder's name cannot name a district (a Dagster partition key, shown in
    messages and the report); None when it can."""
    if found := [part for part in _NOT_IN_KEYS if part in name]:
        return f"区县文件夹的名称含有“{'”“'.join(found)}”，不能作为区县名称，未读取（请改名）"
    if escaped(name) != name:
        return "区县文件夹的名称含有控制字符，不能作为区县名称，未读取（请改名）"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "区县文件夹的名称不是 UTF-8 编码的文字，不能作为区县名称，未读取（请改名）"
    return None


def _holds_years(raw_dir: Path, name: str) -> bool:
    """A visible folder (a link to one inside the raw folder included) holding a year folder;
    a year folder itself makes the raw folder a single programme's."""
    path = raw_dir / name
    return (not name.startswith(".") and not (len(name) == 4 and name.isascii() and name.isdigit())
            and why_not_opened(path, raw_dir) is None and path.is_dir() and bool(year_folders(path)))


def _names(raw_dir: Path) -> list[str]:
    names = listing(raw_dir) if raw_dir.is_dir() else []
    return [] if isinstance(names, str) else names


def district_folders(raw_dir: Path) -> list[str]:
    """Names of the sub-folders holding at least one year folder (their names digits or not),
    sorted; those whose name cannot name a district are left out (`rollup_not_read` names them)."""
    return [n for n in _names(Path(raw_dir)) if _holds_years(raw_dir, n) and refused_name(n) is None]


def is_rollup(raw_dir: Path) -> bool:
    """A roll-up folder has district folders and no year folder of its own (a folder with year
    folders at the top is a single programme, whatever else it holds)."""
    return not year_folders(raw_dir) and any(_holds_years(raw_dir, n) for n in _names(Path(raw_dir)))


def rollup_not_read(raw_dir: Path) -> list[Entry]:
    """The roll-up folder's entries that are not read, each with why: a district folder whose
    name cannot name a district (not skipped: its data is not counted), and folders that are
    hidden, cannot be opened or listed, or hold no year folder; program.yaml when it cannot be
    opened. Files beside the districts are not table data and not listed."""
    raw_dir = Path(raw_dir)
    entries = []
    for name in _names(raw_dir):
        path = raw_dir / name
        problem = why_not_opened(path, raw_dir)
        if problem is not None:
            entries.append(Entry(path, None, f"{problem}（使用默认方案）" if name == PROGRAM_FILE else problem,
                                 skipped=True, opened=False))
        elif not path.is_dir():
            continue
        elif name.startswith("."):
            entries.append(Entry(path, None, HIDDEN_FOLDER, skipped=True, folder=True, opened=False))
        elif isinstance(names := listing(path), str):
            entries.append(Entry(path, None, names, folder=True, opened=False))
        elif not _holds_years(raw_dir, name):
            entries.append(Entry(path, None, "其中没有年度文件夹，不是区县文件夹，未读取", skipped=True, folder=True, opened=False))
        elif reason := refused_name(name):
            entries.append(Entry(path, None, reason, folder=True, opened=False))
    return entries


def districts(raw_dir: Path, program: Program) -> list[str]:
    """The districts in the report's order: those program.yaml lists, in its order, then any
    other district folder by name. A listed district without a folder is a ProgramError."""
    found = district_folders(raw_dir)
    listed = [name for name in program.districts if refused_name(name) is None]  # the others: rollup_not_read
    if missing := [name for name in listed if name not in found]:
        raise ProgramError(
            f"{Path(raw_dir) / PROGRAM_FILE}：键“districts”中的{'、'.join(missing)}没有对应的文件夹"
            f"（已有：{'、'.join(found) or '无'}）"
        )
    return [*listed, *(name for name in found if name not in listed)]


def district_program(raw_dir: Path, district: str, rollup: Program | None = None) -> Program:
    """A district's programme: its own program.yaml over the roll-up's, whose name, template and
    district list stay the roll-up's own (a district is named by its folder unless it says)."""
    rollup = rollup or load_program(raw_dir)
    defaults = rollup.model_copy(update={"name": district, "template": "", "districts": ()})
    return load_program(Path(raw_dir) / district, defaults=defaults)
