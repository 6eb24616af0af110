"""Every monitored year up to an edition: the multi-year table of published practice.

CEPLAN-style reports show, per indicator, the baseline and then, for each year, the expected
value, the obtained value and the avance (raw and capped), «ND» where there is no data. These
functions return numbers; the pages format them.
"""

from __future__ import annotations

import pandas as pd

from pnmce.data.method import Method
from pnmce.data.observed import as_number, policy_years
from pnmce.metrics.compliance import management_index, monitoring_table

HISTORY_COLUMNS = ["indicador", "objetivo", "anio", "tipo", "valor_esperado", "valor_obtenido", "avance",
                   "avance_tope", "semaforo"]
BASELINE, MONITORED = "linea_base", "seguimiento"


def monitored_years(cat, edition: int) -> list[int]:
    """The years after the baseline year up to the edition (the baseline year itself for the
    baseline edition, whose expected value is the baseline)."""
    first, _ = policy_years(cat)
    return [first] if int(edition) == first else list(range(first + 1, int(edition) + 1))


def yearly_tables(cat, observed: pd.DataFrame | None, edition: int, method: Method) -> dict[int, pd.DataFrame]:
    """The compliance table of each monitored year, each from the values observed up to that year."""
    obs = observed if observed is not None else pd.DataFrame(columns=["indicador", "anio", "valor"])
    return {y: monitoring_table(cat, obs[obs["anio"].astype(int) <= y] if len(obs) else None, y, method)
            for y in monitored_years(cat, edition)}


def history_table(cat, tables: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Long table: per indicator (catalogue order) its baseline row, then one row per year."""
    base = cat.metas[cat.metas["tipo"] == "linea_base"].set_index("indicador")
    inds = cat.indicadores
    rows = []
    by_year = {y: t.set_index("indicador") for y, t in tables.items()}
    for ind in inds.itertuples(index=False):
        if ind.id in base.index:
            b = base.loc[ind.id]
            rows.append({"indicador": ind.id, "objetivo": ind.objetivo, "anio": int(b["anio"]), "tipo": BASELINE,
                         "valor_esperado": None, "valor_obtenido": as_number(b["valor"]), "avance": None,
                         "avance_tope": None, "semaforo": ""})
        for year, t in by_year.items():
            r = t.loc[ind.id]
            rows.append({"indicador": ind.id, "objetivo": ind.objetivo, "anio": year, "tipo": MONITORED,
                         "valor_esperado": r["valor_esperado"], "valor_obtenido": r["valor_obtenido"],
                         "avance": r["avance"], "avance_tope": r["avance_tope"], "semaforo": r["semaforo"]})
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for col in ("valor_esperado", "valor_obtenido", "avance", "avance_tope"):
        frame[col] = frame[col].astype("float64")
    return frame


def index_history(tables: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """The management index per objective (and «Total») of every monitored year: objetivo, anio, indice..."""
    frames = [management_index(t).assign(anio=y) for y, t in tables.items()]
    if not frames:
        return pd.DataFrame(columns=["objetivo", "anio", "indice", "indicadores_con_avance", "indicadores_servicio"])
    return pd.concat(frames, ignore_index=True)[["objetivo", "anio", "indice", "indicadores_con_avance",
                                                 "indicadores_servicio"]]


def history_path(folder, edition: int):
    from pathlib import Path

    return Path(folder) / f"seguimiento-historial-{int(edition)}.csv"


def index_path(folder, edition: int):
    from pathlib import Path

    return Path(folder) / f"indice-gestion-historial-{int(edition)}.csv"


def read_history(folder, edition: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The multi-year table and the index history the build wrote (exact numbers)."""
    hist = pd.read_csv(history_path(folder, edition), dtype={"indicador": str, "objetivo": str, "tipo": str},
                       keep_default_na=False, na_values=[""], encoding="utf-8")
    hist["semaforo"] = hist["semaforo"].fillna("").astype(str)
    index = pd.read_csv(index_path(folder, edition), keep_default_na=False, na_values=[""], encoding="utf-8")
    return hist, index
