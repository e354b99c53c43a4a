"""The benchmark's results: the machine, the headline ratios, the targets with pass/fail,
and the Markdown table `python -m pipeline bench` prints."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path

GIB = 2**30
# (key, what it measures, limit, unit): a value passes when it is below the limit
# (or equal, for the ratios).
TARGETS = (
    ("ingest_vs_duckdb_ratio", "ingest of 1M dynamics + 1M media rows vs DuckDB read_csv", 2.0, "x"),
    ("linearity_ratio", "ingest time, 1M rows vs 100k rows", 11.0, "x"),
    ("peak_rss_bytes", "peak RSS of a 1M-row ingest + metrics process", 1.5 * GIB, "bytes"),
    ("build_seconds", "full sample build, new process", 10.0, "s"),
    ("noop_rebuild_seconds", "no-op rebuild, new process", 3.0, "s"),
    ("render_seconds", "render of the sample report (HTML + PDF)", 2.0, "s"),
)


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")), "")
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "platform": platform.platform(),
        "memory_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "polars": version("polars"),
        "load_average": os.getloadavg(),
    }


def _seconds(steps: dict, name: str, key: str = "seconds") -> float | None:
    step = steps.get(name)
    return float(step[key]) if isinstance(step, dict) and key in step else None


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def summarise(rows: int, small: int, steps: dict, host: dict, storage: str) -> dict[str, object]:
    """The JSON document: every step, the headline keys, and the targets."""
    large = steps.get("ingest_large", {})
    headline = {
        "ingest_seconds": _seconds(steps, "ingest_large"),
        "duckdb_seconds": _seconds(steps, "duckdb_large"),
        "ingest_vs_duckdb_ratio": _ratio(_seconds(steps, "ingest_large"), _seconds(steps, "duckdb_large")),
        "linearity_ratio": _ratio(_seconds(steps, "ingest_large"), _seconds(steps, "ingest_small")),
        "peak_rss_bytes": large.get("peak_rss_bytes"),
        "metrics_seconds": _seconds(steps, "ingest_large", "metrics_seconds"),
        "render_seconds": _seconds(steps, "render"),
        "build_seconds": _seconds(steps, "build"),
        "build_first_seconds": _seconds(steps, "build_first"),
        "noop_rebuild_seconds": _seconds(steps, "noop_rebuild"),
    }
    targets = [
        {"name": key, "measures": text, "limit": limit, "unit": unit, "value": headline[key], "passed": _passes(key, headline[key], limit)}
        for key, text, limit, unit in TARGETS
    ]
    return {"rows": rows, "small_rows": small, "machine": host, "cores": host["cores"], "platform": host["platform"],
            "storage": storage, **headline, "targets": targets, "steps": steps}


def _passes(key: str, value: float | None, limit: float) -> bool | None:
    if value is None:
        return None
    return value <= limit if key.endswith("_ratio") else value < limit


def _size(value: object) -> str:
    return f"{value / GIB:.2f} GiB" if isinstance(value, int | float) and value >= GIB / 2 else (
        f"{value / 2**20:.0f} MiB" if isinstance(value, int | float) else "")


def _s(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "n/a"


def _verdict(results: dict, key: str) -> str:
    target = next(t for t in results["targets"] if t["name"] == key)
    shown = {None: "not measured", True: "pass", False: "FAIL"}[target["passed"]]
    limit = _size(target["limit"]) if target["unit"] == "bytes" else f"{target['limit']:g} {target['unit']}"
    return f"{'<=' if key.endswith('_ratio') else '<'} {limit} | {shown}"


def table_rows(results: dict) -> list[str]:
    """The Markdown table: one line per measured step."""
    steps, rows, small = results["steps"], results["rows"], results["small_rows"]
    lines = ["| step | rows (dynamics + media) | ours (s) | DuckDB (s) | ratio | peak RSS | target | result |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    generated = sum(g["seconds"] for g in steps.get("generate", {}).values())
    lines.append(f"| generate synthetic raw folders (3) | {2 * rows + 4 * small:,} | {_s(generated)} | | | | | |")
    for label, count in (("large", rows), ("small", small)):
        ours, duck = steps.get(f"ingest_{label}", {}), steps.get(f"duckdb_{label}", {})
        verdict = _verdict(results, "ingest_vs_duckdb_ratio") if label == "large" else " | "
        lines.append(f"| (a)/(b) ingest, UTF-8 CSV | {2 * count:,} | {_s(ours.get('seconds'))} | {_s(duck.get('seconds'))} | "
                     f"{_s(_ratio(ours.get('seconds'), duck.get('seconds')))}x | {_size(ours.get('peak_rss_bytes'))} | {verdict} |")
    lines.append(f"| linearity: ingest {rows:,} vs {small:,} | | {_s(results['linearity_ratio'])}x | | | | {_verdict(results, 'linearity_ratio')} |")
    mixed, bom = steps.get("ingest_mixed", {}), steps.get("duckdb_mixed_bom_only", {})
    lines.append(f"| ingest, mixed GB18030 CSV + UTF-8-BOM CSV + XLSX | {2 * small:,} | {_s(mixed.get('seconds'))} | "
                 f"{_s(bom.get('seconds'))}* | | {_size(mixed.get('peak_rss_bytes'))} | | |")
    lines.append(f"| (c) metrics, pure functions over the ingested year | {2 * rows:,} | {_s(results['metrics_seconds'])} | | | | | |")
    lines.append(f"| (d) render sample report, HTML + PDF | | {_s(results['render_seconds'])} | | | {_size(steps.get('render', {}).get('peak_rss_bytes'))} | {_verdict(results, 'render_seconds')} |")
    lines.append(f"| (e) full build, sample raw/2022, new process | | {_s(results['build_seconds'])} | | | {_size(steps.get('build', {}).get('peak_rss_bytes'))} | {_verdict(results, 'build_seconds')} |")
    lines.append(f"| (e') same, first run: no bytecode cache yet | | {_s(results['build_first_seconds'])} | | | | | |")
    lines.append(f"| (f) no-op rebuild, new process | | {_s(results['noop_rebuild_seconds'])} | | | {_size(steps.get('noop_rebuild', {}).get('peak_rss_bytes'))} | {_verdict(results, 'noop_rebuild_seconds')} |")
    lines.append(f"| (g) peak RSS, 1M-row ingest + metrics process | {2 * rows:,} | | | | {_size(results['peak_rss_bytes'])} | {_verdict(results, 'peak_rss_bytes')} |")
    return lines


def print_table(results: dict) -> None:
    host = results["machine"]
    print("\n".join(table_rows(results)))
    print("\n* DuckDB can read only the mixed folder's UTF-8-BOM CSV files (a third of them): GB18030 "
          "and XLSX need its encodings/excel extensions, which are not installed; so no ratio for that row.")
    print(f"Both sides write a fresh DuckDB file; each time is the best of the runs in JSON. "
          f"Machine: {host['cores']} cores ({host['cpu']}), {host['memory_bytes'] / GIB:.0f} GiB, {host['platform']}, "
          f"Python {host['python']}, DuckDB {host['duckdb']}, polars {host['polars']}.")
    for error in (results["steps"].get("build_error"),):
        if error:
            print(f"\nbuild steps failed: {error}")
