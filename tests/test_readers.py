import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlwt
from conftest import write_csv
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from pipeline.intake.tables import read_sheets
from pipeline.intake.text import UnreadableFile

TEXT = "日期,标题\n2022-03-05,共富工坊\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
    ],
)
def test_text_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(prefix + TEXT.encode(encoding))
    [sheet] = read_sheets(path)
    assert sheet.encoding == expected
    assert sheet.grid.rows() == [(1, "日期", "标题"), (2, "2022-03-05", "共富工坊")]


@pytest.mark.parametrize(("name", "text"), [("a.csv", "日期;标题\r\n"), ("a.tsv", "日期\t标题\r\n"), ("a.txt", "日期\t标题\r\n")])
def test_the_separator_is_sniffed(tmp_path: Path, name: str, text: str) -> None:
    separator = text[2]
    path = write_csv(tmp_path / name, text + f"2022-03-05{separator}共富, 工坊\r\n")
    [sheet] = read_sheets(path)
    assert sheet.grid.rows() == [(1, "日期", "标题"), (2, "2022-03-05", "共富, 工坊")]


def test_excel_unicode_text_is_read_as_written(tmp_path: Path) -> None:
    """Excel's "Unicode text" save: UTF-16 LE with a BOM, tab-separated, CRLF."""
    path = tmp_path / "周报.txt"
    path.write_bytes("日期\t标题\r\n2022-03-05\t共富工坊\r\n".encode("utf-16"))
    [sheet] = read_sheets(path)
    assert sheet.grid.rows() == [(1, "日期", "标题"), (2, "2022-03-05", "共富工坊")]


def test_transcoded_files_are_not_modified(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", TEXT.replace("\n", "\r\n"), "gb18030")
    before = path.read_bytes()
    read_sheets(path)
    assert path.read_bytes() == before


def test_xlsx_date_cells_and_whole_numbers_become_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "稿件数"])
    sheet.append([dt.date(2022, 3, 5), 12])
    sheet.append([dt.datetime(2022, 3, 6, 9, 30), 2.5])
    sheet.append([None, None])
    sheet.append(["2022/3/7", "3"])
    book.save(tmp_path / "a.xlsx")
    [read] = read_sheets(tmp_path / "a.xlsx")
    assert read.grid.rows() == [
        (1, "日期", "稿件数"),
        (2, "2022-03-05", "12"),
        (3, "2022-03-06 09:30:00", "2.5"),
        (5, "2022/3/7", "3"),
    ]


def test_every_sheet_is_read_and_hidden_sheets_are_skipped(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "第1周"
    book.active.append(["日期"])
    book.create_sheet("第2周").append(["标题"])
    hidden = book.create_sheet("下拉选项")
    hidden.append(["领域"])
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "a.xlsm")
    sheets = read_sheets(tmp_path / "a.xlsm")
    assert [(s.name, s.grid.rows(), s.skipped) for s in sheets] == [
        (None, [(1, "日期")], None),
        ("第2周", [(1, "标题")], None),
        ("下拉选项", [], "隐藏的工作表“下拉选项”（如下拉选项列表），未读取"),
    ]


def test_merged_cells_apply_to_their_whole_range(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["日期", "单位", "标题"], ["2022-03-05", "西溪街道", "a"], [None, None, "b"], [None, None, "c"]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B6")  # reaches two rows with nothing else: those stay empty rows
    book.save(tmp_path / "a.xlsx")
    [read] = read_sheets(tmp_path / "a.xlsx")
    assert read.grid.rows() == [
        (1, "日期", "单位", "标题"),
        (2, "2022-03-05", "西溪街道", "a"),
        (3, "2022-03-05", "西溪街道", "b"),
        (4, None, "西溪街道", "c"),
    ]


def test_xls_with_merged_cells_is_read(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("媒体")
    for col, name in enumerate(["日期", "级别", "稿件数"]):
        sheet.write(0, col, name)
    sheet.write_merge(1, 2, 1, 1, "省级")
    for row, count in ((1, 3), (2, 4)):
        sheet.write(row, 0, f"2022-03-0{row}")
        sheet.write(row, 2, count)
    book.save(str(tmp_path / "a.xls"))
    [read] = read_sheets(tmp_path / "a.xls")
    assert read.encoding == "xls"
    assert read.grid.rows() == [(1, "日期", "级别", "稿件数"), (2, "2022-03-01", "省级", "3"), (3, "2022-03-02", "省级", "4")]


def test_ods_is_read(tmp_path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="动态")
    for values in (["日期", "标题"], ["2022-03-05", "共富工坊"]):
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "a.ods"))
    [read] = read_sheets(tmp_path / "a.ods")
    assert read.grid.rows() == [(1, "日期", "标题"), (2, "2022-03-05", "共富工坊")]


def test_text_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", "a,b\n1,2\n,\n3,4\n5,6,7,8\n9,10\n")
    [sheet] = read_sheets(path)
    assert [r[0] for r in sheet.grid.rows()] == [1, 2, 4, 5, 6]


def test_a_line_with_more_cells_than_any_other_is_kept_as_broken(tmp_path: Path) -> None:
    lines = ["a,b"] + [f"{i},x" for i in range(30000)] + ["late,x,y,z"]
    path = write_csv(tmp_path / "a.csv", "\n".join(lines) + "\n")
    [sheet] = read_sheets(path)
    assert sheet.grid.height == 30001
    assert sheet.broken.rows() == [(30002, 4, sheet.broken["error"][0], "late,x,y,z")]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.xlsx", b"PK\x03\x04 not a workbook", "无法作为 Excel/WPS 工作簿读取"),
        ("a.xls", b"just text", "无法作为 Excel/WPS 工作簿读取"),
        ("a.csv", b"", "空文件"),
        ("a.csv", b"\x00\x01\x02binary", "二进制数据"),
        ("a.csv", b"\n\n", "空文件"),
        ("a.csv", b"\xff\xfe\xfa\xfb\xfc\xfd" * 3 + b"\x81", "编码无法识别"),
    ],
)
def test_unreadable_files_say_why_in_chinese(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_sheets(tmp_path / name)


def test_a_block_boundary_after_a_line_break_is_not_a_blank_line(tmp_path: Path, monkeypatch) -> None:
    from pipeline.intake import encodings

    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n3,4\r\n")
    monkeypatch.setattr(encodings, "_BLOCK", 10)  # the second block starts right after "1,2\r\n"
    assert not encodings.has_nul_or_blank_line(path)
    path.write_bytes(b"a,b\r\n1,2\r\n\r\n3,4\r\n")
    assert encodings.has_nul_or_blank_line(path)
    path.write_bytes(b"\r\na,b\r\n")
    assert encodings.has_nul_or_blank_line(path)
