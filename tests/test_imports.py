"""The package's modules import one another without cycles, so the stages read top-down.

Module-level imports count (an import inside a function runs later, on use; one under
`if TYPE_CHECKING:` never runs), and importing `a.b.c` imports `a.b` and `a` too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "stp_tracker"


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _targets(module: str, path: Path, node: ast.ImportFrom, known: dict[str, Path]) -> list[str]:
    """The modules a `from ... import ...` statement imports."""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules `module` imports when it is imported, parents included."""
    direct: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for found in ast.walk(node):
            if isinstance(found, ast.ImportFrom):
                direct.update(_targets(module, path, found, known))
            elif isinstance(found, ast.Import):
                direct.update(alias.name for alias in found.names)
    with_parents = {
        ".".join(name.split(".")[:end])
        for name in direct
        if name.startswith("stp_tracker")
        for end in range(2, name.count(".") + 2)
    }
    return {name for name in with_parents if name in known and name != module}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycles() -> None:
    """No module imports, directly or through others, a module that imports it."""
    known = modules()
    graph = {module: imports(module, path, known) for module, path in known.items()}
    assert cycles(graph) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list) -> None:
    """The checker above would see a cycle if there were one."""
    assert cycles(graph) == expected


def test_importing_a_module_imports_its_package(tmp_path: Path) -> None:
    """A package that imports its module, which imports a sibling, is a cycle through the
    package; type-checking-only and in-function imports are not."""
    root = tmp_path / "stp_tracker"
    (root / "pub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "pub" / "__init__.py").write_text("from .app import run\n")
    (root / "pub" / "app.py").write_text("from . import pages\n")
    (root / "pub" / "pages.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .app import run\n"
        "def later():\n    from .app import run\n"
    )
    known = modules(root)
    graph = {module: imports(module, path, known) for module, path in known.items()}
    assert cycles(graph) == [["stp_tracker.pub", "stp_tracker.pub.app"]]
