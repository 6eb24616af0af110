"""Host side of dependency tracking: what a run depends on, its record, and why it is re-executed.

A run's record (`<output>.registro.json`, beside the notebook) holds the digest of its template,
parameters, imported `pnmce` modules, the environment, and of every input the kernel recorded
while the notebook ran (`pnmce.deps`). A run is current when all of them still match.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd

from pnmce import deps
from pnmce.data.observed import observed_until
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.paths import Project
from pnmce.provenance import environment, sha

RECORD_SUFFIX = ".registro.json"
ALWAYS_IMPORTED = ("pnmce.present.charts", "pnmce.deps", "pnmce.execute.namespace")  # by the kernel's reset code


def record_path(output: Path) -> Path:
    return output.with_name(output.name.removesuffix(".ipynb") + RECORD_SUFFIX)


# ------------------------------------------------------------------ what every run depends on

_IMPORT = re.compile(r"^\s*(?:from\s+(pnmce[\w.]*)\s+import\s+([\w\s,()]+?)\s*$|import\s+(pnmce[\w.]*))", re.M)


@functools.lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


@functools.lru_cache(maxsize=None)
def _imports_in(source: str) -> frozenset[str]:
    """`pnmce` modules a piece of Python names (also `from pnmce.x import y` where y is a module);
    cached by source, so each module is parsed once per build."""
    found = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pnmce")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pnmce") and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if _module_file(f"{node.module}.{a.name}")}
    return frozenset(found)


def _closure_of(name: str) -> frozenset[str]:
    seen, todo = set(), [name]
    while todo:
        mod = todo.pop()
        if mod in seen or (path := _module_file(mod)) is None:
            continue
        seen.add(mod)
        parts = mod.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # parent packages run first
        todo += sorted(_imports_in(path.read_text(encoding="utf-8")))
    return frozenset(seen)


def template_modules(template: Path) -> dict[str, str]:
    """Every `pnmce` module the template can run (its imports, transitively), with its source digest.

    Static and conservative: a module imported anywhere in a reachable module counts, so the
    set does not depend on which notebook a warm kernel happened to run before."""
    text = template.read_text(encoding="utf-8")
    names = set(ALWAYS_IMPORTED)
    code = "\n".join(m.group(0).strip() for m in _IMPORT.finditer(text))
    names |= _imports_in(code)
    modules = set()
    for name in names:
        modules |= _closure_of(name)
    return {m: sha(_module_file(m).read_bytes()) for m in sorted(modules)}


_PARAMS = re.compile(r"```\{code-cell\}[^\n]*\n:tags: \[[^\]]*parameters[^\]]*\]\n(.*?)```", re.S)
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def template_parameters(template: Path) -> set[str]:
    """The parameters a template uses: declared in its parameters cell and named elsewhere in it
    (code or a `{{ name }}` placeholder). A declared but unused `edicion` is not passed, so that
    switching editions does not re-execute pages that do not show it."""
    text = template.read_text(encoding="utf-8")
    declared = set()
    for block in _PARAMS.findall(text):
        declared |= set(re.findall(r"^(\w+)\s*=", block, re.M))
    rest = _PARAMS.sub("", text)
    return {n for n in declared if re.search(rf"\b{n}\b", rest)}


# ------------------------------------------------------------------ inputs the kernel recorded

def table_digest(frame: pd.DataFrame) -> str:
    return sha(",".join(f"{c}:{t}" for c, t in frame.dtypes.items()) + "\n" + frame.to_csv(index=False))


class Inputs:
    """Current digest of each input a kernel can record, for one build (cached)."""

    def __init__(self, project: Project, cat: Catalogue):
        self.project = project
        self.cat = cat
        self._cache: dict[tuple[str, str], str] = {}
        self._published: Catalogue | None = None
        self._frames: dict[tuple[str, int], pd.DataFrame | None] = {}  # per (kind, year), read once

    def _frame(self, kind: str, year: int) -> pd.DataFrame | None:
        """Observed values, monitoring table or history up to `year`; None when not written."""
        if (kind, year) not in self._frames:
            self._frames[kind, year] = self._read(kind, year)
        return self._frames[kind, year]

    def _read(self, kind: str, year: int) -> pd.DataFrame | None:
        if kind == deps.OBSERVED:
            return observed_until(self.project.data, year)
        if kind == deps.MONITORING:
            from pnmce.metrics.edition import read_table, table_path

            path = table_path(self.project.generated, year)
            return read_table(path) if path.is_file() else None
        from pnmce.metrics.history import history_path, read_history

        if not history_path(self.project.generated, year).is_file():
            return None
        return read_history(self.project.generated, year)[0]

    def digest(self, kind: str, arg: str) -> str:
        key = (kind, arg)
        if key not in self._cache:
            self._cache[key] = self._compute(kind, arg)
        return self._cache[key]

    def _compute(self, kind: str, arg: str) -> str:
        if kind in (deps.TABLE, deps.PUBLISHED_TABLE):
            if kind == deps.PUBLISHED_TABLE and self._published is None:
                self._published = read_catalogue(self.project.data, corrections=False)
            cat = self.cat if kind == deps.TABLE else self._published
            frame = dict.get(cat.tables, arg)
            return "ausente" if frame is None else table_digest(frame)
        if kind == deps.DATA_VERSION:
            return self.cat._digest
        if kind in (deps.OBSERVED, deps.MONITORING, deps.HISTORY):
            year, _, indicator = arg.partition("/")
            frame = self._frame(kind, int(year))
            if frame is None:
                return "ausente"
            if indicator or kind == deps.HISTORY:
                frame = frame[frame["indicador"] == indicator]
            return sha(frame.to_csv(index=False))
        if kind == deps.FILE:
            path = self.project.root / arg
            return sha(path.read_bytes()) if path.is_file() else "ausente"
        return "desconocido"

    def all(self, read: list) -> dict[str, str]:
        return {f"{kind}:{arg}": self.digest(kind, arg) for kind, arg in sorted(map(tuple, read))}


# ------------------------------------------------------------------ records and reasons

def make_record(template_name: str, parameters: dict, static: dict, inputs: dict[str, str]) -> dict:
    return {"plantilla": template_name, "parametros": parameters, **static, "entradas": inputs}


def write_record(path: Path, record: dict) -> None:
    from pnmce.fileio import write_if_changed

    write_if_changed(path, (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())


def read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def describe(key: str) -> str:
    """Spanish name of a recorded input, for `--explicar`."""
    kind, _, arg = key.partition(":")
    year, _, indicator = arg.partition("/")
    return {
        deps.TABLE: f"la tabla «{arg}» del catálogo",
        deps.PUBLISHED_TABLE: f"la tabla «{arg}» tal como se publicó",
        deps.DATA_VERSION: "la versión de los datos",
        deps.OBSERVED: (f"los valores observados de {indicator} hasta {year}" if indicator
                      else f"los valores observados hasta {year}"),
        deps.MONITORING: (f"el seguimiento de {indicator} en {year}" if indicator else f"el seguimiento de {year}"),
        deps.HISTORY: f"la serie de seguimiento de {indicator} hasta {year}",
        deps.FILE: f"el archivo {arg}",
    }.get(kind, key)


def static_inputs(template: Path, lock: Path | None = None) -> dict:
    """What a run depends on before it runs: its template, the modules it can import, the environment."""
    return {"plantilla_huella": sha(template.read_bytes()), "modulos": template_modules(template),
            "entorno": environment(lock)}


def reasons(old: dict | None, output_exists: bool, parameters: dict, static: dict, inputs: Inputs) -> list[str]:
    """Why a run must be executed (Spanish), or [] when its output is current."""
    if old is None or not output_exists:
        return ["no había una ejecución anterior"]
    why = []
    if old.get("plantilla_huella") != static["plantilla_huella"]:
        why.append("cambió la plantilla")
    if old.get("parametros") != parameters:
        why.append("cambiaron los parámetros")
    old_mods, new_mods = old.get("modulos", {}), static["modulos"]
    changed = sorted(m for m in set(old_mods) | set(new_mods) if old_mods.get(m) != new_mods.get(m))
    if changed:
        why.append("cambió el código: " + ", ".join(changed))
    if old.get("entorno") != static["entorno"]:
        why.append("cambió el entorno (Python, paquetes o fuentes)")
    for key, digest in sorted(old.get("entradas", {}).items()):
        kind, _, arg = key.partition(":")
        if inputs.digest(kind, arg) != digest:
            what = describe(key)
            why.append(("cambiaron " if what.startswith("los ") else "cambió ") + what)
    return why
