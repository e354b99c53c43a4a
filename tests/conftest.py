"""Shared fixtures: a copy of the fixture raw folder, a tmp warehouse, the resources."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipeline.resources import ProjectPaths, warehouse_resource

DATA = Path(__file__).parent / "data"
FIXTURE_RAW = DATA / "raw"
PROJECT_DIR = Path(__file__).resolve().parent.parent


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
