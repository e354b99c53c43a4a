"""`check`: every problem of one programme's year folder, as `file:row: reason` lines in the
offices' own words, and the year's totals; nothing is built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.contract import TABLES, Program
from pipeline.intake.layout import NIL_REPORT, listed_lines
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
    for file, error in other_files(raw_dir, year).select("file", "error").rows():
        printed.append(f"{raw_dir / file}: 跳过：{error}")
        totals["skipped"] += 1
    for spec in TABLES.values():
        intake = take_in(raw_dir, year, spec, program)
        for file, error, skipped in intake.sources.filter(pl.col("error").is_not_null()).select("file", "error", "skipped").rows():
            printed.append(f"{raw_dir / file}: {'跳过' if skipped else '无法读取，未计入'}：{error}")
            totals["skipped" if skipped else "unusable"] += 1
            failed = failed or not skipped
        lines = [(file, row, f":{row}: {reason}") for file, row, reason in intake.rejects.select("file", "row", "reason").rows()]
        lines += [(file, row, f":{row}: 警告：{reason}") for file, row, reason in intake.warnings.select("file", "row", "reason").rows()]
        lines += _layout_lines(intake.layout)
        printed += [f"{raw_dir / file}{said}" for file, _, said in sorted(lines, key=lambda line: line[:2])]
        failed = failed or not intake.rejects.is_empty()
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


def _layout_lines(layout: pl.DataFrame) -> list[tuple[str, int, str]]:
    """(file, row, what follows the file name) per listed layout line: a run of blank template
    rows is one line for the file; a nil report says it counts as the unit's report."""
    lines = []
    for file, row, last, kind, text in listed_lines(layout).select("file", "row", "last_row", "kind", "text").rows():
        if last != row:
            lines.append((file, row, f": 第{row}-{last}行：{kind}，不计入"))
        elif kind == NIL_REPORT:
            lines.append((file, row, f":{row}: {kind}（算作已报送，不计入动态）：{text}"))
        else:
            lines.append((file, row, f":{row}: 跳过（{kind}，不计入）：{text}"))
    return lines
