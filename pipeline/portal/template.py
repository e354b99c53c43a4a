"""The blank .xlsx a unit downloads: the dynamics table's columns under their Chinese headers,
the unit's name filled in (one cell merged down the rows, which the intake spreads over every
row filled in), dates formatted as dates, dropdowns (data validation) for 领域 and 类别 from the
programme, and an instructions sheet (read by `check` as a sheet without the table's header)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.contract import DYNAMICS, Program

DATA_SHEET = "工作动态"
GUIDE_SHEET = "填报说明"
ROWS = 200  # rows made ready (the unit's name reaches down them); more rows need the name typed
_WIDTHS = {"date": 14, "unit": 18, "area": 20, "title": 48, "kind": 10, "summary": 60}
# Excel's serial numbers of 2000-01-01 and 2099-12-31: any real date of a report
_FIRST_DAY, _LAST_DAY = 36526, 73050
_GUIDE = (
    "每行填一条工作动态。日期、报送单位、领域、标题必填；类别选“动态”或“信息”（不填按动态计）；摘要可不填。",
    "日期请写作2023-05-19，或用Excel的日期格式。",
    "报送单位已填好（本单位）；一个文件只能报送本单位的动态，写有其他成员单位的文件不予接收。",
    "领域和类别请从下拉列表中选择；领域可选值见下方。",
    "同一周再次上传的文件会替换该周此前上传的文件（原文件保留，不再计入）。",
)


def template_name(unit: str) -> str:
    return f"工作动态报送模板-{unit}.xlsx"


def blank_template(program: Program, unit: str) -> bytes:
    """The template for `unit` as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    columns = {column.name: index + 1 for index, column in enumerate(DYNAMICS.columns)}
    sheet.append([column.label for column in DYNAMICS.columns])
    for name, index in columns.items():
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(name, 16)
        sheet.cell(1, index).font = Font(bold=True)
        sheet.cell(1, index).fill = PatternFill("solid", fgColor="DDE6F0")
    sheet.freeze_panes = "A2"
    unit_column = get_column_letter(columns["unit"])
    _text(sheet[f"{unit_column}2"], unit)
    sheet[f"{unit_column}2"].alignment = Alignment(vertical="top")
    sheet.merge_cells(f"{unit_column}2:{unit_column}{ROWS + 1}")
    date_column = get_column_letter(columns["date"])
    for row in range(2, ROWS + 2):
        sheet[f"{date_column}{row}"].number_format = "yyyy-mm-dd"
    areas = _guide(book.create_sheet(GUIDE_SHEET), program, unit)
    _validations(sheet, columns, areas)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide(sheet: Worksheet, program: Program, unit: str) -> str:
    """Fill the instructions sheet; returns the range of its list of areas, for the dropdown."""
    sheet.column_dimensions["A"].width = 100
    lines = (f"{program.name}工作动态报送模板", f"本模板的报送单位：{unit}", *_GUIDE, "领域可选值：", *program.areas)
    for row, line in enumerate(lines, start=1):
        _text(sheet.cell(row, 1), line)
    sheet["A1"].font = Font(bold=True, size=14)
    first = len(lines) - len(program.areas) + 1
    sheet.protection.sheet = True  # the dropdown reads the list: kept from accidental edits
    return f"'{GUIDE_SHEET}'!$A${first}:$A${sheet.max_row}"


def _text(cell: Cell, value: str) -> None:
    """A name from program.yaml written as text: openpyxl would store one starting with = as a
    formula that Excel or WPS runs when the unit opens the file."""
    cell.value = value
    cell.data_type = "s"


def _validations(sheet: Worksheet, columns: dict[str, int], areas: str) -> None:
    def cells(name: str) -> str:
        letter = get_column_letter(columns[name])
        return f"{letter}2:{letter}{ROWS + 1}"

    area = DataValidation(type="list", formula1=f"={areas}", allow_blank=True, showErrorMessage=True,
                          errorTitle="领域", error="请从下拉列表中选择方案的工作领域")
    kinds = ",".join(DYNAMICS.column("kind").choices)
    kind = DataValidation(type="list", formula1=f'"{kinds}"', allow_blank=True, showErrorMessage=True,
                          errorTitle="类别", error=f"类别只能是{kinds.replace(',', '或')}")
    date = DataValidation(type="date", operator="between", formula1=str(_FIRST_DAY), formula2=str(_LAST_DAY),
                          allow_blank=True, showErrorMessage=True, errorTitle="日期", error="请填写日期，如2023-05-19")
    for validation, name in ((area, "area"), (kind, "kind"), (date, "date")):
        validation.add(cells(name))
        sheet.add_data_validation(validation)
