"""Annual compliance: expected value, direction, progress ratio, traffic light and alerts.

Pure functions (data in, data out) except `write_digest` and `read_digest` at the edge.
The rules are those of data/metodo/seguimiento.yml (see `Method`); each function's
docstring repeats the rule it implements.
"""

from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from pnmce.data import rules
from pnmce.data.method import Method
from pnmce.data.observed import as_number, plain_number
from pnmce.data.rules import computed_value, expected_value  # noqa: F401 (expected_value: re-exported)
from pnmce.errors import InputError, Problem
from pnmce.metrics.digest import VALUE_DECIMALS
from pnmce.metrics.statuses import AMARILLO, LINEA_BASE, ROJO, SIN_DATO, SIN_META, VERDE


def _num(value) -> str:
    """Numbers inside alert texts: plain machine form (formatting is the pages' job)."""
    value = as_number(value)
    return plain_number(round(value, VALUE_DECIMALS)) if value is not None else ""

ASCENDENTE, DESCENDENTE, NEUTRAL = "ascendente", "descendente", "neutral"
NOTE_NO_TARGET = "sin logro esperado para el año"
NOTE_BASELINE = "edición de línea base: el valor obtenido es la línea base publicada; no se calcula avance"

TABLE_COLUMNS = ["indicador", "objetivo", "servicio", "nombre", "unidad", "responsable", "anio",
                 "valor_esperado", "valor_obtenido", "avance", "avance_tope", "semaforo", "alertas", "nota"]
INDEX_COLUMNS = ["objetivo", "indice", "indicadores_con_avance", "indicadores_servicio"]



# ---------------------------------------------------------------- expected value and direction

def previous_expected(metas_of_indicator: pd.DataFrame, year: int) -> float | None:
    """The latest expected value (baseline included) of a year before `year`, or None."""
    found = rules.latest_value(metas_of_indicator[metas_of_indicator["anio"] < year])
    return found[1] if found else None


def effective_direction(sentido: str | None, metas_of_indicator: pd.DataFrame, year: int) -> str | None:
    """'ascendente', 'descendente' or 'neutral' for `year`; None when there is no expected value.

    `Ascendente`/`Descendente` are used as stated. For `No definido` (or empty) the expected
    value of `year` is compared with the previous available one (baseline included): rising →
    ascendente, falling → descendente, equal or no previous value → neutral.
    """
    current = None
    rows = metas_of_indicator[metas_of_indicator["anio"] == year]
    if not rows.empty:
        current = as_number(rows["valor"].iloc[0])
    if current is None:
        return None
    stated = (sentido or "").strip().lower()
    if stated in (ASCENDENTE, DESCENDENTE):
        return stated
    before = previous_expected(metas_of_indicator, year)
    if before is None or math.isclose(current, before, rel_tol=1e-12, abs_tol=1e-12):
        return NEUTRAL
    return ASCENDENTE if current > before else DESCENDENTE


# ---------------------------------------------------------------- ratio and status

def undefined_reason(obtained, expected, direction: str | None) -> str:
    """Why the progress ratio is not defined for these values ('' when it is, or when data is missing).

    - ascendente or neutral with expected 0: «logro esperado igual a 0: la razón no está definida»;
    - descendente with obtained 0: «valor obtenido igual a 0: la razón no está definida».
    Such a progress is «ND» with this reason, never 100 % (data/metodo/seguimiento.yml).
    """
    obtained, expected = as_number(obtained), as_number(expected)
    if obtained is None or expected is None or direction is None or obtained < 0 or expected < 0:
        return ""
    if direction in (ASCENDENTE, NEUTRAL) and expected == 0:
        return "logro esperado igual a 0: la razón no está definida"
    if direction == DESCENDENTE and obtained == 0:
        return "valor obtenido igual a 0: la razón no está definida"
    return ""


