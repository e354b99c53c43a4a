"""`python -m tools.bench --districts N`: a synthetic province of N sample-size districts
(tools/districts.py) built by `python -m pipeline build` in new processes on a new instance:
cold, after one district changed, and with nothing changed; and the same cold build of a
smaller province, for how the cost grows with districts. Where the time goes comes from
Dagster's own step records of the cold build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bench import RENDERER, BenchError, _build_place, _progress, _run
from tools.bench_report import machine
from tools.districts import province_districts, write_province

YEAR = 2022
BASELINE_DISTRICTS = 10
TARGETS = {  # README: Many districts (a 2-core machine)
    "cold_90_seconds": 180.0,
    "one_changed_seconds": 20.0,
    "noop_seconds": 3.0,
    "peak_rss_bytes": 2 * 1024**3,
    "growth_ratio": 10.0,  # 90 districts cost at most 10x what 10 cost
}


def baseline_districts(n: int) -> int:
    """The smaller province the cost is compared with: 10 districts, fewer for a small N."""
    return min(BASELINE_DISTRICTS, max(1, n // 3))


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _province_build(place: Path, n: int) -> tuple[dict[str, object], dict[str, str]]:
    """A new province of n districts and its cold build; the build's result and environment."""
    raw, out = place / "raw", place / "out"
    write_province(raw, n)
    env = _build_place(place)
    command = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--output-dir", str(out),
               "--renderer", RENDERER]
    _progress(f"cold build of {n} districts and the roll-up")
    seconds, rss = _run(command, place / "cold.log", env)
    _progress(f"  {seconds:.1f} s, peak RSS {rss / 2**20:.0f} MiB")
    return {"districts": n, "seconds": seconds, "peak_rss_bytes": rss, "command": command}, env


def _step_times(env: dict[str, str], work: Path) -> dict[str, float]:
    """Seconds per step kind (ingest, metrics, report, roll-up) summed over the instance's runs."""
    code = (
        "import json, dagster as dg\n"
        "totals = {}\n"
        "with dg.DagsterInstance.get() as instance:\n"
        "    for run in instance.get_runs():\n"
        "        for step in instance.get_run_step_stats(run.run_id):\n"
        "            if step.end_time and step.start_time:\n"
        "                kind = step.step_key.removeprefix('district_').lstrip('_')\n"
        "                totals[kind] = totals.get(kind, 0) + step.end_time - step.start_time\n"
        "print(json.dumps(totals))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, cwd=work)
    return json.loads(done.stdout) if done.returncode == 0 else {}


def run_district_bench(n: int, output: Path) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-districts-"))
    try:
        cold, env = _province_build(work / "province", n)
        cold["step_seconds"] = _step_times(env, work)
        raw, out = work / "province" / "raw", work / "province" / "out"
        command = cold.pop("command")

        changed = province_districts(n)[0]
        meetings = raw / changed / str(YEAR) / "meetings.csv"
        text = meetings.read_text(encoding="utf-8")
        meetings.unlink()  # the sample's files are hard links: write a new file, not into the shared one
        meetings.write_text(text + "2022-12-20,领导小组第八次会议,领导小组会议\n", encoding="utf-8")
        before = _stamps(out)
        _progress(f"rebuild after one file of {changed} changed")
        one_seconds, one_rss = _run(command, work / "one.log", env)
        after = _stamps(out)
        rewritten = sorted({name.split("/")[0] for name in after if after[name] != before.get(name)})
        _progress(f"  {one_seconds:.1f} s; rewritten: {', '.join(rewritten)}")

        _progress("no-op rebuild, nothing changed")
        noop_seconds, noop_rss = _run(command, work / "noop.log", env)
        _progress(f"  {noop_seconds:.2f} s")

        small, _ = _province_build(work / "small", baseline_districts(n))
        small.pop("command")
    except BenchError as exc:
        raise SystemExit(f"bench failed: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = max(cold["peak_rss_bytes"], one_rss, noop_rss)
    growth = cold["seconds"] / small["seconds"]
    results = {
        "machine": machine(),
        "renderer": RENDERER,
        "cold": cold,
        "one_changed": {"seconds": one_seconds, "peak_rss_bytes": one_rss, "rewritten": rewritten},
        "noop": {"seconds": noop_seconds, "peak_rss_bytes": noop_rss},
        "baseline": small,
        "targets": [
            _target(f"cold build of {n} districts", cold["seconds"], TARGETS["cold_90_seconds"] * n / 90, "s"),
            _target("one district changed, rebuilt", one_seconds, TARGETS["one_changed_seconds"], "s"),
            _target("no-op rebuild", noop_seconds, TARGETS["noop_seconds"], "s"),
            _target("peak RSS", peak / 2**20, TARGETS["peak_rss_bytes"] / 2**20, "MiB"),
            # linear: n/baseline times the cost, with the slack (90 vs 10 within 10x)
            _target(f"cost {n} vs {small['districts']} districts", growth,
                    n / small["districts"] * TARGETS["growth_ratio"] / 9, "x"),
            {"name": "only the changed district and the roll-up rewritten", "measured": ", ".join(rewritten),
             "target": f"{changed}, {YEAR}", "passed": rewritten == sorted([changed, str(YEAR)])},
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
    steps = results["cold"].get("step_seconds", {})
    total = sum(steps.values()) or 1
    print("\nwhere the cold build's step time goes (Dagster's step records, summed over runs):")
    for kind, seconds in sorted(steps.items(), key=lambda item: -item[1]):
        print(f"  {kind:<20} {seconds:8.1f} s  {100 * seconds / total:5.1f} %")
    print(f"  {'(whole build)':<20} {results['cold']['seconds']:8.1f} s")
