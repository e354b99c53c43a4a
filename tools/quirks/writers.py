"""Writing a fixture as the file an office sends: CSV in its encoding and style, XLSX, XLS, ODS with fixed times."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from tools.quirks.model import FIXED_TIME, Fixture, Sheet, ZIP_TIME, text_cell


def physical(sheet: Sheet) -> list[list]:
    """The cells as they are in the file: a merge keeps its value in the top-left cell only."""
    width = max((len(line.cells) for line in sheet.lines), default=0)
    grid = [list(line.cells) + [None] * (width - len(line.cells)) for line in sheet.lines]
    for r1, c1, r2, c2 in sheet.merges:
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) != (r1, c1):
                    grid[r - 1][col - 1] = None
    return grid


def csv_text(fixture: Fixture) -> str:
    style = fixture.style
    assert style is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.newline, quoting=csv.QUOTE_MINIMAL)
    rows = physical(fixture.sheets[0]) if style.pad else [line.cells for line in fixture.sheets[0].lines]
    for row in rows:
        writer.writerow([text_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(fixture: Fixture, path: Path) -> None:
    style = fixture.style
    assert style is not None
    text = csv_text(fixture)
    if style.encoding == "utf-16le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    else:
        data = text.encode(style.encoding)
    path.write_bytes(data)


def _number_format(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return "yyyy/m/d h:mm"
    if isinstance(value, dt.date):
        return "yyyy/m/d"
    return None


def write_xlsx(fixture: Fixture, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in fixture.sheets:
        ws = wb.create_sheet(sheet.name)
        for r, row in enumerate(physical(sheet), start=1):
            for col, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=col, value=value)
                if fmt := _number_format(value):
                    cell.number_format = fmt
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if sheet.hidden:
            ws.sheet_state = "hidden"
    wb.properties.creator = "西湖区共富办"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    # Workbook.save stamps `modified` with the clock; its writer, used directly, does not.
    ExcelWriter(wb, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    stabilise_zip(path)


def write_xls(fixture: Fixture, path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles = {
        "date": xlwt.easyxf(num_format_str="yyyy/m/d"),
        "datetime": xlwt.easyxf(num_format_str="yyyy/m/d h:mm"),
        "plain": xlwt.easyxf(),
    }

    def style_of(value: object) -> xlwt.XFStyle:
        if isinstance(value, dt.datetime):
            return styles["datetime"]
        return styles["date"] if isinstance(value, dt.date) else styles["plain"]

    for sheet in fixture.sheets:
        ws = wb.add_sheet(sheet.name)
        grid = physical(sheet)
        merged: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in sheet.merges:
            value = grid[r1 - 1][c1 - 1]
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value, style_of(value))
            merged |= {(r, col) for r in range(r1, r2 + 1) for col in range(c1, c2 + 1)}
        for r, row in enumerate(grid, start=1):
            for col, value in enumerate(row, start=1):
                if value is not None and (r, col) not in merged:
                    ws.write(r - 1, col - 1, value, style_of(value))
        if sheet.hidden:
            ws.visibility = 1
    wb.save(str(path))


def write_ods(fixture: Fixture, path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for sheet in fixture.sheets:
        table = Table(name=sheet.name)
        for row in physical(sheet):
            tr = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=f"{value.year}/{value.month}/{value.day}"))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    stabilise_zip(path)


def stabilise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry times (openpyxl and odfpy stamp the clock), order and compression kept."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


def write_fixture(fixture: Fixture, year_dir: Path) -> None:
    path = year_dir / fixture.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    {
        "csv": write_csv,
        "xlsx": write_xlsx,
        "xls": write_xls,
        "ods": write_ods,
        "bytes": lambda f, p: p.write_bytes(f.payload),
    }[fixture.fmt](fixture, path)
