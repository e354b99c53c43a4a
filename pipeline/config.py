"""The project's folders and default file locations, defined once (no Dagster import, so the CLI
starts fast)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.getenv("PIPELINE_DATA_DIR", PROJECT_DIR / "data"))
REPORTS_DIR = PROJECT_DIR / "reports"
SQL_DIR = PROJECT_DIR / "sql"


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


def default_warehouse() -> str:
    """The warehouse file: PIPELINE_WAREHOUSE, default data/warehouse.duckdb."""
    return os.getenv("PIPELINE_WAREHOUSE", str(DATA_DIR / "warehouse.duckdb"))


# The intake portal's uploads: a week's dynamics are a few hundred rows, far below this.
DEFAULT_MAX_UPLOAD = 10 * 2**20


def accounts_file() -> Path:
    """The intake portal's accounts (PIPELINE_ACCOUNTS, default data/accounts.db); its receipts,
    sessions and log live in the same folder."""
    return Path(os.getenv("PIPELINE_ACCOUNTS", str(DATA_DIR / "accounts.db")))


def max_upload_bytes() -> int:
    """The largest upload request the portal reads (PIPELINE_MAX_UPLOAD, in bytes, default 10 MiB)."""
    written = os.getenv("PIPELINE_MAX_UPLOAD", "").strip()
    if not written:
        return DEFAULT_MAX_UPLOAD
    if not written.isdigit() or int(written) <= 0:
        raise ValueError(f"环境变量 PIPELINE_MAX_UPLOAD 应为正整数（字节数），而不是“{written}”")
    return int(written)
