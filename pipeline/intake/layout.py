"""Layout rows: the lines a form carries besides its data (title rows above the header,
totals, sign-offs, notes, and pre-numbered template rows left empty). They are neither
counted nor rejected; each is listed with its text. A totals row is never counted, whatever
else it carries."""

from __future__ import annotations

import polars as pl

TITLE = "表头上方的标题行"
TOTALS = "合计行"
SIGN_OFF = "签署行"
NOTE = "备注行"
EMPTY_TEMPLATE = "空白模板行"

_TOTALS_WORDS = ("合计", "总计", "小计")
# what a totals cell may read once normalised (inner spaces kept, a colon or 数 after it)
_TOTALS_CELLS = [f"{w[0]}{gap}{w[1]}{end}" for w in _TOTALS_WORDS for gap in ("", " ") for end in ("", ":", "数")]
_TOTALS_START = r"^(合|总|小)\s*计\s*(数|[:：]|\s|$)"
_SIGN_OFF_START = r"^(填表人|填报人|审核人|制表人|签发人|负责人|联系人|联系电话|联系方式)\s*([:：]|\s|$)"
_NOTE_START = r"^(备注|说明|填报说明|注)\s*[0-9]*\s*([:：]|$)"


def layout_kind(frame: pl.DataFrame, cells: list[str], contract: list[str], width: int) -> pl.Series:
    """Per row: its layout kind, or null for a data row.

    `cells` are the row's cell columns in sheet order, `contract` the normalised contract
    columns (before defaults), `width` the header's width.
    """
    first = pl.coalesce([_text(c) for c in cells]) if cells else pl.lit(None, pl.String)
    totals = first.str.contains(_TOTALS_START)
    if contract:
        totals = totals | pl.any_horizontal([pl.col(c).is_in(_TOTALS_CELLS) for c in contract])
    nothing_of_ours = pl.all_horizontal([pl.col(c).is_null() for c in contract]) if contract else pl.lit(True)
    if beyond := cells[width:]:
        nothing_of_ours = nothing_of_ours & pl.all_horizontal([pl.col(c).is_null() for c in beyond])
    kind = (
        pl.when(totals.fill_null(False))
        .then(pl.lit(TOTALS))
        .when(first.str.contains(_SIGN_OFF_START).fill_null(False))
        .then(pl.lit(SIGN_OFF))
        .when(first.str.contains(_NOTE_START).fill_null(False))
        .then(pl.lit(NOTE))
        .when(nothing_of_ours)
        .then(pl.lit(EMPTY_TEMPLATE))
    )
    return frame.select(kind.alias("layout")).to_series()


def _text(cell: str) -> pl.Expr:
    """A cell's text, trimmed; null when blank."""
    text = pl.col(cell).str.strip_chars()
    return pl.when(text != "").then(text)


def row_text(cells: list[str]) -> pl.Expr:
    """A row's non-blank cells as one line, as the office wrote them; a cell equal to the one
    before it (a merged title spread over the row) is said once."""
    texts = [_text(c) for c in cells]
    kept = texts[:1] + [pl.when(t.ne_missing(before)).then(t) for before, t in zip(texts, texts[1:])]
    return pl.concat_str(kept, separator=" | ", ignore_nulls=True)
