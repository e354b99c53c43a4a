"""The command line's parser: `--help` stays English (a developer's tool), but a mistake in the
arguments is said in one Chinese line, as every message an office reads is."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import NoReturn


class UsageError(Exception):
    """A mistake in the command line or the raw folder that the user can fix."""

# argparse's own messages (Python 3.11 and 3.12), as patterns, and what they say in Chinese.
_MESSAGES = [
    (r"the following arguments are required: (?P<names>.+)", "缺少参数：{names}"),
    (r"unrecognized arguments: (?P<names>.+)", "无法识别的参数：{names}"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "“{value}”不是可选的值（可选：{choices}）"),
    (r"invalid (?P<type>\w+) value: (?P<value>.+)", "“{value}”不是有效的值"),
    (r"expected one argument", "需要一个值"),
    (r"expected at most one argument", "最多只能有一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"expected (?P<count>\d+) arguments?", "需要{count}个值"),
    (r"ignored explicit argument (?P<value>.+)", "不接受值“{value}”"),
    (r"not allowed with argument (?P<names>.+)", "不能与参数 {names} 同时使用"),
    (r"one of the arguments (?P<names>.+) is required", "必须给出以下参数之一：{names}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "选项 {option} 不明确，可能是：{matches}"),
]


def _unquoted(text: str) -> str:
    """A value as argparse quoted it ('x' or "x"), without the quotes; a list of them joined with 、."""
    items = [item.strip() for item in text.split(", ")]
    return "、".join(item[1:-1] if len(item) > 1 and item[0] == item[-1] and item[0] in "'\"" else item for item in items)


def chinese(message: str) -> str:
    """argparse's English message in Chinese; a message it does not know is kept after a Chinese lead-in."""
    argument, separator, rest = message.partition(": ")
    if argument.startswith("argument ") and separator:
        return f"参数 {argument.removeprefix('argument ')}：{_detail(rest)}"
    return _detail(message)


def _detail(message: str) -> str:
    for pattern, chinese_text in _MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            return chinese_text.format(**{name: _unquoted(value) for name, value in found.groupdict().items()})
    return message if not message.isascii() else f"参数有误：{message}"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one Chinese line (exit 2); its sub-commands'
    parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        print(f"错误：{chinese(message)}（{self.prog} --help 显示用法）", file=sys.stderr)
        self.exit(2)


def year(text: str) -> int:
    """A report year as typed after --year: four ASCII digits."""
    if not re.fullmatch(r"[0-9]{4}", text):
        raise argparse.ArgumentTypeError(f"“{text}”不是年份（四位数字，如 2022）")
    return int(text)


def output_folder(folder: Path, raw_dir: Path) -> Path:
    """The output folder, refused before anything runs when a bundle could not be written there
    or when writing there could touch the raw files."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output-dir {folder} 是文件，不是文件夹")
    if folder == raw_dir or raw_dir in folder.parents or folder in raw_dir.parents:
        raise UsageError(f"--output-dir {folder} 与原始数据文件夹 {raw_dir} 不能互相包含")
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--output-dir {folder}：没有在 {existing} 中写入的权限")
    return folder
