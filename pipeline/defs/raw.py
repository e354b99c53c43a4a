"""Group "raw": each year's raw folder as an observable source asset, and the condition under
which everything downstream of it rebuilds.

A year's data version is a fingerprint of its files' SHA-256 and of program.yaml. The
raw-folder sensor (automation.py) records a new version as an observation whenever a file is
added, changed or removed; that is no run, only an event. Dagster's automation sensor then
rebuilds the years whose version moved (`REBUILD`), and the UI shows per asset and year which
part of the condition started it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import dagster as dg

from pipeline.contract import PROGRAM_FILE
from pipeline.defs.partitions import DISTRICT_YEARS, YEARS
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.scope import DISTRICT, Scope, partition_key
from pipeline.defs.currency import fingerprint
from pipeline.intake.districts import district_folders, is_rollup
from pipeline.intake.inventory import Entry, year_files, year_folders
from pipeline.paths import why_not_opened

RAW_FOLDER = dg.AssetKey("raw_folder")
DISTRICT_RAW_FOLDER = DISTRICT.key("raw_folder")
# The tag an observation carries its data version in; Dagster's own HTTP endpoint
# report_asset_observation sets the same tag from its `data_version` field.
DATA_VERSION_TAG = "dagster/data_version"

_ = dg.AutomationCondition
# Eager for any year, not only the latest time window: offices resubmit last year's files
# until its report is published. A year never built is built on the automation sensor's
# first tick too (eager's "handled" without the initial evaluation), once its raw_folder has
# been observed: a year without a folder has no observation, so its assets wait.
NEW_RAW_DATA = (
    _.eager()
    .without(_.in_latest_time_window())
    .replace("handled", (_.newly_requested() | _.newly_updated()).with_label("handled"))
)
REBUILD = (NEW_RAW_DATA | _.on_cron("0 2 * * *", "Asia/Shanghai")).with_label(
    "new raw data, or nightly at 02:00 Asia/Shanghai"
)


def raw_file_hashes(
    raw_dir: Path, previous: dict[str, list] | None = None, years: list[int] | None = None,
    districts: list[str] | None = None,
) -> dict[str, list]:
    """name -> [size, mtime_ns, sha256] of program.yaml and every entry of a year folder's
    inventory (or the given years'), in a roll-up folder those of every district folder (or the
    given districts'); a file is re-hashed only when its size or mtime moved since `previous`.
    What is not opened (a FIFO, a link leaving the raw folder, a folder named once) has no hash:
    its name alone is part of the version."""
    previous = previous or {}
    rollup = is_rollup(raw_dir)
    folders = [raw_dir / d for d in (district_folders(raw_dir) if districts is None else districts)] if rollup else [raw_dir]
    # program.yaml and an office's report template (*.qmd) beside it serve every year
    entries = [Entry(p, None) for folder in ([raw_dir, *folders] if rollup else folders) for p in _shared_files(folder)]
    for folder in folders:
        for year in year_folders(folder) if years is None else years:
            if (folder / str(year)).is_dir():
                found = year_files(folder / str(year))
                entries += [Entry(p, None) for paths in found.tables.values() for p in paths] + found.not_read
    hashes: dict[str, list] = {}
    for entry in entries:
        name = entry.name(raw_dir)
        if not entry.opened or entry.folder:
            hashes[name] = [0, 0, None]
            continue
        stat = entry.path.stat()
        old = previous.get(name)
        same_stat = old is not None and old[:2] == [stat.st_size, stat.st_mtime_ns]
        hashes[name] = [stat.st_size, stat.st_mtime_ns, old[2] if same_stat else entry.sha256()]
    return hashes


def _shared_files(folder: Path) -> list[Path]:
    return [p for p in (folder / PROGRAM_FILE, *sorted(folder.glob("*.qmd")))
            if why_not_opened(p, folder) is None and p.is_file()]


def year_versions(hashes: dict[str, list]) -> dict[str, str]:
    """Partition (a year, or a district's year as a MultiPartitionKey) -> data version: its
    files' names and SHA-256, and those of the program.yaml and report template that it reads
    (the district's and the roll-up's). A year folder outside the partitions (before 2020, a
    future year) has none."""
    years = set(YEARS.get_partition_keys())
    shared: dict[str, str] = {}
    own: dict[str, dict[str, str]] = {}
    found: dict[str, dict[str, str]] = {}
    for name, entry in hashes.items():
        first, *rest = name.rstrip("/").split("/")
        if not rest:
            shared[name] = entry[2]
        elif first in years:
            found.setdefault(first, {})[name.partition("/")[2]] = entry[2]
        elif len(rest) > 1 and rest[0] in years:
            key = partition_key(int(rest[0]), first)
            found.setdefault(key, {})["/".join(rest[1:])] = entry[2]
        else:
            own.setdefault(first, {})["/".join(rest)] = entry[2]
    return {
        key: fingerprint(shared, files) if not isinstance(key, dg.MultiPartitionKey)
        else fingerprint(shared, own.get(key.keys_by_dimension["district"], {}), files)
        for key, files in sorted(found.items())
    }


def raw_observation(partition: str, version: str) -> dg.AssetObservation:
    key = DISTRICT_RAW_FOLDER if isinstance(partition, dg.MultiPartitionKey) else RAW_FOLDER
    return dg.AssetObservation(key, partition=partition, tags={DATA_VERSION_TAG: version})


def observe_partition(instance: dg.DagsterInstance, scope: Scope) -> None:
    """Record the partition's raw data version before a build reads it, so the automation sensor
    does not rebuild what a CLI build has just built."""
    districts = None if scope.district is None else [scope.district]
    version = year_versions(raw_file_hashes(scope.root, years=[scope.year], districts=districts)).get(scope.partition)
    if version is not None:
        instance.report_runless_asset_event(raw_observation(scope.partition, version))


def _versions(project: ProjectPaths, districts: bool) -> dg.DataVersionsByPartition:
    versions = year_versions(raw_file_hashes(project.raw_path))
    return dg.DataVersionsByPartition(
        {key: dg.DataVersion(v) for key, v in versions.items() if isinstance(key, dg.MultiPartitionKey) == districts}
    )


def _observe_raw_folder(project: ProjectPaths) -> dg.DataVersionsByPartition:
    return _versions(project, districts=False)


def _observe_district_raw_folder(project: ProjectPaths) -> dg.DataVersionsByPartition:
    return _versions(project, districts=True)


# observable_source_asset is a beta API: we use it knowingly, and its warning is no news to an office
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.BetaWarning)
    raw_folder = dg.observable_source_asset(
        key=RAW_FOLDER,
        partitions_def=YEARS,
        group_name="raw",
        description="A year's folder of raw submissions (and program.yaml). Data version: a fingerprint "
        "of its files' SHA-256. Observed by raw_folder_sensor; 'Observe' in the UI does the same.",
    )(_observe_raw_folder)
    district_raw_folder = dg.observable_source_asset(
        key=DISTRICT_RAW_FOLDER,
        partitions_def=DISTRICT_YEARS,
        group_name="district_raw",
        description="A district's year folder in a roll-up raw folder (and the district's and the "
        "roll-up's program.yaml). Data version: a fingerprint of its files' SHA-256.",
    )(_observe_district_raw_folder)
