"""publish and diff: editions are dated, numbered, never overwritten, refused when the bundle is
not current or not trustworthy; diff matches table rows by the table's key and never invents a
change (tests/test_editions_atomic.py: damaged editions, a killed publish, publish racing a swap)."""

import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import Built, project_resources, tree_digest, write_csv

from pipeline.cli import main
from pipeline.config import REPORTS_DIR
from pipeline.definitions import defs
from pipeline.defs.assets import ASSETS
from pipeline.defs.checks import blocking_checks
from pipeline.defs.partitions import YEARS
from pipeline.ops.editions import Published, PublishRefused, failed_blocking_checks, publish
from pipeline.report.compare import diff_editions
from pipeline.report.integrity import write_manifest

BLOCKING = blocking_checks(ASSETS)


def _bundle(built: Built, renderer: str = "quarto") -> Path:
    """The fixture's bundle, built again when its inputs changed since."""
    outcome = built.build(renderer=renderer)
    assert outcome.success, outcome.summary
    return built.out / "2022"


def _publish(built: Built, accept_rejects: bool = True) -> Published:
    return publish(built.instance, built.raw, built.out, 2022, str(built.warehouse), accept_rejects=accept_rejects)


def test_publish_refuses_rejected_rows_unless_accepted(built: Built) -> None:
    bundle = _bundle(built)
    with pytest.raises(PublishRefused, match="输入数据中有13行被退回、2个文件无法读取"):
        _publish(built, accept_rejects=False)
    edition = _publish(built).edition
    assert edition == bundle / "editions" / "2022-02-15-1"
    assert sorted(p.name for p in edition.iterdir()) == ["figures.json", "manifest.json", "progress-report.docx",
                                                         "progress-report.html", "progress-report.pdf"]
    assert sorted(p.name for p in (bundle / "editions").iterdir()) == ["2022-02-15-1"]  # no staging folder left


def test_editions_are_numbered_and_never_overwritten(built: Built) -> None:
    _bundle(built)
    first = _publish(built).edition
    marker = (first / "figures.json").read_bytes()
    second = _publish(built).edition
    assert (first.name, second.name) == ("2022-02-15-1", "2022-02-15-2")
    assert (first / "figures.json").read_bytes() == marker


