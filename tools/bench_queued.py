"""`python -m tools.bench --districts N --queued`: the synthetic province of `bench --districts`
built the two ways this project offers, and timed: `python -m pipeline build` (every
district in one process, one after another), and the way a province office's Dagster does it,
one run per district's year through Dagster's run queue (`dagster-daemon` with dagster.yaml's
QueuedRunCoordinator and its limits, the default run launcher starting a process per run),
submitted as one backfill of the `build_district_year` job. The sensors are stopped first,
so the backfill's runs are all that runs. Not part of `make test`: it takes minutes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import PROJECT_DIR
from tools.bench_common import RENDERER, YEAR, BenchError, build_place, progress, province_build
from tools.bench_report import machine
from tools.districts import province_districts, write_province

FINISHED = ("SUCCESS", "FAILURE", "CANCELED")
TIMEOUT_SECONDS = 3 * 3600


def _tool(name: str) -> str:
    """A console script of this environment (dagster, dagster-daemon)."""
    return str(Path(sys.executable).parent / name)


def _dagster(arguments: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([_tool("dagster"), *arguments, "-m", "pipeline.definitions"], env=env, cwd=PROJECT_DIR,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"dagster {' '.join(arguments[:2])} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout


def _runs(instance) -> tuple[list[str], float]:  # noqa: ANN001 - a dg.DagsterInstance
    """Every run's status, and their run times summed."""
    runs = instance.get_runs()
    stats = [instance.get_run_stats(run.run_id) for run in runs]
    return [run.status.value for run in runs], sum((s.end_time or 0) - (s.start_time or 0) for s in stats)


def _queued_build(place: Path, n: int) -> dict[str, object]:
    raw, out = place / "raw", place / "out"
    write_province(raw, n)
    names = province_districts(n)
    env = build_place(place) | {"PIPELINE_RAW_DIR": str(raw), "PIPELINE_OUTPUT_DIR": str(out),
                                 "PIPELINE_RENDERER": RENDERER}
    for sensor in ("raw_folder_sensor", "rebuild_on_new_data"):
        _dagster(["sensor", "stop", sensor], env)
    # this process watches the runs through the same instance (a poll in a new process would
    # import Dagster every second, on the cores the runs need)
    os.environ.update({k: env[k] for k in ("DAGSTER_HOME", "PIPELINE_DAGSTER_DIR")})
    import dagster as dg  # noqa: PLC0415

    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("district", names)
        with (place / "daemon.log").open("wb") as log:
            daemon = subprocess.Popen([_tool("dagster-daemon"), "run", "-m", "pipeline.definitions"], env=env,
                                      cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT)
        try:
            progress(f"{n} district runs through Dagster's run queue (one backfill)")
            start = time.monotonic()
            _dagster(["job", "backfill", "-j", "build_district_year", "--noprompt",
                      "--partitions", ",".join(f"{name}|{YEAR}" for name in names)], env)
            submitted = time.monotonic() - start
            while True:
                statuses, _ = _runs(instance)
                if len(statuses) >= n and all(s in FINISHED for s in statuses):
                    break
                if time.monotonic() - start > TIMEOUT_SECONDS:
                    raise BenchError(f"the queued runs did not finish in {TIMEOUT_SECONDS} s")
                time.sleep(1)
            seconds = time.monotonic() - start
        finally:
            daemon.terminate()
            daemon.wait(60)
        statuses, summed = _runs(instance)
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    progress(f"  {seconds:.1f} s ({submitted:.1f} s of it submitting); runs {counts}")
    return {"seconds": seconds, "submit_seconds": submitted, "runs": counts, "run_seconds_summed": summed}


def run_queued_bench(n: int, output: Path) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-queued-"))
    try:
        in_process, _ = province_build(work / "in-process", n)
        queued = _queued_build(work / "queued", n)
    except BenchError as exc:
        raise SystemExit(f"bench failed: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"machine": machine(), "renderer": RENDERER, "districts": n, "in_process": in_process,
               "queued": queued, "queued_vs_in_process": queued["seconds"] / in_process["seconds"],
               "max_concurrent_runs": _max_concurrent_runs()}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def _max_concurrent_runs() -> int | None:
    import yaml  # noqa: PLC0415

    config = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text(encoding="utf-8"))
    return config.get("concurrency", {}).get("runs", {}).get("max_concurrent_runs")


def print_queued_table(results: dict[str, object]) -> None:
    n, queued, in_process = results["districts"], results["queued"], results["in_process"]
    print(f"| {n} districts, cold, the districts only (no roll-up in the queued case) | seconds |")
    print("|---|---:|")
    print(f"| `python -m pipeline build`, one process (with the roll-up) | {in_process['seconds']:.1f} |")
    print(f"| one run per district through Dagster's queue, {results['max_concurrent_runs']} at a time "
          f"({queued['submit_seconds']:.1f} s submitting) | {queued['seconds']:.1f} |")
    print(f"| queued / one process | {results['queued_vs_in_process']:.2f}x |")
    print(f"\nruns {queued['runs']}; their run time summed: {queued['run_seconds_summed']:.1f} s; cores: "
          f"{os.cpu_count()}")
