"""Every asset of the code location, upstream first: the raw folder (a source), ingest, metrics,
report; the same graph for a roll-up's districts (under district/), and the roll-up."""

from pipeline.defs import ingest, metrics, raw, report, rollup

ASSETS = [*ingest.assets, *metrics.assets, *report.assets]
DISTRICT_ASSETS = [*ingest.district_assets, *metrics.district_assets, *report.district_assets]
ROLLUP_ASSETS = [rollup.rollup_report]
SOURCES = [raw.raw_folder, raw.district_raw_folder]
