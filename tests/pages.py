"""What a reader sees on the printed pages, read back from a PDF (pdfplumber: word boxes, table
cells, lines): words over a column's edge, headers broken inside a word, captions stranded at
a page's foot, justified lines spread apart; and the Word file as LibreOffice lays it out."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pdfplumber

CAPTION = re.compile(r"^表\d+ ")
CJK_PUNCTUATION = "（）「」『』【】〈〉《》，。、；：！？“”‘’"


def _cells(page: pdfplumber.page.Page) -> Iterator[tuple[int, tuple[float, float, float, float]]]:
    """Each table cell of the page as (row index in its table, bbox)."""
    for table in page.find_tables():
        for index, row in enumerate(table.rows):
            for cell in row.cells:
                if cell:
                    yield index, cell


def _inside(word: dict, cell: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = cell
    middle = (word["top"] + word["bottom"]) / 2
    return x0 <= _left(word) + 0.5 < x1 and top <= middle <= bottom


def _left(word: dict) -> float:
    """Where a word's first letter starts (an opening bracket at a line's start is set half wide)."""
    letters = [c for c in word.get("chars", []) if c["text"] not in CJK_PUNCTUATION]
    return letters[0]["x0"] if letters else word["x0"]


def crossing_words(pdf: Path) -> list[str]:
    """Words of a table cell whose letters run past its column's right edge, as 'page: word'."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            words = page.extract_words(return_chars=True)
            for _, cell in _cells(page):
                found += [f"{number}: {w['text']}" for w in words if _inside(w, cell) and _right(w) > cell[2] + 0.5]
    return found


def _right(word: dict) -> float:
    """Where a word's last letter ends: CJK punctuation at a line's end or start is set half
    wide (its ink in one half), though the PDF still gives it a whole em, so it is not counted."""
    letters = [c for c in word["chars"] if c["text"] not in CJK_PUNCTUATION]
    return letters[-1]["x1"] if letters else word["x0"]


def cell_lines(pdf: Path) -> Iterator[tuple[int, int, list[str]]]:
    """Each table cell's text lines as (page, row index, lines)."""
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            words = page.extract_words(return_chars=True)
            for row, cell in _cells(page):
                lines: dict[float, list[dict]] = {}
                for word in (w for w in words if _inside(w, cell)):
                    lines.setdefault(round(word["top"]), []).append(word)
                texts = ["".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])) for _, ws in sorted(lines.items())]
                if texts:
                    yield number, row, texts


def split_headers(pdf: Path) -> list[str]:
    """Header cells (a table's first row) broken inside a word (序/号), not before a bracket
    or where the template allows it (a zero-width space: 标志性​/成果)."""
    return [f"{page}: {'/'.join(lines)}" for page, row, lines in cell_lines(pdf)
            if row == 0 and any(not (later.startswith("（") or earlier.endswith("\u200b") or later.startswith("\u200b"))
                                for earlier, later in zip(lines, lines[1:]))]


def words_broken_mid_word(pdf: Path, longest: int) -> list[str]:
    """Cells whose Latin word runs on from one line to the next (dynamics_by_are/a), unless the
    word is longer than `longest` characters (no column could hold it)."""
    found = []
    for page, _, lines in cell_lines(pdf):
        for before, after in zip(lines, lines[1:]):
            head, tail = re.search(r"[A-Za-z0-9_]*$", before).group(0), re.match(r"[A-Za-z0-9_]*", after).group(0)
            if head and tail and len(head + tail) <= longest:
                found.append(f"{page}: {before}/{after}")
    return found


def stranded_captions(pdf: Path) -> list[str]:
    """Table captions that are the last line of their page (above the page number)."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            lines = [line["text"] for line in page.extract_text_lines() if not re.fullmatch(r"—\s*\d+\s*—", line["text"])]
            if lines and CAPTION.match(lines[-1]):
                found.append(f"{number}: {lines[-1]}")
    return found


def spread_lines(pdf: Path, body_pt: float = 16) -> list[str]:
    """Lines of body text (outside tables) whose characters a justified line spread apart."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            tables = [t.bbox for t in page.find_tables()]
            for line in page.extract_text_lines(return_chars=True):
                chars = [c for c in line["chars"] if abs(c["size"] - body_pt) < 1 and c["text"].strip()]
                if len(chars) < 8 or any(t[1] - 2 <= line["top"] <= t[3] for t in tables):
                    continue
                gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
                if sum(gap > body_pt / 6 for gap in gaps) > len(gaps) / 3:
                    found.append(f"{number}: {line['text']}")
    return found


def tables_outside(pdf: Path, inside_mm: float, outside_mm: float) -> list[str]:
    """Tables reaching past the type area of mirrored pages (binding side left on odd pages)."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            left, right = (inside_mm, outside_mm) if number % 2 else (outside_mm, inside_mm)
            low, high = left / 25.4 * 72, page.width - right / 25.4 * 72
            found += [f"{number}: {t.bbox}" for t in page.find_tables() if t.bbox[0] < low - 1 or t.bbox[2] > high + 1]
    return found


def docx_as_pdf(docx: Path, folder: Path) -> Path:
    """The Word file as LibreOffice lays it out, printed to PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is not installed: make test installs libreoffice-writer-nogui"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   capture_output=True, check=True, timeout=180)
    return folder / f"{docx.stem}.pdf"
