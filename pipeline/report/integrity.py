"""Whether a bundle or a published edition is whole: manifest.json, written last, records the
SHA-256 of every other bundle file, and its files are checked against it before an edition is
published or compared. A file that is missing, unreadable or not what was recorded is named."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

from pipeline.report.bundle import BUNDLE_FILES, write_json

MANIFEST = "manifest.json"
DIGESTS = "bundle_sha256"  # manifest.json's key: {file name: SHA-256} of the bundle's other files


class DamagedBundle(Exception):
    """A bundle or edition file is missing, unreadable, or not what its manifest recorded: the
    message names the file and says what is wrong with it, in Chinese."""


def sha256(path: Path) -> str:
    """Read afresh every time (no cache by size and modification time: this is the check)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_manifest(folder: Path, data: dict[str, Any]) -> None:
    """manifest.json with the SHA-256 of each other bundle file in `folder`; written last, so a
    manifest vouches for files that were complete when it was written."""
    digests = {name: sha256(folder / name) for name in BUNDLE_FILES if name != MANIFEST and (folder / name).is_file()}
    write_json(folder / MANIFEST, data | {DIGESTS: digests})


def _regular(path: Path) -> None:
    """A plain file, never a link, pipe or device (a FIFO would hang the reader)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        raise DamagedBundle(f"{path}：文件缺失") from None
    except OSError as exc:
        raise DamagedBundle(f"{path}：无法读取（{exc.strerror}）") from None
    if not stat.S_ISREG(mode):
        raise DamagedBundle(f"{path}：不是普通文件")


def read_text(path: Path) -> str:
    _regular(path)
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DamagedBundle(f"{path}：不是 UTF-8 文本（第{exc.start + 1}个字节起无法解码）") from None
    except OSError as exc:
        raise DamagedBundle(f"{path}：无法读取（{exc.strerror}）") from None


def read_object(path: Path) -> dict[str, Any]:
    """A JSON file that must hold an object (figures.json, manifest.json)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DamagedBundle(f"{path}：不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）") from None
    if not isinstance(data, dict):
        raise DamagedBundle(f"{path}：内容不是 JSON 对象")
    return data


def verify(folder: Path, require_digests: bool = True) -> dict[str, Any]:
    """`folder`'s manifest, once every bundle file is present and has the SHA-256 it records.

    require_digests=False accepts a manifest written before digests were recorded (an edition
    published by an earlier version): its files must still all be there and readable."""
    manifest = read_object(folder / MANIFEST)
    for name in BUNDLE_FILES:
        _regular(folder / name)
    recorded = manifest.get(DIGESTS)
    if recorded is None and not require_digests:
        return manifest
    if not isinstance(recorded, dict):
        raise DamagedBundle(f"{folder / MANIFEST}：没有记录各文件的 SHA-256（{DIGESTS}），无法核对，请重新生成")
    for name in BUNDLE_FILES:
        if name == MANIFEST:
            continue
        if name not in recorded:
            raise DamagedBundle(f"{folder / MANIFEST}：没有记录 {name} 的 SHA-256")
        try:
            found = sha256(folder / name)
        except OSError as exc:
            raise DamagedBundle(f"{folder / name}：无法读取（{exc.strerror}）") from None
        if recorded[name] != found:
            raise DamagedBundle(f"{folder / name}：与 manifest.json 记录的 SHA-256 不一致（文件被截断或改动）")
    return manifest
