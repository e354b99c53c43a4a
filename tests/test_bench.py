"""The synthetic raw folders and the benchmark command (at a tiny size: no timing is asserted),
and the fast paths the benchmark led to, checked against the plain rules they stand in for."""

import json
import os
import platform
import random
from pathlib import Path

import polars as pl
import pytest
from conftest import tree_digest

from pipeline.contract import TABLES, Program
from pipeline.intake import encodings
from pipeline.intake.normalise import normalise_cells, normalised
from pipeline.intake.tables import take_in
from pipeline.intake.encodings import UnreadableFile, detect_encoding
from pipeline.ops.province import PER_PARTITION_MAX
from tools.bench import run_bench
from tools.bench_districts import run_district_bench
from tools.bench_report import summarise
from tools.synthetic import make_raw_folder

# Which words of a reject's reason show which planted fault it is.
FAULT_WORDS = {
    "empty": "为空",
    "not_a_date": "不是日历上存在的日期",
    "outside_year": "不在报告年度",
    "area": "不在方案的工作领域",
    "kind": "类别“",
    "level": "不在方案的媒体级别",
    "count": "不是大于等于0的整数",
    "too_many_cells": "个单元格，但表头只有",
}


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        make_raw_folder(tmp_path / name, 2022, 600, 300, 3, mixed=True, seed=seed)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


@pytest.mark.parametrize("mixed", [False, True])
def test_intake_finds_exactly_the_rows_rejects_and_duplicates_planted(tmp_path: Path, mixed: bool) -> None:
    planted = make_raw_folder(tmp_path, 2022, 1500, 1000, 3, mixed=mixed, bad_fraction=0.02, duplicate_fraction=0.03)
    for name, plan in planted.items():
        intake = take_in(tmp_path, 2022, TABLES[name], Program())
        assert intake.sources["file"].to_list() == list(plan.files)
        assert intake.sources["error"].null_count() == len(plan.files)
        assert (intake.rows_read, intake.rejects.height, intake.duplicates.height, intake.counted.height) == (
            plan.rows, plan.rejected, plan.duplicates, plan.counted
        )
        reasons = intake.rejects["reason"]
        found = {fault: reasons.str.contains(FAULT_WORDS[fault], literal=True).sum() for fault in plan.rejects}
        assert found == plan.rejects
    assert planted["dynamics"].rows == 1500 and planted["media"].rows == 1000
    assert planted["dynamics"].rejected == 30 and planted["dynamics"].duplicates == 45
    assert all(count > 0 for count in planted["media"].rejects.values())


def test_mixed_folder_holds_gb18030_bom_and_xlsx_files_our_reader_reads(tmp_path: Path) -> None:
    planted = make_raw_folder(tmp_path, 2022, 900, 300, 3, mixed=True)
    intake = take_in(tmp_path, 2022, TABLES["dynamics"], Program())
    assert intake.sources["encoding"].to_list() == ["gb18030", "utf-8-sig", "xlsx"]
    assert list(planted["dynamics"].formats) == ["gb18030", "utf-8-sig", "xlsx"]
    first = (tmp_path / planted["dynamics"].files[0]).read_bytes()
    assert first.decode("gb18030").startswith("日期,报送单位") and b"\r\n" in first


