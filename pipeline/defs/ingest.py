"""Group "ingest": each input table of a year's raw folder -> its warehouse table, with
rejects, duplicates, warnings and the file inventory beside it."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, TableSpec, load_program
from pipeline.defs.partitions import YEARS
from pipeline.defs.raw import RAW_FOLDER, REBUILD
from pipeline.defs.resources import WAREHOUSE_POOL, ProjectPaths
from pipeline.defs.staleness import INPUT_FINGERPRINT, ingest_fingerprint
from pipeline.intake.inventory import current_files
from pipeline.intake.tables import TableIntake, other_files, take_in
from pipeline.warehouse.sql import load_sql
from pipeline.warehouse.store import store_intake, store_other_files

# Bump when the reading or checking rules change, so Dagster knows stored tables are stale.
INGEST_CODE_VERSION = "2"
ROW_CONSERVATION = "row_conservation"


def _spec(table: TableSpec) -> dg.AssetSpec:
    return dg.AssetSpec(
        table.name,
        group_name="ingest",
        code_version=INGEST_CODE_VERSION,
        kinds={"duckdb", "polars"},
        skippable=True,
        deps=[RAW_FOLDER],
        automation_condition=REBUILD,
        description=f"{table.chinese} ({table.name}): the year's accepted, de-duplicated rows. "
        f"Rows equal on ({', '.join(table.dedupe_key)}) after normalisation count once.",
    )


def _check_spec(table: TableSpec) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        ROW_CONSERVATION,
        asset=table.name,
        blocking=True,
        description="Every row read is counted, rejected, dropped as a duplicate or a layout row: "
        "read = counted + rejected + duplicates + layout.",
    )


@dg.multi_asset(
    name="ingest_tables",
    specs=[_spec(table) for table in TABLES.values()],
    check_specs=[_check_spec(table) for table in TABLES.values()],
    partitions_def=YEARS,
    pool=WAREHOUSE_POOL,
    can_subset=True,
)
def ingest_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths):  # noqa: ANN201 - yields results
    """One step ingests every selected table, so a year's ingest pays Dagster's step overhead once."""
    year = int(context.partition_key)
    program = load_program(project.raw_path)
    keys = sorted(context.selected_asset_keys, key=lambda k: list(TABLES).index(k.path[-1]))
    with duckdb.get_connection() as conn:
        # files of no table are listed by every ingest (their names are in each one's fingerprint)
        store_other_files(conn, year, other_files(project.raw_path, year))
        for key in keys:
            table = TABLES[key.path[-1]]
            intake = take_in(project.raw_path, year, table, program)
            store_intake(conn, year, intake)
            rows_read, accounted = conn.execute(
                load_sql("row_conservation").replace("{table}", table.name), {"dataset": table.name, "year": year}
            ).fetchall()[0]
            for file, error in intake.unusable.select("file", "error").rows():
                context.log.warning(f"{file}: 无法读取，未计入：{error}")
            files = current_files(project.raw_path, year, table)
            yield _materialization(key, intake, ingest_fingerprint(table, files, program, duckdb.database))
            if dg.AssetCheckKey(key, ROW_CONSERVATION) in context.selected_asset_check_keys:
                yield dg.AssetCheckResult(
                    asset_key=key,
                    check_name=ROW_CONSERVATION,
                    passed=rows_read == accounted,
                    metadata={"rows_read": rows_read, "counted + rejected + duplicates": accounted},
                )


def _materialization(key: dg.AssetKey, intake: TableIntake, inputs: str) -> dg.MaterializeResult:
    unreadable = intake.sources.filter(intake.sources["error"].is_not_null())
    return dg.MaterializeResult(
        asset_key=key,
        metadata={
            "files": len(intake.sources),
            "rows_read": intake.rows_read,
            "counted": intake.counted.height,
            "rejected": intake.rejects.height,
            "duplicates": intake.duplicates.height,
            "layout_rows": intake.layout.height,
            "warnings": intake.warnings.height,
            "files_not_used": dg.MetadataValue.md(
                "\n".join(f"- `{f}`: {e}" for f, e in unreadable.select("file", "error").rows()) or "none"
            ),
            "preview": dg.MetadataValue.text(str(intake.counted.head(5))),
            INPUT_FINGERPRINT: inputs,
        },
        data_version=dg.DataVersion(inputs),
    )


assets = [ingest_tables]
