"""Seeded synthetic raw folders at any scale, for the benchmark and its tests: valid contract
files with a planted share of rejected rows (every reason) and duplicate rows."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from pipeline.contract import DYNAMICS, MEDIA, Program
from tools.sample_data import FIXED_STAMP, FixedTimeZip

SEED = 20230306
UNITS = (
    "区发改经信局", "区教育局", "区民政局", "区人力社保局", "区卫健局", "区农业农村局", "区文旅体局",
    "区委社建委", "区总工会", "区医保分局", "北山街道", "西溪街道", "灵隐街道", "翠苑街道",
    "文新街道", "古荡街道", "留下街道", "转塘街道", "双浦镇", "三墩镇",
)
TOPICS = (
    "共富工坊建设", "未来社区创建", "“一老一小”服务", "山海协作",
    "技能人才培育", "城乡教育共同体", "15分钟文化生活圈", "低收入农户增收",
)
OUTLETS = (
    ("人民日报", "中央"), ("央视新闻", "中央"), ("浙江日报", "省级"), ("浙江卫视", "省级"),
    ("杭州日报", "市级"), ("杭州网", "市级"), ("西湖发布", "区级"), ("西湖报", "区级"),
)
# Each fault breaks one rule of the contract; bad rows cycle through a table's faults.
# Faults named here are a cell swapped for a bad value (None: left empty).
FAULTS = {
    "dynamics": {"empty": ("title", None), "area": ("area", "乡村振兴"), "kind": ("kind", "新闻")},
    "media": {"empty": ("outlet", None), "level": ("level", "乡级"), "count": ("count", "2.5")},
}
DATE_FAULTS = ("not_a_date", "outside_year")
STRFTIME = ("%Y-%m-%d", "%Y/%-m/%-d", "%Y.%-m.%-d", "%Y年%-m月%-d日")
MIXED_FORMATS = ("gb18030", "utf-8-sig", "xlsx")


@dataclass(frozen=True)
class Planted:
    """What the generator wrote for one table: data rows, rejects by fault, duplicates."""

    rows: int
    rejects: dict[str, int]
    duplicates: int
    files: tuple[str, ...]  # relative to the raw folder, as the warehouse names them
    formats: tuple[str, ...]  # per file: utf-8, utf-8-sig, gb18030 or xlsx

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    @property
    def counted(self) -> int:
        return self.rows - self.rejected - self.duplicates


def make_raw_folder(
    root: Path, year: int, dynamics_rows: int, media_rows: int, files: int, *, mixed: bool = False,
    bad_fraction: float = 0.01, duplicate_fraction: float = 0.01, seed: int = SEED,
) -> dict[str, Planted]:
    """Write root/<year>/{dynamics,media}/ (`files` files each) and the small tables; say what was planted.

    `mixed`: files cycle through GB18030 CSV, UTF-8-BOM CSV and XLSX instead of all UTF-8 CSV.
    """
    rng = np.random.default_rng(seed)
    program = Program()
    year_dir = Path(root) / str(year)
    planted = {}
    for spec, rows, build in ((DYNAMICS, dynamics_rows, _dynamics), (MEDIA, media_rows, _media)):
        duplicates = round(rows * duplicate_fraction)
        frame = _into_files(build(rng, program, year, rows - duplicates), files)
        frame, rejects = _break_rows(rng, frame, spec.name, round(rows * bad_fraction), year)
        frame = _add_duplicates(rng, frame, duplicates, files)
        written = _write_files(year_dir / spec.name, spec.column_names, frame, mixed)
        names = tuple(f"{year}/{spec.name}/{name}" for name in written)
        planted[spec.name] = Planted(rows, rejects, duplicates, names, tuple(written.values()))
    return planted | _small_tables(year_dir, year, program)


def _days(rng: np.random.Generator, year: int, n: int) -> pl.Expr:
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    return pl.lit(dt.date(year, 1, 1)) + pl.duration(days=pl.Series(rng.integers(0, days, n)))


def _pick(rng: np.random.Generator, words: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(words).gather(rng.integers(0, len(words), n))


def _dynamics(rng: np.random.Generator, program: Program, year: int, n: int) -> pl.DataFrame:
    picked = {"unit": _pick(rng, UNITS, n), "area": _pick(rng, program.areas, n), "topic": _pick(rng, TOPICS, n)}
    frame = pl.DataFrame(picked)
    summary = pl.concat_str("unit", pl.lit("围绕"), "topic", pl.lit("，细化任务清单，明确责任分工和时间节点。"))
    # the serial in the title keeps every planted row distinct, so only planted copies are duplicates
    title = pl.concat_str("unit", "topic", pl.lit("工作进展第"), pl.int_range(1, n + 1).cast(pl.String), pl.lit("号"))
    return frame.select(
        _days(rng, year, n).alias("_day"),
        "unit",
        "area",
        title.alias("title"),
        pl.Series(np.where(rng.random(n) < 0.1, "信息", "动态")).alias("kind"),
        # one row in fifty needs CSV quoting, as a pasted summary would
        pl.when(pl.int_range(n) % 50 == 0).then(summary + pl.lit('"共富工坊", 成效明显')).otherwise(summary).alias("summary"),
    )


def _media(rng: np.random.Generator, program: Program, year: int, n: int) -> pl.DataFrame:
    outlet = rng.integers(0, len(OUTLETS), n)
    theme = pl.concat_str(pl.lit("共同富裕宣传第"), pl.int_range(1, n + 1).cast(pl.String), pl.lit("期"))
    return pl.DataFrame(
        {
            "outlet": pl.Series([name for name, _ in OUTLETS]).gather(outlet),
            "level": pl.Series([level for _, level in OUTLETS]).gather(outlet),
            "count": pl.Series(rng.integers(0, 6, n)).cast(pl.String),
        }
    ).select(_days(rng, year, n).alias("_day"), "outlet", "level", "count", theme.alias("theme"))


def _into_files(frame: pl.DataFrame, files: int) -> pl.DataFrame:
    """Weekly submissions: rows in date order, cut into `files` consecutive chunks."""
    chunk = (pl.int_range(pl.len()) * files // pl.len()).alias("_file")
    return frame.sort("_day", maintain_order=True).with_columns(chunk)


def _break_rows(
    rng: np.random.Generator, frame: pl.DataFrame, table: str, n_bad: int, year: int
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Make n_bad random rows break one rule each, cycling through the table's faults."""
    faults = (*FAULTS[table], *DATE_FAULTS, "too_many_cells")
    code = np.full(frame.height, len(faults))
    code[rng.choice(frame.height, n_bad, replace=False)] = np.arange(n_bad) % len(faults)
    frame = frame.with_columns(pl.Series([*faults, None], dtype=pl.String).gather(code).alias("_fault"))
    fault = pl.col("_fault").eq_missing
    swaps = FAULTS[table].items()
    frame = frame.with_columns(
        [pl.when(fault(name)).then(pl.lit(bad)).otherwise(column).alias(column) for name, (column, bad) in swaps]
    ).with_columns(
        pl.when(fault("outside_year")).then(pl.lit(dt.date(year - 1, 12, 31))).otherwise("_day").alias("_day"),
        pl.when(fault("not_a_date")).then(pl.lit(f"{year}-02-30")).alias("_date_text"),
        fault("too_many_cells").alias("_extra"),
    )
    return frame, dict(zip(faults, map(int, np.bincount(code, minlength=len(faults) + 1)), strict=False))


