"""Quirk fixtures: small raw folders of the spreadsheets district offices really send in,
each with the reading a correct reader must make of every row.

    uv run python tools/quirk_fixtures.py

Deletes and re-creates tests/data/quirks/: one raw folder per family
(tests/data/quirks/<family>/2023/...), plus EXPECTED.md, which is written from the same
rows as the files, so the two cannot disagree. The output is deterministic (no seed, no
clock: workbook properties and zip entry times are fixed). At the end every file is
read back (python-calamine, openpyxl, the csv module) and compared cell by cell with
what was meant to be written, so the row numbers in EXPECTED.md are the rows the files
have.

One module of tools/quirks/ per family builds a list of `Fixture`s (model.py); a fixture's
sheets are lists of `Line`s, one per spreadsheet row from row 1, each carrying its expected
outcome. writers.py writes them, readback.py reads them back, expected.py writes EXPECTED.md.
"""

import sys
from pathlib import Path

# run as a script: the tools/quirks/ beside this file, not another copy of the project's
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.quirks.main import main  # noqa: E402

if __name__ == "__main__":
    main()
