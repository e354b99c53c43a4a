"""Layout rows: the lines a form carries besides its data (title rows above the header,
totals, sign-offs, notes blocks, nil reports and pre-numbered template rows left empty). They
are neither counted nor rejected; each is listed with its text. A totals row is never counted,
whatever else it carries. The kinds and their words are the contract's (`LAYOUT_KINDS`)."""

from __future__ import annotations

import polars as pl

from pipeline.contract import (
    EMPTY_TEMPLATE_ROW,
    NIL_PHRASES,
    NIL_REPORT_ROW,
    NOTE_ROW,
    SIGN_OFF_ROW,
    TITLE_ROW,
    TOTALS_ROW,
    NilReport,
)

TITLE = TITLE_ROW.name
TOTALS = TOTALS_ROW.name
SIGN_OFF = SIGN_OFF_ROW.name
NOTE = NOTE_ROW.name
NIL_REPORT = NIL_REPORT_ROW.name
EMPTY_TEMPLATE = EMPTY_TEMPLATE_ROW.name

# what a totals cell may read once normalised (inner spaces kept, a colon or 数 after it)
_TOTALS_CELLS = [f"{w[0]}{gap}{w[1]}{end}" for w in TOTALS_ROW.words for gap in ("", " ") for end in ("", ":", "数")]
_TOTALS_WORDS = "|".join(r"\s*".join(word) for word in TOTALS_ROW.words)  # 总 计: a space inside
_TOTALS_START = rf"^({_TOTALS_WORDS})\s*(数|[:：]|\s|$)"
_SIGN_OFF_START = rf"^({'|'.join(SIGN_OFF_ROW.words)})\s*([:：]|\s|$)"
_NOTE_START = rf"^({'|'.join(NOTE_ROW.words)})\s*[0-9]*\s*([:：]|$)"
# a line of a notes block: `1. …`, `2、…`, `3）…`, `（1）…`, `（一）…`, `①…`, `一、…`, then its text
_LIST_NUMBER = r"^([0-9０-９]{1,2}\s*[.．、)）]|[(（][0-9０-９一二三四五六七八九十]{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}\s*[、.．])\s*\S"
# what a nil report's text loses before it is compared with the phrases
_NOT_WORDS = r"[\p{P}\p{S}\s]"
_FIRST, _NOTES, _HEADING = "_first_text", "_notes_block", "_notes_heading"
# The column naming each row's sheet when the sheets of one header are checked as one frame:
# a notes block never runs on from one sheet into the next.
PLACE = "_place"


def layout_kind(
    frame: pl.DataFrame, cells: list[str], contract: list[str], width: int, nil: NilReport | None = None
) -> pl.Series:
    """Per row (rows in sheet order): its layout kind, or null for a data row.

    `cells` are the row's cell columns in sheet order, `contract` the normalised contract
    columns (before defaults), `width` the header's width, `nil` the table's nil report.
    """
    texts = [_text(c) for c in cells]
    frame = frame.with_columns((pl.coalesce(texts) if cells else pl.lit(None, pl.String)).alias(_FIRST))
    first = pl.col(_FIRST)
    frame = frame.with_columns(_notes_block(frame, texts).alias(_NOTES))
    totals = first.str.contains(_TOTALS_START)
    if contract:
        totals = totals | pl.any_horizontal([pl.col(c).is_in(_TOTALS_CELLS) for c in contract])
    nothing_of_ours = pl.all_horizontal([pl.col(c).is_null() for c in contract]) if contract else pl.lit(True)
    if beyond := cells[width:]:
        nothing_of_ours = nothing_of_ours & pl.all_horizontal([pl.col(c).is_null() for c in beyond])
    nil_phrase = pl.lit(False)
    if nil is not None and nil.column in contract:
        nil_phrase = pl.col(nil.column).str.replace_all(_NOT_WORDS, "").is_in(NIL_PHRASES)
    kind = (
        pl.when(totals.fill_null(False))
        .then(pl.lit(TOTALS))
        .when(first.str.contains(_SIGN_OFF_START).fill_null(False))
        .then(pl.lit(SIGN_OFF))
        .when(_NOTES)
        .then(pl.lit(NOTE))
        .when(nil_phrase.fill_null(False))
        .then(pl.lit(NIL_REPORT))
        .when(nothing_of_ours)
        .then(pl.lit(EMPTY_TEMPLATE))
    )
    return frame.select(kind.alias("layout")).to_series()


def _notes_block(frame: pl.DataFrame, texts: list[pl.Expr]) -> pl.Series:
    """A 备注/说明/注： row, and the numbered lines right after it that carry one text only (a
    cell, or cells merged across the row): a numbered row with a date, a unit and a title is
    several texts, so data. Rows in between that are not read (blank spacing) do not end it."""
    first = pl.col(_FIRST)
    heading = frame.select(first.str.contains(_NOTE_START).fill_null(False)).to_series()
    if not heading.any():  # most sheets: no block, and no need to look at every cell of every row
        return heading
    one_text = pl.all_horizontal([t.is_null() | (t == first) for t in texts])
    numbered = (first.str.contains(_LIST_NUMBER) & one_text).fill_null(False)
    frame = frame.with_columns(heading.alias(_HEADING))
    after_heading = pl.when(~numbered).then(pl.col(_HEADING)).forward_fill()
    if PLACE in frame.columns:
        after_heading = after_heading.over(PLACE)
    return frame.select(pl.col(_HEADING) | (numbered & after_heading.fill_null(False))).to_series()


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


def listed_lines(layout: pl.DataFrame) -> pl.DataFrame:
    """Layout rows (`file`, `row`, `kind`, `text`) as they are listed to a reader: one line per
    row, except that a run of blank template rows on consecutive rows of one file is one line.
    Columns: `file`, `row` (the first), `last_row`, `kind`, `text` (null for a run of several)."""
    ordered = layout.sort("file", "row")
    file, row, kind = pl.col("file"), pl.col("row"), pl.col("kind")
    continues = (kind == EMPTY_TEMPLATE) & (kind.shift() == EMPTY_TEMPLATE) & (file == file.shift()) & (row == row.shift() + 1)
    runs = ordered.with_columns((~continues.fill_null(False)).cum_sum().alias("_run"))
    return runs.group_by("_run", maintain_order=True).agg(
        file.first(), row.first(), row.last().alias("last_row"), kind.first(),
        pl.when(pl.len() == 1).then(pl.col("text").first()).alias("text"),
    ).drop("_run")
