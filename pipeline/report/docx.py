"""The Word file as Word shows it: pandoc writes the tables' ruled style (reference.docx),
widths (report.lua) and repeated header rows; this keeps every row on one page (w:cantSplit),
which pandoc cannot say. Both renderers' .docx go through it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

DOCUMENT = "word/document.xml"
# a table row, with the row properties pandoc gave it (a header row's w:tblHeader), if any
_ROW = re.compile(r"<w:tr>(<w:trPr>|<w:trPr\s*/>)?")


def _kept_whole(match: re.Match[str]) -> str:
    if match.group(1) == "<w:trPr>":
        return "<w:tr><w:trPr><w:cantSplit />"
    return "<w:tr><w:trPr><w:cantSplit /></w:trPr>"


def rows_kept_whole(path: Path) -> None:
    """Rewrite the .docx at `path` with every table row unsplittable; the other parts keep
    their bytes, names, order and times, so the same input still gives the same file."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, data in parts:
            if info.filename == DOCUMENT:
                data = _ROW.sub(_kept_whole, data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
