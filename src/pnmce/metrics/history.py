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


def yearly_tables(cat, observed: pd.DataFrame | None, edition: int, method: Method,
                  known: dict[int, pd.DataFrame] | None = None) -> dict[int, pd.DataFrame]:
    """The compliance table of each monitored year, each from the values observed up to that year.
    `known`: tables already computed (the build's edition table, with its «valor revisado» alerts)."""
    known = known or {}
    obs = observed if observed is not None else pd.DataFrame(columns=["indicador", "anio", "valor"])
    return {y: known[y] if y in known else
            monitoring_table(cat, obs[obs["anio"].astype(int) <= y] if len(obs) else None, y, method)
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


# ---------------------------------------------------------------- movements against the previous values

ADVANCED, FELL, UNCHANGED, NO_DATA, NO_DIRECTION = "avanzó", "retrocedió", "sin cambio", "sin dato", "sin sentido"
MOVEMENT_COLUMNS = ["indicador", "objetivo", "servicio", "anio_anterior", "valor_anterior", "valor", "sentido",
                    "movimiento", "avance", "avance_tope", "brecha"]


def movements(cat, hist: pd.DataFrame, table: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Per indicator (catalogue order): its obtained value in `edition` against the last earlier known
    value (an earlier year's obtained value, else the baseline), read in the indicator's direction.

    movimiento: «avanzó» (moved in the expected direction), «retrocedió», «sin cambio», «sin dato»
    (no value this year or no earlier value) or «sin sentido» (direction neutral or unknown).
    brecha: 100 − capped avance, in percentage points (NaN without avance).
    """
    from pnmce.metrics.compliance import ASCENDENTE, DESCENDENTE, effective_direction

    by_ind = {k: g for k, g in cat.metas.groupby("indicador", sort=False)}
    empty = cat.metas.iloc[0:0]
    now = table.set_index("indicador")
    rows = []
    for ind in cat.indicadores.itertuples(index=False):
        earlier = hist[(hist["indicador"] == ind.id) & (hist["anio"] < edition) & hist["valor_obtenido"].notna()]
        earlier = earlier.sort_values("anio", kind="stable")
        before_year = int(earlier["anio"].iloc[-1]) if len(earlier) else None
        before = float(earlier["valor_obtenido"].iloc[-1]) if len(earlier) else None
        value = as_number(now.at[ind.id, "valor_obtenido"]) if ind.id in now.index else None
        stated = (ind.sentido or "").strip().lower()
        direction = stated if stated in (ASCENDENTE, DESCENDENTE) else \
            effective_direction(ind.sentido, by_ind.get(ind.id, empty), edition)
        if value is None or before is None:
            move = NO_DATA
        elif abs(value - before) <= 1e-9 * max(1.0, abs(before)):
            move = UNCHANGED
        elif direction not in (ASCENDENTE, DESCENDENTE):
            move = NO_DIRECTION
        else:
            move = ADVANCED if (value > before) == (direction == ASCENDENTE) else FELL
        avance = as_number(now.at[ind.id, "avance"]) if ind.id in now.index else None
        capped = as_number(now.at[ind.id, "avance_tope"]) if ind.id in now.index else None
        rows.append({"indicador": ind.id, "objetivo": ind.objetivo, "servicio": ind.servicio or "",
                     "anio_anterior": before_year, "valor_anterior": before, "valor": value,
                     "sentido": direction or "", "movimiento": move, "avance": avance, "avance_tope": capped,
                     "brecha": None if capped is None else max(0.0, 100.0 - capped)})
    frame = pd.DataFrame(rows, columns=MOVEMENT_COLUMNS)
    for col in ("valor_anterior", "valor", "avance", "avance_tope", "brecha"):
        frame[col] = frame[col].astype("float64")
    return frame


REVISION_WORDS = ("revisado", "informado después", "retirado")


def report_facts(table: pd.DataFrame, moves: pd.DataFrame, index_hist: pd.DataFrame, edition: int,
                 largest: int = 5) -> dict:
    """The numbers the report's summary and conclusions are written from (no wording, no formatting).

    counts: indicators per status; advanced / fell / unchanged / no_data: indicator ids by movement;
    gaps: the `largest` largest gaps (indicador, brecha, avance_tope), largest first; revisions:
    (indicador, alert) of values of earlier years changed since their edition; index: total management
    index this year and the previous monitored year (None when absent).
    """
    counts = {s: int(n) for s, n in table["semaforo"].value_counts().items()}
    with_gap = moves.dropna(subset=["brecha"])
    with_gap = with_gap[with_gap["brecha"] > 0].sort_values(["brecha", "indicador"], ascending=[False, True],
                                                            kind="stable")
    revisions = [(i, a) for i, text in zip(table["indicador"], table["alertas"])
                 for a in str(text).split("; ") if a and any(w in a for w in REVISION_WORDS)]
    total = index_hist[index_hist["objetivo"] == "Total"].set_index("anio")["indice"] if len(index_hist) else {}

    def index_of(year):
        value = total.get(year) if len(total) else None
        return as_number(value)

    def ids(kind):
        return moves.loc[moves["movimiento"] == kind, "indicador"].tolist()

    lacking = table[table["avance"].isna() & (table["semaforo"] != "sin meta")]
    no_data = lacking["indicador"].tolist()
    return {
        "edicion": int(edition), "indicadores": int(len(table)), "conteos": counts,
        "con_meta": int((table["semaforo"] != "sin meta").sum()),
        "avanzaron": ids(ADVANCED), "retrocedieron": ids(FELL), "sin_cambio": ids(UNCHANGED),
        "sin_dato": no_data, "sin_comparacion": ids(NO_DATA),
        "sin_dato_por_objetivo": [(o, int(n)) for o, n in lacking.groupby("objetivo").size().items()],
        "brechas": [(r.indicador, float(r.brecha), float(r.avance_tope)) for r in with_gap.head(largest).itertuples()],
        "revisiones": revisions,
        "indice": index_of(edition), "indice_anterior": index_of(edition - 1),
    }
