"""The home page: the policy's public problem, key figures, objectives, the latest edition's status,
where to find the PDF, the editions and the data, and how to cite the book. Every number from data."""

from __future__ import annotations

import pandas as pd

from pnmce.data import pages
from pnmce.data.package import Catalogue
from pnmce.present import fmt
from pnmce.present.citation import reader_source
from pnmce.present.page import indicator_path, link, objective_path, plural
from pnmce.present.tables import Markdown, escape

PROBLEM_PAGE = pages.link_path(pages.PUBLIC_PROBLEM)
REPORT_PAGE = pages.link_path(pages.REPORT)
INDICATORS_PAGE = pages.link_path(pages.INDICATOR_SHEETS)
STATUSES = ["verde", "amarillo", "rojo", "sin dato", "sin meta"]
STATUS_TEXT = {"verde": "en verde", "amarillo": "en amarillo", "rojo": "en rojo", "sin dato": "sin dato",
               "sin meta": "sin meta para el año"}


def _fact(cat: Catalogue, ident: str) -> pd.Series:
    return cat.hechos.set_index("id").loc[ident]


def problem(cat: Catalogue) -> Markdown:
    p = _fact(cat, "problema_publico")
    rector = _fact(cat, "rector")["valor"]
    horizon = _fact(cat, "horizonte")["valor"]
    return Markdown(
        f"La política, a cargo del {escape(rector)}, responde a un problema público: "
        f"**{escape(p['valor'])}** (política, {escape(reader_source(p['procedencia']))}). "
        f"Para resolverlo al {escape(horizon)} fija objetivos prioritarios, lineamientos y servicios, "
        f"y mide su avance con indicadores. [Cómo se delimita el problema]({PROBLEM_PAGE}).")


def _with_unit(value, unit: str) -> str:
    text = fmt.quantity(value, unit)
    return text if unit in ("%", "número", "") else f"{text} {fmt.unit_label(unit)}"


def key_figures(cat: Catalogue, ids: list[str]) -> Markdown:
    """One line per indicator: its baseline with year and source, and its 2040 target."""
    ind = cat.indicadores.set_index("id")
    lines = []
    for ident in ids:
        r = ind.loc[ident]
        metas = cat.metas[cat.metas["indicador"] == ident].sort_values("anio")
        final = metas.iloc[-1] if not metas.empty else None
        name = str(r["nombre"]).rstrip(". ")
        line = (f"- **{escape(_with_unit(r['linea_base_valor'], r['unidad']))}** — {escape(name)} "
                f"({int(r['linea_base_anio'])}; fuente: {escape(r['fuente'])}). ")
        if final is not None and int(final["anio"]) > int(r["linea_base_anio"]):
            line += f"Meta al {int(final['anio'])}: {escape(_with_unit(final['valor'], r['unidad']))}. "
        line += f"Ficha {link(ident, indicator_path(ident))}."
        lines.append(line)
    return Markdown("\n".join(lines))


def objectives(cat: Catalogue) -> Markdown:
    return Markdown("\n".join(f"- {link(o.id, objective_path(o.id))}: {escape(o.nombre)}"
                              for o in cat.objetivos.itertuples()))


def edition_status(table_: pd.DataFrame, edition: int) -> Markdown:
    """The latest edition in one line: how many indicators report, by status, with a link to the report."""
    counts = table_["semaforo"].value_counts()
    shown = ", ".join(f"{counts[s]} {STATUS_TEXT[s]}" for s in STATUSES if counts.get(s, 0))
    return Markdown(
        f"**Edición {edition}:** seguimiento de {plural(len(table_), 'indicador', 'indicadores')} "
        f"({shown}). [Leer el reporte de seguimiento {edition}]({REPORT_PAGE}).")


def where_to_find(edition: int) -> Markdown:
    """The PDF, the editions and the data: relative to this page in the published edition
    (`_build/ediciones/AAAA/html/generado/portada.html`; see `pnmce.edition.publish`)."""
    pdf = f"../../pnmce-2040-{int(edition)}.pdf"
    return Markdown("\n".join([
        f'- <a href="{pdf}">Libro completo en PDF (edición {int(edition)})</a>',
        '- <a href="../../../index.html">Todas las ediciones</a>',
        f'- Datos: <a href="../_static/datos/series.csv" download>series de todos los indicadores (CSV)</a>; '
        f"la serie de cada indicador, en su [ficha técnica]({INDICATORS_PAGE}).",
    ]))


def how_to_cite(cat: Catalogue, edition: int) -> Markdown:
    rector = _fact(cat, "rector")["valor"]
    horizon = _fact(cat, "horizonte")["valor"]
    return Markdown(
        f"{escape(rector)}. *Política Nacional Multisectorial de Comercio Exterior al {escape(horizon)}*. "
        f"Edición {int(edition)} (libro con datos de seguimiento al {int(edition)}).")
