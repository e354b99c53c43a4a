"""The portal's receipts (receipts.db beside the accounts file): every upload, stored or refused,
with its time, account, address, SHA-256 and result, and the weeks a stored one's rows are
dated in. `first_receipts` is what the weekly notice reads for `late`; this module imports
neither Dagster nor Starlette."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.portal.storage import create, transaction
from pipeline.sql import load_sql

RECEIPTS_FILE = "receipts.db"
FIRST_RECEIPTS_SCHEMA = {"member": pl.String, "week": pl.String, "received": pl.Datetime("us", "Asia/Shanghai")}


def receipts_file(accounts_file: Path) -> Path:
    return accounts_file.parent / RECEIPTS_FILE


@dataclass(frozen=True)
class Receipt:
    received: dt.datetime
    account: str
    unit: str | None
    address: str
    original_name: str
    sha256: str
    size: int
    stored: bool
    year: int | None = None
    week: str | None = None
    file: str | None = None  # relative to the raw folder
    rows_read: int = 0
    rows_counted: int = 0
    rows_rejected: int = 0
    problems: list[dict] = field(default_factory=list)
    weeks: tuple[str, ...] = ()  # every week the stored rows are dated in
    id: int | None = None


_COLUMNS = ("received", "account", "unit", "address", "original_name", "sha256", "size", "result", "year", "week",
            "file", "rows_read", "rows_counted", "rows_rejected", "problems")


class Receipts:
    def __init__(self, path: Path) -> None:
        self.path = path
        create(path, "portal_receipts")

    def record(self, receipt: Receipt) -> int:
        values = (receipt.received.isoformat(timespec="microseconds"), receipt.account, receipt.unit, receipt.address,
                  receipt.original_name, receipt.sha256, receipt.size, "stored" if receipt.stored else "refused",
                  receipt.year, receipt.week, receipt.file, receipt.rows_read, receipt.rows_counted,
                  receipt.rows_rejected, json.dumps(receipt.problems, ensure_ascii=False))
        with transaction(self.path) as conn:
            number = conn.execute(f"insert into receipts ({', '.join(_COLUMNS)}) values ({', '.join('?' * len(_COLUMNS))})",
                                  values).lastrowid
            conn.executemany("insert into receipt_weeks (receipt, week) values (?, ?)",
                             [(number, week) for week in receipt.weeks])
        return int(number)

    def of(self, unit: str | None = None, limit: int = 500) -> list[Receipt]:
        """The latest receipts first: a unit's own, or (None) everyone's."""
        where, params = ("where unit = ?", (unit, limit)) if unit is not None else ("", (limit,))
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            rows = conn.execute(f"select id, {', '.join(_COLUMNS)} from receipts {where} order by id desc limit ?",
                                params).fetchall()
        return [_receipt(row) for row in rows]


def _receipt(row: Iterable) -> Receipt:
    number, received, account, unit, address, name, sha256, size, result, year, week, file, read, counted, rejected, \
        problems = row
    return Receipt(dt.datetime.fromisoformat(received), account, unit, address, name, sha256, size, result == "stored",
                   year, week, file, read, counted, rejected, json.loads(problems), id=number)


def first_receipts(accounts_file: Path, year: int) -> pl.DataFrame:
    """The first stored portal receipt per unit (its roster name) and week of `year`'s rows:
    `member, week, received` (time-zone aware), as the notice's `WeekInputs.receipts` wants.
    Empty when the portal never stored anything."""
    path = receipts_file(accounts_file)
    if not path.is_file():
        return pl.DataFrame(schema=FIRST_RECEIPTS_SCHEMA)
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as conn:
        rows = conn.execute(load_sql("portal_first_receipts"), {"year": year}).fetchall()
    return pl.DataFrame([(member, week, dt.datetime.fromisoformat(received)) for member, week, received in rows],
                        schema=FIRST_RECEIPTS_SCHEMA, orient="row")
