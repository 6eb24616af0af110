"""Identifier patterns: the one home for them. Ids become file names, so they are checked
strictly (as a whole) before they become paths.

The data package and `data/observado/esquema.json` repeat these patterns as schema constraints;
a test keeps them equal to the ones here. Every alternation is wrapped in `(?:...)`, because
Frictionless anchors a pattern as `^pattern$`, which without the group would anchor only the
first and last alternative (`^CD[1-5]|CI...$` accepts `CD1/../../x`).
"""

from __future__ import annotations

import re

PATTERNS = {
    "causa": r"(?:CD[1-5]|CI[1-5]\.[1-9])",
    "objetivo": r"OP[1-5]",
    "lineamiento": r"L[1-5]\.[1-9]",
    "servicio": r"S[1-5]\.[1-9]\.[1-9]",
    "indicador": r"(?:OP[1-5]\.[1-9]|S[1-5]\.[1-9]\.[1-9]-(?:cal|cob)[12]?)",
    "actividad": r"AO-[0-9]{3}",
    "alternativa": r"P[1-9][0-9]?",
}
_COMPILED = {kind: re.compile(p) for kind, p in PATTERNS.items()}

INDICATOR_ID = _COMPILED["indicador"]


def is_valid(kind: str, ident) -> bool:
    return isinstance(ident, str) and _COMPILED[kind].fullmatch(ident) is not None


def checked(kind: str, ident) -> str:
    """`ident` itself, once proven to match the whole pattern of `kind` (safe in a path)."""
    if not is_valid(kind, ident):
        raise ValueError(f"Identificador de {kind} no válido: {ident!r}")
    return ident


def page_name(indicator_id: str) -> str:
    """The page (and download) file stem of an indicator: its id, once proven safe."""
    if not is_valid("indicador", indicator_id):
        raise ValueError(f"Identificador de indicador no válido: {indicator_id!r}")
    return indicator_id
