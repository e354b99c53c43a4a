"""The figures counted from rows, each defined once (dataset, filter, measure): the registry
yields both a figure's value and the rows behind it, as figures.json's `sources` holds them,
`explain` prints them and the figures check re-adds them.

A figure's rows are the accepted rows of one warehouse table as the report sees them: dated
on or before the as-of date (tasks: the snapshot in force at the as-of date).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

KEY_SEPARATOR = "."


@dataclass(frozen=True)
class RowFigure:
    """A figure of figures.json that counts rows of `dataset` matching `where` (or sums their
    `measure` column); `by` makes it one figure per value of that column (an object in figures.json)."""

    dataset: str
    where: pl.Expr | None = None
    measure: str | None = None
    by: str | None = None
    label: str = ""

    def rows(self, table: pl.DataFrame) -> pl.DataFrame:
        return table if self.where is None else table.filter(self.where)

    def value(self, rows: pl.DataFrame) -> int:
        return rows.height if self.measure is None else int(rows.get_column(self.measure).sum())

    @property
    def unit(self) -> str:
        """What its value counts, in the report's words: articles (篇) or items (条)."""
        return "篇" if self.measure == "count" else "条"


_DYNAMIC = pl.col("kind") == "动态"
ROW_FIGURES: dict[str, RowFigure] = {
    "dynamics_total": RowFigure("dynamics", _DYNAMIC, label="工作动态"),
    "info_total": RowFigure("dynamics", pl.col("kind") == "信息", label="信息"),
    "dynamics_by_area": RowFigure("dynamics", _DYNAMIC, by="area", label="工作动态（分领域）"),
    "media_articles_total": RowFigure("media", measure="count", label="媒体宣传稿件"),
    "media_by_level": RowFigure("media", measure="count", by="level", label="媒体宣传稿件（分级别）"),
    "meetings_total": RowFigure("meetings", label="会议"),
    "key_tasks_total": RowFigure("tasks", pl.col("kind") == "重点工作", label="重点工作"),
    "reforms_total": RowFigure("tasks", pl.col("kind") == "重大改革", label="重大改革"),
    "landmarks_total": RowFigure("achievements", pl.col("kind") == "标志性成果", label="标志性成果"),
}


def figure_keys(tables: dict[str, pl.DataFrame], order: dict[str, list[str]] | None = None) -> list[str]:
    """Every figure key with rows: the plain ones, and `media_by_level.中央`-style keys for
    each value of a `by` column (in `order[name]` first, then any other value found)."""
    keys = []
    for name, figure in ROW_FIGURES.items():
        if figure.by is None:
            keys.append(name)
            continue
        found = figure.rows(tables[figure.dataset]).get_column(figure.by).unique().to_list()
        listed = (order or {}).get(name, [])
        keys += [f"{name}{KEY_SEPARATOR}{v}" for v in [*listed, *sorted(set(found) - set(listed))]]
    return keys


def rows_of(key: str, tables: dict[str, pl.DataFrame]) -> tuple[RowFigure, pl.DataFrame]:
    """The registry entry of a figure key and its rows (sorted by file and row)."""
    name, _, value = key.partition(KEY_SEPARATOR)
    figure = ROW_FIGURES[name]
    rows = figure.rows(tables[figure.dataset])
    if figure.by is not None:
        rows = rows.filter(pl.col(figure.by) == value)
    return figure, rows.sort("file", "row")


def figure_values(tables: dict[str, pl.DataFrame], order: dict[str, list[str]] | None = None) -> dict[str, object]:
    """Each registry figure's value as figures.json holds it (a `by` figure: an object)."""
    values: dict[str, object] = {name: {} for name, figure in ROW_FIGURES.items() if figure.by is not None}
    for key in figure_keys(tables, order):
        figure, rows = rows_of(key, tables)
        name, _, value = key.partition(KEY_SEPARATOR)
        if figure.by is None:
            values[name] = figure.value(rows)
        else:
            values[name][value] = figure.value(rows)  # type: ignore[index]
    return values


def sources(tables: dict[str, pl.DataFrame], order: dict[str, list[str]] | None = None) -> dict[str, dict[str, str]]:
    """figures.json's `sources`: {figure key: {file: "2-37,39,41-50"}} for every figure counted from rows."""
    return {key: _ranges(rows_of(key, tables)[1]) for key in figure_keys(tables, order)}


def _ranges(rows: pl.DataFrame) -> dict[str, str]:
    """file -> its rows as ranges, "2-4,7,9-10", in file order."""
    if rows.is_empty():
        return {}
    spans = (
        rows.select("file", "row").unique().sort("file", "row")
        .with_columns(run=(pl.col("row") - pl.col("row").shift(1).over("file") != 1).fill_null(True).cum_sum())
        .group_by("file", "run", maintain_order=True)
        .agg(first=pl.col("row").first(), last=pl.col("row").last())
        .with_columns(text=pl.when(pl.col("first") == pl.col("last")).then(pl.col("first").cast(pl.String))
                      .otherwise(pl.format("{}-{}", "first", "last")))
        .group_by("file", maintain_order=True).agg(pl.col("text").str.join(","))
    )
    return dict(spans.iter_rows())


def parse_ranges(text: str) -> list[int]:
    """"2-4,7" -> [2, 3, 4, 7]."""
    rows: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        rows += range(int(first), int(last or first) + 1)
    return rows


def stated_value(key: str, figures: dict[str, object]) -> object:
    """A figure key's value as figures.json states it: media_by_level.中央 -> figures["media_by_level"]["中央"]."""
    name, _, sub = key.partition(KEY_SEPARATOR)
    value = figures.get(name)
    return (value or {}).get(sub) if sub else value  # type: ignore[union-attr]


def stated_rows(files: dict[str, str]) -> pl.DataFrame:
    """A `sources` entry, {file: "2-4,7"}, as its (file, row) pairs."""
    return pl.DataFrame(
        [(file, row) for file, ranges in files.items() for row in parse_ranges(ranges)],
        schema={"file": pl.String, "row": pl.Int64}, orient="row",
    )


def sources_that_do_not_add_up(
    values: dict[str, object], stated_sources: dict[str, dict[str, str]], warehouse: dict[str, pl.DataFrame]
) -> dict[str, tuple[object, int]]:
    """Figures whose stated rows, looked up in the warehouse's accepted rows by file and row,
    do not add up to the stated value: {key: (stated, added up)}."""
    differing = {}
    for key, files in stated_sources.items():
        figure = ROW_FIGURES[key.partition(KEY_SEPARATOR)[0]]
        wanted = stated_rows(files)
        found = warehouse[figure.dataset].join(wanted, on=["file", "row"], how="semi")
        stated = stated_value(key, values)
        if (added := figure.value(found)) != stated or found.height != wanted.height:
            differing[key] = (stated, added)
    return differing
