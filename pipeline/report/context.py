"""What the report template is filled with: a pure function from the year's figures and
tables to plain values (pipeline/report/template.py fills it in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from pipeline.contract import TABLES, TASK_STATUSES, Program
from pipeline.report.appendix import HTML_ROWS_SHOWN, figure_sources
from pipeline.report.wording import (
    chinese_date,
    chinese_month_day,
    district_name,
    district_short,
    zh_punctuation,
)

UNIT_GAPS_SHOWN = 20
# The data-quality appendix lists this many rows of each kind (rejected, layout, ...).
QUALITY_ROWS_SHOWN = 50
# The table of themes lists the leading ones; the others are summed in one line.
THEMES_LISTED = 20
# What a report template may print (build_context's keys; a test keeps the two equal).
CONTEXT_KEYS = frozenset({
    "program_name", "district", "district_short", "seat", "year", "as_of_zh", "as_of_md", "tasks_md", "figures",
    "figure_sources", "meetings", "meeting_kinds", "dynamics_by_area", "media_levels", "media_themes", "key_tasks",
    "reforms", "landmarks", "recognitions", "quality", "charts", "html_rows_shown",
    "media_themes_count", "media_themes_rest",
})
ASSET_LABELS = {"report_period": "报告期", "dynamics_weekly": "周度动态", "media_monthly": "月度稿件", "figures": "报告数字"}
CHECK_LABELS = {
    "row_conservation": "行数守恒（读取 = 计入 + 退回 + 重复）",
    "as_of_inside_year": "截止日期在报告年度内",
    "figures_match_warehouse": "报告数字与明细数据一致",
    "sources_add_up": "各数字与其来源数据行相符",
    "areas_within_program": "领域均在方案口径内",
    "units_reporting_weekly": "经常报送单位逐周报送",
}
# every kind of achievement but the landmark results, which the report lists by area
RECOGNITION_KINDS = tuple(k for k in TABLES["achievements"].column("kind").choices if k != "标志性成果")


def _names(frame: pl.DataFrame) -> list[str]:
    """Names in the order the office listed them (file, then row), with Chinese punctuation."""
    return [zh_punctuation(n) for n in frame.sort("file", "row").get_column("name").to_list()]


def _by_area(frame: pl.DataFrame, areas: tuple[str, ...]) -> list[dict[str, Any]]:
    """Per area: totals by status and the names of completed items."""
    present = frame.get_column("area").unique().to_list()
    rows = []
    for area in [*areas, *sorted(set(present) - set(areas))]:
        items = frame.filter(pl.col("area") == area)
        counts = {s: items.filter(pl.col("status") == s).height for s in TASK_STATUSES}
        done = _names(items.filter(pl.col("status") == "已完成"))
        rows.append({"area": area, "total": items.height, "done_names": done} | counts)
    return rows


def grouped_in_order(frame: pl.DataFrame, column: str, missing: str) -> list[dict[str, Any]]:
    """Rows grouped by `column`, groups in order of first appearance; nulls as `missing`."""
    ordered = frame.sort("file", "row").with_columns(pl.col(column).fill_null(missing))
    groups: dict[str, list[str]] = {}
    for key, name in ordered.select(column, "name").iter_rows():
        groups.setdefault(key, []).append(zh_punctuation(name))
    return [{"key": key, "names": names} for key, names in groups.items()]


def _recognitions(achievements: pl.DataFrame) -> list[dict[str, Any]]:
    """Pilots, best practices, topics and honours: per kind, names grouped by level."""
    result = []
    for kind in RECOGNITION_KINDS:
        items = achievements.filter(pl.col("kind") == kind)
        if items.is_empty():
            continue
        levels = [
            {"level": level, "names": _names(items.filter(pl.col("level") == level))}
            for level in TABLES["achievements"].column("level").choices
            if not items.filter(pl.col("level") == level).is_empty()
        ]
        result.append({"kind": kind, "levels": levels, "names": _names(items)})
    return result


def _dynamics_by_area(weekly: pl.DataFrame, areas: tuple[str, ...]) -> list[dict[str, Any]]:
    sums = dict(((a, k), int(n)) for a, k, n in weekly.group_by("area", "kind").agg(pl.col("items").sum()).iter_rows())
    listed = [*areas, *sorted(set(weekly.get_column("area").to_list()) - set(areas))]
    return [{"area": a, "dynamics": sums.get((a, "动态"), 0), "info": sums.get((a, "信息"), 0)} for a in listed]


def quality(frames: Mapping[str, pl.DataFrame]) -> dict[str, Any]:
    """The data-quality appendix: where every row went, the checks, the units that missed a week."""
    return row_quality(frames) | {
        "checks": _checks(frames["checks"]),
        "unit_gaps": [
            {"unit": zh_punctuation(unit), "week": chinese_date(week)}
            for unit, week in frames["unit_gaps"].sort("unit", "week").head(UNIT_GAPS_SHOWN).iter_rows()
        ],
        "unit_gaps_total": frames["unit_gaps"].height,
    }


def row_quality(frames: Mapping[str, pl.DataFrame]) -> dict[str, Any]:
    """Where every row and file went: read = counted + rejected + duplicates + layout rows, and
    the rows and files not counted (from row_accounting, source_files, rejects, layout_rows, warnings)."""
    accounting = frames["row_accounting"]
    order = {name: i for i, name in enumerate(TABLES)}
    datasets = sorted(accounting.to_dicts(), key=lambda r: order.get(r["dataset"], len(order)))
    for row in datasets:
        row["label"] = TABLES[row["dataset"]].chinese if row["dataset"] in TABLES else row["dataset"]
    parts = ("files", "rows_read", "counted", "rejected", "duplicates", "layout")
    totals = {k: sum(int(r[k]) for r in datasets) for k in parts}
    sources = frames["source_files"].filter(pl.col("error").is_not_null()).sort("file")
    skipped = pl.col("skipped").fill_null(False)
    lists = {
        "rejects": frames["rejects"].sort("file", "row").select("file", "row", "reason"),
        "unreadable": sources.filter(~skipped).select("file", "error"),
        "skipped": sources.filter(skipped).select("file", "error"),
        "layout": frames["layout_rows"].sort("file", "row").select("file", "row", "kind", "text"),
        "warnings": frames["warnings"].sort("file", "row").select("file", "row", "reason"),
    }
    return {
        "datasets": datasets,
        "totals": totals,
        "conserved": totals["rows_read"] == sum(totals[k] for k in ("counted", "rejected", "duplicates", "layout")),
        # each list bounded (`check` prints every line); `counts` says how long it is
        "counts": {name: frame.height for name, frame in lists.items()},
        **{name: frame.head(QUALITY_ROWS_SHOWN).to_dicts() for name, frame in lists.items()},
    }


def _checks(checks: pl.DataFrame) -> list[dict[str, str]]:
    """One line per check: what it verifies, whether it blocks the report, and its result."""
    rows = []
    for name, group in checks.group_by("name", maintain_order=True):
        results = group["passed"].to_list()
        blocking = bool(group["blocking"].any())
        if None in results:
            result = "未运行"
        elif all(results):
            result = "通过"
        else:
            result = "未通过" if blocking else "有提示"
        scope = "、".join(TABLES[a].chinese if a in TABLES else ASSET_LABELS.get(a, a) for a in group["asset"].to_list())
        rows.append({"check": CHECK_LABELS.get(name[0], name[0]), "scope": scope,
                     "kind": "阻断" if blocking else "提示", "result": result})
    return rows


def build_context(
    program: Program,
    figures: Mapping[str, Any],
    frames: Mapping[str, pl.DataFrame],
    charts: Mapping[str, str],
) -> dict[str, Any]:
    """Everything the template states, from figures.json values and the year's tables.

    `frames` holds meetings, tasks, achievements, dynamics_weekly, media_themes, rejects,
    warnings, source_files and row_accounting; `charts` maps chart name -> relative path.
    """
    as_of = dt.date.fromisoformat(str(figures["as_of"]))
    district = district_name(program.name)
    meetings = frames["meetings"].filter(pl.col("date") <= as_of).sort("date", "file", "row")
    achievements = frames["achievements"].filter(pl.col("date") <= as_of)
    tasks = frames["tasks"]
    meeting_kinds = grouped_in_order(meetings, "kind", "其他会议")
    return {
        "program_name": program.name,
        "district": district,
        "district_short": district_short(district),
        "seat": district[-1] if district != program.name else "区",
        "year": int(figures["year"]),
        "as_of_zh": chinese_date(as_of),
        "as_of_md": chinese_month_day(as_of),
        "tasks_md": chinese_month_day(dt.date.fromisoformat(snapshot)) if (snapshot := figures.get("tasks_snapshot")) else "",
        "figures": dict(figures),
        "figure_sources": figure_sources(figures, frames),
        "meetings": [
            {"date": chinese_date(d), "name": zh_punctuation(n), "kind": k or ""}
            for d, n, k in meetings.select("date", "name", "kind").iter_rows()
        ],
        "meeting_kinds": [{"kind": g["key"], "count": len(g["names"])} for g in meeting_kinds],
        "dynamics_by_area": _dynamics_by_area(frames["dynamics_weekly"], program.areas),
        "media_levels": [
            {"level": level, "articles": int(n)} for level, n in dict(figures["media_by_level"]).items()
        ],
        "media_themes": [
            {"theme": zh_punctuation(t), "articles": int(n)} for t, n in frames["media_themes"].head(THEMES_LISTED).iter_rows()
        ],
        "media_themes_count": frames["media_themes"].height,
        "media_themes_rest": int(frames["media_themes"].get_column("articles").slice(THEMES_LISTED).sum()),
        "key_tasks": _by_area(tasks.filter(pl.col("kind") == "重点工作"), program.areas),
        "reforms": _by_area(tasks.filter(pl.col("kind") == "重大改革"), program.reform_areas),
        "landmarks": grouped_in_order(achievements.filter(pl.col("kind") == "标志性成果"), "area", "其他"),
        "recognitions": _recognitions(achievements),
        "quality": quality(frames),
        "charts": dict(charts),
        "html_rows_shown": HTML_ROWS_SHOWN,
    }
