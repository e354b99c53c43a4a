"""Every asset of the code location, upstream first: the raw folder (a source), ingest, metrics, report."""

from pipeline.defs import ingest, metrics, raw, report

ASSETS = [*ingest.assets, *metrics.assets, *report.assets]
SOURCES = [raw.raw_folder]
