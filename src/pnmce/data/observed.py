"""Observed (obtained) values: one tidy CSV per monitoring year, `data/observado/AAAA.csv`.

Written by `pnmce importar` (see `pnmce.data.intake`), read by the build and the pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from frictionless import Resource, Schema

from pnmce.data.csvfile import numbered_rows, read_checked_csv
from pnmce.errors import InputError, Problem

OBSERVED_DIR = "observado"
# What the responsible unit writes in its own words (CEPLAN practice: analysis of the avance,
# factors that contributed, factors that hindered, measures to be adopted) and a free comment.
TEXT_COLUMNS = ["analisis_avance", "factores_favorables", "factores_desfavorables", "medidas", "comentario"]
TEXT_LABELS = {"analisis_avance": "Análisis del avance", "factores_favorables": "Factores que contribuyeron",
               "factores_desfavorables": "Factores que dificultaron", "medidas": "Medidas a adoptar",
               "comentario": "Comentario"}
# Provenance of a value is data about the value, not a unit's words: `origen` is empty for a value a
# responsible unit reported, `linea_base` for the published baseline (the baseline edition).
ORIGIN_BASELINE = "linea_base"
ORIGINS = {"": "informado por la unidad responsable", ORIGIN_BASELINE: "línea base publicada en la ficha técnica"}
OBSERVED_COLUMNS = ["indicador", "anio", "valor", "numerador", "denominador", "fuente", "origen", *TEXT_COLUMNS]
LEGACY_COLUMNS = [c for c in OBSERVED_COLUMNS if c != "origen"]  # files written before `origen`
NUMBER_COLUMNS = ["valor", "numerador", "denominador"]


def is_missing(value) -> bool:
    """None, pandas' NA or a float NaN (one home: formatting, rules and pages ask this)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def as_number(value) -> float | None:
    """A float, or None for None/NaN/NA/empty text."""
    if value is None or value is pd.NA or (isinstance(value, str) and value.strip() == ""):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def plain_number(value: float | None) -> str:
    """The shortest exact decimal text of a number (no exponent, no trailing zeros)."""
    return "" if value is None else np.format_float_positional(value, trim="-")


def observed_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["indicador"] = frame["indicador"].astype(object)
    frame["anio"] = frame["anio"].astype("int64")
    for col in NUMBER_COLUMNS:
        frame[col] = pd.array([as_number(v) for v in frame[col]], dtype="float64") if len(frame) else \
            pd.Series(dtype="float64")
    if "origen" not in frame.columns:
        frame["origen"] = ""
    for col in ("fuente", "origen", *TEXT_COLUMNS):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
    return frame[OBSERVED_COLUMNS].reset_index(drop=True)



def policy_years(cat) -> tuple[int, int]:
    """The policy's horizon: from the first baseline year to the last year with an expected value."""
    first = int(cat.indicadores["linea_base_anio"].dropna().min())
    return first, int(cat.metas["anio"].max())


def check_policy_year(cat, year: int, what: str = "edición") -> None:
    """InputError (in Spanish) when `year` is outside the policy's horizon; nothing else is done."""
    first, last = policy_years(cat)
    if not first <= int(year) <= last:
        raise InputError([Problem("año pedido", f"la {what} {year} está fuera del horizonte de la política "
                                                f"({first}–{last}); use un año entre {first} y {last}",
                                  None, None, str(year))], "Año rechazado")


def observed_path(data_dir: Path, year: int) -> Path:
    return Path(data_dir) / OBSERVED_DIR / f"{int(year)}.csv"


def observed_years(data_dir: Path) -> list[int]:
    """Years with a data/observado/YEAR.csv, ascending."""
    folder = Path(data_dir) / OBSERVED_DIR
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.csv") if re.fullmatch(r"\d{4}", p.stem))


def read_observed(data_dir: Path, year: int, missing_ok: bool = False) -> pd.DataFrame:
    """The tidy observed values of `year` (strictly checked); empty if missing and `missing_ok`."""
    path = observed_path(data_dir, year)
    shown = f"data/{OBSERVED_DIR}/{path.name}"
    if not path.is_file():
        if missing_ok:
            return observed_dtypes(pd.DataFrame(columns=OBSERVED_COLUMNS))
        raise InputError([Problem(shown, f"no hay valores observados para {year}; impórtelos con "
                                         f"«pnmce importar ARCHIVO --edicion {year}»")],
                         "Valores observados no disponibles")
    columns = OBSERVED_COLUMNS if "origen" in _header(path) else LEGACY_COLUMNS
    frame = read_checked_csv(path, shown, columns, "Valores observados no válidos",
                             lambda f, name: _observed_problems(f, name, year))
    values = {c: [float(t) if t != "" else None for t in frame[c]] for c in NUMBER_COLUMNS}
    return observed_dtypes(frame.assign(anio=int(year), **values))


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return next(csv.reader(f), [])


