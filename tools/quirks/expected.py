"""EXPECTED.md: the row-by-row description of every family, written from the same rows as the files."""

from __future__ import annotations

from collections import Counter

from tools.quirks.model import COUNTED, FIELDS, Fixture, Line, OUT, REJECTED, Sheet, WARNED, YEAR
from tools.quirks.everything import EVERYTHING_LEAVES_OUT, FAMILIES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "\\n")


def _rows_of(fixtures: list[Fixture]) -> list[tuple[Fixture, Sheet | None, int | None, Line | None]]:
    out = []
    for fixture in fixtures:
        if fixture.fmt == "bytes" or not fixture.sheets:
            out.append((fixture, None, None, None))
            continue
        for sheet in fixture.sheets:
            if not sheet.list_rows:
                out.append((fixture, sheet, None, None))
                continue
            for r, line in enumerate(sheet.lines, start=1):
                out.append((fixture, sheet, r, line))
            if sheet.status and not sheet.lines:
                out.append((fixture, sheet, None, None))
    return out


def family_markdown(name: str, purpose: str, fixtures: list[Fixture]) -> tuple[str, dict]:
    lines = [f"## {name}/ — `tests/data/quirks/{name}/{YEAR}/`", "", purpose, ""]
    notes = [f"- `{f.path}`: {f.note}" for f in fixtures if f.note]
    if notes:
        lines += ["Files:", "", *notes, ""]
    lines += ["| file[#sheet] | row | expected outcome | detail |", "|---|---|---|---|"]
    totals: dict = {
        "counted": Counter(),
        "warnings": 0,
        "rejected": Counter(),
        "layout": Counter(),
        "articles": 0,
        "files_skipped": [],
        "files_unreadable": [],
        "sheets_skipped": [],
        "sheets_empty": [],
    }
    for fixture, sheet, row, line in _rows_of(fixtures):
        label = f"{fixture.path}#{sheet.name}" if sheet is not None and len(fixture.sheets) > 1 else fixture.path
        if line is None:
            status = (sheet.status if sheet is not None and sheet.status else fixture.status) or "read"
            outcome, _, why = status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
            continue
        if row == 1 and fixture.status:
            outcome, _, why = fixture.status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
        if row == 1 and sheet is not None and sheet.status:
            outcome, _, why = sheet.status.partition(": ")
            lines.append(f"| `{_cell(label)}` | — | {outcome} | {_cell(why)} |")
        lines.append(f"| `{_cell(label)}` | {row} | {line.outcome} | {_cell(line.detail)} |")
        if line.outcome in (COUNTED, WARNED):
            totals["counted"][line.table] += 1
            totals["articles"] += line.count
            totals["warnings"] += line.outcome == WARNED
        elif line.outcome == REJECTED:
            totals["rejected"][line.table] += 1
        elif line.outcome.startswith("layout: "):
            totals["layout"][line.outcome.removeprefix("layout: ")] += 1
    for fixture in fixtures:
        if fixture.status.startswith("file skipped"):
            totals["files_skipped"].append(fixture.path)
        elif fixture.status.startswith("file unreadable"):
            totals["files_unreadable"].append(fixture.path)
        for sheet in fixture.sheets:
            if sheet.status.startswith("sheet skipped"):
                totals["sheets_skipped"].append(f"{fixture.path}#{sheet.name}")
            elif sheet.status.startswith("sheet read"):
                totals["sheets_empty"].append(f"{fixture.path}#{sheet.name}")
    lines += ["", f"Totals for {name}/:", ""]
    counted = totals["counted"]
    lines.append(
        "- rows counted: "
        + (", ".join(f"{t} {counted[t]}" for t in FIELDS if counted[t]) or "none")
        + f" (total {sum(counted.values())}; of these with a warning: {totals['warnings']})"
    )
    rejected = totals["rejected"]
    lines.append(
        f"- rows rejected: {sum(rejected.values())}"
        + (" (" + ", ".join(f"{t} {rejected[t]}" for t in FIELDS if rejected[t]) + ")" if rejected else "")
    )
    layout = totals["layout"]
    lines.append(
        f"- layout rows: {sum(layout.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(layout.items())) + ")" if layout else "")
    )
    lines.append("- duplicates: 0")
    if counted["media"]:
        lines.append(f"- media articles counted (sum of 稿件数 over counted media rows): {totals['articles']}")
    for key, title in (
        ("files_skipped", "files skipped (not used)"),
        ("files_unreadable", "files unreadable"),
        ("sheets_skipped", "sheets skipped"),
        ("sheets_empty", "sheets read with no data rows"),
    ):
        items = totals[key]
        lines.append(f"- {title}: {len(items)}" + (" — " + ", ".join(f"`{i}`" for i in items) if items else ""))
    lines.append("")
    return "\n".join(lines), totals


