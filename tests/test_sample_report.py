"""End to end on the bundled sample: `python -m pipeline build` on raw/2022 reproduces the
2022 Xihu reference report's figures, as a PDF and HTML a reader can use."""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from pages import crossing_words, split_headers, stranded_captions
from services import build_environment, dagster_home

from pipeline.cli import main
from pipeline.config import PROJECT_DIR
from pipeline.report.fonts import OFFICIAL_FACES

# The reference report (2022-12-27): 已召开7次, 动态170余条, 信息10余篇, 稿件600余篇,
# 七个方面64项重点工作, 六个方面44项重大改革, 10项标志性成果, 3项理论课题.
REFERENCE = {
    "year": 2022, "as_of": "2022-12-23", "meetings_total": 7, "dynamics_total": 173, "info_total": 14,
    "media_articles_total": 612, "key_tasks_total": 64, "key_task_areas": 7, "reforms_total": 44,
    "reform_areas": 6, "landmarks_total": 10, "dynamics_rejected": 0, "dynamics_duplicates": 5,
    "media_rejected": 0, "media_duplicates": 1,
}


def _environment(tmp: Path) -> dict[str, str]:
    return build_environment(tmp / "home", tmp / "warehouse.duckdb")


def _arguments(tmp: Path) -> list[str]:
    raw = str(PROJECT_DIR / "raw")
    return ["build", "--raw-dir", raw, "--year", "2022", "--output-dir", str(tmp / "out"), "--renderer", "embedded"]


def _build(tmp: Path) -> subprocess.CompletedProcess:
    """The README's build command, in a new process."""
    return subprocess.run([sys.executable, "-m", "pipeline", *_arguments(tmp)], cwd=PROJECT_DIR,
                          env=os.environ | _environment(tmp), capture_output=True, text=True, timeout=600)


