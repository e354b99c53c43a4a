"""What a table's intake says to the office, one problem per file or row in `check`'s words:
files not read, rejected rows, warnings and layout rows. `check` prints them as `file:row:
reason`; the intake portal shows an upload's as `row: reason`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from pipeline.intake.layout import NIL_REPORT, listed_lines
from pipeline.intake.tables import TableIntake
from pipeline.terminal import escaped

REJECTED, WARNING, LAYOUT, SKIPPED, UNUSABLE = "rejected", "warning", "layout", "skipped", "unusable"


@dataclass(frozen=True)
class Problem:
    file: str  # as the intake names it (relative to the raw folder; `#sheet` after a workbook's first)
    row: int | None  # as the spreadsheet shows it; None for the whole file or sheet
    message: str
    kind: str  # REJECTED, WARNING, LAYOUT, SKIPPED or UNUSABLE
    last_row: int | None = None  # a run of rows said once (blank template rows): row to last_row

    @property
    def fails(self) -> bool:
        """A rejected row or a table file that cannot be used (`check` exits 1)."""
        return self.kind in (REJECTED, UNUSABLE)

    @property
    def rows(self) -> str:
        """The rows it is about as a reader names them: 7, or 第12-28行 for a run."""
        if self.row is None:
            return ""
        return f"第{self.row}-{self.last_row}行" if self.last_row not in (None, self.row) else str(self.row)


def table_problems(intake: TableIntake) -> list[Problem]:
    """The files and sheets not read, in file order, then every row problem by file and row.
    Submitted text in a message is escaped: a control character never forges or hides a line."""
    not_read = intake.sources.filter(pl.col("error").is_not_null()).select("file", "error", "skipped").rows()
    files = [Problem(file, None, f"{'跳过' if skipped else '无法读取，未计入'}：{error}", SKIPPED if skipped else UNUSABLE)
             for file, error, skipped in not_read]
    rows = [Problem(file, row, reason, REJECTED) for file, row, reason in intake.rejects.select("file", "row", "reason").rows()]
    rows += [Problem(file, row, f"警告：{reason}", WARNING)
             for file, row, reason in intake.warnings.select("file", "row", "reason").rows()]
    rows += _layout_problems(intake.layout)
    return [replace(p, message=escaped(p.message)) for p in files + sorted(rows, key=lambda problem: (problem.file, problem.row))]


def _layout_problems(layout: pl.DataFrame) -> list[Problem]:
    """One per listed layout line: a run of blank template rows is one; a nil report says it
    counts as the unit's report."""
    problems = []
    for file, row, last, kind, text in listed_lines(layout).select("file", "row", "last_row", "kind", "text").rows():
        if last != row:
            problems.append(Problem(file, row, f"{kind}，不计入", LAYOUT, last))
        elif kind == NIL_REPORT:
            problems.append(Problem(file, row, f"{kind}（算作已报送，不计入动态）：{text}", LAYOUT))
        else:
            problems.append(Problem(file, row, f"跳过（{kind}，不计入）：{text}", LAYOUT))
    return problems
