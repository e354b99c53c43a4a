"""The build stamp: what a finished `build` was made from, so the next `build` with the same
inputs, settings and code can say "up to date" without starting Dagster at all.

Dagster's own records (freshness.py) decide what re-runs when something did change; this
only short-cuts the case where nothing did. Kept beside the warehouse, not in the bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from pipeline.contract import PROGRAM_FILE, TABLES
from pipeline.inventory import current_files, file_sha256
from pipeline.paths import PROJECT_DIR

_CODE = ("pipeline/*.py", "sql/*.sql", "reports/*", "uv.lock")
BUNDLE_FILES = ("progress-report.html", "progress-report.pdf", "figures.json", "manifest.json")
HEADLINE = ("dynamics_total", "info_total", "media_articles_total", "meetings_total", "key_tasks_total",
            "reforms_total", "landmarks_total")


def missing_bundle_files(bundle: Path) -> list[str]:
    return [name for name in BUNDLE_FILES if not (bundle / name).is_file()]


def bundle_complete(bundle: Path) -> bool:
    return not missing_bundle_files(bundle)


def find_quarto(path: str = "") -> str | None:
    """The Quarto to use: `path`, else $QUARTO_PATH, else `quarto` on PATH."""
    candidate = path or os.environ.get("QUARTO_PATH", "")
    return shutil.which(candidate) if candidate else shutil.which("quarto")


def code_digest() -> str:
    digest = hashlib.sha256()
    for pattern in _CODE:
        for path in sorted(PROJECT_DIR.glob(pattern)):
            digest.update(path.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_key(raw_dir: Path, year: int, as_of: str, renderer: str, warehouse: str) -> str:
    """Everything a bundle depends on: input bytes, vocabulary, settings, tools and code."""
    files = [entry for spec in TABLES.values() for entry in current_files(raw_dir, year, spec)]
    program = raw_dir / PROGRAM_FILE
    parts = {
        "year": year,
        "files": files,
        "program": file_sha256(program) if program.is_file() else None,
        "as_of": as_of,
        "renderer": renderer,
        "quarto": find_quarto() if renderer != "embedded" else None,
        "warehouse": warehouse,
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _stamp_file(warehouse: str) -> Path:
    return Path(f"{warehouse}.builds.json")


def is_current(bundle: Path, key: str, warehouse: str) -> bool:
    """The bundle is complete and was built from exactly this key."""
    try:
        stamps = json.loads(_stamp_file(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamps.get(str(bundle)) == key and bundle_complete(bundle)


def record(bundle: Path, key: str, warehouse: str) -> None:
    path = _stamp_file(warehouse)
    try:
        stamps = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamps = {}
    stamps[str(bundle)] = key
    staged = path.with_suffix(f".{os.getpid()}.tmp")
    staged.write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")
    staged.replace(path)


def bundle_summary(bundle: Path, how: str) -> str:
    """What `build` prints: where the bundle is, how it came about, and its headline figures."""
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    lines = [f"built {bundle} (as of {figures['as_of']}; {how})"]
    lines += [f"  {key}: {figures[key]}" for key in HEADLINE]
    lines += [f"  rejected rows: {figures['rows_rejected']}, unreadable files: {figures['unreadable_files']}"]
    return "\n".join(lines)
