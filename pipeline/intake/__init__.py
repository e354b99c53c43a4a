"""One input file -> checked rows: the year folder's inventory, readers for text tables and
workbooks, header search, normalisation, the contract's row rules and de-duplication."""
