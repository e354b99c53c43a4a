"""Write reports/reference.docx: the Word styles and page set-up pandoc gives the report's
.docx, in the layout of Chinese official documents (GB/T 9704-2012).

    uv run python -m tools.reference_docx        # rewrites reports/reference.docx

It starts from pandoc's own default reference document (so every style pandoc uses exists)
and sets, from reports/page.yaml (the page metrics the PDF uses too): A4; margins top 37 mm,
bottom 35 mm, binding side 28 mm, outer 26 mm (mirrored); the title in 方正小标宋简体 22 pt;
body text in 仿宋_GB2312 16 pt (三号) at an exact line pitch that gives 22 lines on the 225 mm
type area, with a two-character first-line indent; headings 一、 in 黑体 and （一） in
楷体_GB2312; page numbers "— 1 —" in 宋体 14 pt (四号), odd pages right, even pages left;
tables ruled as a full grid in 五号 text with the PDF's cell padding, the header row shaded; "Ragged Text" for lists of
names (not justified). Fonts are named, not embedded: offices have them. The file is written
with fixed timestamps, so running this twice gives the same bytes.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pypandoc
import yaml
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pipeline.config import REPORTS_DIR

TARGET = REPORTS_DIR / "reference.docx"
PAGE = yaml.safe_load((REPORTS_DIR / "page.yaml").read_text(encoding="utf-8"))
MARGIN = PAGE["margin_mm"]
TYPE_AREA_HEIGHT_MM = PAGE["height_mm"] - MARGIN["top"] - MARGIN["bottom"]
LINES_PER_PAGE = PAGE["lines_per_page"]
BODY_PT = PAGE["body_pt"]
LINE_PITCH = Pt(TYPE_AREA_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE)
# Word's footer distance is from the page's edge to the footer's foot: the page number's line
# then starts page_number_below_mm under the type area.
FOOTER_MM = MARGIN["bottom"] - PAGE["page_number_below_mm"] - PAGE["page_number_pt"] * 25.4 / 72
RAGGED = "Ragged Text"  # the style report.lua gives `::: ragged` paragraphs
TITLE_FONT, BODY_FONT, HEI, KAI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
FIXED_TIME = (2022, 1, 1, 0, 0, 0)


def _fonts(style, east_asian: str, size_pt: float, latin: str = "Times New Roman") -> None:  # noqa: ANN001
    """Name the style's fonts (East Asian and Latin) and size; no colour, no bold from pandoc's defaults."""
    style.font.size = Pt(size_pt)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute, name in (("w:eastAsia", east_asian), ("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin)):
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _body(style, indent: bool = True) -> None:  # noqa: ANN001
    paragraph = style.paragraph_format
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE_PITCH
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.first_line_indent = Pt(2 * BODY_PT) if indent else Pt(0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _page_number(footer, alignment: WD_ALIGN_PARAGRAPH) -> None:  # noqa: ANN001
    """"— N —" in 宋体 四号 (14 pt), a PAGE field between two dashes."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")
        run.font.size = Pt(14)
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONG)
        run.font.name = SONG
        if text is None:
            for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
                if kind:
                    char = OxmlElement("w:fldChar")
                    char.set(qn("w:fldCharType"), kind)
                    run._r.append(char)  # noqa: SLF001 - python-docx has no field API
                else:
                    code = OxmlElement("w:instrText")
                    code.set(qn("xml:space"), "preserve")
                    code.text = instruction
                    run._r.append(code)  # noqa: SLF001


def _ruled(style) -> None:  # noqa: ANN001
    """The table style as a full grid of 0.5 pt rules, its header row shaded and bold."""
    table = style.element.find(qn("w:tblPr"))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = OxmlElement(f"w:{edge}")
        for attribute, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            rule.set(qn(attribute), value)
        borders.append(rule)
    # Word sets a cell's text, not its rule, at the margin: indented by the cell padding, the
    # rules stay inside the type area too
    padding = str(round(PAGE["table_inset_pt"] * 20))  # twips
    for side in ("left", "right"):
        table.find(qn("w:tblCellMar")).find(qn(f"w:{side}")).set(qn("w:w"), padding)
    table.find(qn("w:tblInd")).set(qn("w:w"), padding)
    margins = table.find(qn("w:tblCellMar"))
    (margins.addprevious if margins is not None else table.append)(borders)
    for conditional in style.element.findall(qn("w:tblStylePr")):
        if conditional.get(qn("w:type")) == "firstRow":
            style.element.remove(conditional)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    run = OxmlElement("w:rPr")
    run.append(OxmlElement("w:b"))
    cell = OxmlElement("w:tcPr")
    shading = OxmlElement("w:shd")
    for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "E8E8E8")):
        shading.set(qn(attribute), value)
    cell.append(shading)
    header.extend([run, cell])
    style.element.append(header)


def build() -> bytes:
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    document = Document(io.BytesIO(default))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width_mm"]), Mm(PAGE["height_mm"])
    section.top_margin, section.bottom_margin = Mm(MARGIN["top"]), Mm(MARGIN["bottom"])
    # inside (binding) and outside, mirrored
    section.left_margin, section.right_margin = Mm(MARGIN["inside"]), Mm(MARGIN["outside"])
    section.header_distance, section.footer_distance = Mm(15), Mm(round(FOOTER_MM, 1))
    settings = document.settings.element
    if settings.find(qn("w:mirrorMargins")) is None:
        settings.insert(0, OxmlElement("w:mirrorMargins"))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph"):
        _fonts(styles[name], BODY_FONT, BODY_PT)
        _body(styles[name])
    _fonts(styles["Title"], TITLE_FONT, 22)
    _body(styles["Title"], indent=False)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Title"].paragraph_format.line_spacing = Pt(22 * 1.5)
    for name in ("Subtitle", "Date", "Author"):
        if name in [s.name for s in styles]:
            _fonts(styles[name], KAI, BODY_PT)
            _body(styles[name], indent=False)
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, face in (("Heading 1", HEI), ("Heading 2", HEI), ("Heading 3", KAI), ("Heading 4", BODY_FONT)):
        _fonts(styles[name], face, BODY_PT)
        _body(styles[name])
        styles[name].paragraph_format.keep_with_next = True
    for name in ("Compact", "Table Caption", "Image Caption", "Captioned Figure", "Figure"):
        if name in [s.name for s in styles]:
            _fonts(styles[name], BODY_FONT, PAGE["table_pt"] if name == "Compact" else PAGE["caption_pt"])
            _body(styles[name], indent=False)
            styles[name].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if name != "Compact":
                styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Compact"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    styles["Table Caption"].paragraph_format.keep_with_next = True  # the caption stays with its table
    _fonts(styles["Table Caption"], HEI, PAGE["caption_pt"])
    ragged = styles.add_style(RAGGED, WD_STYLE_TYPE.PARAGRAPH)
    ragged.base_style = styles["Body Text"]
    ragged.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _ruled(styles["Table"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same parts, in the same order, each stamped FIXED_TIME: the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def main() -> int:
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
