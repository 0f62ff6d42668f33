"""The house rules, checked on the source: stages import only downwards, no cycles, modules and commands small.

Stages, lowest first (each package's ``__init__`` says what its modules are for):
``xmtj.problems``/``xmtj.textsafe`` → ``xmtj.ledger`` (and ``ledger.speed``) → ``xmtj.figures`` →
``xmtj.documents`` → ``xmtj.changes`` → ``xmtj.intake`` → ``xmtj.cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

SRC = REPO / "src"
STAGES = ["base", "ledger", "figures", "rollup", "documents", "changes", "intake", "cli"]
HISTORY_READ_SIDE = "xmtj.changes.history"
WRITE_SIDE = {"xmtj.changes.apply", "xmtj.changes.writer", "xmtj.changes.lock", "xmtj.changes.build"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "xmtj").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else 0


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every xmtj module ``path`` imports, at the top or inside a function (``TYPE_CHECKING`` ones too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xmtj"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("xmtj"))
    return {m for m in found if m in known}


GRAPH = {name: imports(path, modules()) for name, path in modules().items()}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_stage_imports_only_from_stages_below_it(module: str) -> None:
    upward = sorted(m for m in GRAPH[module] if stage(m) > stage(module) and m != "xmtj.cli")
    assert upward == [], f"{module} imports a later stage: {upward}"


def test_the_read_side_of_history_does_not_import_the_write_side() -> None:
    assert GRAPH[HISTORY_READ_SIDE] & WRITE_SIDE == set()


def test_no_import_cycle() -> None:
    top_level = {name: {m for m in deps if m != name} for name, deps in GRAPH.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in top_level[node]:
            if dep in node or node.startswith(dep + "."):
                continue  # a package and its own modules
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " → ".join([*trail, node, dep]))
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for name in sorted(top_level):
        if name not in state:
            visit(name, [])


DATA_TABLES: set[str] = set()  # modules allowed to be long because they are tables


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_is_much_over_400_lines(module: str) -> None:
    lines = modules()[module].read_text(encoding="utf-8").count("\n")
    assert module in DATA_TABLES or lines <= 420, f"{module}: {lines} lines"


def test_every_command_is_thin() -> None:
    """A command parses options, makes one library call and shows the result: at most ~40 lines."""
    long = []
    for path in (SRC / "xmtj" / "cli").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", getattr(d.func, "id", "")) == "command"
                for d in node.decorator_list
            ):
                body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body
                if node.end_lineno is not None and node.end_lineno - body[0].lineno + 1 > 25:
                    long.append(f"{path.name}:{node.name}")
    assert long == []