def _main(tmp: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    """The same command run by its main() in this process."""
    for name, value in _environment(tmp).items():
        monkeypatch.setenv(name, value)
    return main([*_arguments(tmp), *extra])


def _fresh(tmp: Path) -> Path:
    dagster_home(tmp / "home")
    return tmp


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once (per session: other modules' tests may run between these); the
    tests that read it never change it, in whatever order they run."""
    tmp = _fresh(tmp_path_factory.mktemp("sample"))
    built = _build(tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    return tmp


def assert_every_table_is_a_table(html: str) -> None:
    """No pipe table leaked into a paragraph as text (a template line that lost its blank line)."""
    assert not re.search(r"\|\s*:?-{3,}", html), "a markdown table printed as text"
    report_tables = html.count("<table") - html.count('<table class="figure-rows">')  # not the appendix's rows
    assert report_tables == len(re.findall(r"<caption>表\d+ ", html))


def test_sample_reproduces_the_reference_figures(sample: Path) -> None:
    figures = json.loads((sample / "out" / "2022" / "figures.json").read_text(encoding="utf-8"))
    assert {k: figures[k] for k in REFERENCE} == REFERENCE
    assert sum(figures["media_by_level"].values()) == 612
    assert figures["achievements_by_kind"]["课题"] == 3
    assert figures["rows_read"] == 697


def test_sample_build_is_recorded_in_the_dagster_instance(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # runs first in this module: the later builds (no-op, partial year) add runs of their own
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(sample / "home" / "storage"))
    with dg.DagsterInstance.from_config(str(sample / "home")) as instance:
        runs = instance.get_runs()
    assert [(r.status, r.tags.get("dagster/partition"), r.tags.get("pipeline/command")) for r in runs] == [
        (dg.DagsterRunStatus.SUCCESS, "2022", "build")
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_sample_pdf_states_the_reference_wording_in_embedded_cjk_fonts(sample: Path) -> None:
    pdf = sample / "out" / "2022" / "progress-report.pdf"
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    for phrase in ("工作推进情况", "一、工作推进情况", "已召开7次", "170余条", "10余篇", "600余篇",
                   "64项重点工作", "44项重大改革", "“三个一批”主要成果", "标志性成果", "数据质量"):
        assert phrase in text, phrase
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)
    assert any("NotoSerifCJK" in line for line in fonts)


def test_every_stated_figure_links_to_its_rows_in_html_and_pdf(sample: Path) -> None:
    bundle = sample / "out" / "2022"
    sources = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))["sources"]
    html = (bundle / "progress-report.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'href="#(src-\d+)"', html))
    assert len(targets) >= 11  # meetings, dynamics, info, tasks, reforms, media and its 4 levels, landmarks
    assert all(f'id="{target}"' in html for target in targets)
    assert html.count("<details>") == len(sources) and "2022/media/2022-01.csv 第2-27行" in html
    attached = subprocess.run(["pdfdetach", "-list", str(bundle / "progress-report.pdf")],
                              capture_output=True, text=True, check=True).stdout
    assert f"{len(sources)} embedded files" in attached


def test_sample_docx_is_an_official_document_with_the_report_s_words(sample: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(sample / "out" / "2022" / "progress-report.docx"))
    section = document.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None  # 28 mm on the binding side
    assert document.settings.odd_and_even_pages_header_footer
    assert section.footer.paragraphs[0].alignment == 2 and section.even_page_footer.paragraphs[0].alignment == 0
    assert "PAGE" in section.footer._element.xml and "— " in section.footer.paragraphs[0].text

    def east_asian(style: str) -> str:
        return document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))

    body = document.styles["Body Text"]
    assert (east_asian("Body Text"), body.font.size.pt, round(body.paragraph_format.line_spacing.pt)) == (
        "仿宋_GB2312", 16, 29)  # exactly: 22 lines on the 225 mm type area
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    assert (east_asian("Title"), document.styles["Title"].font.size.pt) == ("方正小标宋简体", 22)
    assert (east_asian("Heading 2"), east_asian("Heading 3")) == ("黑体", "楷体_GB2312")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "已收集各类动态170余条" in text and "累计刊发共同富裕相关稿件600余篇" in text
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"][:2] == ["一、工作推进情况", "二、“三个一批”主要成果"]
    assert len(document.tables) >= 7 and len(document.inline_shapes) == 4
    assert all(round(shape.width.mm) <= 156 for shape in document.inline_shapes)  # charts fit the type area
    xml = document.element.xml
    assert xml.count('w:anchor="src-') >= 11  # figures link to their rows' appendix sections


def test_sample_pdf_has_the_official_document_page_layout(sample: Path) -> None:
    """A4; the type area starts 37 mm from the top and 28 mm from the binding side (left on odd
    pages, right on even ones, so 26 mm from the left there); page numbers "— N —"."""
    pdf = sample / "out" / "2022" / "progress-report.pdf"
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    pages = [re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"', page) for page in boxes.split("<page ")[1:]]
    assert re.search(r'width="595\.\d+" height="841\.\d+"', boxes)  # A4 in points
    mm = [(min(float(x) for x, _ in words) / 72 * 25.4, min(float(y) for _, y in words) / 72 * 25.4) for words in pages]
    assert [round(left) for left, _ in mm] == [28, 26]
    assert all(37 <= top <= 39 for _, top in mm)
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "2", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "—1—" in text.replace(" ", "") and "—2—" in text.replace(" ", "")
    fonts = json.loads((sample / "out" / "2022" / "manifest.json").read_text(encoding="utf-8"))["renderer"]["pdf_fonts"]
    assert set(fonts) == {"body", "title", "hei", "kai"} and fonts["kai"] == "AR PL KaitiM GB"
    # a reader sees 仿宋 in the body and a heavy 宋 in the title, not Noto Serif for both: the
    # official faces where installed, else the free ones the set-up installs
    assert fonts["body"] in OFFICIAL_FACES["body"][0]
    assert fonts["title"] in (*OFFICIAL_FACES["title"][0], "Noto Serif CJK SC Black")
    embedded = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert fonts["body"] != "FandolFang" or "+FandolFang-Regular" in embedded
    assert fonts["title"] != "Noto Serif CJK SC Black" or "+NotoSerifCJKsc-Black" in embedded


def test_sample_html_opens_without_network(sample: Path) -> None:
    html = (sample / "out" / "2022" / "progress-report.html").read_text(encoding="utf-8")
    assert not re.findall(r'(?:src|href)\s*=\s*["\']?https?:', html)
    assert html.count('src="data:image/png;base64,') == 4
    assert "已收集各类动态170余条" in re.sub(r"<[^>]+>", "", html)  # the figure is a link to its rows
    assert_every_table_is_a_table(html)
    # the appendix states the checks of this build, each passed
    checks = re.search(r"表\d+ 数据校验情况.*?</table>", html, re.S).group(0)
    for label in ("行数守恒", "截止日期在报告年度内", "报告数字与明细数据一致", "领域均在方案口径内", "各数字与其来源数据行相符", "经常报送单位逐周报送"):
        assert re.search(label + r".*?<td[^>]*>通过</td>", checks, re.S), label


def test_bench_render_step_gives_the_build_s_report(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench times the render on what the report asset reads: the same inputs give the same bytes."""
    from tools.bench_steps import render_report

    monkeypatch.setenv("DAGSTER_HOME", str(sample / "home"))
    monkeypatch.setenv("PIPELINE_DAGSTER_DIR", str(sample / "home" / "storage"))
    timed = render_report(str(PROJECT_DIR / "raw"), 2022, str(sample / "warehouse.duckdb"), str(tmp_path), "embedded")
    assert timed["seconds"] > 0
    for made in ("progress-report.html", "progress-report.pdf", "progress-report.docx"):
        assert (tmp_path / made).read_bytes() == (sample / "out" / "2022" / made).read_bytes()


def test_second_build_with_nothing_changed_runs_nothing(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command again (here its main(); tests/test_bench.py runs it again in a new process)."""
    before = {p.name: p.read_bytes() for p in (sample / "out" / "2022").iterdir() if p.is_file()}
    assert _main(sample, monkeypatch) == 0
    assert "已是最新，未重新运行" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (sample / "out" / "2022").iterdir() if p.is_file()} == before


def test_an_earlier_as_of_gives_a_consistent_partial_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = _fresh(tmp_path)  # its own instance, warehouse and bundle: the shared sample stays as built
    assert _main(sample, monkeypatch, "--as-of", "2022-06-30") == 0
    figures = json.loads((sample / "out" / "2022" / "figures.json").read_text(encoding="utf-8"))
    assert figures["as_of"] == "2022-06-30"
    assert 0 < figures["dynamics_total"] < 173 and 0 < figures["media_articles_total"] < 612
    assert figures["meetings_total"] == 3
    assert sum(figures["dynamics_by_area"].values()) == figures["dynamics_total"]
    assert sum(figures["media_by_level"].values()) == figures["media_articles_total"]
    html = (sample / "out" / "2022" / "progress-report.html").read_text(encoding="utf-8")
    assert "截至2022年6月30日" in html
    pdf = sample / "out" / "2022" / "progress-report.pdf"
    assert stranded_captions(pdf) == [] and crossing_words(pdf) == []  # its 表2 once stood alone at page 1's foot
    # raw/2022/tasks.xlsx is one undated list: the text says its statuses are the current ones
    assert (figures["tasks_snapshot"], figures["task_statuses_current"]) == (None, True)
    assert "以上任务推进状态为最新报送的状态，并非截至6月30日的状态。" in html
    assert_every_table_is_a_table(html)


def test_the_printed_edition_is_the_report_with_a_compact_sources_table(sample: Path) -> None:
    """The PDF and the Word file end with the data-quality appendix and one line per figure
    (its rows and files, the PDF attaching each figure's CSV); the row-by-row lists are the
    HTML's. About the reference's length plus the appendix, its tables inside their columns."""
    bundle = sample / "out" / "2022"
    pdf = bundle / "progress-report.pdf"
    sources = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))["sources"]
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
    assert 10 <= pages <= 12, pages
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "python -m pipeline explain dynamics_total" in layout  # a command never broken across lines
    assert "明细（173行" not in layout and "第2-27行" not in layout  # the lists are the HTML's
    # the last page (the PDF's table cells carry zero-width breaks after / _ .)
    last = layout.rstrip("\f").split("\f")[-1].replace("\u200b", "")
    assert "dynamics_total" in last or "landmarks_total" in last
    assert crossing_words(pdf) == [] and split_headers(pdf) == [] and stranded_captions(pdf) == []
    from docx import Document

    document = Document(str(bundle / "progress-report.docx"))
    last_table = document.tables[-1]
    assert [c.text for c in last_table.rows[0].cells] == ["数字", "数值", "数据行", "来源文件", "数字名称"]
    assert len(last_table.rows) == 1 + len(sources)
    assert "明细（173行" not in "\n".join(p.text for p in document.paragraphs)


def test_the_html_lists_a_bounded_number_of_rows_with_the_whole_csv_to_download(sample: Path) -> None:
    html = (sample / "out" / "2022" / "progress-report.html").read_text(encoding="utf-8")
    dynamics = re.search(r'id="src-1".*?</details>', html, re.S).group(0)
    assert "明细（173行，列出前100行）" in dynamics
    assert dynamics.count("<tr>") == 1 + 100  # the header and the first 100 rows
    link = re.search(r'<a download="dynamics_total.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', dynamics)
    rows = base64.b64decode(link[1]).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("file,row,date,unit") and len(rows) == 1 + 173
