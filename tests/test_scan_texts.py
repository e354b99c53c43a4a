"""Text files that share their first line are scanned by DuckDB together, one scan of the file
list, and split per file after: each gets exactly the sheet `read_text` gives it alone (cells,
row numbers, encoding). Files the one scan cannot read alike are left to `read_text`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from polars.testing import assert_frame_equal

from pipeline.config import PROJECT_DIR
from pipeline.intake.text import read_text, scan_texts

HEADER = "日期,报送单位,领域,标题,类别\n"
ROWS = ("2023-01-0{d},区民政局,社会治理,第{d}条动态,动态\n", "2023-01-0{d},\"西湖街道,文新\",文化,带逗号的单位,信息\n")


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _week(day: int) -> str:
    return HEADER + "".join(row.format(d=day) for row in ROWS)


def _same_as_alone(paths: list[Path]) -> dict[Path, object]:
    with duckdb.connect() as database:
        scanned = scan_texts(paths, database)
        for path, sheet in scanned.items():
            alone = read_text(path, database)
            assert_frame_equal(sheet.grid, alone.grid)
            assert_frame_equal(sheet.broken, alone.broken)
            assert sheet.encoding == alone.encoding
    return scanned


def test_files_of_one_first_line_are_scanned_together_each_as_read_alone(tmp_path: Path) -> None:
    weeks = [_write(tmp_path, f"2023-01-0{d}.csv", _week(d)) for d in range(1, 4)]
    narrow = _write(tmp_path, "narrow.csv", HEADER + "2023-01-05,区民政局\n")  # padded as alone
    other = _write(tmp_path, "other.csv", "日期,单位\n2023-01-06,区民政局\n")  # its own first line: alone
    scanned = _same_as_alone([*weeks, narrow, other])
    assert set(scanned) == {*weeks, narrow}


@pytest.mark.parametrize(("odd", "why"), [
    (HEADER + "2023-01-09,区民政局,社会治理,标题,动态,多出的一格\n", "a row wider than the others"),
    (HEADER + '2023-01-09,区民政局,文化,"两行\n的标题",动态\n', "a line break inside a quoted cell"),
    (HEADER + '2023-01-09,区民政局,社会治理,"未闭合的引号,动态\n', "a line DuckDB cannot split"),
])
def test_a_group_the_one_scan_cannot_read_alike_is_left_to_read_alone(tmp_path: Path, odd: str, why: str) -> None:
    weeks = [_write(tmp_path, f"2023-01-0{d}.csv", _week(d)) for d in range(1, 3)]
    odd_file = _write(tmp_path, "odd.csv", odd)
    scanned = _same_as_alone([*weeks, odd_file])
    assert odd_file not in scanned, why


def test_files_duckdb_does_not_read_as_they_are_are_never_scanned_together(tmp_path: Path) -> None:
    gbk = [_write(tmp_path, f"gbk{d}.csv", _week(d), "gb18030") for d in range(1, 3)]
    blank = [_write(tmp_path, f"blank{d}.csv", _week(d).replace("\n", "\n\n", 1)) for d in range(1, 3)]
    assert _same_as_alone([*gbk, *blank]) == {}


def test_the_samples_weekly_files_are_read_in_a_few_scans() -> None:
    dynamics = sorted((PROJECT_DIR / "raw" / "2022" / "dynamics").glob("*.csv"))
    scanned = _same_as_alone(dynamics)
    assert len(scanned) >= len(dynamics) // 2
