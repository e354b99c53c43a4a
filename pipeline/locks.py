"""An exclusive advisory file lock that can say so when it has to wait (one machine only; past
one machine the run queue of deploy/dagster.postgres.yaml serialises builds). In the core, so
the bundle swap (report/bundle.py) and publish (ops/editions.py) can both take it."""

import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(path: Path, waiting: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path`; print `waiting` to stderr when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
