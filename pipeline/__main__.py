"""`python -m pipeline`."""

import gc
import logging
import os
import sys

# Loading Dagster, DuckDB, polars and the definitions creates hundreds of thousands of
# long-lived objects; Python's cycle collector would scan them over and over while they load
# (README, Performance). It stays off until a build has loaded what it needs
# (pipeline.ops.build.collect_from_here). The other commands never turn it
# back on: check, publish and diff are short and work on whole columns, and bench only
# starts and times other processes.
gc.disable()

from pipeline.cli import main  # noqa: E402 - after the collector is paused

code = main()
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
# Everything is written, committed and closed by now; tearing down Dagster's module graph
# at interpreter exit would slow every command down and do nothing for it (README, Performance).
os._exit(code)
