"""Comparing two editions of a report: the figures that changed, the paragraphs that changed,
and each changed table cell named by its table, row and column."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_TEXT = ("p", "li", "h1", "h2", "h3")
# a column's unit or note after its name: 工作动态（条） is the column 工作动态
_NOTE = re.compile(r"[（(][^）)]*[）)]$")


@dataclass
class Table:
    """A report table: its caption, column headers, and rows of cell texts."""

    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How a change names the table: its number (表2), else its whole caption."""
        return self.caption.split(" ")[0] if self.caption.startswith("表") else self.caption


def _clean(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


class _Report(HTMLParser):
    """The report's paragraphs outside tables, and its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.tables: list[Table] = []
        self._text: list[str] | None = None
        self._opened_by = ""
        self._table: Table | None = None
        self._row: list[str] | None = None
        self._header_row = False
        self._skipped_tables = 0  # the appendix's rows behind each figure: their changes show as figure changes

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self._skipped_tables:
            self._skipped_tables += tag == "table"
        elif tag == "table" and ("class", "figure-rows") in attrs:
            self._skipped_tables = 1
        elif tag == "table":
            self._table = Table()
        elif self._table is not None:
            if tag == "tr":
                self._row, self._header_row = [], False
            elif tag in ("td", "th", "caption"):
                self._text = []
                self._header_row = self._header_row or tag == "th"
        elif tag in _TEXT and self._text is None:
            self._text, self._opened_by = [], tag

    def handle_endtag(self, tag: str) -> None:
        if self._skipped_tables:
            self._skipped_tables -= tag == "table"
            return
        table = self._table
        if table is None:
            if tag == self._opened_by and self._text is not None:
                if text := _clean(self._text):
                    self.paragraphs.append(text)
                self._text = None
        elif tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append(_clean(self._text))
            self._text = None
        elif tag == "caption" and self._text is not None:
            table.caption, self._text = _clean(self._text), None
        elif tag == "tr" and self._row is not None:
            if self._header_row and not table.header:
                table.header = self._row
            elif self._row:
                table.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self.tables.append(table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def read_report(html: str) -> tuple[list[str], list[Table]]:
    parser = _Report()
    parser.feed(html)
    return parser.paragraphs, parser.tables


def _figures(edition: Path) -> dict[str, object]:
    """The edition's figures, flat; not their sources (a changed figure says it)."""
    figures = json.loads((edition / "figures.json").read_text(encoding="utf-8"))
    # a roll-up's districts by name: districts.余杭区.dynamics_total
    districts = {entry["district"]: {k: v for k, v in entry.items() if k != "district"}
                 for entry in figures.get("districts", [])}
    figures = {key: value for key, value in figures.items() if key not in ("sources", "districts")}
    return _flat(figures | ({"districts": districts} if districts else {}))


def _flat(figures: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat |= _flat(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _table_changes(before: list[Table], after: list[Table]) -> list[str]:
    """`表2 经济高质量发展 / 工作动态: 38 -> 39` per changed cell; rows added or removed whole."""
    lines = []
    old_tables = {t.caption: t for t in before}
    for table in after:
        old = old_tables.pop(table.caption, None)
        if old is None:
            lines.append(f"table + {table.caption}")
            continue
        columns = [_NOTE.sub("", name) for name in table.header]
        old_rows = {row[0]: row for row in old.rows if row}
        for row in table.rows:
            was = old_rows.pop(row[0], None) if row else None
            if was is None:
                lines.append(f"{table.label} {row[0]}: + {' | '.join(row[1:])}")
                continue
            for i, (a, b) in enumerate(zip(was, row, strict=False)):
                if a != b:
                    column = columns[i] if i < len(columns) else f"第{i + 1}列"
                    lines.append(f"{table.label} {row[0]} / {column}: {a} -> {b}")
        lines += [f"{table.label} {label}: - {' | '.join(row[1:])}" for label, row in old_rows.items()]
    lines += [f"table - {caption}" for caption in old_tables]
    return lines


def diff_editions(a: Path, b: Path) -> list[str]:
    """Lines naming each changed figure (`figure key: old -> new`), each changed table cell with
    its table, row and column, and each changed paragraph (-/+)."""
    old, new = (_figures(edition) for edition in (a, b))
    lines = [f"figure {k}: {old.get(k, '(absent)')} -> {new.get(k, '(absent)')}"
             for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    before, before_tables = read_report((a / "progress-report.html").read_text(encoding="utf-8"))
    after, after_tables = read_report((b / "progress-report.html").read_text(encoding="utf-8"))
    lines += _table_changes(before_tables, after_tables)
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            lines.append(f"paragraph {line[0]} {line[1:]}")
    return lines
