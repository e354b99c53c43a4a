"""The floor per district: the pieces of one district's build measured alone, in this process,
without Dagster (no steps, no event records, no run): what a build of that district cannot go
below. `tools/bench_districts.py` prints it beside the build's own figure per district.

    python -m tools.bench_floor [RAW_DIR] [--repeats N] [--output FILE]

Pieces: ingest (every table read, checked and de-duplicated, and the files of no table listed),
store + metrics (stored in a fresh DuckDB file, the metric tables and figures, the report's
inputs read back), charts (the four PNGs), pandoc (one process: HTML, Word, the Typst source),
typst (the PDF). The first repeat pays imports and font scans; each piece's figure is its
fastest repeat, as a process that builds many districts pays those once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

import duckdb
import polars as pl

from pipeline.config import PROJECT_DIR, REPORTS_DIR
from pipeline.contract import TABLES, load_program
from pipeline.intake.inventory import year_folders
from pipeline.intake.tables import other_files, take_in
from pipeline.metrics.figures import headline_figures, monthly_media, resolve_as_of, weekly_dynamics
from pipeline.report import render
from pipeline.report.appendix import write_attachments
from pipeline.report.bundle import source_date_epoch
from pipeline.report.documents import REPORT, TEMPLATE
from pipeline.report.writer import DocumentInputs, draw_charts, printable
from pipeline.report.context import build_context
from pipeline.report.template import render_qmd
from pipeline.warehouse.reads import latest_input_date
from pipeline.warehouse.store import BOOKKEEPING, read_year, replace_year, store_intake, store_other_files

PIECES = ("ingest", "store_metrics", "charts", "pandoc", "typst")
CHECKS_SCHEMA = {"asset": pl.String, "name": pl.String, "blocking": pl.Boolean, "passed": pl.Boolean}


def _timed(times: dict[str, float], piece: str, work: Callable[[], Any]) -> Any:
    start = perf_counter()
    result = work()
    times[piece] = perf_counter() - start
    return result


def _store_and_metrics(conn: duckdb.DuckDBPyConnection, raw: Path, year: int, intakes: dict[str, Any],
                       levels: list[str]) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """What the ingest and metrics steps write, then what the report step reads back."""
    from pipeline.defs.report import read_inputs  # noqa: PLC0415 - loads the definitions' modules

    store_other_files(conn, year, other_files(raw, year))
    for intake in intakes.values():
        store_intake(conn, year, intake)
    latest = latest_input_date(conn, year)
    as_of = resolve_as_of(year, "", latest)
    replace_year(conn, "report_period", year, pl.DataFrame({"as_of": [as_of]}))
    tables = {name: read_year(conn, name, year) for name in TABLES}
    replace_year(conn, "dynamics_weekly", year, weekly_dynamics(tables["dynamics"], as_of))
    replace_year(conn, "media_monthly", year, monthly_media(tables["media"], as_of))
    bookkeeping = {name: read_year(conn, name, year) for name in BOOKKEEPING}
    values = headline_figures(year, as_of, tables, bookkeeping, levels)
    stored = pl.DataFrame({"key": list(values), "value": [json.dumps(v, ensure_ascii=False) for v in values.values()]})
    replace_year(conn, "figures", year, stored)
    figures, frames = read_inputs(conn, year)
    frames["checks"] = pl.DataFrame([], schema=CHECKS_SCHEMA)  # the build reads these from Dagster
    return figures, frames


def _once(raw: Path, year: int, work: Path) -> dict[str, float]:
    program = load_program(raw)
    times: dict[str, float] = {}
    intakes = _timed(times, "ingest", lambda: {name: take_in(raw, year, spec, program) for name, spec in TABLES.items()})
    with duckdb.connect(str(work / "warehouse.duckdb")) as conn:
        figures, frames = _timed(times, "store_metrics", lambda: _store_and_metrics(
            conn, raw, year, intakes, list(program.media_levels)))
    build, out = work / "_build", work / "out"
    out.mkdir()
    charts = _timed(times, "charts", lambda: draw_charts(build, REPORT, DocumentInputs(year, program, figures, frames)))
    for support in render.SUPPORT_FILES:
        shutil.copyfile(REPORTS_DIR / support, build / support)
    context = build_context(program, figures, frames, charts)
    write_attachments(context["figure_sources"], build)
    qmd = build / TEMPLATE
    qmd.write_text(printable(render_qmd((REPORTS_DIR / TEMPLATE).read_text(encoding="utf-8"), context, TEMPLATE)),
                   encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": source_date_epoch(dt.date.fromisoformat(figures["as_of"]))}
    html, typ, docx, pdf = (out / "r.html", build / "r.typ", out / "r.docx", out / "r.pdf")
    _timed(times, "pandoc", lambda: render.run_pandoc(qmd, html, typ, docx, env, 300))
    _timed(times, "typst", lambda: render.compile_pdf(qmd, typ, pdf, env))
    return times


def floor_per_district(raw_dir: Path | str, repeats: int = 3) -> dict[str, float]:
    """Seconds of each piece of one district's build (raw_dir: a district's raw folder, its
    latest year), the fastest of `repeats` runs in this process, and their sum as `floor`."""
    raw = Path(raw_dir)
    year = max(year_folders(raw))
    runs = []
    for _ in range(max(1, repeats)):
        with tempfile.TemporaryDirectory(prefix="bench-floor-") as work:
            runs.append(_once(raw, year, Path(work)))
    best = {piece: min(run[piece] for run in runs) for piece in PIECES}
    return best | {"floor": sum(best.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_floor", description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", nargs="?", default=str(PROJECT_DIR / "raw"), help="a district's raw folder")
    parser.add_argument("--repeats", type=int, default=3, help="runs per piece; the fastest counts (default 3)")
    parser.add_argument("--output", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    floor = floor_per_district(args.raw_dir, args.repeats)
    print(f"{'piece':<16}{'seconds':>9}")
    for piece, seconds in floor.items():
        print(f"{piece:<16}{seconds:>9.3f}")
    text = json.dumps({"raw_dir": args.raw_dir, "repeats": args.repeats, "seconds": floor}, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
