"""The project's folders and settings, each defined and read here once: the CLI, the code location
and the tests take them from here (no Dagster import, so the CLI starts fast)."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
REPORTS_DIR = PROJECT_DIR / "reports"  # the built-in report templates
SQL_DIR = PROJECT_DIR / "sql"

# The settings' environment variables (README: Configuration).
ENV_RAW_DIR = "PIPELINE_RAW_DIR"
ENV_OUTPUT_DIR = "PIPELINE_OUTPUT_DIR"
ENV_REPORTS_DIR = "PIPELINE_REPORTS_DIR"
ENV_DATA_DIR = "PIPELINE_DATA_DIR"
ENV_WAREHOUSE = "PIPELINE_WAREHOUSE"
ENV_DAGSTER_HOME = "DAGSTER_HOME"
ENV_DAGSTER_DIR = "PIPELINE_DAGSTER_DIR"  # dagster.yaml keeps the instance's storage there
ENV_ACCOUNTS = "PIPELINE_ACCOUNTS"  # the intake portal's accounts
ENV_MAX_UPLOAD = "PIPELINE_MAX_UPLOAD"


class SettingError(Exception):
    """A setting that is missing or wrong (an environment variable, the Dagster instance it
    names); the message, in Chinese, names it."""


def _absolute(value: str | Path) -> Path:
    """A path as given (relative to the working directory), made absolute without following links."""
    return Path(os.path.abspath(os.path.expanduser(value)))


def state_dir(raw_dir: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Where a raw folder's warehouse and Dagster records live: the data folder itself for the
    project's own raw/, else data/projects/<folder name>-<digest of its resolved path>/, so two
    raw folders never share a warehouse, a build lock or Dagster records."""
    data = _absolute(environ.get(ENV_DATA_DIR) or PROJECT_DIR / "data")
    resolved = raw_dir.resolve()
    if resolved == (PROJECT_DIR / "raw").resolve():
        return data
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:12]
    name = re.sub(r"[^\w.-]+", "_", resolved.name)[:40].strip("._") or "raw"
    return data / "projects" / f"{name}-{digest}"


