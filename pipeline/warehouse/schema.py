"""The warehouse's tables: the bookkeeping and metrics tables of sql/schema.sql, and one table per
input table of the contract, its DDL made from the contract's columns (so a table or column
added to `contract.TABLES` is a table or column of the warehouse, old warehouses included)."""

from __future__ import annotations

import hashlib

import duckdb

from pipeline.contract import TABLES, TableSpec
from pipeline.sql import load_sql

# the bookkeeping tables that name a row's file and sheet, as the input tables do
_SHEETED = ("source_files", "rejects", "duplicates", "layout_rows", "nil_reports", "warnings")
# every input table's rows carry their year and place before the contract's columns
_PLACE = (("year", "integer"), ("file", "varchar"), ("sheet", "varchar"), ("row", "bigint"))
_TYPES = {"date": "date", "count": "bigint"}


def column_types(spec: TableSpec) -> list[tuple[str, str]]:
    """An input table's warehouse columns and their DuckDB types: date -> date, count -> bigint, else varchar."""
    return [*_PLACE, *((c.name, _TYPES.get(c.rule, "varchar")) for c in spec.columns)]


def input_table_ddl(spec: TableSpec) -> str:
    """Create the table, and add any column a warehouse made before the column existed lacks.
    The names are the contract's own (our code), never an input file's."""
    columns = column_types(spec)
    listed = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    added = "".join(f'alter table {spec.name} add column if not exists "{name}" {kind};\n' for name, kind in columns)
    return f"create table if not exists {spec.name} ({listed});\n{added}"


def schema_sql() -> str:
    """Every statement that makes a warehouse current, in order (the sheet split before its marker)."""
    split = load_sql("split_sheet")
    return "\n".join([
        load_sql("schema"),
        *(input_table_ddl(spec) for spec in TABLES.values()),
        *(split.replace("{table}", name) for name in (*_SHEETED, *TABLES)),
        load_sql("schema_migrated"),
    ])


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Make the warehouse current, once per version of these statements: the warehouse records
    the version it was brought to in schema_migrations, and a store into a current warehouse
    (every table of a build but its first) pays one lookup instead of every statement."""
    statements = schema_sql()  # from the contract as it is now: a table or column added since is a new version
    version = "schema " + hashlib.sha256(statements.encode("utf-8")).hexdigest()[:16]
    try:
        if conn.execute("select 1 from schema_migrations where name = $name", {"name": version}).fetchall():
            return
    except duckdb.CatalogException:
        pass  # a new warehouse, or one made before schema_migrations existed
    conn.execute(statements)
    conn.execute("insert into schema_migrations (name) values ($name)", {"name": version})
