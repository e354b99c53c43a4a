"""The weekly submission notice end to end on tests/data/notice (a roster with an alias, a nil
report, a rejected row, two unlisted units, a skip week and the Spring Festival week): notice.json
field by field, the PDF and Word files naming every missing unit, a rebuild that changes
nothing, the same bytes when rebuilt, and the command line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import dagster as dg
import pytest
from conftest import DATA, tree_digest
from services import dagster_home

from pipeline.cli import main
from pipeline.ops.notice import run_notice

NOTICE_RAW = DATA / "notice"
WEEK = "2023-W06"

EXPECTED = {
    "week": "2023-W06", "week_start": "2023-02-06", "week_end": "2023-02-12",
    "deadline": "2023-02-10T17:00:00+08:00",
    "units_expected": ["区民政局", "区教育局", "西溪街道", "仓前街道", "三墩镇"],
    # 区民政局 through its alias 西湖区民政局, 区教育局 by a nil report
    "reported": ["区民政局", "区教育局", "三墩镇"],
    # 西溪街道's only row of the week is rejected (2023-02-30): a rejected row is no report
    "missing": ["西溪街道", "仓前街道"],
    # W01 reported, then W03, W05, W06 missed: W02 (skipped) and W04 (the Spring Festival) neither break nor extend it
    "missing_streak": {"西溪街道": 3},
    "nil_reports": ["区教育局"],
    "late": [],
    "unlisted": [{"unit": "仓前街道办", "suggestion": "仓前街道", "rows": 1},
                 {"unit": "某某公司", "suggestion": None, "rows": 1}],
    "dynamics_week": 2, "info_week": 1,
    "by_unit": [
        {"unit": "区民政局", "weeks_expected": 4, "weeks_reported": 4, "dynamics": 6, "info": 1, "last_week": "2023-W06"},
        {"unit": "区教育局", "weeks_expected": 4, "weeks_reported": 3, "dynamics": 1, "info": 0, "last_week": "2023-W06"},
        {"unit": "西溪街道", "weeks_expected": 4, "weeks_reported": 1, "dynamics": 1, "info": 0, "last_week": "2023-W01"},
        {"unit": "仓前街道", "weeks_expected": 4, "weeks_reported": 1, "dynamics": 1, "info": 0, "last_week": "2023-W05"},
        {"unit": "三墩镇", "weeks_expected": 4, "weeks_reported": 4, "dynamics": 1, "info": 2, "last_week": "2023-W06"},
    ],
}


class Folder:
    def __init__(self, base: Path) -> None:
        self.base, self.raw, self.out, self.warehouse = base, base / "raw", base / "out", base / "warehouse.duckdb"

    @property
    def notice(self) -> Path:
        return self.out / "2023" / "notices" / WEEK

    def run(self, instance: dg.DagsterInstance, **settings: object):  # noqa: ANN201
        return run_notice(self.raw, self.out, 2023, warehouse=str(self.warehouse), renderer="embedded",
                          instance=instance, log_level="WARNING", **settings)


@pytest.fixture(scope="module")
def instance() -> dg.DagsterInstance:
    with dg.DagsterInstance.ephemeral() as test_instance:
        yield test_instance


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, instance: dg.DagsterInstance) -> Folder:
    """The fixture's notice of its latest week, built once (the embedded renderer: real PDF and Word)."""
    folder = Folder(tmp_path_factory.mktemp("notice"))
    shutil.copytree(NOTICE_RAW, folder.raw)
    outcome = folder.run(instance)
    assert outcome.success, outcome.lines
    return folder


def test_the_default_week_is_the_latest_rows_and_its_notice_json_is_exact(built: Folder) -> None:
    figures = json.loads((built.notice / "notice.json").read_text(encoding="utf-8"))
    for key, value in EXPECTED.items():
        assert figures[key] == value, key
    assert figures == EXPECTED
    assert sorted(p.name for p in built.notice.iterdir()) == [
        "manifest.json", "notice.docx", "notice.html", "notice.json", "notice.pdf"]


def _flat(text: str) -> str:
    """Text without whitespace: the PDF breaks lines inside a name."""
    return "".join(text.split())


