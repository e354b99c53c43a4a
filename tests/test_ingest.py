import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURE_RAW, project_resources, tree_digest, write_csv

from pipeline.defs import ingest
from pipeline.intake.inventory import SUPPORTED


def _materialize(resources: dict, instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(ingest.assets, resources=resources, partition_key="2022", instance=instance)


def _query(resources: dict, sql: str) -> list[tuple]:
    with duckdb.connect(resources["duckdb"].database, read_only=True) as conn:
        return conn.sql(sql).fetchall()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the fixture folder ingested once; the tests that take it only read the warehouse."""
    base = tmp_path_factory.mktemp("ingested")
    raw_dir = base / "raw"
    shutil.copytree(FIXTURE_RAW, raw_dir)
    resources = project_resources(raw_dir, base)
    before = tree_digest(raw_dir)
    result = _materialize(resources)
    assert result.success
    assert tree_digest(raw_dir) == before, "raw files must never be modified"
    return resources


def test_dynamics_table_holds_exactly_the_accepted_unique_rows(ingested: dict) -> None:
    rows = _query(ingested, 'select file, "row", date, unit, area, title, kind from dynamics order by file, "row"')
    assert rows == [
        ("2022/dynamics/2022-01-07.csv", 2, dt.date(2022, 1, 4), "区民政局", "社会治理", "幸福西湖民生综合体开放", "动态"),
        ("2022/dynamics/2022-01-07.csv", 3, dt.date(2022, 1, 5), "区教育局", "公共服务优质共享", "城乡教育共同体签约", "动态"),
        ("2022/dynamics/2022-01-07.csv", 4, dt.date(2022, 1, 6), "三墩镇", "经济高质量发展", "楼宇经济提质增效", "动态"),
        ("2022/dynamics/2022-01-07.csv", 5, dt.date(2022, 1, 7), "区委社建委", "收入分配", "扩中提低专项方案印发", "信息"),
        ("2022/dynamics/2022-01-07.csv", 6, dt.date(2022, 1, 7), "区民政局", "社会治理", "幸福西湖民生综合体开放", "动态"),
        ("2022/dynamics/2022-01-14-bom.csv", 5, dt.date(2022, 1, 12), "区农业农村局", "区域协调发展", "美丽茶乡共富党建联盟", "动态"),
        ("2022/dynamics/2022-01-21-gbk.csv", 2, dt.date(2022, 1, 18), "双浦镇", "生态文明建设", "双浦全域土地综合整治", "动态"),
        ("2022/dynamics/2022-02-11.xlsx", 2, dt.date(2022, 2, 7), "翠苑街道", "社会治理", "石榴籽家园迭代升级", "动态"),
        ("2022/dynamics/2022-02-11.xlsx", 3, dt.date(2022, 2, 8), "转塘街道", "社会文化", "15分钟品质文化生活圈", "信息"),
        ("2022/dynamics/2022-02-11.xlsx", 6, dt.date(2022, 2, 10), "灵隐街道", "区域协调发展", "山海协作飞地项目", "动态"),
        ("2022/dynamics/english.csv", 2, dt.date(2022, 2, 1), "区发改经信局", "经济高质量发展", "高校经济三百行动", "动态"),
        ("2022/dynamics/english.csv", 4, dt.date(2022, 2, 2), "区人力社保局", "收入分配", "西湖无欠薪 行动", "信息"),
    ]


def test_duplicates_across_files_encodings_and_widths_point_at_the_counted_row(ingested: dict) -> None:
    rows = _query(ingested, 'select dataset, file, "row", duplicate_of from duplicates order by dataset, file, "row"')
    assert rows == [
        ("dynamics", "2022/dynamics/2022-01-14-bom.csv", 2, "2022/dynamics/2022-01-07.csv:2"),
        ("dynamics", "2022/dynamics/english.csv", 3, "2022/dynamics/2022-01-07.csv:3"),
        ("media", "2022/media/2022-01.csv", 5, "2022/media/2022-01.csv:4"),
        ("media", "2022/media/2022-02.xlsx", 4, "2022/media/2022-01.csv:4"),
        ("tasks", "2022/tasks.csv", 7, "2022/tasks.csv:6"),
    ]


def test_rejects_table_names_file_row_and_reason(ingested: dict) -> None:
    rows = _query(ingested, 'select file, "row", reason from rejects order by file, "row"')
    assert [(f, r, reason.split("（")[0]) for f, r, reason in rows] == [
        ("2022/achievements.xlsx", 6, "级别“县级”不是以下之一：国家级、省级、市级、区级"),
        ("2022/dynamics/2022-01-14-bom.csv", 3, "领域“不存在的领域”不在方案的工作领域"),
        ("2022/dynamics/2022-01-14-bom.csv", 4, "该行有6个单元格，但表头只有5列"),
        ("2022/dynamics/2022-01-21-gbk.csv", 3, "日期“2021-12-30”不在报告年度2022年内"),
        ("2022/dynamics/2022-01-21-gbk.csv", 4, "类别“其他”不是以下之一：动态、信息"),
        ("2022/dynamics/2022-02-11.xlsx", 4, "标题为空"),
        ("2022/dynamics/english.csv", 5, "日期“2022-02-30”不是日历上存在的日期"),
        ("2022/media/2022-01.csv", 7, "稿件数“-1”不是大于等于0的整数"),
        ("2022/media/2022-01.csv", 8, "稿件数“2.5”不是大于等于0的整数"),
        ("2022/media/2022-01.csv", 9, "级别“乡级”不在方案的媒体级别"),
        ("2022/meetings.csv", 4, "会议名称为空"),
        ("2022/tasks.csv", 4, "领域“扩中提低”不在方案重点工作的工作领域"),
        ("2022/tasks.csv", 8, "状态“搁置”不是以下之一：已完成、推进中、未启动"),
    ]


def test_files_not_used_are_recorded_with_why_and_the_build_goes_on(ingested: dict) -> None:
    rows = _query(ingested, "select file, rows_read, error, skipped from source_files where error is not null order by file")
    assert rows == [
        ("2022/dynamics/corrupt.xlsx", 0, "无法作为 Excel/WPS 工作簿读取（文件已损坏，或内容与扩展名不符）", False),
        ("2022/dynamics/readme.md", 0, f"不是可读取的表格文件（.md）；可读取的格式：{SUPPORTED}", False),
    ]


def test_every_row_read_is_counted_rejected_a_duplicate_or_layout(ingested: dict) -> None:
    per_dataset = _query(
        ingested,
        """select s.dataset, s.n,
                  (select count(*) from rejects r where r.dataset = s.dataset),
                  (select count(*) from duplicates d where d.dataset = s.dataset),
                  (select count(*) from layout_rows l where l.dataset = s.dataset)
           from (select dataset, sum(rows_read) n from source_files group by dataset) s order by s.dataset""",
    )
    counted = {t: _query(ingested, f"select count(*) from {t}")[0][0] for t, *_ in per_dataset}
    assert [(t, n, counted[t] + r + d + lay) for t, n, r, d, lay in per_dataset] == [
        ("achievements", 5, 5),
        ("dynamics", 20, 20),
        ("media", 11, 11),
        ("meetings", 3, 3),
        ("tasks", 7, 7),
    ]


def test_row_conservation_checks_pass_and_are_blocking(resources: dict) -> None:
    result = _materialize(resources)
    evaluations = result.get_asset_check_evaluations()
    assert {(e.asset_key.path[0], e.check_name, e.passed) for e in evaluations} == {
        (name, "row_conservation", True) for name in ("dynamics", "media", "meetings", "tasks", "achievements")
    }
    assert all(check.blocking for assets_def in ingest.assets for check in assets_def.check_specs)


def test_rebuild_replaces_the_year_instead_of_appending(resources: dict, raw_dir: Path) -> None:
    assert _materialize(resources).success
    write_csv(raw_dir / "2022" / "media" / "2022-03.csv", "日期,媒体,级别,稿件数\n2022-03-07,西湖报,区级,4\n")
    assert _materialize(resources).success
    assert _query(resources, "select count(*), sum(count) from media") == [(7, 29)]


def test_program_yaml_widens_the_vocabulary_and_flags_units(resources: dict, raw_dir: Path) -> None:
    (raw_dir / "program.yaml").write_text("media_levels: [中央, 省级, 市级, 区级, 乡级]\nunits: [区民政局]\n", encoding="utf-8")
    assert _materialize(resources).success
    assert _query(resources, "select count(*) from media where level = '乡级'") == [(1,)]
    warned = _query(resources, "select count(*) from warnings where dataset = 'dynamics'")[0][0]
    assert warned == 10  # 12 counted dynamics, 2 of them from 区民政局


def test_task_snapshots_are_dated_by_file_name_or_column_and_never_duplicates(resources: dict, raw_dir: Path) -> None:
    (raw_dir / "2022" / "tasks.csv").unlink()
    header = "编号,类型,领域,名称,状态"
    write_csv(raw_dir / "2022" / "tasks" / "2022-06-30.csv", f"{header}\nZD-01,重点工作,社会治理,a,推进中\n")
    write_csv(raw_dir / "2022" / "tasks" / "年底.csv", f"{header},截至日期\nZD-01,重点工作,社会治理,a,已完成,2022-12-20\n")
    assert _materialize(resources).success
    assert _query(resources, 'select file, id, status, snapshot from tasks order by snapshot') == [
        ("2022/tasks/2022-06-30.csv", "ZD-01", "推进中", dt.date(2022, 6, 30)),
        ("2022/tasks/年底.csv", "ZD-01", "已完成", dt.date(2022, 12, 20)),
    ]
    assert _query(resources, "select count(*) from duplicates where dataset = 'tasks'") == [(0,)]


def test_a_build_reads_each_input_file_once_to_hash_it(tmp_path: Path, raw_dir: Path, project_instance, quarto_stand_in) -> None:
    from pipeline import paths
    from pipeline.ops.build import run_build

    paths._sha256.cache_clear()
    outcome = run_build(raw_dir, tmp_path / "out", 2022, renderer="quarto", warehouse=str(tmp_path / "w.duckdb"),
                        instance=project_instance)
    assert outcome.success
    files = [p for p in (raw_dir / "2022").rglob("*") if p.is_file()]
    # each input file once, and the report's template and the manifest.json its fingerprint records
    assert paths._sha256.cache_info().misses == len(files) + 2


def test_every_sheet_of_a_snapshot_file_takes_the_date_in_its_name(resources: dict, raw_dir: Path) -> None:
    import openpyxl

    (raw_dir / "2022" / "tasks.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "重点工作"
    book.active.append(["编号", "类型", "领域", "名称", "状态"])
    book.active.append(["ZD-01", "重点工作", "社会治理", "a", "推进中"])
    reforms = book.create_sheet("重大改革 v1.2")
    reforms.append(["编号", "类型", "领域", "名称", "状态"])
    reforms.append(["GG-01", "重大改革", "扩中提低", "b", "未启动"])
    (raw_dir / "2022" / "tasks").mkdir()
    book.save(raw_dir / "2022" / "tasks" / "2022-06-30.xlsx")
    assert _materialize(resources).success
    assert _query(resources, "select file, sheet, id, snapshot from tasks order by id") == [
        ("2022/tasks/2022-06-30.xlsx", "重大改革 v1.2", "GG-01", dt.date(2022, 6, 30)),
        ("2022/tasks/2022-06-30.xlsx", None, "ZD-01", dt.date(2022, 6, 30)),
    ]


def test_replacing_a_year_is_all_or_nothing(tmp_path) -> None:
    import duckdb
    import polars as pl
    import pytest

    from pipeline.warehouse.store import replace_year

    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute("create table t (year int, v int)")
        replace_year(conn, "t", 2022, pl.DataFrame({"v": [1, 2]}))
        with pytest.raises(duckdb.Error):
            replace_year(conn, "t", 2022, pl.DataFrame({"v": [3], "missing_column": [4]}))
        assert conn.execute("select v from t order by v").fetchall() == [(1,), (2,)]
