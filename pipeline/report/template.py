"""Which report template a programme uses, checking it before any row is read, and the Jinja
setup that fills it in (pipeline/report/context.py makes what it is filled with).

An office may write its own report: `template: 我们的报告.qmd` in program.yaml (a file in the
raw folder), or a `report.qmd` beside program.yaml; otherwise the built-in
reports/progress-report.qmd is used. A template uses the same placeholders as the built-in
one (README: Writing your own report); one it names that does not exist is an error naming
it and the available ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from pipeline.contract import Program
from pipeline.failures import os_error_reason
from pipeline.metrics.figures import FIGURE_KEYS
from pipeline.report.context import CONTEXT_KEYS
from pipeline.report.wording import approx_count, chinese_count, chinese_numeral, leading_themes, listed_note

BUILT_IN = "progress-report.qmd"
OFFICE_TEMPLATE = "report.qmd"
# Characters pandoc's markdown would read as markup; data must print literally.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
# Jinja's usual delimiters are plain text here (our placeholders are << >> and <% %>); in an
# office's template they are a mistake, and would print as written. Quarto's {{< >}} shortcodes
# and pandoc's {#id} attributes pass.
_FOREIGN_DELIMITERS = re.compile(r"\{%|\{\{(?!<)")


class TemplateError(ValueError):
    """The office's template cannot be used; the message names the problem, in Chinese."""


def report_template(raw_dir: Path, reports_dir: Path, program: Program) -> Path:
    """The template in effect: program.yaml's `template`, else raw/report.qmd, else the built-in one."""
    if program.template:
        try:
            path = (raw_dir / program.template).resolve()
            inside, found = path.is_relative_to(Path(raw_dir).resolve()), path.is_file()
        except OSError as exc:  # a name no file system takes (too long, a NUL): a mistake in program.yaml
            raise TemplateError(f"program.yaml 的 template 不是可用的文件名（{os_error_reason(exc)}）") from None
        if not inside:
            raise TemplateError(f"program.yaml 的 template “{program.template}” 应为原始数据文件夹中的文件")
        if not found:
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
    if foreign := _FOREIGN_DELIMITERS.search(text):
        line = text.count("\n", 0, foreign.start()) + 1
        raise TemplateError(f"报告模板 {path} 第{line}行写有“{foreign.group(0)}”：本模板的占位符写作 << >>，语句写作 <% %>")
    if private := _private_names(tree):
        raise TemplateError(f"报告模板 {path}：不允许访问以下划线开头的属性（{'、'.join(private)}）")
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


def _private_names(tree: nodes.Template) -> list[str]:
    """Attributes and keys a template reaches that start with an underscore (`__class__`,
    `_module`): the way out of a template into Python, refused before anything renders."""
    names = {node.attr for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")}
    names |= {node.arg.value for node in tree.find_all(nodes.Getitem)
              if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and node.arg.value.startswith("_")}
    return sorted(names)


def _escape_markdown(value: object) -> object:
    """Every value printed into the template is literal text, unless marked safe."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return value


def _yaml_string(value: str, *more_lines: str) -> Markup:
    """A YAML scalar of markdown text; extra lines follow after hard line breaks."""
    # JSON strings are valid YAML scalars; the markdown escaping still applies inside,
    # because pandoc reads metadata strings as markdown.
    lines = [str(_escape_markdown(str(line))) for line in (value, *more_lines)]
    return Markup(json.dumps("\\\n".join(lines), ensure_ascii=False))


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


@jinja2.pass_context
def _linked(context: jinja2.runtime.Context, text: object, key: str) -> Markup:
    """A figure as printed, linked to its appendix entry (when it has one)."""
    anchors = {entry["key"]: entry["id"] for entry in context["figure_sources"]}
    shown = _escape_markdown(str(text))
    return Markup(f"[{shown}](#{anchors[key]})" if key in anchors else shown)


def _listed(quality: Mapping[str, Any], name: str) -> str:
    """The note of a data-quality list that shows only its first lines (context.QUALITY_ROWS_SHOWN)."""
    return listed_note(quality["counts"][name], len(quality[name]))


def _typst_string(text: str) -> Markup:
    """A Typst string literal (for raw Typst blocks): quotes and backslashes escaped."""
    return Markup('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def template_environment() -> jinja2.Environment:
    """Jinja with <% %>, << >> and <# #>: pandoc's {#id} attributes and Quarto's {{< >}}
    shortcodes would otherwise read as template syntax. An office's template comes from the
    raw folder, which anyone who can submit a file may write: it renders in Jinja's immutable
    sandbox, where no attribute or method reaches Python's internals or changes a value."""
    env = ImmutableSandboxedEnvironment(
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="<#",
        comment_end_string="#>",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_escape_markdown,
        autoescape=False,
    )
    env.filters |= {"approx": approx_count, "cn": chinese_numeral, "cn_count": chinese_count, "themes": leading_themes,
                    "yaml": _yaml_string, "percent": _percent,
                    "source": _linked, "typst_string": _typst_string, "listed": _listed}
    return env


def render_qmd(template_text: str, context: Mapping[str, Any], name: str = "") -> str:
    """The report's markdown: the template (`name` for messages) filled with `context`; what the
    sandbox refuses is a TemplateError in Chinese."""
    try:
        return _compiled(template_text).render(**context)
    except SecurityError as exc:
        raise TemplateError(f"报告模板 {name}：不允许的操作，未生成报告（{exc}）") from None


@lru_cache(maxsize=8)
def _compiled(template_text: str) -> jinja2.Template:
    """A template compiled once per process: a roll-up renders the same one for every district."""
    return template_environment().from_string(template_text)
