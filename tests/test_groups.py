"""The sheets of one header checked as one frame give each sheet exactly what checking it alone
gives: its counted rows, rejects with their reasons and raw cells, layout rows, warnings and nil
reports, in the same order, under its own name."""

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.config import PROJECT_DIR
from pipeline.contract import DYNAMICS, MEDIA, TABLES, Program, TableSpec, load_program
from pipeline.intake import tables
from pipeline.intake.groups import check_sheets
from pipeline.intake.headers import RawTable, find_table
from pipeline.intake.rules import check_rows
from pipeline.intake.tables import take_in
from pipeline.intake.text import Sheet, empty_broken

HEADER = ["日期", "报送单位", "领域", "标题", "类别"]
FRAMES = ("accepted", "rejects", "layout", "warnings", "nil_reports")


def _table(grid: list[list[str | None]], spec: TableSpec = DYNAMICS) -> RawTable:
    width = max(len(r) for r in grid)
    data = {"row": list(range(1, 1 + len(grid)))} | {f"c{i}": [r[i] if i < len(r) else None for r in grid] for i in range(width)}
    cells = pl.DataFrame(data, schema={"row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    return find_table(Sheet(None, cells, empty_broken(), "utf-8"), spec)


def _alike(tables: list[tuple[RawTable, str]], spec: TableSpec = DYNAMICS) -> None:
    grouped = check_sheets(tables, spec, Program(), 2023)
    for (table, name), together in zip(tables, grouped, strict=True):
        alone = check_rows(table, spec, Program(), 2023, name)
        for frame in FRAMES:
            assert_frame_equal(getattr(together, frame), getattr(alone, frame))


def test_sheets_of_one_header_checked_together_give_what_each_gives_alone() -> None:
    first = _table([
        ["西湖区工作动态报送表"],
        HEADER,
        ["2023-12-11", "古荡街道", "社会治理", "召开网格员表彰会", "动态"],
        ["2023-13-45", "古荡街道", "社会治理", "日期有误", "动态"],
        ["12月12日", "北山街道", "社会治理", "没写年份", "动态"],
        ["2023-12-13", "北山街道", "社会治理", "无"],
        ["2023-12-13", "北山街道", "社会治理", "多一格", "动态", "备注"],  # both sheets six cells wide
        ["合计", None, None, None, "2"],
        ["备注："],  # the notes heading ends this sheet ...
    ])
    second = _table([
        HEADER,
        ["1. 请于每周五前报送。"],  # ... and must not make this sheet's first numbered line a note
        ["2023-12-14", "翠苑街道", "跑道外", "领域不对", "动态"],
        ["2023-12-15", "翠苑街道", "社会治理", "召开例会", "信息", "多出的一格"],
    ])
    third = _table([HEADER, ["2023-12-16", "蒋村街道", "社会治理", "一条", "动态"]])
    _alike([(first, "a.xlsx#第1周"), (second, "b.csv"), (third, "c.csv")])


def test_sheets_of_different_headers_are_checked_apart_in_the_order_given() -> None:
    dynamics = _table([HEADER, ["2023-12-11", "古荡街道", "社会治理", "召开会议", "动态"]])
    wider = _table([["序号", *HEADER], ["1", "2023-12-12", "北山街道", "社会治理", "召开会议", "动态"]])
    _alike([(dynamics, "a.csv"), (wider, "b.csv"), (dynamics, "c.csv")])
    media = _table([["日期", "媒体", "级别", "稿件数"], ["2023-12-11", "浙江日报", "省级", "3篇"], ["2023-12-12", "x", "乡级", "-1"]],
                   MEDIA)
    _alike([(media, "m1.csv"), (media, "m2.csv")], MEDIA)


@pytest.mark.parametrize("raw", [PROJECT_DIR / "raw", Path(__file__).parent / "data" / "raw"], ids=["sample", "bad-input"])
def test_a_year_folder_reads_the_same_with_its_sheets_checked_together_or_alone(
    raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """take_in with the sheets of a header checked together, and with every sheet checked alone
    (every sheet over GROUPED_ROWS): the same intake, frame by frame."""
    program = load_program(raw)
    together = {name: take_in(raw, 2022, spec, program) for name, spec in TABLES.items()}
    monkeypatch.setattr(tables, "GROUPED_ROWS", -1)
    for name, spec in TABLES.items():
        alone = take_in(raw, 2022, spec, program)
        for frame in ("sources", "counted", "rejects", "duplicates", "layout", "warnings", "nil_reports"):
            assert_frame_equal(getattr(together[name], frame), getattr(alone, frame))
