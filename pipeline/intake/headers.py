"""Finding a sheet's header: the first of its first ten rows (or pair of rows, for a two-level
header under merged cells) that names every required column of the table, matched through
the contract's synonyms after dropping whitespace, required marks and bracketed notes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from pipeline.contract import TableSpec
from pipeline.intake.text import ROW, Sheet, UnreadableFile, cell_column

HEADER_ROWS_SEARCHED = 10
# `*日期`, `日期（必填）`, `稿件数(篇)`, `标题【必填】`: marks and notes around the name itself
_MARKS = re.compile(r"[*＊※]|[(（\[【〔][^)）\]】〕]*[)）\]】〕]")


class NoHeader(UnreadableFile):
    """No row names every required column. `found` counts the required columns the best
    row named, so a sheet that merely holds other text can be told from a broken header."""

    def __init__(self, message: str, found: int) -> None:
        super().__init__(message)
        self.found = found


@dataclass(frozen=True)
class RawTable:
    """A sheet's header and its data rows as text, before any rule.

    `header` names each cell column (a two-level header joined); `mapping` maps each contract
    column found to its cell column; `cells` holds the rows below the header (`row`, `c0..cN`);
    `broken` the lines below the header the reader could not split (those above it belong to
    the title rows)."""

    header: list[str]
    mapping: dict[str, str]
    cells: pl.DataFrame
    broken: pl.DataFrame
    encoding: str
    above: pl.DataFrame  # rows above the header (titles, 填报单位/填报日期 lines), as `cells`


def header_key(name: str) -> str:
    """What a header cell is matched by: NFKC, no whitespace at all, no marks or notes."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(_MARKS.sub("", text).split()).casefold()


def _match(keys: list[list[str]], spec: TableSpec) -> dict[str, str]:
    """Contract column -> cell column; `keys[i]` are the names column i may go by, best first."""
    positions: dict[str, int] = {}
    for rank in range(max((len(k) for k in keys), default=0)):
        for i, options in enumerate(keys):
            if rank < len(options) and options[rank]:
                positions.setdefault(options[rank], i)
    mapping = {}
    for column in spec.columns:
        found = next((positions[k] for k in map(header_key, (column.name, *column.chinese)) if k in positions), None)
        if found is not None:
            mapping[column.name] = cell_column(found)
    return mapping


def _texts(row: tuple) -> list[str]:
    return ["" if v is None else str(v) for v in row]


def _missing(mapping: dict[str, str], spec: TableSpec) -> list[str]:
    return [c.label for c in spec.columns if c.required and c.name not in mapping]


def find_table(sheet: Sheet, spec: TableSpec) -> RawTable:
    """The sheet's header and the rows below it; NoHeader (in Chinese, naming the row tried,
    the headers seen and what is missing) when none of the first rows will do."""
    cells = [c for c in sheet.grid.columns if c != ROW]
    top = sheet.grid.head(HEADER_ROWS_SEARCHED)
    rows = [_texts(r) for r in top.select(cells).iter_rows()]
    numbers = top.get_column(ROW).to_list()
    best: tuple[int, int] | None = None  # (required columns named, index)
    for i, names in enumerate(rows):
        mapping = _match([[header_key(n)] for n in names], spec)
        if not _missing(mapping, spec):
            return _split(sheet, names, mapping, numbers[i], numbers[i])
        if i + 1 < len(rows):
            lower = rows[i + 1]
            below_alone = not _missing(_match([[header_key(n)] for n in lower], spec), spec)
            # a merged cell spread over both rows (序号, 日期 above 领域, 标题) makes them one header;
            # a title or 填报单位 line above a complete header shares no cell with it
            shared = any(up.strip() and up == lo for up, lo in zip(names, lower, strict=True))
            if shared or not below_alone:
                # the lower cell names the column; where it does not, the merged cell above
                keys = [[header_key(lo), header_key(up), header_key(up + lo)] for up, lo in zip(names, lower, strict=True)]
                two_level = _match(keys, spec)
                if not _missing(two_level, spec):
                    header = [lo if lo and lo != up else up for up, lo in zip(names, lower, strict=True)]
                    return _split(sheet, header, two_level, numbers[i], numbers[i + 1])
        found = sum(1 for c in spec.columns if c.required and c.name in mapping)
        if best is None or found > best[0]:
            best = (found, i)
    if best is None:
        raise NoHeader("空工作表", 0)
    found, i = best
    seen = "、".join(dict.fromkeys(n.strip() for n in rows[i] if n.strip())) or "（空）"
    missing = "、".join(_missing(_match([[header_key(n)] for n in rows[i]], spec), spec))
    raise NoHeader(f"第{numbers[i]}行被当作表头，找到：{seen}；缺少：{missing}", found)


def _split(sheet: Sheet, header: list[str], mapping: dict[str, str], first: int, last: int) -> RawTable:
    """The table of a header from row `first` to row `last`."""
    cells = sheet.grid.filter(pl.col(ROW) > last)
    broken = sheet.broken.filter(pl.col(ROW) > last)
    return RawTable(header, mapping, cells, broken, sheet.encoding, sheet.grid.filter(pl.col(ROW) < first))
