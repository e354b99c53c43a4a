"""The partitions: report years, a roll-up's districts x years, and the ISO weeks of the notices."""

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

# One partition per ISO week (Monday to Sunday, Asia/Shanghai), keyed by its Monday (2023-05-15:
# Dagster parses keys with strptime, which cannot read 2023-W20 alone). The week in progress is
# a partition too (end_offset=1): its notice is due at its deadline, before the week ends.
WEEKS = dg.WeeklyPartitionsDefinition(
    start_date="2019-12-30", day_offset=1, timezone="Asia/Shanghai", end_offset=1,
)
