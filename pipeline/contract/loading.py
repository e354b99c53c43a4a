"""Reading a raw folder's program.yaml over the defaults (the built-in programme, or for a district
the roll-up's), key by key, with every problem of the file said at once."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from pipeline.contract.messages import program_error, validation_problems
from pipeline.contract.program import PROGRAM_FILE, Program
from pipeline.contract.yamlfile import read_yaml
from pipeline.paths import why_not_opened


def unnamed_warning(raw_dir: Path) -> str | None:
    """The warning `check` and `build` give for a programme without a name: its report names no district."""
    if load_program(raw_dir).name:
        return None
    path = Path(raw_dir) / PROGRAM_FILE
    missing = "program.yaml 中没有 name" if path.exists() else "原始数据文件夹中没有 program.yaml"
    return f"{path}: 警告：方案没有名称（{missing}），报告的标题和正文不写区县名称"


def load_program(raw_dir: Path, defaults: Program | None = None) -> Program:
    """Read raw/program.yaml over `defaults`, key by key (and `reporting`'s keys one by one);
    absent file: the defaults.

    Every problem is said, in Chinese naming its key, in one ProgramError before any row is read.
    """
    path = Path(raw_dir) / PROGRAM_FILE
    # a link leaving the raw folder, a FIFO: not opened, the defaults hold (the inventory names it)
    if os.path.lexists(path) and why_not_opened(path, raw_dir):
        return defaults or Program()
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
    data = read_yaml(path)
    problems = []
    if "districts" in data and defaults is not None:
        problems.append("键“districts”只能写在汇总文件夹的 program.yaml 中")
    if isinstance(reporting := data.get("reporting"), dict):
        data = {**data, "reporting": {**base.reporting.model_dump(exclude_defaults=True), **reporting}}
    try:
        read = Program.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, list(data))
    if problems:
        raise program_error(path, problems)
    return base.model_copy(update={key: getattr(read, key) for key in data})
