"""The roll-up's figures: every district's figures.json summed key by key, and each district's
own figures beside them, in the programme's order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What a summed figure means for these keys: the same for every district, or the latest.
_SAME = ("year",)
_LATEST = ("as_of",)
# Per-district detail the district's own bundle keeps: the roll-up lists its files under `sources`.
_NOT_PER_DISTRICT = ("sources",)


def _sum(values: list[Any]) -> Any:
    """Numbers added; objects added key by key (keys in first-seen order); true only if all are."""
    first = values[0]
    if isinstance(first, bool) or first is None or isinstance(first, str):
        return first if all(v == first for v in values) else None
    if isinstance(first, int | float):
        return sum(v for v in values if isinstance(v, int | float))
    if isinstance(first, Mapping):
        keys = list(dict.fromkeys(k for v in values if isinstance(v, Mapping) for k in v))
        return {k: _sum([v[k] for v in values if isinstance(v, Mapping) and k in v]) for k in keys}
    return first


def _district_sources(district: str, sources: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """A district's `sources` with its files named from the roll-up folder (西湖区/2022/...)."""
    return {figure: {f"{district}/{file}": rows for file, rows in files.items()} for figure, files in sources.items()}


def rollup_figures(by_district: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The districts' figures (district -> figures.json, in the programme's order) rolled up.

    Counts and objects of counts are summed; `as_of` is the latest district's; `sources` names
    every district's rows; `districts` lists each district's figures (without its sources).
    """
    names = list(by_district)
    if not names:
        raise ValueError("a roll-up needs at least one district")
    keys = list(dict.fromkeys(k for figures in by_district.values() for k in figures))
    rolled: dict[str, Any] = {}
    for key in keys:
        values = [by_district[d][key] for d in names if key in by_district[d]]
        if key in _SAME:
            rolled[key] = values[0]
        elif key in _LATEST:
            rolled[key] = max(values)
        elif key == "sources":
            merged: dict[str, dict[str, str]] = {}
            for district in names:
                for figure, files in _district_sources(district, by_district[district].get("sources", {})).items():
                    merged.setdefault(figure, {}).update(files)
            rolled[key] = merged
        else:
            rolled[key] = _sum(values)
    rolled["districts"] = [
        {"district": d, **{k: v for k, v in by_district[d].items() if k not in _NOT_PER_DISTRICT}} for d in names
    ]
    return rolled
