"""Builds of raw/2022 started at the same time into one warehouse, one output folder and one
Dagster instance (the project's dagster.yaml, SQLite): no lock errors, one complete bundle,
and each build reports what it was asked for.

Quarto is a stand-in on PATH (the renderer is not what is under test here)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURE_RAW
from services import (
    BUNDLE_FILES,
    PROJECT_DIR,
    SAMPLE_HEADLINE,
    SAMPLE_RAW,
    SAMPLE_YEAR,
    build_environment,
    dagster_home,
    quarto_stand_in,
)

from pipeline.cli import main

pytestmark = pytest.mark.timeout(400)

# What must never show in a build's output: DuckDB's lock error, SQLite's, any traceback.
TROUBLE = ("Traceback", "Could not set lock", "database is locked")
# raw/2022 cut at an earlier as-of than the default (the latest input date, 2022-12-23).
JUNE_HEADLINE = {**SAMPLE_HEADLINE, "dynamics_total": 90, "info_total": 6, "media_articles_total": 272,
                 "meetings_total": 3, "landmarks_total": 4}
SEPTEMBER_HEADLINE = {**SAMPLE_HEADLINE, "dynamics_total": 135, "info_total": 10, "media_articles_total": 468,
                      "meetings_total": 5, "landmarks_total": 8}


@dataclass(frozen=True)
class Shared:
    """The one warehouse, output folder and Dagster home every build here writes to."""

    home: Path
    warehouse: Path
    output: Path
    env: dict[str, str]

    @property
    def bundle(self) -> Path:
        return self.output / str(SAMPLE_YEAR)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    folder = tmp_path_factory.mktemp("concurrency")
    home = dagster_home(folder / "dagster_home")
    bin_dir = quarto_stand_in(folder / "bin")
    env = build_environment(home, folder / "warehouse.duckdb") | {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return Shared(home, folder / "warehouse.duckdb", folder / "out", env)


def _start_cli_build(shared: Shared, log: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(SAMPLE_RAW),
               "--output-dir", str(shared.output), "--renderer", "quarto", *extra]
    env = {k: v for k, v in os.environ.items() if k != "QUARTO_PATH"} | shared.env
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sink, stderr=subprocess.STDOUT)


def _finish(process: subprocess.Popen, log: Path) -> tuple[int, str]:
    try:
        code = process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"build did not finish within 300 s:\n{log.read_text(errors='replace')}")
    return code, log.read_text(errors="replace")


def _headline(summary: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r"^  \S+ (\w+_total): (\d+)$", summary, re.MULTILINE)}


def _stated_as_of(summary: str) -> str:
    return re.search(r"（截至 (\d{4}-\d\d-\d\d)；", summary).group(1)


def _figures_as_of_of_run(instance: dg.DagsterInstance, run_id: str) -> str:
    """The as-of the run's own `figures` step computed with (its materialisation metadata)."""
    [materialization] = [
        e.asset_materialization
        for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        if e.asset_materialization.asset_key == dg.AssetKey("figures")
    ]
    return materialization.metadata["as_of"].value