def _add_duplicates(rng: np.random.Generator, frame: pl.DataFrame, n_dup: int, files: int) -> pl.DataFrame:
    """Append copies of n_dup good rows to the end of the next file (or of the last file)."""
    good = np.flatnonzero(frame.get_column("_fault").is_null().to_numpy())
    key = "title" if "title" in frame.columns else "outlet"
    copies = frame[np.sort(rng.choice(good, n_dup, replace=False))].with_columns(
        pl.min_horizontal(pl.col("_file") + 1, pl.lit(files - 1)).alias("_file"),
        # every other copy differs only in what normalisation removes (a full-width space)
        pl.when(pl.int_range(pl.len()) % 2 == 0).then(pl.col(key) + pl.lit("\u3000")).otherwise(key).alias(key),
    )
    both = [frame.with_columns(pl.lit(False).alias("_copy")), copies.with_columns(pl.lit(True).alias("_copy"))]
    return pl.concat(both).sort("_file", "_copy", maintain_order=True)


def _write_files(folder: Path, columns: list[str], frame: pl.DataFrame, mixed: bool) -> dict[str, str]:
    """Write each chunk as a file; file name -> format."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = DYNAMICS if folder.name == "dynamics" else MEDIA
    names = {}
    for index, part in enumerate(frame.partition_by("_file", maintain_order=True, include_key=False)):
        fmt = MIXED_FORMATS[index % len(MIXED_FORMATS)] if mixed else "utf-8"
        # every fourth office writes English headers; the others cycle through the Chinese aliases
        chinese = [spec.column(c).chinese[index % len(spec.column(c).chinese)] for c in columns]
        header = columns if index % 4 == 3 else chinese
        name = f"part-{index:04d}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        if fmt == "xlsx":
            _write_xlsx(folder / name, header, columns, part)
        else:
            _write_csv(folder / name, header, columns, part, STRFTIME[index % len(STRFTIME)], fmt)
        names[name] = fmt
    return names


def _write_csv(path: Path, header: list[str], columns: list[str], part: pl.DataFrame, fmt: str, encoding: str) -> None:
    date = pl.coalesce("_date_text", pl.col("_day").dt.strftime(fmt))
    cells = [date if c == "date" else pl.col(c) for c in columns]
    quoted = [pl.when(e.str.contains('[",\n]')).then('"' + e.str.replace_all('"', '""') + '"').otherwise(e)
              for e in cells]
    extra = pl.when("_extra").then(pl.lit(",多余")).otherwise(pl.lit(""))
    line = pl.concat_str([q.fill_null("") for q in quoted], separator=",") + extra
    # Excel on Windows ends lines with CRLF; plain UTF-8 files come from scripts and use LF
    newline = "\n" if encoding == "utf-8" else "\r\n"
    body = part.select(line).write_csv(include_header=False, quote_style="never", line_terminator=newline)
    path.write_bytes((",".join(header) + newline + body).encode(encoding))


def _write_xlsx(path: Path, header: list[str], columns: list[str], part: pl.DataFrame) -> None:
    """Dates as real date cells and counts as numbers, as Excel keeps them; openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(header)
    count = columns.index("count") if "count" in columns else None
    for *cells, day, text, extra in part.select(*columns[1:], "_day", "_date_text", "_extra").iter_rows():
        cells.insert(0, text if text is not None else day)
        if count is not None and cells[count] is not None and cells[count].isdigit():
            cells[count] = int(cells[count])
        sheet.append([*cells, "多余"] if extra else cells)
    book.properties.created = book.properties.modified = FIXED_STAMP
    with FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()


