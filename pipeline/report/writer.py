"""The one bundle writer of every document (the district report, the roll-up, the weekly notices):
in the caller's staged folder, draw the document's charts from its registry, copy the layout's
support files, fill and render its template, then write its data file and manifest. The caller
stages the folder and swaps it in whole (bundle.staged_year_folder)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.report.appendix import link_attachments, write_attachments
from pipeline.report.bundle import source_date_epoch, write_json
from pipeline.report.fonts import REPLACEMENT, drawable, undrawable
from pipeline.report.integrity import write_manifest
from pipeline.report.render import SUPPORT_FILES, Renderer, RenderResult
from pipeline.report.template import render_qmd

# a chart: its PNG drawn from what the document is made of (DocumentInputs)
Chart = Callable[["DocumentInputs"], bytes]


@dataclass(frozen=True)
class Document:
    """A kind of bundle: its template in reports/, the name of the rendered files, its charts.

    `sealed`: the manifest records every file's SHA-256 (report/integrity.py), as a published
    edition's must; `attachments`: each figure's rows go with the rendered report."""

    template: str
    stem: str
    data_file: str
    charts: Mapping[str, Chart] = field(default_factory=dict)
    sealed: bool = True
    attachments: bool = False

    def chart_paths(self) -> dict[str, str]:
        """Chart name -> its file relative to the build folder."""
        return {name: f"charts/{name.replace('_', '-')}.png" for name in self.charts}


@dataclass(frozen=True)
class DocumentInputs:
    """What a document is made of: its data (figures.json or notice.json) and the tables behind it."""

    year: int
    program: Any
    data: dict[str, Any]
    frames: Mapping[str, Any] = field(default_factory=dict)


def printable(text: str) -> str:
    """The text with every character no installed font has replaced by the replacement mark, and
    a closing note naming them by code point (the data files keep the original)."""
    missing = undrawable(text)
    if not missing:
        return text
    codes = "、".join(f"U+{ord(c):04X}" for c in missing)
    return (f"{drawable(text)}\n\n本报告中有{len(missing)}种字符在本机没有可用字体（{codes}），"
            f"已以“{REPLACEMENT}”代替；原文见数据文件。\n")


def draw_charts(build: Path, document: Document, inputs: DocumentInputs) -> dict[str, str]:
    """Write the document's PNG charts under build/charts; returns name -> path relative to build."""
    paths = document.chart_paths()
    if paths:
        (build / "charts").mkdir(parents=True)
    for name, draw in document.charts.items():
        (build / paths[name]).write_bytes(draw(inputs))
    return paths


def write_bundle(
    folder: Path, document: Document, inputs: DocumentInputs, context: Callable[[dict[str, str]], dict[str, Any]],
    manifest: Callable[[RenderResult], dict[str, Any]], reports_dir: Path, renderer: Renderer, dated: dt.date,
    template: Path | None = None,
) -> RenderResult:
    """Write one bundle of `document` into `folder`: `context` fills the template given the chart
    paths, `manifest` says what the bundle was built from once rendered, `dated` is the date the
    renderers stamp into the files (SOURCE_DATE_EPOCH), `template` an office's own instead of
    reports/<document.template>."""
    build = folder / "_build"
    build.mkdir(parents=True)
    filled = context(draw_charts(build, document, inputs))
    for support in SUPPORT_FILES:
        shutil.copyfile(reports_dir / support, build / support)
    if document.attachments:
        write_attachments(filled["figure_sources"], build)
    source = template or reports_dir / filled.get("template", document.template)
    qmd = build / f"{document.stem}.qmd"
    qmd.write_text(printable(render_qmd(source.read_text(encoding="utf-8"), filled, source.name)), encoding="utf-8")
    result = renderer.render(qmd, folder, env={"SOURCE_DATE_EPOCH": source_date_epoch(dated)})
    if document.attachments:
        link_attachments(result.html_path, filled["figure_sources"], build)
    shutil.rmtree(build)
    write_json(folder / document.data_file, inputs.data)
    built_from = manifest(result)
    if document.sealed:
        write_manifest(folder, built_from)
    else:
        write_json(folder / "manifest.json", built_from)
    return result
