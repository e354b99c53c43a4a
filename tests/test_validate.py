import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.contract import DYNAMICS, MEDIA, TASKS, Program, TableSpec
from pipeline.intake.dedupe import dedupe
from pipeline.intake.headers import RawTable, find_table
from pipeline.intake.normalise import normalise_cells, normalised
from pipeline.intake.rules import CheckedRows, check_rows, unit_warnings
from pipeline.intake.text import Sheet, empty_broken

HEADER = ["日期", "报送单位", "领域", "标题", "类别"]


def _raw(header: list[str], *rows: list[str | None], spec: TableSpec = DYNAMICS) -> RawTable:
    """A sheet of `header` then `rows` (from spreadsheet row 1), through the header search."""
    width = len(max([header, *rows], key=len))
    grid = [header, *rows]
    data = {"row": list(range(1, 1 + len(grid)))}
    for i in range(width):
        data[f"c{i}"] = [r[i] if i < len(r) else None for r in grid]
    cells = pl.DataFrame(data, schema={"row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    return find_table(Sheet(None, cells, empty_broken(), "utf-8"), spec)


def _dynamics(*rows: list[str | None], program: Program = Program()) -> CheckedRows:
    return check_rows(_raw(HEADER, *rows), DYNAMICS, program, 2022, "2022/dynamics/a.csv")


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
    assert normalise_cells(pl.Series([cell])).item() == expected


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "区民政局", "社会治理", "t"], "日期为空"),
        (["2022-02-30", "区民政局", "社会治理", "t"], "日期“2022-02-30”不是日历上存在的日期"),
        (["2021-12-31", "区民政局", "社会治理", "t"], "日期“2021-12-31”不在报告年度2022年内"),
        (["22-1-5", "区民政局", "社会治理", "t"], "日期“22-1-5”年份只写了两位"),
        (["2022-01-01", "区民政局", "乡村振兴", "t"], "领域“乡村振兴”不在方案的工作领域（经济高质量发展、"),
        (["2022-01-01", "区民政局", "社会治理", "t", "新闻"], "类别“新闻”不是以下之一：动态、信息"),
        (["2022-01-01", "区民政局", "社会治理", "t", "动态", "extra"], "该行有6个单元格，但表头只有5列"),
        (["2022-01-01", None, "社会治理", "  "], "报送单位为空；标题为空"),
    ],
)
def test_each_broken_rule_rejects_the_row_with_its_reason(row: list[str], reason: str) -> None:
    checked = _dynamics(row)
    assert checked.accepted.is_empty()
    assert checked.rejects["reason"].item().startswith(reason)
    assert checked.rejects.select("file", "row").row(0) == ("2022/dynamics/a.csv", 2)


@pytest.mark.parametrize(
    ("count", "accepted"),
    [("0", 0), ("12", 12), ("12.0", 12), ("12篇", 12), ("１２ 条", 12), ("-1", None), ("2.5", None), ("十", None),
     ("1e3", None)],
)
def test_media_count_is_a_whole_number_at_least_zero(count: str, accepted: int | None) -> None:
    raw = _raw(["日期", "媒体", "级别", "稿件数"], ["2022-01-03", "西湖报", "区级", count], spec=MEDIA)
    checked = check_rows(raw, MEDIA, Program(), 2022, "m.csv")
    if accepted is None:
        assert "不是大于等于0的整数" in checked.rejects["reason"].item()
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
        spec=TASKS,
    )
    checked = check_rows(raw, TASKS, Program(), 2022, "tasks.csv")
    assert checked.accepted["id"].to_list() == ["A", "B"]
    reasons = checked.rejects["reason"].to_list()
    assert reasons[0].startswith("领域“扩中提低”不在方案重点工作的工作领域（经济高质量发展、")
    assert reasons[1].startswith("领域“社会治理”不在方案重大改革的改革领域（扩中提低、")


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
    assert unit_warnings(checked.accepted, program).rows() == [
        ("2022/dynamics/a.csv", 3, "报送单位“某协会”不在方案的成员单位名单中，已计入，请核实")
    ]


def test_a_unit_matches_its_roster_entry_by_alias_and_an_unlisted_one_gets_a_suggestion() -> None:
    program = Program(units=("区民政局", {"name": "仓前街道", "aliases": ["仓前街道办事处"]}))
    checked = _dynamics(
        ["2022-01-01", "仓前街道办事处", "社会治理", "a"], ["2022-01-02", "仓前街道办", "社会治理", "b"],
        ["2022-01-03", "区民政局", "社会治理", "c"], ["2022-01-04", "某协会", "社会治理", "d"], program=program,
    )
    assert unit_warnings(checked.accepted, program).rows() == [
        ("2022/dynamics/a.csv", 3, "报送单位“仓前街道办”不在方案的成员单位名单中，已计入，请核实（是否为“仓前街道”？）"),
        ("2022/dynamics/a.csv", 5, "报送单位“某协会”不在方案的成员单位名单中，已计入，请核实"),
    ]


def test_layout_rows_are_neither_counted_nor_rejected_and_keep_their_text() -> None:
    header = ["序号", "日期", "媒体", "级别", "稿件数"]
    raw = _raw(
        header,
        ["1", "2022-01-03", "西湖报", "区级", "4"],
        ["2", None, None, None, None],
        ["", "2022-01-03", "合计", "区级", "21"],
        ["总 计：", None, None, None, "21"],
        ["填表人：张三", None, "联系电话：0571-1", None, None],
        ["审核人 李四"],
        ["备注：每周五前报送"],
        ["注1：级别按媒体主管单位填写"],
        ["说明"],
        ["3", "2022-01-04", "审核人员培训", "区级", "1"],
        spec=MEDIA,
    )
    checked = check_rows(raw, MEDIA, Program(), 2022, "m.xlsx")
    assert checked.accepted.select("row", "outlet", "count").rows() == [(2, "西湖报", 4), (11, "审核人员培训", 1)]
    assert checked.rejects.is_empty()
    assert checked.layout.rows() == [
        ("m.xlsx", 3, "空白模板行", "2"),
        ("m.xlsx", 4, "合计行", "2022-01-03 | 合计 | 区级 | 21"),
        ("m.xlsx", 5, "合计行", "总 计： | 21"),
        ("m.xlsx", 6, "签署行", "填表人：张三 | 联系电话：0571-1"),
        ("m.xlsx", 7, "签署行", "审核人 李四"),
        ("m.xlsx", 8, "备注行", "备注：每周五前报送"),
        ("m.xlsx", 9, "备注行", "注1：级别按媒体主管单位填写"),
        ("m.xlsx", 10, "备注行", "说明"),
    ]


def test_a_day_without_a_year_is_counted_in_the_report_year_with_a_warning() -> None:
    checked = _dynamics(["3月5日", "区民政局", "社会治理", "a"])
    assert checked.accepted["date"].item() == dt.date(2022, 3, 5)
    assert checked.warnings.rows() == [("2022/dynamics/a.csv", 2, "日期“3月5日”未写年份，按报告年度2022年计为2022-03-05")]


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
