"""Observed (obtained) values: one tidy CSV per monitoring year in `data/observado/AAAA.csv`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema

from pnmce.errors import Problem

COLUMNS = ["indicador", "anio", "valor", "numerador", "denominador", "fuente", "comentario"]
_YEAR_FILE = re.compile(r"(\d{4})\.csv")


def folder(data_dir: Path) -> Path:
    return data_dir / "observado"


def observed_years(data_dir: Path) -> list[int]:
    d = folder(data_dir)
    return sorted(int(m.group(1)) for p in d.glob("*.csv") if (m := _YEAR_FILE.fullmatch(p.name))) if d.is_dir() else []


def read_observed(data_dir: Path, year: int) -> pd.DataFrame:
    path = folder(data_dir) / f"{year}.csv"
    if not path.is_file():
        return empty()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in ("valor", "numerador", "denominador"):
        frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("Float64")
    frame["anio"] = pd.to_numeric(frame["anio"]).astype("Int64")
    return frame[COLUMNS]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Float64" if c in ("valor", "numerador", "denominador") else
                                      ("Int64" if c == "anio" else "str")) for c in COLUMNS})


def observed_until(data_dir: Path, year: int) -> pd.DataFrame:
    """Every observed value of the years up to `year` (the edition), oldest first."""
    frames = [read_observed(data_dir, y) for y in observed_years(data_dir) if y <= year]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty()


def last_observed(data_dir: Path, year: int) -> pd.DataFrame:
    """The latest observed value of each indicator up to `year`."""
    obs = observed_until(data_dir, year)
    return obs.sort_values(["indicador", "anio"]).groupby("indicador", as_index=False).tail(1)


def check_files(data_dir: Path, indicator_ids: set[str]) -> list[Problem]:
    """Each stored year file against its schema, its year and the catalogue's ids."""
    schema = Schema.from_descriptor(json.loads((folder(data_dir) / "esquema.json").read_text(encoding="utf-8")))
    problems = []
    for year in observed_years(data_dir):
        path = folder(data_dir) / f"{year}.csv"
        name = f"data/observado/{year}.csv"
        report = Resource(str(path), schema=schema).validate()
        for err in report.flatten(["rowNumber", "fieldName", "note", "cell"]):
            problems.append(Problem(name, f"no cumple el esquema ({err[2]})", err[0], err[1], err[3]))
        if problems:
            continue
        frame = read_observed(data_dir, year)
        for i, r in frame.iterrows():
            if int(r["anio"]) != year:
                problems.append(Problem(name, f"el año no coincide con el del archivo ({year})", i + 2, "anio", str(r["anio"])))
            if r["indicador"] not in indicator_ids:
                problems.append(Problem(name, "indicador desconocido", i + 2, "indicador", r["indicador"]))
    return problems
