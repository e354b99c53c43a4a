"""The portal's clock: receipts are stamped in Asia/Shanghai, where deadlines are set."""

from __future__ import annotations

import datetime as dt

from pipeline.contract import SHANGHAI


def shanghai_now() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)
