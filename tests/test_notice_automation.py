"""The weekly loop's automation: a week's notice is requested once program.yaml's deadline has
passed (not before) and again when the dynamics it reads change; reminders between the reminder
time and the deadline, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import pytest
from conftest import DATA

from pipeline.contract import SHANGHAI
from pipeline.definitions import defs

W06 = "2023-02-06"  # its deadline: Friday 2023-02-10 17:00 (tests/data/notice/program.yaml)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2023, 2, day, hour, minute, tzinfo=SHANGHAI)


def _partitions(result: dg.EvaluateAutomationConditionsResult, name: str) -> set[str]:
    found = next(r for r in result.results if r.key == dg.AssetKey(name))
    return set(found.true_subset.expensively_compute_partition_keys())


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dg.DagsterInstance:
    """The fixture's programme for the code location, and its 2023 dynamics ingested."""
    monkeypatch.setenv("PIPELINE_RAW_DIR", str(DATA / "notice"))
    with dg.DagsterInstance.ephemeral() as test_instance:
        test_instance.report_runless_asset_event(dg.AssetMaterialization("dynamics", partition="2023"))
        yield test_instance


def test_the_notice_is_requested_once_the_deadline_has_passed(instance: dg.DagsterInstance) -> None:
    before = dg.evaluate_automation_conditions(defs=defs(), instance=instance, evaluation_time=_at(10, 16, 59))
    assert W06 not in _partitions(before, "weekly_notice")
    after = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=before.cursor,
                                              evaluation_time=_at(10, 17, 1))
    assert W06 in _partitions(after, "weekly_notice")
    assert "2023-02-13" not in _partitions(after, "weekly_notice")  # the next week's deadline is a week away
    again = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=after.cursor,
                                              evaluation_time=_at(10, 17, 6))
    assert W06 not in _partitions(again, "weekly_notice"), "requested once"
    instance.report_runless_asset_event(dg.AssetMaterialization("dynamics", partition="2023"))
    changed = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=again.cursor,
                                                evaluation_time=_at(11, 9))
    assert W06 in _partitions(changed, "weekly_notice"), "the year's dynamics changed"


def test_reminders_go_between_the_reminder_time_and_the_deadline(instance: dg.DagsterInstance) -> None:
    # the fixture sets no reminder time: 10:00 on the deadline's day
    early = dg.evaluate_automation_conditions(defs=defs(), instance=instance, evaluation_time=_at(10, 9, 59))
    assert W06 not in _partitions(early, "reminders")
    due = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=early.cursor,
                                            evaluation_time=_at(10, 10, 1))
    assert W06 in _partitions(due, "reminders")
    later = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=due.cursor,
                                              evaluation_time=_at(10, 12))
    assert W06 not in _partitions(later, "reminders"), "once"


def test_the_year_end_sensor_leaves_the_notices_to_their_own() -> None:
    year_end = defs().get_sensor_def("rebuild_on_new_data")
    weekly = defs().get_sensor_def("weekly_notices")
    graph = defs().resolve_asset_graph()
    notices = {dg.AssetKey(n) for n in ("weekly_notice", "rollup_weekly_notice", "reminders", "notice_deliveries")}
    assert not notices & year_end.asset_selection.resolve(graph)
    assert weekly.asset_selection.resolve(graph) == notices
