"""The code location loads with the asset graph, checks and sensors we expect."""

import json
import os
from pathlib import Path

import dagster as dg

from pipeline.definitions import defs

# the asset keys, checks, partitions and automation conditions as reviewed: regenerate with
# UPDATE_SNAPSHOT=1 and read the diff
SNAPSHOT = Path(__file__).parent / "data" / "definitions.json"

GROUPS = {
    "raw_folder": "raw",
    "dynamics": "ingest", "media": "ingest", "meetings": "ingest", "tasks": "ingest", "achievements": "ingest",
    "report_period": "metrics", "dynamics_weekly": "metrics", "media_monthly": "metrics", "figures": "metrics",
    "progress_report": "report",
}
# a roll-up's districts: the same graph under district/, in groups district_*, and the roll-up
DISTRICT_GROUPS = {f"district/{name}": f"district_{group}" for name, group in GROUPS.items()}
ROLLUP_GROUPS = {"rollup_report": "rollup"}
# the weekly loop, partitioned by ISO week
WEEKLY_GROUPS = {"weekly_notice": "notice", "rollup_weekly_notice": "notice", "reminders": "notice",
                 "notice_deliveries": "notice"}


def test_assets_and_their_groups() -> None:
    graph = defs().resolve_asset_graph()
    found = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert found == GROUPS | DISTRICT_GROUPS | ROLLUP_GROUPS | WEEKLY_GROUPS


def test_every_asset_is_partitioned_by_year_or_district_and_year_and_versioned() -> None:
    graph = defs().resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.to_user_string() in WEEKLY_GROUPS:
            # weeks keyed by their Monday: 2022-07-01 falls in 2022-W26, which starts on 2022-06-27
            assert node.partitions_def.get_partition_key_for_timestamp(1656633600) == "2022-06-27"
            continue
        if key.path[0] == "district":
            assert isinstance(node.partitions_def, dg.MultiPartitionsDefinition), key
            assert {d.name for d in node.partitions_def.partitions_defs} == {"district", "year"}
        else:
            assert node.partitions_def.get_partition_key_for_timestamp(1656633600) == "2022"
        assert node.code_version is not None or not node.is_materializable, key


def test_the_rollup_depends_on_every_district_of_its_year() -> None:
    graph = defs().resolve_asset_graph()
    assert graph.get(dg.AssetKey("rollup_report")).parent_keys == {dg.AssetKey(["district", "progress_report"])}


def test_lineage_runs_raw_to_warehouse_to_metrics_to_report() -> None:
    graph = defs().resolve_asset_graph()
    parents = {key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
               for key in graph.get_all_asset_keys()}
    assert {name for name, p in parents.items() if "raw_folder" in p} == {
        "dynamics", "media", "meetings", "tasks", "achievements"}
    assert parents["report_period"] == {"dynamics", "media", "meetings", "tasks", "achievements"}
    assert parents["figures"] == {"report_period", "dynamics", "media", "meetings", "tasks", "achievements"}
    assert parents["progress_report"] >= {"figures", "dynamics_weekly", "media_monthly"}


def test_checks_and_which_block() -> None:
    graph = defs().resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name): graph.get_check_spec(k).blocking for k in graph.asset_check_keys
              if k.asset_key.path[0] != "district"}
    districts = {(k.asset_key.path[-1], k.name): graph.get_check_spec(k).blocking for k in graph.asset_check_keys
                 if k.asset_key.path[0] == "district"}
    assert districts == checks
    assert checks == {
        **{(t, "row_conservation"): True for t in ("dynamics", "media", "meetings", "tasks", "achievements")},
        ("report_period", "as_of_inside_year"): True,
        ("figures", "figures_match_warehouse"): True,
        ("figures", "areas_within_program"): True,
        ("figures", "sources_add_up"): True,
        ("dynamics_weekly", "units_reporting_weekly"): False,
    }


def test_the_raw_folder_sensor_and_the_automation_sensor_are_on_by_default() -> None:
    for name in ("raw_folder_sensor", "rebuild_on_new_data", "weekly_notices"):
        assert defs().get_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
    assert not list(defs().schedules or [])


def test_a_week_reads_the_years_its_days_fall_in() -> None:
    """A week straddling New Year (2022-W52: 2022-12-26 to 2023-01-01) depends on both years' dynamics."""
    graph = defs().resolve_asset_graph()
    notice = graph.get(dg.AssetKey("weekly_notice"))
    assert notice.parent_keys == {dg.AssetKey("dynamics")}
    mapping = notice.assets_def.get_partition_mapping(dg.AssetKey("dynamics"))
    years = graph.get(dg.AssetKey("dynamics")).partitions_def
    for week, expected in (("2022-12-26", {"2022", "2023"}), ("2023-05-15", {"2023"})):
        upstream = mapping.get_upstream_mapped_partitions_result_for_partitions(
            notice.partitions_def.subset_with_partition_keys([week]), notice.partitions_def, years)
        assert set(upstream.partitions_subset.get_partition_keys()) == expected


def _condition(condition: dg.AutomationCondition | None) -> str | None:
    """An automation condition as one line: each node's kind and label, then its operands."""
    if condition is None:
        return None
    name = type(condition).__name__.removesuffix("AutomationCondition").removesuffix("Condition")
    label = f"'{condition.get_label()}'" if condition.get_label() else ""
    children = ", ".join(_condition(child) for child in condition.children)
    return f"{name}{label}({children})" if children else f"{name}{label}"


def code_location_snapshot() -> dict[str, object]:
    """What a reviewer checks of the code location, in a stable order (code versions are derived
    from the source, so they are not in it)."""
    location = defs()
    graph = location.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(parent.to_user_string() for parent in node.parent_keys),
            "partitions": " ".join(str(node.partitions_def).split()) if node.partitions_def else None,
            "automation_condition": _condition(node.automation_condition),
            "checks": {k.name: graph.get_check_spec(k).blocking for k in sorted(graph.asset_check_keys, key=str)
                       if k.asset_key == key},
        }
    return {
        "assets": assets,
        "jobs": sorted(job.name for job in location.jobs or []),
        "sensors": sorted(sensor.name for sensor in location.sensors or []),
    }


def test_the_code_location_is_its_reviewed_snapshot() -> None:
    found = code_location_snapshot()
    if os.environ.get("UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert found == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
