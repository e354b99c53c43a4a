"""`python -m pipeline`."""

import logging
import os
import sys

from pipeline.cli import main

code = main()
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
# Everything is written, committed and closed by now; tearing down Dagster's module graph
# at interpreter exit would add over a second to every command and do nothing for it.
os._exit(code)