def ratio(obtained, expected, direction: str | None, method: Method, cap: bool = True) -> float | None:
    """Progress (avance, %) of `obtained` against `expected`; None when it cannot be computed.

    - ascendente: obtained / expected × 100.
    - descendente: expected / obtained × 100.
    - neutral: 100 if obtained == expected, else max(0, 100 − |obtained − expected| / |expected| × 100).
    - None («ND») when the ratio is not defined (`undefined_reason`: expected 0 for ascendente or
      neutral, obtained 0 for descendente), if expected, obtained or direction is missing, or if
      either value is negative (not plausible for these indicators; the alerts report it).
    With `cap`, the result is capped at `method.tope` when the method applies the cap.
    """
    obtained, expected = as_number(obtained), as_number(expected)
    if obtained is None or expected is None or direction is None or obtained < 0 or expected < 0:
        return None
    if direction not in (ASCENDENTE, DESCENDENTE, NEUTRAL):
        raise ValueError(f"sentido desconocido: {direction!r}")
    if undefined_reason(obtained, expected, direction):
        return None
    if direction == ASCENDENTE:
        value = obtained / expected * 100
    elif direction == DESCENDENTE:
        value = expected / obtained * 100
    elif math.isclose(obtained, expected, rel_tol=1e-12, abs_tol=1e-12):
        value = 100.0
    else:
        value = max(0.0, 100 - abs(obtained - expected) / abs(expected) * 100)
    return method.cap(value) if cap else value


def status(ratio_value, method: Method, has_target: bool = True) -> str:
    """Traffic light of a (capped) progress: verde ≥ verde, amarillo ≥ amarillo, else rojo.

    'sin meta' when there is no expected value for the year; 'sin dato' when there is one
    but no progress could be computed (value not reported or not plausible).
    """
    if not has_target:
        return SIN_META
    value = as_number(ratio_value)
    if value is None:
        return SIN_DATO
    if value >= method.verde:
        return VERDE
    if value >= method.amarillo:
        return AMARILLO
    return ROJO


# ---------------------------------------------------------------- shared checks

def agrees(value, numerador, denominador, unit: str | None, method: Method) -> bool | None:
    """Whether the value matches numerador/denominador within the method's tolerance.

    The difference must be at most `tolerancia_pp` percentage points (only for '%') or at
    most `tolerancia_relativa` of the computed value. None when it cannot be checked.
    """
    return rules.agrees(value, numerador, denominador, unit, method.tolerancia_pp, method.tolerancia_relativa)


def range_problems(value, unit: str | None, method: Method) -> list[str]:
    """Spanish reasons why a value is outside the plausible range (empty list if fine)."""
    value = as_number(value)
    if value is None:
        return []
    if rules.percent_out_of_range(value, unit, method.porcentaje_min, method.porcentaje_max):
        return [f"porcentaje fuera del rango plausible ({_num(method.porcentaje_min)} a "
                f"{_num(method.porcentaje_max)})"]
    if rules.negative_not_plausible(value, unit, method.no_negativos):
        return ["valor negativo no plausible"]
    return []


def alerts(*, unit: str | None, obtained, avance_tope, method: Method, has_target: bool = True,
           numerador=None, denominador=None, reference: tuple[int, float] | None = None,
           revisions: Iterable[tuple[int, float | None, float | None]] = ()) -> list[str]:
    """Spanish alerts for one indicator and year, sorted.

    - «avance bajo»: capped progress below `method.avance_minimo`.
    - «valor no reportado»: no obtained value.
    - range: percentage outside its range or a negative value (`range_problems`).
    - «salto inusual»: obtained more than `factor_salto` times (or less than 1/factor of) the
      reference (year, value): the last earlier observed value or the baseline; only when both
      are positive.
    - numerador/denominador: zero denominator, or disagreement with the value (`agrees`).
    - revisions: (year, previous, current) for earlier years whose value changed since a
      previous edition (previous None: reported late; current None: withdrawn).
    """
    out: list[str] = []
    value = as_number(obtained)
    capped = as_number(avance_tope)
    if value is None:
        out.append("valor no reportado")
    if has_target and capped is not None and capped < method.avance_minimo:
        out.append(f"avance bajo (menor que {_num(method.avance_minimo)} %)")
    out += range_problems(value, unit, method)
    if value is not None and reference is not None:
        ref_year, ref_value = reference
        ref_value = as_number(ref_value)
        if ref_value and ref_value > 0 and value > 0:
            factor = max(value / ref_value, ref_value / value)
            if factor > method.factor_salto:
                out.append(f"salto inusual respecto de {ref_year} ({_num(ref_value)} → "
                           f"{_num(value)})")
    den = as_number(denominador)
    if as_number(numerador) is not None and den == 0:
        out.append("denominador igual a cero")
    elif agrees(value, numerador, denominador, unit, method) is False:
        out.append("numerador/denominador no concuerdan con el valor (calculado "
                   f"{_num(computed_value(numerador, denominador, unit))})")
    for year, before, after in revisions:
        before, after = as_number(before), as_number(after)
        if before is None and after is not None:
            out.append(f"valor de {year} informado después de su edición ({_num(after)})")
        elif after is None and before is not None:
            out.append(f"valor de {year} retirado (antes {_num(before)})")
        elif before is not None and after is not None:
            out.append(f"valor de {year} revisado (antes {_num(before)}, ahora {_num(after)})")
    return sorted(out)


