"""Comparing two editions of a report: the figures that changed, each table's rows matched by
the table's key (a row added or removed shows as such; a table without a key compares as a
multiset of rows), and the paragraphs that changed. An edition is checked against its
manifest first; a damaged one is named (DamagedBundle), never compared."""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.report.html_tables import Table, column_name, read_report
from pipeline.report.integrity import DamagedBundle, read_object, read_text, verify

ABSENT = "（无）"


def _shown(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _figures(edition: Path) -> dict[str, object]:
    """The edition's figures, flat; not their sources (a changed figure says it)."""
    path = edition / "figures.json"
    figures = read_object(path)
    entries = figures.get("districts", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("district"), str) for e in entries):
        raise DamagedBundle(f"{path}：districts 不是各区县数字的列表")
    # a roll-up's districts by name: districts.余杭区.dynamics_total
    districts = {entry["district"]: {k: v for k, v in entry.items() if k != "district"} for entry in entries}
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


def _key_columns(old: Table, new: Table) -> tuple[list[int], list[int]] | None:
    """Where the declared key's columns are in each edition's table; None when the table has no
    key, or a key column is missing from either (it then compares as a multiset of rows)."""
    key = new.key if new.key is not None else old.key
    if not key:
        return None
    where = [[table.column(name) for name in key] for table in (old, new)]
    return None if any(i is None for columns in where for i in columns) else (where[0], where[1])


def _matched(rows: list[list[str]], columns: list[int]) -> dict[tuple[str, ...], list[list[str]]]:
    grouped: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
    for row in rows:
        grouped[tuple(row[i] if i < len(row) else "" for i in columns)].append(row)
    return grouped


def _cell_changes(old: Table, new: Table, was: list[str], row: list[str], label: str, skip: set[str]) -> list[str]:
    """One line per column whose text differs between two rows of the same key, by column name."""
    names = dict.fromkeys([*map(column_name, new.header), *map(column_name, old.header)])
    lines = []
    for name in names:
        if name in skip:
            continue
        cells = []
        for table, cells_of in ((old, was), (new, row)):
            i = table.column(name)
            cells.append(cells_of[i] if i is not None and i < len(cells_of) else ABSENT)
        if cells[0] != cells[1]:
            lines.append(f"{new.label} {label} / {name}：{cells[0]} -> {cells[1]}")
    return lines


def _keyed_changes(old: Table, new: Table, columns: tuple[list[int], list[int]]) -> list[str]:
    """Rows paired by key (rows that share a key, in their order); the rest added or removed."""
    before = _matched(old.rows, columns[0])
    skip = {column_name(new.header[i]) for i in columns[1] if i < len(new.header)} | set(new.ordinal) | set(old.ordinal)
    lines: list[str] = []
    for key, rows in _matched(new.rows, columns[1]).items():
        olds = before.get(key, [])
        label = " ".join(v for v in key if v) or ABSENT
        for was, row in zip(olds, rows, strict=False):
            lines += _cell_changes(old, new, was, row, label, skip)
        lines += [f"{new.label} 新增行：{' | '.join(row)}" for row in rows[len(olds):]]
        before[key] = olds[len(rows):]
    return lines + [f"{new.label} 删除行：{' | '.join(row)}" for rows in before.values() for row in rows]


def _multiset_changes(old: Table, new: Table) -> list[str]:
    """A table without a key: the rows only one edition has (its running numbers aside)."""
    def compared(table: Table) -> list[tuple[str, ...]]:
        numbered = {table.column(name) for name in (*old.ordinal, *new.ordinal)}
        return [tuple(cell for i, cell in enumerate(row) if i not in numbered) for row in table.rows]

    def only_in(table: Table, other: Table) -> list[list[str]]:
        left = Counter(compared(other))
        rows = []
        for row, seen in zip(table.rows, compared(table), strict=True):
            if left[seen]:
                left[seen] -= 1
            else:
                rows.append(row)
        return rows

    return ([f"{new.label} 新增行：{' | '.join(row)}" for row in only_in(new, old)]
            + [f"{new.label} 删除行：{' | '.join(row)}" for row in only_in(old, new)])


def _table_changes(before: list[Table], after: list[Table]) -> list[str]:
    """Tables matched by title (their numbers may shift), the n-th of a title with the n-th."""
    lines = []
    olds: dict[str, list[Table]] = defaultdict(list)
    for table in before:
        olds[table.title].append(table)
    for table in after:
        old = olds[table.title].pop(0) if olds[table.title] else None
        if old is None:
            lines.append(f"表格新增：{table.caption}")
            continue
        if [column_name(h) for h in old.header] != [column_name(h) for h in table.header]:
            lines.append(f"{table.label} 表头：{' | '.join(old.header)} -> {' | '.join(table.header)}")
        columns = _key_columns(old, table)
        lines += _keyed_changes(old, table, columns) if columns else _multiset_changes(old, table)
    return lines + [f"表格删除：{table.caption}" for tables in olds.values() for table in tables]


def _read(edition: Path) -> tuple[dict[str, object], list[str], list[Table]]:
    verify(edition, require_digests=False)  # editions published before digests were recorded have none
    figures = _figures(edition)
    path = edition / "progress-report.html"
    try:
        paragraphs, tables = read_report(read_text(path))
    except (AssertionError, ValueError):  # html.parser's answer to markup it cannot take apart (<![x[)
        raise DamagedBundle(f"{path}：其中有无法解析的 HTML 标记") from None
    return figures, paragraphs, tables


def diff_editions(a: Path, b: Path) -> list[str]:
    """Lines naming each changed figure (`数字 key：old -> new`), each changed table cell with its
    table, row and column, each row added or removed, and each changed paragraph; none when the
    editions say the same. Raises DamagedBundle naming a file of either edition that is damaged."""
    (old, before, before_tables), (new, after, after_tables) = _read(a), _read(b)
    shown = [{k: _shown(v) for k, v in figures.items()} for figures in (old, new)]
    lines = [f"数字 {k}：{shown[0].get(k, ABSENT)} -> {shown[1].get(k, ABSENT)}"
             for k in sorted(old.keys() | new.keys()) if shown[0].get(k) != shown[1].get(k)]
    lines += _table_changes(before_tables, after_tables)
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            lines.append(f"{'段落删除' if line[0] == '-' else '段落新增'}：{line[1:]}")
    return lines
