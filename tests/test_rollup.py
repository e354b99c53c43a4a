"""A roll-up folder (districts as sub-folders): every district's bundle, the roll-up bundle, its
figures summed key by key, untouched districts left alone, and a failing district named.

The fixture (tools/districts.py) has three districts of 2022: 西湖区 is the sample year;
拱墅区 is its January-February with its own outlet level 区县级; 余杭区 has two weeks of
dynamics, one of them resubmitted, a row with an impossible date, and no program.yaml.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import dagster as dg
import pytest
from pages import crossing_words, split_headers
from services import build_environment, dagster_home

from pipeline.cli import main
from pipeline.metrics.rollup import rollup_figures
from tools.districts import FIXTURE_ORDER, ROLLUP_NAME, write_fixture

HEADLINE = ("dynamics_total", "info_total", "media_articles_total", "meetings_total", "key_tasks_total",
            "reforms_total", "landmarks_total", "rows_rejected", "dynamics_duplicates")
# counted by hand from the sample's files (README: Many districts)
EXPECTED = {
    "西湖区": (173, 14, 612, 7, 64, 44, 10, 0, 5),
    "拱墅区": (27, 0, 63, 7, 64, 44, 10, 0, 0),
    "余杭区": (14, 0, 33, 7, 64, 44, 0, 1, 7),
}
TOTALS = (214, 14, 708, 21, 192, 132, 20, 1, 12)


def _figures(bundle: Path) -> dict:
    return json.loads((bundle / "figures.json").read_text(encoding="utf-8"))


def _stamps(folder: Path) -> dict[str, tuple[int, str]]:
    """Each file's modification time and SHA-256."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _environment(env: pytest.MonkeyPatch, base: Path) -> None:
    """The fixture's own Dagster instance and warehouse, for the CLI calls of one test."""
    for name, value in build_environment(base / "home", base / "warehouse.duckdb").items():
        env.setenv(name, value)


