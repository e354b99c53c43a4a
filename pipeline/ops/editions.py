"""Publishing a bundle as a dated, numbered edition: refused when the bundle cannot be trusted
(a blocking check failed, anything the build reads changed, rows were rejected, a file is not
what its manifest records), copied from one whole bundle under the lock the bundle swap takes,
staged in the editions folder and renamed into place whole, never overwriting an edition."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipeline.contract import TABLES
from pipeline.defs.assets import ASSETS, DISTRICT_ASSETS
from pipeline.defs.checks import blocking_checks, latest_check_outcomes
from pipeline.defs.rollup import year_districts
from pipeline.defs.scope import partition_key
from pipeline.intake.districts import is_rollup
from pipeline.locks import exclusive
from pipeline.ops.build import stale_reasons
from pipeline.report.bundle import BUNDLE_FILES, missing_bundle_files, year_lock
from pipeline.report.integrity import MANIFEST, DamagedBundle, read_object, verify

EDITIONS = "editions"
STAGING_PREFIX = ".publishing-"  # an edition being copied; renamed to its number once whole
_EDITION_NAME = re.compile(r"^\d{4}-\d\d-\d\d-\d+$")
# what a stale asset is to an office, beside its name (the input tables by their Chinese names)
_ASSET_NAMES = {spec.name: spec.chinese for spec in TABLES.values()} | {
    "report_period": "截至日期", "dynamics_weekly": "周度动态统计", "media_monthly": "月度媒体统计",
    "figures": "统计数字", "progress_report": "报告（模板、生成设置或报告文件）", "rollup_report": "汇总报告",
}


class PublishRefused(Exception):
    """The bundle may not be published; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class Published:
    edition: Path
    figures: dict
    notes: list[str] = field(default_factory=list)  # leftovers cleaned up, damaged editions found


def failed_blocking_checks(instance: dg.DagsterInstance, checks: list[dg.AssetCheckKey], partition: str | int) -> list[str]:
    """Blocking checks whose latest evaluation in a run of this partition did not pass."""
    return [
        f"{key.asset_key.to_user_string()}:{key.name}（运行 {run_id}）"
        for key, (passed, run_id) in latest_check_outcomes(instance, checks, partition).items()
        if not passed
    ]


def _failed_checks(instance: dg.DagsterInstance, raw_dir: Path, year: int, district: str | None) -> list[str]:
    """The year's failed blocking checks; a roll-up is published on the strength of every district's."""
    if district is None and not is_rollup(raw_dir):
        return failed_blocking_checks(instance, blocking_checks(ASSETS), year)
    names = [district] if district else year_districts(raw_dir, year)
    return [f"{name}：{text}" for name in names
            for text in failed_blocking_checks(instance, blocking_checks(DISTRICT_ASSETS), partition_key(year, name))]


def _label(asset: str) -> str:
    """`余杭区/district/media` as an office reads it: 余杭区：媒体宣传（district/media）."""
    where, _, key = asset.partition("/") if asset.count("/") == 2 else ("", "", asset)
    name = key.rsplit("/", 1)[-1]
    return f"{where + '：' if where else ''}{_ASSET_NAMES.get(name, name)}（{key}）"


def _stale_message(stale: dict[str, str]) -> str:
    """What changed: the assets that must re-run themselves, not those that only follow them."""
    changed = [name for name, why in stale.items() if not why.endswith(" re-runs")] or list(stale)
    return f"报告已过期：生成后，报告所依据的内容有改动（{'、'.join(map(_label, changed))}），请先运行 build"


def publish(
    instance: dg.DagsterInstance, raw_dir: Path, output_dir: Path, year: int,
    warehouse: str | None = None, district: str | None = None, accept_rejects: bool = False,
) -> Published:
    """Publish the year's bundle (a district's, with `district`, in a roll-up folder) as
    <bundle>/editions/<as-of>-<n>/, or raise PublishRefused saying why not."""
    failed = _failed_checks(instance, raw_dir, year, district)
    if failed:
        raise PublishRefused(f"最近一次生成中有阻断性校验未通过：{'；'.join(failed)}；请修正后重新运行 build")

    def publishable(figures: dict) -> None:
        stale = stale_reasons(instance, raw_dir, output_dir, year, warehouse, district)
        if stale:
            raise PublishRefused(_stale_message(stale))
        rows, files = figures.get("rows_rejected", 0), figures.get("unreadable_files", 0)
        if (rows or files) and not accept_rejects:
            raise PublishRefused(f"输入数据中有{rows}行被退回、{files}个文件无法读取（见 check）；"
                                 "请修正，或加 --accept-rejects 发布")

    folder = output_dir / district if district else output_dir
    return copy_into_edition(folder, year, raw_dir, publishable)