def test_publish_refuses_a_bundle_older_than_its_inputs(built: Built) -> None:
    _bundle(built)
    write_csv(built.raw / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    with pytest.raises(PublishRefused, match=r"报告已过期：.*媒体宣传（media）"):
        _publish(built)


def test_publish_refuses_a_bundle_built_before_program_yaml_changed(built: Built) -> None:
    _bundle(built)
    (built.raw / "program.yaml").write_text("name: 拱墅区高质量发展建设共同富裕示范区\n", encoding="utf-8")
    with pytest.raises(PublishRefused, match=r"报告已过期：.*工作动态（dynamics）.*媒体宣传（media）"):
        _publish(built)


def test_publish_refuses_a_bundle_built_before_an_office_template_was_added(built: Built) -> None:
    _bundle(built)
    template = (REPORTS_DIR / "progress-report.qmd").read_text(encoding="utf-8")
    (built.raw / "report.qmd").write_text(template + "\n本报告由区共富办编制。\n", encoding="utf-8")
    with pytest.raises(PublishRefused, match=r"报告已过期：.*报告（模板、生成设置或报告文件）（progress_report）"):
        _publish(built)
    assert _bundle(built) and _publish(built).edition.name == "2022-02-15-1"  # built again, it is current


def test_publish_plans_with_the_as_of_and_renderer_the_build_asked_for(built: Built) -> None:
    outcome = built.build(as_of="2022-02-10", renderer="embedded")
    assert outcome.success, outcome.summary
    assert _publish(built).edition.name == "2022-02-10-1"


def test_publish_refuses_a_bundle_file_that_is_not_what_its_manifest_records(built: Built) -> None:
    bundle = _bundle(built)
    pdf = bundle / "progress-report.pdf"
    pdf.write_bytes(pdf.read_bytes()[:-3])
    with pytest.raises(PublishRefused, match=rf"报告文件与其清单不符：{pdf}：与 manifest.json 记录的 SHA-256 不一致"):
        _publish(built)
    assert not (bundle / "editions").exists()


def test_publish_refuses_an_editions_folder_that_leads_into_the_raw_folder(built: Built) -> None:
    bundle = _bundle(built)
    (bundle / "editions").symlink_to(built.raw / "2022")
    before = tree_digest(built.raw)
    with pytest.raises(PublishRefused, match="与原始数据文件夹 .* 相互包含；发布不会写入原始数据文件夹"):
        _publish(built)
    assert tree_digest(built.raw) == before


def _figures_after_a_hand_edit(built: Built, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    """Someone edits the warehouse by hand (a task's area outside the programme), then `figures`
    runs: its blocking check fails."""
    with duckdb.connect(str(built.warehouse)) as conn:
        conn.execute("update tasks set area = '乡村振兴' where id = 'ZD-01'")
    return dg.materialize(
        list(defs().assets), selection=dg.AssetSelection.assets("figures"), instance=instance, partition_key="2022",
        resources=project_resources(built.raw, built.base), raise_on_error=False,
    )


def test_publish_refuses_when_a_blocking_check_failed(built: Built) -> None:
    _bundle(built)
    assert failed_blocking_checks(built.instance, BLOCKING, 2022) == []
    assert not _figures_after_a_hand_edit(built, built.instance).success
    failed = failed_blocking_checks(built.instance, BLOCKING, 2022)
    assert [f.split("（运行")[0] for f in failed] == ["figures:areas_within_program"]
    with pytest.raises(PublishRefused, match="最近一次生成中有阻断性校验未通过：figures:areas_within_program"):
        _publish(built)


def test_publish_never_forgets_a_failed_check_however_many_runs_of_other_years_follow(built: Built) -> None:
    """The runs go to an in-memory instance: it answers check queries with the same SQL as the
    project's SQLite one (Dagster's in-memory event log is SQLite in memory), at a seventh of
    the cost of a run; the project instance's records are tested above."""
    _bundle(built)
    instance = dg.DagsterInstance.ephemeral()
    assert not _figures_after_a_hand_edit(built, instance).success

    # 51 runs of other years evaluate the same check (a stand-in `figures`, fast to run)
    @dg.asset(name="figures", partitions_def=YEARS, check_specs=[dg.AssetCheckSpec("areas_within_program", asset="figures")])
    def other_years_figures() -> dg.MaterializeResult:
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(check_name="areas_within_program", passed=True)])

    for run in range(51):
        dg.materialize([other_years_figures], instance=instance, partition_key=str(2020 + run % 2))
    assert len(instance.get_runs()) == 52
    failed = failed_blocking_checks(instance, BLOCKING, 2022)
    assert [f.split("（运行")[0] for f in failed] == ["figures:areas_within_program"]
    with pytest.raises(PublishRefused, match="阻断性校验未通过"):
        publish(instance, built.raw, built.out, 2022, str(built.warehouse), accept_rejects=True)


def test_publish_tidies_what_a_killed_publish_left_and_names_a_damaged_edition(built: Built) -> None:
    editions = _bundle(built) / "editions"
    first = _publish(built).edition
    (first / "progress-report.pdf").unlink()  # an edition an earlier version left half-written
    (editions / ".publishing-k1llED").mkdir()
    (editions / ".publishing-k1llED" / "progress-report.html").write_text("<p>half</p>", encoding="utf-8")
    published = _publish(built)
    assert published.edition.name == "2022-02-15-2"
    assert published.notes == [f"已清理一次中断的发布留下的未完成副本：{editions / '.publishing-k1llED'}",
                               f"警告：已发布的版本 2022-02-15-1 不完整或已改动：{first / 'progress-report.pdf'}：文件缺失"]
    assert sorted(p.name for p in editions.iterdir()) == ["2022-02-15-1", "2022-02-15-2"]


