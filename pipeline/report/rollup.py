"""The roll-up report: what reports/rollup-report.qmd is filled with (the summed figures, one
row per district, landmarks by district, each district's data quality); documents.py writes its bundle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from pipeline.contract import Program
from pipeline.report.context import grouped_in_order, row_quality
from pipeline.report.wording import chinese_date, chinese_month_day, district_name

ROLLUP_TEMPLATE = "rollup-report.qmd"


def district_row(district: str, figures: Mapping[str, Any]) -> dict[str, Any]:
    """A district's line of the roll-up table."""
    return {
        "district": district,
        "as_of_md": chinese_month_day(dt.date.fromisoformat(figures["as_of"])),
        "dynamics": figures["dynamics_total"],
        "info": figures["info_total"],
        "media": figures["media_articles_total"],
        "meetings": figures["meetings_total"],
        "key_tasks_done": figures["key_tasks_by_status"].get("已完成", 0),
        "key_tasks": figures["key_tasks_total"],
        "reforms_done": figures["reforms_by_status"].get("已完成", 0),
        "reforms": figures["reforms_total"],
        "landmarks": figures["landmarks_total"],
    }


def rollup_context(
    program: Program, figures: Mapping[str, Any], frames: Mapping[str, Mapping[str, pl.DataFrame]], charts: Mapping[str, str]
) -> dict[str, Any]:
    """Everything the roll-up template states. `frames`: district -> the tables its own report
    reads (achievements, row_accounting, rejects, ...), in the programme's order."""
    as_of = dt.date.fromisoformat(figures["as_of"])
    rows = [district_row(entry["district"], entry) for entry in figures["districts"]]
    landmarks = []
    for entry in figures["districts"]:
        district_as_of = dt.date.fromisoformat(entry["as_of"])
        achievements = frames[entry["district"]]["achievements"].filter(
            (pl.col("kind") == "标志性成果") & (pl.col("date") <= district_as_of)
        )
        if not achievements.is_empty():
            landmarks.append({"district": entry["district"], "count": achievements.height,
                              "groups": grouped_in_order(achievements, "area", "其他")})
    return {
        "program_name": program.name,
        "district": district_name(program.name),
        "year": int(figures["year"]),
        "as_of_zh": chinese_date(as_of),
        "as_of_md": chinese_month_day(as_of),
        "figures": dict(figures),
        "rows": rows,
        # the roll-up programme's outlet levels first, in its order, then any a district added
        "media_levels": [{"level": level, "articles": figures["media_by_level"][level]}
                         for level in _ordered(program.media_levels, figures["media_by_level"])],
        "same_as_of": len({r["as_of_md"] for r in rows}) == 1,
        "landmarks": landmarks,
        "quality": [_district_quality(d, f) for d, f in frames.items()],
        "charts": dict(charts),
    }


def _ordered(first: tuple[str, ...], found: Mapping[str, Any]) -> list[str]:
    return [*(k for k in first if k in found), *(k for k in found if k not in first)]


def _district_quality(district: str, frames: Mapping[str, pl.DataFrame]) -> dict[str, Any]:
    return {"district": district, **row_quality(frames)}
