"""The benchmark's measured steps. `tools.bench` runs each in a new process, so its time
and peak memory are its own: `python -m tools.bench_steps STEP ARGS_JSON RESULT_JSON`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from time import perf_counter, process_time

import duckdb

from pipeline.contract import TABLES, load_program
from pipeline.intake.tables import take_in
from pipeline.sql import load_sql
from pipeline.warehouse.reads import latest_input_date
from pipeline.warehouse.store import BOOKKEEPING, read_year, store_intake

BIG_TABLES = ("dynamics", "media")


def generate(folders: dict[str, dict[str, object]]) -> dict[str, object]:
    """Synthetic raw folders (tools/synthetic.py), one per label, and what was planted in each."""
    from tools.synthetic import make_raw_folder

    made = {}
    for label, arguments in folders.items():
        start = perf_counter()
        planted = make_raw_folder(**arguments)  # type: ignore[arg-type]
        made[label] = {
            "seconds": perf_counter() - start,
            "rows": {name: plan.rows for name, plan in planted.items()},
            "planted": {name: dataclasses.asdict(plan) for name, plan in planted.items()},
        }
    return made


def duckdb_baseline(files: dict[str, list[str]], database: str) -> dict[str, object]:
    """DuckDB alone: read_csv of each table's files into a table of a fresh database file, nothing else."""
    start, cpu = perf_counter(), process_time()
    conn = duckdb.connect(database)
    rows = {}
    for table, paths in files.items():
        if paths:
            conn.execute(load_sql("bench_baseline").replace("{table}", table), {"files": paths})
            rows[table] = conn.execute(f"select count(*) from {table}").fetchall()[0][0]
    conn.close()
    return {"seconds": perf_counter() - start, "cpu_seconds": process_time() - cpu, "rows": rows}


def our_ingest(raw_dir: str, year: int, database: str, metrics: bool) -> dict[str, object]:
    """take_in of dynamics and media, stored as the ingest asset stores them; then, optionally,
    the small tables (untimed) and the metric functions over what was stored."""
    raw = Path(raw_dir)
    program = load_program(raw)
    start, cpu = perf_counter(), process_time()
    conn = duckdb.connect(database)
    counts = {}
    for name in BIG_TABLES:
        intake = take_in(raw, year, TABLES[name], program)
        store_intake(conn, year, intake)
        counts[name] = {
            "read": intake.rows_read,
            "counted": intake.counted.height,
            "rejected": intake.rejects.height,
            "duplicates": intake.duplicates.height,
        }
        del intake
    conn.close()
    result = {"seconds": perf_counter() - start, "cpu_seconds": process_time() - cpu, "tables": counts}
    return result | (_metrics(raw, year, database) if metrics else {})


def _metrics(raw: Path, year: int, database: str) -> dict[str, object]:
    """Read the stored year back as the metric assets do, then time the pure metric functions."""
    from pipeline.metrics.figures import (
        headline_figures,
        monthly_media,
        resolve_as_of,
        weekly_dynamics,
    )

    program = load_program(raw)
    conn = duckdb.connect(database)
    for name in TABLES:
        if name not in BIG_TABLES:
            store_intake(conn, year, take_in(raw, year, TABLES[name], program))
    start = perf_counter()
    tables = {name: read_year(conn, name, year) for name in TABLES}
    bookkeeping = {name: read_year(conn, name, year) for name in BOOKKEEPING}
    latest = latest_input_date(conn, year)
    conn.close()
    read_back = perf_counter() - start
    start = perf_counter()
    as_of = resolve_as_of(year, "", latest)
    weekly = weekly_dynamics(tables["dynamics"], as_of)
    monthly = monthly_media(tables["media"], as_of)
    figures = headline_figures(year, as_of, tables, bookkeeping, list(program.media_levels))
    return {
        "metrics_seconds": perf_counter() - start,
        "metrics_read_back_seconds": read_back,
        "metrics_rows": {"dynamics_weekly": weekly.height, "media_monthly": monthly.height},
        "dynamics_total": figures["dynamics_total"],
        "media_articles_total": figures["media_articles_total"],
    }


class _TimedRenderer:
    """Stands in for the report Renderer, timing its render call (HTML + PDF)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.seconds = 0.0

    def render(self, qmd_path: Path, out_dir: Path, env: dict[str, str] | None = None) -> object:
        start = perf_counter()
        result = self.inner.render(qmd_path, out_dir, env)  # type: ignore[attr-defined]
        self.seconds = perf_counter() - start
        return result


def render_report(raw_dir: str, year: int, database: str, output_dir: str, renderer: str) -> dict[str, object]:
    """One render of a built report from its warehouse and its Dagster instance (DAGSTER_HOME):
    charts, template, then HTML and PDF."""
    import dagster as dg

    from pipeline.config import REPORTS_DIR
    from pipeline.defs import report
    from pipeline.report.documents import report_bundle as build_bundle
    from pipeline.report.render import Renderer

    with duckdb.connect(database, read_only=True) as conn, dg.DagsterInstance.get() as instance:
        figures, frames = report.read_report_inputs(conn, instance, year)  # what the report asset reads
    timed = _TimedRenderer(Renderer(renderer=renderer))
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    start = perf_counter()
    program, templates = load_program(Path(raw_dir)), REPORTS_DIR
    result = build_bundle(folder, year, program, figures, frames, templates, timed)  # type: ignore[arg-type]
    return {"seconds": timed.seconds, "bundle_seconds": perf_counter() - start, "renderer": result.version}


def own_peak_rss() -> int | None:
    """This process's high-water RSS (VmHWM, Linux); ru_maxrss would count the parent's size at the fork."""
    status = Path("/proc/self/status")
    lines = status.read_text().splitlines() if status.is_file() else []
    found = next((line.split()[1] for line in lines if line.startswith("VmHWM:")), None)
    return int(found) * 1024 if found else None


STEPS = {"generate": generate, "baseline": duckdb_baseline, "ingest": our_ingest, "render": render_report}

if __name__ == "__main__":
    step, arguments, target = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    result = STEPS[step](**arguments) | {"own_peak_rss_bytes": own_peak_rss()}
    target.write_text(json.dumps(result, default=str), encoding="utf-8")