def _assert_one_complete_bundle(shared: Shared) -> dict:
    """Exactly the bundle's files (and published editions), no staging or backup folder left."""
    assert sorted(p.name for p in shared.output.iterdir()) == [f".{SAMPLE_YEAR}.lock", str(SAMPLE_YEAR)]
    assert sorted(p.name for p in shared.bundle.iterdir() if p.name != "editions") == BUNDLE_FILES
    figures = json.loads((shared.bundle / "figures.json").read_text(encoding="utf-8"))
    manifest = json.loads((shared.bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == figures["as_of"]
    return figures


def test_two_cli_builds_at_once_leave_one_complete_bundle_with_the_sample_figures(
    shared: Shared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", shared.env["PIPELINE_DAGSTER_DIR"])  # dagster.yaml reads it
    with dg.DagsterInstance.from_config(str(shared.home)) as instance:
        before = {r.run_id for r in instance.get_runs()}  # another test of this module may have built first
    first = _start_cli_build(shared, tmp_path / "first.log")
    second = _start_cli_build(shared, tmp_path / "second.log")
    results = [_finish(first, tmp_path / "first.log"), _finish(second, tmp_path / "second.log")]

    for code, output in results:
        assert (code, [t for t in TROUBLE if t in output]) == (0, []), output
        # (a build that had to wait may say so on a line before)
        assert re.search(rf"^报告 {re.escape(str(shared.bundle))}（截至 2022-12-23；", output, re.MULTILINE), output
        assert _headline(output) == SAMPLE_HEADLINE
    figures = _assert_one_complete_bundle(shared)
    assert {key: figures[key] for key in SAMPLE_HEADLINE} == SAMPLE_HEADLINE
    assert (figures["as_of"], figures["rows_rejected"], figures["unreadable_files"]) == ("2022-12-23", 0, 0)
    # Both ingests replaced the year's rows; neither added to the other's.
    with duckdb.connect(str(shared.warehouse), read_only=True) as conn:
        rows = conn.execute("select count(*) from dynamics where year = $year", {"year": SAMPLE_YEAR}).fetchall()
    assert rows == [(SAMPLE_HEADLINE["dynamics_total"] + SAMPLE_HEADLINE["info_total"],)]
    with dg.DagsterInstance.from_config(str(shared.home)) as instance:
        statuses = [r.status for r in instance.get_runs() if r.run_id not in before]
    # Two runs, or one run and a build that waited and found nothing left to do (none, when an
    # earlier test left the same bundle).
    assert statuses in ([dg.DagsterRunStatus.SUCCESS] * 2, [dg.DagsterRunStatus.SUCCESS], [])


def test_cli_and_in_process_builds_at_once_each_build_the_as_of_they_asked_for(
    shared: Shared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.ops.build import run_build

    for name, value in shared.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QUARTO_PATH", raising=False)

    # Two as-of dates, neither the one a build before may have left: both builds have work to do.
    with dg.DagsterInstance.from_config(str(shared.home)) as instance:
        runs_before = instance.get_runs_count()
        cli = _start_cli_build(shared, tmp_path / "cli.log", "--as-of", "2022-09-30")
        # Start ours once the CLI's run exists (it spends seconds importing first), so the two overlap.
        deadline = time.monotonic() + 60
        while instance.get_runs_count() == runs_before and cli.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        in_process = run_build(
            SAMPLE_RAW, shared.output, SAMPLE_YEAR, as_of="2022-06-30", renderer="quarto",
            warehouse=str(shared.warehouse), instance=instance,
        )
        code, output = _finish(cli, tmp_path / "cli.log")

        assert (code, [t for t in TROUBLE if t in output]) == (0, []), output
        assert in_process.success, in_process.summary
        assert (_stated_as_of(output), _headline(output)) == ("2022-09-30", SEPTEMBER_HEADLINE), output
        assert (_stated_as_of(in_process.summary), _headline(in_process.summary)) == ("2022-06-30", JUNE_HEADLINE)
        cli_run = re.search(r"Dagster 运行 ([0-9a-f-]{36})", output).group(1)
        assert _figures_as_of_of_run(instance, cli_run) == "2022-09-30"
        assert _figures_as_of_of_run(instance, in_process.run_id) == "2022-06-30"
        ended = {instance.get_run_record_by_id(run_id).end_time: as_of
                 for run_id, as_of in ((cli_run, "2022-09-30"), (in_process.run_id, "2022-06-30"))}
    # The bundle left in place is the one of the build that finished last.
    assert _assert_one_complete_bundle(shared)["as_of"] == ended[max(ended)]


def _run_with_step(instance: dg.DagsterInstance, step: str) -> str | None:
    """The id of a run that has started `step`, if any."""
    for run in instance.get_runs():
        starts = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
        if any(event.step_key == step for event in starts):
            return run.run_id
    return None


@pytest.mark.parametrize("step", ["ingest_tables", "progress_report"])
def test_a_build_killed_mid_step_leaves_the_next_build_and_the_queue_working(
    tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = dagster_home(tmp_path / "dagster_home")
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(home / "storage"))  # dagster.yaml reads it
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, raw)  # the small fixture folder: what is killed matters, not the figures
    # enough media rows that ingest takes a while, so the kill lands inside it (the render
    # step is held by the stand-in's sleep)
    big = raw / "2022" / "media" / "big.csv"
    if step == "ingest_tables":
        rows = "".join(f"2022-03-{1 + i % 28:02d},媒体{i},区级,1\n" for i in range(150_000))
        big.write_text("日期,媒体,级别,稿件数\n" + rows, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QUARTO_PATH"} | build_environment(home, tmp_path / "warehouse.duckdb") | {
        "PATH": f"{quarto_stand_in(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}",
    }
    command = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--output-dir", str(tmp_path / "out"),
               "--renderer", "quarto"]
    pid_file = tmp_path / "standin.pid"
    slow = env | {"STANDIN_SLEEP": "60", "STANDIN_PID_FILE": str(pid_file)}
    victim = subprocess.Popen(command, cwd=PROJECT_DIR, env=slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        deadline = time.monotonic() + 120
        while (dead_run := _run_with_step(instance, step)) is None and victim.poll() is None:
            assert time.monotonic() < deadline, f"{step} never started"
            time.sleep(0.05)
    victim.kill()  # SIGKILL: no handler, no clean-up, as the out-of-memory killer does
    victim.wait()
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
    big.unlink(missing_ok=True)  # the next build need not read them again

    # the next build, as `python -m pipeline build` runs it (here in this process)
    for name in ("DAGSTER_HOME", "PIPELINE_WAREHOUSE", "PATH"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    capsys.readouterr()
    code = main(command[3:])
    after = capsys.readouterr()
    assert code == 0, after.out + after.err
    assert f"已将运行 {dead_run} 标为失败" in after.err
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_run_by_id(dead_run).status == dg.DagsterRunStatus.FAILURE
        assert not instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f".{SAMPLE_YEAR}.lock", str(SAMPLE_YEAR)]  # no staging left
