"""The production instance config (deploy/dagster.postgres.yaml) against a real PostgreSQL
server: a build of raw/2022 is recorded in PostgreSQL, and the next build plans from it.

Starts a private server from the Debian `postgresql` binaries (`make test` installs them)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from services import (
    BUNDLE_FILES,
    PROJECT_DIR,
    SAMPLE_HEADLINE,
    SAMPLE_RAW,
    SAMPLE_YEAR,
    Postgres,
    dagster_home,
    postgres_bin_dir,
    postgres_server,
    quarto_stand_in,
)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH")
    with postgres_server(bin_dir, database="dagster") as server:
        yield server


@pytest.fixture
def postgres_instance(
    postgres: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dg.DagsterInstance]:
    """A DAGSTER_HOME whose dagster.yaml is deploy/dagster.postgres.yaml, pointed at the server."""
    home = dagster_home(tmp_path / "dagster_home", PROJECT_DIR / "deploy" / "dagster.postgres.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(tmp_path / "dagster"))
    monkeypatch.setenv("DAGSTER_PG_HOST", postgres.host)
    monkeypatch.setenv("DAGSTER_PG_PORT", str(postgres.port))
    monkeypatch.setenv("DAGSTER_PG_USER", postgres.user)
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", postgres.password)
    monkeypatch.setenv("DAGSTER_PG_DB", postgres.database)
    (tmp_path / "dagster").mkdir()
    with dg.DagsterInstance.get() as instance:
        yield instance


def _pg_rows(postgres: Postgres, query: str, params: tuple = ()) -> list[tuple]:
    with postgres.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_build_is_recorded_in_postgres_and_the_next_build_plans_from_it(
    postgres: Postgres, postgres_instance: dg.DagsterInstance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.ops.build import run_build

    monkeypatch.setenv("PATH", f"{quarto_stand_in(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    build = {
        "raw_dir": SAMPLE_RAW,
        "output_dir": tmp_path / "out",
        "year": SAMPLE_YEAR,
        "renderer": "quarto",
        "warehouse": str(tmp_path / "warehouse.duckdb"),
        "instance": postgres_instance,
    }

    outcome = run_build(**build)

    assert outcome.success, outcome.summary
    run = postgres_instance.get_run_by_id(outcome.run_id)
    assert run.status == dg.DagsterRunStatus.SUCCESS
    assert run.tags["pipeline/command"] == "build"
    assert run.tags["dagster/partition"] == str(SAMPLE_YEAR)
    bundle = tmp_path / "out" / str(SAMPLE_YEAR)
    assert sorted(p.name for p in bundle.iterdir()) == BUNDLE_FILES
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    assert {key: figures[key] for key in SAMPLE_HEADLINE} == SAMPLE_HEADLINE

    # Straight from PostgreSQL, not through Dagster: the run and its ten materialisations are there.
    assert _pg_rows(postgres, "select run_id, status from runs") == [(outcome.run_id, "SUCCESS")]
    materialised = _pg_rows(
        postgres,
        "select asset_key, partition from event_logs where run_id = %s and dagster_event_type = %s order by asset_key",
        (outcome.run_id, "ASSET_MATERIALIZATION"),
    )
    assert materialised == [
        (f'["{name}"]', str(SAMPLE_YEAR))
        for name in sorted(["achievements", "dynamics", "dynamics_weekly", "figures", "media", "media_monthly",
                            "meetings", "progress_report", "report_period", "tasks"])
    ]
    # ... and no SQLite storage was made beside the logs.
    assert sorted(p.name for p in (tmp_path / "dagster").rglob("*.db")) == []

    again = run_build(**build)

    assert (again.success, again.run_id) == (True, "")
    assert "已是最新，未重新运行" in again.summary
    assert _pg_rows(postgres, "select count(*) from runs") == [(1,)]


def test_the_many_machines_instance_loads_with_dockers_run_launcher_and_per_district_limits(
    postgres: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster_docker import DockerRunLauncher

    home = dagster_home(tmp_path / "dagster_home", PROJECT_DIR / "deploy" / "dagster.docker.yaml")
    for name, value in {"DAGSTER_HOME": str(home), "PIPELINE_DAGSTER_DIR": str(tmp_path / "dagster"),
                        "DAGSTER_PG_HOST": postgres.host, "DAGSTER_PG_PORT": str(postgres.port),
                        "DAGSTER_PG_USER": postgres.user, "DAGSTER_PG_PASSWORD": postgres.password,
                        "DAGSTER_PG_DB": postgres.database, "PIPELINE_IMAGE": "example/pipeline:1"}.items():
        monkeypatch.setenv(name, value)
    with dg.DagsterInstance.get() as instance:
        launcher = instance.run_launcher
        assert isinstance(launcher, DockerRunLauncher) and launcher.image == "example/pipeline:1"
        assert "pipeline-data:/data" in launcher.container_kwargs["volumes"]
        assert "PIPELINE_WAREHOUSE=/data/warehouse.duckdb" in launcher.env_vars
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        limits = {limit["key"]: limit for limit in instance.get_concurrency_config().run_queue_config.tag_concurrency_limits}
        assert limits["dagster/partition/district"]["limit"] == 1
        assert limits["dagster/partition/district"]["value"] == {"applyLimitPerUniqueValue": True}
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
