"""A province: more stale districts than PER_PARTITION_MAX build in one run of
`build_province_year` on the multiprocess executor, each district recorded under its own
partition (materialisations and check evaluations), with the same bytes as a district built
alone; a failing district fails its share's step and the roll-up, and the others are written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import pytest
import yaml
from services import build_environment, dagster_home

from pipeline.cli import main
from pipeline.config import PROJECT_DIR
from pipeline.defs.assets import DISTRICT_ASSETS
from pipeline.defs.checks import BATCH, BATCH_TAG, latest_check_outcomes
from pipeline.defs.province import build_province_year, shares_of
from pipeline.defs.resources import project_resources
from pipeline.defs.scope import partition_key
from pipeline.defs.currency import latest_materializations
from pipeline.ops.province import PER_PARTITION_MAX
from tools.districts import write_province

DISTRICTS = PER_PARTITION_MAX + 1
RECORDED = (dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_CHECK_EVALUATION)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _build(raw: Path, out: Path, *extra: str) -> int:
    return main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded", *extra])


@pytest.fixture
def province(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str]]:
    names = write_province(tmp_path / "raw", DISTRICTS)
    dagster_home(tmp_path / "home")
    for name, value in build_environment(tmp_path / "home", tmp_path / "warehouse.duckdb").items():
        monkeypatch.setenv(name, value)
    return tmp_path / "raw", tmp_path / "out", names


def test_a_province_builds_in_one_run_each_district_its_own_partition(province, capsys) -> None:
    raw, out, names = province
    assert _build(raw, out) == 0
    printed = capsys.readouterr().out
    assert printed.count(f"（{DISTRICTS}个区县一次运行），运行了：全部资产") == DISTRICTS, printed
    with dg.DagsterInstance.get() as instance:
        runs = list(reversed(instance.get_runs()))
        assert [run.job_name for run in runs] == ["build_province_year", "build_rollup"]
        partitions = [partition_key(2022, name) for name in names]
        latest = latest_materializations(instance, DISTRICT_ASSETS, partitions)
        keys = [key for assets_def in DISTRICT_ASSETS for key in assets_def.keys]
        assert {(key, str(p)) for key in keys for p in partitions} == set(latest)
        assert {record.run_id for record in latest.values()} == {runs[0].run_id}
        checks = [spec.key for assets_def in DISTRICT_ASSETS for spec in assets_def.check_specs]
        for partition in partitions:
            outcomes = latest_check_outcomes(instance, checks, partition)
            assert set(outcomes) == set(checks) and all(passed for passed, _ in outcomes.values()), partition
        # one step per share of districts: its records are the districts' own, a materialisation
        # per asset and an evaluation per check
        recorded = instance.get_records_for_run(runs[0].run_id, of_type=set(RECORDED)).records
        assert len(recorded) == DISTRICTS * (len(keys) + len(checks))
    assert (out / "2022" / "progress-report.pdf").is_file()

    # the same bytes as the district built alone, in a run of its own partition
    batched = _digests(out / names[-1] / "2022")
    assert _build(raw, out, "--district", names[-1], "--force") == 0
    assert _digests(out / names[-1] / "2022") == batched
    # and nothing left to do
    capsys.readouterr()
    assert _build(raw, out) == 0
    assert capsys.readouterr().out.count("已是最新，未重新运行") == DISTRICTS + 1


def test_a_failing_district_fails_the_rollup_and_the_others_are_written(province, capsys) -> None:
    raw, out, names = province
    broken = names[1]
    out.mkdir()
    (out / broken).write_text("not a folder")  # its bundle cannot be written
    assert _build(raw, out) == 1
    printed = capsys.readouterr()
    assert f"{DISTRICTS}个区县中有1个生成失败：{broken}" in printed.err
    assert f"2022年汇总报告未生成：以下区县的报告未成功生成或已过期：{broken}" in printed.err
    assert all((out / name / "2022" / "figures.json").is_file() for name in names if name != broken)
    assert not (out / "2022").exists()
    with dg.DagsterInstance.get() as instance:
        # the failed district is not built a second time in a run of its own
        assert sorted(run.job_name for run in instance.get_runs()) == ["build_province_year", "build_rollup"]
        [run] = [run for run in instance.get_runs() if run.job_name == "build_province_year"]
        assert run.status == dg.DagsterRunStatus.FAILURE
    # the district put right, the job run as the UI launches it, with deploy/province-run.yaml's
    # config (no districts named): it builds the one district that is not current
    (out / broken).unlink()
    config = yaml.safe_load((PROJECT_DIR / "deploy" / "province-run.yaml").read_text(encoding="utf-8"))
    resources = project_resources(raw, out, raw.parent / "warehouse.duckdb", "embedded")
    job = dg.Definitions(jobs=[build_province_year], resources=resources).resolve_job_def(build_province_year.name)
    assert dg.validate_run_config(job, config)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(run_config={"ops": config["ops"]}, instance=instance)
        assert result.success
        built = {m.partition for m in result.asset_materializations_for_node("district_builds")}
        assert built == {str(partition_key(2022, broken))}
        assert result.dagster_run.tags[BATCH_TAG] == BATCH
    capsys.readouterr()
    assert _build(raw, out) == 0
    printed = capsys.readouterr().out
    assert printed.count("已是最新，未重新运行") == DISTRICTS and (out / "2022" / "figures.json").is_file()
    shutil.rmtree(out)


def test_the_kubernetes_instance_launches_each_run_with_the_province_runs_cores() -> None:
    instance = yaml.safe_load((PROJECT_DIR / "deploy" / "dagster.k8s.yaml").read_text(encoding="utf-8"))
    run = yaml.safe_load((PROJECT_DIR / "deploy" / "province-run.yaml").read_text(encoding="utf-8"))
    assert instance["run_launcher"]["class"] == "K8sRunLauncher"
    requests = instance["run_launcher"]["config"]["run_k8s_config"]["container_config"]["resources"]["requests"]
    workers = run["execution"]["config"]["multiprocess"]["max_concurrent"]
    assert int(requests["cpu"]) == workers == run["ops"]["district_shares"]["config"]["shares"]


@pytest.mark.parametrize(("districts", "shares", "expected"), [
    (["a", "b", "c", "d", "e"], 2, [["a", "c", "e"], ["b", "d"]]),
    (["a", "b"], 8, [["a"], ["b"]]),
    (["a"], 1, [["a"]]),
    ([], 2, []),
])
def test_districts_are_dealt_round_the_shares(districts: list[str], shares: int, expected: list[list[str]]) -> None:
    assert shares_of(districts, shares) == expected
