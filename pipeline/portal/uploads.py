"""One unit's upload: checked as `check` checks a file (intake.tables.take_file, the same reasons),
refused when it cannot be read or names another roster unit, else stored atomically in the
raw folder under the unit's folder and a name the portal makes (intake/submissions.py).

The week of an upload is the latest ISO week its counted rows are dated in, never later than
the week it arrives in (a file of an earlier week's late items is that week's); a file with no
counted row is the week it arrives in. Its report year is the year it arrives in, or in
January the last one when more of its rows count there."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from pipeline.contract import DYNAMICS, TABLE_SUFFIXES, Program
from pipeline.intake.inventory import not_a_table
from pipeline.intake.problems import LAYOUT, SKIPPED, Problem, table_problems
from pipeline.intake.submissions import submission_name, submission_week, unit_folder
from pipeline.intake.tables import TableIntake, take_file
from pipeline.reporting.duty import member_of
from pipeline.contract import Week
from pipeline.terminal import escaped

# where link() is not supported, names are taken under this lock (one portal process per raw folder)
_NAMING = threading.Lock()


@dataclass(frozen=True)
class Outcome:
    """What an upload gave: `problems` as `{row, reason}` (rejected rows, warnings, a file or
    sheet that cannot be used), `notes` the rows and sheets skipped as layout."""

    unit: str
    refused: bool
    sha256: str
    size: int
    year: int | None = None
    week: str | None = None
    weeks: tuple[str, ...] = ()
    file: str | None = None  # relative to the raw folder, once stored
    replaces: str | None = None  # the earlier file of the week it supersedes
    rows_read: int = 0
    rows_counted: int = 0
    rows_rejected: int = 0
    problems: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)


def upload_suffix(original_name: str) -> str:
    """The suffix of the name the browser sent, lower-cased; the name itself is never used."""
    return PurePosixPath(original_name.replace("\\", "/")).suffix.lower()


def take_upload(raw_dir: Path, program: Program, unit: str, staged: Path, original_name: str,
                now: dt.datetime) -> Outcome:
    """Check `staged` (the request's file, outside the raw folder) for `unit`; store it unless refused."""
    digest, size = sha256_of(staged), staged.stat().st_size
    refused = Outcome(unit, True, digest, size)
    suffix = upload_suffix(original_name)
    if suffix not in TABLE_SUFFIXES:
        return replace(refused, problems=[{"row": None, "reason": not_a_table(suffix)}])
    with tempfile.TemporaryDirectory(prefix="portal-check-") as folder:
        copy = Path(folder) / f"upload{suffix}"
        shutil.copyfile(staged, copy)
        year, intake = _checked(copy, Path(folder), program, now)
    problems = table_problems(intake)
    shown = [_shown(p) for p in problems if p.kind not in (LAYOUT, SKIPPED)]
    others = _other_units(intake, program, unit)
    facts = {"unit": unit, "sha256": digest, "size": size, "year": year, "rows_read": intake.rows_read,
             "rows_counted": intake.counted.height, "rows_rejected": intake.rejects.height,
             "notes": [_shown(p) for p in problems if p.kind in (LAYOUT, SKIPPED)]}
    if others or any(p.row is None and p.fails for p in problems):
        return Outcome(refused=True, problems=others + shown, **facts)
    week, weeks = _weeks(intake, now)
    folder = raw_dir / str(year) / DYNAMICS.places[0] / unit_folder(unit)
    stored = _store(staged, folder, str(week), suffix)
    earlier = [p for p in folder.iterdir() if (found := submission_week(p)) and found[0] == str(week)
               and found[1] < submission_week(stored)[1]]
    replaces = max(earlier, key=lambda p: submission_week(p)[1]) if earlier else None
    return Outcome(refused=False, week=str(week), weeks=weeks, file=stored.relative_to(raw_dir).as_posix(),
                   replaces=replaces.relative_to(raw_dir).as_posix() if replaces else None, problems=shown, **facts)


def _checked(copy: Path, folder: Path, program: Program, now: dt.datetime) -> tuple[int, TableIntake]:
    """The report year the file's rows count in, and the file's intake for it."""
    years = [now.year - 1, now.year] if now.month == 1 else [now.year]
    intakes = {year: take_file(copy, folder, year, DYNAMICS, program) for year in years}
    year = max(reversed(years), key=lambda y: intakes[y].counted.height)
    return year, intakes[year]


def _sheet(file: str) -> str:
    """How a reason names the sheet it is on, after a workbook's first (the intake writes `file#sheet`)."""
    _, _, sheet = file.partition("#")
    return f"工作表“{sheet}”：" if sheet else ""


def _shown(problem: Problem) -> dict:
    """A problem as the unit reads it: its row and the reason."""
    return {"row": problem.row, "reason": _sheet(problem.file) + problem.message}


def _other_units(intake: TableIntake, program: Program, unit: str) -> list[dict]:
    """Counted rows naming another roster unit: a unit submits only for itself."""
    found = []
    for file, row, written in intake.counted.select("file", "row", "unit").rows():
        member = member_of(program, written)
        if member is not None and member != unit:
            found.append({"row": row, "reason": f"{_sheet(file)}报送单位“{escaped(written)}”是另一成员单位；"
                                                f"本账号只能报送“{unit}”的动态，请删除该行或由该单位自行报送"})
    return found


def _weeks(intake: TableIntake, now: dt.datetime) -> tuple[Week, tuple[str, ...]]:
    """The upload's week and every week its counted rows are dated in."""
    this_week = Week.of(now.date())
    dated = sorted({Week.of(day) for day in intake.counted.get_column("date").drop_nulls().to_list()})
    week = min(max(dated), this_week) if dated else this_week
    return week, tuple(str(w) for w in sorted({*dated, week}))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _store(staged: Path, folder: Path, week: str, suffix: str) -> Path:
    """Write the file beside its final place, flush it to disk, then give it the next free
    `<week>-<n>` name in one step (a hard link never replaces a file another upload just took)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=folder)
    try:
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "wb") as out, staged.open("rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        target = _take_name(Path(temporary), folder, week, suffix)
    finally:
        Path(temporary).unlink(missing_ok=True)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return target


def _take_name(temporary: Path, folder: Path, week: str, suffix: str) -> Path:
    taken = [found[1] for p in folder.iterdir() if (found := submission_week(p)) and found[0] == week]
    number = max(taken, default=0) + 1
    while True:
        target = folder / submission_name(week, number, suffix)
        try:
            os.link(temporary, target)
            return target
        except FileExistsError:
            number += 1
        except OSError:  # a file system without hard links
            with _NAMING:
                if not target.exists():
                    os.replace(temporary, target)
                    return target
            number += 1
