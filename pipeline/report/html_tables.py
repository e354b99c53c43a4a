"""A report's HTML read back for comparing editions: its paragraphs outside tables, and its
tables with their caption, the key the template declared on it (pandoc carries a caption's
`{key="..." ordinal="..."}` into the HTML as data-key and data-ordinal), header and rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_TEXT = ("p", "li", "h1", "h2", "h3")
# the table's number before its title: 表3 重点工作和重大改革推进情况 is the table 重点工作和重大改革推进情况
_NUMBER = re.compile(r"^(?:续)?表\s*\d+(?:[-.－．]\d+)*\s*[：:、.]?\s*")
# a column's unit or note after its name: 工作动态（条） is the column 工作动态
_NOTE = re.compile(r"[（(][^（()）]*[）)]$")


def _names(attribute: str | None) -> tuple[str, ...] | None:
    """`key="类型,领域"` as column names; None when the attribute is absent (not declared)."""
    return None if attribute is None else tuple(name.strip() for name in attribute.split(",") if name.strip())


@dataclass
class Table:
    """A report table: its caption, its declared key and running-number columns, header and rows."""

    caption: str = ""
    key: tuple[str, ...] | None = None  # None: no key declared; (): declared keyless
    ordinal: tuple[str, ...] = ()  # columns that only number the rows (序号): never a change
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The caption without its number, which may shift when a year adds or leaves out a table."""
        return _NUMBER.sub("", self.caption)

    @property
    def label(self) -> str:
        """How a change names the table: its number (表2), else its caption."""
        found = _NUMBER.match(self.caption)
        return found.group(0).rstrip("：:、. ") if found else self.caption

    def column(self, name: str) -> int | None:
        """The index of the column called `name`, with or without its note (工作动态（条）)."""
        for names in (self.header, [column_name(h) for h in self.header]):
            if name in names:
                return names.index(name)
        return None


def column_name(header: str) -> str:
    return _NOTE.sub("", header) or header


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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipped_tables:
            self._skipped_tables += tag == "table"
        elif tag == "table" and ("class", "figure-rows") in attrs:
            self._skipped_tables = 1
        elif tag == "table":
            found = dict(attrs)
            self._table = Table(key=_names(found.get("data-key")), ordinal=_names(found.get("data-ordinal")) or ())
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
    parser.close()
    return parser.paragraphs, parser.tables
