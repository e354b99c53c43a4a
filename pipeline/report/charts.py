"""The report's charts: pure functions from polars frames to PNG bytes, with Chinese
labels in a CJK font and byte-identical output for identical input."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

import polars as pl  # noqa: E402 - the backend must be chosen before any drawing import
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from pipeline.contract import TASK_STATUSES  # noqa: E402
from pipeline.report.fonts import SANS, drawable, font_file  # noqa: E402

DPI = 150
WIDTH_IN = 7.2
INK, MUTED, GRID = "#262626", "#6b6b6b", "#d9d9d9"
KIND_COLORS = {"动态": "#1f4e79", "信息": "#b8312f"}
STATUS_COLORS = {"已完成": "#1f4e79", "推进中": "#7fa7cf", "未启动": "#c8c8c8"}
LEVEL_COLORS = ("#8e1b1b", "#c8553d", "#e8a95b", "#7fa7cf", "#1f4e79", "#9a9a9a")


@contextmanager
def _figure(height_in: float) -> Iterator[Figure]:
    """A figure drawn under fixed settings, so output never depends on a user's matplotlibrc."""
    font_file(SANS)
    settings = {
        "font.family": [SANS],
        "font.size": 9,
        "axes.unicode_minus": False,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "report",
        # area, unit and outlet names are plain text: "$\\frac{a}$" is printed, not typeset
        "text.parse_math": False,
    }
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
        FigureCanvasAgg(figure)
        yield figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # tight_layout() has placed everything and leaves a placeholder engine behind, which would
    # make savefig lay out (draw) the whole figure once more before drawing it.
    figure.set_layout_engine(None)
    # Matplotlib writes its version into the PNG's Software field; drop it so an upgrade
    # alone does not change the report's bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _name_rows(axes: Axes, names: Sequence[str]) -> None:
    """Bars drawn at rows 0..n-1 named by `names`, as printable text: a character no font
    has becomes the report's replacement mark (the names are the office's own, never markup)."""
    axes.set_yticks(range(len(names)), [drawable(name) for name in names])


def _no_data(axes: Axes) -> None:
    axes.text(0.5, 0.5, "暂无数据", ha="center", va="center", color=MUTED, transform=axes.transAxes)


def dynamics_cumulative(weekly: pl.DataFrame, year: int) -> bytes:
    """Running totals of 动态 and 信息 across the weeks of the year (step lines)."""
    with _figure(3.4) as figure:
        axes = figure.add_subplot()
        per_week = (
            weekly.group_by("week", "kind").agg(pl.col("items").sum()).sort("week")
            .with_columns(pl.col("items").cum_sum().over("kind").alias("total"))
        )
        for kind, color in KIND_COLORS.items():
            line = per_week.filter(pl.col("kind") == kind)
            if line.is_empty():
                continue
            weeks, totals = [dt.date(year, 1, 1), *line["week"]], [0, *line["total"]]
            axes.step(weeks, totals, where="post", color=color, linewidth=1.8, label=kind)
            unit = "条" if kind == "动态" else "篇"
            axes.annotate(f"{kind} {totals[-1]}{unit}", (weeks[-1], totals[-1]), xytext=(-2, 6),
                          textcoords="offset points", ha="right", color=color, fontsize=8.5)
        if per_week.is_empty():
            _no_data(axes)
        months = [dt.date(year, m, 1) for m in range(1, 13)]
        axes.set_xticks(months, [f"{m}月" for m in range(1, 13)])
        axes.set_xlim(dt.date(year, 1, 1), dt.date(year, 12, 31))
        axes.set_ylim(bottom=0)
        axes.set_ylabel("累计条数")
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.legend(frameon=False, loc="upper left")
        figure.tight_layout()
        return _png(figure)


def dynamics_by_area(weekly: pl.DataFrame, areas: Sequence[str]) -> bytes:
    """动态 and 信息 per work area, stacked horizontal bars in the programme's area order."""
    counts = weekly.group_by("area", "kind").agg(pl.col("items").sum())
    lookup = {(a, k): int(n) for a, k, n in counts.iter_rows()}
    labels = list(areas) + sorted(set(counts["area"]) - set(areas))
    with _figure(0.9 + 0.32 * max(len(labels), 3)) as figure:
        axes = figure.add_subplot()
        left = [0] * len(labels)
        for kind, color in KIND_COLORS.items():
            values = [lookup.get((a, kind), 0) for a in labels]
            axes.barh(range(len(labels)), values, left=left, color=color, height=0.6, label=kind)
            left = [x + v for x, v in zip(left, values, strict=True)]
        _name_rows(axes, labels)
        for y, total in enumerate(left):
            axes.text(total, y, f" {total}", va="center", fontsize=8.5, color=INK)
        axes.invert_yaxis()
        axes.set_xlabel("条数")
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=2, borderaxespad=0.2)
        if not labels:
            _no_data(axes)
            axes.set_yticks([])  # no areas: no meaningless 0.0-1.0 scale either
        figure.tight_layout()
        return _png(figure)


