import datetime as dt

import pytest

from pipeline.intake.values import MAX_COUNT, read_count, read_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2023-03-05", D(2023, 3, 5)),
        ("2023/3/5", D(2023, 3, 5)),
        ("2023.3.5", D(2023, 3, 5)),
        ("2023年3月5日", D(2023, 3, 5)),
        ("2023 年 10 月 23 日", D(2023, 10, 23)),
        ("2023年11月28号", D(2023, 11, 28)),
        ("20231016", D(2023, 10, 16)),
        ("2023-10-18 14:05:00", D(2023, 10, 18)),
        ("2023-10-18 9:05", D(2023, 10, 18)),
        ("2023-10-18T14:05:00", D(2023, 10, 18)),
        ("45218", D(2023, 10, 19)),
        ("45218.5", D(2023, 10, 19)),
    ],
)
def test_the_date_forms_offices_write_are_read(text: str, date: dt.date) -> None:
    assert read_date(text, 2023) == (date, None, None)


def test_a_day_without_a_year_is_read_in_the_report_year_with_a_warning() -> None:
    assert read_date("3月5日", 2023) == (D(2023, 3, 5), None, "未写年份，按报告年度2023年计为2023-03-05")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2023年10月", "只有年月，没有具体日期，请写明哪一天（如2023-10-01）"),
        ("2023-10", "只有年月，没有具体日期，请写明哪一天（如2023-10-01）"),
        ("2022.7", "只有年月，没有具体日期，请写明哪一天（如2022-07-01）"),
        ("10月", "只有月份，没有具体日期，请写明哪一天（如2023-10-01）"),
        ("2023年13月", "不是日历上存在的日期"),
        ("23-11-6", "年份只写了两位，请写四位年份（如2023-11-06）"),
        ("23年11月6日", "年份只写了两位，请写四位年份（如2023-11-06）"),
        ("22-1-5", "年份只写了两位，请写四位年份（如2022-01-05）"),
        # the year last: the readings in the report year, month or day first
        ("11/2/23", "年份只写了两位，请写四位年份（如2023-11-02或2023-02-11）"),
        ("1.2.23", "年份只写了两位，请写四位年份（如2023-01-02或2023-02-01）"),
        ("23-2-30", "年份只写了两位，请写四位年份"),
        ("11/1/2023", "无法确定是“月/日/年”还是“日/月/年”，请写作2023-11-01或2023-01-11"),
        ("11/2/2023", "无法确定是“月/日/年”还是“日/月/年”，请写作2023-11-02或2023-02-11"),
        ("13/2/2023", "年份写在了最后，请写作2023-02-13"),
        ("5-5-2023", "年份写在了最后，请写作2023-05-05"),
        ("13/13/2023", "不是日历上存在的日期"),
        ("2023-02-30", "不是日历上存在的日期"),
        ("2月30日", "不是日历上存在的日期"),
        ("2023-11-06（周一）", "不是可识别的日期，请只写日期（如2023-11-06）"),
        ("11月6日至10日", "不是可识别的日期，请只写日期（如2023-11-06）"),
        ("下周一", "不是可识别的日期（可写作2023-03-05或2023年3月5日）"),
        ("10", "不是可识别的日期（可写作2023-03-05或2023年3月5日）"),
        ("٢٠٢٣-١-٥", "不是可识别的日期（可写作2023-03-05或2023年3月5日）"),
    ],
)
def test_what_is_not_a_date_says_why_with_the_date_it_may_mean(text: str, problem: str) -> None:
    assert read_date(text, 2023) == (None, problem, None)


def test_an_unreadable_date_is_answered_with_the_report_year() -> None:
    assert read_date("下周一", 2022).problem == "不是可识别的日期（可写作2022-03-05或2022年3月5日）"


@pytest.mark.parametrize(
    ("text", "count"),
    [("0", 0), ("12", 12), ("12.0", 12), ("12篇", 12), ("12 条", 12), (str(MAX_COUNT), MAX_COUNT)],
)
def test_counts_may_carry_their_unit_or_a_zero_fraction(text: str, count: int) -> None:
    assert read_count(text) == (count, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-1", "不是大于等于0的整数"),
        ("3.5", "不是大于等于0的整数"),
        ("十二", "不是大于等于0的整数"),
        ("٣", "不是大于等于0的整数"),
        (str(MAX_COUNT + 1), f"超过每行{MAX_COUNT}的上限，请核实"),
        ("62220212345678901234", f"超过每行{MAX_COUNT}的上限，请核实"),
    ],
)
def test_what_is_not_a_count_says_why(text: str, problem: str) -> None:
    assert read_count(text) == (None, problem)
