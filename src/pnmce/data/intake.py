"""Yearly intake of observed values: blank template out (`pnmce.data.template`), filled spreadsheet
in (`pnmce.data.filled`, numbers read by `pnmce.data.numbers`), and the import into
`data/observado/AAAA.csv` (here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pnmce.data.filled import read_filled
from pnmce.data.method import Method
from pnmce.data.observed import (
    TEXT_COLUMNS,
    observed_path,
    observed_text,
    read_observed,
)
from pnmce.errors import InputError, Problem
from pnmce.fileio import atomic_write_text


@dataclass(frozen=True)
class ImportResult:
    path: Path
    year: int
    added: int         # indicators not in the file before
    replaced: int      # indicators whose row was replaced
    kept: int          # rows of the previous file left as they were
    rows: int          # rows written
    not_reported: int  # rows of the imported file without a value
    text_only: int = 0  # of those, rows kept for their analysis or comment

    def message(self) -> str:
        text = (f"Se guardaron {self.rows} fila(s) de {self.year} en {self.path} "
                f"(nuevas: {self.added}, reemplazadas: {self.replaced}, conservadas: {self.kept}).")
        if self.not_reported:
            text += f" {self.not_reported} indicador(es) del archivo sin valor obtenido"
            text += (f"; se guardan {self.text_only} por su análisis o comentario." if self.text_only
                     else ": no se guardan.")
        return text


def import_observed(path: Path, year: int, cat, method: Method, data_dir: Path,
                    replace: bool = False) -> ImportResult:
    """Validate a filled file and write data/observado/YEAR.csv atomically.

    Rows with a value, or with the unit's analysis or comment, are stored; they replace the
    rows of the same indicators, and the other rows already in YEAR.csv are kept (several
    units send separate files), unless `replace`. On rejection nothing is written.
    """
    new = read_filled(path, year, cat, method)
    has_text = new[TEXT_COLUMNS].astype(str).apply(lambda c: c.str.strip() != "").any(axis=1)
    reported = new[new["valor"].notna() | has_text]
    if reported.empty:
        raise InputError([Problem(Path(path).name, "el archivo no trae ningún valor obtenido ni análisis")],
                         "Archivo rechazado; no se importó nada")
    existing = read_observed(data_dir, year, missing_ok=True)
    if replace:
        existing = existing.iloc[0:0]
    before = set(existing["indicador"])
    kept = existing[~existing["indicador"].isin(reported["indicador"])]
    merged = pd.concat([kept, reported], ignore_index=True) if len(kept) else reported
    target = observed_path(data_dir, year)
    atomic_write_text(target, observed_text(merged))
    replaced = len(before & set(reported["indicador"]))
    no_value = int(new["valor"].isna().sum())
    return ImportResult(target, int(year), len(reported) - replaced, replaced, len(kept), len(merged),
                        no_value, int((new["valor"].isna() & has_text).sum()))

