"""Unattended runs: the raw-folder sensor records each year's data version, and Dagster's
automation conditions decide what rebuilds."""

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import dagster as dg
import pytest
from conftest import Built, project_resources, write_csv

from pipeline.definitions import defs
from pipeline.defs.automation import raw_folder_sensor
from pipeline.defs.raw import (
    DATA_VERSION_TAG,
    RAW_FOLDER,
    REBUILD,
    raw_folder,
    year_versions,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EVERY_ASSET = {"achievements", "dynamics", "dynamics_weekly", "figures", "media", "media_monthly", "meetings",
               "progress_report", "report_period", "tasks"}


def _tick(instance: dg.DagsterInstance, resources: dict, cursor: str | None) -> dg.SensorResult:
    """One sensor tick; its observations are recorded as the sensor daemon records them."""
    # the context is closed after the tick: an open one would leave Dagster pointing at this
    # test's instance after the instance is gone
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
        result = raw_folder_sensor(context)
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    for event in result.asset_events:
        instance.report_runless_asset_event(event)
    return result


def _observed(result: dg.SensorResult) -> dict[str, str]:
    return {event.partition: event.tags[DATA_VERSION_TAG] for event in result.asset_events}


@pytest.fixture
def sensor_resources(resources: dict) -> dict:
    return {"project": resources["project"]}


def test_first_tick_observes_every_year_and_remembers_hashes(instance, sensor_resources) -> None:
    result = _tick(instance, sensor_resources, None)
    assert list(_observed(result)) == ["2022"]
    assert len(_observed(result)["2022"]) == 16
    cursor = json.loads(result.cursor)
    assert "2022/dynamics/2022-01-07.csv" in cursor
    assert all(len(entry[2]) == 64 for entry in cursor.values())


def test_a_tick_with_nothing_changed_observes_nothing(instance, sensor_resources) -> None:
    first = _tick(instance, sensor_resources, None)
    second = _tick(instance, sensor_resources, first.cursor)
    assert second.asset_events == []
    assert second.skip_reason.skip_message == "原始数据文件没有变化"


@pytest.mark.parametrize("change", ["add", "edit", "remove"])
def test_a_file_added_changed_or_removed_gives_its_year_a_new_version(
    instance, sensor_resources, raw_dir: Path, change: str
) -> None:
    first = _tick(instance, sensor_resources, None)
    (raw_dir / "2021").mkdir()
    media = raw_dir / "2022" / "media" / "2022-01.csv"
    if change == "add":
        write_csv(raw_dir / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    elif change == "edit":
        media.write_bytes(media.read_bytes().replace(b",8,", b",9,"))
    else:
        media.unlink()
    result = _tick(instance, sensor_resources, first.cursor)
    assert list(_observed(result)) == ["2022"]
    assert _observed(result)["2022"] != _observed(first)["2022"]
    assert result.skip_reason.skip_message == "原始数据有新版本：2022"


def test_a_new_modification_time_with_the_same_bytes_is_no_change(instance, sensor_resources, raw_dir: Path) -> None:
    cursor = _tick(instance, sensor_resources, None).cursor
    (raw_dir / "2022" / "meetings.csv").touch()
    assert _tick(instance, sensor_resources, cursor).asset_events == []


@pytest.mark.parametrize(
    ("before", "after", "versions_equal"),
    [
        ({"2022/a.csv": [1, 1, "x"]}, {"2022/a.csv": [1, 2, "x"]}, True),
        ({"2022/a.csv": [1, 1, "x"]}, {"2022/a.csv": [1, 2, "y"]}, False),
        ({"2022/a.csv": [1, 1, "x"]}, {"2022/a.csv": [1, 1, "x"], "program.yaml": [1, 1, "p"]}, False),
    ],
)
def test_year_versions_compare_hashes_not_times(before, after, versions_equal) -> None:
    assert (year_versions(before) == year_versions(after)) is versions_equal


def test_year_folders_outside_the_partitions_have_no_version() -> None:
    assert list(year_versions({"2019/a.csv": [1, 1, "x"], "2099/a.csv": [1, 1, "x"], "2022/a.csv": [1, 1, "y"]})) == ["2022"]


def _requested(result: dg.EvaluateAutomationConditionsResult) -> dict[str, list[str]]:
    return {
        r.key.to_user_string(): sorted(r.true_subset.expensively_compute_partition_keys())
        for r in result.results
        if r.true_subset.size and isinstance(r.key, dg.AssetKey)
    }


def _project(built: Built) -> dict[str, object]:
    """The sensor's resources for the shared built folder (its build already recorded)."""
    return project_resources(built.raw, built.base)


def test_a_changed_file_rebuilds_its_year_and_nothing_after_a_cli_build(built: Built) -> None:
    instance, resources = built.instance, _project(built)
    cursor = _tick(instance, resources, None).cursor
    nothing = dg.evaluate_automation_conditions(defs=defs(), instance=instance)
    assert _requested(nothing) == {}, "the CLI build recorded the version it read"

    media = built.raw / "2022" / "media" / "2022-01.csv"
    media.write_bytes(media.read_bytes().replace(b",8,", b",9,"))
    _tick(instance, resources, cursor)
    changed = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=nothing.cursor)
    assert _requested(changed) == {name: ["2022"] for name in EVERY_ASSET}

    again = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=changed.cursor)
    assert _requested(again) == {}, "requested once, not again on the next tick"


