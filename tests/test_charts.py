"""The report's charts: identical bytes for identical input, and nothing drawn outside the
picture, with the sample's labels and with long area names and large counts."""

import datetime as dt

import polars as pl
import pytest
from matplotlib.figure import Figure

from pipeline.contract import TASK_STATUSES
from pipeline.report import charts

AREAS = ("收入分配", "公共服务", "社会治理")
LONG_AREAS = ("扩大中等收入群体和提高低收入群体收入", "公共服务优质共享", "乡村", "人的全面发展和精神生活共同富裕")
LEVELS = ("中央", "省级", "市级", "区级")


def _weekly(areas: tuple[str, ...], scale: int) -> pl.DataFrame:
    weeks = [dt.date(2022, 1, 7) + dt.timedelta(weeks=w) for w in range(51)]
    rows = [(week, area, kind, scale * (i % 3 + 1)) for week in weeks for i, area in enumerate(areas)
            for kind in ("动态", "信息")]
    return pl.DataFrame(rows, schema={"week": pl.Date, "area": pl.String, "kind": pl.String, "items": pl.Int64},
                        orient="row")


def _monthly(scale: int) -> pl.DataFrame:
    rows = [(m, level, scale * (i + 1)) for m in range(1, 13) for i, level in enumerate(LEVELS)]
    return pl.DataFrame(rows, schema={"month": pl.Int64, "level": pl.String, "articles": pl.Int64}, orient="row")


def _tasks(areas: tuple[str, ...], per_area: int) -> pl.DataFrame:
    rows = [(kind, area, TASK_STATUSES[n % 3]) for kind in ("重点工作", "重大改革") for area in areas
            for n in range(per_area)]
    return pl.DataFrame(rows, schema={"kind": pl.String, "area": pl.String, "status": pl.String}, orient="row")


def _draw_all(areas: tuple[str, ...], scale: int) -> dict[str, bytes]:
    return {
        "dynamics_cumulative": charts.dynamics_cumulative(_weekly(areas, scale), 2022),
        "dynamics_by_area": charts.dynamics_by_area(_weekly(areas, scale), areas),
        "media_by_month": charts.media_by_month(_monthly(scale), LEVELS),
        "task_status": charts.task_status(_tasks(areas, scale), [("重点工作", areas), ("重大改革", areas[:2])]),
    }


@pytest.mark.parametrize(("areas", "scale"), [(AREAS, 1), (LONG_AREAS, 400), ((), 1)])
def test_everything_drawn_stays_inside_the_picture(areas: tuple[str, ...], scale: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No label may be cut off, whatever the names and counts."""
    overflow: dict[str, tuple[float, ...]] = {}
    png = charts._png

    def measured(figure: Figure) -> bytes:
        drawn = figure.get_tightbbox(figure.canvas.get_renderer())
        width, height = figure.get_size_inches()
        outside = (-drawn.x0, -drawn.y0, drawn.x1 - width, drawn.y1 - height)
        if max(outside) > 0.01:  # inches
            overflow[str(figure.axes[0].get_ylabel() or figure.axes[0].get_xlabel() or len(overflow))] = outside
        return png(figure)

    monkeypatch.setattr(charts, "_png", measured)
    _draw_all(areas, scale)
    assert overflow == {}


def test_same_data_gives_the_same_png_bytes() -> None:
    first, second = _draw_all(AREAS, 3), _draw_all(AREAS, 3)
    assert first == second
    assert all(png.startswith(b"\x89PNG") and b"matplotlib" not in png for png in first.values())
