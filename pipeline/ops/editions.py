"""Publishing a bundle as a dated, numbered edition that is never overwritten, and
comparing two editions by figures and report paragraphs."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.contract import TABLES
from pipeline.defs.checks import latest_check_outcomes
from pipeline.intake.districts import district_folders, is_rollup
from pipeline.intake.inventory import current_files
from pipeline.report.bundle import BUNDLE_FILES, missing_bundle_files

EDITIONS = "editions"


class PublishRefused(Exception):
    """The bundle may not be published; the message says why and what to do."""


@dataclass(frozen=True)
class Published:
    edition: Path
    figures: dict


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _current_inputs(raw_dir: Path, year: int) -> dict[str, str | None]:
    """name -> SHA-256 of every input file of the year, as a bundle's manifest names them (in a
    roll-up folder, every district's, named from the roll-up folder)."""
    if not is_rollup(raw_dir):
        return dict(pair for spec in TABLES.values() for pair in current_files(raw_dir, year, spec))
    return {f"{district}/{name}": sha for district in district_folders(raw_dir) if (raw_dir / district / str(year)).is_dir()
            for name, sha in _current_inputs(raw_dir / district, year).items()}


def _stale_inputs(bundle: Path, raw_dir: Path, year: int) -> list[str]:
    built = {entry["file"]: entry["sha256"] for entry in _read_json(bundle / "manifest.json")["inputs"]}
    now = _current_inputs(raw_dir, year)
    return sorted(name for name in built.keys() | now.keys() if built.get(name) != now.get(name))


def failed_blocking_checks(instance: dg.DagsterInstance, checks: list[dg.AssetCheckKey], year: int) -> list[str]:
    """Blocking checks whose latest evaluation in a run of this year did not pass."""
    return [
        f"{key.asset_key.to_user_string()}:{key.name} (run {run_id})"
        for key, (passed, run_id) in latest_check_outcomes(instance, checks, year).items()
        if not passed
    ]


def publish(
    bundle: Path, raw_dir: Path, year: int, failed_checks: list[str], accept_rejects: bool = False
) -> Published:
    """Copy the current bundle into <bundle>/editions/<as-of>-<n>/; refuse when it may not be trusted."""
    missing = missing_bundle_files(bundle)
    if missing:
        raise PublishRefused(f"no complete bundle at {bundle} (missing {', '.join(missing)}); run build first")
    if failed_checks:
        raise PublishRefused("blocking checks failed in the latest build: " + "; ".join(failed_checks))
    stale = _stale_inputs(bundle, raw_dir, year)
    if stale:
        raise PublishRefused(f"the bundle is out of date: {len(stale)} input file(s) changed since it was built "
                             f"({', '.join(stale[:5])}); run build first")
    figures = _read_json(bundle / "figures.json")
    rejected = figures.get("rows_rejected", 0) + figures.get("unreadable_files", 0)
    if rejected and not accept_rejects:
        raise PublishRefused(
            f"the inputs have {figures.get('rows_rejected', 0)} rejected rows and {figures.get('unreadable_files', 0)} "
            "unreadable files (see `check`); fix them or publish with --accept-rejects"
        )
    editions = bundle / EDITIONS
    editions.mkdir(exist_ok=True)
    number = 1 + sum(1 for p in editions.glob(f"{figures['as_of']}-*") if p.is_dir())
    while True:
        target = editions / f"{figures['as_of']}-{number}"
        try:
            target.mkdir()  # fails if it exists: an edition is never overwritten
            break
        except FileExistsError:
            number += 1
    for name in BUNDLE_FILES:
        shutil.copy2(bundle / name, target / name)
    return Published(target, figures)
