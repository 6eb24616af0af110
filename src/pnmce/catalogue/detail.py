"""A finding's detail as data: its words and the values it names, not yet formatted.

The quality rules (`pnmce.catalogue.qc`, `qc_diagnosis`) return a detail as a tuple of parts, text
and `Value`s; the presentation layer writes the Spanish sentence (`pnmce.present.findings`), so the
rules never format a number.
"""

from __future__ import annotations

from dataclasses import dataclass

Detail = tuple  # of str and Value; a plain str when the detail names no value


@dataclass(frozen=True)
class Value:
    """A number in a finding: `unit="%"` adds the percent sign; `places` fixes the decimals;
    `published` marks a value from correcciones.csv (a number, or a text quoted in «»)."""
    value: object
    unit: str | None = None
    places: int | None = None
    published: bool = False

