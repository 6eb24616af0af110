"""Numbers the Peruvian way the policy prints them: `23 237`, `0,12 %`."""

from __future__ import annotations

import datetime as dt

from pnmce.data.observed import is_missing  # noqa: F401 (pages ask fmt.is_missing)
from pnmce.data.rules import UNITS

NBSP = "\u00a0"  # keeps `23 237` and `0,12 %` on one line


def number(value, decimals: int | None = None) -> str:
    """`23237` → `23 237`; `0.12` → `0,12`; up to 3 decimals, trailing zeros dropped."""
    if is_missing(value):
        return "—"
    value = float(value)
    if decimals is None:
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", NBSP).replace(".", ",")


def quantity(value, unit: str | None) -> str:
    """A value with its unit, as the policy writes it."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return percent(value)
    return number(value)


def percent(value, decimals: int | None = None) -> str:
    """`0,12 %` (value already in percent); `—` when missing."""
    if is_missing(value):
        return "—"
    return number(value, decimals) + NBSP + "%"


def unit_label(unit: str | None) -> str:
    return UNITS.get(unit or "", unit or "")


def spanish_date(day: dt.date) -> str:
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre"]
    return f"{day.day} de {months[day.month - 1]} de {day.year}"
