"""load_sql(name): the text of sql/<name>.sql, read once; below intake/ and warehouse/, which both run statements."""

from __future__ import annotations

from functools import cache

from pipeline.config import SQL_DIR


@cache
def load_sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
