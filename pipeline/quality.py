"""Asset checks on the metrics: the blocking ones gate the report, the others warn.

The report's data-quality appendix lists the same findings (`missing_unit_weeks`).
"""

import datetime as dt
import json

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import load_program
from pipeline.resources import ProjectPaths
from pipeline.sql import load_sql
from pipeline.warehouse import read_year

# A unit "usually reports" when it reported in at least this share of the weeks that had submissions.
USUAL_SHARE = 0.5


def missing_unit_weeks(dynamics: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Weeks (with submissions from others) in which a usually-reporting unit sent nothing."""
    reported = (
        dynamics.filter(pl.col("date") <= as_of)
        .select("unit", pl.col("date").dt.truncate("1w").alias("week"))
        .unique()
    )
    weeks = reported.select("week").unique()
    if weeks.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "week": pl.Date})
    usual = reported.group_by("unit").agg(pl.len().alias("weeks")).filter(pl.col("weeks") >= USUAL_SHARE * weeks.height)
    return usual.select("unit").join(weeks, how="cross").join(reported, on=["unit", "week"], how="anti").sort("unit", "week")


def _year(context: dg.AssetCheckExecutionContext) -> int:
    return int(context.partition_key)


@dg.asset_check(asset="report_period", blocking=True, description="The as-of date lies inside the report year.")
def as_of_inside_year(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
    year = _year(context)
    with duckdb.get_connection() as conn:
        rows = conn.execute("select as_of from report_period where year = $year", {"year": year}).fetchall()
    as_of = rows[0][0] if rows else None
    return dg.AssetCheckResult(passed=as_of is not None and as_of.year == year, metadata={"as_of": str(as_of)})


@dg.asset_check(
    asset="figures",
    blocking=True,
    description="figures.json agrees with a direct count in the warehouse (dynamics, information, media, meetings, tasks).",
)
def figures_match_warehouse(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
    year = _year(context)
    with duckdb.get_connection() as conn:
        stated = {k: json.loads(v) for k, v in conn.execute(load_sql("figures_of_year"), {"year": year}).fetchall()}
        recount = conn.sql(load_sql("figures_recount"), params={"year": year}).pl().row(0, named=True)
    differing = {k: (stated.get(k), v) for k, v in recount.items() if stated.get(k) != v}
    return dg.AssetCheckResult(
        passed=not differing,
        metadata={"compared": len(recount), "differing (stated, recount)": json.dumps(differing, ensure_ascii=False)},
    )


@dg.asset_check(
    asset="figures",
    blocking=True,
    description="Every area counted is one of the program's areas (dynamics, key tasks) or reform areas (reforms).",
)
def areas_within_program(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, project: ProjectPaths
) -> dg.AssetCheckResult:
    year = _year(context)
    program = load_program(project.raw_path)
    with duckdb.get_connection() as conn:
        dynamics = read_year(conn, "dynamics", year)
        tasks = read_year(conn, "tasks", year)
    allowed = pl.when(pl.col("kind") == "重大改革").then(pl.lit(list(program.reform_areas))).otherwise(
        pl.lit(list(program.areas))
    )
    strays = pl.concat(
        [
            dynamics.filter(~pl.col("area").is_in(list(program.areas))).select("area"),
            tasks.filter(~pl.col("area").is_in(allowed)).select("area"),
        ]
    )["area"].unique().sort().to_list()
    return dg.AssetCheckResult(passed=not strays, metadata={"areas outside the program": ", ".join(strays) or "none"})


@dg.asset_check(
    asset="dynamics_weekly",
    blocking=False,
    description="Warns about weeks in which a unit that usually reports sent no work dynamic.",
)
def units_reporting_weekly(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
    year = _year(context)
    with duckdb.get_connection() as conn:
        as_of = conn.execute("select as_of from report_period where year = $year", {"year": year}).fetchall()[0][0]
        gaps = missing_unit_weeks(read_year(conn, "dynamics", year), as_of)
    listing = "\n".join(f"- {unit}: week of {week}" for unit, week in gaps.head(50).rows())
    return dg.AssetCheckResult(
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing unit-weeks": gaps.height, "first 50": dg.MetadataValue.md(listing or "none")},
    )


asset_checks = [as_of_inside_year, figures_match_warehouse, areas_within_program, units_reporting_weekly]
