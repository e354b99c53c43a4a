import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from conftest import write_csv
from pipeline.readers import UnreadableFile, read_table_file

TEXT = "日期,标题\n2022-03-05,共富工坊\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("gb18030", b"", "gb18030")],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(prefix + TEXT.encode(encoding))
    table = read_table_file(path)
    assert table.encoding == expected
    assert table.header == ["日期", "标题"]
    assert table.cells.rows() == [(2, "2022-03-05", "共富工坊")]


def test_gb18030_file_is_not_modified(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", TEXT.replace("\n", "\r\n"), "gb18030")
    before = path.read_bytes()
    read_table_file(path)
    assert path.read_bytes() == before


def test_xlsx_date_cells_and_whole_numbers_become_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "稿件数"])
    sheet.append([dt.date(2022, 3, 5), 12])
    sheet.append([dt.datetime(2022, 3, 6), 2.5])
    sheet.append([None, None])
    sheet.append(["2022/3/7", "3"])
    book.save(tmp_path / "a.xlsx")
    table = read_table_file(tmp_path / "a.xlsx")
    assert table.cells.rows() == [(2, "2022-03-05", "12"), (3, "2022-03-06", "2.5"), (5, "2022/3/7", "3")]


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", "a,b\n1,2\n,\n3,4\n5,6,7,8\n9,10\n")
    table = read_table_file(path)
    assert [r[0] for r in table.cells.rows()] == [2, 4, 5, 6]


def test_csv_line_with_more_cells_than_any_other_is_kept_as_broken(tmp_path: Path) -> None:
    lines = ["a,b"] + [f"{i},x" for i in range(30000)] + ["late,x,y,z"]
    path = write_csv(tmp_path / "a.csv", "\n".join(lines) + "\n")
    table = read_table_file(path)
    assert table.cells.height == 30000
    assert table.broken.rows() == [(30002, 4, table.broken["error"][0], "late,x,y,z")]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.xlsx", b"PK\x03\x04 not a workbook", "not a readable XLSX workbook"),
        ("a.csv", b"", "empty file"),
        ("a.csv", b"\x00\x01\x02binary", "binary content"),
        ("a.csv", b"\n\n", "empty file"),
        ("a.csv", b",,\n1,2,3\n", "no header row"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_table_file(tmp_path / name)
