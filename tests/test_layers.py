"""The import layering of pipeline/, read from the source (AST): the core never imports defs/ or
ops/, defs/ never imports ops/, and no two packages import each other (directly or round a loop)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
# the modules above the layers: they parse arguments or assemble the code location
TOP = {"cli", "__main__", "definitions"}
CORE = {"contract", "intake", "warehouse", "metrics", "report", "reporting", "portal", "config", "sql", "paths", "locks",
        "failures", "terminal", "arguments"}


def _unit(module: str) -> str:
    """A module's unit in the layering: its package under pipeline/, or the top-level module."""
    return module.split(".")[1]


def _imports(path: Path) -> set[str]:
    """Every pipeline module a file imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("pipeline.")}


def _graph() -> dict[str, set[str]]:
    """Unit -> the other units it imports."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        unit = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        graph.setdefault(unit, set()).update(_unit(m) for m in _imports(path) if _unit(m) != unit)
    return graph


def test_every_unit_is_placed_in_a_layer() -> None:
    assert set(_graph()) - {"__init__"} <= CORE | TOP | {"defs", "ops"}


@pytest.mark.parametrize("unit", sorted(CORE))
def test_the_core_never_imports_defs_or_ops(unit: str) -> None:
    assert not _graph().get(unit, set()) & {"defs", "ops", *TOP}


def test_defs_never_imports_ops() -> None:
    assert not _graph()["defs"] & {"ops", *TOP}


def test_no_package_cycle() -> None:
    graph = _graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in graph.get(start, ()))

    assert [unit for unit in sorted(graph) if reaches(unit, unit, {unit})] == []


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    """A lazy import dodging a cycle is an import all the same."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pipeline.ops.build import run_build\n", encoding="utf-8")
    assert _imports(module) == {"pipeline.ops.build"}
