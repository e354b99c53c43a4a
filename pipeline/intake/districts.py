"""A roll-up raw folder: sub-folders that are districts, each laid out as a single programme's
raw folder (its year folders, its own optional program.yaml), under a program.yaml that names
the roll-up programme, optionally the districts' order, and defaults every district may replace.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.contract import PROGRAM_FILE, Program, ProgramError, load_program
from pipeline.intake.inventory import year_folders


def district_folders(raw_dir: Path) -> list[str]:
    """Names of the sub-folders holding at least one year folder (hidden folders aside), sorted."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    return sorted(
        p.name for p in raw_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and not p.name.isdigit() and year_folders(p)
    )


def is_rollup(raw_dir: Path) -> bool:
    """A roll-up folder has district folders and no year folder of its own (a folder with year
    folders at the top is a single programme, whatever else it holds)."""
    return not year_folders(raw_dir) and bool(district_folders(raw_dir))


def districts(raw_dir: Path, program: Program) -> list[str]:
    """The districts in the report's order: those program.yaml lists, in its order, then any
    other district folder by name. A listed district without a folder is a ProgramError."""
    found = district_folders(raw_dir)
    if missing := [name for name in program.districts if name not in found]:
        raise ProgramError(
            f"{Path(raw_dir) / PROGRAM_FILE}：键“districts”中的{'、'.join(missing)}没有对应的文件夹"
            f"（已有：{'、'.join(found) or '无'}）"
        )
    return [*program.districts, *(name for name in found if name not in program.districts)]


def district_program(raw_dir: Path, district: str, rollup: Program | None = None) -> Program:
    """A district's programme: its own program.yaml over the roll-up's, whose name, template and
    district list stay the roll-up's own (a district is named by its folder unless it says)."""
    rollup = rollup or load_program(raw_dir)
    defaults = rollup.model_copy(update={"name": district, "template": "", "districts": ()})
    return load_program(Path(raw_dir) / district, defaults=defaults)
