"""The quality-control annex: the source's findings, grouped by rule."""

from __future__ import annotations

import pandas as pd

from pnmce.data.package import Catalogue
from pnmce.present.findings import summary
from pnmce.present.page import indicator_path, link, plural, service_path
from pnmce.present.tables import Markdown, escape, table


def intro(found: pd.DataFrame) -> Markdown:
    errors = int((found["severidad"] == "error_fuente").sum())
    return Markdown(
        f"Se registran {plural(len(found), 'hallazgo', 'hallazgos')}: {errors} son errores de la fuente y "
        f"{len(found) - errors} son avisos. Todos los hallazgos en un archivo: "
        "<a href=\"../../_static/datos/control-calidad.csv\" download>control-calidad.csv</a>.")


def summary_table(found: pd.DataFrame) -> Markdown:
    s = summary(found)
    frame = pd.DataFrame({"Código": s["codigo"], "Regla": s["regla"], "Severidad": s["severidad"].str.replace("_", " "),
                          "Hallazgos": s["hallazgos"].astype(str)})
    return table(frame, "Hallazgos por regla", "tabla-qc-resumen", widths=[10, 60, 15, 15])


def _subject(entity: str, ident: str, pages: dict[str, set[str]]) -> str:
    """The entity, linked to its page when it has one (a code the source invents has none)."""
    if entity == "indicador" and ident in pages["indicador"]:
        return link(ident, indicator_path(ident))
    if entity == "servicio" and ident in pages["servicio"]:
        return link(ident, service_path(ident))
    return escape(f"{entity} {ident}")


def findings_table(cat: Catalogue, group: pd.DataFrame, code: str) -> Markdown:
    pages = {"indicador": set(cat.indicadores["id"]), "servicio": set(cat.servicios["id"])}
    frame = pd.DataFrame({
        "Elemento": [_subject(e, i, pages) for e, i in zip(group["entidad"], group["id"])],
        "Año": [escape(a) or "—" for a in group["anio"]],
        "Detalle": [escape(d) for d in group["detalle"]],
        "Dónde": [escape(p) for p in group["procedencia"]],
    })
    return table(frame, f"Hallazgos {code}", f"tabla-qc-{code.lower()}", raw_columns=tuple(frame.columns),
                 widths=[14, 7, 49, 30], sortable=True)
