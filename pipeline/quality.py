"""Asset checks on the metrics: the blocking ones gate the report, the others warn.

The report's data-quality appendix lists the same findings (`missing_unit_weeks`).
"""

import datetime as dt
import json
from collections.abc import Iterator

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import Program, load_program
from pipeline.resources import ProjectPaths
from pipeline.sql import load_sql
from pipeline.warehouse import read_year

AS_OF_INSIDE_YEAR = "as_of_inside_year"
UNITS_REPORTING_WEEKLY = "units_reporting_weekly"
FIGURES_MATCH_WAREHOUSE = "figures_match_warehouse"
AREAS_WITHIN_PROGRAM = "areas_within_program"

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


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            FIGURES_MATCH_WAREHOUSE,
            asset="figures",
            blocking=True,
            description="figures.json agrees with a direct count in the warehouse (dynamics, information, media, meetings, tasks).",
        ),
        dg.AssetCheckSpec(
            AREAS_WITHIN_PROGRAM,
            asset="figures",
            blocking=True,
            description="Every area counted is one of the program's areas (dynamics, key tasks) or reform areas (reforms).",
        ),
    ],
    name="figures_checks",
)
def figures_checks(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, project: ProjectPaths
) -> Iterator[dg.AssetCheckResult]:
    """Both blocking checks of the figures, in one step."""
    year = int(context.partition_key)
    program = load_program(project.raw_path)
    with duckdb.get_connection() as conn:
        stated = {k: json.loads(v) for k, v in conn.execute(load_sql("figures_of_year"), {"year": year}).fetchall()}
        recount = conn.sql(load_sql("figures_recount"), params={"year": year}).pl().row(0, named=True)
        dynamics = read_year(conn, "dynamics", year)
        tasks = read_year(conn, "tasks", year)
    differing = {k: (stated.get(k), v) for k, v in recount.items() if stated.get(k) != v}
    yield dg.AssetCheckResult(
        check_name=FIGURES_MATCH_WAREHOUSE,
        passed=not differing,
        metadata={"compared": len(recount), "differing (stated, recount)": json.dumps(differing, ensure_ascii=False)},
    )
    strays = stray_areas(dynamics, tasks, program)
    yield dg.AssetCheckResult(
        check_name=AREAS_WITHIN_PROGRAM, passed=not strays, metadata={"areas outside the program": ", ".join(strays) or "none"}
    )


def stray_areas(dynamics: pl.DataFrame, tasks: pl.DataFrame, program: Program) -> list[str]:
    """Areas in the counted rows that the program does not list (for tasks, by kind)."""
    allowed = pl.when(pl.col("kind") == "重大改革").then(pl.lit(list(program.reform_areas))).otherwise(
        pl.lit(list(program.areas))
    )
    found = pl.concat(
        [
            dynamics.filter(~pl.col("area").is_in(list(program.areas))).select("area"),
            tasks.filter(~pl.col("area").is_in(allowed)).select("area"),
        ]
    )
    return found["area"].unique().sort().to_list()


def unit_gaps_result(gaps: pl.DataFrame) -> dg.AssetCheckResult:
    """The non-blocking warning about usually-reporting units that missed a week."""
    listing = "\n".join(f"- {unit}: week of {week}" for unit, week in gaps.head(50).rows())
    return dg.AssetCheckResult(
        check_name=UNITS_REPORTING_WEEKLY,
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing unit-weeks": gaps.height, "first 50": dg.MetadataValue.md(listing or "none")},
    )


def as_of_result(year: int, as_of: dt.date) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(check_name=AS_OF_INSIDE_YEAR, passed=as_of.year == year, metadata={"as_of": str(as_of)})


asset_checks = [figures_checks]
