"""The code location: every asset, check, resource, schedule and sensor, listed explicitly."""

import dagster as dg

from pipeline import ingest, metrics
from pipeline.resources import ProjectPaths, warehouse_resource

defs = dg.Definitions(
    assets=[*ingest.assets, *metrics.assets],
    asset_checks=[*ingest.asset_checks],
    resources={"duckdb": warehouse_resource(), "project": ProjectPaths()},
)
