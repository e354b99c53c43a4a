"""The renderers that turn the report's .qmd into HTML and PDF, behind one resource:
Quarto when installed (or asked for), else the embedded pandoc + Typst pair."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pypandoc
import typst
import yaml

from pipeline.report.docx import rows_kept_whole
from pipeline.report.fonts import font_dirs, official_faces, typst_family, undrawable
from pipeline.report.processes import RenderError, run_tool

RENDERERS = ("auto", "quarto", "embedded")
# Files the renderers expect beside the .qmd (copied there from reports/).
STYLESHEET = "report.css"
TYPST_TEMPLATE = "pandoc-template.typ"
# The report's look in Typst, as Quarto's two template partials; pandoc-template.typ includes them.
TYPST_PARTIALS = ("typst-template.typ", "typst-show.typ")
# The Word styles and page set-up of the .docx (GB/T 9704), written by tools/reference_docx.py.
REFERENCE_DOCX = "reference.docx"
# Table numbers and widths, print-only and HTML-only content, unjustified lists (both renderers).
LUA_FILTER = "report.lua"
# The page metrics the Typst template and the Lua filter read.
PAGE_METRICS = "page.yaml"
SUPPORT_FILES = (STYLESHEET, TYPST_TEMPLATE, *TYPST_PARTIALS, REFERENCE_DOCX, LUA_FILTER, PAGE_METRICS)
# Quarto's project file, written beside the .qmd: the same formats, files and filter for any template.
QUARTO_PROJECT = "_quarto.yml"
READER = "markdown+east_asian_line_breaks-smart"
# The embedded renderer's filter that writes the Typst source and the Word file from the HTML's
# parse, and the environment variable that tells it what to write.
FORMATS_FILTER = Path(__file__).with_name("formats.lua")
FORMATS_JOB = "PIPELINE_PANDOC_FORMATS"


def find_quarto(path: str = "") -> str | None:
    """The Quarto to use: `path`, else $QUARTO_PATH, else `quarto` on PATH."""
    candidate = path or os.environ.get("QUARTO_PATH", "")
    return shutil.which(candidate) if candidate else shutil.which("quarto")


@dataclass(frozen=True)
class RenderResult:
    html_path: Path
    pdf_path: Path
    renderer: str  # "quarto" or "embedded"
    version: str
    html_tool: str  # what made the HTML, with versions, e.g. "pandoc 3.9"
    pdf_tool: str
    docx_path: Path
    docx_tool: str
    # role (body, title, hei, kai) -> the face the PDF is set in, when our Typst template set it
    pdf_fonts: Mapping[str, str] = field(default_factory=dict)


def _missing_support(qmd: Path) -> None:
    for needed in SUPPORT_FILES:
        if not (qmd.parent / needed).is_file():
            raise RenderError(f"the renderer needs {needed} beside {qmd.name}")


def _finish_docx(path: Path) -> None:
    try:
        rows_kept_whole(path)
    except (OSError, zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise RenderError(f"{path.name} is not a Word file as written: {exc}") from None


def typst_faces() -> dict[str, str]:
    """The Typst template's face variables: `body-font`, `body-weight`, ... for each role."""
    return {f"{role}-{part}": str(value) for role, face in official_faces().items()
            for part, value in (("font", typst_family(face.family)), ("weight", face.weight))}


def quarto_project(faces: Mapping[str, str]) -> str:
    """Quarto's project file: the formats in the embedded renderer's layout (the same Typst
    partials, Word styles, stylesheet and filter, the faces), whatever the template's own front matter."""
    formats = {
        "html": {"from": READER, "embed-resources": True, "minimal": True, "css": STYLESHEET},
        "typst": {"from": READER, "template-partials": list(TYPST_PARTIALS)},
        "docx": {"from": READER, "reference-doc": REFERENCE_DOCX},
    }
    return yaml.safe_dump({"format": formats, "filters": [LUA_FILTER], **faces}, allow_unicode=True, sort_keys=False)


@cache
def pandoc_version() -> str:
    return pypandoc.get_pandoc_version()


def typst_version() -> str:
    return version("typst")


