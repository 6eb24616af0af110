"""Where one monitoring edition's table is kept: the full table for the pages and its digest's name.

The build computes the table once (`pnmce.edition.record.edition_table`, which knows the earlier
editions' records), writes it in full for the pages (`table_path`) and as the rounded digest for
downloads and `ediciones/`, so the book and the digest agree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.csvfile import read_text_csv


def digest_name(year: int) -> str:
    return f"seguimiento-{int(year)}.csv"


_NUMBERS = ["valor_esperado", "valor_obtenido", "avance", "avance_tope"]


def table_path(folder: Path, year: int) -> Path:
    return Path(folder) / f"seguimiento-completo-{int(year)}.csv"


def read_table(path: Path) -> pd.DataFrame:
    table = read_text_csv(path)
    table["anio"] = table["anio"].astype(int)
    for col in _NUMBERS:
        table[col] = pd.to_numeric(table[col].replace("", None)).astype("float64")
    return table
