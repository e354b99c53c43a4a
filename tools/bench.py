"""`python -m tools.bench`: our ingest against DuckDB's own CSV reader, metrics, render and
whole builds, timed in one invocation on one machine; a table on stdout, JSON to a file.

Every measured step runs in a new process (see tools/bench_steps.py), so its time and
peak memory are its own; this process only orchestrates and stays small."""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from pipeline.config import PROJECT_DIR
from tools.bench_common import RENDERER, YEAR, BenchError, build_place, progress, run
from tools.bench_districts import print_districts_table, run_district_bench
from tools.bench_queued import print_queued_table, run_queued_bench
from tools.bench_report import machine, print_table, summarise

ROWS_PER_FILE = 20_000
STORAGE = (
    "DuckDB baseline and our ingest each write into a fresh DuckDB database file in a temporary "
    "folder, timed inside their own new process from connect to close (the checkpoint included)"
)


def files_for(rows: int) -> int:
    """Files per folder grow with the rows, as a bigger year has more submissions."""
    return max(2, rows // ROWS_PER_FILE)


def _step(name: str, arguments: dict[str, object], work: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    """One tools.bench_steps step in a new process: its own result, its process time and RSS."""
    target = work / f"{name}-{len(list(work.glob('*.json')))}.json"
    command = [sys.executable, "-m", "tools.bench_steps", name, json.dumps(arguments), str(target)]
    process_seconds, rss = run(command, target.with_suffix(".log"), env)
    result = json.loads(target.read_text(encoding="utf-8"))
    # the step's own high-water mark when it could read it, else wait4's figure
    peak = result.get("own_peak_rss_bytes") or rss
    return result | {"process_seconds": process_seconds, "rusage_maxrss_bytes": rss, "peak_rss_bytes": peak}


def _best(runs: list[dict[str, object]]) -> dict[str, object]:
    """The fastest of repeated runs (least disturbed by other load), with every run's time and the top RSS."""
    best = min(runs, key=lambda r: r["seconds"])
    return best | {"runs": [r["seconds"] for r in runs], "peak_rss_bytes": max(r["peak_rss_bytes"] for r in runs)}


def _csv_files(folder: dict[str, object], formats: tuple[str, ...]) -> dict[str, list[str]]:
    """The files of the folder's big tables written in one of `formats`, for DuckDB's read_csv."""
    found: dict[str, list[str]] = {}
    for table in ("dynamics", "media"):
        plan = folder["planted"][table]
        pairs = zip(plan["files"], plan["formats"], strict=True)
        found[table] = [str(Path(folder["raw"]) / file) for file, fmt in pairs if fmt in formats]
    return found


def _ingest_pair(label: str, folder: dict[str, object], work: Path, repeat: int) -> tuple[dict, dict]:
    """(a) DuckDB's read_csv and (b) our ingest of the same files, alternated `repeat` times."""
    baseline, ours = [], []
    for attempt in range(repeat):
        database = work / f"{label}-{attempt}.duckdb"
        baseline.append(_step("baseline", {"files": _csv_files(folder, ("utf-8",)), "database": str(database)}, work))
        database.unlink()
        ingest = {"raw_dir": folder["raw"], "year": YEAR, "database": str(database), "metrics": True}
        ours.append(_step("ingest", ingest, work))
        database.unlink()
        progress(f"  run {attempt + 1}: DuckDB {baseline[-1]['seconds']:.2f} s, ours {ours[-1]['seconds']:.2f} s")
    return _best(baseline), _best(ours)


def _generate(work: Path, rows: int, small: int) -> dict[str, dict[str, object]]:
    wanted = {}
    for label, count, mixed in (("large", rows, False), ("small", small, False), ("mixed", small, True)):
        progress(f"generating the {label} raw folder: {count:,} + {count:,} rows, {files_for(count)} files a table")
        wanted[label] = {"root": str(work / f"raw-{label}"), "year": YEAR, "dynamics_rows": count,
                         "media_rows": count, "files": files_for(count), "mixed": mixed}
    made = _step("generate", {"folders": wanted}, work)
    return {label: made[label] | {"raw": wanted[label]["root"]} for label in wanted}


def _builds(work: Path, steps: dict[str, object], repeat: int) -> None:
    """(e) a full sample build from a new process on a new instance, (f) the same command
    again, each `repeat` times (the fastest kept, every run listed), (d) one render."""
    runs: dict[str, list[dict[str, object]]] = {"build": [], "noop_rebuild": []}
    env: dict[str, str] = {}
    for attempt in range(max(1, repeat)):
        place = work / f"build-{attempt}"
        env = build_place(place)
        command = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(PROJECT_DIR / "raw"),
                   "--year", str(YEAR), "--output-dir", str(place / "out"), "--renderer", RENDERER]
        for label, what in (("build", "full build, new instance"), ("noop_rebuild", "no-op rebuild, nothing changed")):
            progress(f"{what}: python -m pipeline build (sample raw/{YEAR}) in a new process, run {attempt + 1}")
            log = place / f"{label}.log"
            try:
                seconds, rss = run(command, log, env)
            except BenchError as exc:
                progress(f"  failed: {exc}")
                steps.setdefault("errors", {})[label] = str(exc)
                break
            said = log.read_text(encoding="utf-8").strip().splitlines()[:1]
            runs[label].append({"seconds": seconds, "peak_rss_bytes": rss, "said": said})
            progress(f"  {seconds:.2f} s")
    for label, done in runs.items():
        if done:  # the runs that finished, even if a later one failed
            steps[label] = _best(done) | {"median_seconds": statistics.median(r["seconds"] for r in done)}
    if "errors" in steps:
        return
    progress("render: the sample report's HTML + PDF from the last build's warehouse and instance")
    arguments = {"raw_dir": str(PROJECT_DIR / "raw"), "year": YEAR, "database": env["PIPELINE_WAREHOUSE"],
                 "output_dir": str(work / "render"), "renderer": RENDERER}
    try:
        steps["render"] = _step("render", arguments, work, env)
    except BenchError as exc:
        progress(f"  failed: {exc}")
        steps.setdefault("errors", {})["render"] = str(exc)
        return
    render = steps["render"]
    progress(f"  {render['seconds']:.2f} s (with charts, template and manifest: {render['bundle_seconds']:.2f} s)")


def _large_build(work: Path, folder: dict[str, object], steps: dict[str, object]) -> None:
    """(h) the whole report of the large folder (every row counted, listed and attached): a
    full build from a new process on a new instance, once."""
    place = work / "build-large"
    env = build_place(place)
    command = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(folder["raw"]), "--year", str(YEAR),
               "--output-dir", str(place / "out"), "--renderer", RENDERER]
    progress(f"full build with the report of the {folder['rows']['dynamics']:,}-row folder, new process")
    try:
        seconds, rss = run(command, place / "build.log", env)
    except BenchError as exc:
        progress(f"  failed: {exc}")
        steps.setdefault("errors", {})["report_build_large"] = str(exc)
        return
    bundle = place / "out" / str(YEAR)
    sizes = {p.name: p.stat().st_size for p in bundle.iterdir() if p.is_file()}
    steps["report_build_large"] = {"seconds": seconds, "peak_rss_bytes": rss, "bundle_bytes": sizes}
    progress(f"  {seconds:.2f} s, peak RSS {rss / 2**20:.0f} MiB")