def test_bench_at_a_tiny_size_writes_every_required_key(tmp_path: Path) -> None:
    """Every step, the sample builds and the render included, runs and reports a number."""
    output = tmp_path / "bench" / "results.json"
    run_bench(1_000, output, repeat=1, build_repeat=1)
    results = json.loads(output.read_text(encoding="utf-8"))
    assert "errors" not in results["steps"], results["steps"].get("errors")
    assert (results["rows"], results["cores"], results["platform"]) == (1_000, os.cpu_count(), platform.platform())
    assert results["ingest_vs_duckdb_ratio"] > 0 and results["linearity_ratio"] > 0 and results["peak_rss_bytes"] > 0
    assert results["build_seconds"] > 0 and results["noop_rebuild_seconds"] > 0 and results["render_seconds"] > 0
    assert results["steps"]["build"]["runs"] == [results["build_seconds"]]
    # the no-op rebuild is one: a new process, the built sample, nothing re-run
    [said] = results["steps"]["noop_rebuild"]["said"]
    assert said.endswith("；已是最新，未重新运行）") and "（截至 2022-12-23；" in said, said
    assert results["steps"]["render"]["renderer"].startswith("pandoc")
    counts = results["steps"]["ingest_large"]["tables"]["dynamics"]
    assert counts == {"read": 1000, "counted": 980, "rejected": 10, "duplicates": 10}
    assert {t["name"]: t["passed"] for t in results["targets"]}["render_seconds"] is not None
    # the report of the large folder is built whole: every row counted, the listings bounded
    large = results["steps"]["report_build_large"]
    assert results["report_build_large_seconds"] == large["seconds"] > 0 and large["peak_rss_bytes"] > 0
    assert set(large["bundle_bytes"]) >= {"progress-report.html", "progress-report.pdf", "progress-report.docx"}

    # the same measurements had the builds not run: their targets unmeasured
    steps = {name: step for name, step in results["steps"].items() if name not in ("build", "noop_rebuild", "render")}
    without = summarise(results["rows"], results["small_rows"], steps, results["machine"], results["storage"])
    assert without["build_seconds"] is None and without["render_seconds"] is None
    assert {t["name"]: t["passed"] for t in without["targets"]}["build_seconds"] is None
    assert without["ingest_seconds"] == results["ingest_seconds"]


def test_fast_normalisation_matches_the_plain_rule() -> None:
    rng = random.Random(7)
    pools = ["abc XYZ-/.", "区民政局共同富裕", "，。：；（）“”、", "\u3000\u00a0\t\n \u2003\ufeff", "\u0301\u0308",
             "éÅ", "ＡＢＣ１２３", "가각\u1100\u1161\u11a8", "①㈱㎏ﬁ…", "😀𠀀", "\u0dd9\u0dca\u0dcf", "\uf900\u2f00", "\u0378"]
    cells = ["".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 8))) for _ in range(20_000)]
    series = pl.Series("c", [*cells, None, "", " ", "  a  b  "], dtype=pl.String)
    expected = series.to_frame().select(normalised(pl.first())).to_series()
    assert normalise_cells(series).equals(expected)


def test_encoding_is_the_same_when_blocks_split_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encodings, "_BLOCK", 5)
    cases = {"区民政局,😀\n".encode(): "utf-8", "区民政局,一\n".encode("gb18030"): "gb18030",
             "a,b\n".encode() + b"\xe5\x8c": "gb18030", b"\xef\xbb\xbfa,b\n": "utf-8-sig"}
    for i, (data, expected) in enumerate(cases.items()):
        (tmp_path / f"{i}.csv").write_bytes(data)
        assert detect_encoding(tmp_path / f"{i}.csv") == expected
    (tmp_path / "blank.csv").write_bytes(b" \n\t\n" * 5)
    with pytest.raises(UnreadableFile, match="空文件"):
        detect_encoding(tmp_path / "blank.csv")


def test_district_bench_at_a_tiny_province_reports_every_figure(tmp_path: Path) -> None:
    """A province just large enough for one run of build_province_year: every figure is
    measured, the targets are judged, and the event records are counted per district."""
    output = tmp_path / "districts.json"
    results = run_district_bench(PER_PARTITION_MAX + 1, output)
    written = json.loads(output.read_text(encoding="utf-8"))
    assert {k: v for k, v in written.items() if k != "machine"} == {k: v for k, v in results.items() if k != "machine"}
    assert results["cold"]["records"]["build_province_year"]["runs"] == 1
    assert results["one_changed"]["records"]["build_district_year"]["runs"] == 1
    assert results["one_changed"]["rewritten"] == sorted(["区001", "2022"])
    per = results["per_district"]
    # a district's records in the province's run: a materialisation per asset, an evaluation
    # per check, and its share of the run's own (steps, outputs); fewer than its own run has
    assert 20 <= per["event_records_in_one_run"] < per["event_records_alone"]
    assert set(results["floor"]) >= {"ingest", "store_metrics", "charts", "pandoc", "typst", "floor"}
    assert per["floor_seconds"] == results["floor"]["floor"] > 0 and per["over_floor_ratio"] > 0
    assert [t["passed"] for t in results["targets"]][-1] is True
    assert all(isinstance(t["passed"], bool) for t in results["targets"])
    assert results["cold"]["peak_rss_bytes"] > 0 and "builds" in results["cold"]["step_seconds"]
