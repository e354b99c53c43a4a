"""`python -m pipeline check|build|publish|diff`: exit codes and messages a user sees."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Built, write_csv
from services import build_environment, dagster_home

from pipeline.cli import main
from pipeline.config import PROJECT_DIR


def test_check_lists_every_problem_as_file_row_reason_and_exits_1(raw_dir: Path, capsys) -> None:
    assert main(["check", "--raw-dir", str(raw_dir), "--year", "2022"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"{raw_dir}/2022/dynamics/corrupt.xlsx: 无法读取，未计入：无法作为 Excel/WPS 工作簿读取（文件已损坏，或内容与扩展名不符）"
    assert lines[1].startswith(f"{raw_dir}/2022/dynamics/readme.md: 无法读取，未计入：不是可读取的表格文件（.md）")
    assert f"{raw_dir}/2022/dynamics/2022-01-14-bom.csv:4: 该行有6个单元格，但表头只有5列" in lines
    assert f"{raw_dir}/2022/media/2022-01.csv:7: 稿件数“-1”不是大于等于0的整数" in lines
    assert len(lines) == 15  # 13 rejected rows and 2 files that cannot be used
    assert "2022：读取46行，计入28行，退回13行，重复5行，表格版式行0行；警告0条；无法读取的文件2个，跳过的文件或工作表0个" in err


def test_check_with_only_warnings_exits_0(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    write_csv(raw / "2023" / "dynamics" / "w1.csv", "日期,报送单位,领域,标题\n2023-01-06,某协会,社会治理,走访\n")
    (raw / "program.yaml").write_text("units: [区民政局]\n", encoding="utf-8")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [f"{raw}/2023/dynamics/w1.csv:2: 警告：报送单位“某协会”不在方案的成员单位名单中，已计入，请核实"]


def test_check_defaults_to_the_latest_year_folder(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    write_csv(raw / "2021" / "meetings.csv", "日期,会议名称\n2021-13-01,会\n")
    write_csv(raw / "2023" / "meetings.csv", "日期,会议名称\n2023-03-01,会\n")
    assert main(["check", "--raw-dir", str(raw)]) == 0
    assert "2023：读取1行，计入1行" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["check", "--raw-dir", "{tmp}/nowhere"], "原始数据文件夹 {tmp}/nowhere 不存在", 2),
        (["check", "--raw-dir", "{raw}", "--year", "2019"], "中没有 2019 年的文件夹（已有：2022）", 2),
        (["build", "--raw-dir", "{raw}", "--as-of", "2022-02-30"], "--as-of “2022-02-30”不是 YYYY-MM-DD 格式的日期", 2),
        (["build", "--raw-dir", "{raw}", "--as-of", "2021-12-31"], "--as-of 2021-12-31 不在报告年度 2022 年内", 2),
        (["diff", "{tmp}", "{tmp}"], "{tmp} 不是已发布的报告版本", 2),
        (["explain", "dynamics_total", "--raw-dir", "{raw}", "--output-dir", "{tmp}/out"], "{tmp}/out/2022 中没有已生成的报告（请先运行 build）", 2),
        # argparse's own usage errors, of every command
        (["buidl"], "错误：参数 command：“buidl”不是可选的值（可选：build、check、publish、explain、notice、diff、accounts、serve）", 2),
        (["build", "--year", "二〇二二"], "错误：参数 --year：“二〇二二”不是年份（四位数字，如 2022）", 2),
        (["check", "--year"], "错误：参数 --year：需要一个值（python -m pipeline check --help 显示用法）", 2),
        (["build", "--renderer", "pdf"], "错误：参数 --renderer：“pdf”不是可选的值（可选：auto、quarto、embedded）", 2),
        (["publish", "--raw-dir", "{raw}", "--forse"], "错误：无法识别的参数：--forse", 2),
        (["explain"], "错误：缺少参数：figure（python -m pipeline explain --help 显示用法）", 2),
        (["diff", "{tmp}"], "错误：缺少参数：edition_b", 2),
        ([], "错误：缺少参数：command", 2),
    ],
)
def test_user_errors_are_one_chinese_line(tmp_path: Path, raw_dir: Path, capsys, args, message, code) -> None:
    filled = [a.format(tmp=tmp_path, raw=raw_dir) for a in args]
    assert main(filled) == code
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path) in err
    assert err.startswith("错误：") and err.count("\n") == 1, err  # one line, no usage block, no traceback


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["publish"], ["explain"], ["diff"]])
def test_help_stays_english(command: list[str], capsys) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m pipeline") and "show this help message and exit" in out
    assert "错误" not in out


def test_a_broken_program_yaml_is_reported_before_any_row_is_read(raw_dir: Path, capsys) -> None:
    (raw_dir / "program.yaml").write_text("areas: []\n", encoding="utf-8")
    assert main(["check", "--raw-dir", str(raw_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == f"错误：{raw_dir}/program.yaml：键“areas”的列表不能为空"


def test_build_and_publish_from_the_command_line(built: Built, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """On the fixture folder as its first build left it (tests/test_concurrency.py and the bench
    run `python -m pipeline build` in new processes)."""
    raw, out = str(built.raw), built.out
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(built.warehouse))
    assert main(["build", "--raw-dir", raw, "--output-dir", str(out), "--renderer", "quarto"]) == 0
    printed, said = capsys.readouterr()
    assert "工作动态 dynamics_total: 9" in printed and "退回行：13，无法读取的文件：2" in printed
    # the fixture folder has no program.yaml: one warning that the report names no district
    assert said.splitlines() == [
        f"{raw}/program.yaml: 警告：方案没有名称（原始数据文件夹中没有 program.yaml），报告的标题和正文不写区县名称"
    ]
    assert main(["publish", "--raw-dir", raw, "--output-dir", str(out)]) == 1
    assert "拒绝发布：输入数据中有13行被退回、2个文件无法读取（见 check）" in capsys.readouterr().err
    assert main(["publish", "--raw-dir", raw, "--output-dir", str(out), "--accept-rejects"]) == 0
    assert capsys.readouterr().out.strip() == f"已发布 {out}/2022/editions/2022-02-15-1"
    edition = out / "2022" / "editions" / "2022-02-15-1"
    assert main(["diff", str(edition), str(edition)]) == 0
    assert capsys.readouterr().out == ""  # no differences: nothing printed


def test_a_failed_build_says_which_step_and_why_and_keeps_no_traceback(tmp_path: Path, raw_dir: Path, monkeypatch) -> None:
    home = dagster_home(tmp_path / "home")
    env = os.environ | build_environment(home, tmp_path / "w.duckdb") | {"PATH": "/usr/bin:/bin", "QUARTO_PATH": ""}
    command = ["build", "--raw-dir", str(raw_dir), "--output-dir", str(tmp_path / "out"), "--renderer", "quarto"]
    failed = subprocess.run([sys.executable, "-m", "pipeline", *command], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, timeout=300)  # what a terminal shows
    assert failed.returncode == 1
    assert "生成失败（Dagster 运行 " in failed.stderr
    assert "progress_report：2022年报告未生成，原报告保留：" in failed.stderr
    assert "Traceback" not in failed.stdout + failed.stderr and "Stack Trace" not in failed.stdout + failed.stderr
    # that the programme has no name (no program.yaml), what failed, and why
    assert len(failed.stderr.splitlines()) == 3, failed.stderr
    assert failed.stderr.startswith(f"{raw_dir}/program.yaml: 警告：方案没有名称")
    assert not (tmp_path / "out" / "2022").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("file", "--output-dir {out} 是文件，不是文件夹"),
        ("inside_raw", "--output-dir {raw}/out 与原始数据文件夹 {raw} 不能互相包含"),
        ("read_only", "--output-dir {out}：没有在 {parent} 中写入的权限"),
    ],
)
def test_a_build_that_cannot_write_its_bundle_says_so_in_one_line(tmp_path: Path, raw_dir: Path, setup: str, message: str, capsys) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    out = parent / "out"
    if setup == "file":
        out.write_text("not a folder")
    elif setup == "inside_raw":
        out = raw_dir / "out"
    elif os.geteuid() == 0:
        pytest.skip("root may write in a read-only folder")
    else:
        parent.chmod(0o555)
    try:
        code = main(["build", "--raw-dir", str(raw_dir), "--output-dir", str(out)])
    finally:
        parent.chmod(0o755)
    assert code == 2
    err = capsys.readouterr().err
    assert err == f"错误：{message.format(out=out, raw=raw_dir, parent=parent)}\n"


def test_a_year_folder_written_in_full_width_digits_is_pointed_out(tmp_path: Path, capsys) -> None:
    for name in ("２０２３", "²⁰²³"):
        (tmp_path / "raw" / name / "dynamics").mkdir(parents=True)
    assert main(["check", "--raw-dir", str(tmp_path / "raw"), "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert "中没有 2023 年的文件夹（已有：无）" in err and "文件夹“２０２３”的年份请用半角数字" in err
    assert "Traceback" not in err


def test_explain_prints_the_rows_behind_each_figure_and_a_total_equal_to_it(built: Built, capsys) -> None:
    raw_dir, out = built.raw, built.out
    figures = json.loads((out / "2022" / "figures.json").read_text(encoding="utf-8"))
    assert len(figures["sources"]) >= 13
    for key, files in figures["sources"].items():
        assert main(["explain", key, "--raw-dir", str(raw_dir), "--output-dir", str(out)]) == 0, key
        lines = capsys.readouterr().out.splitlines()
        name, _, sub = key.partition(".")
        stated = figures[name][sub] if sub else figures[name]
        assert lines[-1].startswith(f"合计：{stated}"), (key, lines[-1])
        assert all(line.split(":")[0] in files for line in lines[:-1])
    assert main(["explain", "media_by_level.中央", "--raw-dir", str(raw_dir), "--output-dir", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2022/media/2022-01.csv:2: 2022-01-03  人民日报  中央  1  杭向共富"
    main(["explain", "media_total", "--raw-dir", str(raw_dir), "--output-dir", str(out)])
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{out}/2022/figures.json 中没有数字“media_total”；可以说明的数字：") and "media_articles_total" in err
