import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.metrics.figures import (
    headline_figures,
    monthly_media,
    resolve_as_of,
    task_statuses,
    tasks_as_of,
    weekly_dynamics,
)
from pipeline.metrics.findings import missing_unit_weeks

D = dt.date


def _dynamics(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"date": pl.Date, "unit": pl.String, "area": pl.String, "kind": pl.String}, orient="row")


@pytest.mark.parametrize(
    ("rows", "as_of", "expected"),
    [
        (
            [(D(2022, 1, 4), "u", "社会治理", "动态"), (D(2022, 1, 6), "u", "社会治理", "动态"),
             (D(2022, 1, 12), "u", "收入分配", "信息"), (D(2022, 1, 13), "u", "社会治理", "动态")],
            D(2022, 12, 31),
            [(D(2022, 1, 3), "社会治理", "动态", 2, 2), (D(2022, 1, 10), "收入分配", "信息", 1, 1),
             (D(2022, 1, 10), "社会治理", "动态", 1, 3)],
        ),
        # rows after as-of are not counted
        (
            [(D(2022, 1, 4), "u", "社会治理", "动态"), (D(2022, 1, 13), "u", "社会治理", "动态")],
            D(2022, 1, 9),
            [(D(2022, 1, 3), "社会治理", "动态", 1, 1)],
        ),
    ],
)
def test_weekly_dynamics_counts_per_monday_week_with_running_total(rows, as_of, expected) -> None:
    result = weekly_dynamics(_dynamics(rows), as_of)
    assert_frame_equal(
        result,
        pl.DataFrame(expected, schema={"week": pl.Date, "area": pl.String, "kind": pl.String, "items": pl.Int64,
                                       "cumulative_kind": pl.Int64}, orient="row"),
    )


@pytest.mark.parametrize(
    ("rows", "as_of", "expected"),
    [
        (
            [(D(2022, 1, 3), "区级", 3), (D(2022, 1, 28), "区级", 2), (D(2022, 2, 1), "中央", 1), (D(2022, 3, 1), "区级", 9)],
            D(2022, 2, 28),
            [(1, "区级", 5), (2, "中央", 1)],
        ),
        ([], D(2022, 2, 28), []),
    ],
)
def test_monthly_media_sums_articles_per_month_and_level(rows, as_of, expected) -> None:
    media = pl.DataFrame(rows, schema={"date": pl.Date, "level": pl.String, "count": pl.Int64}, orient="row")
    assert monthly_media(media, as_of).rows() == expected


@pytest.mark.parametrize(
    ("requested", "latest", "expected"),
    [
        ("", D(2022, 12, 23), D(2022, 12, 23)),
        ("2022-06-30", D(2022, 12, 23), D(2022, 6, 30)),
        ("", None, D(2022, 12, 31)),
    ],
)
def test_as_of_defaults_to_the_latest_input_date(requested, latest, expected) -> None:
    assert resolve_as_of(2022, requested, latest) == expected


@pytest.mark.parametrize(
    ("requested", "message"),
    [("2021-12-31", "不在报告年度 2022 年内"), ("30/06/2022", "不是 YYYY-MM-DD 格式的日期")],
)
def test_as_of_must_be_a_date_in_the_year(requested, message) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_as_of(2022, requested, D(2022, 12, 23))


def _located(frame: pl.DataFrame, file: str) -> pl.DataFrame:
    """A table's rows as the warehouse holds them: the file and row each came from (rows 2..n+1)."""
    return frame.with_columns(pl.lit(file).alias("file"), pl.int_range(2, frame.height + 2).alias("row"))