@cache
def typst_fonts(dirs: tuple[Path, ...]) -> typst.Fonts:
    """Typst's fonts from `dirs` and its own embedded ones, no system font (a machine's other
    fonts must not change the PDF): scanned once per process, as scanning them is most of a
    small document's compile."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(d) for d in dirs])


@dataclass(frozen=True)
class Renderer:
    """Renders the report: `auto` uses Quarto when found, else the embedded pandoc + Typst."""

    renderer: str = "auto"
    quarto_path: str = ""
    timeout_seconds: int = 300

    def quarto_executable(self) -> str | None:
        """The Quarto to use: `quarto_path`, else $QUARTO_PATH, else `quarto` on PATH."""
        return find_quarto(self.quarto_path)

    def chosen(self) -> str:
        """The renderer this configuration resolves to: "quarto" or "embedded"."""
        if self.renderer not in RENDERERS:
            raise RenderError(f"renderer must be one of {', '.join(RENDERERS)}, not '{self.renderer}'")
        if self.renderer == "auto":
            return "quarto" if self.quarto_executable() else "embedded"
        return self.renderer

    def render(self, qmd_path: Path, out_dir: Path, env: Mapping[str, str] | None = None) -> RenderResult:
        """Render `qmd_path` (charts and stylesheet beside it) to out_dir/<stem>.html and .pdf.

        `env` adds environment variables for the tools, e.g. SOURCE_DATE_EPOCH.
        """
        env = dict(env or {})
        missing = undrawable(qmd_path.read_text(encoding="utf-8"))
        if missing:
            shown = " ".join(missing)
            raise RenderError(f"{qmd_path.name}: no font can draw {shown!r}; the PDF would show empty boxes")
        out_dir.mkdir(parents=True, exist_ok=True)
        if self.chosen() == "quarto":
            return self._quarto(qmd_path.resolve(), out_dir, env)
        return self._embedded(qmd_path.resolve(), out_dir, env)

    def _quarto(self, qmd: Path, out_dir: Path, env: dict[str, str]) -> RenderResult:
        quarto = self.quarto_executable()
        if quarto is None:
            raise RenderError(
                "renderer 'quarto' was asked for but no Quarto was found "
                "(set quarto_path or QUARTO_PATH, or put quarto on PATH)"
            )
        quarto_version = run_tool([quarto, "--version"], qmd.parent, env, self.timeout_seconds).strip()
        _missing_support(qmd)
        (qmd.parent / QUARTO_PROJECT).write_text(quarto_project(typst_faces()), encoding="utf-8")
        targets = {}
        # Quarto writes <stem>.html / .pdf / .docx beside the source; each is then moved out.
        for to, suffix in (("html", ".html"), ("typst", ".pdf"), ("docx", ".docx")):
            run_tool([quarto, "render", qmd.name, "--to", to], qmd.parent, env, self.timeout_seconds)
            made = qmd.with_suffix(suffix)
            if not made.is_file():
                raise RenderError(f"quarto render --to {to} reported success but wrote no {made.name}")
            targets[suffix] = shutil.move(made, out_dir / made.name)
        _finish_docx(Path(targets[".docx"]))
        tool = f"quarto {quarto_version}"
        html, pdf = Path(targets[".html"]), Path(targets[".pdf"])
        return RenderResult(html, pdf, "quarto", quarto_version, html_tool=tool, pdf_tool=f"{tool} (typst)",
                            docx_path=Path(targets[".docx"]), docx_tool=tool)

    def _embedded(self, qmd: Path, out_dir: Path, env: dict[str, str]) -> RenderResult:
        _missing_support(qmd)
        html, pdf, docx = (out_dir / f"{qmd.stem}{suffix}" for suffix in (".html", ".pdf", ".docx"))
        typ = qmd.with_suffix(".typ")
        run_pandoc(qmd, html, typ, docx, env, self.timeout_seconds)
        compile_pdf(qmd, typ, pdf, env)
        _finish_docx(docx)
        pandoc_tool = f"pandoc {pandoc_version()}"
        return RenderResult(
            html, pdf, "embedded", f"{pandoc_tool}; typst {typst_version()}",
            pandoc_tool, f"{pandoc_tool} + typst {typst_version()} (python)", docx, pandoc_tool,
            {role: face.name for role, face in official_faces().items()},
        )


def run_pandoc(qmd: Path, html: Path, typ: Path, docx: Path, env: Mapping[str, str], timeout: int) -> None:
    """One pandoc reads `qmd` once: formats.lua writes the Typst source (`typ`) and the Word file
    from that parse, then the command line writes the HTML."""
    build = qmd.parent
    writes = [{"format": "typst", "output": str(typ), "template": TYPST_TEMPLATE, "variables": typst_faces()},
              {"format": "docx", "output": str(docx), "reference_doc": REFERENCE_DOCX}]
    job = json.dumps({"filter": LUA_FILTER, "writes": writes}, ensure_ascii=False)
    # No smart quotes: names and reasons print exactly as the office typed them.
    run_tool([pypandoc.get_pandoc_path(), qmd.name, "--from", READER, "--standalone", "--wrap", "none",
          "--resource-path", str(build), "--lua-filter", str(FORMATS_FILTER), "--lua-filter", LUA_FILTER,
          "--to", "html5", "--embed-resources", "--css", STYLESHEET, "--output", str(html)],
         build, {**env, FORMATS_JOB: job}, timeout)


def compile_pdf(qmd: Path, typ: Path, pdf: Path, env: Mapping[str, str]) -> None:
    """Typst compiles the Typst source pandoc wrote for `qmd` to `pdf`."""
    build = qmd.parent
    epoch = env.get("SOURCE_DATE_EPOCH") or os.environ.get("SOURCE_DATE_EPOCH")
    try:
        _, warnings = typst.compile_with_warnings(
            str(typ),
            output=str(pdf),
            root=str(build),
            font_paths=typst_fonts(tuple(font_dirs(qmd.read_text(encoding="utf-8")))),
            ignore_system_fonts=True,
            timestamp=int(epoch) if epoch else None,
        )
    except Exception as exc:  # typst raises its own TypstError; any failure means no PDF
        raise RenderError(f"typst could not compile {typ.name}:\n{exc}") from None
    # An unknown font family makes Typst fall back to a Latin font: Chinese becomes boxes.
    font_trouble = [w.message for w in warnings if "font" in w.message]
    if font_trouble:
        pdf.unlink(missing_ok=True)
        raise RenderError(f"typst: {'; '.join(font_trouble)}")
