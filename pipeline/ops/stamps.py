"""The build stamp: what a finished `build` was made from, so the next `build` with the same
inputs, settings and code can say "up to date" without starting Dagster at all.

Dagster's own records (freshness.py) decide what re-runs when something did change; this
only short-cuts the case where nothing did. Kept beside the warehouse, not in the bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.config import PROJECT_DIR
from pipeline.contract import PROGRAM_FILE, TABLES
from pipeline.intake.inventory import current_files, file_sha256
from pipeline.report.bundle import bundle_complete
from pipeline.report.render import find_quarto

_CODE = ("pipeline/*.py", "sql/*.sql", "reports/*", "uv.lock")


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
