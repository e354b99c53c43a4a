import re
from pathlib import Path

from pipeline.config import PROJECT_DIR
from pipeline.contract import LAYOUT_KINDS, NIL_PHRASES, NIL_REPORT_ROW, TABLES
from pipeline.intake.headers import header_key
from pipeline.intake.inventory import year_files, year_folders


def test_every_file_of_a_year_is_read_or_named_with_why_not(tmp_path: Path) -> None:
    year = tmp_path / "2023"
    files = [
        "dynamics/第7周/办公室.xlsx", "dynamics/第7周/~$办公室.xlsx", "dynamics/街道/西溪/a.CSV", "dynamics/.DS_Store",
        "dynamics/周报说明.docx", "media/b.ods", "会议.xls", "tasks/重点工作.csv", "任务.txt", "成果.tsv", "说明.docx",
        "汇总表.xlsx", ".hidden/x.csv",
    ]
    for name in files:
        (year / name).parent.mkdir(parents=True, exist_ok=True)
        (year / name).write_text("x")
    found = year_files(year)
    assert {t: [p.relative_to(year).as_posix() for p in paths] for t, paths in found.tables.items()} == {
        "dynamics": ["dynamics/第7周/办公室.xlsx", "dynamics/街道/西溪/a.CSV"],
        "media": ["media/b.ods"],
        "meetings": ["会议.xls"],
        "tasks": ["tasks/重点工作.csv", "任务.txt"],
        "achievements": ["成果.tsv"],
    }
    not_read = {e.path.relative_to(year).as_posix(): (e.table, e.skipped, e.reason) for e in found.not_read}
    assert set(not_read) == {
        "dynamics/第7周/~$办公室.xlsx", "dynamics/.DS_Store", "dynamics/周报说明.docx", "说明.docx", "汇总表.xlsx", ".hidden/x.csv"
    }
    assert not_read["dynamics/第7周/~$办公室.xlsx"][:2] == ("dynamics", True)
    assert "临时锁定文件" in not_read["dynamics/第7周/~$办公室.xlsx"][2]
    assert not_read["dynamics/.DS_Store"] == ("dynamics", True, "隐藏文件，未读取")
    assert not_read["dynamics/周报说明.docx"][:2] == ("dynamics", False)
    assert not_read["dynamics/周报说明.docx"][2].startswith("不是可读取的表格文件（.docx）；可读取的格式：.csv、")
    assert not_read["汇总表.xlsx"][:2] == (None, True)
    assert not_read["汇总表.xlsx"][2].startswith("不属于任何数据表（数据表的文件或文件夹名应为：dynamics/工作动态、")


def test_every_header_synonym_names_one_column_of_its_table() -> None:
    for spec in TABLES.values():
        keys = [header_key(alias) for column in spec.columns for alias in (column.name, *column.chinese)]
        assert len(keys) == len(set(keys)), spec.name


def test_year_folders_are_four_digit_folders(tmp_path: Path) -> None:
    for name in ("2021", "2023", "draft", "22", "２０２２", "²⁰²⁴"):
        (tmp_path / name).mkdir()
    (tmp_path / "2024").write_text("a file, not a folder")
    assert year_folders(tmp_path) == [2021, 2023]


def test_the_readme_column_table_is_the_contract() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.index("| table | column | header | also accepted as | required | rule |")
    rows = [line.split("|")[1:-1] for line in readme[start:].split("\n\n")[0].splitlines()[2:]]
    table = ""
    documented = []
    for cells in rows:
        table = cells[0].strip() or table
        also = [a for a in cells[3].strip().split("、") if a]
        documented.append((table, cells[1].strip(), (cells[2].strip(), *also), cells[4].strip() == "yes"))
    assert documented == [
        (spec.name, c.name, c.chinese, c.required) for spec in TABLES.values() for c in spec.columns
    ]


def test_the_readme_layout_row_table_is_the_contract() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.index("| layout row | recognised by |")
    rows = [line.split("|")[1:-1] for line in readme[start:].split("\n\n")[0].splitlines()[2:]]
    documented = {kind.strip(): said for kind, said in rows}
    assert list(documented) == [kind.name for kind in LAYOUT_KINDS]
    for kind in LAYOUT_KINDS:
        assert all(word in documented[kind.name] for word in kind.words), kind.name
    nil = documented[NIL_REPORT_ROW.name]
    phrases = nil[nil.index("标题 is ") + len("标题 is "):nil.index(" (after NFKC")]
    assert re.split(r", | or ", phrases) == list(NIL_PHRASES)
