"""Rows that are not data, as `check` and the warehouse say them: notes blocks under 备注, nil
reports (零报告) and runs of blank template rows."""

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import duckdb
import polars as pl
import pytest
from services import build_environment, dagster_home

from pipeline.cli import main
from pipeline.contract import DYNAMICS, MEDIA, Program, TableSpec
from pipeline.intake.headers import find_table
from pipeline.intake.layout import listed_lines
from pipeline.intake.rules import CheckedRows, check_rows
from pipeline.intake.tables import take_in
from pipeline.intake.text import Sheet, empty_broken
from pipeline.warehouse.store import read_year, store_intake

QUIRKS = Path(__file__).parent / "data" / "quirks"
HEADER = ["日期", "报送单位", "领域", "标题", "类别"]
NUMBERED = ["序号", *HEADER]


def _checked(header: list[str], *rows: list[str | None], spec: TableSpec = DYNAMICS) -> CheckedRows:
    """One sheet of `header` then `rows` (from row 1) through the header search and the rules."""
    width = max(len(r) for r in (header, *rows))
    grid = [header, *rows]
    data = {"row": list(range(1, 1 + len(grid)))} | {f"c{i}": [r[i] if i < len(r) else None for r in grid] for i in range(width)}
    cells = pl.DataFrame(data, schema={"row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    return check_rows(find_table(Sheet(None, cells, empty_broken(), "utf-8"), spec), spec, Program(), 2023, "a.xlsx")


def _fates(checked: CheckedRows) -> dict[int, str]:
    fates = {row: "counted" for row in checked.accepted["row"]}
    fates |= {row: "rejected" for row in checked.rejects["row"]}
    return fates | dict(zip(checked.layout["row"], checked.layout["kind"], strict=True))


def test_the_numbered_lines_under_a_notes_heading_are_notes() -> None:
    merged = "2. 领域按七大跑道填写。"
    checked = _checked(
        HEADER,
        ["2023-12-11", "古荡街道", "社会治理", "召开网格员表彰会", "动态"],
        ["备注："],
        ["1. 请于每周五下午5点前报送至区共富办邮箱。"],
        [merged] * 5,  # merged across the row: every cell holds the line
        [None, "（3）无动态的单位请在标题栏填写“无”。"],
        ["①", "以上"],  # two texts: not a line of the block, so the block ends
        ["4、报送后请电话告知。"],
    )
    assert _fates(checked) == {2: "counted", 3: "备注行", 4: "备注行", 5: "备注行", 6: "备注行", 7: "rejected", 8: "rejected"}
    assert checked.layout.filter(pl.col("row") == 5)["text"].item() == merged


def test_a_numbered_row_with_a_date_unit_and_title_is_data_even_under_a_notes_heading() -> None:
    checked = _checked(
        NUMBERED,
        ["说明：第50周报送如下"],
        ["1.", "2023-12-11", "古荡街道", "社会治理", "召开网格员表彰会", "动态"],
        ["2.", "2023-12-12", "古荡街道", "乡村振兴", "开展冬训", "动态"],
    )
    assert _fates(checked) == {2: "备注行", 3: "counted", 4: "rejected"}


def test_a_numbered_line_with_no_notes_heading_above_it_is_not_taken_for_a_note() -> None:
    checked = _checked(HEADER, ["2023-12-11", "古荡街道", "社会治理", "召开表彰会"], ["1. 请于每周五前报送。"])
    assert _fates(checked) == {2: "counted", 3: "rejected"}


@pytest.mark.parametrize("title", ["无", "暂无", "本周无", "本周无动态", "本周无工作动态", "无新增", "本周无动态。", "（无）", " 无 新 增！", "暂无\u3000．"])
def test_a_title_that_is_a_nil_phrase_is_a_nil_report_whatever_its_area_and_kind(title: str) -> None:
    checked = _checked(HEADER, ["2023-12-18", "区司法局", None, title, None], ["2023-12-18", "区统计局", "无", title, "无"])
    assert checked.accepted.is_empty() and checked.rejects.is_empty()
    assert checked.layout["kind"].to_list() == ["零报告", "零报告"]
    assert checked.nil_reports.rows() == [("a.xlsx", 2, dt.date(2023, 12, 18), "区司法局"), ("a.xlsx", 3, dt.date(2023, 12, 18), "区统计局")]


@pytest.mark.parametrize("title", ["无动态", "无障碍设施排查", "本周无动态，下周报送", "暂无（见附件）"])
def test_a_title_that_only_contains_a_nil_phrase_is_a_dynamic(title: str) -> None:
    checked = _checked(HEADER, ["2023-12-18", "区司法局", "社会治理", title])
    assert checked.accepted["title"].to_list() == [unicodedata.normalize("NFKC", title)]
    assert checked.nil_reports.is_empty()


def test_a_nil_report_without_its_date_or_unit_is_rejected_for_that_alone() -> None:
    checked = _checked(
        HEADER,
        ["2023年12月", "区信访局", None, "无", "新闻"],
        ["2023-12-18", None, "乡村振兴", "无"],
        ["12/1/2023", "区民防局", None, "本周无"],
    )
    assert checked.rejects.select("row", "reason").rows() == [
        (2, "日期“2023年12月”只有年月，没有具体日期，请写明哪一天（如2023-12-01）"),
        (3, "报送单位为空"),
        (4, "日期“12/1/2023”无法确定是“月/日/年”还是“日/月/年”，请写作2023-12-01或2023-01-12"),
    ]
    assert checked.layout.is_empty() and checked.nil_reports.is_empty()


def test_only_dynamics_have_nil_reports() -> None:
    checked = _checked(["日期", "媒体", "级别", "稿件数"], ["2023-12-18", "无", "区级", "0"], spec=MEDIA)
    assert checked.accepted["outlet"].to_list() == ["无"]
    assert checked.layout.is_empty() and checked.nil_reports.is_empty()


def test_a_run_of_blank_template_rows_is_listed_as_one_line() -> None:
    layout = pl.DataFrame(
        [("a.xlsx", 5, "空白模板行", "4"), ("a.xlsx", 6, "空白模板行", "5"), ("a.xlsx", 7, "空白模板行", "6"),
         ("a.xlsx", 9, "空白模板行", "8"), ("a.xlsx", 10, "备注行", "备注："), ("a.xlsx", 11, "备注行", "1. 请报送"),
         ("b.xlsx", 2, "空白模板行", "1"), ("b.xlsx", 3, "空白模板行", "2")],
        schema=["file", "row", "kind", "text"], orient="row",
    )
    assert listed_lines(layout).rows() == [
        ("a.xlsx", 5, 7, "空白模板行", None),
        ("a.xlsx", 9, 9, "空白模板行", "8"),
        ("a.xlsx", 10, 10, "备注行", "备注："),
        ("a.xlsx", 11, 11, "备注行", "1. 请报送"),
        ("b.xlsx", 2, 3, "空白模板行", None),
    ]


def test_check_says_a_notes_block_and_a_run_of_template_rows_in_a_line_each_and_exits_0(capsys) -> None:
    raw = QUIRKS / "layout"
    assert main(["check", "--raw-dir", str(raw), "--year", "2023"]) == 0
    lines = capsys.readouterr().out.splitlines()
    dynamics = f"{raw}/2023/dynamics"
    assert [line for line in lines if "template.xlsx" in line] == [f"{dynamics}/template.xlsx: 第5-9行：空白模板行，不计入"]
    assert [line for line in lines if "notes_block.xlsx" in line] == [
        f"{dynamics}/notes_block.xlsx:6: 跳过（备注行，不计入）：备注：",
        f"{dynamics}/notes_block.xlsx:7: 跳过（备注行，不计入）：1. 请于每周五下午5点前报送至区共富办邮箱。",
        f"{dynamics}/notes_block.xlsx:8: 跳过（备注行，不计入）：2、领域按七大跑道填写，类别填“动态”或“信息”。",
        f"{dynamics}/notes_block.xlsx:9: 跳过（备注行，不计入）：（3）无动态的单位请在标题栏填写“无”。",
    ]


def test_check_says_a_nil_report_counts_as_reported(capsys) -> None:
    raw = QUIRKS / "nil"
    assert main(["check", "--raw-dir", str(raw), "--year", "2023"]) == 1  # three rows lack a date or a unit
    out, err = capsys.readouterr()
    assert f"{raw}/2023/dynamics/零报告.xlsx:3: 零报告（算作已报送，不计入动态）：2023-12-18 | 区司法局 | 无" in out.splitlines()
    assert "计入1行，退回3行，重复0行，表格版式行4行（其中零报告4行）" in err


def test_nil_reports_are_stored_with_the_dynamics_and_replaced_with_them(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(QUIRKS / "nil", raw)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        store_intake(conn, 2023, take_in(raw, 2023, DYNAMICS, Program()))
        assert read_year(conn, "nil_reports", 2023).sort("row").rows() == [
            ("2023/dynamics/零报告.xlsx", 3, dt.date(2023, 12, 18), "区司法局"),
            ("2023/dynamics/零报告.xlsx", 4, dt.date(2023, 12, 19), "区统计局"),
            ("2023/dynamics/零报告.xlsx", 5, dt.date(2023, 12, 20), "区档案馆"),
            ("2023/dynamics/零报告.xlsx", 6, dt.date(2023, 12, 21), "区科技局"),
        ]
        assert conn.execute("select count(*) from layout_rows where kind = '零报告'").fetchone() == (4,)
        (raw / "2023" / "dynamics" / "零报告.xlsx").unlink()
        store_intake(conn, 2023, take_in(raw, 2023, DYNAMICS, Program()))
        assert read_year(conn, "nil_reports", 2023).is_empty()


def test_a_folder_whose_odd_rows_are_all_layout_is_published_without_accept_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quarto_stand_in: Path, capsys
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(QUIRKS / "layout", raw)  # a notes block, a run of template rows, totals, sign-offs
    for name, value in build_environment(dagster_home(tmp_path / "home"), tmp_path / "w.duckdb").items():
        monkeypatch.setenv(name, value)
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "quarto"]) == 0
    assert "退回行：0，无法读取的文件：0" in capsys.readouterr().out
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out)]) == 0
    assert capsys.readouterr().out.strip().startswith(f"已发布 {out}/2023/editions/")