def _small_tables(year_dir: Path, year: int, program: Program) -> dict[str, Planted]:
    """meetings, tasks and achievements: a few valid rows each, as the reference has."""
    areas, reforms = program.areas, program.reform_areas
    tables = {
        "meetings": (["日期", "会议名称", "类型"], [[f"{year}-{m:02d}-15", f"专题例会（{m}月）", "专题例会"] for m in range(1, 13, 2)]),
        "tasks": (
            ["编号", "类型", "领域", "名称", "牵头单位", "状态"],
            [[f"Z{i}", "重点工作", areas[i % len(areas)], f"重点工作{i}", "区委社建委", "推进中"] for i in range(1, 65)]
            + [[f"G{i}", "重大改革", reforms[i % len(reforms)], f"重大改革{i}", "区发改经信局", "已完成"] for i in range(1, 45)],
        ),
        "achievements": (
            ["日期", "名称", "类型", "级别", "单位", "领域"],
            [[f"{year}-{m:02d}-20", f"标志性成果{m}", "标志性成果", "省级", "区委社建委", ""] for m in range(1, 11)],
        ),
    }
    planted = {}
    for name, (header, rows) in tables.items():
        (year_dir / f"{name}.csv").write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
        planted[name] = Planted(len(rows), {}, 0, (f"{year}/{name}.csv",), ("utf-8",))
    return planted