def test_diff_names_changed_figures_and_paragraphs(built: Built) -> None:
    _bundle(built)
    first = _publish(built).edition
    write_csv(built.raw / "2022" / "media" / "2022-02-20.csv", "日期,媒体,级别,稿件数\n2022-02-14,西湖报,区级,4\n")
    _bundle(built)
    second = _publish(built).edition
    lines = diff_editions(first, second)
    assert "数字 media_articles_total：25 -> 29" in lines
    assert "数字 media_by_level.区级：14 -> 18" in lines
    assert any(line.startswith("段落删除：") and "25" in line for line in lines)
    assert any(line.startswith("段落新增：") and "29" in line for line in lines)
    assert diff_editions(first, first) == []
    assert json.loads((second / "figures.json").read_text(encoding="utf-8"))["media_articles_total"] == 29


# --- diff of real editions (the embedded renderer: the HTML has the report's tables) ----------


def _two_editions(built: Built, change: callable) -> list[str]:
    """Publish the fixture's report, make `change` to the raw folder, build and publish again:
    what diff prints between the two editions."""
    _bundle(built, "embedded")
    first = _publish(built).edition
    change(built.raw / "2022")
    _bundle(built, "embedded")
    return diff_editions(first, _publish(built).edition)


def test_diff_of_an_edition_and_one_with_the_same_content_prints_nothing(built: Built, capsys) -> None:
    _bundle(built, "embedded")
    first, second = _publish(built).edition, _publish(built).edition
    capsys.readouterr()
    assert main(["diff", str(first), str(second)]) == 0
    assert main(["diff", str(first), str(first)]) == 0
    assert capsys.readouterr() == ("", "")


def test_diff_shows_one_meeting_added_as_one_added_row(built: Built) -> None:
    def add_a_meeting(year: Path) -> None:
        with (year / "meetings.csv").open("a", encoding="utf-8") as handle:
            handle.write("2022-02-10,区共富专班工作例会,专题例会\n")  # between the two: 序号 shifts, not a change

    lines = _two_editions(built, add_a_meeting)
    assert [line for line in lines if not line.startswith(("段落", "数字"))] == [
        "表1 新增行：2 | 2022年2月10日 | 区共富专班工作例会 | 专题例会",
        "表6 会议 / 读取行：3 -> 4",
        "表6 会议 / 计入：2 -> 3",
        "表6 合计 / 读取行：46 -> 47",
        "表6 合计 / 计入：28 -> 29",
    ]
    assert [line for line in lines if line.startswith("数字")] == ["数字 meetings_total：2 -> 3", "数字 rows_read：46 -> 47"]


def test_diff_shows_one_dynamic_moved_to_another_area_as_the_cells_that_changed(built: Built) -> None:
    def move_a_dynamic(year: Path) -> None:
        path = year / "dynamics" / "2022-01-07.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("三墩镇,经济高质量发展,", "三墩镇,社会治理,"), encoding="utf-8")

    lines = _two_editions(built, move_a_dynamic)
    assert [line for line in lines if line.startswith(("表", "数字"))] == [
        "数字 dynamics_by_area.社会治理：3 -> 4",
        "数字 dynamics_by_area.经济高质量发展：2 -> 1",
        "表2 经济高质量发展 / 工作动态：2 -> 1",
        "表2 经济高质量发展 / 合计：2 -> 1",
        "表2 社会治理 / 工作动态：3 -> 4",
        "表2 社会治理 / 合计：3 -> 4",
    ]


# --- diff of hand-made editions: how rows are matched ------------------------------------------


def _edition(folder: Path, total: int, tables: list[tuple[str, str, list[str], list[tuple]]], paragraph: str) -> Path:
    """An edition whose report has `tables` (caption, caption attributes, header, rows) and whose
    manifest records its files."""
    folder.mkdir()
    (folder / "figures.json").write_text(json.dumps({"dynamics_total": total}), encoding="utf-8")
    html = [f"<html><body><p>{paragraph}</p>"]
    for caption, attributes, header, rows in tables:
        head = "".join(f"<th>{h}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        html.append(f"<table {attributes}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
                    f"<tbody>{body}</tbody></table>")
    (folder / "progress-report.html").write_text("".join(html) + "</body></html>", encoding="utf-8")
    (folder / "progress-report.pdf").write_bytes(b"%PDF-1.7")
    (folder / "progress-report.docx").write_bytes(b"PK")
    write_manifest(folder, {"year": 2022})
    return folder