def media_by_month(monthly: pl.DataFrame, levels: Sequence[str]) -> bytes:
    """Articles per month, stacked by outlet level in the programme's level order."""
    lookup = {(int(m), lv): int(n) for m, lv, n in monthly.select("month", "level", "articles").iter_rows()}
    months = list(range(1, 13))
    with _figure(3.4) as figure:
        axes = figure.add_subplot()
        bottom = [0] * 12
        for index, level in enumerate(levels):
            values = [lookup.get((m, level), 0) for m in months]
            axes.bar(months, values, bottom=bottom, width=0.65, label=f"{drawable(level)}媒体",
                     color=LEVEL_COLORS[index % len(LEVEL_COLORS)])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for month, total in zip(months, bottom, strict=True):
            if total:
                axes.text(month, total, str(total), ha="center", va="bottom", fontsize=8, color=INK)
        if not any(bottom):
            _no_data(axes)
        axes.set_xticks(months, [f"{m}月" for m in months])
        axes.set_ylabel("稿件数（篇）")
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.legend(frameon=False, loc="upper left", ncols=len(levels), fontsize=8)
        axes.margins(y=0.15)
        figure.tight_layout()
        return _png(figure)


def task_status(tasks: pl.DataFrame, groups: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """Tasks per area by status, one panel per kind (`groups`: (kind, its areas in order))."""
    counts = tasks.group_by("kind", "area", "status").agg(pl.len())
    lookup = {(k, a, s): int(n) for k, a, s, n in counts.iter_rows()}
    rows = sum(len(areas) for _, areas in groups)
    with _figure(1.2 + 0.3 * rows + 0.5 * len(groups)) as figure:
        panels = figure.subplots(len(groups), 1, squeeze=False,
                                 gridspec_kw={"height_ratios": [max(len(a), 1) for _, a in groups]})
        for (kind, areas), axes in zip(groups, panels[:, 0], strict=True):
            left = [0] * len(areas)
            for status in TASK_STATUSES:
                values = [lookup.get((kind, a, status), 0) for a in areas]
                axes.barh(range(len(areas)), values, left=left, color=STATUS_COLORS[status], height=0.62, label=status)
                left = [x + v for x, v in zip(left, values, strict=True)]
            _name_rows(axes, areas)
            for y, total in enumerate(left):
                axes.text(total, y, f" {total}", va="center", fontsize=8, color=INK)
            axes.invert_yaxis()
            axes.set_title(f"{kind}（{sum(left)}项）", loc="left", fontsize=9.5, color=INK)
            axes.grid(axis="x", color=GRID, linewidth=0.6)
            axes.set_axisbelow(True)
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            if not areas:
                axes.set_yticks([])  # as in dynamics_by_area: no 0.0-1.0 scale for no areas
        totals = [sum(lookup.get((k, a, s), 0) for s in TASK_STATUSES) for k, areas in groups for a in areas]
        widest = max(totals, default=0) or 1
        for axes in panels[:, 0]:
            axes.set_xlim(0, widest * 1.08)
        handles, names = panels[0, 0].get_legend_handles_labels()
        figure.legend(handles, names, frameon=False, loc="upper right", ncols=3, fontsize=8)
        figure.tight_layout()
        return _png(figure)


def districts_compared(rows: Sequence[tuple[str, int, int, int]]) -> bytes:
    """Per district (district, 动态, 信息, media articles), in the programme's order: 动态 and
    信息 stacked on the left, media articles on the right, one row per district."""
    names = [row[0] for row in rows]
    pitch = 0.3 if len(names) <= 30 else 0.16
    with _figure(1.0 + pitch * max(len(names), 3)) as figure:
        left_axes, right_axes = figure.subplots(1, 2, sharey=True, width_ratios=(1, 1))
        positions = range(len(names))
        dynamics, info = [r[1] for r in rows], [r[2] for r in rows]
        left_axes.barh(positions, dynamics, color=KIND_COLORS["动态"], height=0.6, label="动态")
        left_axes.barh(positions, info, left=dynamics, color=KIND_COLORS["信息"], height=0.6, label="信息")
        right_axes.barh(positions, [r[3] for r in rows], color=LEVEL_COLORS[1], height=0.6, label="媒体稿件")
        _name_rows(left_axes, names)
        for axes, label, totals in ((left_axes, "条数", [d + i for d, i in zip(dynamics, info, strict=True)]),
                                    (right_axes, "篇数", [r[3] for r in rows])):
            for y, total in enumerate(totals):
                axes.text(total, y, f" {total}", va="center", fontsize=7.5, color=INK)
            axes.set_xlabel(label)
            axes.grid(axis="x", color=GRID, linewidth=0.6)
            axes.set_axisbelow(True)
            axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=2, borderaxespad=0.2)
        left_axes.invert_yaxis()
        if not names:
            _no_data(left_axes)
        figure.tight_layout()
        return _png(figure)