def _headline(as_of: dt.date) -> dict:
    tables = {
        "dynamics": _dynamics([(D(2022, 1, 4), "a", "社会治理", "动态"), (D(2022, 3, 4), "b", "收入分配", "动态"),
                               (D(2022, 3, 5), "a", "收入分配", "信息")]),
        "media": pl.DataFrame({"date": [D(2022, 1, 3), D(2022, 3, 3)], "outlet": ["西湖报", "人民日报"],
                               "level": ["区级", "中央"], "count": [5, 2]}),
        "meetings": pl.DataFrame({"date": [D(2022, 1, 20), D(2022, 4, 1)]}),
        "tasks": pl.DataFrame({"kind": ["重点工作", "重点工作", "重大改革"], "area": ["社会治理", "收入分配", "扩中提低"],
                               "status": ["已完成", "推进中", "已完成"]}),
        "achievements": pl.DataFrame({"date": [D(2022, 2, 1), D(2022, 5, 1)], "kind": ["标志性成果", "标志性成果"]}),
    }
    tables = {name: _located(frame, f"2022/{name}.csv") for name, frame in tables.items()}
    bookkeeping = {
        "rejects": pl.DataFrame({"dataset": ["dynamics", "media", "media"]}),
        "duplicates": pl.DataFrame({"dataset": ["dynamics"]}),
        "warnings": pl.DataFrame({"dataset": []}, schema={"dataset": pl.String}),
        "source_files": pl.DataFrame({"rows_read": [9, 5, 0], "error": [None, "bad", "hidden"], "skipped": [False, False, True]}),
        "layout_rows": pl.DataFrame({"file": ["a.xlsx"], "row": [9], "kind": ["合计行"], "text": ["合计 | 9"]}),
    }
    return headline_figures(2022, as_of, tables, bookkeeping, ["中央", "省级", "市级", "区级"])


def test_headline_figures_for_the_whole_year() -> None:
    figures = _headline(D(2022, 12, 31))
    assert {k: figures[k] for k in (
        "year", "as_of", "dynamics_total", "info_total", "dynamics_rejected", "dynamics_duplicates",
        "media_articles_total", "media_by_level", "media_rejected", "meetings_total", "key_tasks_total",
        "key_task_areas", "reforms_total", "reform_areas", "landmarks_total", "unreadable_files", "skipped_files",
        "layout_rows")} == {
        "year": 2022, "as_of": "2022-12-31", "dynamics_total": 2, "info_total": 1, "dynamics_rejected": 1,
        "dynamics_duplicates": 1, "media_articles_total": 7, "media_by_level": {"中央": 2, "省级": 0, "市级": 0, "区级": 5},
        "media_rejected": 2, "meetings_total": 2, "key_tasks_total": 2, "key_task_areas": 2, "reforms_total": 1,
        "reform_areas": 1, "landmarks_total": 2, "unreadable_files": 1, "skipped_files": 1, "layout_rows": 1,
    }


def test_every_figure_counted_from_rows_names_its_rows() -> None:
    assert _headline(D(2022, 12, 31))["sources"] == {
        "dynamics_total": {"2022/dynamics.csv": "2-3"},
        "info_total": {"2022/dynamics.csv": "4"},
        "dynamics_by_area.收入分配": {"2022/dynamics.csv": "3"},
        "dynamics_by_area.社会治理": {"2022/dynamics.csv": "2"},
        "media_articles_total": {"2022/media.csv": "2-3"},
        "media_by_level.中央": {"2022/media.csv": "3"},
        "media_by_level.省级": {},
        "media_by_level.市级": {},
        "media_by_level.区级": {"2022/media.csv": "2"},
        "meetings_total": {"2022/meetings.csv": "2-3"},
        "key_tasks_total": {"2022/tasks.csv": "2-3"},
        "reforms_total": {"2022/tasks.csv": "4"},
        "landmarks_total": {"2022/achievements.csv": "2-3"},
    }
    assert _headline(D(2022, 2, 28))["sources"]["dynamics_total"] == {"2022/dynamics.csv": "2"}


@pytest.mark.parametrize(("rows", "ranges"), [([2, 3, 4, 7, 9, 10], "2-4,7,9-10"), ([5], "5"), ([3, 3, 2], "2-3")])
def test_rows_are_written_as_ranges_and_read_back(rows: list[int], ranges: str) -> None:
    from pipeline.metrics.sources import _ranges, parse_ranges

    assert _ranges(pl.DataFrame({"file": ["f"] * len(rows), "row": rows})) == {"f": ranges}
    assert parse_ranges(ranges) == sorted(set(rows))


