"""The biennial evaluation of results: progress towards the final target (data/metodo/evaluacion.yml).

Open SDG (after Statistics Canada) classifies progress by comparing the compound annual growth
observed since the baseline with the compound annual growth required to reach the target on
time. Pure functions; the classes, thresholds and calendar are the method file's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pandas as pd
import yaml

from pnmce.data.csvfile import numbered_rows, read_checked_csv
from pnmce.data.observed import as_number
from pnmce.errors import InputError, Problem

EVALUATION_FILE = Path("metodo") / "evaluacion.yml"
ALCANZADA, EN_CAMINO, ACELERAR, LIMITADO, DETERIORO, SIN_DATOS = (
    "meta alcanzada", "en camino", "requiere aceleración", "progreso limitado", "deterioro",
    "sin datos suficientes")
CLASSES = [ALCANZADA, EN_CAMINO, ACELERAR, LIMITADO, DETERIORO, SIN_DATOS]
PROGRESS_COLUMNS = ["indicador", "objetivo", "sentido", "anio_base", "valor_base", "anio", "valor", "anio_meta",
                    "valor_meta", "crecimiento_observado", "crecimiento_requerido", "razon", "clase"]


@dataclass(frozen=True)
class EvaluationMethod:
    version: str
    first_year: int
    every: int
    on_track: float
    acceleration: float
    limited: float
    referencia: str
    formulas: Mapping[str, str]
    formulas_latex: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # LaTeX → MathML
    fuentes: tuple[str, ...] = ()  # bibliography keys of the method's sources

    def is_evaluation_year(self, year: int) -> bool:
        return int(year) > self.first_year and (int(year) - self.first_year) % self.every == 0

    def evaluation_years(self, last: int) -> list[int]:
        return [y for y in range(self.first_year + 1, int(last) + 1) if self.is_evaluation_year(y)]


def load_evaluation_method(data_dir: Path) -> EvaluationMethod:
    path = Path(data_dir) / EVALUATION_FILE
    shown = f"data/{EVALUATION_FILE.as_posix()}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        method = EvaluationMethod(
            version=str(data["version"]), first_year=int(data["calendario"]["primer_anio_seguimiento"]),
            every=int(data["calendario"]["cada_anios"]), on_track=float(data["clases"]["en_camino"]),
            acceleration=float(data["clases"]["requiere_aceleracion"]),
            limited=float(data["clases"]["progreso_limitado"]), referencia=str(data["referencia"]).strip(),
            formulas=MappingProxyType({k: str(v).strip() for k, v in data["formulas"].items()}),
            formulas_latex=MappingProxyType({k: str(v).strip() for k, v in (data.get("formulas_latex") or {}).items()}),
            fuentes=tuple(str(k) for k in (data.get("fuentes") or ())))
    except FileNotFoundError:
        raise InputError([Problem(shown, "no existe el archivo del método de evaluación")],
                         "Método de evaluación no disponible") from None
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, f"falta una clave o un valor no es válido ({exc})")],
                         "Método de evaluación no válido") from None
    if not (method.every >= 1 and method.on_track > method.acceleration > method.limited):
        raise InputError([Problem(shown, "cada_anios debe ser ≥ 1 y los umbrales decrecientes")],
                         "Método de evaluación no válido")
    return method


def cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth rate; None when it is not defined (non-positive values, no time)."""
    if start is None or end is None or years <= 0 or start <= 0 or end <= 0:
        return None
    return (end / start) ** (1 / years) - 1


def classify(base_year: int, base: float | None, year: int | None, value: float | None, target_year: int | None,
             target: float | None, direction: str, method: EvaluationMethod) -> dict:
    """Observed and required growth, their ratio and the class (see data/metodo/evaluacion.yml)."""
    out = {"crecimiento_observado": None, "crecimiento_requerido": None, "razon": None, "clase": SIN_DATOS}
    if base is None or value is None or target is None or year is None or target_year is None or year <= base_year:
        return out
    descending = direction == "descendente"
    observed = cagr(base, value, year - base_year)
    required = cagr(base, target, target_year - base_year)
    out.update(crecimiento_observado=observed, crecimiento_requerido=required)
    if observed is None or required is None:
        return out
    reached = value <= target if descending else value >= target
    if reached and not math.isclose(target, base):
        out["clase"] = ALCANZADA
        return out
    if math.isclose(required, 0.0, abs_tol=1e-12):
        worse = observed > 0 if descending else observed < 0
        out["clase"] = DETERIORO if worse else EN_CAMINO
        return out
    ratio = observed / required
    out["razon"] = ratio
    out["clase"] = (EN_CAMINO if ratio >= method.on_track else ACELERAR if ratio >= method.acceleration
                    else LIMITADO if ratio >= method.limited else DETERIORO)
    return out


