"""The report bundle on disk: figures.json, manifest.json, and the atomic swap that puts a
fully built <output>/<year>/ in place of the previous one."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.intake.places import file_of
from pipeline.locks import exclusive
from pipeline.report.render import RenderResult, pandoc_version

KEPT_FOLDERS = ("editions", "notices")  # published editions and the weekly notices live on across rebuilds
PACKAGES = ("dagster", "dagster-duckdb", "duckdb", "polars", "matplotlib", "jinja2", "pypandoc-binary", "typst")


def write_json(path: Path, data: Any) -> None:
    """JSON as the bundle writes it: sorted keys, UTF-8 Chinese, indent 2, trailing newline."""
    path.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def source_date_epoch(as_of: dt.date) -> str:
    """The as-of date as SOURCE_DATE_EPOCH (midnight UTC): tools stamp it instead of the clock."""
    return str(int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp()))


def git_state(project_dir: Path) -> dict[str, Any]:
    """The code version: HEAD's commit and whether the work tree differs, else "unknown"."""

    def _git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(project_dir), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit, "dirty": bool(_git("status", "--porcelain", "--untracked-files=no"))}


def package_versions(result: RenderResult) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    found["pandoc"] = pandoc_version()
    if result.renderer == "quarto":
        found["quarto"] = result.version
    return found


def manifest(
    year: int, as_of: dt.date, program_name: str, sources: pl.DataFrame, result: RenderResult, project_dir: Path
) -> dict[str, Any]:
    """What the bundle was built from. No timestamps: the same inputs give the same file."""
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "program": program_name,
        "inputs": _inputs(sources),
        "code": git_state(project_dir),
        "packages": package_versions(result),
        "renderer": {
            "name": result.renderer,
            "version": result.version,
            "html": result.html_tool,
            "pdf": result.pdf_tool,
            "docx": result.docx_tool,
            # GB/T 9704's 仿宋/小标宋/黑体/楷体, or the Noto face that stood in for one not installed
            "pdf_fonts": dict(result.pdf_fonts),
        },
    }


def _inputs(sources: pl.DataFrame) -> list[dict[str, Any]]:
    """One entry per input file, its sheets after the first inside it (`sources` names a sheet's
    place in `file`, its sheet in `sheet`: pipeline.intake.places)."""
    inputs: dict[str, dict[str, Any]] = {}
    columns = ("file", "sheet", "dataset", "sha256", "encoding", "rows_read", "error")
    for row in sources.sort("file").select(columns).to_dicts():
        sheet = row.pop("sheet")
        name = file_of(row["file"], sheet)
        if sheet is None:
            inputs[name] = row
            continue
        entry = inputs.setdefault(name, row | {"file": name, "rows_read": 0, "error": None})
        entry["rows_read"] += row["rows_read"]
        entry.setdefault("sheets", []).append({"sheet": sheet, "rows_read": row["rows_read"], "error": row["error"]})
    return [inputs[name] for name in sorted(inputs)]


def year_lock(output_dir: Path, year: int) -> Path:
    """The lock that the swap of <output>/<year> and `publish` both hold: beside the year folder
    (which the swap renames), so a publish copies one whole bundle, never half of two."""
    return output_dir / f".{year}.lock"


@contextmanager
def staged_year_folder(output_dir: Path, year: int | str) -> Iterator[Path]:
    """A fresh folder beside <output>/<year>, swapped into place if the block succeeds.

    If the block raises, the folder is deleted and the previous bundle is left as it was.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(year_lock(output_dir, year)):
        recover_killed_swap(output_dir, year)
    staging = Path(tempfile.mkdtemp(prefix=f"{year}.tmp-", dir=output_dir))
    staging.chmod(0o755)  # mkdtemp makes it private; the published folder is readable like any other
    try:
        yield staging
        with exclusive(year_lock(output_dir, year)):
            swap_into_place(staging, output_dir / str(year))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def recover_killed_swap(output_dir: Path, year: int | str) -> None:
    """Tidy what a build killed mid-way left: its staging folders go; a previous bundle moved
    aside (killed between the two renames of a swap) is put back."""
    for staging in output_dir.glob(f"{year}.tmp-*"):
        shutil.rmtree(staging, ignore_errors=True)
    target = output_dir / str(year)
    for backup in sorted(output_dir.glob(f"{year}.old-*")):
        if not target.exists():
            backup.rename(target)
        else:
            shutil.rmtree(backup, ignore_errors=True)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames only, keeping target's KEPT_FOLDERS.

    Each step is a rename on one file system; on failure the old folder is put back.
    """
    if not target.exists():
        staging.rename(target)
        return
    backup = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
    backup.rmdir()
    target.rename(backup)
    moved: list[str] = []
    try:
        for name in KEPT_FOLDERS:
            if (backup / name).is_dir() and not (staging / name).exists():
                (backup / name).rename(staging / name)
                moved.append(name)
        staging.rename(target)
    except OSError:
        for name in moved:
            (staging / name).rename(backup / name)
        backup.rename(target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


BUNDLE_FILES = ("progress-report.html", "progress-report.pdf", "progress-report.docx", "figures.json", "manifest.json")
HEADLINE = {"dynamics_total": "工作动态", "info_total": "信息", "media_articles_total": "媒体稿件（篇）",
            "meetings_total": "会议", "key_tasks_total": "重点工作", "reforms_total": "重大改革", "landmarks_total": "标志性成果"}


def missing_bundle_files(bundle: Path) -> list[str]:
    return [name for name in BUNDLE_FILES if not (bundle / name).is_file()]


def bundle_complete(bundle: Path) -> bool:
    return not missing_bundle_files(bundle)


def bundle_summary(bundle: Path, how: str) -> str:
    """What `build` prints: where the bundle is, how it came about, and its headline figures."""
    figures = json.loads((bundle / "figures.json").read_text(encoding="utf-8"))
    lines = [f"报告 {bundle}（截至 {figures['as_of']}；{how}）"]
    lines += [f"  {label} {key}: {figures[key]}" for key, label in HEADLINE.items()]
    lines += [f"  退回行：{figures['rows_rejected']}，无法读取的文件：{figures['unreadable_files']}"]
    return "\n".join(lines)
