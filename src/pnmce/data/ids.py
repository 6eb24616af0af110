"""Identifier patterns. Ids become file names, so they are checked strictly first."""

from __future__ import annotations

import re

INDICATOR_ID = re.compile(r"OP[1-5]\.[1-9]|S[1-5]\.[1-9]\.[1-9]-(?:cal|cob)[12]?")
OBJECTIVE_ID = re.compile(r"OP[1-5]")
SERVICE_ID = re.compile(r"S[1-5]\.[1-9]\.[1-9]")
LINEAMIENTO_ID = re.compile(r"L[1-5]\.[1-9]")


def page_name(indicator_id: str) -> str:
    """The page (and download) file stem of an indicator: its id, once proven safe."""
    if not isinstance(indicator_id, str) or not INDICATOR_ID.fullmatch(indicator_id):
        raise ValueError(f"Identificador de indicador no válido: {indicator_id!r}")
    return indicator_id