def test_the_pdf_and_the_word_file_name_every_missing_unit(built: Folder) -> None:
    pdf = _flat(subprocess.run(["pdftotext", str(built.notice / "notice.pdf"), "-"], capture_output=True, text=True,
                               check=True).stdout)
    with zipfile.ZipFile(built.notice / "notice.docx") as docx:
        word = _flat(re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8")))
    html = _flat(re.sub(r"<[^>]+>", "", (built.notice / "notice.html").read_text(encoding="utf-8")))
    for text in (pdf, word, html):
        assert "西湖区高质量发展建设共同富裕示范区工作动态报送情况通报（2023年第6周）" in text
        assert "（2023年2月6日至2月12日）" in text
        assert "应报送工作动态的单位5个，已报送3个（其中零报告1个），未报送2个" in text
        assert "本周未报送的单位（2个）：西溪街道、仓前街道。" in text
        assert "西溪街道（连续3周）" in text
        assert "零报告（本周无工作动态，算作已报送）的单位：区教育局。" in text
        assert "仓前街道办（截至本周1条，是否为“仓前街道”？）" in text and "某某公司（截至本周1条）" in text
        assert "第2周（跳过）、第4周（放假）" in text


def test_the_year_to_date_is_ranked_by_weeks_reported_then_rows(built: Folder) -> None:
    text = (built.notice / "notice.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[^>]*>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]+)</td>", text)
    # 区民政局 and 三墩镇 reported 4 weeks (7 rows against 3); 西溪街道 and 仓前街道 tie on 1 week and 1 row
    assert rows == [("1", "区民政局"), ("2", "三墩镇"), ("3", "区教育局"), ("4", "西溪街道"), ("4", "仓前街道")]


def test_a_rebuild_with_nothing_changed_renders_nothing(built: Folder, instance: dg.DagsterInstance) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in built.notice.iterdir()}
    outcome = built.run(instance)
    assert outcome.success and "已是最新，未重新生成" in outcome.lines[0]
    assert {p.name: p.stat().st_mtime_ns for p in built.notice.iterdir()} == before


def test_a_notice_rendered_again_from_the_same_inputs_has_the_same_bytes(built: Folder, instance: dg.DagsterInstance) -> None:
    before = tree_digest(built.notice)
    shutil.rmtree(built.notice)
    outcome = built.run(instance)
    assert outcome.success and "Dagster 运行" in outcome.lines[0]
    assert tree_digest(built.notice) == before


def test_the_report_bundle_swap_keeps_the_notices(built: Folder) -> None:
    from pipeline.report.bundle import staged_year_folder

    with staged_year_folder(built.out, 2023) as folder:
        (folder / "figures.json").write_text("{}", encoding="utf-8")
    assert (built.notice / "notice.json").is_file()


def test_the_command_names_the_week_and_the_missing_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(NOTICE_RAW, raw)
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    home = dagster_home(tmp_path / "home")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(home / "storage"))
    assert main(["notice", "--raw-dir", str(raw), "--output-dir", str(tmp_path / "out"), "--week", "2023-W05"]) == 0
    said = capsys.readouterr().out
    assert "2023年第5周，应报送5个单位，已报送3个，未报送：区教育局、西溪街道" in said
    assert (tmp_path / "out" / "2023" / "notices" / "2023-W05" / "notice.pdf").is_file()
    assert main(["notice", "--raw-dir", str(raw), "--week", "2023-W60"]) == 2
    assert "--week 2023-W60：2023年没有第60周" in capsys.readouterr().err


def test_without_a_roster_the_notice_says_whom_it_counts(tmp_path: Path) -> None:
    """No `units`: the units owed a week are those that reported before, and the text says so."""
    import datetime as dt

    import polars as pl

    from pipeline.config import REPORTS_DIR
    from pipeline.contract import Program, Week
    from pipeline.report.notice_context import notice_context
    from pipeline.report.template import render_qmd
    from pipeline.portal.receipts import FIRST_RECEIPTS_SCHEMA
    from pipeline.reporting.week_notice import NIL_COLUMNS, ROW_COLUMNS, week_notice

    rows = pl.DataFrame([("甲单位", dt.date(2023, 1, 3), "动态"), ("乙单位", dt.date(2023, 1, 17), "动态")],
                        schema=ROW_COLUMNS, orient="row")
    notice = week_notice(Program(), Week.parse("2023-W03"), rows, pl.DataFrame(schema=NIL_COLUMNS),
                         pl.DataFrame(schema=FIRST_RECEIPTS_SCHEMA))
    assert notice.figures["units_expected"] == ["甲单位"] and notice.figures["missing"] == ["甲单位"]
    text = render_qmd((REPORTS_DIR / "notice.qmd").read_text(encoding="utf-8"), notice_context(Program(), notice))
    assert "工作动态报送情况通报（2023年第3周）" in text
    assert "方案未列出成员单位名单（program.yaml 的 units），本周应报送单位按此前已报送过的单位计。" in text


