"""A province's year in one run (job `build_province_year`): its first step shares the stale
districts out, one share per worker of the multiprocess executor; each mapped step builds its
districts one after another with the functions the district assets run, and records each
district's materialisations and check evaluations under the district's own partition, so the
planner, the roll-up, `publish` and the UI see every district as if it had been built alone.
A district that fails is named, its share's step fails, and the other districts are written.
"""

import json
import traceback
from collections.abc import Iterable, Iterator

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import ProgramError
from pipeline.defs.assets import DISTRICT_ASSETS
from pipeline.defs.checks import BATCH, BATCH_TAG
from pipeline.defs.ingest import ingest_results
from pipeline.defs.metrics import metrics_results
from pipeline.defs.report import report_result
from pipeline.defs.partitions import DISTRICTS
from pipeline.defs.resources import ProjectPaths, ReportRenderer
from pipeline.defs.rollup import stale_districts, year_districts
from pipeline.defs.scope import DISTRICT, Scope, partition_key, scope_of
from pipeline.defs.currency import CODE_VERSION_TAG, DATA_VERSION_TAG

# The metadata entry of a share's step failure: district -> why it failed (JSON).
FAILED_DISTRICTS = "failed_districts"
_INGEST, _METRICS, _REPORT = DISTRICT_ASSETS
_BLOCKING = {spec.key: spec.blocking for assets_def in DISTRICT_ASSETS for spec in assets_def.check_specs}


class ProvinceYear(dg.Config):
    """year: the report year; districts: the district partitions to build, in the programme's
    order (empty: every district of the year whose bundle is not current); as_of: as `build
    --as-of` ("" for each district's latest input date); shares: one per worker process (the
    executor's max_concurrent)."""

    year: int
    districts: list[str]
    as_of: str = ""
    shares: int = 2


def share_key(index: int) -> str:
    """The mapping key of the index-th share (its step is `district_builds[share_1]`)."""
    return f"share_{index + 1}"


def shares_of(districts: list[str], shares: int) -> list[list[str]]:
    """The districts dealt out round the shares (a province's big and small districts spread)."""
    count = max(1, min(shares, len(districts)))
    return [districts[index::count] for index in range(count)] if districts else []


@dg.op(out=dg.DynamicOut(dict), description="Shares the year's districts out, one share per worker.")
def district_shares(
    context: dg.OpExecutionContext, config: ProvinceYear, duckdb: DuckDBResource, project: ProjectPaths
) -> Iterator[dg.DynamicOutput]:
    districts = config.districts or _stale(context.instance, project, duckdb.database, config.year)
    context.instance.add_dynamic_partitions(DISTRICTS.name, districts)
    for index, share in enumerate(shares_of(districts, config.shares)):
        yield dg.DynamicOutput({"year": config.year, "as_of": config.as_of, "districts": share},
                               mapping_key=share_key(index))


def _stale(instance: dg.DagsterInstance, project: ProjectPaths, database: str, year: int) -> list[str]:
    """The districts of the year whose bundle is not current, in the programme's order."""
    try:
        names = year_districts(project.raw_path, year)
    except ProgramError as exc:
        raise dg.Failure(description=str(exc)) from None
    stale = stale_districts(instance, project, database, year, names)
    return [name for name in names if name in stale]


@dg.op(description="Builds a share of the districts, each as its district partition's assets would.")
def district_builds(  # noqa: ANN201 - yields events
    context: dg.OpExecutionContext, share: dict, duckdb: DuckDBResource, project: ProjectPaths, renderer: ReportRenderer
):
    failed: dict[str, str] = {}
    for district in share["districts"]:
        scope = scope_of(partition_key(share["year"], district), project, duckdb.database)
        try:
            yield from _district(context, scope, share["as_of"], duckdb, project, renderer)
        # one district's failure, whatever it is, must not stop the others of the share: it is
        # recorded with its reason, as a failed step of its own run would be
        except Exception as exc:  # noqa: BLE001
            failed[district] = _reason(exc)
            context.log.error(f"{district}：{failed[district]}")
    if failed:
        raise dg.Failure(description="生成失败：" + "；".join(f"{d}（{why}）" for d, why in failed.items()),
                         metadata={FAILED_DISTRICTS: json.dumps(failed, ensure_ascii=False)})
    yield dg.Output(len(share["districts"]))


@dg.job(description="Ingest, metrics and report of many districts' year in one run (a province's build), "
        "each district recorded under its own district x year partition.", tags={BATCH_TAG: BATCH})
def build_province_year() -> None:
    district_shares().map(district_builds)


def _district(
    context: dg.OpExecutionContext, scope: Scope, as_of: str, duckdb: DuckDBResource, project: ProjectPaths,
    renderer: ReportRenderer,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckEvaluation]:
    """One district's three stages; a blocking check that fails stops it before the next stage."""
    partition = str(scope.partition)
    yield from _stage(_INGEST, ingest_results(context.log, scope, _INGEST.keys, _INGEST.check_keys, duckdb, project),
                      partition)
    names = {key.path[-1] for key in _METRICS.keys}
    yield from _stage(_METRICS, metrics_results(scope, names, as_of, duckdb, DISTRICT), partition)
    report = report_result(context.log, context.instance, scope, project, duckdb, renderer, DISTRICT)
    yield from _stage(_REPORT, [report], partition)


def _stage(
    assets_def: dg.AssetsDefinition, results: Iterable[dg.MaterializeResult | dg.AssetCheckResult], partition: str
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckEvaluation]:
    failed = []
    for result in results:
        if isinstance(result, dg.AssetCheckResult):
            checks = [(result, result.asset_key)]
        else:
            key = result.asset_key or assets_def.key
            tags = {CODE_VERSION_TAG: assets_def.code_versions_by_key[key]}
            if result.data_version is not None:
                tags[DATA_VERSION_TAG] = result.data_version.value
            yield dg.AssetMaterialization(key, metadata=result.metadata, partition=partition, tags=tags)
            checks = [(check, check.asset_key or key) for check in result.check_results or ()]
        for check, key in checks:
            evaluation = _evaluation(check, key, partition)
            yield evaluation
            if evaluation.blocking and not evaluation.passed:
                failed.append(f"检查 {key.to_user_string()}:{check.check_name} 未通过")
    if failed:
        raise dg.Failure(description="；".join(failed))


def _evaluation(check: dg.AssetCheckResult, asset: dg.AssetKey, partition: str) -> dg.AssetCheckEvaluation:
    return dg.AssetCheckEvaluation(
        asset_key=asset, check_name=check.check_name, passed=check.passed, metadata=check.metadata,
        severity=check.severity, description=check.description, blocking=_BLOCKING[dg.AssetCheckKey(asset, check.check_name)], partition=partition,
    )


def _reason(exc: Exception) -> str:
    """The first line of why a district failed, as a failed step's message would say it."""
    if isinstance(exc, dg.Failure) and exc.description:
        return exc.description.strip().splitlines()[0]
    return traceback.format_exception_only(exc)[-1].strip().splitlines()[0]
