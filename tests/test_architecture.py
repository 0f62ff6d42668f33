"""The house rules, checked on the source: stages import only downwards, no cycles, modules and commands small.

Stages, lowest first (each package's ``__init__`` says what its modules are for):
``xmtj.problems``/``xmtj.textsafe`` → ``xmtj.ledger`` (and ``ledger.speed``) → ``xmtj.figures`` →
``xmtj.documents`` → ``xmtj.changes`` → ``xmtj.intake`` → ``xmtj.site`` → ``xmtj.cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

SRC = REPO / "src"
STAGES = ["base", "ledger", "figures", "rollup", "documents", "changes", "intake", "site", "cli"]
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


def test_every_module_is_in_its_packages_table() -> None:
    """Each package's ``__init__`` lists its modules (``| ``name`` | what it is for |``): a map that stays true."""
    missing = []
    for package in sorted({p.parent for p in (SRC / "xmtj").rglob("*.py")}):
        init = package / "__init__.py"
        if package == SRC / "xmtj" or not init.exists():
            continue
        table = init.read_text(encoding="utf-8")
        for module in sorted(package.glob("*.py")):
            name = module.stem
            if name != "__init__" and f"``{name}``" not in table:
                missing.append(f"{package.relative_to(SRC)}/{name}")
        for sub in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
            if f"``{sub.name}/``" not in table and f"``{sub.name}``" not in table:
                missing.append(f"{package.relative_to(SRC)}/{sub.name}/")
    assert missing == []


def test_the_top_level_modules_are_in_the_readme_map() -> None:
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in sorted((SRC / "xmtj").glob("*.py")):
        if module.stem not in ("__init__", "__main__"):
            assert f"``xmtj.{module.stem}``" in architecture or f"`xmtj.{module.stem}`" in architecture, module.stem


def test_no_private_name_crosses_a_module() -> None:
    """``from xmtj.x import _name`` (or ``x._name``): what a module keeps private stays inside it."""
    crossing = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xmtj"):
                crossing += [
                    f"{name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                value = node.value
                if isinstance(value, ast.Name) and value.id in {"gitio", "cache", "fmt", "cells", "yamlio", "records"}:
                    crossing.append(f"{name}: {value.id}.{node.attr}")
    assert crossing == []


HEAVY = {"pydantic", "pydantic_core", "rich", "tabulate", "jinja2", "openpyxl", "docx", "python_calamine", "yaml",
         "wcwidth", "markdown_it", "lxml", "typer"}  # fmt: skip


def test_function_local_imports_are_only_the_heavy_ones() -> None:
    """Imports sit at a module's top, where a reader sees the dependencies; only the heavy third-party
    packages (``HEAVY``: what would slow ``xmtj --help``) are imported inside the functions that use them,
    and a few xmtj modules that a command loads only when it needs them (named in ``LAZY``)."""
    local = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module:
                    top = node.module.split(".")[0]
                    if top == "xmtj" and node.module not in LAZY.get(name, ()) and not name.startswith("xmtj.cli"):
                        local.append(f"{name}: {node.module}")
    assert local == []


# xmtj modules a module imports inside a function on purpose (a cycle, or cost on a path that rarely needs it)
LAZY: dict[str, tuple[str, ...]] = {
    "xmtj.ledger.counting": ("xmtj.ledger.checks",),  # YAML and the checks, only for a ledger with errors
}
