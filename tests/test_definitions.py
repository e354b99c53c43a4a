"""The code location loads with the asset graph, checks, schedule and sensor we expect."""

import dagster as dg

from pipeline.definitions import defs

GROUPS = {
    "dynamics": "ingest", "media": "ingest", "meetings": "ingest", "tasks": "ingest", "achievements": "ingest",
    "report_period": "metrics", "dynamics_weekly": "metrics", "media_monthly": "metrics", "figures": "metrics",
    "progress_report": "report",
}


def test_assets_and_their_groups() -> None:
    graph = defs.resolve_asset_graph()
    assert {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()} == GROUPS


def test_every_asset_is_partitioned_by_year_and_versioned() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.partitions_def is not None and node.partitions_def.get_partition_key_for_timestamp(1656633600) == "2022"
        assert node.code_version is not None, key


def test_lineage_runs_raw_to_warehouse_to_metrics_to_report() -> None:
    graph = defs.resolve_asset_graph()
    parents = {key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
               for key in graph.get_all_asset_keys()}
    assert parents["report_period"] == {"dynamics", "media", "meetings", "tasks", "achievements"}
    assert parents["figures"] == {"report_period", "dynamics", "media", "meetings", "tasks", "achievements"}
    assert parents["progress_report"] >= {"figures", "dynamics_weekly", "media_monthly"}


def test_checks_and_which_block() -> None:
    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name): graph.get_check_spec(k).blocking for k in graph.asset_check_keys}
    assert checks == {
        **{(t, "row_conservation"): True for t in ("dynamics", "media", "meetings", "tasks", "achievements")},
        ("report_period", "as_of_inside_year"): True,
        ("figures", "figures_match_warehouse"): True,
        ("figures", "areas_within_program"): True,
        ("dynamics_weekly", "units_reporting_weekly"): False,
    }


def test_nightly_schedule_and_raw_folder_sensor_are_on_by_default() -> None:
    schedule = defs.get_schedule_def("nightly_build")
    sensor = defs.get_sensor_def("raw_folder_sensor")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert schedule.job_name == sensor.job_name == "build_year"
