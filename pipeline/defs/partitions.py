"""The year partitions every asset shares."""

import dagster as dg

# One partition per report year. The current year is included (end_offset=1): the
# nightly build reports the year in progress.
YEARS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    start="2020",
    fmt="%Y",
    timezone="Asia/Shanghai",
    end_offset=1,
)

# A roll-up's districts: added when the raw folder is observed or built (no code change for a new
# district), each a folder of the roll-up raw folder.
DISTRICTS = dg.DynamicPartitionsDefinition(name="district")
DISTRICT_YEARS = dg.MultiPartitionsDefinition({"district": DISTRICTS, "year": YEARS})
