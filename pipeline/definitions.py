"""The code location: every asset, check, resource, job, schedule and sensor, listed explicitly."""

import dagster as dg

from pipeline import automation, ingest, metrics, report
from pipeline.render import ReportRenderer
from pipeline.resources import ProjectPaths, warehouse_resource

defs = dg.Definitions(
    assets=[*ingest.assets, *metrics.assets, *report.assets],
    jobs=automation.jobs,
    schedules=automation.schedules,
    sensors=automation.sensors,
    resources={"duckdb": warehouse_resource(), "project": ProjectPaths(), "renderer": ReportRenderer()},
)
