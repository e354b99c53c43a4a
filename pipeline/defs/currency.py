"""What an asset records about its inputs (fingerprints, settings asked for), and which assets of
a partition are not current, from Dagster's own materialisation records and what is on disk: an
asset is stale when its inputs, settings or code version changed since its latest
materialisation, when an upstream asset was materialised after it (by any run: the CLI, the UI,
a sensor), and when anything upstream of it is stale.

The assets record these fingerprints and the roll-up asset asks `stale_assets` of each
district, so this lives in defs/; the command line's planning around it is ops/plan.py.
The report's recorded fingerprint includes the SHA-256 of the manifest it wrote, so a bundle
that was replaced, built by another run with other settings, or deleted is never taken for
current.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.contract import TABLES, Program, TableSpec
from pipeline.defs.resources import warehouse_resource
from pipeline.defs.scope import Scope
from pipeline.intake.inventory import current_files, year_files
from pipeline.paths import file_sha256
from pipeline.report.bundle import bundle_complete

INPUT_FINGERPRINT = "input_fingerprint"
CODE_VERSION_TAG = "dagster/code_version"
DATA_VERSION_TAG = "dagster/data_version"
# The settings a build asked for, recorded beside their fingerprints so `publish` can plan with
# them: report_period's as-of ("" for the latest input date), the report's renderer.
AS_OF_REQUESTED = "as_of_requested"
RENDERER_REQUESTED = "renderer_requested"


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()[:16]


def ingest_fingerprint(spec: TableSpec, files: list[tuple[str, str]], program: Program, warehouse: str) -> str:
    """What an ingest asset's result depends on: its files (name, SHA-256), the vocabulary, the warehouse."""
    return fingerprint(spec.name, [list(f) for f in files], program.as_dict(), warehouse)


def period_fingerprint(as_of_requested: str) -> str:
    return fingerprint("report_period", as_of_requested)


def report_fingerprint(bundle_dir: Path, renderer: str, template: Path) -> str:
    """The report depends on where its bundle goes, the renderer asked for, the template (its
    SHA-256: the built-in one or the office's), and the bundle on disk being complete and the
    one it wrote (its manifest's SHA-256)."""
    manifest = file_sha256(bundle_dir / "manifest.json") if bundle_complete(bundle_dir) else None
    return fingerprint("progress_report", str(bundle_dir), renderer, file_sha256(template), manifest)


Latest = dict[tuple[dg.AssetKey, str], dg.EventLogRecord]


def latest_materializations(
    instance: dg.DagsterInstance, assets: list[dg.AssetsDefinition], partitions: list[str]
) -> Latest:
    """The latest materialisation of each asset in each partition: two queries per asset, however
    many partitions (a roll-up plans every district's year at once)."""
    found: Latest = {}
    for key in (key for assets_def in assets for key in assets_def.keys):
        ids = instance.get_latest_storage_id_by_partition(
            key, dg.DagsterEventType.ASSET_MATERIALIZATION, {str(p) for p in partitions}
        )
        if ids:
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=key, storage_ids=list(ids.values())), limit=len(ids)
            ).records
            found |= {(key, record.partition_key): record for record in records}
    return found


def metadata_value(materialization: dg.AssetMaterialization, name: str) -> object:
    entry = materialization.metadata.get(name)
    return getattr(entry, "value", entry)


WAREHOUSE_STAT = "warehouse_file"


def warehouse_stat(warehouse: str) -> str:
    """The warehouse file's size and modification time, as the report records them."""
    try:
        stat = Path(warehouse).stat()
    except OSError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _warehouse_unchanged(warehouse: str, report: dg.EventLogRecord | None) -> bool:
    """Whether the warehouse file is as the year's report left it (nothing wrote it since): then
    it holds the figures the report was built from, and need not be opened (a roll-up's no-op
    build asks this of every district)."""
    recorded = metadata_value(report.asset_materialization, WAREHOUSE_STAT) if report else None
    return bool(recorded) and recorded == warehouse_stat(warehouse)


def _warehouse_has_figures(warehouse: str, year: int) -> bool:
    """Whether the year's figures are in the warehouse (Dagster's records may say they were
    written to a warehouse since restored, replaced or emptied). A warehouse another process
    is writing cannot be asked; it is taken to hold them, as the records say."""
    try:
        # through the resource, so this process's later connections find the same configuration
        with warehouse_resource(warehouse).get_connection() as conn:
            return bool(conn.execute("select count(*) from figures where year = $year", {"year": year}).fetchall()[0][0])
    except duckdb.CatalogException:
        return False  # no figures table at all
    except duckdb.Error:
        return True


def stale_assets(
    instance: dg.DagsterInstance,
    assets: list[dg.AssetsDefinition],
    scope: Scope,
    settings: dict[str, str],
    latest_found: Latest | None = None,
) -> dict[str, str]:
    """Asset -> why it must run, for one partition (a year, or a district's year).

    `settings` are the values a downstream asset records as its `input_fingerprint`
    metadata beyond its code version (e.g. {"report_period": <as-of asked for>}).
    `latest_found`: the latest materialisations, when already fetched for many partitions.
    """
    if latest_found is None:
        latest_found = latest_materializations(instance, assets, [scope.partition])
    program, year, raw_dir, warehouse = scope.program(), scope.year, scope.raw_path, scope.database
    reasons: dict[str, str] = {}
    if not Path(warehouse).exists():
        return {key.to_user_string(): "数据仓库不存在" for a in assets for key in a.keys}
    found = year_files(raw_dir / str(year))
    upstream: dict[str, list[str]] = {}
    latest: dict[str, dg.EventLogRecord | None] = {}
    # a name as the asset is called in either graph ("figures" for "district/figures")
    short: dict[str, str] = {}
    for assets_def in assets:
        for key in assets_def.keys:
            name = key.to_user_string()
            short[name] = key.path[-1]
            upstream[name] = sorted(dep.to_user_string() for dep in assets_def.asset_deps[key])
            record = latest[name] = latest_found.get((key, str(scope.partition)))
            last = record.asset_materialization if record else None
            if short[name] in TABLES:
                spec = TABLES[short[name]]
                expected = ingest_fingerprint(spec, current_files(raw_dir, year, spec, found), program, warehouse)
            else:
                expected = settings.get(short[name])
            if last is None:
                reasons[name] = "该年从未生成"
            elif last.tags.get(CODE_VERSION_TAG) not in (None, assets_def.code_versions_by_key.get(key)):
                reasons[name] = "代码版本已改变"
            elif expected is not None and metadata_value(last, INPUT_FINGERPRINT) != expected:
                reasons[name] = "输入或设置已改变"
    report = next((latest[n] for n in latest if short[n] == "progress_report"), None)
    if (not any(short[n] == "figures" for n in reasons)
            and not _warehouse_unchanged(warehouse, report) and not _warehouse_has_figures(warehouse, year)):
        reasons |= {name: "数据仓库中没有该年的数字" for name in upstream if short[name] in TABLES}
    for name, deps in upstream.items():
        newer = [u for u in deps if (latest.get(u) and latest[name]) and latest[u].storage_id > latest[name].storage_id]
        if name not in reasons and newer:
            reasons[name] = f"上游 {'、'.join(newer)} 在其后生成过"
    # everything downstream of an asset that re-runs re-runs too (repeat until nothing is added)
    while added := {
        name: f"上游 {'、'.join(u for u in deps if u in reasons)} 将重新运行"
        for name, deps in upstream.items()
        if name not in reasons and any(u in reasons for u in deps)
    }:
        reasons |= added
    return dict(sorted(reasons.items()))
