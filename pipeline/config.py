"""The project's folders and default file locations, defined once (no Dagster import, so the CLI
starts fast)."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.getenv("PIPELINE_DATA_DIR", PROJECT_DIR / "data"))
REPORTS_DIR = PROJECT_DIR / "reports"
SQL_DIR = PROJECT_DIR / "sql"


def default_warehouse() -> str:
    """The warehouse file: PIPELINE_WAREHOUSE, default data/warehouse.duckdb."""
    return os.getenv("PIPELINE_WAREHOUSE", str(DATA_DIR / "warehouse.duckdb"))
