"""The code location: every asset, check, resource, job, schedule and sensor of `pipeline/defs/`."""

import dagster as dg

from pipeline.defs import automation
from pipeline.defs.assets import ASSETS
from pipeline.defs.resources import configured_resources

defs = dg.Definitions(
    assets=ASSETS,
    jobs=automation.jobs,
    schedules=automation.schedules,
    sensors=automation.sensors,
    resources=configured_resources(),
)
