"""Every asset of the code location, upstream first: the raw folder (a source), ingest, metrics,
report; the same graph for a roll-up's districts (under district/), and the roll-up."""

from pipeline.defs import raw, report, rollup
from pipeline.defs.scope import DISTRICT, SINGLE

ASSETS = report.graph_assets(SINGLE)
DISTRICT_ASSETS = report.graph_assets(DISTRICT)
ROLLUP_ASSETS = [rollup.rollup_report]
SOURCES = [raw.raw_folder, raw.district_raw_folder]
