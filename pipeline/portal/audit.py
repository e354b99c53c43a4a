"""The portal's log (portal.log beside the accounts file, and standard error): every sign-in,
upload and refusal with its account, time and address, one line each. Passwords never reach it."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pipeline.terminal import escaped

LOG_FILE = "portal.log"
_LOGGER = logging.getLogger("pipeline.portal")


def open_log(accounts_file: Path) -> Path:
    """Send the portal's log to portal.log in the accounts folder and to standard error (a
    portal made anew in the same process, as a test does, takes the log over)."""
    path = accounts_file.parent / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    for handler in list(_LOGGER.handlers):
        _LOGGER.removeHandler(handler)
        handler.close()
    for handler in (logging.FileHandler(path, encoding="utf-8"), logging.StreamHandler()):
        handler.setFormatter(logging.Formatter("%(message)s"))
        _LOGGER.addHandler(handler)
    _LOGGER.setLevel(logging.INFO)
    _LOGGER.propagate = False
    return path


def log(event: str, when: dt.datetime, account: str | None, address: str, **details: object) -> None:
    """One line: time, event, account, address, then the details (submitted text shown escaped)."""
    fields = [when.isoformat(timespec="seconds"), event, f"账号={escaped(account or '-')}", f"地址={address}"]
    fields += [f"{key}={escaped(str(value))}" for key, value in details.items() if value is not None]
    _LOGGER.info(" ".join(fields))
