"""Text as a terminal may print it: control characters (an ANSI escape, a line break, a bell)
and the bidirectional overrides that reorder what a reader sees are shown escaped (`\x1b`,
`\n`, `\u202e`), so submitted text can neither drive the terminal nor split one message into two."""

from __future__ import annotations

import unicodedata

# Unicode's explicit direction formatting characters: they make text read in another order than stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escaped(text: str) -> str:
    """`text` with every control character and direction override written as its escape."""
    if text.isprintable():
        return text
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS else c
        for c in text
    )
