"""Reading every written file back and comparing it cell by cell with what was meant."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path

from tools.quirks.model import Fixture, text_cell
from tools.quirks.writers import physical


def _same(meant: object, read: object) -> bool:
    if meant is None:
        return read in (None, "")
    if isinstance(meant, dt.datetime):
        return isinstance(read, dt.datetime) and read == meant
    if isinstance(meant, dt.date):
        if isinstance(read, dt.datetime):
            return read == dt.datetime.combine(meant, dt.time())
        return isinstance(read, dt.date) and read == meant
    if isinstance(meant, (int, float)):
        return isinstance(read, (int, float)) and not isinstance(read, bool) and float(read) == float(meant)
    return read == meant


def verify(fixture: Fixture, year_dir: Path) -> None:
    """Read the written file back and compare it with the lines, row by row."""
    path = year_dir / fixture.rel
    where = f"{year_dir.parent.name}/{fixture.path}"
    if fixture.fmt == "bytes":
        assert path.read_bytes() == fixture.payload, where
        return
    if fixture.fmt == "csv":
        style = fixture.style
        assert style is not None
        data = path.read_bytes()
        if style.encoding == "utf-16le-bom":
            assert data.startswith(codecs.BOM_UTF16_LE), where
            text = data[2:].decode("utf-16-le")
        elif style.encoding == "utf-8-sig":
            assert data.startswith(codecs.BOM_UTF8), where
            text = data.decode("utf-8-sig")
        elif style.encoding == "gb18030":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise AssertionError(f"{where}: GB18030 file also decodes as UTF-8")
            text = data.decode("gb18030")
        else:
            assert not data.startswith(codecs.BOM_UTF8), where
            text = data.decode("utf-8")
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=style.delimiter))
        rows = physical(fixture.sheets[0]) if style.pad else [line.cells for line in fixture.sheets[0].lines]
        meant = [[text_cell(v) for v in row] for row in rows]
        assert records == meant, f"{where}: read back {records} != {meant}"
        ends = text.count(style.newline) if style.newline == "\r\n" else text.count("\n") - text.count("\r\n")
        assert ends == len(records), f"{where}: {ends} line ends for {len(records)} rows"
        return
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == [s.name for s in fixture.sheets], f"{where}: sheets {wb.sheet_names}"
    for sheet, meta in zip(fixture.sheets, wb.sheets_metadata, strict=True):
        visible = str(meta.visible).lower()
        assert ("hidden" in visible) == sheet.hidden, f"{where}#{sheet.name}: visibility {meta.visible}"
        rows = wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        grid = physical(sheet)
        while grid and all(v is None for v in grid[-1]):
            grid.pop()  # a trailing blank row is not in the file
        assert len(rows) == len(grid), f"{where}#{sheet.name}: {len(rows)} rows read, {len(grid)} meant"
        for r, (meant_row, read_row) in enumerate(zip(grid, rows, strict=True), start=1):
            width = max(len(meant_row), len(read_row))
            meant_row = meant_row + [None] * (width - len(meant_row))
            read_row = list(read_row) + [""] * (width - len(read_row))
            for col, (meant, read) in enumerate(zip(meant_row, read_row, strict=True), start=1):
                assert _same(meant, read), f"{where}#{sheet.name} R{r}C{col}: read {read!r}, meant {meant!r}"
        if fixture.fmt in ("xlsx", "xls") and sheet.merges:
            ranges = wb.get_sheet_by_name(sheet.name).merged_cell_ranges or []
            got = sorted((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in ranges)
            assert got == sorted(sheet.merges), f"{where}#{sheet.name}: merges {got} != {sorted(sheet.merges)}"
    if fixture.fmt == "xlsx":
        from openpyxl import load_workbook

        owb = load_workbook(path)
        for sheet in fixture.sheets:
            got = sorted((m.min_row, m.min_col, m.max_row, m.max_col) for m in owb[sheet.name].merged_cells.ranges)
            assert got == sorted(sheet.merges), f"{where}#{sheet.name}: openpyxl merges {got}"
            assert (owb[sheet.name].sheet_state == "hidden") == sheet.hidden, where
