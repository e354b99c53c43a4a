"""program.yaml's problems in the offices' words: pydantic's errors mapped to one Chinese line
each, naming the key (键“units”第3项的“aliases”), and the one ProgramError that lists them."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.contract.limits import EARLIEST_YEAR, LATEST_YEAR, MAX_SHOWN_PROBLEMS
from pipeline.contract.program import Program, RosterEntry
from pipeline.contract.reporting import Reporting
from pipeline.terminal import escaped

_MODELS: dict[tuple[Any, ...], type[BaseModel]] = {(): Program, ("reporting",): Reporting, ("units", int): RosterEntry}
_WEEKLY_TIME, _WEEK, _DAY = "应为星期和时间（如 周五 17:00）", "应为ISO周（如 2023-W18）", "应为日期（如 2023-01-02）"
# What a key that is not plain text or a list of text expects, said when its value has the wrong type.
_HINTS: dict[tuple[Any, ...], str] = {
    ("template",): "应为原始数据文件夹中一个文件的名称",
    ("reporting", "deadline"): _WEEKLY_TIME,
    ("reporting", "reminder"): _WEEKLY_TIME,
    ("reporting", "since"): _DAY,
    ("reporting", "skip_weeks", int): _WEEK,
}
_LISTS = {"tuple_type", "list_type"}
_MAPPINGS = {"model_type", "dict_type", "model_attributes_type"}


class ProgramError(ValueError):
    """program.yaml is not usable; the message names the file and every problem with its key."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems) or (message,)


def program_error(path: Path, problems: Sequence[str]) -> ProgramError:
    """One error for all of a file's problems, on one line (at most MAX_SHOWN_PROBLEMS of them)."""
    listed = "；".join(problems[:MAX_SHOWN_PROBLEMS])
    more = len(problems) - MAX_SHOWN_PROBLEMS
    return ProgramError(f"{path}：{listed}" + (f"；……另有{more}个问题" if more > 0 else ""), problems)


def shown(value: object, limit: int = 20) -> str:
    """Submitted text as a message quotes it: escaped for the terminal, cut after `limit` characters."""
    text = escaped(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def key_label(loc: Sequence[str | int]) -> str:
    """('units', 2, 'aliases') -> 键“units”第3项的“aliases”."""
    text = f"键“{shown(loc[0])}”"
    for part in loc[1:]:
        text += f"第{part + 1}项" if isinstance(part, int) else f"的“{shown(part)}”"
    return text


def validation_problems(exc: ValidationError, keys: Sequence[object]) -> list[str]:
    """One Chinese line per error of a validated program.yaml, in the order of the file's `keys`."""
    place = {key: index for index, key in enumerate(keys)}
    errors = sorted(exc.errors(include_url=False), key=lambda error: place.get(error["loc"][0], len(place)) if error["loc"] else 0)
    return [_problem(error) for error in errors]


def _problem(error: dict[str, Any]) -> str:
    loc, kind, ctx, value = tuple(error["loc"]), error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("extra_forbidden", "invalid_key"):
        return _unknown_key(loc[:-1], str(loc[-1]))
    if kind == "missing":
        return f"{key_label(loc[:-1])}缺少键“{loc[-1]}”"
    label = key_label(loc)
    if kind == "reminder_late":
        return f"{label}的“reminder”（{ctx['reminder']}）应早于“deadline”（{ctx['deadline']}）"
    if kind == "year_range":
        return f"{label}（{shown(ctx['input'])}）不在{EARLIEST_YEAR}—{LATEST_YEAR}年之间"
    if kind in ("weekly_time", "iso_week", "day"):
        return f"{label}{_hint(loc, '')}，而不是“{shown(ctx['input'])}”"
    if kind in _MAPPINGS:
        return label + _mapping_hint(loc) + _instead(value)
    if kind in _LISTS:
        return f"{label}应为列表（如 [甲, 乙]）{_instead(value)}"
    if kind == "string_type":
        return f"{label}{_hint(loc, '应为文字')}{_instead(value)}"
    return label + _constraint(kind, ctx, value)


def _constraint(kind: str, ctx: dict[str, Any], value: object) -> str:
    if kind == "too_short":
        return "的列表不能为空"
    if kind == "too_many":
        return f"有{ctx['count']}项，超过上限{ctx['limit']}项"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"超过{ctx['max_length']}字：{shown(value)}"
    if kind == "control_character":
        return "中有控制字符"
    if kind == "repeated":
        return f"中有重复的项：{shown(ctx['items'], 200)}"
    return f"的值无效（{kind}）"


def _unknown_key(parent: tuple[Any, ...], key: str) -> str:
    model = _model_at(parent)
    keys = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    guess = f"是否为“{close[0]}”？" if close else ""
    where = f"{key_label(parent)}中" if parent else ""
    return f"{where}未知的键“{shown(key)}”（{guess}可用的键：{'、'.join(keys)}）"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    return _MODELS.get(tuple(int if isinstance(part, int) else part for part in loc))


def _hint(loc: tuple[Any, ...], default: str) -> str:
    return _HINTS.get(tuple(int if isinstance(part, int) else part for part in loc), default)


def _mapping_hint(loc: tuple[Any, ...]) -> str:
    model = _model_at(loc)
    if model is RosterEntry:
        return "应为单位名称，或“{name: 单位名称, aliases: [别名]}”"
    return f"应为“键: 值”的映射（可用的键：{'、'.join(sorted(model.model_fields)) if model else ''}）"


def _instead(value: object) -> str:
    """What was written instead, as a reader of the file would call it."""
    if isinstance(value, bool):
        return "，而不是是/否（true/false）"
    if isinstance(value, (int, float)):
        return f"，而不是数字{shown(value)}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"，而不是日期时间{shown(value)}"
    if value is None:
        return "，而不是空值"
    if isinstance(value, (list, tuple, set)):
        return "，而不是列表"
    if isinstance(value, dict):
        return "，而不是映射"
    if isinstance(value, str):
        return f"，而不是“{shown(value)}”"
    return ""
