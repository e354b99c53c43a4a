"""The bytes of a text file before it is read as cells: its encoding (never asked of the user),
whether DuckDB can read it as it is (no NUL, no blank line), and a UTF-8 copy of one it cannot,
the lines no encoding reads left out and named."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import polars as pl

_BLOCK = 1 << 20
# A line longer than this is no submission's row (README: Reliability); it is rejected alone.
MAX_LINE_BYTES = 1 << 20
# What a workbook, a .doc or a PDF saved under a .csv name starts with.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; the message is the reason, in Chinese."""


def detect_encoding(path: Path) -> str:
    """utf-16 (with BOM, as Excel's "Unicode text" writes it), utf-8-sig, utf-8 or gb18030
    (what Excel on Chinese Windows writes); never asked of the user.

    The file is read in blocks, so a large file is never held whole just to name its encoding.
    """
    blank, is_utf8, carry = True, True, b""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(f"文件无法打开（{exc.strerror}）") from None
    with handle:
        for index, block in enumerate(iter(lambda: handle.read(_BLOCK), b"")):
            blank = blank and not block.strip()
            if index == 0 and block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            if index == 0 and _looks_binary(block[:65536]):
                raise UnreadableFile("文件内容是二进制数据，不是文本表格")
            if index == 0 and block.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if is_utf8:
                whole, carry = _split_utf8(carry + block)
                is_utf8 = _is_utf8(whole)
    if blank:
        raise UnreadableFile("空文件")
    # GB18030 is checked line by line while the file is copied as UTF-8 (`_repair`).
    return "utf-8" if is_utf8 and _is_utf8(carry) else "gb18030"


def _looks_binary(head: bytes) -> bool:
    """A binary file, not a text table with a stray NUL (that line alone is rejected): control
    bytes other than tab and line breaks are in no text table."""
    controls = sum(head.count(byte) for byte in (*range(0, 9), 11, 12, *range(14, 32)))
    return head.startswith(_BINARY_MAGIC) or controls > max(2, len(head) // 100)


def _split_utf8(data: bytes) -> tuple[bytes, bytes]:
    """Cut off a character that the block boundary split, to be prepended to the next block."""
    for back in range(1, min(4, len(data)) + 1):
        lead = data[-back]
        if lead & 0xC0 != 0x80:  # not a continuation byte: the last character starts here
            length = 1 if lead < 0x80 else 2 if lead >> 5 == 0b110 else 3 if lead >> 4 == 0b1110 else 4
            return (data[:-back], data[-back:]) if length > back else (data, b"")
    return data, b""


def _is_utf8(data: bytes) -> bool:
    # polars validates UTF-8 in native code, without decoding the text into Python strings
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        return False
    return True


def has_nul_or_blank_line(path: Path) -> bool:
    """Whether the file has a NUL or an empty line (a few memchr-speed scans per block)."""
    previous = None
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            joined = (previous or b"") + block
            if b"\x00" in block or b"\n\n" in joined or b"\n\r\n" in joined:
                return True
            if previous is None and block.startswith((b"\n", b"\r\n")):  # the file starts with a blank line
                return True
            previous = block[-2:]
    return False


def _lines(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) of each line; a line over MAX_LINE_BYTES is not held whole."""
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            too_long = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
            while too_long and (rest := handle.readline(_BLOCK)) and not rest.endswith(b"\n"):
                pass
            yield number, line, too_long


def repair(source: Path, target: Path, encoding: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Write the readable lines to `target` as UTF-8; returns the encoding most lines are in
    (UTF-8 when most lines with non-ASCII bytes are UTF-8, else GB18030) and the lines left out:
    (line number, why, the start of its text)."""
    if encoding == "gb18030":
        non_ascii = utf8 = 0
        for _, line, too_long in _lines(source):
            if not too_long and not line.isascii():
                non_ascii += 1
                utf8 += _decodes(line, "utf-8")
        encoding = "utf-8" if utf8 * 2 > non_ascii else "gb18030"  # GB18030 text is hardly ever valid UTF-8
    bad: list[tuple[int, str, str]] = []
    readable = 0
    with target.open("wb") as writer:
        for number, line, too_long in _lines(source):
            reason = _bad_line(line, too_long, encoding)
            readable += reason is None and bool(line.strip())
            if reason is None:
                text = line.decode(encoding)
                writer.write((text.lstrip("\ufeff") if number == 1 else text).encode("utf-8"))
            else:
                bad.append((number, reason, line[:200].decode(encoding, errors="replace").replace("\x00", "")))
                writer.write(b"\n")
    if not readable and any(reason == _UNKNOWN_ENCODING for _, reason, _ in bad):
        raise UnreadableFile("文件编码无法识别（可读取 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）")
    return encoding, bad


def _bad_line(line: bytes, too_long: bool, encoding: str) -> str | None:
    if too_long:
        return f"该行超过{MAX_LINE_BYTES // 2**20} MB，未读取"
    if b"\x00" in line:
        return "该行含有空字符（NUL），未读取"
    if not _decodes(line, encoding):
        return _UNKNOWN_ENCODING
    return None


_UNKNOWN_ENCODING = "该行含有无法识别的字符编码（文件其余各行可读取），未读取"


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def transcode(source: Path, target: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open("rb") as reader, target.open("wb") as writer:
            for block in iter(lambda: reader.read(_BLOCK), b""):
                writer.write(decoder.decode(block).lstrip("\ufeff").encode("utf-8"))
            writer.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile("文件编码无法识别（可读取 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）") from None
