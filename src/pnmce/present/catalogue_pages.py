"""Tables and short data-driven texts for the pages generated from the catalogue.

Every cell that comes from data goes through `escape`; links are built here.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from pnmce.catalogue import matrices
from pnmce.data.package import Catalogue
from pnmce.present import fmt
from pnmce.present.citation import reader_source
from pnmce.present.page import codes, indicator_path, link, objective_path, plural, service_path, value_with_year
from pnmce.present.tables import Markdown, escape, table


def _all_raw(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(frame.columns)


# --- 4.2 ---------------------------------------------------------------------

def lineamientos_summary(cat: Catalogue) -> Markdown:
    per = cat.lineamientos.groupby("objetivo").size()
    without = cat.lineamientos[cat.lineamientos["con_servicios"] == "no"]["id"].tolist()
    parts = ", ".join(f"{n} en {op}" for op, n in per.items())
    return Markdown(f"La política tiene {plural(len(cat.lineamientos), 'lineamiento', 'lineamientos')} ({escape(parts)}). "
                    f"No tienen servicios: {codes(without)}.")


def objectives_lineamientos_table(cat: Catalogue) -> Markdown:
    ov = matrices.indicator_overview(cat).set_index("id")
    rows = []
    for r in matrices.objectives_lineamientos(cat).itertuples():
        inds = "; ".join(
            f"{link(i, indicator_path(i))}: {value_with_year(ov.at[i, 'linea_base_valor'], ov.at[i, 'linea_base_anio'], ov.at[i, 'unidad'])}"
            f" → {value_with_year(ov.at[i, 'meta_valor'], ov.at[i, 'meta_anio'], ov.at[i, 'unidad'])}"
            for i in r.indicadores)
        rows.append({
            "Objetivo": link(r.objetivo, objective_path(r.objetivo)),
            "Indicadores: línea base → meta": inds,
            "Lineamiento": f"**{escape(r.lineamiento)}** {escape(r.lineamiento_nombre)}",
            "Alternativa de solución": f"{escape(r.alternativa)}: {escape(r.alternativa_nombre)}" if r.alternativa else "—",
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Matriz de objetivos prioritarios y lineamientos", "tabla-matriz-op-lineamientos",
                 raw_columns=_all_raw(frame), widths=[8, 30, 32, 30])


# --- 4.3 ---------------------------------------------------------------------

def services_summary(cat: Catalogue) -> Markdown:
    srv = cat.servicios
    nature = srv["naturaleza"].value_counts()
    kind = srv["tipo_servicio"].value_counts()
    return Markdown(
        f"La política entrega {plural(len(srv), 'servicio', 'servicios')}: "
        + ", ".join(f"{n} de naturaleza {escape(k.lower())}" for k, n in nature.items())
        + "; " + ", ".join(f"{n} {escape(k.lower())}s" for k, n in kind.items()) + ".")


def services_matrix_table(cat: Catalogue) -> Markdown:
    rows = []
    for r in matrices.services_matrix(cat).itertuples():
        rows.append({
            "Servicio": link(r.servicio, service_path(r.servicio)) if r.servicio else "Sin servicio",
            "Objetivo": escape(r.objetivo),
            "Lineamiento": escape(r.lineamiento),
            "Nombre": escape(r.nombre) if r.nombre else "Lineamiento normativo e instrumental",
            "Alternativa (producto)": escape(r.alternativa),
            "Proveedor": escape(r.proveedor),
            "Receptor": escape(r.receptor),
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Matriz de servicios de la política", "tabla-matriz-servicios",
                 raw_columns=_all_raw(frame), widths=[8, 7, 8, 27, 20, 12, 18])


def service_index_table(cat: Catalogue) -> Markdown:
    frame = pd.DataFrame([{
        "Servicio": link(s.id, service_path(s.id)), "Nombre": escape(s.nombre),
        "Estándar": escape(s.estandar), "Naturaleza": escape(s.naturaleza),
    } for s in cat.servicios.itertuples()])
    return table(frame, "Fichas de servicio", "tabla-fichas-servicio", raw_columns=_all_raw(frame), widths=[10, 60, 15, 15])


def service_sheet(cat: Catalogue, service: str) -> Markdown:
    s = cat.servicios.set_index("id").loc[service]
    lin = cat.lineamientos.set_index("id").loc[s["lineamiento"]]
    op = cat.objetivos.set_index("id").loc[s["objetivo"]]
    rows = [
        ("Objetivo prioritario", f"{link(op.name, objective_path(op.name))} {escape(op['nombre'])}"),
        ("Lineamiento", f"{escape(lin.name)} {escape(lin['nombre'])}"),
        ("Tipo de servicio", escape(s["tipo_servicio"])),
        ("Naturaleza", escape(s["naturaleza"])),
        ("Entrega", escape(s["entrega"])),
        ("Qué entrega (resumen propio)", escape(s["descripcion"])),
        ("Proveedor", escape(s["proveedor"])),
        ("Entidades participantes", escape(s["participantes"]) or "—"),
        ("Nivel de gobierno", escape(s["nivel_gobierno"])),
        ("Receptor", escape(s["receptor"])),
        ("Alcance", escape(s["alcance"])),
        ("Estándar de cumplimiento", escape(s["estandar"])),
        ("El estándar, en breve", escape(s["estandar_descripcion"]) or "—"),
        ("Alternativa de solución (producto)", escape(s["alternativa"]) or "—"),
        ("Fuente en la política", escape(reader_source(s["procedencia"]))),
    ]
    variants = cat.variantes[(cat.variantes["entidad"] == "servicio") & (cat.variantes["id"] == service)]
    if not variants.empty:
        rows.append(("Otras formas del nombre en la política",
                     "; ".join(f"«{escape(v.nombre)}» ({escape(reader_source(v.procedencia))})" for v in variants.itertuples())))
    frame = pd.DataFrame(rows, columns=["Elemento", "Descripción"])
    return table(frame, f"Ficha del servicio {service}", f"tabla-ficha-{service.lower()}", raw_columns=("Descripción",),
                 widths=[25, 75])


def service_indicator_table(cat: Catalogue, service: str) -> Markdown:
    ov = matrices.service_indicators(cat, service)
    if ov.empty:
        return Markdown(f"La ficha del servicio {escape(service)} no define indicadores: la política publicada no "
                        "registra para él indicador de calidad ni de cobertura.")
    frame = pd.DataFrame([{
        "Indicador": link(r.id, indicator_path(r.id)), "Nombre": escape(r.nombre), "Tipo": escape(r.tipo),
        "Unidad": escape(r.unidad),
        "Línea base": value_with_year(r.linea_base_valor, r.linea_base_anio, r.unidad),
        "Meta final": value_with_year(r.meta_valor, r.meta_anio, r.unidad),
    } for r in ov.itertuples()])
    return table(frame, f"Indicadores del servicio {service}", f"tabla-indicadores-{service.lower()}",
                 raw_columns=_all_raw(frame), widths=[14, 42, 10, 10, 12, 12])


def service_activities(cat: Catalogue, service: str) -> Markdown:
    act = cat.actividades[cat.actividades["servicio"] == service]
    if act.empty:
        return Markdown(f"Las tablas de actividades operativas de la política no listan actividades para el servicio "
                        f"{escape(service)}.")
    return activities_table(cat, None, act, f"Actividades operativas del servicio {service}",
                            f"tabla-actividades-{service.lower()}")


# --- 7.6 ---------------------------------------------------------------------

def activities_table(cat: Catalogue, objective: str | None, act: pd.DataFrame | None = None,
                     caption: str | None = None, label: str | None = None) -> Markdown:
    act = matrices.activities(cat, objective) if act is None else act
    frame = pd.DataFrame([{
        "Id": escape(a.id), "Código publicado": escape(a.numero), "Actividad": escape(a.nombre),
        "Servicio": link(a.servicio, service_path(a.servicio)) if a.servicio else f"(lineamiento {escape(a.lineamiento)})",
        "Unidad de medida": escape(a.unidad_medida), "Responsables": escape(a.responsables),
    } for a in act.itertuples()])
    table_name = act["tabla"].iloc[0] if len(act) else ""
    return table(frame, caption or f"Actividades operativas del objetivo {objective} ({table_name} de la política)",
                 label or f"tabla-actividades-{objective.lower()}", raw_columns=_all_raw(frame),
                 widths=[8, 10, 32, 12, 12, 26])


# --- 7.4 ---------------------------------------------------------------------

def consistency_table(cat: Catalogue) -> Markdown:
    rows = []
    for r in matrices.consistency(cat).itertuples():
        rows.append({
            "Causa directa": escape(r.causa_directa),
            "Causas indirectas": codes(r.causas_indirectas),
            "Objetivo": link(r.objetivo, objective_path(r.objetivo)),
            "Indicadores del objetivo": codes(r.indicadores_objetivo, indicator_path),
            "Lineamiento": escape(r.lineamiento),
            "Servicio": link(r.servicio, service_path(r.servicio)) if r.servicio else "Sin servicio",
            "Indicadores del servicio": codes(r.indicadores_servicio, indicator_path),
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Matriz de consistencia completa", "tabla-matriz-consistencia", raw_columns=_all_raw(frame),
                 widths=[9, 16, 9, 14, 10, 10, 32])


def published_losses_table(cat: Catalogue) -> Markdown:
    losses = matrices.published_matrix_losses(cat)
    if losses.empty:
        return Markdown("Las matrices publicadas contienen todos los códigos del catálogo.")
    grouped = losses.groupby(["tabla", "nivel"], sort=True)["codigo"].apply(lambda c: ", ".join(c)).reset_index()
    grouped.columns = ["Matriz publicada", "Nivel", "Códigos ausentes"]
    return table(grouped, "Códigos del catálogo que no aparecen en las matrices publicadas", "tabla-perdidas-matrices",
                 widths=[30, 15, 55])


# --- 7.3 ---------------------------------------------------------------------

def alignment_tables(cat: Catalogue):
    """(policy name, table) for each policy the PNMCE aligns with, in the published order."""
    al = cat.alineamiento
    for policy in dict.fromkeys(al["politica"]):
        part = al[al["politica"] == policy]
        frame = pd.DataFrame([{
            "Nivel superior": escape(r.nivel_superior), "Objetivo o lineamiento de la otra política": escape(r.nivel_politica),
            "Servicio de la otra política": escape(r.servicio_politica) or "—",
            "PNMCE": ", ".join(escape(c) for c in (r.objetivo_pnmce, r.lineamiento_pnmce, r.servicio_pnmce) if c),
        } for r in part.itertuples()])  # the notes on reading the source table are in the maintainers' annex
        tabla = part["tabla"].iloc[0]
        label = f"tabla-alineamiento-{_slug(policy)}"
        yield policy, table(frame, f"Alineamiento con {policy} ({tabla} de la política)", label,
                            raw_columns=_all_raw(frame), widths=[22, 38, 26, 14])


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


# --- 3.2.x and 3.5 -----------------------------------------------------------

def cause_summary(cat: Catalogue, cause: str) -> str:
    c = cat.causas.set_index("id").loc[cause]
    op = cat.objetivos[cat.objetivos["causa"] == cause]
    n = int((cat.causas["padre"] == cause).sum())
    answer = (f" El objetivo prioritario {link(op['id'].iloc[0], objective_path(op['id'].iloc[0]))} responde a esta causa."
              if not op.empty else "")
    return (f"La causa directa {escape(cause)}, «{escape(c['nombre'])}», se explica por "
            f"{plural(n, 'causa indirecta', 'causas indirectas')}.{answer}")


def indirect_causes_table(cat: Catalogue, cause: str) -> Markdown:
    part = cat.causas[cat.causas["padre"] == cause]
    frame = pd.DataFrame([{"Código": escape(r.id), "Causa indirecta": escape(r.nombre)} for r in part.itertuples()])
    return table(frame, f"Causas indirectas de {cause}", f"tabla-causas-{cause.lower()}",
                 raw_columns=_all_raw(frame), widths=[12, 88])


def cause_alternatives_table(cat: Catalogue, cause: str) -> Markdown:
    part = cat.alternativas[cat.alternativas["causa_directa"] == cause]
    frame = pd.DataFrame([{
        "Código": escape(r.id), "Causa indirecta": escape(r.causa_indirecta) or "—", "Alternativa": escape(r.nombre),
        "Lugar en la cadena": escape(r.lugar_cadena),
    } for r in part.itertuples()])
    return table(frame, f"Alternativas seleccionadas para {cause}", f"tabla-alternativas-{cause.lower()}",
                 raw_columns=_all_raw(frame), widths=[8, 14, 62, 16])


def evaluated_alternatives_table(cat: Catalogue) -> Markdown:
    frame = pd.DataFrame([{
        "N.º": str(r.numero), "Causa": escape(r.causa_directa), "Alternativa": escape(r.nombre),
        "Tipo": escape(r.tipo), "Importancia": fmt.number(r.importancia, 2), "Factibilidad": fmt.number(r.factibilidad, 2),
        "Clasificación": escape(r.clasificacion),
    } for r in cat.alternativas_evaluadas.itertuples()])
    return table(frame, "Alternativas identificadas, con su puntaje medio de importancia y factibilidad",
                 "tabla-alternativas-evaluadas",
                 raw_columns=_all_raw(frame), widths=[5, 7, 50, 10, 9, 9, 10])


def selected_alternatives_table(cat: Catalogue) -> Markdown:
    frame = pd.DataFrame([{
        "Código": escape(r.id), "Causa directa": escape(r.causa_directa), "Causa indirecta": escape(r.causa_indirecta) or "—",
        "Propuesta de opción estratégica": escape(r.nombre), "Clasificación": escape(r.clasificacion),
        "Lugar en la cadena": escape(r.lugar_cadena),
    } for r in cat.alternativas.itertuples()])
    return table(frame, "Alternativas de solución seleccionadas", "tabla-alternativas-seleccionadas",
                 raw_columns=_all_raw(frame), widths=[7, 8, 12, 51, 10, 12])
