"""Every Dagster object: partitions, resources, the ingest/metrics/report assets with their
checks, and automation. `pipeline/definitions.py` assembles them."""