@pytest.fixture(scope="session")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The fixture built once through the CLI (once per session: pytest-randomly and xdist may
    interleave this module's tests with others); its folder, and what the first build wrote
    (the scenario test changes the folders afterwards, in whatever order tests run)."""
    base = tmp_path_factory.mktemp("rollup")
    raw, out = write_fixture(base / "raw"), base / "out"
    dagster_home(base / "home")
    with pytest.MonkeyPatch.context() as env:
        _environment(env, base)
        assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
        first = {
            "figures": {d: _figures(out / d / "2022") for d in FIXTURE_ORDER} | {None: _figures(out / "2022")},
            "sha256": {d: hashlib.sha256((out / d / "2022" / "figures.json").read_bytes()).hexdigest() for d in FIXTURE_ORDER},
            "manifest": json.loads((out / "2022" / "manifest.json").read_text(encoding="utf-8")),
            "html": (out / "2022" / "progress-report.html").read_text(encoding="utf-8"),
            "pdf": (out / "2022" / "progress-report.pdf").read_bytes()[:5],
            "docx": (out / "2022" / "progress-report.docx").stat().st_size,
            # the nine-column table of districts: its headers whole, its cells inside their columns
            "pdf_layout": [check(out / "2022" / "progress-report.pdf") for check in (crossing_words, split_headers)],
        }
        with dg.DagsterInstance.get() as instance:
            first["runs"] = [(run.job_name, run.tags.get("dagster/partition")) for run in reversed(instance.get_runs())]
    return base, first


@pytest.fixture
def built(first_build: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict]:
    """The raw and output folders of the built fixture, with its instance for this test's CLI calls."""
    base, first = first_build
    _environment(monkeypatch, base)
    return base / "raw", base / "out", first


def test_each_build_is_recorded_as_a_run_of_its_job(built: tuple[Path, Path, dict]) -> None:
    """`dagster run list` and the UI's runs page name what each run built."""
    assert built[2]["runs"] == [("build_district_year", f"{d}|2022") for d in FIXTURE_ORDER] + [("build_rollup", "2022")]


def test_figures_are_summed_key_by_key_and_listed_per_district_in_order() -> None:
    rolled = rollup_figures({
        "乙区": {"year": 2022, "as_of": "2022-06-30", "dynamics_total": 2, "media_by_level": {"中央": 1, "区级": 2},
                "task_statuses_current": True, "sources": {"dynamics_total": {"2022/a.csv": "2-3"}}},
        "甲区": {"year": 2022, "as_of": "2022-12-23", "dynamics_total": 5, "media_by_level": {"中央": 4, "县级": 1},
                "task_statuses_current": False, "sources": {"dynamics_total": {"2022/a.csv": "2-6"}}},
    })
    assert rolled["dynamics_total"] == 7 and rolled["year"] == 2022 and rolled["as_of"] == "2022-12-23"
    assert rolled["media_by_level"] == {"中央": 5, "区级": 2, "县级": 1}
    assert rolled["task_statuses_current"] is None  # not the same in every district: not claimed
    assert rolled["sources"] == {"dynamics_total": {"乙区/2022/a.csv": "2-3", "甲区/2022/a.csv": "2-6"}}
    assert [d["district"] for d in rolled["districts"]] == ["乙区", "甲区"]
    assert rolled["districts"][1]["dynamics_total"] == 5 and "sources" not in rolled["districts"][1]


def test_every_district_and_the_rollup_are_built_with_exact_figures(built) -> None:
    _, _, first = built
    for district, expected in EXPECTED.items():
        figures = first["figures"][district]
        assert tuple(figures[k] for k in HEADLINE) == expected, district
    rolled = first["figures"][None]
    assert tuple(rolled[k] for k in HEADLINE) == TOTALS
    assert rolled["media_by_level"] == {"中央": 43, "省级": 126, "市级": 228, "区级": 285, "区县级": 26}
    assert [d["district"] for d in rolled["districts"]] == list(FIXTURE_ORDER)
    assert [d["dynamics_total"] for d in rolled["districts"]] == [173, 27, 14]
    assert first["figures"]["西湖区"]["sources"]["dynamics_total"]
    manifest = first["manifest"]
    assert manifest["program"] == ROLLUP_NAME
    assert [(d["district"], d["sha256"]) for d in manifest["districts"]] == [(d, first["sha256"][d]) for d in FIXTURE_ORDER]
    assert any(i["file"] == "余杭区/2022/dynamics/2022-01-21-重报.csv" for i in manifest["inputs"])


def test_the_rollup_report_states_totals_and_one_row_per_district_in_order(built) -> None:
    _, _, first = built
    html = first["html"]
    assert ROLLUP_NAME in html and "2022年工作推进情况（汇总）" in html
    assert "收集各类工作动态200余条" in html and "刊发共同富裕相关稿件700余篇" in html
    rows = [html.index(f'<td style="text-align: left;">{d}</td>') for d in FIXTURE_ORDER]
    assert rows == sorted(rows)
    assert '<td style="text-align: right;">53/64</td>' in html and "159/192" in html
    assert "西湖区</strong>形成标志性成果10项" in html and "拱墅区</strong>形成标志性成果10项" in html
    assert "余杭区</strong>形成标志性成果" not in html
    assert "日期“2022-13-45”不是日历上存在的日期" in html  # 余杭区's rejected row, in its district's appendix
    assert first["pdf"] == b"%PDF-" and first["docx"] > 0
    assert first["pdf_layout"] == [[], []]
    assert "各区（县、市）数据的截止日期不同，见表1。" in html and "<caption>表1 各区（县、市）工作推进情况" in html


def test_check_names_the_bad_row_with_its_district_folder(built, capsys) -> None:
    raw, _, _ = built
    assert main(["check", "--raw-dir", str(raw)]) == 1
    assert f"{raw}/余杭区/2022/dynamics/2022-01-07.csv:9: 日期“2022-13-45”不是日历上存在的日期" in capsys.readouterr().out
    assert main(["check", "--raw-dir", str(raw), "--district", "拱墅区"]) == 0
    assert main(["check", "--raw-dir", str(raw), "--district", "滨江区"]) == 2
    assert "没有区县“滨江区”（已有：" in capsys.readouterr().err


def test_nothing_changed_then_one_district_changed_then_one_district_failing(built, capsys) -> None:
    """In one test: each step starts from the state the one before left."""
    raw, out, _ = built
    before = _stamps(out)
    capsys.readouterr()
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("已是最新，未重新运行") == 4, printed
    assert _stamps(out) == before

    # the roll-up programme's name taken out: the roll-up alone is rebuilt, and names no city
    program = raw / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace(f"name: {ROLLUP_NAME}\n", ""), encoding="utf-8")
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    assert "方案没有名称" in capsys.readouterr().err
    renamed = _stamps(out)
    assert {k: v for k, v in renamed.items() if not k.startswith("2022/")} == \
        {k: v for k, v in before.items() if not k.startswith("2022/")}
    html = (out / "2022" / "progress-report.html").read_text(encoding="utf-8")
    assert "共同富裕示范区建设<br />" in html and "今年以来，纳入汇总的3个区（县、市）全面贯彻落实" in html and "杭州" not in html
    before = renamed

    # the roll-up is published like a bundle (余杭区 has a rejected row)
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out)]) == 1
    assert "输入数据中有1行被退回" in capsys.readouterr().err
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out), "--accept-rejects"]) == 0
    first_edition = out / "2022" / "editions" / "2022-12-23-1"
    assert (first_edition / "progress-report.pdf").is_file()

    # a change in one district rebuilds it and the roll-up only
    with (raw / "余杭区" / "2022" / "dynamics" / "2022-01-07.csv").open("a", encoding="utf-8") as handle:
        handle.write("2022-01-06,仓前街道,社会治理,仓前街道补报一条动态,动态,补报。\n")
    capsys.readouterr()
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    after = _stamps(out)
    for district in ("西湖区", "拱墅区"):
        assert {k: v for k, v in after.items() if k.startswith(district)} == \
            {k: v for k, v in before.items() if k.startswith(district)}, district
    assert _figures(out / "余杭区" / "2022")["dynamics_total"] == 15
    assert _figures(out / "2022")["dynamics_total"] == 215
    assert after["2022/figures.json"] != before["2022/figures.json"]
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out), "--accept-rejects"]) == 0
    capsys.readouterr()
    assert main(["diff", str(first_edition), str(out / "2022" / "editions" / "2022-12-23-2")]) == 0
    changes = capsys.readouterr().out.splitlines()
    assert "数字 districts.余杭区.dynamics_total：14 -> 15" in changes and "数字 dynamics_total：214 -> 215" in changes
    assert "表1 余杭区 / 动态：14 -> 15" in changes, "\n".join(changes)

    # a district's rejected row removed: one row removed from the roll-up's 表3, no other row of it changed
    late = raw / "余杭区" / "2022" / "dynamics" / "2022-01-28.csv"
    rows = ["日期,报送单位,领域,标题,类别,摘要\n", *(f"{day},仓前街道,社会治理,补报第{n}条,动态,\n" for n, day in
                                             enumerate(["2022-01-27", "2022-01-28", "2022-02-30", "2022-13-45"]))]
    late.write_text("".join(rows), encoding="utf-8")  # two rejected rows: 2022-02-30 and 2022-13-45
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out), "--accept-rejects"]) == 0
    late.write_text("".join(rows[:-1]), encoding="utf-8")
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    assert main(["publish", "--raw-dir", str(raw), "--output-dir", str(out), "--accept-rejects"]) == 0
    capsys.readouterr()
    assert main(["diff", str(out / "2022" / "editions" / "2022-12-23-3"), str(out / "2022" / "editions" / "2022-12-23-4")]) == 0
    changes = capsys.readouterr().out.splitlines()
    assert [line for line in changes if not line.startswith("数字")] == [
        "表2 余杭区 / 读取行：168 -> 167",
        "表2 余杭区 / 退回：3 -> 2",
        "表3 删除行：余杭区 | 2022/dynamics/2022-01-28.csv | 5 | 日期“2022-13-45”不是日历上存在的日期",
    ], "\n".join(changes)
    assert "数字 districts.余杭区.rows_rejected：3 -> 2" in changes
    late.unlink()

    # a failing district fails the roll-up, naming it; the other districts are built
    # (拱墅区's bundle cannot be written: a file where its output folder goes)
    shutil.rmtree(out / "拱墅区")
    (out / "拱墅区").write_text("not a folder")
    with (raw / "余杭区" / "2022" / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("2022-12-20,区共同富裕示范区建设领导小组第八次会议,领导小组会议\n")
    (raw / "拱墅区" / "2022" / "meetings.csv").write_bytes((raw / "余杭区" / "2022" / "meetings.csv").read_bytes())
    rollup_before = _stamps(out / "2022")
    capsys.readouterr()
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 1
    printed = capsys.readouterr()
    assert "2022年汇总报告未生成：以下区县的报告未成功生成或已过期：拱墅区" in printed.err
    assert "3个区县中有1个生成失败：拱墅区" in printed.err
    assert _figures(out / "余杭区" / "2022")["meetings_total"] == 8  # the other district was built
    assert _stamps(out / "2022") == rollup_before  # the roll-up kept its previous bundle
    (out / "拱墅区").unlink()
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded"]) == 0
    assert _figures(out / "2022")["meetings_total"] == 23


    # one district alone
    capsys.readouterr()
    assert main(["build", "--raw-dir", str(raw), "--output-dir", str(out), "--renderer", "embedded", "--district", "拱墅区"]) == 0
    printed = capsys.readouterr().out
    assert f"{out}/拱墅区/2022" in printed and "roll-up" not in printed


def test_explain_reads_a_district_with_the_rollups_vocabulary(tmp_path: Path, capsys) -> None:
    """A district without its own program.yaml uses the roll-up's outlet levels, in explain too."""
    raw = tmp_path / "raw"
    (raw / "余杭区" / "2022" / "media").mkdir(parents=True)
    (raw / "program.yaml").write_text("name: 杭州市\nmedia_levels: [中央, 省级, 市级, 区县级]\n", encoding="utf-8")
    (raw / "余杭区" / "2022" / "media" / "2022-01.csv").write_text(
        "日期,媒体,级别,稿件数\n2022-01-07,余杭发布,区县级,3\n", encoding="utf-8")
    bundle = tmp_path / "out" / "余杭区" / "2022"
    bundle.mkdir(parents=True)
    (bundle / "figures.json").write_text(json.dumps({
        "media_by_level": {"区县级": 3}, "sources": {"media_by_level.区县级": {"2022/media/2022-01.csv": "2"}},
    }, ensure_ascii=False), encoding="utf-8")
    assert main(["explain", "media_by_level.区县级", "--raw-dir", str(raw), "--output-dir", str(tmp_path / "out"),
                 "--district", "余杭区"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "合计：3篇（1行）"
