"""Chinese wording helpers: approximate counts, numerals, dates, district names, punctuation."""

import datetime as dt

import pytest

from pipeline.config import REPORTS_DIR

from pipeline.report.template import render_qmd
from pipeline.report.wording import (
    approx_count,
    chinese_count,
    chinese_date,
    chinese_month_day,
    chinese_numeral,
    district_name,
    district_short,
    leading_themes,
    listed_note,
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


@pytest.mark.parametrize(("n", "expected"), [(1, "一"), (2, "两"), (3, "三"), (7, "七"), (12, "十二"), (20, "二十"), (22, "二十二")])
def test_a_count_before_a_measure_word_says_two_as_liang(n: int, expected: str) -> None:
    assert chinese_count(n) == expected
    assert render_qmd("<< n | cn_count >>个方面，<< n | cn >>是", {"n": n}) == f"{expected}个方面，{chinese_numeral(n)}是"


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (["杭向共富"], "“杭向共富”等主题"),
        (["A", "B", "C", "D", "E"], "“A”、“B”、“C”、“D”、“E”等主题"),
        ([f"专题{i}" for i in range(1, 13)], "“专题1”、“专题2”、“专题3”、“专题4”、“专题5”等12个专题"),
    ],
)
def test_a_long_list_of_themes_names_the_leading_ones_and_how_many(themes: list[str], expected: str) -> None:
    assert leading_themes(themes) == expected


def test_a_media_level_with_no_articles_is_left_out_of_the_sentence() -> None:
    template = (REPORTS_DIR / "progress-report.qmd").read_text(encoding="utf-8")
    line = next(line for line in template.splitlines() if "累计刊发共同富裕相关稿件" in line)
    levels = [{"level": "中央", "articles": 0}, {"level": "省级", "articles": 3}, {"level": "市级", "articles": 0},
              {"level": "区级", "articles": 12}]
    context = {"seat": "区", "media_themes": [], "media_levels": levels, "figure_sources": [],
               "f": {"media_articles_total": 15, "media_outlets": 2}}
    assert "，其中省级媒体3篇、区级媒体12篇，涉及媒体2家。" in render_qmd(line, context)
    context["f"] = {"media_articles_total": 0, "media_outlets": 0}
    assert render_qmd(line, context).endswith("累计刊发共同富裕相关稿件0篇。")


@pytest.mark.parametrize(("total", "shown", "note"), [(5, 200, ""), (200, 200, ""), (1234, 200, "（列出前200条，全部1234条见 python -m pipeline check 的输出）")])
def test_a_bounded_list_says_what_it_leaves_out(total: int, shown: int, note: str) -> None:
    assert listed_note(total, shown) == note
