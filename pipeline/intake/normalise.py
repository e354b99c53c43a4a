"""Cell normalisation: NFKC, inner whitespace collapsed, trimmed; an empty cell becomes null.
The costly NFKC pass runs only on the cells it can change."""

from __future__ import annotations

import unicodedata
from functools import cache

import polars as pl


def normalised(expr: pl.Expr) -> pl.Expr:
    """NFKC, inner whitespace collapsed, trimmed; an empty cell becomes null."""
    text = expr.str.normalize("NFKC").str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text)


# Where the characters NFKC leaves alone are (ASCII, Latin-1, general and CJK punctuation,
# CJK ideographs); `_changeable` takes only those it can prove safe. Then the full-width
# forms of ASCII (！..～, as in ，：（）), which NFKC maps one to one.
_SAFE_BLOCKS = ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0x3400, 0x4DC0), (0x4E00, 0xA000))
_FULLWIDTH = (0xFF01, 0xFF5F)


@cache
def _changeable(also_safe: tuple[int, int] = (0, 0)) -> str:
    """A regex matching every cell `normalised` may change other than to null.

    A cell of safe characters only, with no space at either end or two in a row, is already
    normal. Safe: in `_SAFE_BLOCKS` (or `also_safe`), no decomposition, combining class 0,
    not the second part of a composition, known to this Python's Unicode, not whitespace
    or a control/format character. Everything else takes the full NFKC path.
    """
    seconds = set()
    for code in range(0x30000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<") and len(parts := decomposition.split()) == 2:
            seconds.add(int(parts[1], 16))
    ranges: list[list[int]] = []
    for code in (code for low, high in _SAFE_BLOCKS for code in range(low, high)):
        char = chr(code)
        unsafe = unicodedata.decomposition(char) or unicodedata.combining(char) or code in seconds
        if code != 0x20 and (unsafe or unicodedata.category(char)[0] in "CZ"):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    ranges += [[also_safe[0], also_safe[1] - 1]] if also_safe[1] else []
    safe = "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return f"[^{safe}]|  |^ | $"


@cache
def _fullwidth_to_ascii() -> tuple[list[str], list[str]]:
    forms = [chr(code) for code in range(*_FULLWIDTH)]
    return forms, [unicodedata.normalize("NFKC", form) for form in forms]


def normalise_cells(cells: pl.Series) -> pl.Series:
    """`normalised` over a whole column, doing the costly work only on cells it can change."""
    changeable = cells.str.contains(_changeable()).fill_null(False)
    if changeable.any():
        at = changeable.arg_true()
        subset = cells.gather(at)
        # In Chinese text what NFKC changes is mostly full-width punctuation (，：（）); in a
        # cell whose other characters are safe, NFKC maps each to its ASCII form, no more.
        fixed = subset.str.replace_many(*_fullwidth_to_ascii())
        hard = subset.str.contains(_changeable(_FULLWIDTH)).fill_null(False)
        if hard.any():
            rest = hard.arg_true()
            # the steps of `normalised`, one pass each (its when/then evaluates the text twice)
            text = subset.gather(rest).str.normalize("NFKC").str.replace_all(r"\s+", " ").str.strip_chars()
            fixed = fixed.scatter(rest, text)
        cells = cells.scatter(at, fixed)
    return cells.to_frame().select(pl.when(pl.first().str.len_bytes() > 0).then(pl.first())).to_series()

