"""`python -m tools.bench --districts N`: a synthetic province of N sample-size districts
(tools/districts.py) built by `python -m pipeline build` in new processes on a new instance:
cold (one run of `build_province_year`), after one district changed (its own run), and with
nothing changed; the same cold build of a smaller province, for how the cost grows with
districts; the floor per district (tools/bench_floor.py: the pieces of one district's build
alone, without Dagster) beside the build's own figure; and the event records per district."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bench_common import YEAR, BenchError, build_command, progress, province_build, run
from tools.bench_report import machine
from tools.districts import province_districts

BASELINE_DISTRICTS = 10
TARGETS = {  # README: Many districts (a 2-core machine)
    "cold_90_seconds": 150.0,
    "one_changed_seconds": 10.0,
    "noop_seconds": 3.0,
    "peak_rss_bytes": 2 * 1024**3,
    "growth_ratio": 9.5,  # 90 districts cost at most 9.5x what 10 cost
}
# Dagster's records of every run so far, per job: runs, event records, seconds per step kind
_RECORDS = (
    "import json, re, dagster as dg\n"
    "jobs, steps = {}, {}\n"
    "with dg.DagsterInstance.get() as instance:\n"
    "    for run in instance.get_runs():\n"
    "        job = jobs.setdefault(run.job_name, {'runs': 0, 'records': 0})\n"
    "        job['runs'] += 1\n"
    "        job['records'] += len(instance.get_records_for_run(run.run_id).records)\n"
    "        for step in instance.get_run_step_stats(run.run_id):\n"
    "            if step.end_time and step.start_time:\n"
    "                kind = re.sub(r'\\[.*\\]$', '', step.step_key.removeprefix('district_').lstrip('_'))\n"
    "                steps[kind] = steps.get(kind, 0) + step.end_time - step.start_time\n"
    "print(json.dumps({'jobs': jobs, 'steps': steps}))\n"
)


def baseline_districts(n: int) -> int:
    """The smaller province the cost is compared with: 10 districts, fewer for a small N."""
    return min(BASELINE_DISTRICTS, max(1, n // 3))


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _records(env: dict[str, str], work: Path) -> dict[str, dict]:
    done = subprocess.run([sys.executable, "-c", _RECORDS], env=env, capture_output=True, text=True, check=False, cwd=work)
    if done.returncode != 0:
        raise BenchError(f"reading the instance's records failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _new_records(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict[str, int]]:
    """Runs and event records per job added between two readings."""
    return {job: {k: v - before.get(job, {}).get(k, 0) for k, v in counts.items()} for job, counts in after.items()
            if counts != before.get(job)}


def _floor(raw: Path, work: Path) -> dict[str, float]:
    """tools.bench_floor on one district, in a new process (the pieces alone, warm)."""
    target = work / "floor.json"
    run([sys.executable, "-m", "tools.bench_floor", str(raw), "--output", str(target)], work / "floor.log")
    return json.loads(target.read_text(encoding="utf-8"))["seconds"]


def _change_one(raw: Path, district: str) -> None:
    meetings = raw / district / str(YEAR) / "meetings.csv"
    text = meetings.read_text(encoding="utf-8")
    meetings.unlink()  # the sample's files are hard links: write a new file, not into the shared one
    meetings.write_text(text + "2022-12-20,领导小组第八次会议,领导小组会议\n", encoding="utf-8")


def _measure(work: Path, n: int) -> dict[str, object]:
    cold, env = province_build(work / "province", n)
    raw, out = work / "province" / "raw", work / "province" / "out"
    command = build_command(raw, out)
    after_cold = _records(env, work)
    cold["step_seconds"], cold["records"] = after_cold["steps"], after_cold["jobs"]

    changed = province_districts(n)[0]
    _change_one(raw, changed)
    before = _stamps(out)
    progress(f"rebuild after one file of {changed} changed")
    one_seconds, one_rss = run(command, work / "one.log", env)
    after = _stamps(out)
    rewritten = sorted({name.split("/")[0] for name in after if after[name] != before.get(name)})
    progress(f"  {one_seconds:.1f} s; rewritten: {', '.join(rewritten)}")
    one_records = _new_records(after_cold["jobs"], _records(env, work)["jobs"])

    progress("no-op rebuild, nothing changed")
    noop_seconds, noop_rss = run(command, work / "noop.log", env)
    progress(f"  {noop_seconds:.2f} s")

    progress("the floor: one district's pieces alone, without Dagster")
    floor = _floor(raw / changed, work)
    progress(f"  {floor['floor']:.2f} s")
    small, _ = province_build(work / "small", baseline_districts(n))
    return {"cold": cold, "changed": changed, "floor": floor, "baseline": small,
            "one_changed": {"seconds": one_seconds, "peak_rss_bytes": one_rss, "rewritten": rewritten,
                            "records": one_records},
            "noop": {"seconds": noop_seconds, "peak_rss_bytes": noop_rss}}


def _per_district(measured: dict[str, object], n: int) -> dict[str, object]:
    """The cold build's figures per district beside the floor: wall seconds, worker seconds
    (wall x workers: what one district costs a core), and event records."""
    cold, workers = measured["cold"], os.cpu_count() or 1
    province = cold["records"].get("build_province_year", {"records": 0})
    alone = measured["one_changed"]["records"].get("build_district_year", {"records": 0, "runs": 0})
    return {
        "wall_seconds": cold["seconds"] / n,
        "worker_seconds": cold["seconds"] * workers / n,
        "floor_seconds": measured["floor"]["floor"],
        "over_floor_ratio": cold["seconds"] * workers / n / measured["floor"]["floor"],
        "event_records_in_one_run": province["records"] / n,
        "event_records_alone": alone["records"] / max(1, alone["runs"]),
    }


def run_district_bench(n: int, output: Path) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-districts-"))
    try:
        measured = _measure(work, n)
    except BenchError as exc:
        raise SystemExit(f"bench failed: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cold, small, one, noop = (measured[k] for k in ("cold", "baseline", "one_changed", "noop"))
    peak = max(cold["peak_rss_bytes"], one["peak_rss_bytes"], noop["peak_rss_bytes"])
    growth = cold["seconds"] / small["seconds"]
    results = {
        "machine": machine(), "renderer": "embedded", "districts": n, "cold": cold, "one_changed": one,
        "noop": noop, "baseline": small, "floor": measured["floor"], "per_district": _per_district(measured, n),
        "targets": [
            _target(f"cold build of {n} districts", cold["seconds"], TARGETS["cold_90_seconds"] * n / 90, "s"),
            _target("one district changed, rebuilt", one["seconds"], TARGETS["one_changed_seconds"], "s"),
            _target("no-op rebuild", noop["seconds"], TARGETS["noop_seconds"], "s"),
            _target("peak RSS (the build's process tree)", peak / 2**20, TARGETS["peak_rss_bytes"] / 2**20, "MiB"),
            # linear: n/baseline times the cost, with the slack (90 vs 10 within 9.5x)
            _target(f"cost {n} vs {small['districts']} districts", growth,
                    n / small["districts"] * TARGETS["growth_ratio"] / 9, "x"),
            {"name": "only the changed district and the roll-up rewritten", "measured": ", ".join(one["rewritten"]),
             "target": ", ".join(sorted([measured["changed"], str(YEAR)])),
             "passed": one["rewritten"] == sorted([measured["changed"], str(YEAR)])},
        ],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def _target(name: str, measured: float, target: float, unit: str) -> dict[str, object]:
    return {"name": name, "measured": round(measured, 2), "target": round(target, 2), "unit": unit,
            "passed": measured <= target}


def print_districts_table(results: dict[str, object]) -> None:
    print(f"| {'measure':<48} | {'measured':>12} | {'target':>12} | ok |")
    print(f"|{'-' * 50}|{'-' * 14}|{'-' * 14}|----|")
    for t in results["targets"]:
        unit = t.get("unit", "")
        print(f"| {t['name']:<48} | {str(t['measured']) + ' ' + unit:>12} | {str(t['target']) + ' ' + unit:>12} | "
              f"{'✓' if t['passed'] else '✗'}  |")
    per = results["per_district"]
    print(f"\nper district, cold: {per['wall_seconds']:.2f} s wall, {per['worker_seconds']:.2f} s of a worker "
          f"(x{os.cpu_count()} cores); the floor (its pieces alone, no Dagster): {per['floor_seconds']:.2f} s; "
          f"build / floor: {per['over_floor_ratio']:.2f}x")
    floor = results["floor"]
    print("  floor: " + ", ".join(f"{piece} {floor[piece]:.2f} s" for piece in floor if piece != "floor"))
    print(f"event records per district: {per['event_records_in_one_run']:.0f} in the province's run, "
          f"{per['event_records_alone']:.0f} built alone (the one-changed rebuild's run)")
    steps = results["cold"].get("step_seconds", {})
    total = sum(steps.values()) or 1
    print("\nwhere the cold build's step time goes (Dagster's step records, summed over steps and runs):")
    for kind, seconds in sorted(steps.items(), key=lambda item: -item[1]):
        print(f"  {kind:<20} {seconds:8.1f} s  {100 * seconds / total:5.1f} %")
    print(f"  {'(whole build)':<20} {results['cold']['seconds']:8.1f} s")
