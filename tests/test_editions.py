"""publish and diff: editions are dated, numbered, never overwritten, and refused when untrustworthy."""

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import Built, project_resources, write_csv

from pipeline.definitions import defs
from pipeline.defs.assets import ASSETS
from pipeline.defs.checks import blocking_checks
from pipeline.defs.partitions import YEARS
from pipeline.defs.resources import ReportRenderer
from pipeline.ops.editions import PublishRefused, failed_blocking_checks, publish
from pipeline.report.compare import diff_editions

BLOCKING = blocking_checks(ASSETS)


def _bundle(built: Built) -> Path:
    """The fixture's bundle, built again when its inputs changed since."""
    outcome = built.build()
    assert outcome.success, outcome.summary
    return built.out / "2022"


def test_publish_refuses_rejected_rows_unless_accepted(built: Built) -> None:
    bundle = _bundle(built)
    with pytest.raises(PublishRefused, match="13 rejected rows and 2 unreadable files"):
        publish(bundle, built.raw, 2022, failed_checks=[])
    edition = publish(bundle, built.raw, 2022, failed_checks=[], accept_rejects=True).edition
    assert edition == bundle / "editions" / "2022-02-15-1"
    assert sorted(p.name for p in edition.iterdir()) == ["figures.json", "manifest.json", "progress-report.docx",
                                                         "progress-report.html", "progress-report.pdf"]


def test_editions_are_numbered_and_never_overwritten(built: Built) -> None:
    bundle = _bundle(built)
    first = publish(bundle, built.raw, 2022, [], accept_rejects=True).edition
    marker = (first / "figures.json").read_bytes()
    second = publish(bundle, built.raw, 2022, [], accept_rejects=True).edition
    assert (first.name, second.name) == ("2022-02-15-1", "2022-02-15-2")
    assert (first / "figures.json").read_bytes() == marker


def test_publish_refuses_a_bundle_older_than_its_inputs(built: Built) -> None:
    bundle = _bundle(built)
    write_csv(built.raw / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    with pytest.raises(PublishRefused, match=r"out of date: 1 input file\(s\) changed .*2022/media/2022-03.csv"):
        publish(bundle, built.raw, 2022, [], accept_rejects=True)


def _figures_after_a_hand_edit(built: Built, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    """Someone edits the warehouse by hand (a task's area outside the programme), then `figures`
    runs: its blocking check fails."""
    with duckdb.connect(str(built.warehouse)) as conn:
        conn.execute("update tasks set area = '乡村振兴' where id = 'ZD-01'")
    return dg.materialize(
        list(defs.assets), selection=dg.AssetSelection.assets("figures"), instance=instance, partition_key="2022",
        resources=project_resources(built.raw, built.base) | {"renderer": ReportRenderer()}, raise_on_error=False,
    )


def test_publish_refuses_when_a_blocking_check_failed(built: Built) -> None:
    bundle = _bundle(built)
    assert failed_blocking_checks(built.instance, BLOCKING, 2022) == []
    assert not _figures_after_a_hand_edit(built, built.instance).success
    failed = failed_blocking_checks(built.instance, BLOCKING, 2022)
    assert [f.split(" (run")[0] for f in failed] == ["figures:areas_within_program"]
    with pytest.raises(PublishRefused, match="blocking checks failed in the latest build: figures:areas_within_program"):
        publish(bundle, built.raw, 2022, failed, accept_rejects=True)


def test_publish_never_forgets_a_failed_check_however_many_runs_of_other_years_follow(built: Built) -> None:
    """The runs go to an in-memory instance: it answers check queries with the same SQL as the
    project's SQLite one (Dagster's in-memory event log is SQLite in memory), at a seventh of
    the cost of a run; the project instance's records are tested above."""
    bundle = _bundle(built)
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
    assert [f.split(" (run")[0] for f in failed] == ["figures:areas_within_program"]
    with pytest.raises(PublishRefused, match="blocking checks failed"):
        publish(bundle, built.raw, 2022, failed, accept_rejects=True)


def test_diff_names_changed_figures_and_paragraphs(built: Built) -> None:
    first = publish(_bundle(built), built.raw, 2022, [], accept_rejects=True).edition
    write_csv(built.raw / "2022" / "media" / "2022-02-20.csv", "日期,媒体,级别,稿件数\n2022-02-14,西湖报,区级,4\n")
    second = publish(_bundle(built), built.raw, 2022, [], accept_rejects=True).edition
    lines = diff_editions(first, second)
    assert "figure media_articles_total: 25 -> 29" in lines
    assert "figure media_by_level.区级: 14 -> 18" in lines
    assert any(line.startswith("paragraph - ") and "25" in line for line in lines)
    assert any(line.startswith("paragraph + ") and "29" in line for line in lines)
    assert diff_editions(first, first) == []
    assert json.loads((second / "figures.json").read_text(encoding="utf-8"))["media_articles_total"] == 29


def _edition(folder: Path, total: int, rows: list[tuple[str, int, int]], paragraph: str) -> Path:
    folder.mkdir()
    (folder / "figures.json").write_text(json.dumps({"dynamics_total": total}), encoding="utf-8")
    body = "".join(f"<tr><td>{area}</td><td>{n}</td><td>{m}</td></tr>" for area, n, m in rows)
    (folder / "progress-report.html").write_text(
        f"<html><body><p>{paragraph}</p><table><caption>表2 各领域工作动态和信息报送情况</caption>"
        f"<thead><tr><th>领域</th><th>工作动态（条）</th><th>信息（篇）</th></tr></thead><tbody>{body}</tbody></table>"
        "</body></html>", encoding="utf-8")
    return folder


def test_diff_names_a_changed_table_cell_by_its_table_row_and_column(tmp_path: Path) -> None:
    a = _edition(tmp_path / "a", 54, [("经济高质量发展", 38, 3), ("社会治理", 16, 2)], "已收集各类动态50余条。")
    b = _edition(tmp_path / "b", 55, [("经济高质量发展", 39, 3), ("收入分配", 1, 0)], "已收集各类动态50余条。")
    assert diff_editions(a, b) == [
        "figure dynamics_total: 54 -> 55",
        "表2 经济高质量发展 / 工作动态: 38 -> 39",
        "表2 收入分配: + 1 | 0",
        "表2 社会治理: - 16 | 2",
    ]
