"""The contract's row rules as polars expressions: header mapping, normalisation,
validation with a reason per rejected row, unit warnings, and de-duplication.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

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


def _rule_reason(column: Column, value: pl.Expr, spec: TableSpec, program: Program, year: int) -> pl.Expr | None:
    quoted = pl.lit(f'{column.label} "') + value + pl.lit('"')
    if column.rule == "date":
        date = parsed_date(value)
        return (
            pl.when(date.is_null())
            .then(quoted + pl.lit(" is not a date (use 2023-03-05, 2023/3/5, 2023.3.5 or 2023年3月5日)"))
            .when(date.dt.year() != year)
            .then(quoted + pl.lit(f" is outside the report year {year}"))
        )
    if column.rule == "count":
        return pl.when(~value.str.contains(r"^\d+(\.0+)?$")).then(quoted + pl.lit(" is not a whole number >= 0"))
    if column.rule == "choice":
        allowed = list(column.choices)
        return pl.when(~value.is_in(allowed)).then(quoted + pl.lit(f" is not one of {', '.join(allowed)}"))
    if column.rule == "vocab" and column.vocabulary_by_kind:
        kind = pl.col("kind")
        reason = None
        for kind_value, key in column.vocabulary_by_kind:
            words = list(program.vocabulary(key))
            bad = (kind == kind_value) & ~value.is_in(words)
            message = quoted + pl.lit(f" is not one of the program's {key} for {kind_value} ({', '.join(words)})")
            reason = pl.when(bad).then(message) if reason is None else reason.when(bad).then(message)
        return reason
    if column.rule == "vocab":
        words = list(program.vocabulary(column.vocabulary))
        message = f" is not one of the program's {column.vocabulary} ({', '.join(words)})"
        return pl.when(~value.is_in(words)).then(quoted + pl.lit(message))
    return None


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

    values = []
    for column in spec.columns:
        value = normalised(pl.col(mapping[column.name])) if column.name in mapping else pl.lit(None, pl.String)
        if column.default is not None:
            value = value.fill_null(pl.lit(column.default))
        values.append(value.alias(column.name))
    frame = raw.cells.with_columns(values)

    reasons: list[pl.Expr] = []
    for column in spec.columns:
        value = pl.col(column.name)
        if column.required:
            reasons.append(pl.when(value.is_null()).then(pl.lit(f"{column.label} is empty")))
        rule = _rule_reason(column, value, spec, program, year)
        if rule is not None:
            reasons.append(pl.when(value.is_not_null()).then(rule))
    if beyond:
        used = pl.max_horizontal([pl.when(pl.col(c).is_not_null()).then(pl.lit(i + 1)) for i, c in enumerate(cells)])
        reasons.insert(
            0,
            pl.when(pl.any_horizontal(pl.col(beyond).is_not_null())).then(
                pl.lit("row has ") + used.cast(pl.String) + pl.lit(f" cells but the header has {width} columns")
            ),
        )
    raw_json = pl.struct(
        [pl.col(c).alias(raw.header[i] if i < width and raw.header[i] else c) for i, c in enumerate(cells)]
    ).struct.json_encode()
    frame = frame.with_columns(
        pl.concat_str(reasons, separator=REASON_SEPARATOR, ignore_nulls=True).alias("reason"),
        raw_json.alias("raw"),
        pl.lit(file).alias(FILE),
    ).with_columns(pl.when(pl.col("reason") != "").then(pl.col("reason")).alias("reason"))

    bad = frame.filter(pl.col("reason").is_not_null())
    rejects = pl.concat(
        [
            bad.select(FILE, ROW, "reason", "raw"),
            _broken_rejects(raw.broken, width, file),
        ]
    ).sort(ROW)
    accepted = frame.filter(pl.col("reason").is_null()).select(
        FILE, ROW, *[_typed(c) for c in spec.columns]
    )
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
    ordered = accepted.sort(FILE, ROW)
    first = pl.struct(list(key)).is_first_distinct()
    kept = ordered.filter(first)
    repeats = ordered.filter(~first)
    origin = kept.select(*key, (pl.col(FILE) + pl.lit(":") + pl.col(ROW).cast(pl.String)).alias("duplicate_of"))
    repeats = repeats.join(origin, on=list(key), how="left", nulls_equal=True).select(FILE, ROW, "duplicate_of")
    return kept, repeats
