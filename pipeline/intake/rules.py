"""The contract's row rules as polars expressions: layout rows (nil reports among them),
validation with a reason (in Chinese) per rejected row, and warnings."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.contract import Column, Program, TableSpec, roster_unit, suggested_unit
from pipeline.intake.headers import RawTable
from pipeline.intake.layout import NIL_REPORT, PLACE, TITLE, layout_kind, row_text
from pipeline.intake.normalise import normalise_cells
from pipeline.intake.text import ROW
from pipeline.intake.values import MAX_TEXT_CHARS, count_columns, date_columns

FILE = "file"
REASON_SEPARATOR = "；"
WARNING_SCHEMA = {FILE: pl.String, ROW: pl.Int64, "reason": pl.String}
RAW_CELL_CHARS = 200
# a nil report (零报告) as the warehouse keeps it: where it was written, and what it says
NIL_REPORT_SCHEMA = {FILE: pl.String, ROW: pl.Int64, "date": pl.Date, "unit": pl.String}
_KIND, _FAILING = "_layout", "_failing"
VOCABULARY_LABELS = {"areas": "工作领域", "reform_areas": "改革领域", "media_levels": "媒体级别", "units": "成员单位"}


@dataclass(frozen=True)
class CheckedRows:
    """One sheet's rows after the rules: accepted rows (typed), rejects, layout rows (kind
    and text), warnings about accepted rows, and the nil reports among the layout rows."""

    accepted: pl.DataFrame
    rejects: pl.DataFrame
    layout: pl.DataFrame
    warnings: pl.DataFrame
    nil_reports: pl.DataFrame


def _quoted(column: Column, value: pl.Expr) -> pl.Expr:
    return pl.lit(f"{column.label}“") + value + pl.lit("”")


def _rule_failures(column: Column, value: pl.Expr, program: Program, year: int) -> list[tuple[pl.Expr, pl.Expr]]:
    """A column's rule as (condition, message) pairs for a present value; the first that holds is the reason."""
    quoted = _quoted(column, value)
    if column.rule == "date":
        date, problem = pl.col(f"_date_{column.name}"), pl.col(f"_date_problem_{column.name}")
        return [
            (problem.is_not_null(), quoted + problem),
            (date.dt.year() != year, quoted + pl.lit(f"不在报告年度{year}年内")),
        ]
    if column.rule == "count":
        problem = pl.col(f"_count_problem_{column.name}")
        return [(problem.is_not_null(), quoted + problem)]
    if column.rule == "choice":
        allowed = list(column.choices)
        return [(~value.is_in(allowed), quoted + pl.lit(f"不是以下之一：{'、'.join(allowed)}"))]
    if column.rule == "vocab" and column.vocabulary_by_kind:
        failures = []
        for kind_value, key in column.vocabulary_by_kind:
            words = list(program.vocabulary(key))
            message = f"不在方案{kind_value}的{VOCABULARY_LABELS[key]}（{'、'.join(words)}）中"
            failures.append(((pl.col("kind") == kind_value) & ~value.is_in(words), quoted + pl.lit(message)))
        return failures
    if column.rule == "vocab":
        words = list(program.vocabulary(column.vocabulary))
        message = f"不在方案的{VOCABULARY_LABELS[column.vocabulary]}（{'、'.join(words)}）中"
        return [(~value.is_in(words), quoted + pl.lit(message))]
    return []


def _typed(column: Column) -> pl.Expr:
    if column.rule == "date":
        return pl.col(f"_date_{column.name}").alias(column.name)
    if column.rule == "count":
        return pl.col(f"_count_{column.name}").alias(column.name)
    return pl.col(column.name)


def _readings(frame: pl.DataFrame, spec: TableSpec, year: int) -> list[pl.Series]:
    """The parsed date and count columns beside the text ones, with their problems."""
    parsed: list[pl.Series] = []
    for column in spec.columns:
        if column.rule == "date":
            dates = date_columns(frame.get_column(column.name), year)
            parsed += [dates.get_column(part).alias(f"_date{suffix}_{column.name}")
                       for part, suffix in (("date", ""), ("problem", "_problem"), ("warning", "_warning"))]
        elif column.rule == "count":
            counts = count_columns(frame.get_column(column.name))
            parsed += [counts.get_column("count").alias(f"_count_{column.name}"),
                       counts.get_column("problem").alias(f"_count_problem_{column.name}")]
    return parsed


