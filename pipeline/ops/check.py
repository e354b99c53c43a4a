"""`check`: every problem of one programme's year folder, as `file:row: reason` lines in the
offices' own words, and the year's totals; nothing is built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.contract import TABLES, Program
from pipeline.intake.districts import rollup_not_read
from pipeline.intake.problems import SKIPPED, table_problems
from pipeline.intake.tables import other_files, take_in
from pipeline.terminal import escaped


@dataclass(frozen=True)
class CheckedYear:
    lines: list[str]  # one per problem, file names from the folder given
    summary: str
    failed: bool  # a row was rejected or a table file could not be read


def check_year(raw_dir: Path, year: int, program: Program) -> CheckedYear:
    """Read the year folder as a build would and say what would not be counted, and why."""
    failed = False
    printed: list[str] = []
    totals = dict.fromkeys(("read", "counted", "rejected", "duplicates", "layout", "nil", "warnings", "unusable", "skipped"), 0)
    for file, error, skipped in other_files(raw_dir, year).select("file", "error", "skipped").rows():
        printed.append(_not_read(raw_dir, file, error, skipped))
        totals["skipped" if skipped else "unusable"] += 1
        failed = failed or not skipped
    for spec in TABLES.values():
        intake = take_in(raw_dir, year, spec, program)
        for problem in table_problems(intake):
            # joined as text: a folder's name ends in / (raw_dir / name would drop it)
            if problem.row is None:
                printed.append(f"{raw_dir}/{problem.file}: {problem.message}")
                totals["skipped" if problem.kind == SKIPPED else "unusable"] += 1
            elif problem.last_row not in (None, problem.row):
                printed.append(f"{raw_dir / problem.file}: {problem.rows}：{problem.message}")
            else:
                printed.append(f"{raw_dir / problem.file}:{problem.row}: {problem.message}")
            failed = failed or problem.fails
        totals["read"] += intake.rows_read
        totals["counted"] += intake.counted.height
        totals["rejected"] += intake.rejects.height
        totals["duplicates"] += intake.duplicates.height
        totals["layout"] += intake.layout.height
        totals["nil"] += intake.nil_reports.height
        totals["warnings"] += intake.warnings.height
    nil = f"（其中零报告{totals['nil']}行）" if totals["nil"] else ""
    summary = (
        f"{raw_dir / str(year)}：读取{totals['read']}行，计入{totals['counted']}行，退回{totals['rejected']}行，"
        f"重复{totals['duplicates']}行，表格版式行{totals['layout']}行{nil}；警告{totals['warnings']}条；"
        f"无法读取的文件{totals['unusable']}个，跳过的文件或工作表{totals['skipped']}个"
    )
    # the cells are the offices': a control character in one must not forge or hide a line
    return CheckedYear([escaped(line) for line in printed], summary, failed)


def _not_read(raw_dir: Path, file: str, error: str, skipped: bool) -> str:
    return f"{raw_dir}/{file}: {'跳过' if skipped else '无法读取，未计入'}：{error}"


def rollup_lines(raw_dir: Path, broken: dict[str, str]) -> tuple[list[str], bool]:
    """check's lines for a roll-up folder itself: its entries that are not read, and the districts
    whose programme is broken (named, not checked); and whether any is data not counted."""
    entries = rollup_not_read(raw_dir)
    lines = [_not_read(raw_dir, e.name(raw_dir), e.reason or "", e.skipped) for e in entries] + list(broken.values())
    return [escaped(line) for line in lines], bool(broken) or any(not e.skipped for e in entries)
