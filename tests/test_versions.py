"""Code versions are derived from the source an asset runs: its modules, the SQL files they load
and the templates, so a change to any of them is a new version with nothing to bump."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import PROJECT_DIR
from pipeline.defs import versions


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's code and SQL to change."""
    for part in ("pipeline", "sql", "reports"):
        shutil.copytree(PROJECT_DIR / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _report(root: Path) -> str:
    return versions.code_version("pipeline/metrics", "pipeline/report", "reports", "pipeline/defs/report.py", root=root)


def test_the_versions_are_those_of_the_project_as_it_is() -> None:
    assert versions.REPORT == _report(PROJECT_DIR)
    assert len({versions.INGEST, versions.METRICS, versions.REPORT, versions.ROLLUP, versions.NOTICE}) == 5


def test_a_change_to_a_sql_file_an_asset_loads_changes_its_version(project: Path) -> None:
    before = _report(project)
    ingest = versions.code_version("pipeline/intake", "pipeline/defs/ingest.py", root=project)
    # warehouse/reads.py loads report_media_themes: the report's version changes, and the ingest's
    # too (reads.py is in the warehouse package every asset reads)
    with (project / "sql" / "report_media_themes.sql").open("a", encoding="utf-8") as sql:
        sql.write("-- a comment is a change\n")
    assert _report(project) != before
    assert versions.code_version("pipeline/intake", "pipeline/defs/ingest.py", root=project) != ingest


def test_a_sql_file_no_module_loads_and_bytecode_change_nothing(project: Path) -> None:
    before = _report(project)
    (project / "sql" / "unused_by_anyone.sql").write_text("select 1\n", encoding="utf-8")
    (project / "pipeline" / "report" / "__pycache__").mkdir(exist_ok=True)
    (project / "pipeline" / "report" / "__pycache__" / "context.cpython-311.pyc").write_bytes(b"\0")
    assert _report(project) == before


def test_a_template_change_is_a_new_report_version_not_a_new_ingest_version(project: Path) -> None:
    before, ingest = _report(project), versions.code_version("pipeline/intake", "pipeline/defs/ingest.py", root=project)
    with (project / "reports" / "report.css").open("a", encoding="utf-8") as css:
        css.write("\n/* changed */\n")
    assert _report(project) != before
    assert versions.code_version("pipeline/intake", "pipeline/defs/ingest.py", root=project) == ingest
