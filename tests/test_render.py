"""The report asset and its renderers: Quarto (against a stand-in executable), the embedded
pandoc + Typst path, byte-identical rebuilds, and the atomic swap of the year folder.

Runs on a tiny warehouse written here, independent of raw/."""

import base64
import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
import yaml
from pages import crossing_words, docx_as_pdf, spread_lines, split_headers, tables_outside, words_broken_mid_word

from pipeline.config import REPORTS_DIR
from pipeline.contract import Program
from pipeline.defs import report
from pipeline.defs.resources import project_resources
from pipeline.metrics.figures import headline_figures, monthly_media, weekly_dynamics
from pipeline.report import bundle, processes, render
from pipeline.report.appendix import HTML_ROWS_SHOWN, figure_sources, spreadsheet_csv, write_attachments
from pipeline.report.render import Renderer, RenderError
from pipeline.report.template import render_qmd
from pipeline.warehouse.store import ensure_schema, replace_year

YEAR = 2022
AS_OF = dt.date(2022, 12, 23)
# Built without a raw folder, so without program.yaml: the programme has no name and the report names no district.
TITLE = "共同富裕示范区建设"
BUNDLE = ("progress-report.html", "progress-report.pdf", "progress-report.docx", "figures.json", "manifest.json")
D = dt.date
LONG_FILE = "2022/dynamics/q6f_template_prenumbered_rows_xlsx.xlsx#第2周工作动态汇总表"
LONG_RUN_FILE = "2022/media/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz.csv"
# cells Excel or WPS would run as formulas in the attached CSVs
FORMULA_TITLE = '=HYPERLINK("http://example.com/?leak","推进网格化")'
LONG_THEME = "CommonProsperityZoneSpecialColumnOf2022"


