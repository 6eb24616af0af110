"""One monitoring edition: the compliance table of a year, from the stored inputs.

The build computes it once (`edition_table`), writes it in full for the pages (`write_table`)
and as the rounded digest for downloads and `ediciones/`, so the book and the digest agree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.csvfile import read_text_csv
from pnmce.data.observed import check_policy_year, observed_until
from pnmce.data.package import Catalogue
from pnmce.fileio import atomic_write_text
from pnmce.metrics.compliance import monitoring_table
from pnmce.metrics.method import Method, load_method

EDITIONS_DIR = "ediciones"


def digest_name(year: int) -> str:
    return f"seguimiento-{int(year)}.csv"


def previous_digests(editions_dir: Path, year: int) -> pd.DataFrame | None:
    """Observed values as earlier editions published them (for the «valor revisado» alert).

    Read from the edition records, `ediciones/AAAA/resumen.csv` (see `pnmce.edition.record`)."""
    from pnmce.edition.record import previous_observed

    return previous_observed(editions_dir, year)


def edition_table(cat: Catalogue, data_dir: Path, editions_dir: Path, year: int,
                  method: Method | None = None) -> pd.DataFrame:
    check_policy_year(cat, year)
    method = method or load_method(data_dir)
    return monitoring_table(cat, observed_until(data_dir, year), year, method,
                            previous=previous_digests(editions_dir, year))


_NUMBERS = ["valor_esperado", "valor_obtenido", "avance", "avance_tope"]


def table_path(folder: Path, year: int) -> Path:
    return Path(folder) / f"seguimiento-completo-{int(year)}.csv"


def write_table(table: pd.DataFrame, path: Path) -> Path:
    """The full table, exact values (for the pages; the digest is the rounded public form)."""
    atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
    return path


def read_table(path: Path) -> pd.DataFrame:
    table = read_text_csv(path)
    table["anio"] = table["anio"].astype(int)
    for col in _NUMBERS:
        table[col] = pd.to_numeric(table[col].replace("", None)).astype("float64")
    return table
