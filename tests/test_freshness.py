"""Skipping unchanged work: builds re-run only what their inputs, settings or code changed."""

from pathlib import Path

import dagster as dg
import pytest
from conftest import ran_assets, write_csv

from pipeline.ops.build import run_build

ALL = {"dynamics", "media", "meetings", "tasks", "achievements", "report_period", "dynamics_weekly",
       "media_monthly", "figures", "progress_report"}
AFTER_MEDIA = {"media", "report_period", "dynamics_weekly", "media_monthly", "figures", "progress_report"}


@pytest.fixture
def build(tmp_path: Path, raw_dir: Path, project_instance: dg.DagsterInstance, quarto_stand_in: Path):
    def _build(as_of: str = "", renderer: str = "quarto"):
        return run_build(raw_dir, tmp_path / "out", 2022, as_of=as_of, renderer=renderer,
                         warehouse=str(tmp_path / "warehouse.duckdb"), instance=project_instance)
    return _build


def test_first_build_runs_every_asset(build, project_instance: dg.DagsterInstance) -> None:
    outcome = build()
    assert outcome.success
    assert ran_assets(project_instance, outcome.run_id) == ALL


def test_rebuild_with_nothing_changed_runs_nothing(build, project_instance: dg.DagsterInstance) -> None:
    build()
    runs_before = len(project_instance.get_runs())
    outcome = build()
    assert outcome.success and outcome.run_id == ""
    assert "up to date, nothing re-run" in outcome.summary
    assert len(project_instance.get_runs()) == runs_before


def test_one_changed_media_file_reruns_only_its_downstream(build, raw_dir: Path, project_instance) -> None:
    build()
    media = raw_dir / "2022" / "media" / "2022-02.xlsx"
    media.unlink()
    outcome = build()
    assert ran_assets(project_instance, outcome.run_id) == AFTER_MEDIA


def test_an_added_media_file_reruns_only_its_downstream(build, raw_dir: Path, project_instance) -> None:
    build()
    write_csv(raw_dir / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    outcome = build()
    assert ran_assets(project_instance, outcome.run_id) == AFTER_MEDIA
    assert "media_articles_total: 29" in outcome.summary


def test_touching_a_file_without_changing_it_runs_nothing(build, raw_dir: Path) -> None:
    build()
    (raw_dir / "2022" / "meetings.csv").touch()
    assert build().run_id == ""


def test_new_as_of_reruns_the_metrics_and_report_only(build, project_instance) -> None:
    build()
    outcome = build(as_of="2022-01-31")
    assert ran_assets(project_instance, outcome.run_id) == {"report_period", "dynamics_weekly", "media_monthly",
                                                           "figures", "progress_report"}
    assert "as of 2022-01-31" in outcome.summary


def test_a_deleted_bundle_reruns_only_the_report(build, tmp_path: Path, project_instance) -> None:
    build()
    (tmp_path / "out" / "2022" / "progress-report.pdf").unlink()
    outcome = build()
    assert ran_assets(project_instance, outcome.run_id) == {"progress_report"}
    assert (tmp_path / "out" / "2022" / "progress-report.pdf").is_file()


def test_program_vocabulary_change_reruns_every_ingest(build, raw_dir: Path, project_instance) -> None:
    build()
    (raw_dir / "program.yaml").write_text("media_levels: [中央, 省级, 市级, 区级, 乡级]\n", encoding="utf-8")
    outcome = build()
    assert ran_assets(project_instance, outcome.run_id) == ALL
    assert "media_articles_total: 27" in outcome.summary  # the 乡级 row (2 articles) now counts
