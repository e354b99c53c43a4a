"""Shared fixtures: a copy of the fixture raw folder, a tmp warehouse, the resources."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# the fixture workbooks are written by openpyxl's own writer, as tools/ writes them
os.environ.setdefault("OPENPYXL_LXML", "False")

import dagster as dg
import pytest
from services import dagster_home
from services import quarto_stand_in as quarto_stand_in_at

from pipeline.config import ENV_WAREHOUSE, Settings
from pipeline.defs.channels import DingTalkRobot, EmailChannel, UnitContacts, WeComRobot
from pipeline.defs.resources import project_resources as resources_for
from pipeline.ops.build import BuildOutcome, run_build

# As `python -m pipeline` does: Dagster, DuckDB, polars and the definitions, loaded by now,
# stay out of every later scan of Python's cycle collector (a build in a test worker
# otherwise pays for re-scanning them).
gc.freeze()

# The longest modules start first: with one module per worker (--dist loadfile) none of them
# starts last and leaves the other workers idle at the end. pytest-randomly still shuffles the
# tests inside every module and the order of the other modules.
LONGEST_FIRST = ("test_readme.py", "test_rollup.py", "test_freshness.py", "test_concurrency.py", "test_bench.py", "test_sample_report.py",
                 "test_cli.py", "test_automation.py", "test_ingest.py", "test_editions.py", "test_fuzz.py",
                 "test_render.py", "test_hostile.py", "test_ui.py", "test_postgres.py", "test_template.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the shuffled order otherwise


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


def project_resources(raw: Path, base: Path, renderer: str = "auto") -> dict[str, object]:
    """The assets' resources for `raw`, with the warehouse and output folder under `base`, built as
    the code location and the command line build theirs (no reminder channel configured)."""
    return resources_for(raw, base / "out", base / "warehouse.duckdb", renderer)


@pytest.fixture
def resources(tmp_path: Path, raw_dir: Path) -> dict[str, object]:
    return project_resources(raw_dir, tmp_path)


@pytest.fixture
def instance() -> dg.DagsterInstance:
    """A new in-memory Dagster instance (its storage is SQLite in memory: the same SQL)."""
    with dg.DagsterInstance.ephemeral() as test_instance:
        yield test_instance


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path




@pytest.fixture
def quarto_stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An executable `quarto` first on PATH; returns the log of its calls (one JSON list per line)."""
    log = tmp_path / "quarto-calls.log"
    folder = quarto_stand_in_at(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    return log


@pytest.fixture
def project_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    """A Dagster instance made from the project's own dagster.yaml in a tmp DAGSTER_HOME."""
    home = dagster_home(tmp_path / "dagster_home")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(home / "storage"))
    with dg.DagsterInstance.get() as instance:
        yield instance


def ran_assets(instance: dg.DagsterInstance, run_id: str) -> set[str]:
    """The assets a run materialised."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    return {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in records}


@dataclass
class Built:
    """The fixture folder as one build left it: raw/, out/, warehouse.duckdb and the project's
    Dagster instance (builds render with the stand-in quarto)."""

    base: Path
    instance: dg.DagsterInstance

    @property
    def raw(self) -> Path:
        return self.base / "raw"

    @property
    def out(self) -> Path:
        return self.base / "out"

    @property
    def warehouse(self) -> Path:
        return self.base / "warehouse.duckdb"

    def build(self, as_of: str = "", renderer: str = "quarto", output_dir: Path | None = None) -> BuildOutcome:
        return run_build(self.raw, output_dir or self.out, 2022, as_of=as_of, renderer=renderer,
                         warehouse=str(self.warehouse), instance=self.instance)


def _use_built_folder(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(base / "dagster_home"))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(base / "dagster_home" / "storage"))
    monkeypatch.setenv("PATH", f"{base / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUARTO_PATH", raising=False)


@pytest.fixture(scope="session")
def _built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture folder built once per test process, and a copy of everything that build left."""
    base = tmp_path_factory.mktemp("built")
    shutil.copytree(FIXTURE_RAW, base / "raw")
    dagster_home(base / "dagster_home")
    quarto_stand_in_at(base / "bin", base / "quarto-calls.log")
    with pytest.MonkeyPatch.context() as env:
        _use_built_folder(base, env)
        with dg.DagsterInstance.get() as instance:
            outcome = Built(base, instance).build()
    assert outcome.success, outcome.summary
    snapshot = tmp_path_factory.mktemp("built-snapshot") / "copy"
    shutil.copytree(base, snapshot, symlinks=True)
    return base, snapshot


@pytest.fixture
def built(_built_once: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Built:
    """The fixture folder just after its first build, for a test to change and build again: one
    build per test process, put back in place before each test (same paths, so Dagster's records
    and the bundle's manifest still describe it; copied with their modification times, so the
    warehouse is as the report recorded it)."""
    base, snapshot = _built_once
    shutil.rmtree(base)
    shutil.copytree(snapshot, base, symlinks=True)
    _use_built_folder(base, monkeypatch)
    with dg.DagsterInstance.get() as instance:
        yield Built(base, instance)
