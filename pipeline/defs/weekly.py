"""The weekly loop's automation: a week partition <-> its ISO week, the mapping from a week to the
year partitions its days fall in, and the conditions that build a notice once the week's
deadline has passed and send reminders between the reminder time and the deadline.

The deadline and reminder times are program.yaml's (`reporting`), so whether one has passed is a
condition evaluated in the code location (a custom `AutomationCondition`; the `weekly_notices`
sensor runs on the user code server for it).
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path

import dagster as dg

from pipeline.config import PROJECT_DIR
from pipeline.contract import Program, ProgramError, Week, load_program

_ = dg.AutomationCondition
# Weeks further back are built on request (CLI, UI), not by the automation: a change to an old
# file would otherwise rebuild a year of notices.
AUTOMATIC_WEEKS = 4
# A week's days in the year partitions they fall in: a week straddling New Year reads both years,
# the next of which may not be a partition yet (allow_nonexistent_...: a beta parameter, used knowingly).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.BetaWarning)
    WEEK_TO_YEARS = dg.TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)


def week_of_partition(partition: str) -> Week:
    """The ISO week of a week partition (its Monday, 2023-05-15)."""
    return Week.of(dt.date.fromisoformat(partition))


def partition_of_week(week: Week) -> str:
    return week.monday.isoformat()


def automation_program() -> Program | None:
    """The programme of the raw folder the code location serves (PIPELINE_RAW_DIR, as its
    `project` resource); None when its program.yaml cannot be read (the build says why)."""
    try:
        return load_program(Path(os.environ.get("PIPELINE_RAW_DIR", PROJECT_DIR / "raw")))
    except (ProgramError, OSError):
        return None


class ReportingTimePassed(dg.AutomationCondition):
    """True for the week partitions whose deadline (or reminder time) in program.yaml's
    `reporting` has passed at the evaluation time."""

    def __init__(self, moment: str) -> None:
        self.moment = moment  # "deadline" or "reminder"
        super().__init__()

    @property
    def name(self) -> str:
        return f"{self.moment}_passed"

    def evaluate(self, context: dg.AutomationContext) -> dg.AutomationResult:
        program = automation_program()
        if program is None:
            return dg.AutomationResult(context, true_subset=context.get_empty_subset())
        due = program.reporting.deadline_at if self.moment == "deadline" else program.reporting.reminder_at
        passed = {key for key in context.candidate_subset.expensively_compute_partition_keys()
                  if due(week_of_partition(key)) <= context.evaluation_time}
        return dg.AutomationResult(context, true_subset=context.candidate_subset.compute_intersection_with_partition_keys(passed))


def _recent() -> dg.AutomationCondition:
    return _.in_latest_time_window(dt.timedelta(weeks=AUTOMATIC_WEEKS))


DEADLINE_PASSED = ReportingTimePassed("deadline")
# Built once the deadline has passed, and again when the dynamics it reads change; only once a
# year it reads has been ingested, and for the latest weeks.
NOTICE_DUE = (
    DEADLINE_PASSED & _recent() & _.any_deps_match(~_.missing())
    & (DEADLINE_PASSED.newly_true() | _.any_deps_updated()).since_last_handled()
    & ~_.any_deps_in_progress() & ~_.in_progress()
).with_label("after the week's deadline, or when the dynamics it reads change")
# The units still missing are reminded once, when the reminder time passes before the deadline.
REMINDERS_DUE = (
    (ReportingTimePassed("reminder") & ~DEADLINE_PASSED & _.in_latest_time_window()).newly_true()
    & _.any_deps_match(~_.missing()) & ~_.in_progress()
).with_label("at the reminder time, before the deadline")
# The notice goes to the office once built (each channel once a week; the asset keeps count).
NOTICE_BUILT = (_.any_deps_updated() & ~_.any_deps_in_progress() & ~_.in_progress()).with_label("once the notice is built")

# use_user_code_server is a beta parameter: used knowingly (the deadline is program.yaml's)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.BetaWarning)
    weekly_notices = dg.AutomationConditionSensorDefinition(
        "weekly_notices",
        target=dg.AssetSelection.groups("notice"),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=300,
        use_user_code_server=True,
        description="Builds each week's submission notice once its deadline (program.yaml's reporting) has "
        "passed and when the dynamics it reads change, sends reminders before the deadline, and the notice to "
        "the office once built.",
    )
