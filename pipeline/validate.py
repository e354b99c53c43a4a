"""The contract's row rules as polars expressions: header mapping, normalisation,
validation with a reason per rejected row, unit warnings, and de-duplication.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import polars as pl

from pipeline.contract import DATE_FORMATS, Column, Program, TableSpec
from pipeline.readers import ROW, RawTable, UnreadableFile, cell_column

FILE = "file"
REASON_SEPARATOR = "; "


@dataclass(frozen=True)
class CheckedRows:
    """One file's rows after the rules: accepted rows (typed) and rejects."""

    accepted: pl.DataFrame
    rejects: pl.DataFrame


def normalise_header(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


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


def parsed_date(expr: pl.Expr) -> pl.Expr:
    """The first of the contract's date forms that parses; null when none does."""
    # chrono's %m and %d also take unpadded numbers, so 2023/3/5 needs no format of its own.
    return pl.coalesce([expr.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS])


def map_header(header: list[str], spec: TableSpec) -> dict[str, str]:
    """Contract column -> cell column of this file; raises when a required column is missing."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(normalise_header(name), i)
    mapping: dict[str, str] = {}
    for column in spec.columns:
        for alias in (column.name, *column.chinese):
            if normalise_header(alias) in positions:
                mapping[column.name] = cell_column(positions[normalise_header(alias)])
                break
    missing = [c.label for c in spec.columns if c.required and c.name not in mapping]
    if missing:
        raise UnreadableFile(f"required column(s) missing: {', '.join(missing)}")
    return mapping


def _rule_failures(column: Column, value: pl.Expr, program: Program, year: int) -> list[tuple[pl.Expr, pl.Expr]]:
    """A column's rule as (condition, message) pairs for a present value; the first that holds is the reason."""
    quoted = pl.lit(f'{column.label} "') + value + pl.lit('"')
    if column.rule == "date":
        date = parsed_date(value)
        return [
            (date.is_null(), quoted + pl.lit(" is not a date (use 2023-03-05, 2023/3/5, 2023.3.5 or 2023年3月5日)")),
            (date.dt.year() != year, quoted + pl.lit(f" is outside the report year {year}")),
        ]
    if column.rule == "count":
        return [(~value.str.contains(r"^\d+(\.0+)?$"), quoted + pl.lit(" is not a whole number >= 0"))]
    if column.rule == "choice":
        allowed = list(column.choices)
        return [(~value.is_in(allowed), quoted + pl.lit(f" is not one of {', '.join(allowed)}"))]
    if column.rule == "vocab" and column.vocabulary_by_kind:
        failures = []
        for kind_value, key in column.vocabulary_by_kind:
            words = list(program.vocabulary(key))
            message = quoted + pl.lit(f" is not one of the program's {key} for {kind_value} ({', '.join(words)})")
            failures.append(((pl.col("kind") == kind_value) & ~value.is_in(words), message))
        return failures
    if column.rule == "vocab":
        words = list(program.vocabulary(column.vocabulary))
        message = f" is not one of the program's {column.vocabulary} ({', '.join(words)})"
        return [(~value.is_in(words), quoted + pl.lit(message))]
    return []


def _typed(column: Column) -> pl.Expr:
    if column.rule == "date":
        return parsed_date(pl.col(column.name)).alias(column.name)
    if column.rule == "count":
        return pl.col(column.name).str.replace(r"\.0+$", "").cast(pl.Int64).alias(column.name)
    return pl.col(column.name)


def check_rows(raw: RawTable, spec: TableSpec, program: Program, year: int, file: str) -> CheckedRows:
    """Apply every rule of the contract to one file's rows."""
    mapping = map_header(raw.header, spec)
    width = max((i + 1 for i, name in enumerate(raw.header) if name.strip()), default=0)
    cells = [c for c in raw.cells.columns if c != ROW]
    beyond = [c for c in cells[width:]]
    values: list[pl.Series | pl.Expr] = []
    for column in spec.columns:
        if column.name in mapping:
            value: pl.Series | pl.Expr = normalise_cells(raw.cells.get_column(mapping[column.name]))
            value = value.fill_null(column.default) if column.default is not None else value
            values.append(value.alias(column.name))
        else:
            values.append(pl.lit(column.default, pl.String).alias(column.name))
    frame = raw.cells.with_columns(values)

    # Which rows fail is decided with cheap boolean tests over every row; the reason
    # texts are then built for the failing rows only.
    failing: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    for column in spec.columns:
        value = pl.col(column.name)
        if column.required:
            failing.append(value.is_null())
            reasons.append(pl.when(value.is_null()).then(pl.lit(f"{column.label} is empty")))
        failures = _rule_failures(column, value, program, year)
        if failures:
            failing.append(value.is_not_null() & pl.any_horizontal([c.fill_null(False) for c, _ in failures]))
            rule = pl.when(failures[0][0]).then(failures[0][1])
            for condition, message in failures[1:]:
                rule = rule.when(condition).then(message)
            reasons.append(pl.when(value.is_not_null()).then(rule))
    if beyond:
        extra = pl.any_horizontal(pl.col(beyond).is_not_null())
        used = pl.max_horizontal([pl.when(pl.col(c).is_not_null()).then(pl.lit(i + 1)) for i, c in enumerate(cells)])
        failing.append(extra)
        message = pl.lit("row has ") + used.cast(pl.String) + pl.lit(f" cells but the header has {width} columns")
        reasons.insert(0, pl.when(extra).then(message))
    bad_rows = frame.select(pl.any_horizontal(failing) if failing else pl.repeat(False, pl.len())).to_series()

    raw_json = pl.struct(
        [pl.col(c).alias(raw.header[i] if i < width and raw.header[i] else c) for i, c in enumerate(cells)]
    ).struct.json_encode()
    reason = pl.concat_str(reasons, separator=REASON_SEPARATOR, ignore_nulls=True)
    bad = frame.filter(bad_rows).select(pl.lit(file).alias(FILE), ROW, reason.alias("reason"), raw_json.alias("raw"))
    rejects = pl.concat([bad, _broken_rejects(raw.broken, width, file)]).sort(ROW)
    accepted = frame.filter(~bad_rows).select(pl.lit(file).alias(FILE), ROW, *[_typed(c) for c in spec.columns])
    return CheckedRows(accepted, rejects)


def _broken_rejects(broken: pl.DataFrame, width: int, file: str) -> pl.DataFrame:
    reason = (
        pl.when(pl.col("cells").is_not_null())
        .then(pl.lit("row has ") + pl.col("cells").cast(pl.String) + pl.lit(f" cells but the header has {width} columns"))
        .otherwise(pl.lit("CSV line cannot be split: ") + pl.col("error"))
    )
    return broken.select(pl.lit(file).alias(FILE), pl.col(ROW), reason.alias("reason"), pl.col("raw"))


def unit_warnings(accepted: pl.DataFrame, program: Program) -> pl.DataFrame:
    """Rows whose unit is not in the program's unit list: counted, but said."""
    schema = {FILE: pl.String, ROW: pl.Int64, "reason": pl.String}
    if not program.units or "unit" not in accepted.columns:
        return pl.DataFrame(schema=schema)
    return accepted.filter(pl.col("unit").is_not_null() & ~pl.col("unit").is_in(list(program.units))).select(
        FILE, ROW, (pl.lit('报送单位 (unit) "') + pl.col("unit") + pl.lit('" is not in the program\'s unit list')).alias("reason")
    )


def dedupe(accepted: pl.DataFrame, key: tuple[str, ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split rows into the first of each key (by file, then row) and the repeats.

    The repeats keep a pointer (`duplicate_of`, "file:row") to the row that counted.
    """
    ordered = accepted if _in_file_row_order(accepted) else accepted.sort(FILE, ROW)
    first = ordered.select(pl.struct(list(key)).is_first_distinct()).to_series()
    kept = ordered.filter(first)
    repeats = ordered.filter(~first)
    # the "file:row" pointer is only built for keys that have repeats
    origin = kept.join(repeats.select(key).unique(), on=list(key), how="semi", nulls_equal=True).select(
        *key, (pl.col(FILE) + pl.lit(":") + pl.col(ROW).cast(pl.String)).alias("duplicate_of")
    )
    repeats = repeats.join(origin, on=list(key), how="left", nulls_equal=True).select(FILE, ROW, "duplicate_of")
    return kept, repeats


def _in_file_row_order(frame: pl.DataFrame) -> bool:
    """True when rows already come by file, then row (take_in stacks files in order): no sort needed."""
    file, row = pl.col(FILE), pl.col(ROW)
    later = (file > file.shift()) | ((file == file.shift()) & (row > row.shift()))
    return bool(frame.select(later.slice(1).all()).item())
