"""The embedded renderer's one pandoc process (formats.lua) writes the Typst source, the Word
file and the HTML byte for byte as three `pandoc --to FORMAT` runs of the same document do,
the report's filter applied as each format (print-only and HTML-only content, table numbers,
widths, unjustified lists)."""

import os
import shutil
import subprocess
from pathlib import Path

import pypandoc

from pipeline.config import REPORTS_DIR
from pipeline.report import render

DOCUMENT = """---
title: 测试报告
as-of: "2022-12-23"
lang: zh
---

# 一、总体情况

全年报送工作动态173条，见[](#table-areas)。

::: {.content-visible when-format="html"}
只在网页中：逐行清单。
:::

::: {.content-visible unless-format="html"}
只在打印件中。
:::

| 领域 | 动态 | 信息 |
|:---|---:|---:|
| 经济高质量发展 | 30 | 2 |
| 社会治理/基层治理_网格#1 | 25 | 1 |

: 表 各领域报送情况 {#table-areas}

::: {.ragged}
报送单位：古荡街道、北山街道、西溪街道、翠苑街道、文新街道、蒋村街道、留下街道。
:::
"""


def _pandoc(build: Path, *args: str, env: dict[str, str] | None = None) -> None:
    common = [pypandoc.get_pandoc_path(), "progress-report.qmd", "--from", render.READER, "--standalone",
              "--wrap", "none", "--resource-path", str(build)]
    subprocess.run([*common, *args], cwd=build, env={**os.environ, **(env or {})}, check=True, capture_output=True)


def test_one_pandoc_writes_what_three_pandoc_runs_write(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    for support in render.SUPPORT_FILES:
        shutil.copyfile(REPORTS_DIR / support, build / support)
    qmd = build / "progress-report.qmd"
    qmd.write_text(DOCUMENT, encoding="utf-8")
    epoch = {"SOURCE_DATE_EPOCH": "1671753600"}
    one, three = tmp_path / "one", tmp_path / "three"
    one.mkdir()
    three.mkdir()
    render.run_pandoc(qmd, one / "r.html", one / "r.typ", one / "r.docx", epoch, 120)
    faces = [f"--variable={name}={value}" for name, value in render.typst_faces().items()]
    filter_ = ["--lua-filter", render.LUA_FILTER]
    _pandoc(build, *filter_, "--to", "typst", "--template", render.TYPST_TEMPLATE, *faces, "--output",
            str(three / "r.typ"), env=epoch)
    _pandoc(build, *filter_, "--to", "docx", "--reference-doc", render.REFERENCE_DOCX, "--output",
            str(three / "r.docx"), env=epoch)
    _pandoc(build, *filter_, "--to", "html5", "--embed-resources", "--css", render.STYLESHEET, "--output",
            str(three / "r.html"), env=epoch)
    typst_source = (one / "r.typ").read_text(encoding="utf-8")
    assert "只在打印件中" in typst_source and "只在网页中" not in typst_source  # the filter ran as typst
    assert "只在网页中" in (one / "r.html").read_text(encoding="utf-8")
    for name in ("r.typ", "r.docx", "r.html"):
        assert (one / name).read_bytes() == (three / name).read_bytes(), name
