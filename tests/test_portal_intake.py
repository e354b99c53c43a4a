"""The intake side of the portal: one file checked as `check` checks it, the names the portal
stores uploads under and which of them count, the unit folder, an upload's week and year, the
template passing `check`, and `serve` itself starting as a command."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURE_RAW
from portal_services import ROSTER, WEEK20_ROWS, filled_template, portal_folder
from services import free_port

from pipeline.config import PROJECT_DIR
from pipeline.contract import DYNAMICS, Program, load_program
from pipeline.intake.problems import table_problems
from pipeline.intake.submissions import superseded, unit_folder
from pipeline.intake.tables import take_file, take_in
from pipeline.ops.check import check_year
from pipeline.contract import SHANGHAI
from pipeline.portal.uploads import take_upload

PROGRAM = Program(name="测试区共同富裕示范区", units=ROSTER)


def test_one_file_is_checked_with_the_same_reasons_as_in_its_year_folder() -> None:
    program = load_program(FIXTURE_RAW)
    whole = table_problems(take_in(FIXTURE_RAW, 2022, DYNAMICS, program))
    files = sorted((FIXTURE_RAW / "2022" / "dynamics").iterdir())
    one_by_one = [p for path in files if path.suffix != ".md"
                  for p in table_problems(take_file(path, FIXTURE_RAW, 2022, DYNAMICS, program))]
    # the year folder's own problems (a file of no table format) aside, and warnings about
    # units, which need every file: the same problems, word for word
    assert sorted(map(repr, one_by_one)) == sorted(repr(p) for p in whole if not p.file.endswith(".md"))
    assert any(p.kind == "rejected" for p in one_by_one)


@pytest.mark.parametrize(("names", "replaced"), [
    (["2022-W20-1.xlsx", "2022-W20-2.xlsx"], {"2022-W20-1.xlsx": "2022-W20-2.xlsx"}),
    (["2022-W20-1.xlsx", "2022-W20-3.csv", "2022-W20-2.xlsx"], {"2022-W20-1.xlsx": "2022-W20-3.csv",
                                                                "2022-W20-2.xlsx": "2022-W20-3.csv"}),
    (["2022-W19-1.xlsx", "2022-W20-1.xlsx"], {}),  # another week
    (["2022-W20-1.xlsx", "2022-W20-10.xlsx", "2022-W20-9.xlsx"], {"2022-W20-1.xlsx": "2022-W20-10.xlsx",
                                                                 "2022-W20-9.xlsx": "2022-W20-10.xlsx"}),
    (["2022-W20.xlsx", "周报2022-W20-1.xlsx", "2022-W20-1.md", "2022-W20-0.xlsx"], {}),  # not the portal's names
])
def test_of_a_folders_uploads_for_one_week_the_latest_counts(names: list[str], replaced: dict[str, str]) -> None:
    folder = Path("2022/dynamics/区民政局")
    found = superseded([folder / name for name in names])
    assert {old.name: new.name for old, new in found.items()} == replaced


def test_uploads_of_two_units_for_one_week_never_replace_each_other() -> None:
    assert superseded([Path("d/区民政局/2022-W20-1.xlsx"), Path("d/西溪街道/2022-W20-2.xlsx")]) == {}


@pytest.mark.parametrize("name", ["..", ".", "../区民政局", "区/民政局", "区\\民政局", ".隐藏", "~$锁定", "区\x1b[31m", "", "区\u202e局"])
def test_a_unit_folder_cannot_escape_hide_or_carry_control_characters(name: str) -> None:
    with pytest.raises(ValueError, match="不能用作文件夹名"):
        unit_folder(name)


def test_a_roster_name_is_its_folder() -> None:
    assert unit_folder(" 区民政局 ") == "区民政局"


def _upload(tmp_path: Path, content: bytes, now: dt.datetime, unit: str = "区民政局"):  # noqa: ANN202 - an Outcome
    raw_dir, _ = portal_folder(tmp_path)
    staged = tmp_path / "staged.xlsx"
    staged.write_bytes(content)
    return raw_dir, take_upload(raw_dir, PROGRAM, unit, staged, "动态.xlsx", now)


def test_an_upload_whose_rows_span_weeks_is_the_latest_weeks_and_counts_for_each(tmp_path: Path) -> None:
    rows = [(dt.date(2022, 5, 12), "社会治理", "上周补报", "动态"), *WEEK20_ROWS[:1],
            (dt.date(2022, 6, 30), "社会治理", "日期写错到了下月", "动态")]
    raw_dir, outcome = _upload(tmp_path, filled_template("区民政局", rows), dt.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI))
    # a row dated after the week it arrived in does not move the upload to a later week
    assert (outcome.week, outcome.weeks, outcome.file) == (
        "2022-W20", ("2022-W19", "2022-W20", "2022-W26"), "2022/dynamics/区民政局/2022-W20-1.xlsx")
    assert (raw_dir / outcome.file).is_file()


def test_a_january_upload_of_decembers_rows_goes_to_last_years_folder(tmp_path: Path) -> None:
    rows = [(dt.date(2022, 12, 29), "社会治理", "年终总结", "动态")]
    raw_dir, outcome = _upload(tmp_path, filled_template("区民政局", rows), dt.datetime(2023, 1, 3, 9, tzinfo=SHANGHAI))
    assert (outcome.year, outcome.week, outcome.rows_counted) == (2022, "2022-W52", 1)
    assert outcome.file == "2022/dynamics/区民政局/2022-W52-1.xlsx"


def test_a_file_filled_in_from_the_template_passes_check_with_no_warning(tmp_path: Path) -> None:
    raw_dir, _ = portal_folder(tmp_path)
    folder = raw_dir / "2022" / "dynamics" / "区民政局"
    folder.mkdir()
    (folder / "filled.xlsx").write_bytes(filled_template("区民政局", WEEK20_ROWS))
    checked = check_year(raw_dir, 2022, load_program(raw_dir))
    assert not checked.failed
    assert [line.split(": ", 1)[1].split("（")[0] for line in checked.lines] == ["跳过：工作表不含本表的表头，未读取"]
    assert "计入5行，退回0行" in checked.summary and "警告0条" in checked.summary


def test_serve_listens_on_this_machine_and_says_how_to_make_the_first_office_account(tmp_path: Path) -> None:
    raw_dir = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, raw_dir)
    port = free_port()
    env = {**os.environ, "PIPELINE_ACCOUNTS": str(tmp_path / "data" / "accounts.db")}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--raw-dir", str(raw_dir), "--port", str(port)],
                                   cwd=PROJECT_DIR, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=5) as page:
                    assert "登录" in page.read().decode()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=False)
        if listening.returncode == 0:
            assert f"127.0.0.1:{port}" in listening.stdout
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = log.read_text()
    assert f"报送平台：http://127.0.0.1:{port}/" in output
    assert "尚无办公室账号：请先运行 python -m pipeline accounts add 办公室 --office" in output


def test_serve_refuses_a_rollup_folder_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "raw" / "西湖区" / "2022").mkdir(parents=True)
    done = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--raw-dir", str(tmp_path / "raw")], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=120, env={**os.environ,
                                                                             "PIPELINE_ACCOUNTS": str(tmp_path / "a.db")})
    assert done.returncode == 1
    assert done.stderr.startswith("错误：") and "是汇总文件夹：报送平台为一个区县服务" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
