"""program.yaml: its keys over the defaults, every problem of a file said at once in Chinese
naming its key, what a file may cost, the roster and its aliases, the reporting rules, and a
district's file read over the roll-up's."""

import datetime as dt
import os
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import PROJECT_DIR
from pipeline.contract import (
    MAX_ALIASES,
    MAX_AREAS,
    MAX_DEPTH,
    MAX_DISTRICTS,
    MAX_INT_DIGITS,
    MAX_MEDIA_LEVELS,
    MAX_PROGRAM_BYTES,
    MAX_PROGRAM_NAME,
    MAX_REFORM_AREAS,
    MAX_SKIP_WEEKS,
    MAX_UNITS,
    SHANGHAI,
    Program,
    ProgramError,
    Reporting,
    RosterEntry,
    Week,
    load_program,
    roster_unit,
    suggested_unit,
)
from pipeline.contract.limits import EARLIEST_YEAR, LATEST_YEAR, MAX_SHOWN_PROBLEMS, MAX_TEMPLATE_NAME
from pipeline.intake.districts import district_program

KEYS = "areas、districts、media_levels、name、reform_areas、reporting、template、units"


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.yaml").write_text(text, encoding="utf-8")
    return folder


def _refusal(folder: Path, text: str) -> str:
    """The message of the one ProgramError a program.yaml gives, without the path before it."""
    with pytest.raises(ProgramError) as raised:
        load_program(_write(folder, text))
    message = str(raised.value)
    assert "\n" not in message
    return message.removeprefix(f"{folder / 'program.yaml'}：")


def test_without_program_yaml_the_vocabulary_is_the_references_and_no_district_is_named(tmp_path: Path) -> None:
    program = load_program(tmp_path)
    assert program.name == ""
    assert program.areas == ("经济高质量发展", "收入分配", "区域协调发展", "公共服务优质共享", "社会文化", "生态文明建设", "社会治理")
    assert len(program.reform_areas) == 6
    assert program.media_levels == ("中央", "省级", "市级", "区级")
    assert program.units == ()
    assert program.reporting == Reporting()
    assert (program.reporting.since, program.reporting.deadline, program.reporting.skip_weeks) == (None, "周五 17:00", ())


def test_program_yaml_replaces_only_the_keys_it_names(tmp_path: Path) -> None:
    _write(tmp_path, (
        "name: 拱墅区高质量发展建设共同富裕示范区\nareas: [共富基本单元, ' 数字 化 ']\n"
        "units: [区民政局, {name: 仓前街道, aliases: [仓前街道办事处, ' 仓前 街道办 ']}]\n"
        "reporting: {since: 2023-01-02, deadline: 星期四16:30, skip_weeks: [2023-W18, ２０２３w40]}\n"
    ))
    program = load_program(tmp_path)
    assert program.name == "拱墅区高质量发展建设共同富裕示范区"
    assert program.areas == ("共富基本单元", "数字 化")
    assert program.units == (RosterEntry(name="区民政局"), RosterEntry(name="仓前街道", aliases=("仓前街道办事处", "仓前 街道办")))
    assert program.unit_names == ("区民政局", "仓前街道")
    assert program.reporting == Reporting(since=dt.date(2023, 1, 2), deadline="周四 16:30", skip_weeks=("2023-W18", "2023-W40"))
    assert program.reform_areas == Program().reform_areas
    assert load_program(tmp_path) is program  # read once while the file stays as it is
    assert hash(program) == hash(program.model_copy())


