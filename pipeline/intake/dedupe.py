"""De-duplication: the rows of a table equal on its key count once, the first by file and
row; the repeats point to the row that counted."""

from __future__ import annotations

import polars as pl

from pipeline.intake.rules import FILE
from pipeline.intake.text import ROW


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
