"""A written unit and the roster: the entry it names (after NFKC and trimming, or through an
alias), and for a unit on no entry, the roster name it most likely means (仓前街道办 -> 仓前街道)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pipeline.contract.program import RosterEntry

# A suggestion needs this many characters in common: one (区, 局) would match half the roster.
MIN_SUGGESTION_OVERLAP = 2


def unit_key(written: str) -> str:
    """How a unit is compared: NFKC, trimmed, inner whitespace collapsed (as cells are read)."""
    return " ".join(unicodedata.normalize("NFKC", written).split())


@lru_cache(maxsize=64)
def _spellings(units: tuple[RosterEntry, ...]) -> dict[str, str]:
    """Every name and alias of the roster -> its entry's name."""
    return {unit_key(spelling): unit.name for unit in units for spelling in (unit.name, *unit.aliases)}


def roster_unit(written: str, units: tuple[RosterEntry, ...]) -> str | None:
    """The roster name of the entry `written` names, by its name or an alias; None if on none."""
    return _spellings(units).get(unit_key(written))


def suggested_unit(written: str, units: tuple[RosterEntry, ...]) -> str | None:
    """For a unit on no roster entry: the roster name that contains, or is contained in, the
    written name (closest in length first, then roster order); None when none does, or when the
    written name is on the roster."""
    key = unit_key(written)
    if roster_unit(written, units) is not None:
        return None
    candidates = [
        (abs(len(spelling) - len(key)), order, unit.name)
        for order, unit in enumerate(units)
        for spelling in map(unit_key, (unit.name, *unit.aliases))
        if min(len(spelling), len(key)) >= MIN_SUGGESTION_OVERLAP and (spelling in key or key in spelling)
    ]
    return min(candidates)[2] if candidates else None
