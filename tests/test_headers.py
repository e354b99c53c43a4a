import polars as pl
import pytest

from pipeline.contract import DYNAMICS, MEDIA
from pipeline.intake.headers import NoHeader, find_table, header_key
from pipeline.intake.text import Sheet, empty_broken


def _sheet(*rows: list[str | None]) -> Sheet:
    width = max(len(r) for r in rows)
    data = {"row": list(range(1, len(rows) + 1))} | {
        f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)
    }
    return Sheet(None, pl.DataFrame(data, schema={"row": pl.Int64} | {f"c{i}": pl.String for i in range(width)}),
                 empty_broken(), "utf-8")


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("报送\n日期", "报送日期"),
        ("报 送 单 位", "报送单位"),
        ("领\u3000\u3000域", "领域"),
        ("*报送日期", "报送日期"),
        ("＊标题", "标题"),
        ("日期（必填）", "日期"),
        ("稿件数(篇)", "稿件数"),
        ("标题【必填】", "标题"),
        (" Title ", "title"),
    ],
)
def test_header_cells_are_matched_without_spaces_marks_or_notes(cell: str, key: str) -> None:
    assert header_key(cell) == key


def test_title_rows_above_the_header_are_layout() -> None:
    table = find_table(
        _sheet(
            ["西湖区共同富裕工作动态报送表（2023年第42周）"] * 5,
            ["填报单位：西溪街道", None, None, "填报日期：2023年10月20日"],
            ["序号", "报送日期", "报送单位", "所属领域", "动态标题"],
            ["1", "2023-10-16", "西溪街道", "社会治理", "a"],
        ),
        DYNAMICS,
    )
    assert table.mapping == {"date": "c1", "unit": "c2", "area": "c3", "title": "c4"}
    assert table.cells.rows() == [(4, "1", "2023-10-16", "西溪街道", "社会治理", "a")]


def test_a_two_level_header_under_merged_cells_is_read_as_one() -> None:
    # as the reader hands it over: merged cells already spread over their range
    table = find_table(
        _sheet(
            ["序号", "报送日期", "报送单位", "动态信息", "动态信息", "动态信息"],
            ["序号", "报送日期", "报送单位", "领域", "标题", "类别"],
            ["1", "2023-10-16", "西溪街道", "社会治理", "a", "动态"],
        ),
        DYNAMICS,
    )
    assert table.mapping == {"date": "c1", "unit": "c2", "area": "c3", "title": "c4", "kind": "c5"}
    assert table.cells.get_column("row").to_list() == [3]


def test_a_two_level_header_with_names_only_above_is_read_as_one() -> None:
    table = find_table(
        _sheet(["日期", "媒体信息", "媒体信息", "稿件数（篇）"], [None, "媒体名称", "媒体级别", None], ["2023-10-16", "西湖报", "区级", "3"]),
        MEDIA,
    )
    assert table.header == ["日期", "媒体名称", "媒体级别", "稿件数（篇）"]
    assert table.mapping == {"date": "c0", "outlet": "c1", "level": "c2", "count": "c3"}


def test_media_synonyms_are_understood() -> None:
    table = find_table(_sheet(["刊发日期", "媒体名称", "媒体级别", "稿件数量", "专题"]), MEDIA)
    assert table.mapping == {"date": "c0", "outlet": "c1", "level": "c2", "count": "c3", "theme": "c4"}


def test_no_header_names_the_row_tried_what_it_saw_and_what_is_missing() -> None:
    sheet = _sheet(["工作动态"], ["序号", "日期", "单位", "内容"], ["1", "2023-10-16", "西溪街道", "x"])
    with pytest.raises(NoHeader) as raised:
        find_table(sheet, DYNAMICS)
    assert str(raised.value) == "第2行被当作表头，找到：序号、日期、单位、内容；缺少：领域、标题"
    assert raised.value.found == 2


def test_the_header_is_looked_for_in_the_first_ten_rows_only() -> None:
    sheet = _sheet(*[[f"说明{i}"] for i in range(10)], ["日期", "报送单位", "领域", "标题"])
    with pytest.raises(NoHeader, match="第1行被当作表头，找到：说明0；缺少：日期、报送单位、领域、标题"):
        find_table(sheet, DYNAMICS)
