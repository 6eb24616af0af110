"""An edition's downloads as a Frictionless data package: `_static/datos/datapackage.json`.

Every download of the edition (the series, each indicator's CSV and JSON, the monitoring summary, the
report's tables in CSV and Excel, the notes on the policy's data) is a resource with its title,
description, SHA-256 and size; each table has a schema whose fields declare their type, unit and
meaning (`descargas.yml`), so that `frictionless validate` checks the files against declared types
instead of guessing them. The licence and source are those of the policy's data package (`data/`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from pnmce.data.ids import page_name
from pnmce.data.package import Catalogue
from pnmce.fileio import write_if_changed

NAME = "datapackage.json"
DESCRIPTIONS = Path(__file__).with_name("descargas.yml")


class PackageError(Exception):
    """A download has a column the package cannot describe; the message is for the user, in Spanish."""


@lru_cache(maxsize=1)
def descriptions() -> dict:
    return yaml.safe_load(DESCRIPTIONS.read_text(encoding="utf-8"))


def _header(path: Path, sheet: str | None) -> list[str]:
    if sheet is None:
        with open(path, encoding="utf-8", newline="") as f:
            return next(csv.reader(f), [])
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        if sheet not in book.sheetnames:
            return []
        row = next(book[sheet].iter_rows(max_row=1, values_only=True), ())
        return [str(v) for v in row if v is not None]
    finally:
        book.close()


def _fill(value, values: dict):
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


_YEARLY = re.compile(r"^(.+)_(\d{4})$")


def _schema(columns: list[str], specific: dict, file_name: str, values: dict) -> dict:
    common = {**descriptions()["campos"], **specific}
    fields = []
    for column in columns:
        key, each = column, values
        yearly = _YEARLY.match(column)
        if column not in common and yearly:  # one column per year: `esperado_2026` is `esperado_{anio}`
            key, each = f"{yearly[1]}_{{anio}}", {**values, "anio": yearly[2]}
        if key not in common:
            raise PackageError(f"La columna «{column}» de la descarga {file_name} no tiene tipo ni descripción en "
                               f"{DESCRIPTIONS.name}: agréguela allí.")
        spec = _fill({**descriptions()["campos"].get(key, {}), **specific.get(key, {})}, each)
        field = {"name": column, "type": spec["type"], "description": " ".join(spec["description"].split())}
        if spec.get("unidad"):
            field["unidad"] = spec["unidad"]
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _resource(folder: Path, spec: dict, values: dict) -> dict | None:
    path = folder / spec["archivo"].format(**values)
    if not path.is_file():
        return None
    data = path.read_bytes()
    name = path.relative_to(folder).as_posix()
    resource = {"name": spec["name"].format(**values).lower(), "path": name,
                "title": _fill(spec["title"], values),
                "description": " ".join(_fill(spec["description"], values).split()),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if path.suffix == ".json":
        return {**resource, "type": "json", "format": "json", "mediatype": "application/json", "encoding": "utf-8"}
    sheet = spec.get("hoja")
    sheet = sheet.format(**values) if sheet else None
    columns = _header(path, sheet)
    if not columns:
        return None
    schema = _schema(columns, spec.get("campos") or {}, name, values)
    if sheet is None:
        return {**resource, "type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": schema}
    return {**resource, "type": "table", "format": "xlsx",
            "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "dialect": {"excel": {"sheet": sheet}}, "schema": schema}


def package_descriptor(folder: Path, cat: Catalogue, edition: int, data_dir: Path) -> dict:
    """The descriptor of the downloads in `folder` (`_static/datos`) that belong to `edition`."""
    spec = descriptions()
    values = {"edicion": int(edition)}
    resources = []
    indicators = cat.indicadores.set_index("id")
    for item in spec["recursos"]:
        if "{indicador}" in item["archivo"]:
            for ident in cat.indicadores["id"]:
                row = indicators.loc[ident]
                unit = "" if pd.isna(row["unidad"]) else str(row["unidad"])
                name = str(row["nombre"]).strip()
                each = {**values, "indicador": page_name(ident), "nombre": name if name.endswith(".") else name + ".",
                        "unidad": unit or "la unidad de su ficha técnica"}
                resource = _resource(folder, item, each)
                if resource is not None:
                    resources.append(resource)
        else:
            resource = _resource(folder, item, values)
            if resource is not None:
                resources.append(resource)
    source = json.loads((Path(data_dir) / NAME).read_text(encoding="utf-8"))
    head = _fill(spec["paquete"], values)
    return {"name": head["name"], "title": head["title"], "description": " ".join(head["description"].split()),
            "licenses": source.get("licenses", []), "sources": source.get("sources", []), "resources": resources}


def write_package(folder: Path, cat: Catalogue, edition: int, data_dir: Path) -> Path:
    """Write `folder/datapackage.json` (only when its bytes change) and return its path."""
    descriptor = package_descriptor(Path(folder), cat, edition, data_dir)
    target = Path(folder) / NAME
    write_if_changed(target, (json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return target
