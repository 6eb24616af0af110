"""Downloadable data written into the book's static files: one CSV and one JSON per indicator,
and every series in one CSV. Written by the build, before Jupyter Book copies `_static`; the
edition's data package (`pnmce.book.datapackage`) describes them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from pnmce.data.ids import page_name
from pnmce.data.package import Catalogue
from pnmce.fileio import write_if_changed
from pnmce.paths import DOWNLOADS

SERIES_COLUMNS = ["indicador", "anio", "tipo", "valor", "numerador", "denominador"]
FOLDER = DOWNLOADS  # `Project.downloads`


def series(cat: Catalogue, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator's baseline, targets and (when given) observed values, in long form, with
    the indicator's unit after the value."""
    frame = cat.metas[SERIES_COLUMNS].copy()
    if observed is not None and not observed.empty:
        obs = observed.assign(tipo="valor_obtenido")[SERIES_COLUMNS]
        frame = pd.concat([frame, obs], ignore_index=True)
    order = {ident: i for i, ident in enumerate(cat.indicadores["id"])}
    frame["_orden"] = frame["indicador"].map(order)
    kind = {"linea_base": 0, "logro_esperado": 1, "valor_obtenido": 2}
    frame["_tipo"] = frame["tipo"].map(kind)
    frame = (frame.sort_values(["_orden", "anio", "_tipo"], kind="stable")
             .drop(columns=["_orden", "_tipo"]).reset_index(drop=True))
    # a long table mixes units: each row carries its indicator's
    frame.insert(SERIES_COLUMNS.index("valor") + 1, "unidad",
                 frame["indicador"].map(dict(zip(cat.indicadores["id"], cat.indicadores["unidad"]))))
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _number(value):
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def indicator_json(cat: Catalogue, ident: str, rows: pd.DataFrame) -> bytes:
    ind = cat.indicadores.set_index("id").loc[ident]
    meta = {k: (None if pd.isna(ind[k]) else ind[k]) for k in
            ("nombre", "nivel", "objetivo", "lineamiento", "servicio", "tipo", "unidad", "sentido", "responsable", "fuente")}
    doc = {
        "indicador": ident, **meta, "version_datos": cat.digest,
        "serie": [{"anio": int(r.anio), "tipo": r.tipo, "valor": _number(r.valor),
                   "numerador": _number(r.numerador), "denominador": _number(r.denominador)} for r in rows.itertuples()],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def write_downloads(cat: Catalogue, static_dir: Path, observed: pd.DataFrame | None = None) -> list[Path]:
    """Write `_static/datos/indicadores/<id>.csv|json` and `_static/datos/series.csv`; delete the
    downloads of indicators no longer in the catalogue and return them."""
    out = static_dir / FOLDER
    all_series = series(cat, observed)
    write_if_changed(out / "series.csv", _csv(all_series))
    written = set()
    for ident in cat.indicadores["id"]:
        rows = all_series[all_series["indicador"] == ident]
        stem = page_name(ident)
        for name, data in ((f"{stem}.csv", _csv(rows)), (f"{stem}.json", indicator_json(cat, ident, rows))):
            write_if_changed(out / "indicadores" / name, data)
            written.add(name)
    removed = [p for p in sorted((out / "indicadores").glob("*")) if p.name not in written]
    for path in removed:
        path.unlink()
    return removed
