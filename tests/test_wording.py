"""Chinese wording helpers: approximate counts, numerals, dates, district names, punctuation."""

import datetime as dt

import pytest

from pipeline.report.wording import (
    approx_count,
    chinese_date,
    chinese_month_day,
    chinese_numeral,
    district_name,
    district_short,
    zh_punctuation,
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (9, "9"),
        (10, "10"),
        (14, "10余"),
        (19, "10余"),
        (64, "60余"),
        (100, "100"),
        (105, "100余"),
        (150, "150"),
        (170, "170"),
        (173, "170余"),
        (612, "600余"),
        (999, "900余"),
        (1200, "1200"),
        (1234, "1200余"),
        (1900, "1900"),
        (20345, "20000余"),
    ],
)
def test_approx_count_words_counts_as_the_reference_does(n: int, expected: str) -> None:
    assert approx_count(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "零"), (6, "六"), (7, "七"), (10, "十"), (11, "十一"), (20, "二十"), (64, "六十四"), (100, "100")],
)
def test_chinese_numeral(n: int, expected: str) -> None:
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (dt.date(2022, 12, 23), "2022年12月23日", "12月23日"),
        (dt.date(2023, 3, 5), "2023年3月5日", "3月5日"),
        (dt.date(2024, 1, 1), "2024年1月1日", "1月1日"),
    ],
)
def test_dates_are_written_without_zero_padding(day: dt.date, long: str, short: str) -> None:
    assert chinese_date(day) == long
    assert chinese_month_day(day) == short


@pytest.mark.parametrize(
    ("program", "district", "short"),
    [
        ("西湖区高质量发展建设共同富裕示范区", "西湖区", "西湖"),
        ("拱墅区高质量发展建设共同富裕示范区", "拱墅区", "拱墅"),
        ("淳安县共同富裕示范区建设", "淳安县", "淳安"),
        ("高质量发展建设共同富裕示范区", "高质量发展建设共同富裕示范区", "高质量发展建设共同富裕示范"),
    ],
)
def test_district_comes_from_the_program_name(program: str, district: str, short: str) -> None:
    assert district_name(program) == district
    assert district_short(district_name(program)) == short


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“你好,青春期”", "“你好，青春期”"),
        ("区社会建设专题例会(5月)", "区社会建设专题例会（5月）"),
        ("推进A;完成B", "推进A；完成B"),
        ("1,200 and A, B (x)", "1,200 and A, B (x)"),
    ],
)
def test_zh_punctuation_restores_full_width_marks_in_chinese_only(text: str, expected: str) -> None:
    assert zh_punctuation(text) == expected
