"""`explain FIGURE`: the rows behind one figure of a built bundle, read again from the raw
folder, one line each, and their total, which equals the figure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.contract import TABLES, Program
from pipeline.intake.tables import take_in
from pipeline.metrics.sources import (
    KEY_SEPARATOR,
    ROW_FIGURES,
    stated_rows,
    stated_value,
)
from pipeline.terminal import escaped


class UnknownFigure(LookupError):
    """The figure key is not one of the bundle's `sources`; the message lists the keys."""


@dataclass(frozen=True)
class Explanation:
    lines: list[str]  # "file:row: main fields", then the total
    total: int
    stated: int | None  # the figure as the bundle states it

    @property
    def agrees(self) -> bool:
        return self.total == self.stated


def explain(figure: str, bundle: Path, raw_dir: Path, year: int, program: Program) -> Explanation:
    """The rows the bundle's figures.json names for `figure`, with their main fields as the raw
    folder holds them now (read with the programme's vocabulary: a district's inherits the
    roll-up's), and their total (row count, or the sum of the media counts)."""
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    stated_sources = figures.get("sources") or {}
    if figure not in stated_sources:
        raise UnknownFigure(f"{bundle / 'figures.json'} 中没有数字“{escaped(figure)}”；可以说明的数字：{'、'.join(stated_sources)}")
    registered = ROW_FIGURES[figure.partition(KEY_SEPARATOR)[0]]
    spec = TABLES[registered.dataset]
    wanted = stated_rows(stated_sources[figure])
    counted = take_in(raw_dir, year, spec, program).counted
    rows = counted.join(wanted, on=["file", "row"], how="semi").sort("file", "row")
    fields = [c.name for c in spec.columns if c.name in rows.columns]
    lines = [
        f"{row['file']}:{row['row']}: " + "  ".join(_shown(row[f]) for f in fields if row[f] is not None)
        for row in rows.iter_rows(named=True)
    ]
    total = registered.value(rows)
    missing = wanted.height - rows.height
    lines.append(f"合计：{total}{registered.unit}（{rows.height}行）" + (f"；另有{missing}行在原始数据中已找不到" if missing else ""))
    return Explanation(lines, total, stated_value(figure, figures))


def _shown(value: object) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\n", " ")
