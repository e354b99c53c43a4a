"""Hostile file-system entries and names in the raw folder (hardening, round two): FIFOs,
sockets and devices are named and never opened; links are followed inside the raw folder and
named when they leave it; folders not read are named; `#` in a file name is part of the name;
control characters in submitted text print escaped."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import Built, write_csv

from pipeline.cli import main
from pipeline.config import PROJECT_DIR
from pipeline.contract import TABLES, Program
from pipeline.intake.tables import take_in

MEDIA = "日期,媒体,级别,稿件数\n2022-03-01,西湖报,区级,2\n"
SECRET = "2022-03-02,外部泄露的媒体,区级,99\n"


def _program_secret(folder: Path) -> Path:
    """A folder outside the raw folder with what must never reach the report: a media file, a
    dynamics folder, a program.yaml."""
    write_csv(folder / "secret.csv", MEDIA.splitlines()[0] + "\n" + SECRET)
    write_csv(folder / "week" / "w.csv", "日期,报送单位,领域,标题\n2022-03-02,外部单位,社会治理,外部泄露的动态\n")
    write_csv(folder / "program.yaml", "name: 外部泄露的方案\n")
    return folder


def _command(*args: str) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` in a new process: a reader thread blocked opening a FIFO cannot
    be ended by a timeout inside the test process, a process can."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=180)


def test_a_fifo_socket_or_device_is_named_and_never_opened_by_check_or_build(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(built.warehouse))
    dynamics, media = built.raw / "2022" / "dynamics", built.raw / "2022" / "media"
    os.mkfifo(dynamics / "2022-05-06.csv")
    os.symlink("2022-05-06.csv", dynamics / "link-to-fifo.csv")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(media / "m.csv"))  # the socket's file stays when it closes
    with contextlib.suppress(PermissionError):  # a character device, where the container allows one
        os.mknod(media / "dev.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    checked = _command("check", "--raw-dir", str(built.raw))
    assert checked.returncode == 1, checked.stderr  # the fixture folder has rejected rows
    out = checked.stdout.splitlines()
    assert f"{dynamics}/2022-05-06.csv: 跳过：不是普通文件（命名管道（FIFO）），未读取" in out
    assert f"{dynamics}/link-to-fifo.csv: 跳过：不是普通文件（命名管道（FIFO）），未读取" in out
    assert f"{media}/m.csv: 跳过：不是普通文件（套接字（socket）），未读取" in out
    if (media / "dev.csv").exists():
        assert f"{media}/dev.csv: 跳过：不是普通文件（字符设备），未读取" in out
    built_ = _command("build", "--raw-dir", str(built.raw), "--output-dir", str(built.out), "--renderer", "quarto")
    assert built_.returncode == 0, built_.stderr
    inputs = {i["file"]: i for i in json.loads((built.out / "2022" / "manifest.json").read_text(encoding="utf-8"))["inputs"]}
    assert inputs["2022/dynamics/2022-05-06.csv"]["sha256"] is None
    html = (built.out / "2022" / "progress-report.html").read_text(encoding="utf-8")
    assert "2022/media/m.csv" in html  # the appendix names it


@pytest.mark.timeout(60)
def test_a_program_yaml_that_is_a_fifo_is_named_and_the_default_programme_used(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    write_csv(raw / "2022" / "media" / "m.csv", MEDIA)
    os.mkfifo(raw / "program.yaml")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{raw}/program.yaml: 跳过：不是普通文件（命名管道（FIFO）），未读取（使用默认方案）"]


def test_links_inside_the_raw_folder_are_followed_and_links_leaving_it_are_named(tmp_path: Path, capsys) -> None:
    outside = _program_secret(tmp_path / "outside")
    raw = tmp_path / "raw"
    media = raw / "2022" / "media"
    write_csv(media / "own.csv", MEDIA)
    write_csv(raw / "共享" / "shared.csv", MEDIA.replace("2022-03-01", "2022-03-05"))
    os.symlink("../../共享/shared.csv", media / "link-in.csv")  # inside: read
    os.symlink("own.csv", media / "again.csv")  # the same file: read once
    os.symlink(outside / "secret.csv", media / "link-out.csv")
    os.symlink(outside / "week", raw / "2022" / "dynamics")
    os.symlink("..", media / "loop")  # a folder link back up: walked once
    os.symlink(outside / "program.yaml", raw / "program.yaml")
    os.symlink(outside, raw / "2023")
    assert main(["check", "--raw-dir", str(raw), "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"{raw}/2023: 跳过：符号链接指向原始数据文件夹之外，未读取",
        f"{raw}/program.yaml: 跳过：符号链接指向原始数据文件夹之外，未读取（使用默认方案）",
        f"{raw}/共享/: 跳过：不是年度文件夹（年度文件夹的名称为四位数字，如 2022），未读取",
        f"{raw}/2022/dynamics: 跳过：符号链接指向原始数据文件夹之外，未读取",
        f"{raw}/2022/media/again.csv: 跳过：与 2022/media/own.csv 是同一个文件（链接），未重复读取",
        f"{raw}/2022/media/link-out.csv: 跳过：符号链接指向原始数据文件夹之外，未读取",
        f"{raw}/2022/media/loop/: 跳过：与本年度文件夹中另一个文件夹相同（符号链接），未重复读取",
    ]
    assert "外部泄露" not in out
    counted = take_in(raw, 2022, TABLES["media"], Program()).counted
    assert counted.select("file", "row").rows() == [("2022/media/link-in.csv", 2), ("2022/media/own.csv", 2)]
    assert main(["check", "--raw-dir", str(raw), "--year", "2023"]) == 2
    assert "文件夹“2023”：符号链接指向原始数据文件夹之外，未读取" in capsys.readouterr().err


def test_an_unreadable_or_hidden_folder_is_named(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    write_csv(raw / "2022" / "media" / "m.csv", MEDIA)
    locked = raw / "2022" / "dynamics" / "第7周"
    write_csv(locked / "w.csv", "日期,报送单位,领域,标题\n2022-03-02,区民政局,社会治理,一条动态\n")
    write_csv(raw / "2022" / "media" / ".git" / "config", "x")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads a mode-000 folder all the same: it is refused as to anyone else
        listdir = os.listdir
        monkeypatch.setattr(os, "listdir", lambda p: (_ for _ in ()).throw(PermissionError(13, "denied"))
                            if Path(p) == locked else listdir(p))
    try:
        assert main(["check", "--raw-dir", str(raw)]) == 1
    finally:
        locked.chmod(0o755)
    assert capsys.readouterr().out.splitlines() == [
        f"{locked}/: 无法读取，未计入：文件夹没有读取权限，其中的文件未读取",
        f"{raw}/2022/media/.git/: 跳过：隐藏文件夹，其中的文件未读取",
    ]


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_hash_in_a_file_or_sheet_name_is_part_of_the_name(built: Built, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(built.warehouse))  # the one publish plans against
    header = ["日期", "报送单位", "领域", "标题"]
    write_csv(built.raw / "2022" / "media" / "周报#1.csv", MEDIA.replace("西湖报", "周报一号"))
    _workbook(built.raw / "2022" / "dynamics" / "周报.xlsx", {
        "第1周": [header, ["2022-03-01", "区民政局", "社会治理", "第一周的动态"]],
        "a#b": [header, ["2022-03-02", "区民政局", "社会治理", "a#b 表的动态"]],
    })
    assert built.build().success
    with duckdb.connect(str(built.warehouse), read_only=True) as conn:
        assert conn.execute("select file, sheet from media where file like '%周报%'").fetchall() == [
            ("2022/media/周报#1.csv", None)]
        assert sorted(conn.execute("select file, sheet, title from dynamics where file like '%周报%'").fetchall(),
                      key=str) == [("2022/dynamics/周报.xlsx", "a#b", "a#b 表的动态"),
                                   ("2022/dynamics/周报.xlsx", None, "第一周的动态")]
        accounted = dict(conn.execute(
            "select dataset, count(distinct file) from source_files where year = 2022 and not skipped group by dataset"
        ).fetchall())
    bundle = built.out / "2022"
    inputs = {i["file"]: i for i in json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))["inputs"]}
    assert "2022/media/周报#1.csv" in inputs and "2022/media/周报" not in inputs
    assert [s["sheet"] for s in inputs["2022/dynamics/周报.xlsx"]["sheets"]] == ["a#b"]
    sources = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))["sources"]
    assert sources["dynamics_total"]["2022/dynamics/周报.xlsx#a#b"] == "2"
    assert sources["media_articles_total"]["2022/media/周报#1.csv"] == "2"
    assert accounted["dynamics"] == 8  # the fixture's seven files, and the workbook once with its two sheets
    capsys.readouterr()
    assert main(["publish", "--raw-dir", str(built.raw), "--output-dir", str(built.out), "--accept-rejects"]) == 0
    assert main(["explain", "dynamics_total", "--raw-dir", str(built.raw), "--output-dir", str(built.out)]) == 0
    assert "2022/dynamics/周报.xlsx#a#b:2: 2022-03-02  区民政局  社会治理  a#b 表的动态  动态" in capsys.readouterr().out


def test_the_migration_splits_the_sheet_off_old_file_names_once(tmp_path: Path) -> None:
    from pipeline.warehouse.store import ensure_schema, read_year

    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute('create table media (year integer, file varchar, "row" bigint, date date, outlet varchar, '
                     "level varchar, count bigint, theme varchar)")
        conn.execute("insert into media values (2022, '2022/media/表.XLSX#第2周', 2, null, 'a', '区级', 1, null), "
                     "(2022, '2022/media/周报#1.csv', 2, null, 'b', '区级', 1, null), "
                     "(2022, '2022/media/周#1.xlsx#a#b', 3, null, 'c', '区级', 1, null)")
        ensure_schema(conn)
        conn.execute("insert into media (year, file, sheet, \"row\") values (2022, '2022/media/x.xlsx#y.csv', null, 9)")
        ensure_schema(conn)  # once: a `#` in a file's own name is left alone from now on
        assert conn.execute('select file, sheet from media order by "row", file').fetchall() == [
            ("2022/media/周报#1.csv", None), ("2022/media/表.XLSX", "第2周"), ("2022/media/周#1.xlsx", "a#b"),
            ("2022/media/x.xlsx#y.csv", None)]
        assert sorted(read_year(conn, "media", 2022)["file"].to_list()) == sorted([
            "2022/media/周报#1.csv", "2022/media/表.XLSX#第2周", "2022/media/周#1.xlsx#a#b", "2022/media/x.xlsx#y.csv"])


def test_control_characters_in_submitted_text_print_escaped(built: Built, capsys) -> None:
    # a few control bytes among many lines of text (more would make the file read as binary)
    ordinary = "".join(f"2022-04-{day:02},区民政局,社会治理,第{day}条普通的动态标题\n" for day in range(1, 10))
    write_csv(built.raw / "2022" / "dynamics" / "esc.csv", "日期,报送单位,领域,标题\n"
              "2022-03-01,区民政局,社会治理,\x1b[2J清屏的标题\n2022-03-02,区民政局,\x1b]0;伪造\x07社会治理,标题\n"
              "合计\x1b[31m,,,\n" + ordinary)
    assert built.build().success
    assert main(["check", "--raw-dir", str(built.raw)]) == 1
    assert main(["explain", "dynamics_total", "--raw-dir", str(built.raw), "--output-dir", str(built.out)]) == 0
    (built.raw / "program.yaml").write_text('"\\e[2J": 1\n', encoding="utf-8")
    assert main(["check", "--raw-dir", str(built.raw)]) == 1
    out, err = capsys.readouterr()
    printed = out + err
    assert "\x1b" not in printed and "\x07" not in printed
    assert "esc.csv:3: 领域“\\x1b]0;伪造\\x07社会治理”不在方案的工作领域" in out
    assert "esc.csv:4: 日期“合计\\x1b[31m”不是可识别的日期" in out
    assert "esc.csv:2: 2022-03-01  区民政局  社会治理  \\x1b[2J清屏的标题" in out
    assert "未知的键“\\x1b[2J”" in err


def test_a_district_folder_is_any_visible_folder_with_a_year_and_a_bad_one_fails_alone(
    tmp_path: Path, quarto_stand_in: Path, capsys,
) -> None:
    from pipeline.defs.raw import raw_file_hashes, year_versions
    from pipeline.ops.build import run_rollup_build

    raw, out = tmp_path / "raw", tmp_path / "out"
    for district in ("330106", "a|b", "坏区", "好区", ".隐藏区", "a...b"):
        write_csv(raw / district / "2022" / "media" / "m.csv", MEDIA)
    write_csv(raw / "坏区" / "program.yaml", "bogus: 1\n")
    write_csv(raw / "说明" / "readme.txt", "not a district")
    os.symlink(_program_secret(tmp_path / "outside"), raw / "外链区")
    outcome = run_rollup_build(raw, out, 2022, instance=dg.DagsterInstance.ephemeral(), renderer="quarto",
                               warehouse=str(tmp_path / "w.duckdb"))
    lines = outcome.summary.splitlines()
    assert not outcome.success
    assert "a|b/：区县文件夹的名称含有“|”，不能作为区县名称，未读取（请改名）" in lines
    assert "a...b/：区县文件夹的名称含有“...”，不能作为区县名称，未读取（请改名）" in lines
    assert any(line.startswith(f"坏区：生成失败：{raw}/坏区/program.yaml：未知的键“bogus”") for line in lines), lines
    assert "3个区县中有1个生成失败：坏区" in lines
    assert "以下区县的报告未成功生成或已过期：坏区" in outcome.summary
    assert all((out / d / "2022" / "figures.json").is_file() for d in ("330106", "好区"))
    assert not (out / "a|b").exists()
    assert sorted(key.keys_by_dimension["district"] for key in year_versions(raw_file_hashes(raw))) == ["330106", "坏区", "好区"]
    capsys.readouterr()
    assert main(["check", "--raw-dir", str(raw)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:5] == [
        f"{raw}/.隐藏区/: 跳过：隐藏文件夹，其中的文件未读取",
        f"{raw}/a...b/: 无法读取，未计入：区县文件夹的名称含有“...”，不能作为区县名称，未读取（请改名）",
        f"{raw}/a|b/: 无法读取，未计入：区县文件夹的名称含有“|”，不能作为区县名称，未读取（请改名）",
        f"{raw}/外链区: 跳过：符号链接指向原始数据文件夹之外，未读取",
        f"{raw}/说明/: 跳过：其中没有年度文件夹，不是区县文件夹，未读取",
    ]
    assert printed[5].startswith(f"坏区：{raw}/坏区/program.yaml：未知的键“bogus”")
