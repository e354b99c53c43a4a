import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.contract import DYNAMICS, MEDIA, TASKS, Program
from pipeline.readers import RawTable, UnreadableFile
from pipeline.validate import check_rows, dedupe, map_header, normalised, parsed_date, unit_warnings

HEADER = ["日期", "报送单位", "领域", "标题", "类别"]


def _raw(header: list[str], *rows: list[str | None]) -> RawTable:
    width = len(max([header, *rows], key=len))
    data = {"row": list(range(2, 2 + len(rows)))}
    for i in range(width):
        data[f"c{i}"] = [r[i] if i < len(r) else None for r in rows]
    cells = pl.DataFrame(data, schema={"row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    broken = pl.DataFrame(schema={"row": pl.Int64, "cells": pl.Int64, "error": pl.String, "raw": pl.String})
    return RawTable(header, cells, broken, "utf-8")


def _dynamics(*rows: list[str | None], program: Program = Program()):
    return check_rows(_raw(HEADER, *rows), DYNAMICS, program, 2022, "2022/dynamics/a.csv")


@pytest.mark.parametrize(
    "text",
    ["2023-03-05", "2023/3/5", "2023.3.5", "2023年3月5日", "2023/03/05", "2023-3-5"],
)
def test_every_contract_date_form_parses(text: str) -> None:
    parsed = pl.select(parsed_date(pl.lit(text))).item()
    assert parsed == dt.date(2023, 3, 5)


@pytest.mark.parametrize("text", ["2023-13-05", "2023-02-30", "05/03/2023", "三月五日", "2023"])
def test_non_dates_do_not_parse(text: str) -> None:
    assert pl.select(parsed_date(pl.lit(text))).item() is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  区民政局 ", "区民政局"),
        ("西湖无欠薪 \u3000 行动", "西湖无欠薪 行动"),
        ("ＡＢＣ１２３", "ABC123"),
        ("２０２２－０１－０５", "2022-01-05"),
        ("   ", None),
        ("", None),
    ],
)
def test_cells_are_nfkc_trimmed_and_collapsed(cell: str, expected: str | None) -> None:
    assert pl.select(normalised(pl.lit(cell))).item() == expected


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (["日期", "报送单位", "领域", "标题"], {"date": "c0", "unit": "c1", "area": "c2", "title": "c3"}),
        (["报送日期", "报送单位", "领域", "标题", "类别"], {"date": "c0", "unit": "c1", "area": "c2", "title": "c3", "kind": "c4"}),
        (["Title", " DATE ", "unit", "area", "summary"], {"title": "c0", "date": "c1", "unit": "c2", "area": "c3", "summary": "c4"}),
        (["日 期", "报送单位", "领域", "标题"], None),
    ],
)
def test_headers_may_be_chinese_or_english(header: list[str], found: dict[str, str] | None) -> None:
    if found is None:
        with pytest.raises(UnreadableFile, match=r"required column\(s\) missing: 日期 \(date\)"):
            map_header(header, DYNAMICS)
    else:
        assert map_header(header, DYNAMICS) == found


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "区民政局", "社会治理", "t"], "日期 (date) is empty"),
        (["2022-02-30", "区民政局", "社会治理", "t"], '日期 (date) "2022-02-30" is not a date'),
        (["2021-12-31", "区民政局", "社会治理", "t"], '日期 (date) "2021-12-31" is outside the report year 2022'),
        (["2022-01-01", "区民政局", "乡村振兴", "t"], '领域 (area) "乡村振兴" is not one of the program\'s areas'),
        (["2022-01-01", "区民政局", "社会治理", "t", "新闻"], '类别 (kind) "新闻" is not one of 动态, 信息'),
        (["2022-01-01", "区民政局", "社会治理", "t", "动态", "extra"], "row has 6 cells but the header has 5 columns"),
        (["2022-01-01", None, "社会治理", "  "], "报送单位 (unit) is empty; 标题 (title) is empty"),
    ],
)
def test_each_broken_rule_rejects_the_row_with_its_reason(row: list[str], reason: str) -> None:
    checked = _dynamics(row)
    assert checked.accepted.is_empty()
    assert checked.rejects["reason"].item().startswith(reason)
    assert checked.rejects.select("file", "row").row(0) == ("2022/dynamics/a.csv", 2)