def test_the_nightly_tick_with_nothing_changed_starts_nothing(built: Built) -> None:
    _tick(built.instance, _project(built), None)
    before = dg.evaluate_automation_conditions(
        defs=defs(), instance=built.instance, evaluation_time=dt.datetime(2026, 11, 26, 1, 59, tzinfo=SHANGHAI)
    )
    at_two = dg.evaluate_automation_conditions(
        defs=defs(), instance=built.instance, cursor=before.cursor,
        evaluation_time=dt.datetime(2026, 11, 26, 2, 1, tzinfo=SHANGHAI),
    )
    assert _requested(at_two) == {}


def test_every_asset_rebuilds_on_new_data_or_nightly() -> None:
    eager, nightly = REBUILD.children
    assert eager.get_label() == "eager"
    assert nightly.get_label() == "on_cron(0 2 * * *, Asia/Shanghai)"
    graph = defs().resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        if graph.get(key).group_name == "notice":
            continue  # the weekly loop's own conditions: tests/test_notice_automation.py
        condition = graph.get(key).automation_condition
        # the roll-up also waits for a district to have been built
        assert (condition.children[0] if key == dg.AssetKey("rollup_report") else condition) == REBUILD, key


def test_the_first_tick_builds_every_year_with_a_folder_and_only_those(
    raw_dir: Path, project_instance, sensor_resources
) -> None:
    # either order of the two sensors' first ticks builds 2022, and no year without a folder
    for observe_first in (True, False):
        with dg.DagsterInstance.ephemeral() as instance:
            if observe_first:
                _tick(instance, sensor_resources, None)
            first = dg.evaluate_automation_conditions(defs=defs(), instance=instance)
            if not observe_first:
                assert _requested(first) == {}
                _tick(instance, sensor_resources, None)
                first = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=first.cursor)
            assert _requested(first) == {name: ["2022"] for name in EVERY_ASSET}


def test_observing_raw_folder_in_the_ui_gives_the_versions_the_sensor_records(instance, sensor_resources) -> None:
    observe = dg.define_asset_job("observe_raw_folder", selection=[RAW_FOLDER])
    job = dg.Definitions(assets=[raw_folder], jobs=[observe], resources=sensor_resources).resolve_job_def(observe.name)
    assert job.execute_in_process(instance=instance).success
    records = instance.fetch_observations(dg.AssetRecordsFilter(asset_key=RAW_FOLDER), limit=10).records
    observed = {r.asset_observation.partition: r.asset_observation.tags[DATA_VERSION_TAG] for r in records}
    assert observed == _observed(_tick(instance, sensor_resources, None))


def test_a_rollup_folder_gives_each_district_a_partition_and_builds_each_district_year(tmp_path: Path) -> None:
    from tools.districts import FIXTURE_ORDER, write_fixture

    raw = write_fixture(tmp_path / "raw")
    resources = project_resources(raw, tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        result = _tick(instance, resources, None)
        assert sorted(instance.get_dynamic_partitions("district")) == sorted(FIXTURE_ORDER)  # no code change
        assert sorted(_observed(result)) == sorted(f"{d}|2022" for d in FIXTURE_ORDER)
        first = dg.evaluate_automation_conditions(defs=defs(), instance=instance)
        requested = _requested(first)
        assert requested == {f"district/{name}": sorted(f"{d}|2022" for d in FIXTURE_ORDER) for name in EVERY_ASSET}
        # one district's file changes: that district's year only
        (raw / "余杭区" / "2022" / "meetings.csv").write_text("日期,会议名称,类型\n", encoding="utf-8")
        for key, partitions in requested.items():  # as if the runs had materialised them
            for partition in partitions:
                instance.report_runless_asset_event(dg.AssetMaterialization(key, partition=partition))
        second = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=first.cursor)
        assert _requested(second) == {"rollup_report": ["2022"]}  # every district built: the roll-up
        _tick(instance, resources, result.cursor)
        third = dg.evaluate_automation_conditions(defs=defs(), instance=instance, cursor=second.cursor)
        assert _requested(third) == {f"district/{name}": ["余杭区|2022"] for name in EVERY_ASSET}
