"""The benchmark's results: the machine, the headline figures, the targets with pass/fail,
and the Markdown table `python -m tools.bench` prints."""

from __future__ import annotations

import importlib.util
import os
import platform
from importlib.metadata import version
from pathlib import Path

GIB = 2**30
# (key, what it measures, limit, unit): a value passes when below the limit (ratios: or equal).
TARGETS = (
    ("ingest_vs_duckdb_ratio", "ingest of 1M dynamics + 1M media rows vs DuckDB read_csv", 2.0, "x"),
    ("linearity_ratio", "ingest time, 1M rows vs 100k rows", 11.0, "x"),
    ("peak_rss_bytes", "peak RSS of a 1M-row ingest + metrics process", 1.5 * GIB, "bytes"),
    ("build_seconds", "full sample build, new process", 10.0, "s"),
    ("noop_rebuild_seconds", "no-op rebuild, new process", 3.0, "s"),
    ("render_seconds", "render of the sample report (HTML + PDF)", 2.0, "s"),
    ("report_build_large_seconds", "full build with the report of the 1M-row year, new process", 600.0, "s"),
)


def machine() -> dict[str, object]:
    """What the numbers were measured on, and how busy it was when they were."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.processor())
    dagster = importlib.util.find_spec("dagster")
    compiled = bool(dagster and dagster.origin) and Path(importlib.util.cache_from_source(dagster.origin)).is_file()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "memory_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "polars": version("polars"),
        "load_average": os.getloadavg(),
        "bytecode_cached": compiled,
    }


def _get(steps: dict, name: str, key: str = "seconds") -> float | None:
    step = steps.get(name)
    return step.get(key) if isinstance(step, dict) else None


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def summarise(rows: int, small: int, steps: dict, host: dict, storage: str) -> dict[str, object]:
    """The JSON document: the headline keys, the targets, the machine and every step."""
    headline = {
        "ingest_seconds": _get(steps, "ingest_large"),
        "duckdb_seconds": _get(steps, "duckdb_large"),
        "ingest_vs_duckdb_ratio": _ratio(_get(steps, "ingest_large"), _get(steps, "duckdb_large")),
        "linearity_ratio": _ratio(_get(steps, "ingest_large"), _get(steps, "ingest_small")),
        "peak_rss_bytes": _get(steps, "ingest_large", "peak_rss_bytes"),
        "metrics_seconds": _get(steps, "ingest_large", "metrics_seconds"),
        "render_seconds": _get(steps, "render"),
        "build_seconds": _get(steps, "build"),
        "noop_rebuild_seconds": _get(steps, "noop_rebuild"),
        "report_build_large_seconds": _get(steps, "report_build_large"),
        "report_build_large_peak_rss_bytes": _get(steps, "report_build_large", "peak_rss_bytes"),
    }
    targets = [
        {"name": key, "measures": text, "limit": limit, "unit": unit, "value": headline[key],
         "passed": None if headline[key] is None else headline[key] <= limit if unit == "x" else headline[key] < limit}
        for key, text, limit, unit in TARGETS
    ]
    return {"rows": rows, "small_rows": small, "cores": host["cores"], "platform": host["platform"], **headline,
            "targets": targets, "machine": host, "storage": storage, "steps": steps}


def _size(value: object) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{value / GIB:.2f} GiB" if value >= GIB / 2 else f"{value / 2**20:.0f} MiB"


def _n(value: object, unit: str = "") -> str:
    return f"{value:.2f}{unit}" if isinstance(value, int | float) else "n/a"


def _with_median(steps: dict, name: str) -> str:
    """The best time, and the median when the step was repeated."""
    median = _get(steps, name, "median_seconds")
    return _n(_get(steps, name)) + (f" (median {median:.2f})" if median is not None else "")


def _verdict(results: dict, key: str) -> tuple[str, str]:
    target = next(t for t in results["targets"] if t["name"] == key)
    limit = _size(target["limit"]) if target["unit"] == "bytes" else f"{target['limit']:g} {target['unit']}"
    shown = {None: "not measured", True: "pass", False: "FAIL"}[target["passed"]]
    return f"{'<=' if target['unit'] == 'x' else '<'} {limit}", shown


def table_rows(results: dict) -> list[str]:
    """The Markdown table: one line per measured step."""
    steps, rows, small = results["steps"], results["rows"], results["small_rows"]
    generated = sum(g["seconds"] for g in steps.get("generate", {}).values())
    mixed, bom = steps.get("ingest_mixed", {}), steps.get("duckdb_mixed_bom_only", {})
    table = [  # step, rows, ours, DuckDB, ratio, peak RSS, target key
        ("generate the synthetic raw folders (3)", 2 * rows + 4 * small, _n(generated), "", "", "", None),
        *[
            (f"(a)/(b) ingest, UTF-8 CSV, {n:,} + {n:,} rows", 2 * n, _n(_get(steps, f"ingest_{label}")),
             _n(_get(steps, f"duckdb_{label}")), _n(_ratio(_get(steps, f"ingest_{label}"), _get(steps, f"duckdb_{label}")), "x"),
             _size(_get(steps, f"ingest_{label}", "peak_rss_bytes")), "ingest_vs_duckdb_ratio" if label == "large" else None)
            for label, n in (("large", rows), ("small", small))
        ],
        (f"linearity: ingest time {rows:,} vs {small:,}", "", _n(results["linearity_ratio"], "x"), "", "", "", "linearity_ratio"),
        ("ingest, mixed GB18030 CSV + UTF-8-BOM CSV + XLSX", 2 * small, _n(mixed.get("seconds")),
         f"{_n(bom.get('seconds'))}*", "", _size(mixed.get("peak_rss_bytes")), None),
        (f"(c) metrics: pure functions over the ingested {rows:,}-row year", 2 * rows, _n(results["metrics_seconds"]),
         "", "", "", None),
        ("(d) render the sample report, HTML + PDF", "", _n(results["render_seconds"]), "", "",
         _size(_get(steps, "render", "peak_rss_bytes")), "render_seconds"),
        ("(e) full build of sample raw/2022, new process, new instance", "", _with_median(steps, "build"), "", "",
         _size(_get(steps, "build", "peak_rss_bytes")), "build_seconds"),
        ("(f) no-op rebuild, new process", "", _with_median(steps, "noop_rebuild"), "", "",
         _size(_get(steps, "noop_rebuild", "peak_rss_bytes")), "noop_rebuild_seconds"),
        (f"(g) peak RSS of the {rows:,}-row ingest + metrics process", 2 * rows, "", "", "", _size(results["peak_rss_bytes"]),
         "peak_rss_bytes"),
        (f"(h) full build with the report of the {rows:,}-row folder, new process", 2 * rows,
         _n(results["report_build_large_seconds"]), "", "", _size(results["report_build_large_peak_rss_bytes"]),
         "report_build_large_seconds"),
    ]
    lines = ["| step | rows | ours (s) | DuckDB (s) | ratio | peak RSS | target | result |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for step, count, ours, duck, ratio, rss, key in table:
        target, result = _verdict(results, key) if key else ("", "")
        shown = f"{count:,}" if isinstance(count, int) else count
        lines.append(f"| {step} | {shown} | {ours} | {duck} | {ratio} | {rss} | {target} | {result} |")
    return lines


def print_table(results: dict) -> None:
    host = results["machine"]
    print("\n".join(table_rows(results)))
    print("\n* DuckDB read only the mixed folder's UTF-8-BOM CSV files (a third): GB18030 and XLSX need its "
          "encodings/excel extensions, not installed here; so that row has no ratio.")
    print(f"Each time is the best of the runs listed in the JSON; both sides write a fresh DuckDB file. "
          f"Machine: {host['cores']} cores ({host['cpu']}), {host['memory_bytes'] / GIB:.0f} GiB RAM, "
          f"{host['platform']}, Python {host['python']}, DuckDB {host['duckdb']}, polars {host['polars']}; "
          f"load average at the end {host['load_average'][0]:.1f}.")
    if not host["bytecode_cached"]:
        print("Note: dagster has no compiled bytecode here, so each new process compiles it (seconds); "
              "`make env` runs `uv sync --compile-bytecode`.")
    for step, error in results["steps"].get("errors", {}).items():
        print(f"\n{step} failed: {error}")
