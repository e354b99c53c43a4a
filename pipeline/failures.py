"""What a failure of the machine rather than of the code says, in one Chinese line: a full disk, a
folder that cannot be written, the Dagster instance's SQLite storage that cannot be written."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

_ERRNO = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.EROFS: "文件系统只读",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "不是文件夹",
    errno.EISDIR: "是文件夹，不是文件",
    errno.EIO: "读写出错（磁盘故障？）",
    errno.ENAMETOOLONG: "名称过长",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
}
# SQLite's own messages, as Python's sqlite3 raises them, and what they mean for the storage folder.
_SQLITE = {
    "database or disk is full": "所在的磁盘已满，运行记录无法写入",
    "disk I/O error": "读写出错（磁盘已满或故障？），运行记录无法写入",
    "attempt to write a readonly database": "无法写入（只读或没有权限）",
    "unable to open database file": "无法打开（不存在、只读或没有权限）",
    "database disk image is malformed": "中的记录已损坏",
    "file is not a database": "中的记录已损坏",
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and what a database driver wraps (SQLAlchemy's `orig`)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__, getattr(current, "orig", None))
                 if isinstance(e, BaseException)]


def os_error_reason(exc: OSError) -> str:
    """Why an OSError happened, in Chinese (the system's words where none is known)."""
    return _ERRNO.get(exc.errno or 0) or f"系统错误（{exc.strerror or exc}）"


def os_error_text(exc: OSError) -> str:
    """An OSError as `file：reason`, the reason in Chinese."""
    reason = os_error_reason(exc)
    return f"{exc.filename}：{reason}" if exc.filename else reason


def failure_line(exc: BaseException, dagster_dir: Path) -> str | None:
    """One line for a failure of the disk or of the Dagster storage under `dagster_dir`; None for
    anything else (a bug, whose traceback is what a developer needs)."""
    for current in _chain(exc):
        if isinstance(current, sqlite3.Error):
            text = str(current)
            meaning = next((m for known, m in _SQLITE.items() if known in text), None)
            if meaning:
                return f"Dagster 记录文件夹 {dagster_dir} {meaning}"
        if isinstance(current, OSError):
            return os_error_text(current)
    return None


# What Dagster writes straight to stderr for each log record its storage could not keep.
_DAGSTER_LOG_WRITE_FAILED = "Exception while writing logger call to event log"


class _WithoutLogWriteFailures:
    """stderr, less Dagster's note for each log record its storage could not keep."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return len(text) if text.startswith(_DAGSTER_LOG_WRITE_FAILED) else self._stream.write(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def storage_noise_hidden() -> Iterator[None]:
    """While a build runs: when the Dagster storage cannot be written (a full disk), Dagster notes
    every log record it loses on stderr, several lines each; the build's one line says it instead."""
    with contextlib.redirect_stderr(_WithoutLogWriteFailures(sys.stderr)):
        yield
