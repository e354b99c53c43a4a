"""Data-quality findings over a year's tables: units that usually report but missed a week,
areas the programme does not list. The checks (`defs/checks.py`) and the report's appendix
both state them."""

import datetime as dt

import polars as pl

from pipeline.contract import Program

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
