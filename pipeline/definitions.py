"""The code location: every asset, source, check, resource, job and sensor of `pipeline/defs/`."""

import dagster as dg

from pipeline.defs import automation
from pipeline.defs.assets import ASSETS, DISTRICT_ASSETS, ROLLUP_ASSETS, SOURCES, WEEKLY_ASSETS
from pipeline.defs.resources import configured_resources


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded when Dagster asks (the UI, the daemon, `dagster asset materialize`), so the
    resources read the settings of the process that loads them."""
    return dg.Definitions(
        assets=[*SOURCES, *ASSETS, *DISTRICT_ASSETS, *ROLLUP_ASSETS, *WEEKLY_ASSETS],
        jobs=automation.jobs,
        sensors=automation.sensors,
        resources=configured_resources(),
    )
