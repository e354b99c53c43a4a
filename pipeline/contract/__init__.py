"""The input contract as data: the tables offices send (`tables`) and the programme's
program.yaml (`program`, `reporting`, `roster`; read by `loading`, its limits in `limits`)."""

from pipeline.contract.limits import (
    MAX_ALIASES,
    MAX_AREAS,
    MAX_DEPTH,
    MAX_DISTRICTS,
    MAX_INT_DIGITS,
    MAX_MEDIA_LEVELS,
    MAX_PROGRAM_BYTES,
    MAX_PROGRAM_NAME,
    MAX_REFORM_AREAS,
    MAX_SKIP_WEEKS,
    MAX_UNITS,
)
from pipeline.contract.loading import load_program, unnamed_warning
from pipeline.contract.messages import ProgramError
from pipeline.contract.program import PROGRAM_FILE, Program, RosterEntry
from pipeline.contract.reporting import SHANGHAI, Reporting
from pipeline.contract.roster import roster_unit, suggested_unit, unit_key
from pipeline.contract.weeks import Week
from pipeline.contract.tables import (
    ACHIEVEMENTS,
    DYNAMICS,
    EMPTY_TEMPLATE_ROW,
    LAYOUT_KINDS,
    MEDIA,
    MEETINGS,
    NIL_PHRASES,
    NIL_REPORT_ROW,
    NOTE_ROW,
    SIGN_OFF_ROW,
    TABLE_SUFFIXES,
    TABLES,
    TASK_STATUSES,
    TASKS,
    TEXT_SUFFIXES,
    TITLE_ROW,
    TOTALS_ROW,
    WORKBOOK_SUFFIXES,
    Column,
    LayoutKind,
    NilReport,
    TableSpec,
)

__all__ = [
    "ACHIEVEMENTS", "DYNAMICS", "EMPTY_TEMPLATE_ROW", "LAYOUT_KINDS", "NIL_PHRASES", "NIL_REPORT_ROW", "NOTE_ROW",
    "SIGN_OFF_ROW", "TITLE_ROW", "TOTALS_ROW", "LayoutKind", "NilReport", "MAX_ALIASES", "MAX_AREAS", "MAX_DEPTH", "MAX_DISTRICTS", "MAX_INT_DIGITS",
    "MAX_MEDIA_LEVELS", "MAX_PROGRAM_BYTES", "MAX_PROGRAM_NAME", "MAX_REFORM_AREAS", "MAX_SKIP_WEEKS", "MAX_UNITS",
    "MEDIA", "MEETINGS", "PROGRAM_FILE", "SHANGHAI", "TABLES", "TABLE_SUFFIXES", "TASKS", "TASK_STATUSES",
    "TEXT_SUFFIXES", "WORKBOOK_SUFFIXES", "Column", "Program", "ProgramError", "Reporting", "RosterEntry", "TableSpec",
    "Week", "load_program", "roster_unit", "suggested_unit", "unit_key", "unnamed_warning",
]
