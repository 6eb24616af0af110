"""Validation: the Frictionless schemas (structure) plus the policy's rules (meaning)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from frictionless import Package

from pnmce.data import rules
from pnmce.data.csvfile import read_text_csv, row_number
from pnmce.data.ids import INDICATOR_ID
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.errors import InputError, Problem

# Spanish wording for the Frictionless error types a user can meet.
_MESSAGES = {
    "type-error": "el valor no es del tipo esperado ({type})",
    "constraint-error": "el valor no cumple la restricción del esquema ({constraint})",
    "missing-cell": "falta la celda",
    "extra-cell": "la fila tiene más celdas que columnas",
    "blank-row": "fila vacía",
    "primary-key": "clave primaria duplicada",
    "foreign-key": "hace referencia a un registro que no existe en {reference}",
    "duplicate-label": "nombre de columna repetido",
    "missing-label": "falta la columna",
    "incorrect-label": "nombre de columna inesperado",
    "blank-label": "columna sin nombre",
    "extra-label": "columna no declarada en el esquema",
    "encoding-error": "el archivo no está en UTF-8",
    "scheme-error": "no se puede abrir el archivo",
    "source-error": "no se puede leer el archivo",
}


_TYPES = {"integer": "entero", "number": "número", "string": "texto", "year": "año"}


def _message(err) -> str:
    text = _MESSAGES.get(err.type, err.note)
    if "{type}" in text:  # the note reads: type is "number/default"
        kind = err.note.split('"')[1].split("/")[0] if '"' in err.note else ""
        text = text.format(type=_TYPES.get(kind, kind))
    if "{constraint}" in text:
        text = text.format(constraint=err.note)
    if "{reference}" in text:
        text = text.format(reference=f"{err.reference_name}.{'/'.join(err.reference_field_names)}")
    return text


def check_structure(datapackage: Path) -> list[Problem]:
    """Schema, keys and foreign keys, as declared in the descriptor."""
    problems = []
    report = Package(str(datapackage)).validate()
    for task in report.tasks:
        file = "data/" + task.place if not str(task.place).startswith("data/") else task.place
        for err in task.errors:
            problems.append(Problem(
                file=file,
                message=_message(err),
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None) or ", ".join(getattr(err, "field_names", []) or []) or None,
                value=getattr(err, "cell", None) or ", ".join(getattr(err, "field_cells", []) or []) or None,
            ))
    return problems


def non_finite(path: Path, columns: list[str], file: str) -> list[Problem]:
    """Numeric cells that are not finite numbers: `inf`, `NaN` or `1e400` pass a schema's number type."""
    try:
        frame = read_text_csv(path)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return []  # the schema checks report unreadable files
    return [Problem(file, "el número no es finito", row_number(i), col, v)
            for col in columns if col in frame.columns
            for i, v in frame[col].items() if v.strip() and not rules.is_finite_number(v)]


def non_finite_cells(project_data: Path) -> list[Problem]:
    """`non_finite` over every numeric field of the data package and every observed year."""
    from pnmce.data.observed import OBSERVED_DIR, observed_years

    descriptor = json.loads((project_data / "datapackage.json").read_text(encoding="utf-8"))
    problems = []
    for res in descriptor["resources"]:
        numeric = [f["name"] for f in res["schema"]["fields"] if f.get("type") in ("number", "integer")]
        if numeric:
            problems += non_finite(project_data / res["path"], numeric, "data/" + res["path"])
    for year in observed_years(project_data):
        problems += non_finite(project_data / OBSERVED_DIR / f"{year}.csv", ["valor", "numerador", "denominador"],
                               f"data/{OBSERVED_DIR}/{year}.csv")
    return problems


def check_rules(cat: Catalogue) -> list[Problem]:
    """The policy's own rules, beyond what a table schema can say."""
    problems: list[Problem] = []
    ind, metas = cat.indicadores, cat.metas
    f_ind, f_metas = cat.resource_path("indicadores"), cat.resource_path("metas")

    for i, r in ind.iterrows():
        if not INDICATOR_ID.fullmatch(r["id"]):
            problems.append(Problem(f_ind, "identificador con formato no válido", row_number(i), "id", r["id"]))
            continue
        if r["nivel"] == "objetivo":
            if r["tipo"] != "resultado":
                problems.append(Problem(f_ind, "un indicador de objetivo debe ser de tipo «resultado»", row_number(i), "tipo", r["tipo"]))
            if not r["id"].startswith(r["objetivo"] + "."):
                problems.append(Problem(f_ind, f"el código no corresponde al objetivo {r['objetivo']}", row_number(i), "id", r["id"]))
        else:
            if r["tipo"] == "resultado":
                problems.append(Problem(f_ind, "un indicador de servicio debe ser de calidad o de cobertura", row_number(i), "tipo", r["tipo"]))
            if not r["servicio"] or not r["id"].startswith(r["servicio"] + "-"):
                problems.append(Problem(f_ind, "el código no corresponde al servicio indicado", row_number(i), "servicio", r["servicio"]))
            if r["servicio"] and r["objetivo"] != "OP" + r["servicio"][1]:
                problems.append(Problem(f_ind, f"el servicio {r['servicio']} no pertenece al objetivo indicado", row_number(i), "objetivo", r["objetivo"]))

    for i, r in ind.iterrows():
        if r["unidad"] not in rules.UNITS:
            problems.append(Problem(f_ind, "unidad desconocida para el método (se admiten: " + ", ".join(rules.UNITS) + ")",
                                    row_number(i), "unidad", r["unidad"]))

    units = ind.set_index("id")["unidad"]
    baselines = ind.set_index("id")[["linea_base_anio", "linea_base_valor"]]
    for i, m in metas.iterrows():
        if rules.percent_out_of_range(m["valor"], units.get(m["indicador"])):
            problems.append(Problem(f_metas, "porcentaje fuera del rango 0–100", row_number(i), "valor", str(m["valor"])))
        if m["tipo"] == "linea_base" and m["indicador"] in baselines.index:
            year, value = baselines.loc[m["indicador"]]
            if pd.notna(year) and m["anio"] != year:
                problems.append(Problem(f_metas, f"el año de la línea base no coincide con indicadores.csv ({year})", row_number(i), "anio", str(m["anio"])))
            if pd.notna(value) and pd.notna(m["valor"]) and abs(m["valor"] - value) > 1e-9:
                problems.append(Problem(f_metas, f"la línea base no coincide con indicadores.csv ({value})", row_number(i), "valor", str(m["valor"])))

    counts = metas[metas["tipo"] == "linea_base"].groupby("indicador").size()
    for ident, n in counts.items():
        if n > 1:
            problems.append(Problem(f_metas, f"{n} filas de línea base para un mismo indicador", None, "indicador", ident))
    return problems


def validate_catalogue(project_data: Path) -> list[Problem]:
    """Every problem in the data package, the observed values and the method (empty when valid)."""
    from pnmce.data.method import load_method
    from pnmce.data.observed import check_files

    problems = check_structure(project_data / "datapackage.json")
    problems = problems or non_finite_cells(project_data)
    if problems:
        return problems
    try:
        cat = read_catalogue(project_data)
        load_method(project_data)
    except InputError as exc:
        return exc.problems
    return check_rules(cat) + check_files(project_data, set(cat.indicadores["id"]))


def load_valid_catalogue(project_data: Path) -> Catalogue:
    """The catalogue, or an InputError listing every problem found."""
    problems = validate_catalogue(project_data)
    if problems:
        raise InputError(problems, "Los datos no son válidos")
    return read_catalogue(project_data)
