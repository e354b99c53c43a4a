"""What a table's intake says to the office, one problem per file or row in `check`'s words:
files not read, rejected rows, warnings and layout rows. `check` prints them as `file:row:
reason`; the intake portal shows an upload's as `row: reason`."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.intake.tables import TableIntake

REJECTED, WARNING, LAYOUT, SKIPPED, UNUSABLE = "rejected", "warning", "layout", "skipped", "unusable"


@dataclass(frozen=True)
class Problem:
    file: str  # as the intake names it (relative to the raw folder; `#sheet` after a workbook's first)
    row: int | None  # as the spreadsheet shows it; None for the whole file or sheet
    message: str
    kind: str  # REJECTED, WARNING, LAYOUT, SKIPPED or UNUSABLE

    @property
    def fails(self) -> bool:
        """A rejected row or a table file that cannot be used (`check` exits 1)."""
        return self.kind in (REJECTED, UNUSABLE)


def table_problems(intake: TableIntake) -> list[Problem]:
    """The files and sheets not read, in file order, then every row problem by file and row."""
    not_read = intake.sources.filter(pl.col("error").is_not_null()).select("file", "error", "skipped").rows()
    files = [Problem(file, None, f"{'跳过' if skipped else '无法读取，未计入'}：{error}", SKIPPED if skipped else UNUSABLE)
             for file, error, skipped in not_read]
    rows = [Problem(file, row, reason, REJECTED) for file, row, reason in intake.rejects.select("file", "row", "reason").rows()]
    rows += [Problem(file, row, f"警告：{reason}", WARNING)
             for file, row, reason in intake.warnings.select("file", "row", "reason").rows()]
    rows += [Problem(file, row, f"跳过（{kind}，不计入）：{text}", LAYOUT) for file, row, kind, text in intake.layout.rows()]
    return files + sorted(rows, key=lambda problem: (problem.file, problem.row))
