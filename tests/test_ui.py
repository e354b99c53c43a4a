"""Smoke test of the Dagster UI: `dagster-webserver -m pipeline.definitions` on a tmp
instance serves the assets, checks, schedule and sensor over GraphQL, and headless
Chromium draws the asset graph (screenshot kept in tests/artifacts/ for a person to look at)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from services import (
    ARTIFACTS_DIR,
    Webserver,
    build_environment,
    chromium_binary,
    dagster_home,
    dagster_webserver,
)

pytestmark = pytest.mark.timeout(240)

GROUPS = {
    "raw_folder": "raw",
    "achievements": "ingest",
    "dynamics": "ingest",
    "media": "ingest",
    "meetings": "ingest",
    "tasks": "ingest",
    "dynamics_weekly": "metrics",
    "figures": "metrics",
    "media_monthly": "metrics",
    "report_period": "metrics",
    "progress_report": "report",
}
# a roll-up's districts: the same graph under district/, and the roll-up over them
GROUPS |= {f"district/{name}": f"district_{group}" for name, group in GROUPS.items()} | {"rollup_report": "rollup"}
# the weekly loop, partitioned by ISO week
GROUPS |= {"weekly_notice": "notice", "rollup_weekly_notice": "notice", "reminders": "notice", "notice_deliveries": "notice"}


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    folder = tmp_path_factory.mktemp("ui")
    home = dagster_home(folder / "dagster_home")
    env = build_environment(home, folder / "warehouse.duckdb") | {"PIPELINE_OUTPUT_DIR": str(folder / "out")}
    with dagster_webserver(folder, env, startup_seconds=90) as server:
        _wait_for_code_location(server, deadline_seconds=90)
        yield server


def _graphql(server: Webserver, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{server.url}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


LOCATION_STATUS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


def _wait_for_code_location(server: Webserver, deadline_seconds: float) -> None:
    """The webserver answers before its code server has loaded the definitions; wait for that."""
    deadline = time.monotonic() + deadline_seconds
    entries: list[dict] = []
    while time.monotonic() < deadline:
        entries = _graphql(server, LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            errors = [e for e in entries if e["locationOrLoadError"]["__typename"] == "PythonError"]
            if errors:
                pytest.fail(f"code location failed to load: {errors}\n{server.output()}")
            return
        time.sleep(0.5)
    pytest.fail(f"code location not loaded within {deadline_seconds} s: {entries}\n{server.output()}")


def _repository(server: Webserver) -> dict[str, str]:
    data = _graphql(
        server,
        "{ repositoriesOrError { __typename ... on RepositoryConnection { nodes { name location { name } } } } }",
    )
    [node] = data["repositoriesOrError"]["nodes"]
    return {"repositoryName": node["name"], "repositoryLocationName": node["location"]["name"]}


ASSETS = """
{ assetNodes {
    assetKey { path }
    groupName
    assetChecksOrError { __typename ... on AssetChecks { checks { name blocking } } }
} }
"""


def test_ui_serves_every_asset_in_its_group(webserver: Webserver) -> None:
    nodes = _graphql(webserver, ASSETS)["assetNodes"]
    assert {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes} == GROUPS


def test_ui_serves_the_asset_checks_with_their_blocking_flags(webserver: Webserver) -> None:
    nodes = _graphql(webserver, ASSETS)["assetNodes"]
    checks = {
        ("/".join(n["assetKey"]["path"]), c["name"], c["blocking"])
        for n in nodes
        for c in n["assetChecksOrError"]["checks"]
    }
    districts = {(name.removeprefix("district/"), check, blocking) for name, check, blocking in checks
                 if name.startswith("district/")}
    checks -= {(f"district/{name}", check, blocking) for name, check, blocking in districts}
    assert districts == checks
    assert checks == {
        *((name, "row_conservation", True) for name in ("achievements", "dynamics", "media", "meetings", "tasks")),
        ("report_period", "as_of_inside_year", True),
        ("figures", "figures_match_warehouse", True),
        ("figures", "areas_within_program", True),
        ("figures", "sources_add_up", True),
        ("dynamics_weekly", "units_reporting_weekly", False),
    }


def test_ui_serves_the_raw_folder_sensor_and_the_automation_sensor(webserver: Webserver) -> None:
    selector = _repository(webserver)
    data = _graphql(
        webserver,
        """
        query ($selector: RepositorySelector!) {
          schedulesOrError(repositorySelector: $selector) { __typename ... on Schedules { results { name } } }
          sensorsOrError(repositorySelector: $selector) { __typename ... on Sensors { results {
              name minIntervalSeconds defaultStatus sensorType } } }
        }
        """,
        {"selector": selector},
    )
    assert data["schedulesOrError"]["results"] == []
    assert data["sensorsOrError"]["results"] == [
        {"name": "raw_folder_sensor", "minIntervalSeconds": 60, "defaultStatus": "RUNNING", "sensorType": "STANDARD"},
        {"name": "rebuild_on_new_data", "minIntervalSeconds": 300, "defaultStatus": "RUNNING",
         "sensorType": "AUTO_MATERIALIZE"},
        # evaluated in the code location (its conditions read program.yaml): Dagster's AUTOMATION type
        {"name": "weekly_notices", "minIntervalSeconds": 300, "defaultStatus": "RUNNING",
         "sensorType": "AUTOMATION"},
    ]


def _screenshot(webserver: Webserver, tmp_path: Path, page: str, name: str) -> None:
    """A headless Chromium screenshot of a UI page, kept in tests/artifacts/ for a person to look at."""
    chromium = chromium_binary()
    if chromium is None:
        pytest.skip("no chromium binary (make test installs the Debian package chromium)")
    # What "Skip" on the first-visit "Join the Dagster community" dialog does; it would cover the graph.
    assert _graphql(webserver, "mutation { setNuxSeen }") == {"setNuxSeen": True}
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS_DIR / name
    screenshot.unlink(missing_ok=True)
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1600,1000", "--virtual-time-budget=15000", "--hide-scrollbars",
        f"--screenshot={screenshot}", f"{webserver.url}{page}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert screenshot.is_file(), done.stderr
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000  # a blank or error page compresses to a few kB


def test_asset_graph_page_renders_in_headless_chromium(webserver: Webserver, tmp_path: Path) -> None:
    _screenshot(webserver, tmp_path, "/asset-groups", "ui-asset-graph.png")


def test_ui_serves_the_district_graph_partitioned_by_district_and_year(webserver: Webserver) -> None:
    data = _graphql(webserver, """
    { assetNodes { assetKey { path } partitionDefinition { type dimensionTypes { name type } } } }
    """)
    partitions = {"/".join(n["assetKey"]["path"]): n["partitionDefinition"] for n in data["assetNodes"]}
    district = partitions["district/progress_report"]
    assert district["type"] == "MULTIPARTITIONED"
    assert {(d["name"], d["type"]) for d in district["dimensionTypes"]} == {("district", "DYNAMIC"), ("year", "TIME_WINDOW")}
    assert partitions["rollup_report"]["type"] == "TIME_WINDOW"


def test_ui_serves_the_notice_partitioned_by_week(webserver: Webserver) -> None:
    """Each ISO week is a partition of the notice (keyed by its Monday), to see and rerun in the UI."""
    data = _graphql(webserver, """
    { assetNodes { assetKey { path } partitionDefinition { type name }
                   partitionKeysByDimension { name partitionKeys } } }
    """)
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    for name in ("weekly_notice", "reminders", "notice_deliveries", "rollup_weekly_notice"):
        assert nodes[name]["partitionDefinition"]["type"] == "TIME_WINDOW"
    [weeks] = nodes["weekly_notice"]["partitionKeysByDimension"]
    keys = weeks["partitionKeys"]
    assert keys[0] == "2019-12-30" and {"2022-12-26", "2023-01-23", "2023-05-15"} <= set(keys)
    assert all(dt.date.fromisoformat(key).weekday() == 0 for key in keys)


def test_the_notice_partitions_page_renders_in_headless_chromium(webserver: Webserver, tmp_path: Path) -> None:
    """The weekly notice's partitions, one per week, as the office sees them."""
    _screenshot(webserver, tmp_path, "/assets/weekly_notice?view=partitions", "ui-notice-partitions.png")
