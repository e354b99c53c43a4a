"""Who reported, as the portal shows it: the weekly notice's figures (reporting/notice.py) for a
week, from the year's dynamics read through the intake as a build reads them (a district's
year is a few hundred rows, read again only when a file changed) and the portal's receipts.
The warehouse is not read: it is as old as the last build, and a build holds it locked."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.contract import DYNAMICS, PROGRAM_FILE, Program
from pipeline.intake.inventory import current_files
from pipeline.intake.tables import take_in
from pipeline.portal import roster
from pipeline.portal.receipts import first_receipts
from pipeline.reporting.notice import WeekInputs, notice_figures
from pipeline.reporting.weeks import OwedWeeks, Week, owed_weeks

ROWS_SCHEMA = {"unit": pl.String, "member": pl.String, "date": pl.Date, "kind": pl.String}
NIL_SCHEMA = {"unit": pl.String, "member": pl.String, "date": pl.Date}


class WeekStatus:
    """The notice's figures of any week, for one raw folder and the portal's receipts."""

    def __init__(self, raw_dir: Path, accounts_file: Path) -> None:
        self.raw_dir, self.accounts_file = raw_dir, accounts_file
        self._lock = threading.Lock()
        self._rows: dict[int, tuple[tuple, pl.DataFrame]] = {}

    def figures(self, program: Program, week: Week) -> tuple[dict[str, Any], str | None]:
        """notice.json's figures for `week`, and the calendar's note when it could not say which weeks were off."""
        rows = self.counted_rows(program, week.year)
        first = roster.first_week(program, rows.get_column("date").min())
        # nothing is owed before the first owed week (the year's first dynamics row by default)
        owed = owed_weeks(first, week, roster.skip_weeks(program)) if first is not None else OwedWeeks([], {})
        names = sorted(set(rows.filter(pl.col("member").is_null()).get_column("unit").to_list()))
        inputs = WeekInputs(
            rows=rows,
            # nil reports (零报告) are being added to the intake; until then none is read
            nil=pl.DataFrame(schema=NIL_SCHEMA),
            receipts=first_receipts(self.accounts_file, week.year),
            members=roster.members(program),
            suggestions={name: roster.suggestion(program, name) for name in names},
        )
        return notice_figures(week, roster.deadline(program, week), owed, inputs), owed.note

    def counted_rows(self, program: Program, year: int) -> pl.DataFrame:
        """The year's counted dynamics (`unit` as written, `member` its roster entry, `date`, `kind`)."""
        program_file = self.raw_dir / PROGRAM_FILE
        stat = program_file.stat() if program_file.is_file() else None
        version = (tuple(current_files(self.raw_dir, year, DYNAMICS)),
                   (stat.st_size, stat.st_mtime_ns) if stat else None)
        with self._lock:
            cached = self._rows.get(year)
        if cached is not None and cached[0] == version:
            return cached[1]
        counted = take_in(self.raw_dir, year, DYNAMICS, program).counted
        member = pl.col("unit").map_elements(lambda unit: roster.member_of(program, unit), return_dtype=pl.String)
        rows = counted.select("unit", member.alias("member"), "date", "kind").cast(ROWS_SCHEMA)
        with self._lock:
            self._rows[year] = (version, rows)
        return rows
