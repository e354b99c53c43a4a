"""Group "ingest": each input table of a year's raw folder -> its warehouse table, with
rejects, duplicates, warnings and the file inventory beside it."""

import logging
from collections.abc import Iterable
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, Program, TableSpec
from pipeline.defs import versions
from pipeline.defs.raw import RAW_FOLDER, REBUILD
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.scope import DISTRICT, SINGLE, Graph, Scope, scope_of
from pipeline.defs.currency import INPUT_FINGERPRINT, ingest_fingerprint
from pipeline.intake.inventory import current_files
from pipeline.intake.tables import TableIntake, other_files, take_in
from pipeline.terminal import escaped
from pipeline.sql import load_sql
from pipeline.warehouse.store import store_intake, store_other_files

INGEST_CODE_VERSION = versions.INGEST
ROW_CONSERVATION = "row_conservation"


def _spec(graph: Graph, table: TableSpec) -> dg.AssetSpec:
    return dg.AssetSpec(
        graph.key(table.name),
        group_name=graph.group("ingest"),
        code_version=INGEST_CODE_VERSION,
        kinds={"duckdb", "polars"},
        skippable=True,
        deps=[graph.key(RAW_FOLDER.path[-1])],
        automation_condition=REBUILD,
        description=f"{table.chinese} ({table.name}): the year's accepted, de-duplicated rows. "
        f"Rows equal on ({', '.join(table.dedupe_key)}) after normalisation count once.",
    )


def _check_spec(graph: Graph, table: TableSpec) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        ROW_CONSERVATION,
        asset=graph.key(table.name),
        blocking=True,
        description="Every row read is counted, rejected, dropped as a duplicate or a layout row: "
        "read = counted + rejected + duplicates + layout.",
    )


def ingest_assets(graph: Graph) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=graph.op_name("ingest_tables"),
        specs=[_spec(graph, table) for table in TABLES.values()],
        check_specs=[_check_spec(graph, table) for table in TABLES.values()],
        partitions_def=graph.partitions_def,
        pool=graph.pool,
        can_subset=True,
    )
    def ingest_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths):  # noqa: ANN201 - yields results
        """One step ingests every selected table, so a year's ingest pays Dagster's step overhead once."""
        scope = scope_of(context.partition_key, project, duckdb.database)
        yield from ingest_results(context.log, scope, context.selected_asset_keys, context.selected_asset_check_keys,
                                  duckdb, project)

    return ingest_tables


def ingest_results(  # noqa: ANN201 - yields results
    log: logging.Logger, scope: Scope, selected: Iterable[dg.AssetKey], checks: Iterable[dg.AssetCheckKey],
    duckdb: DuckDBResource, project: ProjectPaths,
):
    """The ingest step's body for one partition: the selected tables and their checks' results
    (the district assets' step and a province run's batch step both run it)."""
    if not (scope.raw_path / str(scope.year)).is_dir():
        # a raw folder set wrongly (PIPELINE_RAW_DIR) must not replace the year with nothing
        raise dg.Failure(description=f"原始数据文件夹 {scope.raw_path} 中没有 {scope.year} 年的文件夹"
                         f"（原始数据文件夹：{project.raw_dir}，见 PIPELINE_RAW_DIR）")
    yield from _ingest(log, selected, set(checks), scope.raw_path, scope.year, scope.program(), scope.warehouse(duckdb))


def _ingest(  # noqa: ANN202 - yields results
    log: logging.Logger, selected: Iterable[dg.AssetKey], checks: set[dg.AssetCheckKey], raw: Path, year: int,
    program: Program, duckdb: DuckDBResource,
):
    keys = sorted(selected, key=lambda k: list(TABLES).index(k.path[-1]))
    with duckdb.get_connection() as conn:
        # files of no table are listed by every ingest (their names are in each one's fingerprint)
        store_other_files(conn, year, other_files(raw, year))
        for key in keys:
            table = TABLES[key.path[-1]]
            intake = take_in(raw, year, table, program)
            store_intake(conn, year, intake)
            rows_read, accounted = conn.execute(
                load_sql("row_conservation").replace("{table}", table.name), {"dataset": table.name, "year": year}
            ).fetchall()[0]
            for file, error in intake.unusable.select("file", "error").rows():
                log.warning(escaped(f"{file}: 无法读取，未计入：{error}"))
            files = current_files(raw, year, table)
            yield _materialization(key, intake, ingest_fingerprint(table, files, program, duckdb.database))
            if dg.AssetCheckKey(key, ROW_CONSERVATION) in checks:
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


ingest_tables = ingest_assets(SINGLE)
assets = [ingest_tables]
district_assets = [ingest_assets(DISTRICT)]