@dataclass(frozen=True)
class Settings:
    """Where one project's inputs, outputs and state are. Each is an environment variable with a
    default; a command-line argument replaces its variable."""

    raw_dir: Path  # PIPELINE_RAW_DIR, default <project>/raw
    output_dir: Path  # PIPELINE_OUTPUT_DIR, default <project>/out
    reports_dir: Path  # PIPELINE_REPORTS_DIR, default <project>/reports
    warehouse: Path  # PIPELINE_WAREHOUSE, default <state>/warehouse.duckdb
    dagster_home: Path  # DAGSTER_HOME, default <project> (its dagster.yaml)
    dagster_dir: Path  # PIPELINE_DAGSTER_DIR, default <state>/dagster
    accounts: Path  # PIPELINE_ACCOUNTS, default <state>/accounts.db (the intake portal's)

    @classmethod
    def of(
        cls, raw_dir: str | Path | None = None, output_dir: str | Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Settings:
        raw = _absolute(raw_dir or environ.get(ENV_RAW_DIR) or PROJECT_DIR / "raw")
        state = state_dir(raw, environ)
        return cls(
            raw_dir=raw,
            output_dir=_absolute(output_dir or environ.get(ENV_OUTPUT_DIR) or PROJECT_DIR / "out"),
            reports_dir=_absolute(environ.get(ENV_REPORTS_DIR) or REPORTS_DIR),
            warehouse=_absolute(environ.get(ENV_WAREHOUSE) or state / "warehouse.duckdb"),
            dagster_home=_absolute(environ.get(ENV_DAGSTER_HOME) or PROJECT_DIR),
            dagster_dir=_absolute(environ.get(ENV_DAGSTER_DIR) or state / "dagster"),
            accounts=_absolute(environ.get(ENV_ACCOUNTS) or state / "accounts.db"),
        )

    def instance_environment(self) -> dict[str, str]:
        """The variables Dagster reads to find this project's instance (DAGSTER_HOME, and the
        storage folder the project's dagster.yaml names)."""
        return {ENV_DAGSTER_HOME: str(self.dagster_home), ENV_DAGSTER_DIR: str(self.dagster_dir)}

    def environment(self) -> dict[str, str]:
        """Every setting as the variable that carries it, for a process that serves this project."""
        return {ENV_RAW_DIR: str(self.raw_dir), ENV_OUTPUT_DIR: str(self.output_dir), ENV_REPORTS_DIR: str(self.reports_dir),
                ENV_WAREHOUSE: str(self.warehouse), **self.instance_environment()}


_DOTENV_HEAD = "# Written by `make env` for this clone; a variable set in the shell wins."


def write_dotenv(settings: Settings, path: Path = PROJECT_DIR / ".env") -> bool:
    """Write the project folder's .env, which Dagster's own CLI (dagster dev, dagster asset
    materialize, dagster run list) loads from its working directory: DAGSTER_HOME, kept when the
    shell sets it. A .env someone else wrote is left alone (returns False)."""
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(_DOTENV_HEAD):
        return False
    home = str(settings.dagster_home).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'{_DOTENV_HEAD}\n{ENV_DAGSTER_HOME}="${{{ENV_DAGSTER_HOME}:-{home}}}"\n', encoding="utf-8")
    return True


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may declare before it is loaded (README: Reliability). A submission is a
    few hundred rows of a few dozen columns; these are far above that and far below what
    would exhaust memory."""

    uncompressed_mb: int = 256  # the sum of an .xlsx/.xlsm/.ods file's parts, unpacked
    sheet_cells: int = 5_000_000  # rows x columns from A1 to the last cell of a sheet
    sheet_columns: int = 1_024

    @classmethod
    def from_environment(cls) -> WorkbookLimits:
        """PIPELINE_MAX_WORKBOOK_MB, PIPELINE_MAX_SHEET_CELLS, PIPELINE_MAX_SHEET_COLUMNS, read
        when a workbook is checked (so a test or a long-lived process sees a change)."""
        names = {"uncompressed_mb": "PIPELINE_MAX_WORKBOOK_MB", "sheet_cells": "PIPELINE_MAX_SHEET_CELLS",
                 "sheet_columns": "PIPELINE_MAX_SHEET_COLUMNS"}
        return cls(**{field: int(os.environ[name]) for field, name in names.items() if os.environ.get(name, "").isdigit()})


# The intake portal's uploads: a week's dynamics are a few hundred rows, far below this.
DEFAULT_MAX_UPLOAD = 10 * 2**20


def accounts_file(raw_dir: str | Path | None = None) -> Path:
    """The intake portal's accounts of a raw folder (PIPELINE_ACCOUNTS, default <state>/accounts.db,
    data/accounts.db for the project's own raw/); its receipts, sessions and log live beside it."""
    return Settings.of(raw_dir).accounts


def max_upload_bytes() -> int:
    """The largest upload request the portal reads (PIPELINE_MAX_UPLOAD, in bytes, default 10 MiB)."""
    written = os.getenv(ENV_MAX_UPLOAD, "").strip()
    if not written:
        return DEFAULT_MAX_UPLOAD
    if not written.isdigit() or int(written) <= 0:
        raise SettingError(f"环境变量 {ENV_MAX_UPLOAD} 应为正整数（字节数），而不是“{written}”")
    return int(written)


def main(argv: list[str]) -> int:
    """`python -m pipeline.config dotenv|environment`: write the .env file (`make env`), or print
    the settings as shell assignments (`make ui`: RAW, OUT as PIPELINE_RAW_DIR, PIPELINE_OUTPUT_DIR)."""
    if argv == ["dotenv"]:
        write_dotenv(Settings.of(environ={}))  # the project's own defaults: the shell's values win when it is read
    elif argv == ["environment"]:
        print("\n".join(f"export {name}={shlex.quote(value)}" for name, value in Settings.of().environment().items()))
    else:
        print("usage: python -m pipeline.config dotenv|environment", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
