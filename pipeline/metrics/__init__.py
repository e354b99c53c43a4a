"""Pure polars functions over a year's tables: the figures the report states, its series, and
the data-quality findings."""