def _frame(rows: list[tuple], columns: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


def _tiny_tables() -> dict[str, pl.DataFrame]:
    s, i, d = pl.String, pl.Int64, pl.Date
    return {
        "dynamics": _frame(
            [("2022/dynamics/a.csv", 2, D(2022, 1, 5), "区民政局", "收入分配", "开展调研", "动态", None),
             ("2022/dynamics/a.csv", 3, D(2022, 3, 9), "三墩镇", "社会治理", FORMULA_TITLE, "动态", None),
             ("2022/dynamics/b.csv", 2, D(2022, 6, 1), "区教育局", "社会治理", "编写信息", "信息", None)],
            {"file": s, "row": i, "date": d, "unit": s, "area": s, "title": s, "kind": s, "summary": s},
        ),
        "media": _frame(
            [("2022/media/m.csv", 2, D(2022, 2, 4), "浙江日报", "省级", 3, "杭向共富"),
             ("2022/media/m.csv", 3, D(2022, 9, 9), "+cmd|' /C calc'!A0", "区级", 12, None),
             # a theme no line can break: the lines before it must not be spread apart
             ("2022/media/m.csv", 5, D(2022, 10, 9), "西湖发布", "区级", 1, LONG_THEME)],
            {"file": s, "row": i, "date": d, "outlet": s, "level": s, "count": i, "theme": s},
        ),
        "meetings": _frame(
            [("2022/meetings.csv", 2, D(2022, 1, 26), "领导小组第一次会议", "领导小组会议"),
             ("2022/meetings.csv", 3, D(2022, 5, 26), "专题例会(5月)", "专题例会")],
            {"file": s, "row": i, "date": d, "name": s, "kind": s},
        ),
        "tasks": _frame(
            [("2022/tasks.csv", 2, "ZD-01", "重点工作", "收入分配", "实施“启明星”计划*试点*", "区人社局", "已完成"),
             ("2022/tasks.csv", 3, "ZD-02", "重点工作", "社会治理", "打造一体化智治模式", "区委政法委", "推进中"),
             ("2022/tasks.csv", 4, "GG-01", "重大改革", "扩中提低", "推进技术工人收入提升改革", "区人社局", "已完成")],
            {"file": s, "row": i, "id": s, "kind": s, "area": s, "name": s, "lead_unit": s, "status": s},
        ),
        "achievements": _frame(
            [("2022/achievements.csv", 2, D(2022, 6, 15), "婴幼儿照护服务模式", "标志性成果", "区级", None, "高品质生活"),
             ("2022/achievements.csv", 3, D(2022, 6, 8), "电子居住证改革", "课题", "市级", None, None)],
            {"file": s, "row": i, "date": d, "name": s, "kind": s, "level": s, "unit": s, "area": s},
        ),
    }


def _tiny_bookkeeping() -> dict[str, pl.DataFrame]:
    s, i = pl.String, pl.Int64
    files = [("dynamics", "2022/dynamics/a.csv", 3), ("dynamics", "2022/dynamics/b.csv", 2),
             ("media", "2022/media/m.csv", 4), ("meetings", "2022/meetings.csv", 2),
             ("tasks", "2022/tasks.csv", 3), ("achievements", "2022/achievements.csv", 2)]
    return {
        "source_files": _frame(
            [(ds, f, "0" * 64, "utf-8", n, None, False) for ds, f, n in files]
            + [("media", "2022/media/broken.xlsx", "1" * 64, "xlsx", 0, "无法作为 Excel/WPS 工作簿读取", False),
               ("dynamics", "2022/dynamics/~$a.xlsx", "2" * 64, None, 0, "临时锁定文件，未读取", True)],
            {"dataset": s, "file": s, "sha256": s, "encoding": s, "rows_read": i, "error": s, "skipped": pl.Boolean},
        ),
        "rejects": _frame([("dynamics", "2022/dynamics/a.csv", 4, "日期“2022-13-01”不是可识别的日期", "x")],
                          {"dataset": s, "file": s, "row": i, "reason": s, "raw": s}),
        "duplicates": _frame([("dynamics", "2022/dynamics/b.csv", 3, "2022/dynamics/a.csv:3")],
                             {"dataset": s, "file": s, "row": i, "duplicate_of": s}),
        # names as offices write them, which the PDF's table must wrap inside their column
        "warnings": _frame([("dynamics", LONG_FILE, 9, "单位“区民政局”不在方案的单位名单中"),
                            ("media", LONG_RUN_FILE, 7, "日期“3月5日”未写年份，按报告年度2022年计为2022-03-05")],
                           {"dataset": s, "file": s, "row": i, "reason": s}),
        "layout_rows": _frame([("media", "2022/media/m.csv", 4, "合计行", "合计 | 7")],
                              {"dataset": s, "file": s, "row": i, "kind": s, "text": s}),
    }


def _write_warehouse(path: Path) -> None:
    """The warehouse as ingest + metrics leave it, for a three-item year."""
    tables, bookkeeping = _tiny_tables(), _tiny_bookkeeping()
    figures = headline_figures(YEAR, AS_OF, tables, bookkeeping, list(Program().media_levels))
    import duckdb

    with duckdb.connect(str(path)) as conn:
        ensure_schema(conn)
        for name, frame in tables.items():
            replace_year(conn, name, YEAR, frame)
        for name, frame in bookkeeping.items():
            for dataset, part in frame.partition_by("dataset", as_dict=True).items():
                replace_year(conn, name, YEAR, part.drop("dataset"), dataset=dataset[0])
        replace_year(conn, "dynamics_weekly", YEAR, weekly_dynamics(tables["dynamics"], AS_OF))
        replace_year(conn, "media_monthly", YEAR, monthly_media(tables["media"], AS_OF))
        values = [json.dumps(v, ensure_ascii=False) for v in figures.values()]
        replace_year(conn, "figures", YEAR, pl.DataFrame({"key": list(figures), "value": values}))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    _write_warehouse(path)
    return path


def _build(warehouse: Path, output: Path, renderer: str) -> dg.ExecuteInProcessResult:
    # Each run gets its own copy: DuckDB lets one process hold a database file at a time.
    database = output.parent / f"{output.name}.duckdb"
    shutil.copyfile(warehouse, database)
    return dg.materialize(
        report.assets,
        resources=project_resources(output.parent / "no-raw", output, database, renderer),
        partition_key=str(YEAR),
        raise_on_error=False,
    )


def _bundle_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def embedded(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedded build of the tiny year; its year folder."""
    output = tmp_path_factory.mktemp("embedded") / "out"
    result = _build(warehouse, output, "embedded")
    assert result.success
    return output / str(YEAR)


def _calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_auto_renderer_uses_quarto_on_path_and_bundles_its_outputs(
    warehouse: Path, tmp_path: Path, quarto_stand_in: Path
) -> None:
    result = _build(warehouse, tmp_path / "out", "auto")
    assert result.success
    assert _calls(quarto_stand_in) == [
        ["--version"],
        ["render", "progress-report.qmd", "--to", "html"],
        ["render", "progress-report.qmd", "--to", "typst"],
        ["render", "progress-report.qmd", "--to", "docx"],
    ]
    year = tmp_path / "out" / str(YEAR)
    assert sorted(p.name for p in year.iterdir()) == sorted(BUNDLE)
    html = (year / "progress-report.html").read_text(encoding="utf-8")
    assert html.startswith("<html><body><p>---") and "</p><p>" in html
    assert (year / "progress-report.pdf").read_bytes() == b"%PDF-1.7 stand-in pdf"
    with zipfile.ZipFile(year / "progress-report.docx") as docx:  # Quarto's Word file: rows kept whole too
        assert "<w:tr><w:trPr><w:cantSplit />" in docx.read("word/document.xml").decode()
    manifest = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["renderer"]["name"] == "quarto"
    assert manifest["renderer"]["version"] == "1.6.40-standin"
    assert manifest["packages"]["quarto"] == "1.6.40-standin"


def test_quarto_failure_shows_quarto_stderr(tmp_path: Path, quarto_stand_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANDIN_FAIL", "1")
    for support in render.SUPPORT_FILES:
        shutil.copyfile(REPORTS_DIR / support, tmp_path / support)
    qmd = tmp_path / "progress-report.qmd"
    qmd.write_text("---\ntitle: 测试\n---\n\n正文\n", encoding="utf-8")
    with pytest.raises(RenderError, match="YAMLException at line 3"):
        Renderer(renderer="quarto").render(qmd, tmp_path / "out")


def test_quarto_asked_for_but_absent_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    qmd = tmp_path / "progress-report.qmd"
    qmd.write_text("---\ntitle: 测试\n---\n", encoding="utf-8")
    with pytest.raises(RenderError, match="no Quarto was found"):
        Renderer(renderer="quarto").render(qmd, tmp_path / "out")


def test_embedded_html_is_self_contained_with_an_embedded_chart(embedded: Path) -> None:
    html = (embedded / "progress-report.html").read_text(encoding="utf-8")
    assert TITLE in html and "今年以来，全区全面贯彻落实" in html and "西湖区" not in html and "西湖特色" not in html
    assert re.search(r'<img [^>]*src="data:image/png;base64,', html)
    for attribute in ("src", "href"):
        assert f'{attribute}="http' not in html and f"{attribute}='http" not in html
    assert "mathjax" not in html.lower()


def test_embedded_pdf_has_chinese_text_in_embedded_cjk_fonts(embedded: Path) -> None:
    pdf = embedded / "progress-report.pdf"
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert TITLE in text and "工作推进情况" in text and "已召开2次" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk)  # embedded and subset


def test_bundle_states_the_data_quality_and_figures(embedded: Path) -> None:
    html = (embedded / "progress-report.html").read_text(encoding="utf-8")
    assert "读取16行 = 计入13行 + 退回1行 + 重复1行 + 表格版式行1行" in html
    assert "2022/media/broken.xlsx" in html and "无法作为 Excel/WPS 工作簿读取" in html
    assert "2022/dynamics/~$a.xlsx" in html and "临时锁定文件，未读取" in html
    assert "合计 | 7" in html
    assert "计划*试点*" in html and "<em>试点</em>" not in html  # names are data, never markup
    figures_text = (embedded / "figures.json").read_text(encoding="utf-8")
    assert figures_text.endswith("}\n") and "中央" in figures_text
    figures = json.loads(figures_text)
    assert (figures["meetings_total"], figures["key_tasks_total"], figures["landmarks_total"]) == (2, 2, 1)
    manifest = json.loads((embedded / "manifest.json").read_text(encoding="utf-8"))
    assert [i["file"] for i in manifest["inputs"]][:2] == ["2022/achievements.csv", "2022/dynamics/a.csv"]
    assert manifest["as_of"] == "2022-12-23" and manifest["renderer"]["name"] == "embedded"
    assert {"dagster", "duckdb", "polars", "matplotlib", "pandoc", "typst"} <= set(manifest["packages"])


def test_two_builds_give_identical_bytes(warehouse: Path, embedded: Path, tmp_path: Path) -> None:
    again = _build(warehouse, tmp_path / "out", "embedded")
    assert again.success
    assert _bundle_bytes(tmp_path / "out" / str(YEAR)) == _bundle_bytes(embedded)


def test_failed_render_leaves_the_previous_bundle_untouched(
    warehouse: Path, embedded: Path, tmp_path: Path, quarto_stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    shutil.copytree(embedded, output / str(YEAR))
    (output / str(YEAR) / "editions").mkdir()
    (output / str(YEAR) / "editions" / "first.pdf").write_bytes(b"published")
    before = _bundle_bytes(output / str(YEAR))
    monkeypatch.setenv("STANDIN_FAIL", "1")
    result = _build(warehouse, output, "quarto")
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.user_failure_data
    assert "原报告保留" in failure.description and "YAMLException" in failure.description
    assert _bundle_bytes(output / str(YEAR)) == before
    assert sorted(p.name for p in output.iterdir()) == [f".{YEAR}.lock", str(YEAR)]  # no staging folder left behind


def test_rebuild_replaces_the_bundle_and_keeps_editions(
    warehouse: Path, embedded: Path, tmp_path: Path, quarto_stand_in: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(embedded, output / str(YEAR))
    (output / str(YEAR) / "stale.txt").write_text("from an older build", encoding="utf-8")
    (output / str(YEAR) / "editions").mkdir()
    (output / str(YEAR) / "editions" / "first.pdf").write_bytes(b"published")
    assert _build(warehouse, output, "quarto").success
    year = output / str(YEAR)
    assert sorted(p.name for p in year.iterdir()) == sorted([*BUNDLE, "editions"])
    assert (year / "editions" / "first.pdf").read_bytes() == b"published"
    assert sorted(p.name for p in output.iterdir()) == [f".{YEAR}.lock", str(YEAR)]  # the lock publish shares


def test_a_character_no_font_can_draw_fails_the_render(tmp_path: Path) -> None:
    qmd = tmp_path / "progress-report.qmd"
    qmd.write_text("---\ntitle: 测试\n---\n\n完成任务 🎉\n", encoding="utf-8")
    with pytest.raises(RenderError, match="🎉"):
        Renderer(renderer="embedded").render(qmd, tmp_path / "out")


@pytest.mark.parametrize("failing", ["pandoc", "typst"])
def test_embedded_tool_failure_names_the_tool(tmp_path: Path, failing: str) -> None:
    """The HTML (pandoc) and the PDF (Typst) are made side by side; either failing fails the
    render with that tool's own message."""
    for support in render.SUPPORT_FILES:
        shutil.copyfile(REPORTS_DIR / support, tmp_path / support)
    qmd = tmp_path / "progress-report.qmd"
    qmd.write_text('---\ntitle: 测试\nas-of: "2022-12-23"\n---\n\n正文\n', encoding="utf-8")
    out = tmp_path / "out"
    if failing == "pandoc":  # a folder where the HTML should go: pandoc cannot write it
        (out / "progress-report.html").mkdir(parents=True)
    else:
        (tmp_path / "pandoc-template.typ").write_text("#let x = (\n", encoding="utf-8")
    with pytest.raises(RenderError, match=f"^{failing}"):
        Renderer(renderer="embedded").render(qmd, out)


def test_a_tool_past_its_timeout_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    """Quarto runs deno, pandoc and Typst: a timeout must not wait for those to close its pipes."""
    pid_file = tmp_path / "child.pid"
    script = f"sleep 30 & echo $! > {pid_file}; wait"
    with pytest.raises(RenderError, match="did not finish within 1 s"):
        processes.run_tool(["bash", "-c", script], tmp_path, {}, timeout=1)
    status = Path(f"/proc/{pid_file.read_text().strip()}/status")
    # SIGKILL is delivered asynchronously: give the kernel a moment to end the process
    for _ in range(50):
        state = status.read_text() if status.exists() else "State: gone"
        if re.search(r"^State:\s+(Z|gone)", state, re.MULTILINE):
            break
        time.sleep(0.1)
    assert re.search(r"^State:\s+(Z|gone)", state, re.MULTILINE), state


@pytest.mark.parametrize(
    ("value", "shown"),
    [("a*b*", r"a\*b\*"), ("x|y", r"x\|y"), ("<b>", r"\<b\>"), ("$5 @who", r"\$5 \@who"), ("普通文字", "普通文字")],
)
def test_template_values_are_escaped_as_literal_markdown(value: str, shown: str) -> None:
    assert render_qmd("<< v >>", {"v": value}) == shown


def test_the_manifest_names_each_file_once_with_its_sheets_inside() -> None:
    sources = pl.DataFrame(
        {"file": ["2022/dynamics/周报.xlsx", "2022/dynamics/周报.xlsx#第2周", "2022/dynamics/周报.xlsx#说明"],
         "sheet": [None, "第2周", "说明"], "dataset": ["dynamics"] * 3, "sha256": ["a" * 64] * 3, "encoding": ["xlsx"] * 3, "rows_read": [3, 4, 0],
         "error": [None, None, "工作表不含本表的表头，未读取"]}
    )
    result = render.RenderResult(Path("a.html"), Path("a.pdf"), "embedded", "1", "pandoc", "typst", Path("a.docx"), "pandoc")
    inputs = bundle.manifest(YEAR, AS_OF, "p", sources, result, Path("/nonexistent"))["inputs"]
    assert inputs == [
        {"file": "2022/dynamics/周报.xlsx", "dataset": "dynamics", "sha256": "a" * 64, "encoding": "xlsx", "rows_read": 7,
         "error": None, "sheets": [{"sheet": "第2周", "rows_read": 4, "error": None},
                                   {"sheet": "说明", "rows_read": 0, "error": "工作表不含本表的表头，未读取"}]}
    ]


def test_every_renderer_takes_the_page_layout_from_page_yaml(warehouse: Path, tmp_path: Path, quarto_stand_in: Path) -> None:
    """One file holds the page metrics: the templates' front matter sets none (Quarto once gave
    the PDF 2.6 cm margins and 11 pt text from it); Quarto's typst format is given the Typst
    partials that read page.yaml, its docx the reference.docx written from it, and the filter."""
    for template in ("progress-report.qmd", "rollup-report.qmd"):
        front = yaml.safe_load((REPORTS_DIR / template).read_text(encoding="utf-8").split("---")[1])
        assert "format" not in front, template
    page = yaml.safe_load((REPORTS_DIR / "page.yaml").read_text(encoding="utf-8"))
    assert 'yaml("page.yaml")' in (REPORTS_DIR / "typst-template.typ").read_text(encoding="utf-8")
    typst_look = (REPORTS_DIR / "typst-template.typ").read_text(encoding="utf-8")
    assert not [f"{mm}mm" for mm in page["margin_mm"].values() if f"{mm}mm" in typst_look]
    assert _build(warehouse, tmp_path / "out", "quarto").success
    projects = [json.loads(line) for line in quarto_stand_in.with_name("quarto-calls-projects.log").read_text().splitlines()]
    assert len(projects) == 3 and all(p == projects[0] for p in projects)
    project = projects[0]
    assert project["format"]["typst"]["template-partials"] == ["typst-template.typ", "typst-show.typ"]
    assert project["format"]["docx"]["reference-doc"] == "reference.docx"
    assert project["format"]["html"]["css"] == "report.css" and project["filters"] == ["report.lua"]
    assert {"body-font", "title-font", "hei-font", "kai-font"} <= set(project)
    from docx import Document

    section = Document(str(REPORTS_DIR / "reference.docx")).sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [page["margin_mm"][k] for k in ("top", "bottom", "inside", "outside")]


def test_tables_are_numbered_in_print_order_and_the_text_refers_to_those_numbers(embedded: Path) -> None:
    """The tiny year has no checks table: the tables after it close up, 表1 to 表N, no gap."""
    html = (embedded / "progress-report.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>表(\d+) ([^<]*)</caption>", html)
    assert [int(n) for n, _ in captions] == list(range(1, len(captions) + 1))
    numbers = {title: int(n) for n, title in captions}
    assert f"各类数据见表{numbers['输入数据核对情况']}）" in html
    pdf = _pdf_text(embedded / "progress-report.pdf")
    assert re.findall(r"表(\d+) ", pdf)[: len(captions)] == [n for n, _ in captions]


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_tables_keep_their_text_inside_their_columns(embedded: Path) -> None:
    """Long file names (a sheet-qualified name, a run of letters with no break) wrap inside
    their column; headers keep their words (序号, not 序/号)."""
    pdf = embedded / "progress-report.pdf"
    assert "q6f" in _pdf_text(pdf) and "abcdefghij" in _pdf_text(pdf)
    assert crossing_words(pdf) == []
    assert split_headers(pdf) == []


def test_lists_of_names_are_set_ragged_never_spread_apart(embedded: Path) -> None:
    """A theme no line can break follows the paragraph's other words: justified, the line before
    it would spread its characters across the line."""
    assert LONG_THEME in _pdf_text(embedded / "progress-report.pdf")
    assert spread_lines(embedded / "progress-report.pdf") == []


def test_the_report_s_wording(embedded: Path) -> None:
    text = re.sub(r"<[^>]+>", "", (embedded / "progress-report.html").read_text(encoding="utf-8"))
    assert "共明确两个方面2项重点工作" in text  # not 二个
    assert "其中省级媒体3篇、区级媒体13篇，" in text  # 中央 and 市级 have none: not 中央媒体0篇
    assert "中央媒体0篇" not in text


def test_the_word_file_as_word_shows_it(embedded: Path, tmp_path: Path) -> None:
    """Rendered by LibreOffice: ruled tables inside the type area, columns wide enough for their
    words and headers, every row on one page and the header row repeated."""
    docx = embedded / "progress-report.docx"
    with zipfile.ZipFile(docx) as word:
        document = word.read("word/document.xml").decode()
        styles = word.read("word/styles.xml").decode()
    rows = document.count("<w:tr>")
    assert rows and document.count("<w:cantSplit />") == rows
    assert document.count("<w:tblHeader") == document.count("<w:tbl>")
    table_style = re.search(r'<w:style [^>]*w:styleId="Table".*?</w:style>', styles, re.S).group(0)
    assert all(f"<w:{edge} " in table_style for edge in ("top", "bottom", "insideH", "insideV"))
    pdf = docx_as_pdf(docx, tmp_path / "word")
    assert words_broken_mid_word(pdf, longest=40) == []  # the 52 letters of LONG_RUN_FILE may break
    assert split_headers(pdf) == []
    assert tables_outside(pdf, 28, 26) == []


@pytest.mark.parametrize(
    ("cell", "written"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-1+2", "'-1+2"),
     ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("a=b", "a=b"), ("区民政局", "区民政局")],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(tmp_path: Path, cell: str, written: str) -> None:
    spreadsheet_csv(pl.DataFrame({"title": [cell], "row": [3]}), tmp_path / "rows.csv")
    with (tmp_path / "rows.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["title", "row"], [written, "3"]]


def test_the_pdf_s_attachments_and_the_html_s_downloads_carry_no_formula(embedded: Path, tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()  # the attachments are named sources/<figure>.csv
    subprocess.run(["pdfdetach", "-saveall", str(embedded / "progress-report.pdf")], cwd=tmp_path, check=True)
    html = (embedded / "progress-report.html").read_text(encoding="utf-8")
    downloads = [base64.b64decode(d).decode("utf-8-sig") for d in re.findall(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)]
    attached = [p.read_text(encoding="utf-8-sig") for p in tmp_path.rglob("*.csv")]
    assert attached
    cells = [cell for text in [*downloads, *attached] for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA_TITLE in cells and "'+cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_html_lists_a_bounded_number_of_a_figure_s_rows_and_the_csv_holds_them_all(tmp_path: Path) -> None:
    tables = _tiny_tables()
    many = pl.concat([tables["dynamics"].head(1).with_columns(pl.lit(row).alias("row")) for row in range(2, 3002)])
    tables["dynamics"] = many.with_columns(pl.format("动态{}", pl.col("row")).alias("title"))
    figures = {"as_of": "2022-12-23", "dynamics_total": 3000, "sources": {"dynamics_total": {"2022/dynamics/a.csv": "2-3001"}}}
    [entry] = figure_sources(figures, tables)
    assert (entry["rows"], entry["shown"]) == (3000, HTML_ROWS_SHOWN)
    assert str(entry["table"]).count("<tr>") == 1 + HTML_ROWS_SHOWN
    write_attachments([entry], tmp_path)
    assert entry["linked"] and len((tmp_path / "sources" / "dynamics_total.csv").read_text(encoding="utf-8-sig").splitlines()) == 3001


def test_the_portal_s_template_writes_names_from_program_yaml_as_text_never_as_formulas() -> None:
    """The blank .xlsx a unit downloads carries its name and the programme's areas: one that
    starts like a formula is a text cell (openpyxl would otherwise store it as a formula)."""
    import openpyxl

    from pipeline.portal.template import DATA_SHEET, GUIDE_SHEET, blank_template

    program = Program(areas=("经济高质量发展", '=HYPERLINK("http://example.com","x")'))
    book = openpyxl.load_workbook(io.BytesIO(blank_template(program, "+cmd|' /C calc'!A0")))
    cells = [c for sheet in (book[DATA_SHEET], book[GUIDE_SHEET]) for row in sheet.iter_rows() for c in row if c.value]
    assert {c.value for c in cells} >= {"+cmd|' /C calc'!A0", '=HYPERLINK("http://example.com","x")'}
    assert not [c.coordinate for c in cells if c.data_type == "f"]
