from pathlib import Path

import pytest

from pipeline.contract import TABLES, Program, ProgramError, load_program, table_files, year_folders


def test_default_program_is_the_reference_vocabulary(tmp_path: Path) -> None:
    program = load_program(tmp_path)
    assert program.name == "西湖区高质量发展建设共同富裕示范区"
    assert len(program.areas) == 7
    assert len(program.reform_areas) == 6
    assert program.media_levels == ("中央", "省级", "市级", "区级")
    assert program.units == ()


def test_program_yaml_replaces_only_the_keys_it_names(tmp_path: Path) -> None:
    (tmp_path / "program.yaml").write_text(
        "name: 拱墅区高质量发展建设共同富裕示范区\nareas: [共富基本单元, ' 数字 化 ']\nunits: [区民政局]\n", encoding="utf-8"
    )
    program = load_program(tmp_path)
    assert program.name == "拱墅区高质量发展建设共同富裕示范区"
    assert program.areas == ("共富基本单元", "数字 化")
    assert program.units == ("区民政局",)
    assert program.reform_areas == Program().reform_areas


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: red\n", "unknown key 'colour'"),
        ("areas: 经济\n", "key 'areas' must be a list"),
        ("media_levels: []\n", "key 'media_levels' must not be an empty list"),
        ("name: [a]\n", "key 'name' must be a non-empty string"),
        ("- just\n- a list\n", "expected a mapping"),
        ("areas: [a\n", "not valid YAML"),
    ],
)
def test_program_yaml_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "program.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProgramError, match=message):
        load_program(tmp_path)


def test_table_files_take_csv_and_xlsx_only_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "2022" / "media"
    folder.mkdir(parents=True)
    for name in ("b.xlsx", "a.csv", "notes.txt", "~$a.xlsx", "c.CSV"):
        (folder / name).write_text("x")
    (tmp_path / "2022" / "meetings.xlsx").write_text("x")
    assert [p.name for p in table_files(tmp_path / "2022", TABLES["media"])] == ["a.csv", "b.xlsx", "c.CSV"]
    assert [p.name for p in table_files(tmp_path / "2022", TABLES["meetings"])] == ["meetings.xlsx"]


def test_year_folders_are_four_digit_folders(tmp_path: Path) -> None:
    for name in ("2021", "2023", "draft", "22"):
        (tmp_path / name).mkdir()
    (tmp_path / "2024").write_text("a file, not a folder")
    assert year_folders(tmp_path) == [2021, 2023]
