"""Who reported, as the portal shows it: the weekly notice's figures (reporting/notice.py) for a
week, from the year's dynamics read through the intake as a build reads them (a district's
year is a few hundred rows, read again only when a file changed) and the portal's receipts.
The warehouse is not read: it is as old as the last build, and a build holds it locked."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.contract import DYNAMICS, PROGRAM_FILE, Program, Week
from pipeline.intake.inventory import current_files
from pipeline.intake.tables import take_in
from pipeline.portal.receipts import first_receipts
from pipeline.reporting.duty import week_duty
from pipeline.reporting.notice import notice_figures


class WeekStatus:
    """The notice's figures of any week, for one raw folder and the portal's receipts."""

    def __init__(self, raw_dir: Path, accounts_file: Path) -> None:
        self.raw_dir, self.accounts_file = raw_dir, accounts_file
        self._lock = threading.Lock()
        self._rows: dict[int, tuple[tuple, tuple[pl.DataFrame, pl.DataFrame]]] = {}

    def figures(self, program: Program, week: Week) -> tuple[dict[str, Any], str | None]:
        """notice.json's figures for `week`, and the calendar's note when it could not say which weeks were off."""
        rows, nil = self.year_rows(program, week.year)
        deadline, owed, inputs = week_duty(program, week, rows, nil, first_receipts(self.accounts_file, week.year))
        return notice_figures(week, deadline, owed, inputs), owed.note

    def year_rows(self, program: Program, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The year's counted dynamics and its nil reports, as the intake reads them now."""
        program_file = self.raw_dir / PROGRAM_FILE
        stat = program_file.stat() if program_file.is_file() else None
        version = (tuple(current_files(self.raw_dir, year, DYNAMICS)),
                   (stat.st_size, stat.st_mtime_ns) if stat else None)
        with self._lock:
            cached = self._rows.get(year)
        if cached is not None and cached[0] == version:
            return cached[1]
        intake = take_in(self.raw_dir, year, DYNAMICS, program)
        found = (intake.counted.select("unit", "date", "kind"), intake.nil_reports.select("unit", "date"))
        with self._lock:
            self._rows[year] = (version, found)
        return found