def test_every_problem_of_a_file_is_said_at_once_each_naming_its_key(tmp_path: Path) -> None:
    text = (
        "areas: [社会治理, 收入分配, ' 社会治理 ']\naera: [经济]\nunits: [区民政局, 3, {name: 区教育局, alias: [x]}]\n"
        "reporting: {deadline: 17:00, skip_weeks: [2023-W60]}\nname: 2022\n"
    )
    assert _refusal(tmp_path, text) == (
        "键“areas”中有重复的项：社会治理；"
        f"未知的键“aera”（是否为“areas”？可用的键：{KEYS}）；"
        "键“units”第2项应为单位名称，或“{name: 单位名称, aliases: [别名]}”，而不是数字3；"
        "键“units”第3项中未知的键“alias”（是否为“aliases”？可用的键：aliases、name）；"
        "键“reporting”的“deadline”应为星期和时间（如 周五 17:00），而不是“1020”；"
        "键“reporting”的“skip_weeks”第1项应为ISO周（如 2023-W18），而不是“2023-W60”；"
        "键“name”应为文字，而不是数字2022"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: red\n", f"未知的键“colour”（可用的键：{KEYS}）"),
        ("areas: 经济\n", "键“areas”应为列表（如 [甲, 乙]），而不是“经济”"),
        ("areas: [经济, 7]\n", "键“areas”第2项应为文字，而不是数字7"),
        ("media_levels: []\n", "键“media_levels”的列表不能为空"),
        ("units: []\nreporting: {skip_weeks: []}\n", "键“units”的列表不能为空；键“reporting”的“skip_weeks”的列表不能为空"),
        ("units: [{name: 区民政局, aliases: []}]\n", "键“units”第1项的“aliases”的列表不能为空"),
        ("name: \"a\\x01b\"\n", "键“name”中有控制字符"),
        ("name: [a]\n", "键“name”应为文字，而不是列表"),
        ("name: ' '\n", "键“name”不能为空"),
        ("name: " + "长" * 101 + "\n", "键“name”超过100字：" + "长" * 20 + "…"),
        ("units: [区民政局, " + "长" * 20_000 + "]\n", "键“units”第2项的“name”超过100字：" + "长" * 20 + "…"),
        ("units: [{aliases: [x]}]\n", "键“units”第1项缺少键“name”"),
        ("units: [区民政局, {name: 区教育局, aliases: [区民政局]}]\n", "键“units”中有重复的项：区民政局"),
        ("template: 5\n", "键“template”应为原始数据文件夹中一个文件的名称，而不是数字5"),
        ("reporting: [a]\n", "键“reporting”应为“键: 值”的映射（可用的键：deadline、reminder、since、skip_weeks），而不是列表"),
        ("reporting: {since: 2023-01-02 08:00:00}\n", "键“reporting”的“since”应为日期（如 2023-01-02），而不是“2023-01-02 08:00:00”"),
        ("reporting: {since: 1999-12-31}\n", "键“reporting”的“since”（1999-12-31）不在2000—2099年之间"),
        ("reporting: {deadline: 周五 25:00}\n", "键“reporting”的“deadline”应为星期和时间（如 周五 17:00），而不是“周五 25:00”"),
        ("reporting: {reminder: 周五 18:00}\n", "键“reporting”的“reminder”（周五 18:00）应早于“deadline”（周五 17:00）"),
        ("reporting: {skip_weeks: [2023-W18, 2023-w18]}\n", "键“reporting”的“skip_weeks”中有重复的项：2023-W18"),
        ("reporting: {skip_weeks: [2022-W53]}\n", "键“reporting”的“skip_weeks”第1项应为ISO周（如 2023-W18），而不是“2022-W53”"),
        ("- just\n- a list\n", "应为“键: 值”的映射，而不是列表"),
        ("areas: [a\n", "不是有效的 YAML（第2行第1列：列表缺少“]”，或项之间缺少逗号）"),
        ("name: a\n\tareas: [b]\n", "不是有效的 YAML（第2行第1列：不能用制表符（Tab）缩进，请用空格）"),
        ("a: &x [1, 2]\nb: *x\n", "第2行使用了 YAML 别名（*x）；不支持锚点和别名（& 与 *）"),
        ("areas: !!set {a, b}\n", "第1行键“areas”使用了 YAML 标签（!!set）；program.yaml 不支持标签"),
        ("name: !!python/object/apply:os.system [ls]\n",
         "第1行键“name”使用了 YAML 标签（!!python/object/apply:os.system）；program.yaml 不支持标签"),
        ("reporting: {since: 2023-13-45}\n", "第1行键“reporting”的“since”的日期“2023-13-45”不存在"),
        ("areas: [a]\nareas: [b]\n", "第2行的键“areas”写了两次（YAML 只保留后一个，请删去一个）"),
        ("? [a]\n: b\n", "第1行的键应为文字，而不是列表或映射"),
        ("name: =\n", "第1行键“name”的值“=”作为文字时请加引号"),
        ("1: x\n", f"未知的键“1”（可用的键：{KEYS}）"),
        ("# " + "x" * 70_000 + "\n", "文件过大（超过上限65536字节）"),
        ("name: a\x01b\n", "不是有效的 YAML（含有不能出现在 YAML 中的控制字符）"),
    ],
)
def test_each_mistake_is_one_chinese_line_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    assert _refusal(tmp_path, text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: " + "[" * 5000 + "]" * 5000 + "\n", "第1行键“name”嵌套超过10层（program.yaml 只需几层）"),  # was a RecursionError
        ("name: " + "7" * 5000 + "\n", "第1行键“name”的整数有5000位，超过上限20位"),  # was a ValueError
        ("areas: [" + ",".join(f"a{i:04}" for i in range(10_000)) + "]\n", "键“areas”有10000项，超过上限30项"),
    ],
)
def test_a_program_yaml_that_would_cost_much_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    assert len(text.encode()) < MAX_PROGRAM_BYTES
    assert _refusal(tmp_path, text) == message


