"""Shared fixtures: a copy of the fixture raw folder, a tmp warehouse, the resources."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipeline.config import PROJECT_DIR
from pipeline.defs.resources import ProjectPaths, warehouse_resource

DATA = Path(__file__).parent / "data"
FIXTURE_RAW = DATA / "raw"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A private copy of tests/data/raw, so a test may add files to it."""
    target = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, target)
    return target


@pytest.fixture
def resources(tmp_path: Path, raw_dir: Path) -> dict[str, object]:
    return {
        "duckdb": warehouse_resource(str(tmp_path / "warehouse.duckdb")),
        "project": ProjectPaths(raw_dir=str(raw_dir), output_dir=str(tmp_path / "out")),
    }


@pytest.fixture
def instance() -> dg.DagsterInstance:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


STAND_IN = """#!{python}
# A stand-in for Quarto: checks and logs its arguments, prints a version, writes outputs
# (the HTML holds the source's paragraphs, so editions built with it can be compared).
import json, os, pathlib, sys
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:] == ["--version"]:
    print("1.6.40-standin")
    sys.exit(0)
if os.environ.get("STANDIN_FAIL"):
    sys.stderr.write("ERROR: stand-in cannot render: YAMLException at line 3\\n")
    sys.exit(1)
args = sys.argv[1:]
if len(args) != 4 or args[0] != "render" or not args[1].endswith(".qmd") or args[2] != "--to" or args[3] not in ("html", "typst"):
    sys.stderr.write(f"stand-in quarto: unexpected arguments {{args}}\\n")
    sys.exit(2)
_, source, _, to = args
text = pathlib.Path(source).read_text(encoding="utf-8")
assert text.startswith("---"), "a Quarto document starts with its YAML front matter"
stem = pathlib.Path(source).stem
if to == "html":
    paragraphs = [" ".join(p.split()) for p in text.split("\\n\\n") if p.strip()]
    body = "".join(f"<p>{{p}}</p>" for p in paragraphs)
    pathlib.Path(stem + ".html").write_text(f"<html><body>{{body}}</body></html>", encoding="utf-8")
else:
    pathlib.Path(stem + ".pdf").write_bytes(b"%PDF-1.7 stand-in pdf")
"""


@pytest.fixture
def quarto_stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An executable `quarto` first on PATH; returns the log of its calls (one JSON list per line)."""
    folder, log = tmp_path / "bin", tmp_path / "quarto-calls.log"
    folder.mkdir()
    script = folder / "quarto"
    script.write_text(STAND_IN.format(python=sys.executable, log=str(log)), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    return log


@pytest.fixture
def project_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    """A Dagster instance made from the project's own dagster.yaml in a tmp DAGSTER_HOME."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(home / "storage"))
    with dg.DagsterInstance.get() as instance:
        yield instance


def ran_assets(instance: dg.DagsterInstance, run_id: str) -> set[str]:
    """The assets a run materialised."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    return {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in records}