AREAS = ["领域", "工作动态（条）", "信息（篇）"]
TASKS = ["类型", "领域", "合计", "已完成"]


def test_diff_names_a_changed_table_cell_by_its_table_row_and_column(tmp_path: Path) -> None:
    caption, key = "表2 各领域工作动态和信息报送情况", 'data-key="领域"'
    a = _edition(tmp_path / "a", 54, [(caption, key, AREAS, [("经济高质量发展", 38, 3), ("社会治理", 16, 2)])], "已收集各类动态50余条。")
    b = _edition(tmp_path / "b", 55, [(caption, key, AREAS, [("经济高质量发展", 39, 3), ("收入分配", 1, 0)])], "已收集各类动态50余条。")
    assert diff_editions(a, b) == [
        "数字 dynamics_total：54 -> 55",
        "表2 经济高质量发展 / 工作动态：38 -> 39",
        "表2 新增行：收入分配 | 1 | 0",
        "表2 删除行：社会治理 | 16 | 2",
    ]


def test_rows_whose_first_cell_repeats_are_matched_by_the_whole_key(tmp_path: Path) -> None:
    """表3's 类型 repeats on every row: matched by the first cell, every row looked changed."""
    rows = [("重点工作", "收入分配", 8, 6), ("重点工作", "社会治理", 8, 7), ("重大改革", "扩中提低", 8, 5)]
    caption = "表3 重点工作和重大改革推进情况（分领域）"
    a = _edition(tmp_path / "a", 1, [(caption, 'data-key="类型,领域"', TASKS, rows)], "")
    b = _edition(tmp_path / "b", 1, [(caption, 'data-key="类型,领域"', TASKS, [rows[0], (*rows[1][:3], 8), rows[2]])], "")
    assert diff_editions(a, a) == []
    assert diff_editions(a, b) == ["表3 重点工作 社会治理 / 已完成：7 -> 8"]


def test_a_table_without_a_key_compares_as_a_multiset_and_tables_are_matched_by_title(tmp_path: Path) -> None:
    """Renumbered (表5 -> 表6) and without a key: the rows one edition has and the other has not."""
    header, rows = ["文件", "原因"], [("a.docx", "不是表格"), ("b.docx", "不是表格"), ("b.docx", "不是表格")]
    a = _edition(tmp_path / "a", 1, [("表5 无法读取的文件", "", header, rows)], "")
    b = _edition(tmp_path / "b", 1, [("表1 新表", 'data-key=""', header, []),
                                     ("表6 无法读取的文件", 'data-key=""', header, [rows[1], ("c.docx", "不是表格"), rows[0]])], "")
    assert diff_editions(a, b) == ["表格新增：表1 新表", "表6 新增行：c.docx | 不是表格", "表6 删除行：b.docx | 不是表格"]


def test_the_report_templates_declare_a_key_on_every_table() -> None:
    """Every table caption of the built-in and roll-up templates says which columns identify a
    row (or key="" for none): a table added without one would compare as a multiset of rows."""
    for name in ("progress-report.qmd", "rollup-report.qmd"):
        captions = [line for line in (REPORTS_DIR / name).read_text(encoding="utf-8").splitlines()
                    if re.match(r": .* \{#table-[^ }]+", line)]
        assert captions, name
        assert [c for c in captions if ' key="' not in c] == [], name


def test_diff_refuses_a_folder_that_is_no_edition(tmp_path: Path, capsys) -> None:
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"错误：{tmp_path} 不是已发布的报告版本（其中没有 manifest.json、figures.json 等报告文件）\n"


def test_an_edition_of_an_earlier_version_without_digests_is_still_compared(tmp_path: Path) -> None:
    old = _edition(tmp_path / "old", 5, [], "同一段落")
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    (old / "manifest.json").write_text(json.dumps({"year": manifest["year"]}), encoding="utf-8")
    assert diff_editions(old, _edition(tmp_path / "new", 6, [], "同一段落")) == ["数字 dynamics_total：5 -> 6"]