@pytest.mark.parametrize(
    ("key", "limit", "item"),
    [
        ("areas", MAX_AREAS, "a{}"), ("reform_areas", MAX_REFORM_AREAS, "r{}"), ("media_levels", MAX_MEDIA_LEVELS, "m{}"),
        ("units", MAX_UNITS, "u{}"), ("districts", MAX_DISTRICTS, "d{}"),
    ],
)
def test_each_list_has_a_documented_limit(tmp_path: Path, key: str, limit: int, item: str) -> None:
    def listing(n: int) -> str:
        return f"{key}: [{', '.join(item.format(i) for i in range(n))}]\n"

    assert len(load_program(_write(tmp_path / "at", listing(limit))).vocabulary(key)) == limit
    assert _refusal(tmp_path / "over", listing(limit + 1)) == f"键“{key}”有{limit + 1}项，超过上限{limit}项"


def test_aliases_and_skipped_weeks_have_their_limits(tmp_path: Path) -> None:
    aliases = ", ".join(f"别名{i}" for i in range(MAX_ALIASES + 1))
    weeks = ", ".join(f"{2023 + i // 52}-W{i % 52 + 1}" for i in range(MAX_SKIP_WEEKS + 1))
    assert _refusal(tmp_path, f"units: [{{name: 区民政局, aliases: [{aliases}]}}]\nreporting: {{skip_weeks: [{weeks}]}}\n") == (
        f"键“units”第1项的“aliases”有{MAX_ALIASES + 1}项，超过上限{MAX_ALIASES}项；"
        f"键“reporting”的“skip_weeks”有{MAX_SKIP_WEEKS + 1}项，超过上限{MAX_SKIP_WEEKS}项"
    )


def test_the_readme_states_each_limit_with_its_value() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.index("| limit | value | checked |")
    rows = [line.split("|")[1:3] for line in readme[start:].split("\n\n")[0].splitlines()[2:]]
    assert [value.strip() for _, value in rows] == [
        f"{MAX_PROGRAM_BYTES // 1024} KiB", f"{MAX_DEPTH} levels", f"{MAX_INT_DIGITS} digits", "none",
        f"{MAX_AREAS} each" if MAX_AREAS == MAX_REFORM_AREAS else "", str(MAX_MEDIA_LEVELS), str(MAX_UNITS),
        str(MAX_ALIASES), str(MAX_SKIP_WEEKS), str(MAX_DISTRICTS), f"{MAX_PROGRAM_NAME} characters",
        f"{MAX_TEMPLATE_NAME} characters", f"{EARLIEST_YEAR}-{LATEST_YEAR}",
    ]
    assert f"at most {MAX_SHOWN_PROBLEMS} problems are listed" in readme


def test_a_file_with_many_problems_lists_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    message = _refusal(tmp_path, "areas: [" + ", ".join(str(i) for i in range(MAX_AREAS)) + "]\n")
    assert message.count("应为文字") == MAX_SHOWN_PROBLEMS
    assert message.endswith(f"；……另有{MAX_AREAS - MAX_SHOWN_PROBLEMS}个问题")


def test_a_program_yaml_saved_with_a_bom_or_in_gbk_is_read(tmp_path: Path) -> None:
    (tmp_path / "program.yaml").write_bytes("\ufeffname: 西湖区高质量发展建设共同富裕示范区\n".encode())
    assert load_program(tmp_path).name == "西湖区高质量发展建设共同富裕示范区"
    (tmp_path / "gbk").mkdir()
    (tmp_path / "gbk" / "program.yaml").write_bytes("name: 拱墅区共同富裕示范区建设\nunits: [区民政局]\n".encode("gbk"))
    assert load_program(tmp_path / "gbk").unit_names == ("区民政局",)


def test_a_program_yaml_that_is_a_folder_or_a_fifo_is_named(tmp_path: Path) -> None:
    (tmp_path / "program.yaml").mkdir()
    with pytest.raises(ProgramError, match="program.yaml：不是文件"):
        load_program(tmp_path)
    (tmp_path / "fifo").mkdir()
    os.mkfifo(tmp_path / "fifo" / "program.yaml")
    with pytest.raises(ProgramError, match="program.yaml：不是文件"):  # and no wait for a writer
        load_program(tmp_path / "fifo")


def test_a_program_yaml_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "outside", "name: 别处的方案\n") / "program.yaml"
    for name, target in (("link", outside), ("dangling", tmp_path / "nowhere.yaml")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "program.yaml").symlink_to(target)
        with pytest.raises(ProgramError, match="program.yaml：是符号链接，未读取"):
            load_program(tmp_path / name)