def _observed_problems(frame: pd.DataFrame, shown: str, year: int) -> list[Problem]:
    problems = []
    for line, rec in numbered_rows(frame):
        if getattr(rec, "origen", "") not in ORIGINS:
            problems.append(Problem(shown, "origen desconocido (vacío o «linea_base»)", line, "origen", rec.origen))
        if rec.anio != str(year):
            problems.append(Problem(shown, f"el año debe ser {year}", line, "anio", rec.anio))
        for col in NUMBER_COLUMNS:
            text = getattr(rec, col)
            if text != "" and not _is_float(text):
                problems.append(Problem(shown, "se esperaba un número con punto decimal", line, col, text))
    for ident in frame.loc[frame["indicador"].duplicated(), "indicador"]:
        problems.append(Problem(shown, "indicador repetido", None, "indicador", ident))
    return problems


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_all_observed(data_dir: Path) -> pd.DataFrame:
    """Every observed year, concatenated (for the jump and revision alerts)."""
    frames = [read_observed(data_dir, y) for y in observed_years(data_dir)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return observed_dtypes(pd.DataFrame(columns=OBSERVED_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def observed_text(frame: pd.DataFrame) -> str:
    """The tidy CSV text of observed values: sorted by indicador, shortest exact numbers, LF."""
    frame = frame.sort_values("indicador", kind="stable")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OBSERVED_COLUMNS)
    for rec in frame.itertuples(index=False):
        writer.writerow([rec.indicador, int(rec.anio)]
                        + [plain_number(as_number(v)) for v in (rec.valor, rec.numerador, rec.denominador)]
                        + [getattr(rec, c) or "" for c in ("fuente", "origen", *TEXT_COLUMNS)])
    return out.getvalue()


def observed_until(data_dir: Path, year: int) -> pd.DataFrame:
    """Every observed value of the years up to `year` (the edition), oldest first."""
    frames = [read_observed(data_dir, y) for y in observed_years(data_dir) if y <= year]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else observed_dtypes(pd.DataFrame(columns=OBSERVED_COLUMNS))


def last_observed(data_dir: Path, year: int) -> pd.DataFrame:
    """The latest observed value of each indicator up to `year`."""
    obs = observed_until(data_dir, year)
    return obs.sort_values(["indicador", "anio"]).groupby("indicador", as_index=False).tail(1)


def check_files(data_dir: Path, indicator_ids: set[str]) -> list[Problem]:
    """Each stored year file against `data/observado/esquema.json`, its year and the catalogue's ids."""
    folder = Path(data_dir) / OBSERVED_DIR
    schema = Schema.from_descriptor(json.loads((folder / "esquema.json").read_text(encoding="utf-8")))
    problems = []
    for year in observed_years(data_dir):
        name = f"data/{OBSERVED_DIR}/{year}.csv"
        report = Resource(path=f"{year}.csv", basepath=str(folder), schema=schema).validate()
        found = [Problem(name, f"no cumple el esquema ({note})", row, field, cell)
                 for row, field, note, cell in report.flatten(["rowNumber", "fieldName", "note", "cell"])]
        if not found:
            try:
                frame = read_observed(data_dir, year)
            except InputError as exc:
                found = exc.problems
            else:
                found = [Problem(name, "indicador desconocido", i + 2, "indicador", ident)
                         for i, ident in enumerate(frame["indicador"]) if ident not in indicator_ids]
        problems += found
    return problems


def data_date(year: int) -> dt.date:
    """The cut-off of an edition's data: the end of its monitoring year."""
    return dt.date(int(year), 12, 31)


RECOMMENDATIONS = "recomendaciones-{year}.md"  # written by the planning office for an edition, beside its values


def recommendations_path(data_dir: Path, year: int) -> Path:
    """The planning office's recommendations for the edition `year` (Markdown; may not exist)."""
    return Path(data_dir) / OBSERVED_DIR / RECOMMENDATIONS.format(year=int(year))


def read_recommendations(data_dir: Path, year: int) -> str:
    """Their text as written, or "" when the office wrote none."""
    path = recommendations_path(data_dir, year)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""
