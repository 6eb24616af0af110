"""Responsible units by acronym: `data/metodo/unidades_responsables.csv`.

The indicator sheets name the responsible units in long, varying text ("Dirección de
Facilitación del Comercio Exterior – MINCETUR", "... (DFCE) del Ministerio ..."). The file maps
each published text (one unit; a sheet may name several, separated by «;») to one acronym and a
name for the legend. `origen_sigla` says whether the acronym is printed in the sheet («ficha»)
or is ours («propia», the policy gives none).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.csvfile import numbered_rows, read_checked_csv, row_number
from pnmce.errors import InputError, Problem

UNITS_FILE = Path("metodo") / "unidades_responsables.csv"
UNITS_COLUMNS = ["texto_publicado", "sigla", "nombre", "origen_sigla"]


def load_units(data_dir: Path) -> pd.DataFrame:
    path = Path(data_dir) / UNITS_FILE
    shown = f"data/{UNITS_FILE.as_posix()}"
    if not path.is_file():
        raise InputError([Problem(shown, "no existe el archivo de siglas de unidades responsables")],
                         "Unidades responsables no disponibles")
    return read_checked_csv(path, shown, UNITS_COLUMNS, "Siglas de unidades responsables no válidas", _units_problems)


def _units_problems(frame: pd.DataFrame, shown: str) -> list[Problem]:
    problems = []
    for line, rec in numbered_rows(frame):
        if not rec.sigla.strip() or not rec.nombre.strip():
            problems.append(Problem(shown, "falta la sigla o el nombre", line))
        if rec.origen_sigla not in ("ficha", "propia"):
            problems.append(Problem(shown, "debe ser «ficha» o «propia»", line, "origen_sigla", rec.origen_sigla))
    for i in frame.index[frame["texto_publicado"].duplicated()]:
        problems.append(Problem(shown, "texto repetido", row_number(i), "texto_publicado", frame.at[i, "texto_publicado"]))
    names = frame.groupby("sigla")["nombre"].nunique()
    for sigla in names[names > 1].index:
        problems.append(Problem(shown, "la misma sigla con nombres distintos", None, "sigla", sigla))
    return problems


def unit_parts(text: str | None) -> list[str]:
    return [p.strip() for p in str(text or "").split(";") if p.strip()]


def acronyms_of(text: str | None, units: pd.DataFrame) -> list[str]:
    """The acronyms of a published «responsable» text, in order, without repeats.

    A part not in the file keeps its published text (so nothing is hidden)."""
    by_text = dict(zip(units["texto_publicado"], units["sigla"]))
    return list(dict.fromkeys(by_text.get(p, p) for p in unit_parts(text)))


def indicator_acronyms(cat, units: pd.DataFrame) -> dict[str, list[str]]:
    return {i: acronyms_of(r, units) for i, r in zip(cat.indicadores["id"], cat.indicadores["responsable"])}


def unmapped(cat, units: pd.DataFrame) -> list[tuple[str, str]]:
    """(indicator, published part) not in the file."""
    known = set(units["texto_publicado"])
    return [(i, p) for i, r in zip(cat.indicadores["id"], cat.indicadores["responsable"])
            for p in unit_parts(r) if p not in known]


def legend(units: pd.DataFrame, used: list[str] | None = None) -> pd.DataFrame:
    """sigla, nombre, origen_sigla: one row per acronym (those in `used`, if given), sorted."""
    frame = units.drop_duplicates("sigla")[["sigla", "nombre", "origen_sigla"]]
    if used is not None:
        frame = frame[frame["sigla"].isin(set(used))]
    return frame.sort_values("sigla", kind="stable").reset_index(drop=True)


def indicators_of_unit(cat, units: pd.DataFrame, sigla: str) -> list[str]:
    """Indicators (catalogue order) for which the unit `sigla` is responsible (case-insensitive)."""
    wanted = sigla.strip().casefold()
    return [i for i, acr in indicator_acronyms(cat, units).items() if wanted in {a.casefold() for a in acr}]
