"""The nightly schedule and the raw-folder sensor: when they start a build, and of what."""

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import dagster as dg
import pytest
from conftest import write_csv

from pipeline.defs.automation import changed_years, nightly_build, raw_folder_sensor
from pipeline.defs.resources import ProjectPaths, warehouse_resource
from pipeline.ops.build import run_build

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sensor_resources(resources: dict) -> dict:
    return {"project": resources["project"], "duckdb": resources["duckdb"]}


def _tick(instance: dg.DagsterInstance, resources: dict, cursor: str | None) -> dg.SensorResult:
    # the context is closed after the tick: an open one would leave Dagster pointing at this
    # test's instance after the instance is gone
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
        return raw_folder_sensor(context)


def test_sensor_first_tick_requests_every_year_and_remembers_hashes(instance, sensor_resources) -> None:
    result = _tick(instance, sensor_resources, None)
    assert [r.partition_key for r in result.run_requests] == ["2022"]
    cursor = json.loads(result.cursor)
    assert "2022/dynamics/2022-01-07.csv" in cursor
    assert all(len(entry[2]) == 64 for entry in cursor.values())


def test_sensor_skips_when_nothing_changed(instance, sensor_resources) -> None:
    first = _tick(instance, sensor_resources, None)
    second = _tick(instance, sensor_resources, first.cursor)
    assert second.run_requests == []
    assert second.skip_reason.skip_message == "no raw file changed"


@pytest.mark.parametrize("change", ["add", "edit", "remove"])
def test_sensor_requests_the_changed_year_when_a_file_is_added_changed_or_removed(
    instance, sensor_resources, raw_dir: Path, change: str
) -> None:
    cursor = _tick(instance, sensor_resources, None).cursor
    (raw_dir / "2021").mkdir()
    media = raw_dir / "2022" / "media" / "2022-01.csv"
    if change == "add":
        write_csv(raw_dir / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    elif change == "edit":
        media.write_bytes(media.read_bytes().replace(b",8,", b",9,"))
    else:
        media.unlink()
    result = _tick(instance, sensor_resources, cursor)
    assert [r.partition_key for r in result.run_requests] == ["2022"]
    assert result.run_requests[0].run_key.startswith("2022-")


def test_sensor_ignores_a_new_modification_time_with_the_same_bytes(instance, sensor_resources, raw_dir: Path) -> None:
    cursor = _tick(instance, sensor_resources, None).cursor
    (raw_dir / "2022" / "meetings.csv").touch()
    assert _tick(instance, sensor_resources, cursor).run_requests == []


def test_sensor_selects_only_stale_assets(tmp_path: Path, raw_dir: Path, project_instance, quarto_stand_in) -> None:
    resources = {"project": ProjectPaths(raw_dir=str(raw_dir), output_dir=str(tmp_path / "out")),
                 "duckdb": warehouse_resource(str(tmp_path / "w.duckdb"))}
    run_build(raw_dir, tmp_path / "out", 2022, warehouse=str(tmp_path / "w.duckdb"), instance=project_instance)
    cursor = _tick(project_instance, resources, None).cursor
    (raw_dir / "2022" / "media" / "2022-02.xlsx").unlink()
    request = _tick(project_instance, resources, cursor).run_requests[0]
    assert sorted(k.to_user_string() for k in request.asset_selection) == [
        "dynamics_weekly", "figures", "media", "media_monthly", "progress_report", "report_period"
    ]


@pytest.mark.parametrize(
    ("before", "after", "years"),
    [
        ({"2022/a.csv": [1, 1, "x"]}, {"2022/a.csv": [1, 2, "x"]}, []),
        ({"2022/a.csv": [1, 1, "x"]}, {"2022/a.csv": [1, 2, "y"]}, [2022]),
        ({"2021/a.csv": [1, 1, "x"]}, {}, [2021]),
        ({}, {"program.yaml": [1, 1, "p"]}, [2021, 2022]),
    ],
)
def test_changed_years_compare_hashes_not_times(before, after, years) -> None:
    assert changed_years(before, after, [2021, 2022]) == years


def test_schedule_builds_the_current_year_at_two_in_shanghai(instance, sensor_resources) -> None:
    with dg.build_schedule_context(
        instance=instance, resources=sensor_resources, scheduled_execution_time=dt.datetime(2022, 6, 1, 2, tzinfo=SHANGHAI)
    ) as context:
        request = nightly_build(context)
    assert isinstance(request, dg.RunRequest) and request.partition_key == "2022"
    assert nightly_build.cron_schedule == "0 2 * * *"
    assert nightly_build.execution_timezone == "Asia/Shanghai"


def test_schedule_skips_a_year_without_a_folder(instance, sensor_resources) -> None:
    with dg.build_schedule_context(
        instance=instance, resources=sensor_resources, scheduled_execution_time=dt.datetime(2023, 1, 2, 2, tzinfo=SHANGHAI)
    ) as context:
        assert "no folder" in nightly_build(context).skip_message
