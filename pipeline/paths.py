"""What under a raw folder may be opened: regular files and folders, directly or through a
symbolic link that resolves inside the raw folder. Anything else (a FIFO, a socket, a device, a
link that leaves the folder or leads nowhere) is named with why and never opened: opening a
FIFO waits for a writer, for ever. Also how a path is named in the warehouse and in messages."""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path

from pipeline.terminal import escaped

LINK_OUT = "符号链接指向原始数据文件夹之外，未读取"
_KINDS = {
    stat.S_IFIFO: "命名管道（FIFO）",
    stat.S_IFSOCK: "套接字（socket）",
    stat.S_IFCHR: "字符设备",
    stat.S_IFBLK: "块设备",
}


def _why(error: OSError) -> str:
    return "没有读取权限" if isinstance(error, PermissionError) else "已不存在或无法访问"


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every link on the way resolved, is `root` or lies under it."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def why_not_opened(path: Path, root: Path) -> str | None:
    """None for a regular file or a folder that may be opened (a link to one inside `root`
    included); else why it is not, in Chinese. Decided by `stat`, without opening anything."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return f"无法读取（{_why(exc)}）"
    if stat.S_ISLNK(mode):
        if not inside(path, root):
            return LINK_OUT
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return "符号链接所指的文件不存在，未读取"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"不是普通文件（{_KINDS.get(stat.S_IFMT(mode), '特殊文件')}），未读取"


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256; None when it is not a regular file or cannot be opened (its reader
    says why). A FIFO, socket or device is never opened.

    A build asks for a file's hash several times (planning, reading, recording what was read):
    the file is read once as long as it keeps its size, modification time and inode.
    """
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return _sha256(str(path), found.st_size, found.st_mtime_ns, found.st_ino)


@lru_cache(maxsize=65536)
def _sha256(path: str, size: int, mtime_ns: int, inode: int) -> str | None:
    digest = hashlib.sha256()
    try:
        # non-blocking, and checked once open: a file swapped for a FIFO since the stat cannot block
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def relative_name(path: Path, raw_dir: Path) -> str:
    """How files are named in the warehouse, in messages and in the report: relative to the raw
    folder, as readable text. A name that is not UTF-8 (GBK bytes, as a Windows zip unpacks
    elsewhere) is shown decoded as GB18030; control characters (a line break) are shown
    escaped, so a name can never print as a line of its own."""
    name = path.relative_to(raw_dir).as_posix()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", errors="backslashreplace")
    return escaped(name)