def _shortened(cell: pl.Expr) -> pl.Expr:
    """A rejected row's cell as kept and printed: at most RAW_CELL_CHARS characters, then …."""
    return pl.when(cell.str.len_chars() > RAW_CELL_CHARS).then(
        cell.str.slice(0, RAW_CELL_CHARS) + pl.lit("…")
    ).otherwise(cell)


def _unique_names(header: list[str], cells: list[str], width: int) -> list[str]:
    """Keys for a rejected row's raw cells: the header names, made unique (备注, 备注#2)."""
    seen: dict[str, int] = {}
    names = []
    for i, cell in enumerate(cells):
        name = header[i].strip() if i < width and header[i].strip() else cell
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


def _reasons(
    columns: tuple[Column, ...], program: Program, year: int, cells: list[str], width: int
) -> tuple[pl.Expr, pl.Expr]:
    """Whether a row breaks a rule of `columns` (cheap boolean tests over every row), and the
    reason text (built for the failing rows only)."""
    failing: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    for column in columns:
        value = pl.col(column.name)
        length = value.str.len_chars()
        failing.append((length > MAX_TEXT_CHARS).fill_null(False))
        reasons.append(pl.when(length > MAX_TEXT_CHARS).then(
            pl.lit(f"{column.label}超过{MAX_TEXT_CHARS}字（共") + length.cast(pl.String) + pl.lit("字）")
        ))
        if column.required:
            failing.append(value.is_null())
            reasons.append(pl.when(value.is_null()).then(pl.lit(f"{column.label}为空")))
        failures = _rule_failures(column, value, program, year)
        if failures:
            failing.append(value.is_not_null() & pl.any_horizontal([c.fill_null(False) for c, _ in failures]))
            rule = pl.when(failures[0][0]).then(failures[0][1])
            for condition, message in failures[1:]:
                rule = rule.when(condition).then(message)
            reasons.append(pl.when(value.is_not_null()).then(rule))
    beyond = cells[width:]
    if beyond:
        extra = pl.any_horizontal(pl.col(beyond).is_not_null())
        used = pl.max_horizontal([pl.when(pl.col(c).is_not_null()).then(pl.lit(i + 1)) for i, c in enumerate(cells)])
        failing.append(extra)
        reasons.insert(0, pl.when(extra).then(_too_many_cells(used, width)))
    any_failing = pl.any_horizontal(failing) if failing else pl.repeat(False, pl.len())
    return any_failing, pl.concat_str(reasons, separator=REASON_SEPARATOR, ignore_nulls=True)


def _normalised_columns(raw: RawTable, spec: TableSpec) -> list[pl.Series | pl.Expr]:
    """The spec's columns, normalised, in its order (null where the header has none). The
    mapped columns go through `normalise_cells` as one stacked column: a sheet holds a few
    rows, and each pass costs the same whether it has ten cells or a thousand."""
    mapped = [c.name for c in spec.columns if c.name in raw.mapping]
    height = raw.cells.height
    stacked = normalise_cells(pl.concat([raw.cells.get_column(raw.mapping[name]) for name in mapped])) if mapped else None
    at = {name: i * height for i, name in enumerate(mapped)}
    return [
        stacked.slice(at[c.name], height).alias(c.name) if c.name in at else pl.lit(None, pl.String).alias(c.name)
        for c in spec.columns
    ]


def _file(file: str | pl.Expr) -> pl.Expr:
    return (pl.lit(file) if isinstance(file, str) else file).alias(FILE)


