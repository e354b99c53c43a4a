"""Group "ingest": each input table of a year's raw folder -> its warehouse table, with
rejects, duplicates, warnings and the file inventory beside it."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, TableSpec, load_program
from pipeline.freshness import INPUT_FINGERPRINT, ingest_fingerprint
from pipeline.intake import take_in
from pipeline.resources import WAREHOUSE_POOL, YEARS, ProjectPaths
from pipeline.sql import load_sql
from pipeline.warehouse import ensure_schema, replace_year

# Bump when the reading or checking rules change, so Dagster knows stored tables are stale.
INGEST_CODE_VERSION = "1"


def _ingest_asset(spec: TableSpec) -> dg.AssetsDefinition:
    @dg.asset(
        name=spec.name,
        group_name="ingest",
        partitions_def=YEARS,
        pool=WAREHOUSE_POOL,
        code_version=INGEST_CODE_VERSION,
        kinds={"duckdb", "polars"},
        description=f"{spec.chinese} ({spec.name}): the year's accepted, de-duplicated rows. "
        f"Rows equal on ({', '.join(spec.dedupe_key)}) after normalisation count once.",
    )
    def _asset(context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths) -> dg.MaterializeResult:
        year = int(context.partition_key)
        program = load_program(project.raw_path)
        intake = take_in(project.raw_path, year, spec, program)
        with duckdb.get_connection() as conn:
            ensure_schema(conn)
            conn.execute("begin transaction")
            replace_year(conn, spec.name, year, intake.counted)
            replace_year(conn, "source_files", year, intake.sources, dataset=spec.name)
            replace_year(conn, "rejects", year, intake.rejects, dataset=spec.name)
            replace_year(conn, "duplicates", year, intake.duplicates, dataset=spec.name)
            replace_year(conn, "warnings", year, intake.warnings, dataset=spec.name)
            conn.execute("commit")
        unreadable = intake.sources.filter(intake.sources["error"].is_not_null())
        for row in unreadable.iter_rows(named=True):
            context.log.warning(f"{row['file']}: unreadable, not counted: {row['error']}")
        inputs = ingest_fingerprint(spec, intake.sources.select("file", "sha256").rows(), program, duckdb.database)
        return dg.MaterializeResult(
            metadata={
                "files": len(intake.sources),
                "rows_read": intake.rows_read,
                "counted": intake.counted.height,
                "rejected": intake.rejects.height,
                "duplicates": intake.duplicates.height,
                "warnings": intake.warnings.height,
                "unreadable_files": dg.MetadataValue.md(
                    "\n".join(f"- `{f}`: {e}" for f, e in unreadable.select("file", "error").rows()) or "none"
                ),
                "preview": dg.MetadataValue.text(str(intake.counted.head(5))),
                INPUT_FINGERPRINT: inputs,
            },
            data_version=dg.DataVersion(inputs),
        )

    return _asset


def _conservation_check(spec: TableSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=spec.name,
        name="row_conservation",
        blocking=True,
        description="Every row read is counted, rejected or dropped as a duplicate: read = counted + rejected + duplicates.",
    )
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as conn:
            year_rows = conn.sql(
                load_sql("row_conservation").replace("{table}", spec.name), params={"dataset": spec.name}
            ).pl()
        broken = year_rows.filter(year_rows["rows_read"] != year_rows["accounted"])
        return dg.AssetCheckResult(
            passed=broken.is_empty(),
            metadata={
                "years": year_rows.height,
                "rows_read": int(year_rows["rows_read"].sum()),
                "accounted": int(year_rows["accounted"].sum()),
                "mismatched_years": str(broken["year"].to_list()),
            },
        )

    return _check


assets = [_ingest_asset(spec) for spec in TABLES.values()]
asset_checks = [_conservation_check(spec) for spec in TABLES.values()]
