"""An office's own report template: chosen from program.yaml or raw/report.qmd, checked before
any row is read, rendered with the same placeholders, and a change to it re-renders the report."""

from pathlib import Path

import pytest
from conftest import Built, ran_assets

from pipeline.cli import main
from pipeline.config import REPORTS_DIR
from pipeline.contract import load_program
from pipeline.report.template import TemplateError, check_template, report_template

OWN = """---
title: 我们自己的报告
lang: zh
---
<% set f = figures %>
截至<< as_of_md >>，本区共收到工作动态<< f.dynamics_total | source("dynamics_total") >>条、媒体稿件<< f.media_articles_total >>篇。
"""


def test_the_built_in_template_passes_its_own_check() -> None:
    check_template(REPORTS_DIR / "progress-report.qmd")


def test_the_template_is_program_yaml_s_else_report_qmd_else_the_built_in_one(raw_dir: Path) -> None:
    assert report_template(raw_dir, REPORTS_DIR, load_program(raw_dir)) == REPORTS_DIR / "progress-report.qmd"
    (raw_dir / "report.qmd").write_text(OWN, encoding="utf-8")
    assert report_template(raw_dir, REPORTS_DIR, load_program(raw_dir)) == raw_dir / "report.qmd"
    (raw_dir / "年报.qmd").write_text(OWN, encoding="utf-8")
    (raw_dir / "program.yaml").write_text("template: 年报.qmd\n", encoding="utf-8")
    assert report_template(raw_dir, REPORTS_DIR, load_program(raw_dir)) == (raw_dir / "年报.qmd").resolve()
    (raw_dir / "program.yaml").write_text("template: ../../etc/passwd\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="应为原始数据文件夹中的文件"):
        report_template(raw_dir, REPORTS_DIR, load_program(raw_dir))
    (raw_dir / "program.yaml").write_text("template: " + "𠮷" * 100 + "\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="program.yaml 的 template 不是可用的文件名（名称过长）"):
        report_template(raw_dir, REPORTS_DIR, load_program(raw_dir))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<< districts >>", "未知的占位符：districts（可用的：as_of_md、"),
        ("<% set f = figures %><< f.dynamic_totl >>", "未知的数字：dynamic_totl（可用的：year、as_of、dynamics_total"),
        ("<< year | fancy >>", "未知的过滤器：fancy"),
        ("<% if year %>", "第4行有语法错误"),
    ],
)
def test_an_unknown_placeholder_is_named_with_the_available_ones_before_any_row_is_read(
    raw_dir: Path, capsys, text: str, message: str
) -> None:
    (raw_dir / "report.qmd").write_text("---\ntitle: x\n---\n" + text + "\n", encoding="utf-8")
    for command in ("check", "build"):
        assert main([command, "--raw-dir", str(raw_dir), "--year", "2022"]) == 1
        out, err = capsys.readouterr()
        assert out == "" and message in err, err  # not one row was read or printed


def test_the_office_template_is_rendered_and_a_change_to_it_re_renders_only_the_report(built: Built) -> None:
    html = built.out / "2022" / "progress-report.html"
    (built.raw / "report.qmd").write_text(OWN, encoding="utf-8")  # after a build with the built-in one
    assert ran_assets(built.instance, built.build().run_id) == {"progress_report"}
    assert "本区共收到工作动态[9](#src-1)条、媒体稿件25篇" in html.read_text(encoding="utf-8")  # linked to its rows
    assert built.build().run_id == ""
    (built.raw / "report.qmd").write_text(OWN.replace("本区", "我区"), encoding="utf-8")
    assert ran_assets(built.instance, built.build().run_id) == {"progress_report"}
    assert "我区共收到" in html.read_text(encoding="utf-8")


# What reached os.system through a plain Jinja environment: the subclasses of object, then a
# class whose module globals hold __builtins__.
_ESCAPE = ("<% for c in ().__class__.__mro__[1].__subclasses__() %><% if c.__name__ == 'catch_warnings' %>"
           "<< c()._module.__builtins__['__import__']('os').system('touch {marker}') >><% endif %><% endfor %>")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (_ESCAPE, "不允许访问以下划线开头的属性"),
        (_ESCAPE.replace("<%", "{%").replace("%>", "%}").replace("<<", "{{").replace(">>", "}}"), "本模板的占位符写作"),
        ("<< figures['__class__'] >>", "不允许访问以下划线开头的属性（__class__）"),
    ],
)
def test_an_office_template_cannot_reach_python(raw_dir: Path, tmp_path: Path, capsys, payload: str, message: str) -> None:
    marker = tmp_path / "ran"
    (raw_dir / "report.qmd").write_text("---\ntitle: x\n---\n" + payload.replace("{marker}", str(marker)) + "\n", encoding="utf-8")
    for command in ("check", "build"):
        assert main([command, "--raw-dir", str(raw_dir), "--year", "2022"]) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1 and message in err, err
    assert not marker.exists()


def test_the_sandbox_refuses_what_a_static_check_cannot_see() -> None:
    """A method that changes a value is refused as the template renders, in Chinese."""
    from pipeline.report.template import render_qmd

    with pytest.raises(TemplateError, match="不允许的操作"):
        render_qmd("<% set xs = [1] %><< xs.append(2) >>", {}, "report.qmd")
    with pytest.raises(TemplateError, match="report.qmd：不允许的操作"):
        render_qmd(_ESCAPE, {}, "report.qmd")
    assert render_qmd("<< 173 | approx >>", {}) == "170余"
