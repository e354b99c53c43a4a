"""Year-to-date figures and the weekly/monthly series the report charts, all cut at the as-of
date: pure polars functions over a year's tables."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.contract import TABLES, TASK_STATUSES
from pipeline.metrics.sources import figure_values, sources


def resolve_as_of(year: int, requested: str, latest_input: dt.date | None) -> dt.date:
    """The as-of date: the one asked for, else the latest input date, never the clock."""
    if requested:
        try:
            as_of = dt.date.fromisoformat(requested)
        except ValueError:
            raise ValueError(f"截至日期（as_of）“{requested}”不是 YYYY-MM-DD 格式的日期") from None
        if as_of.year != year:
            raise ValueError(f"截至日期（as_of）{as_of} 不在报告年度 {year} 年内")
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


def tasks_as_of(tasks: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The task list as of `as_of`: the latest dated snapshot on or before it; without one, the
    undated list (which holds the current statuses)."""
    if "snapshot" not in tasks.columns:
        return tasks
    dated = tasks.filter(pl.col("snapshot") <= as_of)
    if dated.is_empty():
        return tasks.filter(pl.col("snapshot").is_null())
    return tasks.filter(pl.col("snapshot") == dated.get_column("snapshot").max())


def _latest_input_date(tables: dict[str, pl.DataFrame]) -> dt.date | None:
    dates = [t.get_column("date").max() for t in tables.values() if "date" in t.columns and not t.is_empty()]
    return max((d for d in dates if d is not None), default=None)


def task_statuses(tasks: pl.DataFrame, as_of: dt.date, latest_input: dt.date | None) -> dict[str, object]:
    """What the report says of the statuses' date: the snapshot's (ISO), or that they are the
    current ones although the report is as of an earlier date."""
    chosen = tasks_as_of(tasks, as_of)
    dates = chosen.get_column("snapshot").drop_nulls() if "snapshot" in chosen.columns else pl.Series([], dtype=pl.Date)
    snapshot = dates.max() if not dates.is_empty() else None
    return {
        "tasks_snapshot": snapshot.isoformat() if snapshot else None,
        "task_statuses_current": snapshot is None and latest_input is not None and as_of < latest_input,
    }


# Every key of figures.json (headline_figures' keys; a test keeps the two equal): what a
# report template may print as figures.<key>.
FIGURE_KEYS = (
    "year", "as_of", "dynamics_total", "info_total", "dynamics_by_area", "dynamics_units", "dynamics_rejected",
    "dynamics_duplicates", "media_articles_total", "media_by_level", "media_outlets", "media_rejected",
    "media_duplicates", "meetings_total", "key_tasks_total", "key_task_areas", "key_tasks_by_status",
    "reforms_total", "reform_areas", "reforms_by_status", "tasks_snapshot", "task_statuses_current",
    "landmarks_total", "achievements_by_kind", "rows_read", "rows_rejected", "rows_duplicate", "warnings_total",
    "unreadable_files", "skipped_files", "layout_rows", "sources",
)


def report_tables(tables: dict[str, pl.DataFrame], as_of: dt.date) -> dict[str, pl.DataFrame]:
    """The accepted rows as the report counts them: dated on or before the as-of date; tasks,
    the snapshot in force at the as-of date."""
    return {name: tasks_as_of(frame, as_of) if name == "tasks" else upto(frame, as_of) for name, frame in tables.items()}


def headline_figures(
    year: int,
    as_of: dt.date,
    tables: dict[str, pl.DataFrame],
    bookkeeping: dict[str, pl.DataFrame],
    media_levels: list[str],
) -> dict[str, object]:
    """Every figure the report states, as figures.json holds it, with `sources`: the rows
    behind each figure counted from rows (`pipeline.metrics.sources`)."""
    seen = report_tables(tables, as_of)
    dynamics, media, tasks, achievements = (seen[name] for name in ("dynamics", "media", "tasks", "achievements"))
    order = {"media_by_level": media_levels}
    key_tasks = tasks.filter(pl.col("kind") == "重点工作")
    reforms = tasks.filter(pl.col("kind") == "重大改革")
    rejects, duplicates = bookkeeping["rejects"], bookkeeping["duplicates"]
    files = bookkeeping["source_files"]
    skipped = pl.col("skipped").fill_null(False)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        **figure_values(seen, order),
        "sources": sources(seen, order),
        "dynamics_rejected": rejects.filter(pl.col("dataset") == "dynamics").height,
        "dynamics_duplicates": duplicates.filter(pl.col("dataset") == "dynamics").height,
        "dynamics_units": dynamics.get_column("unit").n_unique(),
        "media_outlets": media.get_column("outlet").n_unique(),
        "media_rejected": rejects.filter(pl.col("dataset") == "media").height,
        "media_duplicates": duplicates.filter(pl.col("dataset") == "media").height,
        "key_task_areas": key_tasks.get_column("area").n_unique(),
        "key_tasks_by_status": _counts(key_tasks, "status", list(TASK_STATUSES)),
        "reform_areas": reforms.get_column("area").n_unique(),
        "reforms_by_status": _counts(reforms, "status", list(TASK_STATUSES)),
        **task_statuses(tables["tasks"], as_of, _latest_input_date(tables)),
        "achievements_by_kind": _counts(achievements, "kind", list(TABLES["achievements"].column("kind").choices)),
        "rows_read": int(files.get_column("rows_read").sum()),
        "rows_rejected": rejects.height,
        "rows_duplicate": duplicates.height,
        "warnings_total": bookkeeping["warnings"].height,
        "unreadable_files": files.filter(pl.col("error").is_not_null() & ~skipped).height,
        "skipped_files": files.filter(skipped).height,
        "layout_rows": bookkeeping["layout_rows"].height,
    }
