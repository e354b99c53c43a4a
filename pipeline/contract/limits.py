"""What a program.yaml may cost: its size, nesting, integers and the length of each list
(README: program.yaml, where each limit is documented), and the list checks the models share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pydantic_core import PydanticCustomError

# program.yaml is a short list of names; a larger file is a mistake (or a YAML bomb).
MAX_PROGRAM_BYTES = 64 * 1024
# The deepest program.yaml needs four levels (units -> an entry -> its aliases); the YAML
# composer recurses once per level, so a deeper file is refused before it is composed.
MAX_DEPTH = 10
# No key takes a number; a long integer is refused before Python converts it.
MAX_INT_DIGITS = 20
# An area, outlet level, unit or name is printed in tables and on chart axes.
MAX_PROGRAM_NAME = 100
MAX_TEMPLATE_NAME = 255
# Each area and level is a table row and a chart bar in every report; each unit a row of the notice.
MAX_AREAS = 30
MAX_REFORM_AREAS = 30
MAX_MEDIA_LEVELS = 10
MAX_UNITS = 500
MAX_ALIASES = 10
MAX_SKIP_WEEKS = 100
MAX_DISTRICTS = 200
# Dates and weeks of the reporting rules: owed weeks are counted from `since` on.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099
# A ProgramError lists at most this many problems, then says how many more there are.
MAX_SHOWN_PROBLEMS = 20


def bounded_tuple(limit: int) -> Callable[[object], object]:
    """A validator run before the items are: a list (as YAML reads it) becomes a tuple, and a
    list longer than `limit` is one error, not one per item."""

    def check(value: object) -> object:
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple) and len(value) > limit:
            raise PydanticCustomError("too_many", "too many items", {"count": len(value), "limit": limit})
        return value

    return check


def repeated(values: tuple[str, ...]) -> tuple[str, ...]:
    """A list's entries, refused when one is written twice (after normalisation)."""
    refuse_repeats(values)
    return values


def refuse_repeats(words: list[str] | tuple[str, ...]) -> None:
    counts = Counter(words)
    if twice := [word for word in counts if counts[word] > 1]:
        raise PydanticCustomError("repeated", "repeated items", {"items": "、".join(sorted(twice))})
