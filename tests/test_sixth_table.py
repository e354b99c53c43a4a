"""A sixth input table declared only in the contract (here, in the test) is a warehouse table
with the contract's columns, is ingested, counted in the row accounting and named in the
data-quality appendix: nothing else lists the tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.contract import TABLES, Column, TableSpec, load_program
from pipeline.intake import inventory
from pipeline.intake.tables import take_in
from pipeline.report.context import row_quality
from pipeline.warehouse.reads import latest_input_date, quality_frames
from pipeline.warehouse.store import ensure_schema, read_year, store_intake

VISITS = TableSpec(
    name="visits",
    chinese="走访调研",
    places=("visits", "走访调研"),
    columns=(
        Column("date", ("日期",), True, "date"),
        Column("unit", ("走访单位",), True),
        Column("households", ("走访户数",), True, "count"),
    ),
    dedupe_key=("date", "unit"),
)


@pytest.fixture
def sixth_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[TableSpec]:
    monkeypatch.setitem(TABLES, VISITS.name, VISITS)
    inventory._places.cache_clear()  # the table's folder names are read from TABLES once
    yield VISITS
    monkeypatch.undo()
    inventory._places.cache_clear()


def test_a_table_declared_in_the_contract_alone_is_created_ingested_counted_and_named(
    sixth_table: TableSpec, raw_dir: Path, tmp_path: Path
) -> None:
    (raw_dir / "2022" / "走访调研.csv").write_text(
        "日期,走访单位,走访户数\n2022-12-30,西湖街道,12\n2022-12-30,西湖街道,12\n2022-13-01,蒋村街道,3\n", encoding="utf-8")
    intake = take_in(raw_dir, 2022, sixth_table, load_program(raw_dir))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ensure_schema(conn)
        columns = conn.execute("select column_name, data_type from information_schema.columns "
                               "where table_name = 'visits' order by ordinal_position").fetchall()
        assert columns == [("year", "INTEGER"), ("file", "VARCHAR"), ("sheet", "VARCHAR"), ("row", "BIGINT"),
                           ("date", "DATE"), ("unit", "VARCHAR"), ("households", "BIGINT")]
        store_intake(conn, 2022, intake)
        stored = read_year(conn, "visits", 2022)
        assert stored.select("date", "unit", "households").rows() == [(dt.date(2022, 12, 30), "西湖街道", 12)]
        frames = quality_frames(conn, 2022)
        # its date is one of the year's inputs (the default as-of): later than every other table's
        assert latest_input_date(conn, 2022) == dt.date(2022, 12, 30)
    visits = frames["row_accounting"].filter(dataset="visits").to_dicts()
    assert visits == [{"dataset": "visits", "files": 1, "rows_read": 3, "counted": 1, "rejected": 1, "duplicates": 1,
                       "layout": 0}]
    named = {row["dataset"]: row["label"] for row in row_quality(frames)["datasets"]}
    assert named["visits"] == "走访调研"


def test_an_older_warehouse_gains_a_column_added_to_the_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ensure_schema(conn)
        conn.execute("insert into meetings (year, file, \"row\", date, name) values (2022, 'a.csv', 2, '2022-01-05', '会')")
        wider = TableSpec(**{**vars(TABLES["meetings"]), "columns": (*TABLES["meetings"].columns, Column("place", ("地点",), False))})
        monkeypatch.setitem(TABLES, "meetings", wider)
        ensure_schema(conn)
        assert conn.execute("select name, place from meetings").fetchall() == [("会", None)]
