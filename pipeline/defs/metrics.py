"""Group "metrics": the year_metrics step reads the warehouse, calls the pure functions of
`pipeline.metrics`, writes the results and reports its checks."""


import datetime as dt
import json
from collections.abc import Iterator

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipeline.contract import TABLES, Program
from pipeline.defs import versions
from pipeline.defs.checks import (
    as_of_result,
    figures_check_results,
    metrics_checks,
    unit_gaps_result,
)
from pipeline.defs.raw import REBUILD
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.scope import DISTRICT, SINGLE, Graph, Scope, scope_of
from pipeline.defs.currency import AS_OF_REQUESTED, INPUT_FINGERPRINT, fingerprint, period_fingerprint
from pipeline.metrics.figures import (
    headline_figures,
    monthly_media,
    resolve_as_of,
    weekly_dynamics,
)
from pipeline.metrics.findings import missing_unit_weeks
from pipeline.warehouse.reads import latest_input_date
from pipeline.warehouse.store import BOOKKEEPING, read_year, replace_year

METRICS_CODE_VERSION = versions.METRICS


class PeriodConfig(dg.Config):
    """as_of: YYYY-MM-DD inside the report year; empty means the latest date found in the year's inputs."""

    as_of: str = ""


def _spec(graph: Graph, name: str, deps: list[str], description: str) -> dg.AssetSpec:
    return dg.AssetSpec(graph.key(name), group_name=graph.group("metrics"), code_version=METRICS_CODE_VERSION,
                        deps=[graph.key(d) for d in deps], kinds={"duckdb", "polars"}, description=description,
                        skippable=True, automation_condition=REBUILD)


_TABLE_NAMES = list(TABLES)


def _specs(graph: Graph) -> list[dg.AssetSpec]:
    return [
        _spec(graph, "report_period", _TABLE_NAMES,
              "The report's year and as-of date (config `as_of`, default: the latest input date of the year)."),
        _spec(graph, "dynamics_weekly", ["report_period", "dynamics"],
              "Work dynamics and information pieces per week and area, up to the as-of date."),
        _spec(graph, "media_monthly", ["report_period", "media"],
              "Media articles per month and outlet level, up to the as-of date."),
        _spec(graph, "figures", ["report_period", *_TABLE_NAMES],
              "Every figure the report states (figures.json), computed from the warehouse at the as-of date."),
    ]


def metrics_assets(graph: Graph) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=graph.op_name("year_metrics"),
        specs=_specs(graph),
        check_specs=metrics_checks(graph),
        partitions_def=graph.partitions_def,
        pool=graph.pool,
        can_subset=True,
    )
    def year_metrics(  # noqa: ANN202 - yields results
        context: dg.AssetExecutionContext, config: PeriodConfig, duckdb: DuckDBResource, project: ProjectPaths
    ):
        """The year's metric tables in one step, so a build pays Dagster's step overhead once."""
        scope = scope_of(context.partition_key, project, duckdb.database)
        yield from metrics_results(scope, {key.path[-1] for key in context.selected_asset_keys}, config.as_of, duckdb, graph)

    return year_metrics


def metrics_results(  # noqa: ANN201 - yields results
    scope: Scope, selected: set[str], as_of_requested: str, duckdb: DuckDBResource, graph: Graph
):
    """The metrics step's body for one partition: the selected metric tables (by name) and
    their checks' results (the district assets' step and a province run's batch step both run it)."""
    year = scope.year
    with scope.warehouse(duckdb).get_connection() as conn:
        if "report_period" in selected:
            yield from _report_period(conn, year, as_of_requested, graph)
        as_of = _read_period(conn, year)
        if "dynamics_weekly" in selected:
            yield from _dynamics_weekly(conn, year, as_of, graph)
        if "media_monthly" in selected:
            monthly = monthly_media(read_year(conn, "media", year), as_of)
            replace_year(conn, "media_monthly", year, monthly)
            yield dg.MaterializeResult(
                asset_key=graph.key("media_monthly"),
                metadata={"rows": monthly.height, "articles": int(monthly["articles"].sum())},
            )
        if "figures" in selected:
            yield from _figures(conn, year, as_of, scope.program(), graph)


def _read_period(conn, year: int) -> dt.date:  # noqa: ANN001 - a DuckDB connection
    return conn.execute("select as_of from report_period where year = $year", {"year": year}).fetchall()[0][0]


def _report_period(conn, year: int, requested: str, graph: Graph) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    latest = latest_input_date(conn, year)
    try:
        as_of = resolve_as_of(year, requested, latest)
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from None
    replace_year(conn, "report_period", year, pl.DataFrame({"as_of": [as_of]}))
    yield dg.MaterializeResult(
        asset_key=graph.key("report_period"),
        metadata={"year": year, "as_of": as_of.isoformat(), AS_OF_REQUESTED: requested,
                  INPUT_FINGERPRINT: period_fingerprint(requested)},
        data_version=dg.DataVersion(as_of.isoformat()),
        check_results=[as_of_result(year, as_of, graph.key("report_period"))],
    )


def _dynamics_weekly(conn, year: int, as_of: dt.date, graph: Graph) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    dynamics = read_year(conn, "dynamics", year)
    weekly = weekly_dynamics(dynamics, as_of)
    replace_year(conn, "dynamics_weekly", year, weekly)
    yield dg.MaterializeResult(
        asset_key=graph.key("dynamics_weekly"),
        metadata={"rows": weekly.height, "weeks": weekly["week"].n_unique()},
        check_results=[unit_gaps_result(missing_unit_weeks(dynamics, as_of), graph.key("dynamics_weekly"))],
    )


def _figures(conn, year: int, as_of: dt.date, program: Program, graph: Graph) -> Iterator[dg.MaterializeResult]:  # noqa: ANN001
    tables = {name: read_year(conn, name, year) for name in TABLES}
    bookkeeping = {name: read_year(conn, name, year) for name in BOOKKEEPING}
    values = headline_figures(year, as_of, tables, bookkeeping, list(program.media_levels))
    stored = pl.DataFrame({"key": list(values), "value": [json.dumps(v, ensure_ascii=False) for v in values.values()]})
    replace_year(conn, "figures", year, stored)
    yield dg.MaterializeResult(
        asset_key=graph.key("figures"),
        metadata={k: v for k, v in values.items() if isinstance(v, int | str)},
        data_version=dg.DataVersion(fingerprint(values)),
        check_results=figures_check_results(conn, year, tables, program, graph.key("figures")),
    )


year_metrics = metrics_assets(SINGLE)
assets = [year_metrics]
district_assets = [metrics_assets(DISTRICT)]
