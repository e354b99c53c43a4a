"""Every asset check beyond the ingest step's row conservation: their specs, the results the
year_metrics step reports, and each check's latest outcome for a year, from Dagster's records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import dagster as dg
import polars as pl

from pipeline.contract import Program
from pipeline.defs.scope import Graph
from pipeline.metrics.findings import stray_areas
from pipeline.metrics.sources import sources_that_do_not_add_up
from pipeline.sql import load_sql

AS_OF_INSIDE_YEAR = "as_of_inside_year"
UNITS_REPORTING_WEEKLY = "units_reporting_weekly"
FIGURES_MATCH_WAREHOUSE = "figures_match_warehouse"
AREAS_WITHIN_PROGRAM = "areas_within_program"
SOURCES_ADD_UP = "sources_add_up"

def metrics_checks(graph: Graph) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(AS_OF_INSIDE_YEAR, asset=graph.key("report_period"), blocking=True,
                          description="The as-of date lies inside the report year."),
        dg.AssetCheckSpec(UNITS_REPORTING_WEEKLY, asset=graph.key("dynamics_weekly"), blocking=False,
                          description="Warns about weeks in which a unit that usually reports sent no work dynamic."),
        dg.AssetCheckSpec(FIGURES_MATCH_WAREHOUSE, asset=graph.key("figures"), blocking=True,
                          description="figures.json agrees with a direct count in the warehouse "
                          "(dynamics, information, media, meetings, tasks)."),
        dg.AssetCheckSpec(SOURCES_ADD_UP, asset=graph.key("figures"), blocking=True,
                          description="Each figure counted from rows equals what the rows figures.json names "
                          "for it (its `sources`) add up to in the warehouse."),
        dg.AssetCheckSpec(AREAS_WITHIN_PROGRAM, asset=graph.key("figures"), blocking=True,
                          description="Every area counted is one of the program's areas (dynamics, key tasks) "
                          "or reform areas (reforms)."),
    ]


def figures_check_results(
    conn, year: int, tables: dict[str, pl.DataFrame], program: Program, key: dg.AssetKey  # noqa: ANN001
) -> list[dg.AssetCheckResult]:
    """The figures' blocking checks: they agree with a recount, each adds up from the rows it
    names, and every area is the program's."""
    stated = {k: json.loads(v) for k, v in conn.execute(load_sql("figures_of_year"), {"year": year}).fetchall()}
    recount = conn.sql(load_sql("figures_recount"), params={"year": year}).pl().row(0, named=True)
    differing = {k: (stated.get(k), v) for k, v in recount.items() if stated.get(k) != v}
    unsourced = sources_that_do_not_add_up(stated, stated.get("sources") or {}, tables)
    strays = stray_areas(tables["dynamics"], tables["tasks"], program)
    return [
        dg.AssetCheckResult(
            asset_key=key,
            check_name=SOURCES_ADD_UP,
            passed=not unsourced and bool(stated.get("sources")),
            metadata={"figures with sources": len(stated.get("sources") or {}),
                      "not adding up (stated, added up)": json.dumps(unsourced, ensure_ascii=False)},
        ),
        dg.AssetCheckResult(
            asset_key=key,
            check_name=FIGURES_MATCH_WAREHOUSE,
            passed=not differing,
            metadata={"compared": len(recount), "differing (stated, recount)": json.dumps(differing, ensure_ascii=False)},
        ),
        dg.AssetCheckResult(
            asset_key=key,
            check_name=AREAS_WITHIN_PROGRAM,
            passed=not strays,
            metadata={"areas outside the program": ", ".join(strays) or "none"},
        ),
    ]


def unit_gaps_result(gaps: pl.DataFrame, key: dg.AssetKey) -> dg.AssetCheckResult:
    """The non-blocking warning about usually-reporting units that missed a week."""
    listing = "\n".join(f"- {unit}: week of {week}" for unit, week in gaps.head(50).rows())
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=UNITS_REPORTING_WEEKLY,
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing unit-weeks": gaps.height, "first 50": dg.MetadataValue.md(listing or "none")},
    )


def as_of_result(year: int, as_of: dt.date, key: dg.AssetKey) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=key, check_name=AS_OF_INSIDE_YEAR, passed=as_of.year == year, metadata={"as_of": str(as_of)}
    )


def blocking_checks(assets: list[dg.AssetsDefinition]) -> list[dg.AssetCheckKey]:
    return [spec.key for assets_def in assets for spec in assets_def.check_specs if spec.blocking]


# A province run (defs/province.py) builds many district partitions in one run: its job tags
# every run with this, and each check evaluation in it carries its district's partition.
BATCH_TAG = "pipeline/batch"
BATCH = "province"
_PAGE = 20


def latest_check_outcomes(
    instance: dg.DagsterInstance, checks: list[dg.AssetCheckKey], partition: str
) -> dict[dg.AssetCheckKey, tuple[bool, str]]:
    """(passed, run id) of each check's latest evaluation in a run of this partition; absent if never run.

    A run of one partition tags itself with it; a province run's evaluations carry their
    partition. The latest of both kinds of run wins.
    """
    newest = _outcomes(instance, set(checks), dg.RunsFilter(tags={"dagster/partition": str(partition)}), None)
    if isinstance(partition, dg.MultiPartitionKey):
        batched = dg.RunsFilter(tags={BATCH_TAG: BATCH})
        for key, found in _outcomes(instance, set(checks), batched, str(partition)).items():
            if key not in newest or found[2] > newest[key][2]:
                newest[key] = found
    return {key: (passed, run_id) for key, (passed, run_id, _) in newest.items()}


def _outcomes(
    instance: dg.DagsterInstance, wanted: set[dg.AssetCheckKey], runs_filter: dg.RunsFilter, partition: str | None
) -> dict[dg.AssetCheckKey, tuple[bool, str, int]]:
    """(passed, run id, storage id) of each check's latest evaluation in the runs `runs_filter`
    selects, newest first, however many other runs came in between; with `partition`, only the
    evaluations of that partition count."""
    outcomes, cursor = {}, None
    while wanted:
        runs = instance.get_runs(filters=runs_filter, cursor=cursor, limit=_PAGE)
        for run in runs:
            for record in _evaluations(instance, run.run_id):
                evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
                if evaluation.asset_check_key in wanted and partition in (None, evaluation.partition):
                    outcomes[evaluation.asset_check_key] = (evaluation.passed, run.run_id, record.storage_id)
                    wanted.discard(evaluation.asset_check_key)
            if not wanted:
                break
        if len(runs) < _PAGE:
            break
        cursor = runs[-1].run_id
    return outcomes


def _evaluations(instance: dg.DagsterInstance, run_id: str) -> Iterator[dg.EventLogRecord]:
    """A run's check evaluations, newest first, a page at a time (a province run holds every
    district's: the one asked for is usually among the newest)."""
    cursor = None
    while True:
        page = instance.get_records_for_run(run_id, cursor=cursor, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION,
                                            limit=100, ascending=False)
        yield from page.records
        if not page.has_more:
            return
        cursor = page.cursor
