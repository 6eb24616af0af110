"""The monitoring report's downloads: its tables as CSV and Excel in `_static/datos/`, and the
multi-year table and index history the report pages read (`page.history`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.method import load_method
from pnmce.data.observed import observed_until
from pnmce.fileio import atomic_write_text, atomic_write_xlsx
from pnmce.metrics.history import history_path, history_table, index_history, index_path, yearly_tables
from pnmce.present.report import annex_frame, baseline_frame


def write_report_files(cat, data_dir, downloads, edition: int, generated=None, table: pd.DataFrame | None = None) -> None:
    """The report's tables (numbers, one row per indicator and year) as CSV and Excel downloads in
    `downloads` (`Project.downloads`), and for the pages (`generated`) the multi-year table and index history.
    `table`: the edition's table as the build computed it once (`edition.record.edition_table`)."""
    method = load_method(data_dir)
    tables = yearly_tables(cat, observed_until(data_dir, edition), edition, method,
                           known=None if table is None else {edition: table})
    hist = history_table(cat, tables)
    index = index_history(tables)
    if generated is not None:
        Path(generated).mkdir(parents=True, exist_ok=True)
        atomic_write_text(history_path(generated, edition), hist.to_csv(index=False, lineterminator="\n"))
        atomic_write_text(index_path(generated, edition), index.to_csv(index=False, lineterminator="\n"))
    stem = Path(downloads) / f"reporte-seguimiento-{edition}"
    atomic_write_text(stem.with_suffix(".csv"), hist.to_csv(index=False, lineterminator="\n"))

    def save(buffer) -> None:
        with pd.ExcelWriter(buffer, engine="openpyxl") as xl:
            hist.to_excel(xl, sheet_name="seguimiento", index=False)
            index.to_excel(xl, sheet_name="indice_gestion", index=False)
            if edition in tables:
                tables[edition].to_excel(xl, sheet_name=f"detalle_{edition}", index=False)
            xl.book.properties.creator = "pnmce"

    atomic_write_xlsx(stem.with_suffix(".xlsx"), save)
    annex = baseline_frame(cat) if method.is_baseline(edition) else annex_frame(cat, hist)
    write_table_files(annex, Path(downloads) / f"anexo-seguimiento-{edition}", "anexo")


def write_table_files(frame: pd.DataFrame, stem: Path, sheet: str) -> None:
    """`frame` as `stem`.csv (UTF-8, LF) and `stem`.xlsx, byte-identical across runs."""
    atomic_write_text(stem.with_suffix(".csv"), frame.to_csv(index=False, lineterminator="\n"))

    def save(buffer) -> None:
        with pd.ExcelWriter(buffer, engine="openpyxl") as xl:
            frame.to_excel(xl, sheet_name=sheet, index=False)
            xl.book.properties.creator = "pnmce"

    atomic_write_xlsx(stem.with_suffix(".xlsx"), save)
