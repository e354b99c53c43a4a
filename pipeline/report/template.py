"""Which report template a programme uses, and checking it before any row is read.

An office may write its own report: `template: 我们的报告.qmd` in program.yaml (a file in the
raw folder), or a `report.qmd` beside program.yaml; otherwise the built-in
reports/progress-report.qmd is used. A template uses the same placeholders as the built-in
one (README: Writing your own report); one it names that does not exist is an error naming
it and the available ones.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from pipeline.contract import Program
from pipeline.metrics.figures import FIGURE_KEYS
from pipeline.report.context import CONTEXT_KEYS, template_environment

BUILT_IN = "progress-report.qmd"
OFFICE_TEMPLATE = "report.qmd"


class TemplateError(ValueError):
    """The office's template cannot be used; the message names the problem, in Chinese."""


def report_template(raw_dir: Path, reports_dir: Path, program: Program) -> Path:
    """The template in effect: program.yaml's `template`, else raw/report.qmd, else the built-in one."""
    if program.template:
        path = (raw_dir / program.template).resolve()
        if not path.is_relative_to(Path(raw_dir).resolve()):
            raise TemplateError(f"program.yaml 的 template “{program.template}” 应为原始数据文件夹中的文件")
        if not path.is_file():
            raise TemplateError(f"program.yaml 的 template 所指的文件 {path} 不存在")
        return path
    office = raw_dir / OFFICE_TEMPLATE
    return office if office.is_file() and not office.is_symlink() else reports_dir / BUILT_IN


def check_template(path: Path) -> None:
    """Raise TemplateError when the template does not parse, or names a placeholder, a figure
    or a filter that does not exist. A roll-up's districts mostly share one template: it is
    checked once while its size and modification time stay the same."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise TemplateError(f"报告模板 {path} 无法读取（{exc}）") from None
    _check_template(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _check_template(path: Path, size: int, mtime_ns: int) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"报告模板 {path} 无法读取（{exc}）") from None
    env = template_environment()
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"报告模板 {path} 第{exc.lineno}行有语法错误：{exc.message}") from None
    problems = []
    if unknown_filters := sorted({node.name for node in tree.find_all(nodes.Filter)} - set(env.filters)):
        raise TemplateError(f"报告模板 {path}：未知的过滤器：{'、'.join(unknown_filters)}（可用的：{'、'.join(sorted(env.filters))}）")
    if unknown := sorted(meta.find_undeclared_variables(tree) - CONTEXT_KEYS):
        problems.append(f"未知的占位符：{'、'.join(unknown)}（可用的：{'、'.join(sorted(CONTEXT_KEYS))}）")
    aliases = {"figures"} | {
        node.target.name for node in tree.find_all(nodes.Assign)
        if isinstance(node.node, nodes.Name) and node.node.name == "figures" and isinstance(node.target, nodes.Name)
    }
    figures = {
        node.attr for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name in aliases
    }
    if unknown_figures := sorted(figures - set(FIGURE_KEYS)):
        problems.append(f"未知的数字：{'、'.join(unknown_figures)}（可用的：{'、'.join(FIGURE_KEYS)}）")
    if problems:
        raise TemplateError(f"报告模板 {path}：" + "；".join(problems))
