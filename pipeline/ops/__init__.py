"""Operations on top of the definitions: building a year, planning what to re-run, publishing
and comparing editions. The one place that may touch Dagster internals (`ops/instance.py`)."""
