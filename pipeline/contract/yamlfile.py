"""program.yaml read within bounds: its size, then one pass over the parser's events (which do
not recurse) for what would make composing it costly or crash: nesting, aliases, tags, long
integers, impossible dates, repeated keys; only then is it composed into Python values."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from pipeline.contract.limits import MAX_DEPTH, MAX_INT_DIGITS, MAX_PROGRAM_BYTES
from pipeline.contract.messages import ProgramError, key_label, program_error, shown
from pipeline.terminal import escaped

_RESOLVER = Resolver()
# libyaml composes when installed; the scan has used the Python parser, whose messages are the same everywhere.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAGS = "tag:yaml.org,2002:"
_INT, _TIMESTAMP, _VALUE = f"{_TAGS}int", f"{_TAGS}timestamp", f"{_TAGS}value"
# The start of PyYAML's wording of the mistakes people make most, in the offices' words.
_YAML_PROBLEMS = {
    "expected ',' or ']'": "列表缺少“]”，或项之间缺少逗号",
    "expected ',' or '}'": "映射缺少“}”，或项之间缺少逗号",
    "mapping values are not allowed here": "此处不能出现“: ”（文字中的冒号请加引号）",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请用空格",
    "could not find expected ':'": "缺少“:”",
    "found unexpected end of stream": "文件在引号或括号闭合之前结束",
    "expected a single document in the stream": "只能有一个 YAML 文档（不要用“---”分隔多个）",
    "unacceptable character": "含有不能出现在 YAML 中的控制字符",
}


@dataclass
class _Level:
    """One open mapping or sequence while scanning: where we are in it."""

    mapping: bool
    key: str | None = None
    expect_key: bool = True
    index: int = 0
    keys: set[str] = field(default_factory=set)


def read_yaml(path: Path) -> dict:
    """The mapping a program.yaml holds; any problem is a ProgramError listing them all."""
    try:
        text = _text(_read_bytes(path))
        if problems := _scan(text):
            raise program_error(path, problems)
        data = yaml.load(text, Loader=_COMPOSER)  # noqa: S506 (a safe loader)
    except UnicodeDecodeError:
        raise ProgramError(f"{path}：不是文字文件（编码既不是 UTF-8，也不是 GB18030/GBK）") from None
    except yaml.YAMLError as exc:
        raise ProgramError(f"{path}：不是有效的 YAML（{_yaml_problem(exc)}）") from None
    except OSError as exc:
        raise ProgramError(f"{path}：无法读取（{exc.strerror}）") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProgramError(f"{path}：应为“键: 值”的映射，而不是{_kind(data)}")
    return data


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_PROGRAM_BYTES of them; a link is not followed out of the raw
    folder, and a FIFO or a folder is not a file (opened without blocking, then looked at)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ProgramError(f"{path}：是符号链接，未读取（原始数据文件夹中的链接不会被跟随）") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ProgramError(f"{path}：不是文件")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_PROGRAM_BYTES + 1)
    if len(data) > MAX_PROGRAM_BYTES:
        raise ProgramError(f"{path}：文件过大（超过上限{MAX_PROGRAM_BYTES}字节）")
    return data


def _text(data: bytes) -> str:
    """UTF-8 (a BOM is YAML's to skip), else GB18030: Notepad on Chinese Windows saves in GBK."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark is not None else ""
    problem = str(getattr(exc, "problem", None) or exc).splitlines()[0]
    said = next((words for start, words in _YAML_PROBLEMS.items() if problem.startswith(start)), problem)
    return where + escaped(said)


def _kind(data: object) -> str:
    return "列表" if isinstance(data, list) else "单个值"


def _scan(text: str) -> list[str]:
    """Problems found in the event stream, each with its line; it stops at the first nesting
    too deep (nothing past it can be placed) or at a syntax error (raised as YAMLError)."""
    problems: list[str] = []
    levels: list[_Level] = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            levels.pop()
            _value_done(levels)
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            continue  # stream and document boundaries
        line = f"第{event.start_mark.line + 1}行"
        at_key = bool(levels) and levels[-1].mapping and levels[-1].expect_key
        loc = () if at_key else _loc(levels)
        where = line + (key_label(loc) if loc else "")
        if (tag := _explicit_tag(event)) is not None:
            problems.append(f"{where}使用了 YAML 标签（{shown(tag.replace(_TAGS, '!!'), 40)}）；program.yaml 不支持标签")
        if isinstance(event, yaml.AliasEvent):
            problems.append(f"{line}使用了 YAML 别名（*{shown(event.anchor)}）；不支持锚点和别名（& 与 *）")
            if at_key:
                levels[-1].expect_key = False
                continue
        elif isinstance(event, yaml.ScalarEvent) and at_key:
            _key(levels[-1], event.value, line, problems)
            continue
        elif isinstance(event, yaml.ScalarEvent):
            problems += [f"{where}{problem}" for problem in _scalar_problems(event)]
        elif at_key:
            problems.append(f"{line}的键应为文字，而不是列表或映射")
            return problems
        elif len(levels) >= MAX_DEPTH:
            problems.append(f"{line}{key_label(loc[:1]) if loc else ''}嵌套超过{MAX_DEPTH}层（program.yaml 只需几层）")
            return problems
        else:
            levels.append(_Level(mapping=isinstance(event, yaml.MappingStartEvent)))
            continue
        _value_done(levels)
    return problems


def _explicit_tag(event: yaml.NodeEvent) -> str | None:
    """A tag written in the file (!!int, !!python/object); YAML's own reading of untagged values is no tag."""
    if isinstance(event, yaml.AliasEvent):
        return None
    written = not any(event.implicit) if isinstance(event, yaml.ScalarEvent) else not event.implicit
    return event.tag if written else None


def _scalar_problems(event: yaml.ScalarEvent) -> list[str]:
    """A plain scalar YAML would read as an integer too long to convert, or as a date that does not exist."""
    if not event.implicit[0]:
        return []  # quoted: text
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _INT and (digits := sum(c.isdigit() for c in event.value)) > MAX_INT_DIGITS:
        return [f"的整数有{digits}位，超过上限{MAX_INT_DIGITS}位"]
    if tag == _VALUE:
        return ["的值“=”作为文字时请加引号"]
    if tag == _TIMESTAMP:
        try:
            SafeConstructor().construct_yaml_timestamp(yaml.ScalarNode(tag, event.value))
        except ValueError:
            return [f"的日期“{shown(event.value)}”不存在"]
    return []


def _key(level: _Level, key: str, line: str, problems: list[str]) -> None:
    if key in level.keys:
        problems.append(f"{line}的键“{shown(key)}”写了两次（YAML 只保留后一个，请删去一个）")
    level.keys.add(key)
    level.key, level.expect_key = key, False


def _value_done(levels: list[_Level]) -> None:
    if levels and levels[-1].mapping:
        levels[-1].expect_key = True
    elif levels:
        levels[-1].index += 1


def _loc(levels: list[_Level]) -> tuple[str | int, ...]:
    """Where the scan is, as pydantic names a place: keys and item indexes."""
    return tuple(level.key if level.mapping else level.index for level in levels if not level.mapping or level.key)
