"""The resources: the DuckDB warehouse, the project's folders, the report renderer, and the
reminder channels with the unit contacts (pipeline/defs/channels.py)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.config import Settings
from pipeline.defs.channels import DingTalkRobot, EmailChannel, UnitContacts, WeComRobot
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


def project_paths(raw_dir: str | Path, output_dir: str | Path | None = None) -> ProjectPaths:
    """The folders of a build of `raw_dir` into `output_dir`, the report templates as configured."""
    settings = Settings.of(raw_dir, output_dir)
    return ProjectPaths(raw_dir=str(settings.raw_dir), output_dir=str(settings.output_dir),
                        reports_dir=str(settings.reports_dir))


def project_resources(
    raw_dir: str | Path, output_dir: str | Path, warehouse: str | Path, renderer: str | dg.EnvVar = "auto"
) -> dict[str, dg.ConfigurableResource]:
    """Every resource of the code location's assets, for a build of `raw_dir` into `output_dir`
    with the warehouse `warehouse`: the code location, the command line and the tests all build
    theirs here. The reminder channels are configured from the environment (off where unset)."""
    return {
        "duckdb": warehouse_resource(str(warehouse)),
        "project": project_paths(raw_dir, output_dir),
        "renderer": ReportRenderer(renderer=renderer),
        **channel_resources(),
    }


def configured_resources() -> dict[str, dg.ConfigurableResource]:
    """The code location's resources, configured from the project's settings (README:
    Configuration): the raw folder, output folder and warehouse a build of the command line
    uses too, as values, so the UI shows the folders it serves, not only a variable's name;
    the renderer as `PIPELINE_RENDERER` where it is set."""
    settings = Settings.of()
    renderer = dg.EnvVar("PIPELINE_RENDERER") if os.environ.get("PIPELINE_RENDERER") else "auto"
    return project_resources(settings.raw_dir, settings.output_dir, settings.warehouse, renderer)


def _secret_setting(variable: str, default: str) -> str | dg.EnvVar:
    """A channel's setting as a `dg.EnvVar` where set (a secret is resolved when a run starts and
    never shown in the UI), else the default."""
    return dg.EnvVar(variable) if variable in os.environ else default


def channel_resources(resolved: bool = False) -> dict[str, dg.ConfigurableResource]:
    """The reminder channels and the contacts file, from PIPELINE_DINGTALK_*, PIPELINE_WECOM_URL,
    PIPELINE_SMTP_* and PIPELINE_CONTACTS (README: The weekly notice); a channel left unset is off.
    `resolved`: the values themselves, for a command outside a run (`notice --remind`)."""
    setting = (lambda variable, default: os.environ.get(variable, default)) if resolved else _secret_setting
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