def run_bench(rows: int, output: Path, *, repeat: int = 2, build_repeat: int = 3) -> dict[str, object]:
    """Measure everything at `rows` dynamics + `rows` media rows (and a tenth of that); write JSON to `output`.

    `repeat` runs each ingest pair that many times and `build_repeat` each build, keeping the fastest.
    """
    small = max(1, rows // 10)
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    steps: dict[str, object] = {}
    try:
        folders = _generate(work, rows, small)
        steps["generate"] = {label: {"seconds": f["seconds"], "rows": f["rows"]} for label, f in folders.items()}
        for label in ("small", "large"):
            count = folders[label]["rows"]["dynamics"]
            progress(f"ingest of {count:,} + {count:,} rows: DuckDB read_csv vs ours")
            steps[f"duckdb_{label}"], steps[f"ingest_{label}"] = _ingest_pair(label, folders[label], work, repeat)
        progress("mixed folder (GB18030 CSV, UTF-8-BOM CSV, XLSX): ours; DuckDB on its UTF-8-BOM CSV files only")
        database = work / "mixed.duckdb"
        bom_files = _csv_files(folders["mixed"], ("utf-8-sig",))
        steps["duckdb_mixed_bom_only"] = _step("baseline", {"files": bom_files, "database": str(database)}, work)
        database.unlink()
        ingest = {"raw_dir": folders["mixed"]["raw"], "year": YEAR, "database": str(database), "metrics": False}
        steps["ingest_mixed"] = _step("ingest", ingest, work)
        progress(f"  ours {steps['ingest_mixed']['seconds']:.2f} s")
        _builds(work, steps, build_repeat)
        _large_build(work, folders["large"], steps)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = summarise(rows, small, steps, machine(), STORAGE)
    results["rusage"] = {
        "self_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "children_maxrss_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return results


def main(rows: int, output: Path) -> int:
    """The bench command: 0 when every step ran and every target passed, else 1."""
    results = run_bench(rows, output)
    print_table(results)
    progress(f"results written to {output}")
    failed = [t["name"] for t in results["targets"] if t["passed"] is not True]
    return 1 if failed or results["steps"].get("errors") else 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="dynamics rows and media rows (default: 1000000)")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON results file (default: bench/results.json, with --districts bench/districts.json)")
    parser.add_argument("--districts", type=int, default=None,
                        help="instead: build a synthetic province of N sample-size districts (README: Many districts)")
    parser.add_argument("--queued", action="store_true",
                        help="with --districts: one process against one Dagster run per district through the run "
                             "queue (default output bench/queued.json)")
    return parser.parse_args()


def main_districts(n: int, output: Path) -> int:
    results = run_district_bench(n, output)
    print_districts_table(results)
    progress(f"results written to {output}")
    return 0 if all(t["passed"] for t in results["targets"]) else 1


def main_queued(n: int, output: Path) -> int:
    results = run_queued_bench(n, output)
    print_queued_table(results)
    progress(f"results written to {output}")
    return 0 if set(results["queued"]["runs"]) == {"SUCCESS"} else 1


if __name__ == "__main__":
    arguments = _arguments()
    if arguments.districts and arguments.queued:
        sys.exit(main_queued(arguments.districts, arguments.output or Path("bench/queued.json")))
    if arguments.districts:
        sys.exit(main_districts(arguments.districts, arguments.output or Path("bench/districts.json")))
    sys.exit(main(arguments.rows, arguments.output or Path("bench/results.json")))