PREAMBLE = f"""# Quirk fixtures: what a correct reader must make of every row

Generated by `uv run python tools/quirk_fixtures.py` together with the files; do not edit by
hand (the generator deletes and re-creates `tests/data/quirks/`). Every file was read back
after writing (python-calamine, openpyxl, the csv module) and compared cell by cell with the
rows below, so the row numbers are the files' own.

Each family is its own raw folder, `tests/data/quirks/<family>/`, with one year, {YEAR}; the
report year is {YEAR}. File names below are relative to that raw folder.

Conventions:

- **row** is the spreadsheet row as Excel shows it, 1-based, header rows included. In a
  CSV/text file it is the record number, not the text line: a quoted cell with a line break
  (`headers/…/odd_names.csv`) makes one row of two lines. In a workbook it is per sheet;
  `file#sheet` names the sheet when a workbook has more than one.
- **counted**: the row is a record of its table; the detail gives the values the reader must
  produce (dates as ISO, counts as whole numbers, empty 类别 as the default 动态, merged
  cells filled in).
- **counted + warning**: counted, and the reader must say why it is doubtful.
- **rejected**: the row is read but breaks the contract; the detail says why (the wording of
  the reason is the reader's; what it must name is given here).
- **layout: <kind>**: a row of the form, not data: not counted, not rejected. Kinds: title,
  info (a 填报单位/填报日期 line), total, subtotal, signature (填表人/审核人/联系电话), note
  (备注/注/说明, and the numbered lines of a notes block under such a row), empty template row
  (only a pre-printed 序号), nil report (零报告: a 标题 such as 无 or 本周无动态, with a date and a
  unit: the unit reported, with nothing to count).
- **header**: a header row (two rows for a two-level header). **blank**: an empty row,
  spacing, not a row read. **not read**: a row of a file or sheet that is not used as data.
- File and sheet outcomes (row `—`): **file skipped** (not an input: hidden, lock file, not
  a spreadsheet, a name that matches no table), **file unreadable** (an input file with no
  usable header: the build names it and goes on), **sheet skipped**, **sheet read** (header
  only: zero rows, not an error).
- Duplicates: none anywhere. Titles (and media rows, meeting names, task ids, achievement
  names) are distinct across all fixtures, so the `everything/` folder, which combines the
  families, dedupes nothing either.
"""


def write_expected(built: dict[str, list[Fixture]]) -> dict[str, dict]:
    sections = [PREAMBLE]
    all_totals = {}
    purposes = {name: purpose for name, (_, purpose) in FAMILIES.items()}
    purposes["everything"] = (
        "Every family's files together in one raw folder (byte-identical copies; the locations family's "
        f"{', '.join(EVERYTHING_LEAVES_OUT)} left out, so that meetings, tasks and achievements each have "
        "one source), plus clean `meetings.csv` (3 meetings), `tasks.csv` (4 tasks, 2 重点工作 and 2 重大改革) "
        "and `achievements.csv` (2): a full pipeline build runs on it. Its outcomes are the families' outcomes, "
        "listed again here with their paths in this folder."
    )
    for name, fixtures in built.items():
        text, totals = family_markdown(name, purposes[name], fixtures)
        sections.append(text)
        all_totals[name] = totals
    sections.append(summary_markdown(all_totals))
    (OUT / "EXPECTED.md").write_text("\n".join(sections), encoding="utf-8")
    return all_totals


def summary_markdown(all_totals: dict[str, dict]) -> str:
    lines = [
        "## Summary",
        "",
        "| family | dynamics | media | meetings | tasks | achievements | warnings | rejected | layout | media articles | files skipped | files unreadable | sheets skipped |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, t in all_totals.items():
        c = t["counted"]
        lines.append(
            f"| {name} | {c['dynamics']} | {c['media']} | {c['meetings']} | {c['tasks']} | {c['achievements']} "
            f"| {t['warnings']} | {sum(t['rejected'].values())} | {sum(t['layout'].values())} | {t['articles']} "
            f"| {len(t['files_skipped'])} | {len(t['files_unreadable'])} | {len(t['sheets_skipped'])} |"
        )
    return "\n".join(lines) + "\n"