def check_rows(raw: RawTable, spec: TableSpec, program: Program, year: int, file: str | pl.Expr) -> CheckedRows:
    """Apply every rule of the contract to one sheet's rows; `file` names them, or, for the
    sheets of one header checked together (pipeline.intake.groups), the column that does."""
    width = max((i + 1 for i, name in enumerate(raw.header) if name.strip()), default=0)
    cells = [c for c in raw.cells.columns if c not in (ROW, PLACE)]
    frame = raw.cells.with_columns(_normalised_columns(raw, spec))
    layout = layout_kind(frame, cells, [c.name for c in spec.columns if c.name in raw.mapping], width, spec.nil_report)
    frame = frame.with_columns(pl.col(c.name).fill_null(c.default) for c in spec.columns if c.default is not None)
    frame = frame.with_columns(*_readings(frame, spec, year), layout.alias(_KIND))
    failing, reason = _row_rules(spec, program, year, cells, width)
    frame = frame.with_columns(failing.alias(_FAILING))
    kind, rejected = pl.col(_KIND), pl.col(_FAILING)

    names = _unique_names(raw.header, cells, width)
    raw_json = pl.struct([_shortened(pl.col(c)).alias(n) for c, n in zip(cells, names, strict=True)]).struct.json_encode()
    bad = frame.filter(rejected).select(_file(file), ROW, reason.alias("reason"), raw_json.alias("raw"))
    rejects = pl.concat([bad, _broken_rejects(raw.broken, width, file)]).sort(ROW)
    good = frame.filter(kind.is_null() & ~rejected)
    accepted = good.select(_file(file), ROW, *[_typed(c) for c in spec.columns])
    listed = frame.filter(kind.is_not_null() & ~rejected)
    layout_rows = pl.concat([
        raw.above.select(_file(file), ROW, pl.lit(TITLE).alias("kind"), row_text(cells).alias("text")),
        listed.select(_file(file), ROW, kind.alias("kind"), row_text(cells).alias("text")),
    ])
    nil_reports = pl.DataFrame(schema=NIL_REPORT_SCHEMA)
    if spec.nil_report:
        said = [_typed(spec.column(name)) for name in spec.nil_report.needs]
        nil_reports = listed.filter(kind == NIL_REPORT).select(_file(file), ROW, *said)
    return CheckedRows(accepted, rejects, layout_rows, _date_warnings(good, spec, file), nil_reports)


def _row_rules(spec: TableSpec, program: Program, year: int, cells: list[str], width: int) -> tuple[pl.Expr, pl.Expr]:
    """Whether a row is rejected, and why: a data row by every rule; a nil report (零报告) by the
    columns it needs only (without them it is no report); other layout rows never."""
    kind = pl.col(_KIND)
    failing, reason = _reasons(spec.columns, program, year, cells, width)
    failing = kind.is_null() & failing
    if spec.nil_report:
        needed = tuple(spec.column(name) for name in spec.nil_report.needs)
        nil_failing, nil_reason = _reasons(needed, program, year, cells, width)
        failing = pl.when(kind == NIL_REPORT).then(nil_failing).otherwise(failing)
        reason = pl.when(kind == NIL_REPORT).then(nil_reason).otherwise(reason)
    return failing, reason


def _date_warnings(good: pl.DataFrame, spec: TableSpec, file: str | pl.Expr) -> pl.DataFrame:
    """Counted rows whose date needed a guess (a day written without its year)."""
    frames = [
        good.filter(pl.col(f"_date_warning_{c.name}").is_not_null()).select(
            _file(file), ROW, (_quoted(c, pl.col(c.name)) + pl.col(f"_date_warning_{c.name}")).alias("reason")
        )
        for c in spec.columns
        if c.rule == "date"
    ]
    return pl.concat([pl.DataFrame(schema=WARNING_SCHEMA), *frames])


def _too_many_cells(cells: pl.Expr, width: int) -> pl.Expr:
    """The reason for a row with more cells than its header has columns."""
    return pl.lit("该行有") + cells.cast(pl.String) + pl.lit(f"个单元格，但表头只有{width}列")


def _broken_rejects(broken: pl.DataFrame, width: int, file: str | pl.Expr) -> pl.DataFrame:
    reason = (
        pl.when(pl.col("cells").is_not_null())
        .then(_too_many_cells(pl.col("cells"), width))
        .when(pl.col("error").str.starts_with("该行"))  # the text reader's own reason, in Chinese
        .then(pl.col("error"))
        .otherwise(pl.lit("该行无法拆分为单元格（引号不成对或分隔符不一致）"))
    )
    return broken.select(_file(file), pl.col(ROW), reason.alias("reason"), pl.col("raw"))


def unit_warnings(accepted: pl.DataFrame, program: Program) -> pl.DataFrame:
    """Rows whose unit is on no roster entry (by name or alias): counted, but said, with the
    roster name it most likely means."""
    if not program.units or "unit" not in accepted.columns:
        return pl.DataFrame(schema=WARNING_SCHEMA)
    reasons = {
        unit: f"报送单位“{unit}”不在方案的成员单位名单中，已计入，请核实"
        + (f"（是否为“{suggestion}”？）" if (suggestion := suggested_unit(unit, program.units)) else "")
        for unit in accepted["unit"].drop_nulls().unique().to_list()
        if roster_unit(unit, program.units) is None
    }
    return accepted.filter(pl.col("unit").is_in(list(reasons))).select(
        FILE, ROW, pl.col("unit").replace_strict(reasons, return_dtype=pl.String).alias("reason")
    )
