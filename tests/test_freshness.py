"""Skipping unchanged work: builds re-run only what their inputs, settings or code changed."""

from pathlib import Path

import dagster as dg
import pytest
from conftest import Built, project_resources, ran_assets, write_csv

ALL = {"dynamics", "media", "meetings", "tasks", "achievements", "report_period", "dynamics_weekly",
       "media_monthly", "figures", "progress_report"}
AFTER_MEDIA = {"media", "report_period", "dynamics_weekly", "media_monthly", "figures", "progress_report"}


def test_first_build_runs_every_asset(built: Built) -> None:
    [first] = built.instance.get_runs()  # the fixture folder's first build, into a new instance
    assert first.status == dg.DagsterRunStatus.SUCCESS
    assert ran_assets(built.instance, first.run_id) == ALL


def test_rebuild_with_nothing_changed_runs_nothing(built: Built) -> None:
    runs_before = len(built.instance.get_runs())
    outcome = built.build()
    assert outcome.success and outcome.run_id == ""
    assert "已是最新，未重新运行" in outcome.summary
    assert len(built.instance.get_runs()) == runs_before


def test_one_changed_media_file_reruns_only_its_downstream(built: Built) -> None:
    (built.raw / "2022" / "media" / "2022-02.xlsx").unlink()
    outcome = built.build()
    assert ran_assets(built.instance, outcome.run_id) == AFTER_MEDIA


def test_an_added_media_file_reruns_only_its_downstream(built: Built) -> None:
    write_csv(built.raw / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    outcome = built.build()
    assert ran_assets(built.instance, outcome.run_id) == AFTER_MEDIA
    assert "media_articles_total: 29" in outcome.summary


def test_touching_a_file_without_changing_it_runs_nothing(built: Built) -> None:
    (built.raw / "2022" / "meetings.csv").touch()
    assert built.build().run_id == ""


def test_new_as_of_reruns_the_metrics_and_report_only(built: Built) -> None:
    outcome = built.build(as_of="2022-01-31")
    assert ran_assets(built.instance, outcome.run_id) == {"report_period", "dynamics_weekly", "media_monthly",
                                                           "figures", "progress_report"}
    assert "截至 2022-01-31" in outcome.summary


def test_a_deleted_bundle_reruns_only_the_report(built: Built) -> None:
    (built.out / "2022" / "progress-report.pdf").unlink()
    outcome = built.build()
    assert ran_assets(built.instance, outcome.run_id) == {"progress_report"}
    assert (built.out / "2022" / "progress-report.pdf").is_file()


def test_program_vocabulary_change_reruns_every_ingest(built: Built) -> None:
    (built.raw / "program.yaml").write_text("media_levels: [中央, 省级, 市级, 区级, 乡级]\n", encoding="utf-8")
    outcome = built.build()
    assert ran_assets(built.instance, outcome.run_id) == ALL
    assert "media_articles_total: 27" in outcome.summary  # the 乡级 row (2 articles) now counts


def _materialize_in_process(raw_dir: Path, tmp_path: Path, instance: dg.DagsterInstance, select: str, as_of: str = ""):
    """What the UI launchpad or `dagster asset materialize` does: a run of some assets, outside `build`."""
    from pipeline.defs.assets import ASSETS
    from pipeline.ops.build import build_run_config

    selected = list(dg.AssetSelection.from_coercible(select).resolve(ASSETS))
    return dg.materialize(
        ASSETS, selection=selected, instance=instance, partition_key="2022",
        resources=project_resources(raw_dir, tmp_path, "quarto"),
        run_config=build_run_config(as_of, selected),
    )


def test_a_failed_build_elsewhere_never_leaves_a_mid_year_bundle_up_to_date(built: Built) -> None:
    """Reproduction 1: as-of build; a failed build of the default as-of; then a plain build rebuilds."""
    assert "截至 2022-01-31" in built.build(as_of="2022-01-31").summary
    blocked = built.base / "blocked"
    blocked.write_text("a file where the bundle folder should go")
    assert not built.build(output_dir=blocked).success
    again = built.build()
    assert again.run_id and "截至 2022-02-15" in again.summary
    assert '"as_of": "2022-02-15"' in (built.out / "2022" / "figures.json").read_text(encoding="utf-8")


def test_an_asset_materialised_outside_build_makes_its_downstream_stale(built: Built) -> None:
    """Reproduction 2: a media row added and `media` materialised from the UI; build re-runs the rest."""
    write_csv(built.raw / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-02-14,西湖报,区级,4\n")
    assert _materialize_in_process(built.raw, built.base, built.instance, "media").success
    outcome = built.build()
    assert ran_assets(built.instance, outcome.run_id) == AFTER_MEDIA - {"media"}
    assert "media_articles_total: 29" in outcome.summary


def test_a_ui_run_with_another_as_of_is_not_taken_for_the_command_line_bundle(
    built: Built, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Reproduction 3: CLI build, a launchpad run with another as-of, CLI build again."""
    from pipeline.cli import main

    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(built.warehouse))
    command = ["build", "--raw-dir", str(built.raw), "--output-dir", str(built.out), "--renderer", "quarto"]
    assert main(command) == 0
    assert _materialize_in_process(built.raw, built.base, built.instance, "*", as_of="2022-01-31").success
    capsys.readouterr()
    assert main(command) == 0
    assert "截至 2022-02-15" in capsys.readouterr().out
    assert '"as_of": "2022-02-15"' in (built.out / "2022" / "figures.json").read_text(encoding="utf-8")


def test_a_warehouse_that_lost_the_years_figures_is_rebuilt_not_reported_empty(built: Built) -> None:
    import duckdb

    figures = (built.out / "2022" / "figures.json").read_bytes()
    # what a restored backup, or a write that failed after the records were made, leaves behind
    with duckdb.connect(str(built.warehouse)) as conn:
        conn.execute("delete from figures where year = 2022")
    outcome = built.build()
    assert outcome.success, outcome.summary
    assert ran_assets(built.instance, outcome.run_id) == ALL
    assert (built.out / "2022" / "figures.json").read_bytes() == figures