def copy_into_edition(
    output_dir: Path, year: int, raw_dir: Path, publishable: Callable[[dict], None] = lambda figures: None
) -> Published:
    """Under the lock the bundle swap takes: check <output>/<year> against its manifest, ask
    `publishable` (which raises PublishRefused), tidy what a killed publish left, then copy the
    bundle into a staging folder inside editions/, check the copy and rename it into place."""
    bundle = output_dir / str(year)
    if not output_dir.is_dir():  # nothing built: refused before the lock's file is made
        raise PublishRefused(f"{bundle} 没有报告，请先运行 build")
    with exclusive(year_lock(output_dir, year), f"正在等待 {bundle} 的报告生成完成……"):
        # asked under the lock: a swap renames the old bundle away before it renames the new one in
        if not bundle.is_dir():
            raise PublishRefused(f"{bundle} 没有报告，请先运行 build")
        editions = _editions_folder(bundle, raw_dir)
        missing = missing_bundle_files(bundle)
        if missing:
            raise PublishRefused(f"{bundle} 没有完整的报告（缺少 {'、'.join(missing)}），请先运行 build")
        try:
            verify(bundle)
            figures = read_object(bundle / "figures.json")
        except DamagedBundle as exc:
            # build plans from the manifest, which is intact: only --force makes it write the files again
            raise PublishRefused(f"报告文件与其清单不符：{exc}；报告生成后被改动，请运行 build --force 重新生成") from None
        publishable(figures)
        notes = _tidy(editions)
        return Published(_write_edition(bundle, editions, _as_of(figures)), figures, notes)


def _editions_folder(bundle: Path, raw_dir: Path) -> Path:
    """bundle/editions, refused when it (through any link) is or holds the raw folder or lies in it."""
    editions = bundle / EDITIONS
    resolved, raw = editions.resolve(), raw_dir.resolve()
    if resolved == raw or raw in resolved.parents or resolved in raw.parents:
        raise PublishRefused(f"版本文件夹 {editions} 实际位于 {resolved}，与原始数据文件夹 {raw} 相互包含；"
                             "发布不会写入原始数据文件夹")
    if editions.exists() and not editions.is_dir():
        raise PublishRefused(f"{editions} 不是文件夹")
    return editions


def _as_of(figures: dict) -> str:
    try:
        return dt.date.fromisoformat(str(figures.get("as_of"))).isoformat()
    except ValueError:
        raise PublishRefused(f"figures.json 的截至日期“{figures.get('as_of')}”不是日期；请运行 build --force 重新生成") from None


def _tidy(editions: Path) -> list[str]:
    """Remove what a killed publish left (it is never an edition) and name every edition that
    is incomplete or no longer what its manifest records (left by an earlier version, or changed)."""
    if not editions.is_dir():
        return []
    notes = []
    for leftover in sorted(editions.glob(f"{STAGING_PREFIX}*")):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
        notes.append(f"已清理一次中断的发布留下的未完成副本：{leftover}")
    for edition in sorted(p for p in editions.iterdir() if _EDITION_NAME.match(p.name)):
        try:
            verify(edition, require_digests=False)
        except DamagedBundle as exc:
            notes.append(f"警告：已发布的版本 {edition.name} 不完整或已改动：{exc}")
    return notes


def _write_edition(bundle: Path, editions: Path, as_of: str) -> Path:
    """Copy the bundle (manifest last) into editions/.publishing-*, make it durable, check it
    against the manifest, and rename it to the first free <as-of>-<n>."""
    editions.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=editions))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; an edition is readable like the bundle
        for name in sorted(BUNDLE_FILES, key=lambda n: n == MANIFEST):
            shutil.copy2(bundle / name, staging / name)
            _fsync(staging / name)
        try:
            verify(staging)
        except DamagedBundle as exc:
            raise PublishRefused(f"复制出的版本与清单不符，未发布：{exc}") from None
        _fsync(staging)
        number = 1 + sum(1 for p in editions.glob(f"{as_of}-*") if _EDITION_NAME.match(p.name))
        while os.path.lexists(editions / f"{as_of}-{number}"):
            number += 1
        target = editions / f"{as_of}-{number}"
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync(editions)
    return target


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk: a power cut after the rename leaves whole files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
