"""The DuckDB warehouse: storing and reading a year's slice of each table; sql/ holds the statements."""
