"""Every asset of the code location, upstream first: the raw folder (a source), ingest, metrics,
report; the same graph for a roll-up's districts (under district/), and the roll-up; the weekly
notices."""

from pipeline.defs import notice, raw, reminders, report, rollup
from pipeline.defs.scope import DISTRICT, SINGLE

ASSETS = report.graph_assets(SINGLE)
DISTRICT_ASSETS = report.graph_assets(DISTRICT)
ROLLUP_ASSETS = [rollup.rollup_report]
SOURCES = [raw.raw_folder, raw.district_raw_folder]
# the weekly loop: each week's notice (a roll-up's too), the reminders before it, its delivery after
WEEKLY_ASSETS = [*notice.assets, *reminders.assets]
