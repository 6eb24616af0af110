"""Read the data package into typed DataFrames, applying the explicit corrections."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pnmce.errors import InputError, Problem

_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "year": "Int64"}


@dataclass(frozen=True)
class Catalogue:
    """Every table of the data package, by resource name, plus a content digest."""

    tables: dict[str, pd.DataFrame]
    digest: str
    descriptor: dict = field(repr=False, default_factory=dict)
    applied_corrections: pd.DataFrame | None = field(repr=False, default=None)

    def __getattr__(self, name: str) -> pd.DataFrame:
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
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
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
        row = i + 2
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
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: _read_table(data_dir / r["path"], r["schema"]) for r in descriptor["resources"]}
    applied = apply_corrections(tables, descriptor) if corrections else None
    return Catalogue(tables, data_digest(data_dir), descriptor, applied)
