"""Each project (raw folder) keeps its own warehouse and Dagster records; the settings are read
in one place by the CLI, the code location and the tests; Dagster's own CLI finds the
project's instance with no variable; a full disk under the Dagster storage is one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURE_RAW, Built
from services import dagster_home

from pipeline.cli import main
from pipeline.config import PROJECT_DIR, Settings, state_dir
from pipeline.defs.resources import configured_resources

SETTING_VARIABLES = ("PIPELINE_RAW_DIR", "PIPELINE_OUTPUT_DIR", "PIPELINE_WAREHOUSE", "PIPELINE_DAGSTER_DIR",
                     "PIPELINE_REPORTS_DIR", "PIPELINE_DATA_DIR", "DAGSTER_HOME")


@pytest.fixture
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """None of the settings' variables set, the state folders under tmp (not the project's data/)."""
    for name in SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIPELINE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_each_raw_folder_has_its_own_state_folder(no_settings: Path, tmp_path: Path) -> None:
    other = tmp_path / "其他 区县" / "raw"
    other.mkdir(parents=True)
    (tmp_path / "link").symlink_to(other)
    assert state_dir(PROJECT_DIR / "raw") == no_settings  # the project's own raw/: data/ itself, as before
    assert state_dir(other).parent == no_settings / "projects" and state_dir(other).name.startswith("raw-")
    assert state_dir(tmp_path / "link") == state_dir(other)  # one folder, however it is reached
    assert state_dir(tmp_path / "raw") != state_dir(other)
    settings = Settings.of(other)
    assert (settings.warehouse, settings.dagster_dir) == (state_dir(other) / "warehouse.duckdb", state_dir(other) / "dagster")


@pytest.mark.parametrize("variables", [
    {},
    {"PIPELINE_RAW_DIR": "{tmp}/raw"},
    {"PIPELINE_RAW_DIR": "{tmp}/raw", "PIPELINE_OUTPUT_DIR": "{tmp}/bundles", "PIPELINE_WAREHOUSE": "{tmp}/w.duckdb",
     "PIPELINE_REPORTS_DIR": "{tmp}/reports"},
])
def test_the_code_location_and_the_command_line_share_each_setting(
    no_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path))
    settings = Settings.of()
    resources = configured_resources()
    # the UI shows the folders themselves, not the name of a variable
    assert (resources["project"].raw_dir, resources["duckdb"].database) == (str(settings.raw_dir), str(settings.warehouse))
    project = resources["project"].process_config_and_initialize()
    duckdb_path = resources["duckdb"].process_config_and_initialize().database
    assert (project.raw_path, project.output_path, project.reports_path) == (
        settings.raw_dir, settings.output_dir, settings.reports_dir)
    assert duckdb_path == str(settings.warehouse) == str(Settings.of(settings.raw_dir).warehouse)


def test_the_command_line_defaults_to_the_settings_variables(built: Built, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """PIPELINE_RAW_DIR, PIPELINE_OUTPUT_DIR and PIPELINE_REPORTS_DIR reach the commands as they reach the UI's runs."""
    monkeypatch.setenv("PIPELINE_RAW_DIR", str(built.raw))
    monkeypatch.setenv("PIPELINE_OUTPUT_DIR", str(built.out))
    assert main(["explain", "meetings_total"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("合计：2")
    assert main(["check"]) == 1 and "2022：读取46行" in capsys.readouterr().err
    reports = built.base / "reports"
    shutil.copytree(PROJECT_DIR / "reports", reports)
    (reports / "progress-report.qmd").write_text("<< figures.no_such_figure >>\n", encoding="utf-8")
    monkeypatch.setenv("PIPELINE_REPORTS_DIR", str(reports))
    assert main(["check"]) == 1
    assert "no_such_figure" in capsys.readouterr().err


def test_two_raw_folders_keep_their_own_warehouse_and_records(
    no_settings: Path, tmp_path: Path, quarto_stand_in: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The sample, another folder of the same year, the sample again: up to date, its figures as they were."""
    out, other, other_out = tmp_path / "out", tmp_path / "other", tmp_path / "other-out"
    shutil.copytree(FIXTURE_RAW, other)
    assert main(["build", "--output-dir", str(out), "--renderer", "quarto"]) == 0
    figures = (out / "2022" / "figures.json").read_bytes()
    assert main(["build", "--raw-dir", str(other), "--output-dir", str(other_out), "--renderer", "quarto"]) == 0
    capsys.readouterr()
    assert main(["build", "--output-dir", str(out), "--renderer", "quarto"]) == 0
    assert "已是最新，未重新运行" in capsys.readouterr().out
    assert (out / "2022" / "figures.json").read_bytes() == figures
    assert json.loads(figures)["dynamics_total"] == 173
    for raw, expected in ((PROJECT_DIR / "raw", 173), (other, 9)):
        state = state_dir(raw)
        with duckdb.connect(str(state / "warehouse.duckdb"), read_only=True) as conn:
            assert conn.execute("select value from figures where year = 2022 and key = 'dynamics_total'").fetchone()[0] == str(expected)
        with _instance(state, monkeypatch) as instance:
            runs = instance.get_runs()
            assert [(run.job_name, run.tags["dagster/partition"]) for run in runs] == [("build_year", "2022")]
            assert instance.get_run_by_id(runs[0].run_id).tags["pipeline/command"] == "build"


def _instance(state: Path, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    """The project's instance (its dagster.yaml) with the storage of one state folder."""
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(state / "dagster"))
    return dg.DagsterInstance.from_config(str(PROJECT_DIR))


def test_dagster_asset_materialize_finds_the_project_with_no_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dagster's own CLI in the project folder, as the README shows it, in an empty environment
    (PIPELINE_DATA_DIR only keeps the project's own data/ out of the test)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIPELINE_DATA_DIR": str(tmp_path / "data")}
    command = [str(Path(sys.executable).parent / "dagster"), "asset", "materialize", "-m", "pipeline.definitions",
               "--select", "media", "--partition", "2022"]
    done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select sum(count) from media where year = 2022").fetchone()[0] == 612
    with _instance(tmp_path / "data", monkeypatch) as instance:
        [run] = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS and run.tags["dagster/partition"] == "2022"


def test_a_raw_folder_set_wrongly_fails_the_run_naming_it(tmp_path: Path, instance: dg.DagsterInstance) -> None:
    from pipeline.defs.assets import ASSETS, SOURCES
    from pipeline.defs.resources import project_resources

    result = dg.materialize([*SOURCES, *ASSETS], selection=[dg.AssetKey("media")], instance=instance, partition_key="2022",
                            resources=project_resources(tmp_path / "nowhere", tmp_path / "out", tmp_path / "w.duckdb"),
                            raise_on_error=False)
    [failure] = result.get_step_failure_events()
    assert failure.step_failure_data.user_failure_data.description == (
        f"原始数据文件夹 {tmp_path}/nowhere 中没有 2022 年的文件夹（原始数据文件夹：{tmp_path}/nowhere，见 PIPELINE_RAW_DIR）")
    assert not (tmp_path / "w.duckdb").exists() or not duckdb.connect(str(tmp_path / "w.duckdb")).sql(
        "select * from information_schema.tables where table_name = 'media'").fetchall()


def test_a_full_disk_under_the_dagster_storage_is_one_line_naming_the_folder(
    tmp_path: Path, raw_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Issue #26: the Dagster storage's disk fills up during a build (services.FullDiskStorage
    raises what SQLite raises then)."""
    home = dagster_home(tmp_path / "home")
    config = (home / "dagster.yaml").read_text(encoding="utf-8")
    # full in the middle of the run: its first 20 events are written
    storage = "module: pipeline.ops.instance\n    class: ProjectSqliteStorage\n    config: {}"
    assert storage in config
    full = "module: services\n    class: FullDiskStorage\n    config: {fail_after: 20}"
    (home / "dagster.yaml").write_text(config.replace(storage, full), encoding="utf-8")
    for name, value in {"DAGSTER_HOME": str(home), "PIPELINE_DAGSTER_DIR": str(home / "storage"),
                        "PIPELINE_WAREHOUSE": str(tmp_path / "w.duckdb")}.items():
        monkeypatch.setenv(name, value)
    code = main(["build", "--raw-dir", str(raw_dir), "--output-dir", str(tmp_path / "out"), "--renderer", "quarto"])
    err = capsys.readouterr().err
    assert code == 1
    warning, failure = err.splitlines()  # the fixture's programme has no name: warned about before the build
    assert "警告：方案没有名称" in warning
    assert failure == f"错误：Dagster 记录文件夹 {home / 'storage'} 所在的磁盘已满，运行记录无法写入（--verbose 显示详情）"
    assert not (tmp_path / "out" / "2022").exists()
