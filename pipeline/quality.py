"""The checks of the metrics (run inside the year_metrics step): the blocking ones gate the
report, the others warn.

The report's data-quality appendix lists the same findings (`missing_unit_weeks`).
"""

import datetime as dt
import json

import dagster as dg
import polars as pl

from pipeline.contract import Program
from pipeline.sql import load_sql

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


METRICS_CHECKS = [
    dg.AssetCheckSpec(AS_OF_INSIDE_YEAR, asset="report_period", blocking=True,
                      description="The as-of date lies inside the report year."),
    dg.AssetCheckSpec(UNITS_REPORTING_WEEKLY, asset="dynamics_weekly", blocking=False,
                      description="Warns about weeks in which a unit that usually reports sent no work dynamic."),
    dg.AssetCheckSpec(FIGURES_MATCH_WAREHOUSE, asset="figures", blocking=True,
                      description="figures.json agrees with a direct count in the warehouse "
                      "(dynamics, information, media, meetings, tasks)."),
    dg.AssetCheckSpec(AREAS_WITHIN_PROGRAM, asset="figures", blocking=True,
                      description="Every area counted is one of the program's areas (dynamics, key tasks) "
                      "or reform areas (reforms)."),
]


def figures_check_results(
    conn, year: int, dynamics: pl.DataFrame, tasks: pl.DataFrame, program: Program  # noqa: ANN001
) -> list[dg.AssetCheckResult]:
    """The figures' blocking checks: they agree with a recount, and every area is the program's."""
    stated = {k: json.loads(v) for k, v in conn.execute(load_sql("figures_of_year"), {"year": year}).fetchall()}
    recount = conn.sql(load_sql("figures_recount"), params={"year": year}).pl().row(0, named=True)
    differing = {k: (stated.get(k), v) for k, v in recount.items() if stated.get(k) != v}
    strays = stray_areas(dynamics, tasks, program)
    return [
        dg.AssetCheckResult(
            asset_key="figures",
            check_name=FIGURES_MATCH_WAREHOUSE,
            passed=not differing,
            metadata={"compared": len(recount), "differing (stated, recount)": json.dumps(differing, ensure_ascii=False)},
        ),
        dg.AssetCheckResult(
            asset_key="figures",
            check_name=AREAS_WITHIN_PROGRAM,
            passed=not strays,
            metadata={"areas outside the program": ", ".join(strays) or "none"},
        ),
    ]


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
        asset_key="dynamics_weekly",
        check_name=UNITS_REPORTING_WEEKLY,
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing unit-weeks": gaps.height, "first 50": dg.MetadataValue.md(listing or "none")},
    )


def as_of_result(year: int, as_of: dt.date) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key="report_period", check_name=AS_OF_INSIDE_YEAR, passed=as_of.year == year, metadata={"as_of": str(as_of)}
    )