@pytest.mark.parametrize(
    ("count", "accepted"),
    [("0", 0), ("12", 12), ("12.0", 12), ("-1", None), ("2.5", None), ("十", None), ("1e3", None)],
)
def test_media_count_is_a_whole_number_at_least_zero(count: str, accepted: int | None) -> None:
    raw = _raw(["日期", "媒体", "级别", "稿件数"], ["2022-01-03", "西湖报", "区级", count])
    checked = check_rows(raw, MEDIA, Program(), 2022, "m.csv")
    if accepted is None:
        assert "is not a whole number >= 0" in checked.rejects["reason"].item()
    else:
        assert checked.accepted["count"].item() == accepted


def test_task_area_vocabulary_follows_the_kind() -> None:
    header = ["编号", "类型", "领域", "名称", "状态"]
    raw = _raw(
        header,
        ["A", "重点工作", "社会治理", "n", "已完成"],
        ["B", "重大改革", "扩中提低", "n", "推进中"],
        ["C", "重点工作", "扩中提低", "n", "已完成"],
        ["D", "重大改革", "社会治理", "n", "未启动"],
    )
    checked = check_rows(raw, TASKS, Program(), 2022, "tasks.csv")
    assert checked.accepted["id"].to_list() == ["A", "B"]
    assert [r.split(" is not")[0] for r in checked.rejects["reason"]] == ['领域 (area) "扩中提低"', '领域 (area) "社会治理"']


def test_kind_defaults_to_dynamic_and_rows_are_typed() -> None:
    checked = _dynamics(["2022年1月7日", "区民政局", "社会治理", "综合体开放"])
    expected = pl.DataFrame(
        {"file": ["2022/dynamics/a.csv"], "row": [2], "date": [dt.date(2022, 1, 7)], "unit": ["区民政局"],
         "area": ["社会治理"], "title": ["综合体开放"], "kind": ["动态"], "summary": [None]},
        schema_overrides={"summary": pl.String},
    )
    assert_frame_equal(checked.accepted, expected)


def test_units_outside_the_program_list_are_counted_and_warned() -> None:
    program = Program(units=("区民政局",))
    checked = _dynamics(["2022-01-01", "区民政局", "社会治理", "a"], ["2022-01-02", "某协会", "社会治理", "b"], program=program)
    assert checked.accepted.height == 2
    assert unit_warnings(checked.accepted, program).rows() == [("2022/dynamics/a.csv", 3, '报送单位 (unit) "某协会" is not in the program\'s unit list')]


def test_rejected_rows_keep_their_raw_values() -> None:
    checked = _dynamics(["2021-01-01", "区民政局", "社会治理", "标题"])
    assert checked.rejects["raw"].item() == '{"日期":"2021-01-01","报送单位":"区民政局","领域":"社会治理","标题":"标题","类别":null}'


def _frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["file", "row", "date", "outlet", "count", "theme"], orient="row")


@pytest.mark.parametrize(
    ("rows", "key", "kept", "repeats"),
    [
        # dynamics: same (date, unit, title) in two files counts once; the first file wins
        (
            [("b.csv", 2, "d1", "u", 1, None), ("a.csv", 5, "d1", "u", 2, None), ("a.csv", 3, "d2", "u", 1, None)],
            ("date", "outlet"),
            [("a.csv", 3), ("a.csv", 5)],
            [("b.csv", 2, "a.csv:5")],
        ),
        # media: rows equal in every field count once, nulls compare equal; a different count adds up
        (
            [("a.csv", 2, "d1", "o", 3, None), ("a.csv", 3, "d1", "o", 3, None), ("a.csv", 4, "d1", "o", 4, None)],
            ("date", "outlet", "count", "theme"),
            [("a.csv", 2), ("a.csv", 4)],
            [("a.csv", 3, "a.csv:2")],
        ),
    ],
)
def test_dedupe_keeps_the_first_and_points_repeats_at_it(rows, key, kept, repeats) -> None:
    counted, duplicates = dedupe(_frame(rows), key)
    assert counted.select("file", "row").rows() == kept
    assert duplicates.rows() == repeats
