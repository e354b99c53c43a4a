"""Every asset of the code location, upstream first: ingest, metrics, report."""

from pipeline.defs import ingest, metrics, report

ASSETS = [*ingest.assets, *metrics.assets, *report.assets]
