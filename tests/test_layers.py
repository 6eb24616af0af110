"""The package's layers import only downward, without circles; notebooks import only the presentation layer.

The layers are those of README's module map (from the ground up):

    ground (errors, fileio, paths, provenance, deps, swap) → data → catalogue, metrics → present
    → execute, edition → book → cli

A module may import its own layer and the layers below. A remaining exception needs a line in the
importing module's docstring: `Upward import: pnmce.x.y (reason)`.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import pnmce

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(pnmce.__file__).parent

LAYERS = {
    "ground": 0,
    "data": 1,
    "catalogue": 2, "metrics": 2,
    "present": 3,
    "execute": 4, "edition": 4,
    "book": 5,
    "cli": 6,
}
TOP_MODULES = {"cli": "cli", "cli_spanish": "cli", "__main__": "cli"}  # the rest of pnmce/*.py: ground


def all_modules() -> list[str]:
    names = ["pnmce"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="pnmce."):
        names.append(info.name)
    return sorted(names)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "ground"
    if parts[1] in TOP_MODULES:
        return TOP_MODULES[parts[1]]
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "ground"


def source_of(module: str) -> Path:
    path = PACKAGE.joinpath(*module.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports_of(module: str, known: set[str]) -> set[str]:
    """The `pnmce` modules a module imports anywhere (top level or inside functions)."""
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pnmce")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pnmce") and not node.level:
            submodules = {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
            found |= submodules
            if len(submodules) < len(node.names):  # a name defined in the module (or package) itself
                found.add(node.module)
    return {m for m in found if m in known and m != module}


def allowed_exceptions(module: str) -> set[str]:
    doc = ast.get_docstring(ast.parse(source_of(module).read_text(encoding="utf-8"))) or ""
    return set(re.findall(r"Upward import: (pnmce[\w.]*)", doc))


MODULES = all_modules()
GRAPH = {m: imports_of(m, set(MODULES)) for m in MODULES}


def test_every_module_imports():
    for name in MODULES:
        if name != "pnmce.__main__":  # runs the command line
            importlib.import_module(name)


def test_layer_names_are_known():
    assert {layer_of(m) for m in MODULES} <= set(LAYERS), "a new package needs its place in LAYERS and in README"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    upward = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if LAYERS[layer_of(target)] > LAYERS[layer_of(module)] and target not in allowed_exceptions(module):
                upward.append(f"{module} ({layer_of(module)}) → {target} ({layer_of(target)})")
    return upward


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: a component of more than one module is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_upward_import():
    assert upward_imports(GRAPH) == []


def test_no_import_circle():
    assert circles(GRAPH) == []


def test_the_checks_see_an_upward_import_and_a_circle():
    graph = {"pnmce.data.package": {"pnmce.book.build"}, "pnmce.book.build": {"pnmce.data.package"},
             "pnmce.errors": set()}
    assert upward_imports(graph) == ["pnmce.data.package (data) → pnmce.book.build (book)"]
    assert circles(graph) == [["pnmce.book.build", "pnmce.data.package"]]
    assert GRAPH["pnmce.cli"] and all(LAYERS[layer_of(t)] <= LAYERS["cli"] for t in GRAPH["pnmce.cli"])


_NOTEBOOK_IMPORT = re.compile(r"^\s*(?:from\s+(pnmce[\w.]*)\s+import|import\s+(pnmce[\w.]*))", re.M)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.md")), ids=lambda p: p.name)
def test_notebooks_import_only_the_presentation_layer(notebook):
    text = notebook.read_text(encoding="utf-8")
    named = [a or b for a, b in _NOTEBOOK_IMPORT.findall(text)]
    outside = [n for n in named if not (n == "pnmce.present" or n.startswith("pnmce.present."))]
    assert outside == [], f"{notebook.name} importa fuera de pnmce.present: {outside}"
