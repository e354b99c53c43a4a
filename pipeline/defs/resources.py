"""The resources: the DuckDB warehouse, the project's folders, and the report renderer."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.config import ENV_OUTPUT_DIR, ENV_RAW_DIR, ENV_REPORTS_DIR, ENV_WAREHOUSE, Settings
from pipeline.report.render import Renderer

# DuckDB allows one writing process per database file; every asset that writes the
# warehouse runs in this pool, whose limit dagster.yaml sets to 1.
WAREHOUSE_POOL = "duckdb_warehouse"


_DEFAULTS = Settings.of(environ={})  # the project's own folders


class ProjectPaths(dg.ConfigurableResource):
    """Where the raw folder is read from, where the report template lives, and where
    report bundles are written."""

    raw_dir: str = str(_DEFAULTS.raw_dir)
    output_dir: str = str(_DEFAULTS.output_dir)
    reports_dir: str = str(_DEFAULTS.reports_dir)

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve()

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir).resolve()

    @property
    def reports_path(self) -> Path:
        return Path(self.reports_dir).resolve()


class ReportRenderer(dg.ConfigurableResource):
    """How the report is rendered: `auto` uses Quarto when found, else the embedded pandoc + Typst."""

    renderer: str = "auto"
    quarto_path: str = ""
    timeout_seconds: int = 300

    def get(self) -> Renderer:
        return Renderer(self.renderer, self.quarto_path, self.timeout_seconds)


def warehouse_resource(database: str) -> DuckDBResource:
    return DuckDBResource(database=database)


def _setting(variable: str, default: str) -> str | dg.EnvVar:
    """An environment variable, resolved by Dagster when a run starts (the UI shows it as such),
    where one is set; else the project's default."""
    return dg.EnvVar(variable) if variable in os.environ else default


def configured_resources() -> dict[str, dg.ConfigurableResource]:
    """The code location's resources, configured from the project's settings (README:
    Configuration): the raw folder, output folder and warehouse a build of the CLI uses too."""
    settings = Settings.of()
    return {
        "duckdb": DuckDBResource(database=_setting(ENV_WAREHOUSE, str(settings.warehouse))),
        "project": ProjectPaths(
            raw_dir=_setting(ENV_RAW_DIR, str(settings.raw_dir)),
            output_dir=_setting(ENV_OUTPUT_DIR, str(settings.output_dir)),
            reports_dir=_setting(ENV_REPORTS_DIR, str(settings.reports_dir)),
        ),
        "renderer": ReportRenderer(renderer=_setting("PIPELINE_RENDERER", "auto")),
    }
