"""Read the data package into typed DataFrames, applying the explicit corrections."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pnmce import deps
from pnmce.data.csvfile import read_text_csv, row_number
from pnmce.errors import InputError, Problem

_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "year": "Int64"}


class Tables(dict):
    """The tables of a catalogue; reading one records it as an input of the running notebook
    (`pnmce.deps`), whether through `cat.name`, `cat.tables[name]` or iteration."""

    kind = deps.TABLE

    def __getitem__(self, name):
        deps.record(self.kind, name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        deps.record(self.kind, name)
        return super().get(name, default)

    def _all(self):
        for name in dict.keys(self):
            deps.record(self.kind, name)

    def values(self):
        self._all()
        return super().values()

    def items(self):
        self._all()
        return super().items()


class PublishedTables(Tables):
    kind = deps.PUBLISHED_TABLE


@dataclass(frozen=True)
class Catalogue:
    """Every table of the data package, by resource name, plus a content digest.

    Reading `digest` records the whole package as an input (it changes with any table)."""

    tables: dict[str, pd.DataFrame]
    _digest: str
    descriptor: dict = field(repr=False, default_factory=dict)
    applied_corrections: pd.DataFrame | None = field(repr=False, default=None)

    @property
    def digest(self) -> str:
        deps.record(deps.DATA_VERSION)
        return self._digest

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(name) from None

    def resource_path(self, name: str) -> str:
        """The file of a resource, relative to the project (for messages)."""
        for res in self.descriptor.get("resources", []):
            if res["name"] == name:
                return "data/" + res["path"]
        return name


def _read_table(path: Path, schema: dict) -> pd.DataFrame:
    frame = read_text_csv(path)
    for spec in schema["fields"]:
        name, kind = spec["name"], spec.get("type", "string")
        if name not in frame.columns:
            continue
        if kind in _PANDAS_TYPES:
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype(_PANDAS_TYPES[kind])
    return frame


def data_digest(data_dir: Path) -> str:
    """A short content hash of the descriptor and every resource file."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    h = hashlib.sha256((data_dir / "datapackage.json").read_bytes())
    for res in sorted(descriptor["resources"], key=lambda r: r["name"]):
        h.update(res["path"].encode())
        h.update((data_dir / res["path"]).read_bytes())
    return h.hexdigest()[:12]


def apply_corrections(tables: dict[str, pd.DataFrame], descriptor: dict) -> pd.DataFrame:
    """Apply correcciones.csv in place; refuse a correction whose published value moved."""
    corrections = tables.get("correcciones")
    if corrections is None or corrections.empty:
        return pd.DataFrame()
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in descriptor["resources"]}
    problems = []
    for i, c in corrections.iterrows():
        row = row_number(i)
        table = tables.get(c["recurso"])
        if table is None or c["campo"] not in table.columns:
            problems.append(Problem("data/catalogo/correcciones.csv", "recurso o campo desconocido", row, "campo", c["campo"]))
            continue
        values = c["clave"].split("|")
        mask = pd.Series(True, index=table.index)
        for col, val in zip(keys[c["recurso"]], values):
            mask &= table[col].astype(str) == val
        if mask.sum() != 1:
            problems.append(Problem("data/catalogo/correcciones.csv", "la clave no identifica una fila", row, "clave", c["clave"]))
            continue
        current = table.loc[mask, c["campo"]].iloc[0]
        if _as_text(current) != c["valor_publicado"]:
            problems.append(Problem(
                "data/catalogo/correcciones.csv",
                f"el valor publicado ya no coincide con el dato ({_as_text(current)!r}); revise la corrección",
                row, "valor_publicado", c["valor_publicado"]))
            continue
        table.loc[mask, c["campo"]] = _cast(c["valor_corregido"], table[c["campo"]].dtype)
    if problems:
        raise InputError(problems, "Correcciones no aplicables")
    return corrections


def _cast(text: str, dtype):
    if str(dtype) in ("Int64", "Float64"):
        return pd.NA if text == "" else float(text)
    return text


def _as_text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_catalogue(data_dir: Path, corrections: bool = True) -> Catalogue:
    """Read (without validating) every resource of `data_dir/datapackage.json`.

    With `corrections=False` the values stay as published (the `correcciones` table is still
    read, but not applied, and `applied_corrections` is None): that is what the source's
    quality-control report needs.
    """
    digest = data_digest(data_dir)
    key = (str(Path(data_dir).resolve()), corrections)
    cached = _CACHE.get(key)
    if cached is None or cached[0] != digest:
        descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
        tables = {r["name"]: _read_table(data_dir / r["path"], r["schema"]) for r in descriptor["resources"]}
        applied = apply_corrections(tables, descriptor) if corrections else None
        cached = _CACHE[key] = (digest, tables, descriptor, applied)
    _, tables, descriptor, applied = cached
    # Each caller gets its own copies: a notebook that edits a table cannot affect the next one.
    kind = Tables if corrections else PublishedTables
    return Catalogue(kind({n: t.copy() for n, t in tables.items()}), digest, copy.deepcopy(descriptor),
                     None if applied is None else applied.copy())


# Parsed tables by (data folder, corrections), with the content digest they were read from: a
# warm kernel parses the catalogue once, and again only when a file changed.
_CACHE: dict[tuple[str, bool], tuple] = {}
