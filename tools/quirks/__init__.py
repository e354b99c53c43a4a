"""The quirk fixtures (tests/data/quirks/), one module per family of quirks; `python tools/quirk_fixtures.py` writes them."""