def test_stated_rows_that_do_not_add_up_are_found() -> None:
    from pipeline.metrics.sources import sources_that_do_not_add_up

    figures = _headline(D(2022, 12, 31))
    media = _located(pl.DataFrame({"count": [5, 2]}), "2022/media.csv")
    warehouse = {"media": media}
    stated = {k: v for k, v in figures["sources"].items() if k.startswith("media")}
    assert sources_that_do_not_add_up(figures, stated, warehouse) == {}
    wrong = stated | {"media_articles_total": {"2022/media.csv": "2"}}
    assert sources_that_do_not_add_up(figures, wrong, warehouse) == {"media_articles_total": (7, 5)}


def test_headline_figures_are_cut_at_as_of() -> None:
    figures = _headline(D(2022, 2, 28))
    assert (figures["dynamics_total"], figures["info_total"], figures["media_articles_total"],
            figures["meetings_total"], figures["landmarks_total"]) == (1, 0, 5, 1, 1)
    assert figures["key_tasks_total"] == 2  # tasks carry no date: the year's list


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # 区民政局 reports in 3 of 4 weeks (usual) and misses the week of 2022-01-17;
        # 三墩镇 reports in 1 of 4 (not usual) and is not flagged
        (
            [(D(2022, 1, 4), "区民政局"), (D(2022, 1, 11), "区民政局"), (D(2022, 1, 25), "区民政局"),
             (D(2022, 1, 18), "三墩镇")],
            [("区民政局", D(2022, 1, 17))],
        ),
        ([(D(2022, 1, 4), "区民政局"), (D(2022, 1, 11), "区民政局")], []),
        ([], []),
    ],
)
def test_missing_unit_weeks_flags_usual_reporters_that_skipped_a_week(rows, expected) -> None:
    dynamics = pl.DataFrame(rows, schema={"date": pl.Date, "unit": pl.String}, orient="row")
    assert missing_unit_weeks(dynamics, D(2022, 12, 31)).rows() == expected


def _tasks(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"id": pl.String, "status": pl.String, "snapshot": pl.Date}, orient="row")


@pytest.mark.parametrize(
    ("as_of", "ids", "statuses"),
    [
        # the latest dated snapshot on or before the as-of date
        (D(2023, 7, 15), ["A", "B"], {"tasks_snapshot": "2023-06-30", "task_statuses_current": False}),
        (D(2023, 12, 31), ["A", "B", "C"], {"tasks_snapshot": "2023-09-30", "task_statuses_current": False}),
        # before the first snapshot: the undated list, whose statuses are the current ones
        (D(2023, 3, 31), ["Z"], {"tasks_snapshot": None, "task_statuses_current": True}),
    ],
)
def test_tasks_as_of_take_the_latest_snapshot_on_or_before_it(as_of, ids, statuses) -> None:
    tasks = _tasks(
        ("A", "推进中", D(2023, 6, 30)), ("B", "未启动", D(2023, 6, 30)),
        ("A", "已完成", D(2023, 9, 30)), ("B", "推进中", D(2023, 9, 30)), ("C", "推进中", D(2023, 9, 30)),
        ("Z", "已完成", None),
    )
    assert sorted(tasks_as_of(tasks, as_of)["id"].to_list()) == ids
    assert task_statuses(tasks, as_of, latest_input=D(2023, 12, 20)) == statuses


def test_an_undated_list_is_current_only_for_a_report_before_the_latest_input() -> None:
    tasks = _tasks(("Z", "已完成", None))
    assert task_statuses(tasks, D(2023, 12, 20), latest_input=D(2023, 12, 20))["task_statuses_current"] is False
    assert task_statuses(tasks, D(2023, 6, 30), latest_input=D(2023, 12, 20))["task_statuses_current"] is True


def test_figure_keys_name_every_key_of_figures_json() -> None:
    from pipeline.metrics.figures import FIGURE_KEYS

    assert sorted(FIGURE_KEYS) == sorted(_headline(D(2022, 12, 31)))
