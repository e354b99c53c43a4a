"""The portal's SQLite files (accounts.db, receipts.db): created with their schema from sql/,
written in short transactions taken at once, as many server threads share them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from pipeline.sql import load_sql


def create(path: Path, schema: str) -> None:
    """The SQLite file (and its folder), with the tables of sql/<schema>.sql."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        conn.executescript(load_sql(schema))


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on a portal SQLite file, taken at once (`begin immediate`), so two
    requests counting the same name's wrong passwords do not both read the old count."""
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
        conn.execute("pragma journal_mode = wal")
        conn.execute("begin immediate")
        try:
            yield conn
        except BaseException:
            conn.execute("rollback")
            raise
        conn.execute("commit")
