"""The maintainers' annex «Notas técnicas: cómo se produce este libro»: where the data lives, where each
fact sits in the converted source, and what would redraw the figures the policy publishes no data for.

This is the one page of the book that shows file names, line ranges and commands (the reader pages cite
the policy by section, table, figure or sheet; see `pnmce.present.citation`)."""

from __future__ import annotations

import pandas as pd

from pnmce.data.package import Catalogue
from pnmce.present.page import indicator_path, link
from pnmce.present.tables import Markdown, escape, table


def data_files(cat: Catalogue) -> Markdown:
    """Every table of the data package: its file, what it holds, its rows and columns."""
    rows = []
    for res in cat.descriptor.get("resources", []):
        frame = cat.tables.get(res["name"])
        fields = [f["name"] for f in res.get("schema", {}).get("fields", [])]
        rows.append({"Archivo": f"`data/{res['path']}`", "Contenido": res.get("title", ""),
                     "Filas": str(len(frame)) if frame is not None else "—",
                     "Columnas": ", ".join(fields)})  # plain text, so that long names wrap
    return table(pd.DataFrame(rows), "Tablas del paquete de datos (data/datapackage.json)", "tabla-notas-tecnicas-datos",
                 raw_columns=("Archivo",), widths=[26, 32, 6, 36])


def empty_sheets(cat: Catalogue) -> Markdown:
    """The sheets without baseline or targets, and the columns of the rows that would fill them."""
    have = set(cat.metas["indicador"])
    empty = [i for i in cat.indicadores["id"] if i not in have]
    fields = [f["name"] for r in cat.descriptor.get("resources", []) if r["name"] == "metas"
              for f in r["schema"]["fields"]]
    who = ", ".join(link(i, indicator_path(i)) for i in empty) or "ninguna"
    return Markdown(
        f"Fichas sin línea base ni logros esperados en la política: {who}. Sus metas se agregan como filas de "
        f"`data/catalogo/metas.csv` (columnas {', '.join(f'`{c}`' for c in fields)}); la página del indicador "
        "muestra entonces su serie y su gráfico.")


def source_ranges(cat: Catalogue) -> Markdown:
    """Where each indicator's sheet and its justification sit in the converted source."""
    just = cat.justificaciones.set_index("indicador")["procedencia"]
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in cat.indicadores["id"]],
        "Ficha y tablas": [escape(p) for p in cat.indicadores["procedencia"]],
        "Justificación (resumida en la ficha del libro)": [escape(just.get(i, "—")) for i in cat.indicadores["id"]],
    })
    return table(frame, "Procedencia de las fichas técnicas en el documento convertido", "tabla-notas-tecnicas-fichas",
                 raw_columns=tuple(frame.columns), widths=[16, 50, 34], sortable=True)


def alignment_notes(cat: Catalogue) -> Markdown:
    """How each row of the published alignment tables (7.3) was read from the converted source."""
    al = cat.alineamiento[cat.alineamiento["nota"].fillna("") != ""]
    frame = pd.DataFrame({"Tabla": al["tabla"], "Otra política": al["politica"],
                          "PNMCE": [", ".join(c for c in (o, l, s) if c) for o, l, s in
                                    zip(al["objetivo_pnmce"], al["lineamiento_pnmce"], al["servicio_pnmce"])],
                          "Lectura de la fila": al["nota"], "Procedencia": al["procedencia"]})  # table() escapes
    return table(frame, "Lectura de las matrices de alineamiento (7.3)", "tabla-notas-tecnicas-alineamiento",
                 widths=[9, 20, 12, 37, 22], sortable=True)

