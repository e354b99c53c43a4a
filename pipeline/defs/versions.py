"""Each asset's code version, derived from what it runs: a hash of its modules' source, the SQL
files they load and the report templates, so any change to them makes the asset's latest
materialisation stale (Dagster's `code_version_changed`, the build's planner) with no constant to
bump by hand."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.config import PROJECT_DIR

_LOADED_SQL = re.compile(r"""load_sql\(\s*["'](\w+)["']""")
# what every asset's code reads: the input contract, the warehouse, the path rules
_CORE = ("pipeline/contract", "pipeline/warehouse", "pipeline/paths.py", "pipeline/sql.py", "pipeline/config.py")


def _files(parts: tuple[str, ...], root: Path) -> list[Path]:
    """The files of `parts` (a folder: every file below it, bytecode left out), in a stable order."""
    found: set[Path] = set()
    for part in parts:
        path = root / part
        found |= {p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts} if path.is_dir() else {path}
    return sorted(found)


def code_version(*parts: str, root: Path = PROJECT_DIR) -> str:
    """The version of code made of `parts` (files or folders under the project folder) and of the
    core, with every SQL file their Python source loads by name."""
    files = _files((*_CORE, *parts), root)
    sql = {name for f in files if f.suffix == ".py" for name in _LOADED_SQL.findall(f.read_text(encoding="utf-8"))}
    files += [root / "sql" / f"{name}.sql" for name in sorted(sql)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


INGEST = code_version("pipeline/intake", "pipeline/defs/ingest.py")
METRICS = code_version("pipeline/metrics", "pipeline/defs/metrics.py")
REPORT = code_version("pipeline/metrics", "pipeline/report", "reports", "pipeline/defs/report.py")
ROLLUP = code_version("pipeline/metrics", "pipeline/report", "reports", "pipeline/defs/rollup.py")
NOTICE = code_version("pipeline/reporting", "pipeline/report", "reports", "pipeline/defs/notice.py")
