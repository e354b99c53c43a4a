"""The resources: the DuckDB warehouse, the project's folders, the report renderer, and the
reminder channels with the unit contacts (pipeline/defs/channels.py)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.config import PROJECT_DIR, REPORTS_DIR, default_warehouse
from pipeline.defs.channels import DingTalkRobot, EmailChannel, UnitContacts, WeComRobot
from pipeline.report.render import Renderer

# DuckDB allows one writing process per database file; every asset that writes the
# warehouse runs in this pool, whose limit dagster.yaml sets to 1.
WAREHOUSE_POOL = "duckdb_warehouse"


class ProjectPaths(dg.ConfigurableResource):
    """Where the raw folder is read from, where the report template lives, and where
    report bundles are written."""

    raw_dir: str = str(PROJECT_DIR / "raw")
    output_dir: str = str(PROJECT_DIR / "out")
    reports_dir: str = str(REPORTS_DIR)

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


def warehouse_resource(database: str | None = None) -> DuckDBResource:
    """The warehouse; its file is PIPELINE_WAREHOUSE, default data/warehouse.duckdb."""
    return DuckDBResource(database=database or default_warehouse())


def _setting(variable: str, default: str) -> str | dg.EnvVar:
    """An environment variable, resolved by Dagster when a run starts (the UI shows it as such),
    where one is set; else the project's default."""
    return dg.EnvVar(variable) if variable in os.environ else default


def configured_resources() -> dict[str, dg.ConfigurableResource]:
    """The code location's resources, configured from PIPELINE_* variables (README: Configuration)."""
    return {
        "duckdb": DuckDBResource(database=_setting("PIPELINE_WAREHOUSE", default_warehouse())),
        "project": ProjectPaths(
            raw_dir=_setting("PIPELINE_RAW_DIR", str(PROJECT_DIR / "raw")),
            output_dir=_setting("PIPELINE_OUTPUT_DIR", str(PROJECT_DIR / "out")),
            reports_dir=_setting("PIPELINE_REPORTS_DIR", str(REPORTS_DIR)),
        ),
        "renderer": ReportRenderer(renderer=_setting("PIPELINE_RENDERER", "auto")),
        **channel_resources(),
    }


def channel_resources(resolved: bool = False) -> dict[str, dg.ConfigurableResource]:
    """The reminder channels and the contacts file, from PIPELINE_DINGTALK_*, PIPELINE_WECOM_URL,
    PIPELINE_SMTP_* and PIPELINE_CONTACTS (README: The weekly notice); a channel left unset is off.
    `resolved`: the values themselves, for use outside a run (`notice --remind --dry-run`)."""
    setting = (lambda variable, default: os.environ.get(variable, default)) if resolved else _setting
    port = os.environ.get("PIPELINE_SMTP_PORT", "587")
    return {
        "dingtalk": DingTalkRobot(url=setting("PIPELINE_DINGTALK_URL", ""), secret=setting("PIPELINE_DINGTALK_SECRET", "")),
        "wecom": WeComRobot(url=setting("PIPELINE_WECOM_URL", "")),
        "email": EmailChannel(
            host=setting("PIPELINE_SMTP_HOST", ""),
            port=int(port) if resolved or "PIPELINE_SMTP_PORT" not in os.environ else dg.EnvVar.int("PIPELINE_SMTP_PORT"),
            user=setting("PIPELINE_SMTP_USER", ""), password=setting("PIPELINE_SMTP_PASSWORD", ""),
            sender=setting("PIPELINE_SMTP_FROM", ""), office=setting("PIPELINE_SMTP_OFFICE", ""),
            security=setting("PIPELINE_SMTP_SECURITY", "starttls"),
        ),
        "contacts": UnitContacts(path=setting("PIPELINE_CONTACTS", "")),
    }
