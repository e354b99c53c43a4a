"""Reading a date or a count the way offices write them, one distinct cell text at a time
(a year has a few hundred distinct dates, however many rows), with the reason in Chinese
when the text is not one."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import polars as pl

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME_OF_DAY = re.compile(r"(?:T|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$")
_FULL = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_SERIAL = re.compile(r"([0-9]{5})(?:\.[0-9]+)?")
_NO_YEAR = re.compile(r"([0-9]{1,2})月([0-9]{1,2})日")
_MONTH_ONLY = re.compile(r"(?:([0-9]{4})[-/.年])?([0-9]{1,2})月?")
_TWO_DIGIT_YEAR = re.compile(r"([0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日?|([0-9]{1,2})([-/.])([0-9]{1,2})\5([0-9]{1,2})")
_YEAR_LAST = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_COUNT = re.compile(r"([0-9]+)(?:\.0+)?(?:篇|条|次|个|件|份)?")
# A media row counts one outlet's articles in one week; more than this is a typing slip.
MAX_COUNT = 100_000
# A title, a name or a note longer than this is no office's text (README: Reliability).
MAX_TEXT_CHARS = 2_000


class DateReading(NamedTuple):
    date: dt.date | None
    problem: str | None = None  # why it is not a date (the reject reason, after the column name)
    warning: str | None = None  # read, but worth saying (a day without a year)


def read_date(text: str, year: int) -> DateReading:
    """One cell's date; `year` is the report year, taken for a day written without one."""
    compact = "".join(_TIME_OF_DAY.sub("", text).split()).replace("号", "日")
    for pattern in (_FULL, _COMPACT):
        if match := pattern.fullmatch(compact):
            return _date(*match.groups())
    if match := _SERIAL.fullmatch(compact):
        return DateReading(_EXCEL_EPOCH + dt.timedelta(days=int(match.group(1))))
    if match := _NO_YEAR.fullmatch(compact):
        reading = _date(str(year), *match.groups())
        if reading.date is None:
            return reading
        return reading._replace(warning=f"未写年份，按报告年度{year}年计为{reading.date.isoformat()}")
    return DateReading(None, _not_a_date(compact, year))


def _not_a_date(compact: str, year: int) -> str:
    """Why `compact` (a cell without its spaces) is not read as a date, with the date it may
    have meant when the text says it."""
    if match := _MONTH_ONLY.fullmatch(compact):
        # `2023.10` needs its year; a bare `10` is no month
        written, month = match.group(1), int(match.group(2))
        if written is None and not compact.endswith("月"):
            return _unrecognised(compact, year)
        said = "只有年月" if written else "只有月份"
        if not 1 <= month <= 12:
            return "不是日历上存在的日期"
        return f"{said}，没有具体日期，请写明哪一天（如{written or year}-{month:02}-01）"
    if match := _TWO_DIGIT_YEAR.fullmatch(compact):
        meant = _two_digit_year_dates(match, year)
        return f"年份只写了两位，请写四位年份（如{'或'.join(meant)}）" if meant else "年份只写了两位，请写四位年份"
    if match := _YEAR_LAST.fullmatch(compact):
        first, second, written = (int(part) for part in match.groups())
        meant = _valid([(written, first, second), (written, second, first)])
        if len(meant) == 2:
            return f"无法确定是“月/日/年”还是“日/月/年”，请写作{meant[0]}或{meant[1]}"
        return f"年份写在了最后，请写作{meant[0]}" if meant else "不是日历上存在的日期"
    return _unrecognised(compact, year)


def _two_digit_year_dates(match: re.Match[str], year: int) -> list[str]:
    """The dates a two-digit year may stand for: those in the report year, reading the year
    first (as offices write it) or, when it is last, month or day first; else the year-first one."""
    if match.group(1):
        year_first = [(2000 + int(match.group(1)), int(match.group(2)), int(match.group(3)))]
        year_last = []
    else:
        a, b, c = (match.group(i) for i in (4, 6, 7))
        year_first = [(2000 + int(a), int(b), int(c))] if len(a) == 2 else []
        year_last = [(2000 + int(c), int(a), int(b)), (2000 + int(c), int(b), int(a))] if len(c) == 2 else []
    in_year = [iso for iso in _valid(year_first + year_last) if iso.startswith(f"{year}-")]
    return in_year or _valid(year_first)


def _valid(candidates: list[tuple[int, int, int]]) -> list[str]:
    """The (year, month, day) that are calendar dates, as ISO text, each once, in order."""
    found: list[str] = []
    for parts in candidates:
        try:
            iso = dt.date(*parts).isoformat()
        except ValueError:
            continue
        if iso not in found:
            found.append(iso)
    return found


def _unrecognised(compact: str, year: int) -> str:
    """Text that is no date form: the date inside it when there is one (`2023-11-06（周一）`)."""
    inside: list[str] = []
    if match := _FULL.search(compact):
        inside = _valid([tuple(int(part) for part in match.groups())])
    if not inside and (match := _NO_YEAR.search(compact)):
        inside = _valid([(year, int(match.group(1)), int(match.group(2)))])
    if inside:
        return f"不是可识别的日期，请只写日期（如{inside[0]}）"
    return f"不是可识别的日期（可写作{year}-03-05或{year}年3月5日）"


def _date(year: str, month: str, day: str) -> DateReading:
    try:
        return DateReading(dt.date(int(year), int(month), int(day)))
    except ValueError:
        return DateReading(None, "不是日历上存在的日期")


def read_count(text: str) -> tuple[int | None, str | None]:
    """A whole number >= 0, perhaps with its unit (`12篇`, `12 条`) or a zero fraction (`12.0`);
    else None and why not."""
    match = _COUNT.fullmatch("".join(text.split()))
    if not match:
        return None, "不是大于等于0的整数"
    count = int(match.group(1))
    if count > MAX_COUNT:
        return None, f"超过每行{MAX_COUNT}的上限，请核实"
    return count, None


def date_columns(values: pl.Series, year: int) -> pl.DataFrame:
    """Per row of `values`: `date`, `problem`, `warning` (each null where it does not apply)."""
    distinct = values.drop_nulls().unique().to_list()
    readings = [read_date(text, year) for text in distinct]
    lookup = pl.DataFrame(
        {
            "value": distinct,
            "date": [r.date for r in readings],
            "problem": [r.problem for r in readings],
            "warning": [r.warning for r in readings],
        },
        schema={"value": pl.String, "date": pl.Date, "problem": pl.String, "warning": pl.String},
    )
    return _per_row(values, lookup)


def count_columns(values: pl.Series) -> pl.DataFrame:
    """Per row of `values`: `count` and `problem` (each null where it does not apply)."""
    distinct = values.drop_nulls().unique().to_list()
    readings = [read_count(text) for text in distinct]
    lookup = pl.DataFrame(
        {"value": distinct, "count": [r[0] for r in readings], "problem": [r[1] for r in readings]},
        schema={"value": pl.String, "count": pl.Int64, "problem": pl.String},
    )
    return _per_row(values, lookup)


def _per_row(values: pl.Series, lookup: pl.DataFrame) -> pl.DataFrame:
    return values.alias("value").to_frame().join(lookup, on="value", how="left", maintain_order="left").drop("value")
