"""Chinese wording for the report: approximate counts (170余), numerals (七), dates
(2022年12月23日), the district named in the programme, and display punctuation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

_DIGITS = "零一二三四五六七八九"
# A paragraph names this many themes of a longer list (the report's table lists them all).
THEMES_SHOWN = 5
# The seat of a programme's government, in the order a name is searched for it.
_SEATS = ("区", "县", "市")
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"
# NFKC (applied to every input cell) turns full-width punctuation into ASCII; in Chinese
# prose the full-width forms are the correct ones.
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def approx_count(n: int) -> str:
    """A count as the reference words it: exact when small or round, else "N余".

    Rule: numbers under 10 stay exact. Otherwise keep only the leading digit
    (612 -> 600余) when that drops at most a tenth of the count, else the leading two
    digits (173 -> 170余, 1234 -> 1200余); never finer than tens (14 -> 10余, 19 -> 10余).
    When nothing is dropped the number is already round and stays exact (10, 100, 170).
    """
    if n < 10:
        return str(n)
    coarse = 10 ** (len(str(n)) - 1)
    step = coarse if n % coarse <= n / 10 else max(10, coarse // 10)
    kept = n // step * step
    return str(n) if kept == n else f"{kept}余"


def chinese_numeral(n: int) -> str:
    """0..99 in Chinese numerals (七, 十一, 六十四); larger numbers stay in digits."""
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def chinese_count(n: int) -> str:
    """A count before a measure word: 两个方面, not 二个 (十二个, 二十个 as usual)."""
    return "两" if n == 2 else chinese_numeral(n)


def leading_themes(themes: Iterable[str], total: int | None = None, shown: int = THEMES_SHOWN) -> str:
    """The themes a paragraph names, quoted: all of a short list (“A”、“B”等主题), the leading
    ones of a long one with how many there are, `total` when `themes` are only the first
    (“A”、…、“E”等12个专题)."""
    quoted = [f"“{t}”" for t in themes]
    count = max(total or 0, len(quoted))
    if count <= shown:
        return "、".join(quoted) + "等主题"
    return "、".join(quoted[:shown]) + f"等{count}个专题"


def listed_note(total: int, shown: int) -> str:
    """What a bounded list says when it shows only its first lines."""
    return "" if total <= shown else f"（列出前{shown}条，全部{total}条见 python -m pipeline check 的输出）"


def chinese_date(day: dt.date) -> str:
    """2022-12-23 -> 2022年12月23日 (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month_day(day: dt.date) -> str:
    """2022-12-23 -> 12月23日."""
    return f"{day.month}月{day.day}日"


def district_name(program_name: str) -> str:
    """The district a programme belongs to: the text up to its first 区/县/市 (西湖区).

    A name without a short place prefix (more than six characters before the seat, or
    no seat at all) is returned whole, so the wording stays true if clumsy.
    """
    positions = [i for i in (program_name.find(seat) for seat in _SEATS) if 0 < i <= 6]
    return program_name[: min(positions) + 1] if positions else program_name


def district_short(district: str) -> str:
    """西湖区 -> 西湖 (as in “西湖特色”); a name without a seat suffix stays whole."""
    return district[:-1] if district.endswith(_SEATS) and len(district) > 2 else district


def zh_punctuation(text: str) -> str:
    """Full-width punctuation where ASCII punctuation touches Chinese text.

    Only marks next to a CJK character change, so "1,200" and "A, B" stay as written;
    brackets become （） when they enclose Chinese.
    """
    pattern = rf"(?<={_CJK})\s*[,;:!?]\s*|\s*[,;:!?]\s*(?={_CJK})"
    text = re.sub(pattern, lambda m: _FULL_WIDTH[m.group(0).strip()], text)
    return re.sub(r"\(([^()]*)\)", lambda m: f"（{m[1]}）" if re.search(_CJK, m[1]) else m[0], text)
