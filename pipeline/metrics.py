"""Group "metrics": year-to-date figures and the weekly/monthly series the report charts,
all cut at the as-of date. Metric logic is in pure polars functions; assets read, call, write."""


import datetime as dt
import json
from collections.abc import Iterator

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, TASK_STATUSES, Program, load_program
from pipeline.freshness import INPUT_FINGERPRINT, fingerprint, period_fingerprint
from pipeline.quality import METRICS_CHECKS, as_of_result, figures_check_results, missing_unit_weeks, unit_gaps_result
from pipeline.resources import WAREHOUSE_POOL, YEARS, ProjectPaths
from pipeline.sql import load_sql
from pipeline.warehouse import BOOKKEEPING, read_year, replace_year

METRICS_CODE_VERSION = "2"


class PeriodConfig(dg.Config):
    """as_of: YYYY-MM-DD inside the report year; empty means the latest date found in the year's inputs."""

    as_of: str = ""


def resolve_as_of(year: int, requested: str, latest_input: dt.date | None) -> dt.date:
    """The as-of date: the one asked for, else the latest input date, never the clock."""
    if requested:
        try:
            as_of = dt.date.fromisoformat(requested)
        except ValueError:
            raise ValueError(f"as-of '{requested}' is not a date in the form YYYY-MM-DD") from None
        if as_of.year != year:
            raise ValueError(f"as-of {as_of} is outside the report year {year}")
        return as_of
    return latest_input or dt.date(year, 12, 31)


