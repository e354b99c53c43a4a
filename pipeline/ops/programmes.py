"""The programmes a command works on, read before any row: the raw folder's, or in a roll-up
folder each district's, each with its office's report template checked. A district whose own
program.yaml or template is broken is named and left out, so it fails alone."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import REPORTS_DIR
from pipeline.contract import Program, ProgramError, load_program
from pipeline.intake.districts import district_program, districts, is_rollup
from pipeline.report.template import BUILT_IN, TemplateError, check_template, report_template


def programmes(
    raw_dir: Path, reports_dir: Path, district: str | None = None
) -> tuple[dict[str | None, Program], dict[str, str]]:
    """The programme (key None), or each district's of a roll-up folder (or the one asked for);
    and the districts whose programme or template is broken, with why. A broken programme of
    the folder itself, or of the one district asked for, is a ProgramError."""
    program = load_program(raw_dir)
    names = ([district] if district else districts(raw_dir, program)) if is_rollup(raw_dir) else [None]
    found: dict[str | None, Program] = {}
    broken: dict[str, str] = {}
    for name in names:
        try:
            own = program if name is None else district_program(raw_dir, name, program)
            template = report_template(raw_dir if name is None else raw_dir / name, reports_dir, own)
            # an office's own, or another reports folder's; the project's built-in one is checked as it renders
            if template != REPORTS_DIR / BUILT_IN:
                check_template(template)
            found[name] = own
        except (ProgramError, TemplateError) as exc:
            if name is None or name == district:
                raise ProgramError(str(exc)) from None
            broken[name] = f"{name}：{exc}"
    return found, broken
