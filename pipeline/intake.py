"""One table of one year, from its raw files to counted rows, rejects, duplicates and
warnings. Shared by the ingest assets and by `python -m pipeline check`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.contract import Program, TableSpec, table_files
from pipeline.readers import ROW, UnreadableFile, read_table_file
from pipeline.validate import FILE, check_rows, dedupe, unit_warnings

SOURCE_SCHEMA = {
    FILE: pl.String,
    "sha256": pl.String,
    "encoding": pl.String,
    "rows_read": pl.Int64,
    "error": pl.String,
}


@dataclass(frozen=True)
class TableIntake:
    """Everything one table's files gave: each row read is in exactly one of
    `counted`, `rejects` or `duplicates`; `sources` has one row per file."""

    spec: TableSpec
    sources: pl.DataFrame
    counted: pl.DataFrame
    rejects: pl.DataFrame
    duplicates: pl.DataFrame
    warnings: pl.DataFrame

    @property
    def rows_read(self) -> int:
        return int(self.sources.get_column("rows_read").sum())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def relative_name(path: Path, raw_dir: Path) -> str:
    """How files are named in the warehouse and in messages: relative to the raw folder."""
    return path.relative_to(raw_dir).as_posix()


def take_in(raw_dir: Path, year: int, spec: TableSpec, program: Program) -> TableIntake:
    """Read, check and de-duplicate every file of `spec` in raw_dir/<year>/."""
    sources, accepted, rejects = [], [], []
    for path in table_files(raw_dir / str(year), spec):
        name = relative_name(path, raw_dir)
        source = {FILE: name, "sha256": file_sha256(path), "encoding": None, "rows_read": 0, "error": None}
        try:
            raw = read_table_file(path)
            checked = check_rows(raw, spec, program, year, name)
        except UnreadableFile as exc:
            sources.append(source | {"error": str(exc)})
            continue
        read = checked.accepted.height + checked.rejects.height
        sources.append(source | {"encoding": raw.encoding, "rows_read": read})
        accepted.append(checked.accepted)
        rejects.append(checked.rejects)

    empty_accepted = pl.DataFrame(schema={FILE: pl.String, ROW: pl.Int64}).with_columns(
        [pl.lit(None, _dtype(c.rule)).alias(c.name) for c in spec.columns]
    )
    all_accepted = pl.concat([empty_accepted, *accepted], how="vertical_relaxed")
    counted, duplicates = dedupe(all_accepted, spec.dedupe_key)
    return TableIntake(
        spec=spec,
        sources=pl.DataFrame(sources, schema=SOURCE_SCHEMA),
        counted=counted,
        rejects=_stack(rejects, {FILE: pl.String, ROW: pl.Int64, "reason": pl.String, "raw": pl.String}),
        duplicates=duplicates,
        warnings=unit_warnings(counted, program).sort(FILE, ROW),
    )


def _dtype(rule: str) -> pl.DataType:
    return {"date": pl.Date(), "count": pl.Int64()}.get(rule, pl.String())


def _stack(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat([pl.DataFrame(schema=schema), *frames]).sort(FILE, ROW)