def test_a_rollup_folder_writes_each_districts_notice_and_one_over_all(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "program.yaml").write_text("name: 杭州市高质量发展建设共同富裕示范区\ndistricts: [西湖区, 拱墅区]\n", encoding="utf-8")
    shutil.copytree(NOTICE_RAW, raw / "西湖区")
    shutil.copytree(NOTICE_RAW, raw / "拱墅区")
    (raw / "拱墅区" / "program.yaml").write_text(
        "name: 拱墅区高质量发展建设共同富裕示范区\nunits: [区民政局, 米市巷街道]\nreporting: {since: 2023-01-02}\n", encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        outcome = run_notice(raw, tmp_path / "out", 2023, warehouse=str(tmp_path / "warehouse.duckdb"),
                             renderer="embedded", instance=instance)
    assert outcome.success, outcome.lines
    xihu = json.loads((tmp_path / "out" / "西湖区" / "2023" / "notices" / WEEK / "notice.json").read_text(encoding="utf-8"))
    assert xihu == EXPECTED
    overall = json.loads((tmp_path / "out" / "2023" / "notices" / WEEK / "notice.json").read_text(encoding="utf-8"))
    assert overall["districts"] == [
        {"district": "西湖区", "units_expected": 5, "reported": 3, "missing": ["西溪街道", "仓前街道"], "nil_reports": 1,
         "unlisted": 2, "dynamics_week": 2, "info_week": 1},
        # 拱墅区's roster: 区民政局 (西湖区民政局 is no alias there: unlisted) and 米市巷街道, who never reported
        {"district": "拱墅区", "units_expected": 2, "reported": 0, "missing": ["区民政局", "米市巷街道"], "nil_reports": 0,
         "unlisted": 7, "dynamics_week": 2, "info_week": 1},
    ]
    assert (overall["units_expected"], overall["reported"], overall["missing"]) == (7, 3, 4)
    pdf = _flat(subprocess.run(["pdftotext", str(tmp_path / "out" / "2023" / "notices" / WEEK / "notice.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout)
    assert "杭州市高质量发展建设共同富裕示范区工作动态报送情况通报（汇总，2023年第6周）" in pdf
    assert "拱墅区：区民政局、米市巷街道。" in pdf and "西湖区：西溪街道、仓前街道。" in pdf


def test_a_unit_whose_first_portal_receipt_came_after_the_deadline_is_late(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from pipeline.contract import SHANGHAI
    from pipeline.portal.receipts import Receipt, Receipts, receipts_file

    accounts = tmp_path / "accounts.db"
    monkeypatch.setenv("PIPELINE_ACCOUNTS", str(accounts))
    received = dt.datetime(2023, 2, 10, 18, 5, tzinfo=SHANGHAI)  # the deadline was 17:00
    Receipts(receipts_file(accounts)).record(Receipt(received, "三墩镇", "三墩镇", "127.0.0.1", "第6周.xlsx", "0" * 64, 100,
                                                     True, year=2023, week=WEEK, weeks=(WEEK,)))
    folder = Folder(tmp_path)
    shutil.copytree(NOTICE_RAW, folder.raw)
    with dg.DagsterInstance.ephemeral() as instance:
        assert folder.run(instance, week=WEEK).success
    figures = json.loads((folder.notice / "notice.json").read_text(encoding="utf-8"))
    assert figures["late"] == ["三墩镇"] and figures == EXPECTED | {"late": ["三墩镇"]}
    text = _flat(re.sub(r"<[^>]+>", "", (folder.notice / "notice.html").read_text(encoding="utf-8")))
    assert "截止时间后报送（迟报）的单位：三墩镇。" in text