def progress_table(cat, observed: pd.DataFrame | None, year: int, method: EvaluationMethod) -> pd.DataFrame:
    """One row per indicator: baseline, last value obtained up to `year`, final target, class."""
    metas = cat.metas
    obs = observed if observed is not None and len(observed) else pd.DataFrame(columns=["indicador", "anio", "valor"])
    obs = obs[(obs["anio"].astype(int) <= year)]
    obs = obs[[as_number(v) is not None for v in obs["valor"]]] if len(obs) else obs
    rows = []
    for ind in cat.indicadores.itertuples(index=False):
        m = metas[metas["indicador"] == ind.id].sort_values("anio")
        m = m[[as_number(v) is not None for v in m["valor"]]] if len(m) else m
        base = m[m["tipo"] == "linea_base"]
        final = m[m["tipo"] != "linea_base"]
        o = obs[obs["indicador"] == ind.id].sort_values("anio")
        base_year = int(base["anio"].iloc[0]) if len(base) else None
        o = o[o["anio"].astype(int) > base_year] if base_year is not None else o.iloc[0:0]
        b = as_number(base["valor"].iloc[0]) if len(base) else None
        t_year = int(final["anio"].iloc[-1]) if len(final) else None
        t = as_number(final["valor"].iloc[-1]) if len(final) else None
        last_year = int(o["anio"].iloc[-1]) if len(o) else None
        last = as_number(o["valor"].iloc[-1]) if len(o) else None
        stated = (ind.sentido or "").strip().lower()
        direction = stated if stated in ("ascendente", "descendente") else (
            "descendente" if b is not None and t is not None and t < b else "ascendente")
        row = {"indicador": ind.id, "objetivo": ind.objetivo, "sentido": direction, "anio_base": base_year,
               "valor_base": b, "anio": last_year, "valor": last, "anio_meta": t_year, "valor_meta": t}
        row.update(classify(base_year, b, last_year, last, t_year, t, direction, method)
                   if base_year is not None else
                   {"crecimiento_observado": None, "crecimiento_requerido": None, "razon": None, "clase": SIN_DATOS})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    for col in ("valor_base", "valor", "valor_meta", "crecimiento_observado", "crecimiento_requerido", "razon"):
        frame[col] = frame[col].astype("float64")
    return frame


def class_counts(progress: pd.DataFrame) -> pd.DataFrame:
    """Indicators per class and objective (rows: objectives then «Total»; columns: CLASSES)."""
    counts = pd.crosstab(progress["objetivo"], progress["clase"]).reindex(columns=CLASSES, fill_value=0)
    counts.loc["Total"] = counts.sum()
    return counts


FINDINGS_FILE = Path("evaluacion") / "hallazgos.csv"
FINDINGS_COLUMNS = ["anio", "objetivo", "indicador", "tipo", "texto", "autor"]
FINDING_KINDS = ("hallazgo", "recomendación")


def load_findings(data_dir: Path, year: int | None = None) -> pd.DataFrame:
    """The evaluators' findings and recommendations (data/evaluacion/hallazgos.csv), of `year` if given."""
    path = Path(data_dir) / FINDINGS_FILE
    shown = f"data/{FINDINGS_FILE.as_posix()}"
    if not path.is_file():
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    frame = read_checked_csv(path, shown, FINDINGS_COLUMNS, "Hallazgos de evaluación no válidos", _findings_problems)
    frame["anio"] = frame["anio"].astype(int)
    return frame[frame["anio"] == int(year)].reset_index(drop=True) if year is not None else frame


def _findings_problems(frame: pd.DataFrame, shown: str) -> list[Problem]:
    problems = []
    for line, rec in numbered_rows(frame):
        if not rec.anio.isdigit():
            problems.append(Problem(shown, "se esperaba un año", line, "anio", rec.anio))
        if rec.tipo not in FINDING_KINDS:
            problems.append(Problem(shown, "debe ser «hallazgo» o «recomendación»", line, "tipo", rec.tipo))
        if not rec.texto.strip():
            problems.append(Problem(shown, "falta el texto", line, "texto"))
    return problems
