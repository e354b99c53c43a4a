"""The sheets of one table that share a header, checked as one frame: a rule costs about the same
for a sheet of ten rows as for one of a thousand, and a week's files from one office template
all have the same header. Each sheet gets back exactly what checking it alone gives (its rows,
reasons, layout rows and warnings, in the same order)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import polars as pl

from pipeline.contract import Program, TableSpec
from pipeline.intake.headers import RawTable
from pipeline.intake.layout import PLACE
from pipeline.intake.rules import FILE, CheckedRows, check_rows

Mapper = Callable[..., object]


def _signature(table: RawTable) -> tuple:
    """What the rules read of a sheet besides its rows: sheets alike in this check alike."""
    return (tuple(table.header), tuple(sorted(table.mapping.items())),
            *(tuple(frame.schema.items()) for frame in (table.cells, table.above, table.broken)))


def _tagged(frames: Sequence[pl.DataFrame], places: Sequence[str]) -> pl.DataFrame:
    return pl.concat([frame.with_columns(pl.lit(place).alias(PLACE)) for frame, place in zip(frames, places, strict=True)])


def _check_group(group: list[tuple[RawTable, str]], spec: TableSpec, program: Program, year: int) -> list[CheckedRows]:
    tables, places = [t for t, _ in group], [p for _, p in group]
    if len(group) == 1:
        return [check_rows(tables[0], spec, program, year, places[0])]
    first = tables[0]
    merged = replace(first, cells=_tagged([t.cells for t in tables], places),
                     above=_tagged([t.above for t in tables], places),
                     broken=_tagged([t.broken for t in tables], places))
    checked = check_rows(merged, spec, program, year, pl.col(PLACE))
    parts = {name: _split(getattr(checked, name), places)
             for name in ("accepted", "rejects", "layout", "warnings", "nil_reports")}
    return [CheckedRows(**{name: split[i] for name, split in parts.items()}) for i in range(len(group))]


def _split(frame: pl.DataFrame, places: Sequence[str]) -> list[pl.DataFrame]:
    """The rows of each place, in their order in `frame`."""
    by_place = {key[0]: part for key, part in frame.partition_by(FILE, as_dict=True, maintain_order=True).items()}
    return [by_place.get(place, frame.clear()) for place in places]


def check_sheets(tables: Sequence[tuple[RawTable, str]], spec: TableSpec, program: Program, year: int,
                 mapper: Mapper = map) -> list[CheckedRows]:
    """Each (sheet, its place name)'s checked rows, in the order given; the groups of sheets
    alike are checked through `mapper` (a thread pool's map, or map)."""
    groups: dict[tuple, list[int]] = {}
    for index, (table, _) in enumerate(tables):
        groups.setdefault(_signature(table), []).append(index)
    members = list(groups.values())
    results: list[CheckedRows | None] = [None] * len(tables)
    checked = mapper(lambda indices: _check_group([tables[i] for i in indices], spec, program, year), members)
    for indices, group_rows in zip(members, checked, strict=True):
        for index, rows in zip(indices, group_rows, strict=True):
            results[index] = rows
    return results  # type: ignore[return-value] - every index is in one group