def upto(frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    return frame.filter(pl.col("date") <= as_of)


def weekly_dynamics(dynamics: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Items per ISO week (Monday), area and kind, with the running total per kind."""
    return (
        upto(dynamics, as_of)
        .group_by(pl.col("date").dt.truncate("1w").alias("week"), "area", "kind")
        .agg(pl.len().cast(pl.Int64).alias("items"))
        .sort("week", "area", "kind")
        .with_columns(pl.col("items").cum_sum().over("kind", order_by="week").alias("cumulative_kind"))
    )


def monthly_media(media: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Articles per month and outlet level."""
    return (
        upto(media, as_of)
        .group_by(pl.col("date").dt.month().cast(pl.Int32).alias("month"), "level")
        .agg(pl.col("count").sum().cast(pl.Int64).alias("articles"))
        .sort("month", "level")
    )


def _counts(frame: pl.DataFrame, by: str, order: list[str] | None = None) -> dict[str, int]:
    counted = dict(frame.group_by(by).agg(pl.len()).sort(by).iter_rows())
    keys = order if order is not None else sorted(counted)
    return {k: int(counted.get(k, 0)) for k in keys}


def headline_figures(
    year: int,
    as_of: dt.date,
    tables: dict[str, pl.DataFrame],
    bookkeeping: dict[str, pl.DataFrame],
    media_levels: list[str],
) -> dict[str, object]:
    """Every figure the report states, as figures.json holds it."""
    dynamics = upto(tables["dynamics"], as_of)
    media = upto(tables["media"], as_of)
    tasks = tables["tasks"]
    achievements = upto(tables["achievements"], as_of)
    key_tasks = tasks.filter(pl.col("kind") == "重点工作")
    reforms = tasks.filter(pl.col("kind") == "重大改革")
    rejects, duplicates = bookkeeping["rejects"], bookkeeping["duplicates"]
    by_level = media.group_by("level").agg(pl.col("count").sum())
    level_sum = dict(by_level.iter_rows())
    sources = bookkeeping["source_files"]
    skipped = pl.col("skipped").fill_null(False)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "dynamics_total": dynamics.filter(pl.col("kind") == "动态").height,
        "info_total": dynamics.filter(pl.col("kind") == "信息").height,
        "dynamics_rejected": rejects.filter(pl.col("dataset") == "dynamics").height,
        "dynamics_duplicates": duplicates.filter(pl.col("dataset") == "dynamics").height,
        "dynamics_by_area": _counts(dynamics.filter(pl.col("kind") == "动态"), "area"),
        "dynamics_units": dynamics.get_column("unit").n_unique(),
        "media_articles_total": int(media.get_column("count").sum()),
        "media_by_level": {level: int(level_sum.get(level) or 0) for level in media_levels},
        "media_outlets": media.get_column("outlet").n_unique(),
        "media_rejected": rejects.filter(pl.col("dataset") == "media").height,
        "media_duplicates": duplicates.filter(pl.col("dataset") == "media").height,
        "meetings_total": upto(tables["meetings"], as_of).height,
        "key_tasks_total": key_tasks.height,
        "key_task_areas": key_tasks.get_column("area").n_unique(),
        "key_tasks_by_status": _counts(key_tasks, "status", list(TASK_STATUSES)),
        "reforms_total": reforms.height,
        "reform_areas": reforms.get_column("area").n_unique(),
        "reforms_by_status": _counts(reforms, "status", list(TASK_STATUSES)),
        "landmarks_total": achievements.filter(pl.col("kind") == "标志性成果").height,
        "achievements_by_kind": _counts(achievements, "kind", ["标志性成果", "试点", "最佳实践", "课题", "荣誉"]),
        "rows_read": int(sources.get_column("rows_read").sum()),
        "rows_rejected": rejects.height,
        "rows_duplicate": duplicates.height,
        "warnings_total": bookkeeping["warnings"].height,
        "unreadable_files": sources.filter(pl.col("error").is_not_null() & ~skipped).height,
        "skipped_files": sources.filter(skipped).height,
        "layout_rows": bookkeeping["layout_rows"].height,
    }


def _spec(name: str, deps: list[str], description: str) -> dg.AssetSpec:
    return dg.AssetSpec(name, group_name="metrics", code_version=METRICS_CODE_VERSION, deps=deps,
                        kinds={"duckdb", "polars"}, description=description, skippable=True)


_TABLE_NAMES = list(TABLES)
SPECS = [
    _spec("report_period", _TABLE_NAMES,
          "The report's year and as-of date (config `as_of`, default: the latest input date of the year)."),
    _spec("dynamics_weekly", ["report_period", "dynamics"],
          "Work dynamics and information pieces per week and area, up to the as-of date."),
    _spec("media_monthly", ["report_period", "media"], "Media articles per month and outlet level, up to the as-of date."),
    _spec("figures", ["report_period", *_TABLE_NAMES],
          "Every figure the report states (figures.json), computed from the warehouse at the as-of date."),
]


@dg.multi_asset(
    name="year_metrics",
    specs=SPECS,
    check_specs=METRICS_CHECKS,
    partitions_def=YEARS,
    pool=WAREHOUSE_POOL,
    can_subset=True,
)
def year_metrics(  # noqa: ANN201 - yields results
    context: dg.AssetExecutionContext, config: PeriodConfig, duckdb: DuckDBResource, project: ProjectPaths
):
    """The year's metric tables in one step, so a build pays Dagster's step overhead once."""
    year = int(context.partition_key)
    selected = {key.path[-1] for key in context.selected_asset_keys}
    with duckdb.get_connection() as conn:
        if "report_period" in selected:
            yield from _report_period(conn, year, config.as_of)
        as_of = _read_period(conn, year)
        if "dynamics_weekly" in selected:
            yield from _dynamics_weekly(conn, year, as_of)
        if "media_monthly" in selected:
            monthly = monthly_media(read_year(conn, "media", year), as_of)
            replace_year(conn, "media_monthly", year, monthly)
            yield dg.MaterializeResult(
                asset_key="media_monthly", metadata={"rows": monthly.height, "articles": int(monthly["articles"].sum())}
            )
        if "figures" in selected:
            yield from _figures(conn, year, as_of, load_program(project.raw_path))


def _read_period(conn, year: int) -> dt.date:  # noqa: ANN001 - a DuckDB connection
    return conn.execute("select as_of from report_period where year = $year", {"year": year}).fetchall()[0][0]


def _report_period(conn, year: int, requested: str) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    latest = conn.execute(load_sql("latest_input_date"), {"year": year}).fetchall()[0][0]
    try:
        as_of = resolve_as_of(year, requested, latest)
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from None
    replace_year(conn, "report_period", year, pl.DataFrame({"as_of": [as_of]}))
    yield dg.MaterializeResult(
        asset_key="report_period",
        metadata={"year": year, "as_of": as_of.isoformat(), INPUT_FINGERPRINT: period_fingerprint(requested)},
        data_version=dg.DataVersion(as_of.isoformat()),
        check_results=[as_of_result(year, as_of)],
    )


def _dynamics_weekly(conn, year: int, as_of: dt.date) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    dynamics = read_year(conn, "dynamics", year)
    weekly = weekly_dynamics(dynamics, as_of)
    replace_year(conn, "dynamics_weekly", year, weekly)
    yield dg.MaterializeResult(
        asset_key="dynamics_weekly",
        metadata={"rows": weekly.height, "weeks": weekly["week"].n_unique()},
        check_results=[unit_gaps_result(missing_unit_weeks(dynamics, as_of))],
    )


def _figures(conn, year: int, as_of: dt.date, program: Program) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    tables = {name: read_year(conn, name, year) for name in TABLES}
    bookkeeping = {name: read_year(conn, name, year) for name in BOOKKEEPING}
    values = headline_figures(year, as_of, tables, bookkeeping, list(program.media_levels))
    stored = pl.DataFrame({"key": list(values), "value": [json.dumps(v, ensure_ascii=False) for v in values.values()]})
    replace_year(conn, "figures", year, stored)
    yield dg.MaterializeResult(
        asset_key="figures",
        metadata={k: v for k, v in values.items() if isinstance(v, int | str)},
        data_version=dg.DataVersion(fingerprint(values)),
        check_results=figures_check_results(conn, year, tables["dynamics"], tables["tasks"], program),
    )


assets = [year_metrics]
