"""Hostile and broken inputs (the hardening issue): each ends in a clear message naming the
file, the rest of the folder is still counted, and memory stays bounded."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.cli import main
from pipeline.config import PROJECT_DIR, WorkbookLimits
from pipeline.intake.limits import check_workbook
from pipeline.intake.text import UnreadableFile

MEDIA_HEADER = ["日期", "媒体", "级别", "稿件数"]


def media_workbook(path: Path, far_cell: str | None = None, padding_mb: int = 0) -> Path:
    """A media workbook with one good row; optionally a value in a far cell, or an extra part
    of `padding_mb` MB of zeros (which deflate packs into a few hundred KB)."""
    book = Workbook()
    sheet = book.active
    sheet.append(MEDIA_HEADER)
    sheet.append(["2022-03-01", "西湖报", "区级", 2])
    if far_cell:
        sheet[far_cell] = "x"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    if padding_mb:
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/pad.bin", "w") as pad:
            for _ in range(padding_mb):
                pad.write(bytes(2**20))
    return path


def test_a_cell_at_xfd1048576_is_refused_before_loading(tmp_path: Path) -> None:
    path = media_workbook(tmp_path / "far.xlsx", far_cell="XFD1048576")
    assert path.stat().st_size < 10_000
    with pytest.raises(UnreadableFile, match=r"共 1,048,576 行 × 16,384 列，超过上限"):
        check_workbook(path)


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = media_workbook(tmp_path / "bomb.xlsx", padding_mb=3)
    assert path.stat().st_size < 100_000
    with pytest.raises(UnreadableFile, match=r"工作簿解压后有 3 MB，超过上限 2 MB"):
        check_workbook(path, WorkbookLimits(uncompressed_mb=2))
    check_workbook(path)  # within the default limit


def test_limits_are_configurable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_MAX_WORKBOOK_MB", "10")
    monkeypatch.setenv("PIPELINE_MAX_SHEET_CELLS", "1000")
    monkeypatch.setenv("PIPELINE_MAX_SHEET_COLUMNS", "nonsense")
    assert WorkbookLimits.from_environment() == WorkbookLimits(uncompressed_mb=10, sheet_cells=1000)


def test_an_ordinary_workbook_passes_and_a_wide_one_is_named(tmp_path: Path) -> None:
    check_workbook(media_workbook(tmp_path / "ok.xlsx"))
    with pytest.raises(UnreadableFile, match=r"共 2 行 × 2,000 列"):
        check_workbook(media_workbook(tmp_path / "wide.xlsx", far_cell="BXX2"))


def test_check_on_hostile_workbooks_names_them_counts_the_rest_and_stays_under_1_gib(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    media = raw / "2022" / "media"
    media_workbook(media / "good.xlsx")
    media_workbook(media / "far.xlsx", far_cell="XFD1048576")
    media_workbook(media / "bomb.xlsx", padding_mb=300)  # past the default 256 MB
    # a fresh wrapper process whose only child is the check, so RUSAGE_CHILDREN is that check's peak
    script = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run([sys.executable, '-m', 'pipeline', 'check', '--raw-dir', sys.argv[1]]).returncode\n"
        "print('peak_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(raw)], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=300)
    peak_kb = int(done.stderr.rsplit("peak_kb ", 1)[1])
    assert peak_kb < 2**20, f"check used {peak_kb / 2**10:.0f} MiB"
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith(f"{media}/far.xlsx: 无法读取，未计入：工作表（工作簿内的 sheet1.xml）从A1到最后一个单元格共 1,048,576 行")
               for line in lines), lines
    assert any(line.startswith(f"{media}/bomb.xlsx: 无法读取，未计入：工作簿解压后有 300 MB") for line in lines), lines
    assert "读取1行，计入1行" in done.stderr
    assert "Traceback" not in done.stderr


MEDIA_CSV = "日期,媒体,级别,稿件数\n2022-03-01,西湖报,区级,2\n{bad}\n2022-03-03,西湖报,区级,4\n"


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (b"2022-03-02,\xe8\xa5\xbf\x00,\xe5\x8c\xba\xe7\xba\xa7,3", "该行含有空字符（NUL），未读取"),
        (b"2022-03-02,\xed\xa0\x80,\xe5\x8c\xba\xe7\xba\xa7,3", "该行含有无法识别的字符编码（文件其余各行可读取），未读取"),
        (b"2022-03-02," + "长".encode() * 1_100_000 + b",\xe5\x8c\xba\xe7\xba\xa7,3", "该行超过1 MB，未读取"),
    ],
    ids=["nul", "lone-surrogate", "3-MB-line"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_bad_line_costs_that_line_not_the_file(
    tmp_path: Path, capsys, bad_line: bytes, reason: str, encoding: str
) -> None:
    before, after = MEDIA_CSV.split("{bad}")
    bad = bad_line if encoding == "utf-8" else bad_line.decode("utf-8", errors="surrogateescape").encode(
        "gb18030", errors="surrogateescape")
    path = tmp_path / "raw" / "2022" / "media" / "m.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(before.encode(encoding) + bad + after.encode(encoding))
    assert main(["check", "--raw-dir", str(tmp_path / "raw")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{path}:3: {reason}"]
    assert "读取3行，计入2行，退回1行" in err


def test_rows_below_a_blank_line_keep_their_numbers(tmp_path: Path, capsys) -> None:
    path = tmp_path / "raw" / "2022" / "media" / "m.csv"
    path.parent.mkdir(parents=True)
    path.write_text("日期,媒体,级别,稿件数\r\n2022-03-01,西湖报,区级,2\r\n\r\n2022-03-02,西湖报,区级,-3\r\n", encoding="utf-8")
    assert main(["check", "--raw-dir", str(tmp_path / "raw")]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{path}:4: 稿件数“-3”不是大于等于0的整数"]


def test_text_longer_than_the_limit_is_rejected_and_kept_short(tmp_path: Path, capsys) -> None:
    path = tmp_path / "raw" / "2022" / "dynamics" / "d.csv"
    path.parent.mkdir(parents=True)
    path.write_text("日期,报送单位,领域,标题\n2022-03-01,区民政局,社会治理," + "长" * 200_000 + "\n", encoding="utf-8")
    main(["check", "--raw-dir", str(tmp_path / "raw")])
    assert capsys.readouterr().out.splitlines() == [f"{path}:2: 标题超过2000字（共200000字）"]
    from pipeline.contract import TABLES, Program
    from pipeline.intake.tables import take_in

    raw = take_in(tmp_path / "raw", 2022, TABLES["dynamics"], Program()).rejects["raw"][0]
    assert len(raw) < 400 and "长…" in raw


def test_a_character_no_font_has_and_math_markup_in_names_never_stop_the_report(tmp_path: Path, raw_dir: Path) -> None:
    import subprocess as sp

    from pipeline.contract import Program
    from pipeline.ops.build import run_build

    areas = '", "'.join(Program().areas)
    (raw_dir / "program.yaml").write_text(f'areas: ["{areas}", "$\\\\frac{{a}}$ 👍"]\n', encoding="utf-8")
    dynamics = raw_dir / "2022" / "dynamics" / "emoji.csv"
    dynamics.write_text("日期,报送单位,领域,标题\n2022-03-01,区民政局,$\\frac{a}$ 👍,点赞👍\n2022-13-01,区民政局,社会治理,好👍\n",
                        encoding="utf-8")
    outcome = run_build(raw_dir, tmp_path / "out", 2022, renderer="embedded", warehouse=str(tmp_path / "w.duckdb"),
                        instance=__import__("dagster").DagsterInstance.ephemeral())
    assert outcome.success, outcome.summary
    pdf = tmp_path / "out" / "2022" / "progress-report.pdf"
    text = sp.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "$\\frac{a}$ □" in text  # printed as typed, the emoji replaced
    assert "本报告中有1种字符在本机没有可用字体（U+1F44D），已以“□”代替" in text.replace("\n", "")
    fonts = sp.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto" in fonts


def test_a_gbk_file_name_is_read_and_shown_decoded_and_a_line_break_in_a_name_cannot_forge_a_line(
    tmp_path: Path, capsys
) -> None:
    media = tmp_path / "raw" / "2022" / "media"
    media.mkdir(parents=True)
    header = "日期,媒体,级别,稿件数\n"
    # what unzipping a Windows zip leaves on Linux: the name's GBK bytes
    with open(os.fsencode(media) + b"/" + "西湖报送.csv".encode("gbk"), "wb") as handle:
        handle.write((header + "2022-03-01,西湖报,区级,2\n").encode())
    (media / "y.csv:2: 伪造\nx.csv").write_text(header + "2022-03-01,西湖报,区级,x\n", encoding="utf-8")
    assert main(["check", "--raw-dir", str(tmp_path / "raw")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{media}/y.csv:2: 伪造\\nx.csv:2: 稿件数“x”不是大于等于0的整数"]
    assert "读取2行，计入1行，退回1行" in err

    from pipeline.contract import TABLES, Program
    from pipeline.defs.raw import raw_file_hashes, year_versions
    from pipeline.intake.tables import take_in

    assert sorted(take_in(tmp_path / "raw", 2022, TABLES["media"], Program()).sources["file"]) == [
        "2022/media/y.csv:2: 伪造\\nx.csv", "2022/media/西湖报送.csv"]
    assert list(year_versions(raw_file_hashes(tmp_path / "raw"))) == ["2022"]


def test_a_workbook_with_a_damaged_sheet_stream_is_named_unreadable(tmp_path: Path, capsys) -> None:
    path = media_workbook(tmp_path / "raw" / "2022" / "media" / "m.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    for offset in range(start + 5, start + sheet.compress_size - 5, 7):  # scramble the deflate stream
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    assert main(["check", "--raw-dir", str(tmp_path / "raw")]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: 无法读取，未计入：") and "Traceback" not in err
