"""Rules shared by validation, quality control, compliance and intake: one home for each.

Pure functions of plain values (no I/O, no `Method`), so that the data layer, the quality
control of the source and the monitoring metrics apply exactly the same rule. The method file
(`data/metodo/seguimiento.yml`) may set its own tolerance and range; these are the defaults.
"""

from __future__ import annotations

import math

import pandas as pd

from pnmce.data.observed import as_number

PERCENT = "%"
# The measurement units the method knows (one home), each with the name axes and tables give it.
UNITS = {"%": "porcentaje (%)", "número": "número", "US$ millones": "millones de US$", "índice": "índice",
         "horas": "horas"}
PERCENT_RANGE = (0.0, 100.0)  # a percentage indicator's values
PERCENT_TOLERANCE_PP = 1.0  # value against numerador/denominador × 100, in percentage points
RELATIVE_TOLERANCE = 0.01  # value against numerador/denominador, relative to the computed value (any unit)


def percent_out_of_range(value, unit: str | None, low: float = PERCENT_RANGE[0],
                         high: float = PERCENT_RANGE[1]) -> bool:
    """True for a percentage indicator's value outside [low, high]; False when missing."""
    value = as_number(value)
    return unit == PERCENT and value is not None and not low <= value <= high


def negative_not_plausible(value, unit: str | None, non_negative_units) -> bool:
    """True for a negative value of an indicator whose unit cannot be negative; False when missing."""
    value = as_number(value)
    return unit in non_negative_units and value is not None and value < 0


def is_finite_number(value) -> bool:
    """True for a real, finite number (not NaN, not ±inf); missing values are not numbers."""
    try:
        return value is not None and value is not pd.NA and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def computed_value(numerador, denominador, unit: str | None) -> float | None:
    """numerador / denominador (× 100 for '%'); None if either is missing or the denominator is 0."""
    num, den = as_number(numerador), as_number(denominador)
    if num is None or den is None or den == 0:
        return None
    return num / den * (100 if unit == PERCENT else 1)


def agrees(value, numerador, denominador, unit: str | None, tolerance_pp: float = PERCENT_TOLERANCE_PP,
           tolerance_relative: float = RELATIVE_TOLERANCE) -> bool | None:
    """Whether `value` matches numerador/denominador: within `tolerance_pp` percentage points
    (only for '%') or within `tolerance_relative` of the computed value. None when it cannot be checked."""
    value, computed = as_number(value), computed_value(numerador, denominador, unit)
    if value is None or computed is None:
        return None
    diff = abs(value - computed)
    slack = 1e-9 * max(1.0, abs(computed))
    if unit == PERCENT and diff <= tolerance_pp + slack:
        return True
    return diff <= tolerance_relative * abs(computed) + slack


def expected_value(metas: pd.DataFrame, indicator: str, year: int) -> float | None:
    """The expected value of `indicator` in `year`, or None («sin logro esperado para el año»).

    Looks up metas (indicador, anio); in the baseline year the baseline row counts as the
    expected value, because metas holds exactly one row per indicator and year.
    """
    rows = metas[(metas["indicador"] == indicator) & (metas["anio"] == year)]
    if rows.empty:
        return None
    return as_number(rows["valor"].iloc[0])


def latest_value(rows: pd.DataFrame) -> tuple[int, float] | None:
    """(anio, valor) of the latest of `rows` (metas of one indicator) whose value is a number, or None."""
    for rec in reversed(list(rows.sort_values("anio").itertuples(index=False))):
        if as_number(rec.valor) is not None:
            return int(rec.anio), as_number(rec.valor)
    return None


def latest_expected(metas: pd.DataFrame, indicator: str, year: int) -> tuple[int, float] | None:
    """(year, value) of the latest expected value of `indicator` up to `year` (baseline included),
    or None: what a value of `year` is judged against when that year has no expected value."""
    return latest_value(metas[(metas["indicador"] == indicator) & (metas["anio"] <= year)])
