"""Developer tools outside the runtime package: the benchmark, synthetic and sample data, fixtures."""
