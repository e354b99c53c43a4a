"""Configuration in one place: the DuckDB warehouse resource, the project's folders, and
the year partitions every asset shares."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.paths import DATA_DIR, PROJECT_DIR, REPORTS_DIR, default_warehouse

__all__ = ["DATA_DIR", "PROJECT_DIR", "REPORTS_DIR"]

# One partition per report year. The current year is included (end_offset=1): the
# nightly build reports the year in progress.
YEARS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    start="2020",
    fmt="%Y",
    timezone="Asia/Shanghai",
    end_offset=1,
)

# DuckDB allows one writing process per database file; every asset that writes the
# warehouse runs in this pool, whose limit dagster.yaml sets to 1.
WAREHOUSE_POOL = "duckdb_warehouse"


class ProjectPaths(dg.ConfigurableResource):
    """Where the raw folder is read from, where the report template lives, and where
    report bundles are written."""

    raw_dir: str = os.getenv("PIPELINE_RAW_DIR", str(PROJECT_DIR / "raw"))
    output_dir: str = os.getenv("PIPELINE_OUTPUT_DIR", str(PROJECT_DIR / "out"))
    reports_dir: str = os.getenv("PIPELINE_REPORTS_DIR", str(REPORTS_DIR))

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve()

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir).resolve()

    @property
    def reports_path(self) -> Path:
        return Path(self.reports_dir).resolve()


def warehouse_resource(database: str | None = None) -> DuckDBResource:
    """The warehouse; its file is PIPELINE_WAREHOUSE, default data/warehouse.duckdb."""
    return DuckDBResource(database=database or default_warehouse())
