"""Developer tools outside the runtime package: the benchmark, synthetic and sample data, fixtures."""

import os

# openpyxl writes other (equally valid) XML when lxml is installed; the committed workbooks are
# written by its own writer, so they come out the same with or without lxml. Set here, before
# any tool imports openpyxl (tests/conftest.py does the same for the test processes).
os.environ.setdefault("OPENPYXL_LXML", "False")
