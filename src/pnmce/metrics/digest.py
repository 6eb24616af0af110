"""The edition's digest: its monitoring table as stable text (sorted rows, fixed decimals, point as
decimal separator), the file reviewers diff in git (`ediciones/AAAA/resumen.csv`) and readers download."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.observed import as_number
from pnmce.fileio import atomic_write_text

DIGEST_COLUMNS = ["indicador", "anio", "valor_esperado", "valor_obtenido", "avance", "semaforo", "alertas"]
VALUE_DECIMALS = 4   # values
RATIO_DECIMALS = 2   # progress


def _fixed(value, decimals: int) -> str:
    value = as_number(value)
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def digest_table(table: pd.DataFrame) -> pd.DataFrame:
    """The monitoring table as stable text, for committing and diffing.

    Columns exactly DIGEST_COLUMNS, sorted by indicador; values with VALUE_DECIMALS and
    progress with RATIO_DECIMALS decimals (point as separator), empty when missing.
    """
    out = pd.DataFrame({
        "indicador": table["indicador"].astype(str),
        "anio": table["anio"].astype(int).astype(str),
        "valor_esperado": [_fixed(v, VALUE_DECIMALS) for v in table["valor_esperado"]],
        "valor_obtenido": [_fixed(v, VALUE_DECIMALS) for v in table["valor_obtenido"]],
        "avance": [_fixed(v, RATIO_DECIMALS) for v in table["avance"]],
        "semaforo": table["semaforo"].astype(str),
        "alertas": table["alertas"].fillna("").astype(str),
    }, columns=DIGEST_COLUMNS)
    return out.sort_values("indicador", kind="stable").reset_index(drop=True)


def digest_text(table: pd.DataFrame) -> str:
    """The digest as CSV text (LF line endings)."""
    frame = table if list(table.columns) == DIGEST_COLUMNS else digest_table(table)
    return frame.to_csv(index=False, lineterminator="\n")


def write_digest(table: pd.DataFrame, path: Path) -> Path:
    """Write the digest (UTF-8, LF) atomically; `table` may be a monitoring or digest table."""
    path = Path(path)
    atomic_write_text(path, digest_text(table))
    return path