def test_a_districts_program_yaml_is_read_over_the_rollups_key_by_key(tmp_path: Path) -> None:
    _write(tmp_path, "name: 杭州市共同富裕示范区建设\nunits: [区民政局]\nreporting: {deadline: 周四 17:00, skip_weeks: [2023-W18]}\n")
    _write(tmp_path / "西湖区", "reporting: {deadline: 周三 12:00}\n")
    program = district_program(tmp_path, "西湖区")
    assert program.name == "西湖区"
    assert program.unit_names == ("区民政局",)
    assert program.reporting == Reporting(deadline="周三 12:00", skip_weeks=("2023-W18",))
    _write(tmp_path / "拱墅区", "districts: [a]\nreporting: {reminder: 周五 09:00}\n")
    with pytest.raises(ProgramError) as raised:
        district_program(tmp_path, "拱墅区")
    assert str(raised.value) == (
        f"{tmp_path / '拱墅区' / 'program.yaml'}：键“districts”只能写在汇总文件夹的 program.yaml 中；"
        "键“reporting”的“reminder”（周五 09:00）应早于“deadline”（周四 17:00）"
    )


@pytest.mark.parametrize(
    ("reporting", "week", "deadline", "reminder"),
    [
        (Reporting(), "2023-W20", "2023-05-19T17:00:00+08:00", "2023-05-19T10:00:00+08:00"),
        (Reporting(deadline="周一 09:30"), "2023-W01", "2023-01-02T09:30:00+08:00", "2023-01-01T10:00:00+08:00"),
        (Reporting(deadline="周日 23:59", reminder="周六 18:00"), "2020-W53", "2021-01-03T23:59:00+08:00",
         "2021-01-02T18:00:00+08:00"),
    ],
)
def test_a_weeks_deadline_and_reminder_are_times_in_shanghai(reporting: Reporting, week: str, deadline: str, reminder: str) -> None:
    assert reporting.deadline_at(week).isoformat() == deadline
    assert reporting.reminder_at(week).isoformat() == reminder
    assert reporting.deadline_at(week).tzinfo is SHANGHAI


def test_weeks_are_iso_weeks_named_as_the_notice_names_them() -> None:
    assert str(Week.of(dt.date(2023, 1, 1))) == "2022-W52"
    assert str(Week.of(dt.date(2023, 5, 17))) == "2023-W20"
    assert Week.parse("2023-W20").monday == dt.date(2023, 5, 15)
    assert Reporting(skip_weeks=("2023-W18",)).skipped("2023-W18")
    assert not Reporting(skip_weeks=("2023-W18",)).skipped("2023-W19")


ROSTER = Program(units=("区民政局", {"name": "仓前街道", "aliases": ["仓前街道办事处"]}, "区教育局", "区教育局机关党委")).units


@pytest.mark.parametrize(
    ("written", "unit", "suggestion"),
    [
        ("区民政局", "区民政局", None),
        (" 区民政局 ", "区民政局", None),
        ("区民政局\u3000", "区民政局", None),
        ("仓前街道办事处", "仓前街道", None),  # an alias
        ("仓前街道办", None, "仓前街道"),  # contains 仓前街道 and is contained in the alias
        ("仓前", None, "仓前街道"),
        ("区教育局机关", None, "区教育局"),  # both 区教育局 and 区教育局机关党委: the closer in length
        ("西湖区民政局", None, "区民政局"),
        ("局", None, None),  # one character in common is no suggestion
        ("某协会", None, None),
    ],
)
def test_a_written_unit_matches_its_roster_entry_or_gets_a_suggestion(written: str, unit: str | None, suggestion: str | None) -> None:
    assert roster_unit(written, ROSTER) == unit
    assert suggested_unit(written, ROSTER) == suggestion


def test_check_warns_when_the_programme_has_no_name(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    (raw / "2023" / "meetings.csv").parent.mkdir(parents=True)
    (raw / "2023" / "meetings.csv").write_text("日期,会议名称\n2023-03-01,会\n", encoding="utf-8")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    warning = f"{raw / 'program.yaml'}: 警告：方案没有名称（原始数据文件夹中没有 program.yaml），报告的标题和正文不写区县名称"
    assert capsys.readouterr().err.splitlines()[0] == warning
    _write(raw, "units: [区民政局]\n")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    assert "方案没有名称（program.yaml 中没有 name）" in capsys.readouterr().err
    _write(raw, "name: 西湖区高质量发展建设共同富裕示范区\n")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    assert "方案没有名称" not in capsys.readouterr().err