# ---------------------------------------------------------------- tables

def _observed_frame(observed: pd.DataFrame | None, source: str = "valores observados") -> pd.DataFrame:
    """indicador, anio (int), valor, numerador, denominador (float); checks (indicador, anio) is unique."""
    cols = ["indicador", "anio", "valor", "numerador", "denominador"]
    if observed is None or len(observed) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype({"indicador": object})
    frame = observed.copy()
    if "valor" not in frame.columns and "valor_obtenido" in frame.columns:
        frame = frame.rename(columns={"valor_obtenido": "valor"})
    for col in ("numerador", "denominador"):
        if col not in frame.columns:
            frame[col] = None
    frame = frame[cols].copy()
    frame["anio"] = frame["anio"].astype(int)
    for col in ("valor", "numerador", "denominador"):
        frame[col] = [as_number(v) for v in frame[col]]
        frame[col] = frame[col].astype("float64")
    dup = frame.duplicated(["indicador", "anio"], keep=False)
    if dup.any():
        problems = [Problem(source, "indicador repetido para el mismo año", None, "indicador", ind)
                    for ind in sorted(set(frame.loc[dup, "indicador"]))]
        raise InputError(problems, "Valores observados no válidos")
    return frame


def monitoring_table(cat, observed: pd.DataFrame | None, year: int, method: Method,
                     previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per catalogue indicator (catalogue order) with its compliance in `year`.

    `observed`: observed values (indicador, anio, valor[, numerador, denominador]) of `year`
    and optionally earlier years (used as the reference for the jump alert). `previous`:
    values as recorded by previous editions (indicador, anio, valor or valor_obtenido, e.g.
    `read_digest` of an earlier edition); an earlier year whose value differs now is alerted.
    """
    inds = cat.indicadores
    metas = cat.metas
    obs = _observed_frame(observed)
    unknown = sorted(set(obs["indicador"]) - set(inds["id"]))
    if unknown:
        raise InputError([Problem("valores observados", "indicador desconocido", None, "indicador", i)
                          for i in unknown], "Valores observados no válidos")
    prev = _observed_frame(previous, "ediciones anteriores")
    current = obs[obs["anio"] == year].set_index("indicador")
    history = obs[obs["anio"] < year]
    by_indicator = {k: g for k, g in metas.groupby("indicador", sort=False)}
    empty = metas.iloc[0:0]

    rows = []
    for ind in inds.itertuples(index=False):
        m = by_indicator.get(ind.id, empty)
        exp_rows = m[m["anio"] == year]
        expected = as_number(exp_rows["valor"].iloc[0]) if not exp_rows.empty else None
        direction = effective_direction(ind.sentido, m, year)
        obtained = numerador = denominador = None
        if ind.id in current.index:
            rec = current.loc[ind.id]
            obtained, numerador, denominador = (as_number(rec["valor"]), as_number(rec["numerador"]),
                                                as_number(rec["denominador"]))
        baseline = method.is_baseline(year)
        avance = None if baseline else ratio(obtained, expected, direction, method, cap=False)
        avance_tope = method.cap(avance)
        has_target = expected is not None
        alert_list = alerts(unit=ind.unidad, obtained=obtained, avance_tope=avance_tope, method=method,
                            has_target=has_target and not baseline, numerador=numerador,
                            denominador=denominador, reference=_reference(history, m, ind.id, year),
                            revisions=_revisions(prev, history, ind.id, year))
        notes = []
        if baseline:
            notes.append(NOTE_BASELINE)
        elif not has_target:
            notes.append(NOTE_NO_TARGET)
        else:
            if (ind.sentido or "").strip().lower() not in (ASCENDENTE, DESCENDENTE):
                notes.append(f"sentido no definido en la ficha; se usa «{direction}» según el logro esperado")
            reason = undefined_reason(obtained, expected, direction)
            if reason:
                notes.append(f"avance ND: {reason}")
        light = LINEA_BASE if baseline else status(avance_tope, method, has_target)
        rows.append({
            "indicador": ind.id, "objetivo": ind.objetivo, "servicio": ind.servicio or "",
            "nombre": ind.nombre, "unidad": ind.unidad, "responsable": ind.responsable, "anio": int(year),
            "valor_esperado": expected, "valor_obtenido": obtained, "avance": avance,
            "avance_tope": avance_tope, "semaforo": light,
            "alertas": "; ".join(alert_list), "nota": "; ".join(notes),
        })
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for col in ("valor_esperado", "valor_obtenido", "avance", "avance_tope"):
        table[col] = table[col].astype("float64")
    return table


def _reference(history: pd.DataFrame, metas_of_indicator: pd.DataFrame, indicator: str,
               year: int) -> tuple[int, float] | None:
    """The last earlier observed value, else the baseline of an earlier year."""
    h = history[(history["indicador"] == indicator) & history["valor"].notna()]
    if not h.empty:
        last = h.sort_values("anio").iloc[-1]
        return int(last["anio"]), float(last["valor"])
    base = metas_of_indicator[(metas_of_indicator["tipo"] == "linea_base") & (metas_of_indicator["anio"] < year)]
    if not base.empty and as_number(base["valor"].iloc[-1]) is not None:
        return int(base["anio"].iloc[-1]), as_number(base["valor"].iloc[-1])
    return None


def _revisions(prev: pd.DataFrame, history: pd.DataFrame, indicator: str, year: int):
    """(year, previous, current) for earlier years whose value changed since a previous edition."""
    out = []
    p = prev[(prev["indicador"] == indicator) & (prev["anio"] < year)]
    now = history[history["indicador"] == indicator].set_index("anio")["valor"]
    for rec in p.sort_values("anio").itertuples(index=False):
        before = as_number(rec.valor)
        after = as_number(now.get(int(rec.anio)))
        if before is None and after is None:
            continue
        if before is not None and after is not None and math.isclose(
                before, after, rel_tol=1e-9, abs_tol=0.5 * 10 ** -VALUE_DECIMALS + 1e-12):
            continue
        out.append((int(rec.anio), before, after))
    return out


def management_index(table: pd.DataFrame) -> pd.DataFrame:
    """Mean capped progress of the service indicators that have one, per objective and 'Total'.

    Columns: objetivo, indice (NaN when no service indicator has a progress),
    indicadores_con_avance (how many entered the mean), indicadores_servicio.
    """
    service = table[table["servicio"].fillna("").astype(str) != ""]
    rows = []
    groups = [(obj, service[service["objetivo"] == obj]) for obj in dict.fromkeys(table["objetivo"])]
    for name, group in groups + [("Total", service)]:
        values = group["avance_tope"].dropna()
        rows.append({"objetivo": name, "indice": float(values.mean()) if len(values) else math.nan,
                     "indicadores_con_avance": int(len(values)), "indicadores_servicio": int(len(group))})
    frame = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    frame["indice"] = frame["indice"].astype("float64")
    return frame


def baseline_observed(cat) -> pd.DataFrame:
    """The baselines as observed values of their year (for the baseline edition, if wanted)."""
    base = cat.metas[cat.metas["tipo"] == "linea_base"]
    return pd.DataFrame({
        "indicador": base["indicador"].astype(str).tolist(),
        "anio": base["anio"].astype(int).tolist(),
        "valor": [as_number(v) for v in base["valor"]],
        "numerador": [as_number(v) for v in base["numerador"]],
        "denominador": [as_number(v) for v in base["denominador"]],
    })
