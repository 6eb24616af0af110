"""Texts generated from data for the executive summary (9), the introduction, 5.2 (evaluation)
and 7.1 (methodology). Every number and name comes from the catalogue; the wording is ours.

The executive summary is consistent with the body by construction: it uses the same tables
(objectives, indicators, services) and the names of the body, not the variants the policy's own
summary printed (those are listed in the quality-control annex).
"""

from __future__ import annotations

import pandas as pd

from pnmce.catalogue import matrices
from pnmce.data import pages
from pnmce.data.package import Catalogue
from pnmce.present.citation import reader_source
from pnmce.present.page import indicator_path, link, objective_path, plural, service_path, value_with_year
from pnmce.present.reference import cite, norm_link
from pnmce.present.tables import Markdown, escape, table

QC_PAGE = pages.link_path(pages.DATA_NOTES)

_NUMBER_WORDS = {1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho",
                 9: "nueve", 10: "diez"}


def _and(items: list[str]) -> str:
    """`a, b y c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


def fact(cat: Catalogue, ident: str) -> str:
    return cat.hechos.set_index("id").at[ident, "valor"]


def cause_path(cat: Catalogue, cause: str) -> str:
    direct = cat.causas[cat.causas["nivel"] == "directa"]["id"].tolist()
    return pages.link_path(pages.cause_page(direct.index(cause) + 1, cause))


# --- 9. Executive summary -----------------------------------------------------------------------

def summary_problem(cat: Catalogue) -> str:
    direct = cat.causas[cat.causas["nivel"] == "directa"]
    n_ind = int((cat.causas["nivel"] == "indirecta").sum())
    return (f"El problema público que la política atiende es el «{escape(fact(cat, 'problema_publico'))}». "
            f"El diagnóstico lo explica con {plural(len(direct), 'causa directa', 'causas directas')}, que a su vez "
            f"se desagregan en {plural(n_ind, 'causa indirecta', 'causas indirectas')}; cada causa directa da lugar "
            f"a un objetivo prioritario con horizonte al {escape(fact(cat, 'horizonte'))}.")


def causes_table(cat: Catalogue) -> Markdown:
    rows = []
    for c in cat.causas[cat.causas["nivel"] == "directa"].itertuples():
        op = cat.objetivos[cat.objetivos["causa"] == c.id]["id"]
        rows.append({
            "Causa directa": link(c.id, cause_path(cat, c.id)),
            "Enunciado": escape(c.nombre),
            "Causas indirectas": str(int((cat.causas["padre"] == c.id).sum())),
            "Objetivo que responde": link(op.iloc[0], objective_path(op.iloc[0])) if len(op) else "—",
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Causas del problema público y objetivos que las atienden", "tabla-resumen-causas",
                 raw_columns=tuple(frame.columns), widths=[12, 58, 12, 18])


def summary_objectives(cat: Catalogue) -> str:
    n_res = int((cat.indicadores["nivel"] == "objetivo").sum())
    return (f"La política se organiza en {plural(len(cat.objetivos), 'objetivo prioritario', 'objetivos prioritarios')}, "
            f"{plural(len(cat.lineamientos), 'lineamiento', 'lineamientos')} y "
            f"{plural(len(cat.servicios), 'servicio', 'servicios')}. El logro de los objetivos se mide con "
            f"{plural(n_res, 'indicador de resultado', 'indicadores de resultado')}; la tabla da, para cada uno, "
            "la línea base y la meta final de su ficha técnica.")


def objectives_indicators_table(cat: Catalogue) -> Markdown:
    ov = matrices.indicator_overview(cat)
    names = cat.objetivos.set_index("id")["nombre"]
    rows = []
    previous = None
    for r in ov[ov["nivel"] == "objetivo"].itertuples():
        first = r.objetivo != previous
        previous = r.objetivo
        rows.append({
            "Objetivo": link(r.objetivo, objective_path(r.objetivo)),
            "Nombre del objetivo": escape(names[r.objetivo]) if first else "″",
            "Indicador": f"{link(r.id, indicator_path(r.id))} {escape(r.nombre)}",
            "Línea base": value_with_year(r.linea_base_valor, r.linea_base_anio, r.unidad),
            "Meta": value_with_year(r.meta_valor, r.meta_anio, r.unidad),
            "Unidad": escape(r.unidad),
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Objetivos prioritarios e indicadores: línea base y meta", "tabla-resumen-indicadores",
                 raw_columns=tuple(frame.columns), widths=[8, 30, 34, 10, 10, 8])


def summary_services(cat: Catalogue) -> str:
    srv = cat.servicios
    nature = srv["naturaleza"].value_counts()
    per_op = srv.groupby("objetivo").size()
    nature_text = _and([f"{escape(k.lower())} ({n})" for k, n in nature.items()])
    per_op_text = _and([f"{n} en {escape(op)}" for op, n in per_op.items()])
    empty = cat.lineamientos[cat.lineamientos["con_servicios"] == "no"]["id"].tolist()
    return (f"Los {len(srv)} servicios se reparten así por objetivo: {per_op_text}. Por su naturaleza: {nature_text}. "
            + (f"Los lineamientos {_and([escape(x) for x in empty])} no tienen servicios: se cumplen con normas "
               "e instrumentos." if empty else ""))


def services_by_objective_table(cat: Catalogue) -> Markdown:
    rows = []
    for op in cat.objetivos.itertuples():
        part = cat.servicios[cat.servicios["objetivo"] == op.id]
        rows.append({
            "Objetivo": link(op.id, objective_path(op.id)),
            "Servicios": str(len(part)),
            "Códigos": ", ".join(link(s, service_path(s)) for s in part["id"]) or "—",
        })
    frame = pd.DataFrame(rows)
    return table(frame, "Servicios por objetivo prioritario", "tabla-resumen-servicios",
                 raw_columns=("Objetivo", "Códigos"), widths=[12, 12, 76])


def chain_table(cat: Catalogue) -> Markdown:
    """Lineamientos, services, indicators and operational activities per objective, with totals."""
    frame = matrices.chain_counts(cat).astype(str)
    return table(frame, "Cadena de la política por objetivo prioritario", "tabla-resumen-cadena")


def summary_monitoring(cat: Catalogue, method) -> str:
    years = int(fact(cat, "evaluacion_periodicidad_anios"))
    evals = cat.evaluaciones.sort_values("orden")
    kinds = _and([escape(t.lower()) for t in evals["tipo"]])
    return (
        f"El seguimiento es {escape(fact(cat, 'seguimiento_periodicidad'))}: lo conduce la "
        f"{escape(fact(cat, 'seguimiento_responsable'))} con la {escape(fact(cat, 'seguimiento_coordinacion'))}, "
        f"que registra los valores obtenidos en el {escape(fact(cat, 'seguimiento_aplicativo'))} "
        f"según la guía del CEPLAN {cite('ceplan2024guia')}. El reporte anual compara cada valor obtenido con su "
        f"logro esperado; en este libro el avance se trunca en {method.tope:g} % y se clasifica en verde desde "
        f"{method.verde:g} % y en amarillo desde {method.amarillo:g} % (umbrales propios de este libro). "
        f"Se prevén {plural(len(evals), 'clase de evaluación', 'clases de evaluación')} ({kinds}); el informe de evaluación se elabora cada "
        f"{_NUMBER_WORDS.get(years, str(years))} años. Los reportes de cumplimiento responden al "
        f"{norm_link(cat, 'ds-029-2018-pcm')}.")


def summary_discrepancies(cat: Catalogue) -> str:
    found = cat.variantes[cat.variantes["procedencia"].str.contains("resumen ejecutivo", na=False)]
    return (f"El resumen ejecutivo publicado con la política difiere del cuerpo en {len(found)} nombres "
            "(por ejemplo, el del OP2) y en los de las unidades a cargo del seguimiento. Este resumen usa siempre "
            f"los del cuerpo; las diferencias se listan en las [notas sobre los datos de la política]({QC_PAGE}).")


# --- Introduction -------------------------------------------------------------------------------

def introduction(cat: Catalogue) -> str:
    n_nat = int(((cat.normas["ambito"] == "nacional") & (cat.normas["grupo"] == "")).sum())
    n_int = int(((cat.normas["ambito"] == "internacional") & (cat.normas["grupo"] == "")).sum())
    return "\n\n".join([
        f"La Política Nacional Multisectorial de Comercio Exterior al {escape(fact(cat, 'horizonte'))} (PNMCE) "
        f"es el instrumento con que el Estado peruano ordena su acción en comercio exterior; su rector es el "
        f"{escape(fact(cat, 'rector'))} y sucede al {escape(fact(cat, 'antecedente'))}. Se formuló con la "
        f"{escape(fact(cat, 'comision_formulacion'))} y la {escape(fact(cat, 'guia_formulacion'))} "
        f"(véase el anexo [7.1]({pages.link_path(pages.METHODOLOGY)})).",
        f"Responde a un problema, el «{escape(fact(cat, 'problema_publico'))}», con "
        f"{plural(len(cat.objetivos), 'objetivo prioritario', 'objetivos prioritarios')}, "
        f"{plural(len(cat.lineamientos), 'lineamiento', 'lineamientos')} y "
        f"{plural(len(cat.servicios), 'servicio', 'servicios')}, medidos por "
        f"{plural(len(cat.indicadores), 'indicador', 'indicadores')}.",
        "Este libro sigue la estructura del documento aprobado: la base normativa "
        f"({n_nat} normas nacionales y {n_int} compromisos internacionales, capítulo 1), el contexto y el "
        "diagnóstico (2 y 3), los objetivos, lineamientos y servicios (4), el seguimiento y la evaluación (5), "
        "el glosario y las siglas (6), los anexos (7), la bibliografía (8) y el resumen ejecutivo (9). "
        "Cada tabla y cada cifra se generan a partir de los datos del proyecto, con la sección del documento de "
        "la que proceden; el texto es nuestro.",
    ])


# --- 5.2 Evaluation -----------------------------------------------------------------------------

def evaluation_text(cat: Catalogue) -> str:
    years = int(fact(cat, "evaluacion_periodicidad_anios"))
    return (
        f"La política prevé {plural(len(cat.evaluaciones), 'tipo de evaluación', 'tipos de evaluación')}, según la "
        f"guía de seguimiento y evaluación del CEPLAN {cite('ceplan2024guia')}. Sus resultados se reúnen en el "
        f"«{escape(fact(cat, 'evaluacion_informe'))}», que la {escape(fact(cat, 'evaluacion_responsable'))} "
        f"elabora cada {_NUMBER_WORDS.get(years, str(years))} años y remite a la "
        f"{escape(fact(cat, 'evaluacion_destinatario'))}. Los reportes anuales de "
        f"[seguimiento]({pages.link_path(pages.REPORT)}) son su insumo principal.")


def evaluations_table(cat: Catalogue) -> Markdown:
    ev = cat.evaluaciones.sort_values("orden")
    frame = pd.DataFrame({"Evaluación": ev["tipo"], "Responsable": ev["responsable"],
                          "Qué examina (resumen propio)": ev["examina"], "Cuándo": ev["momento"],
                          "Procedencia": [reader_source(p) for p in ev["procedencia"]]})
    return table(frame, "Tipos de evaluación de la política", "tabla-evaluaciones", widths=[16, 12, 40, 18, 14])


# --- 7.1 Methodology ----------------------------------------------------------------------------

def methodology_text(cat: Catalogue) -> str:
    met = cat.metodologia
    part = cat.participantes_formulacion
    counts = part["papel"].value_counts()
    roles = "; ".join(f"{escape(role.lower())}: {n}" for role, n in counts.items())
    return (
        f"La formulación siguió la {escape(fact(cat, 'guia_formulacion'))} y se organizó en "
        f"{plural(met['entregable'].nunique(), 'entregable', 'entregables')} con "
        f"{plural(len(met), 'paso', 'pasos')} en total. Participaron "
        f"{plural(len(part), 'entidad', 'entidades')} ({roles}) en torno a la "
        f"{escape(fact(cat, 'comision_formulacion'))}.")


def methodology_tables(cat: Catalogue):
    for n, part in cat.metodologia.groupby("entregable", sort=True):
        part = part.sort_values("orden")
        frame = pd.DataFrame({"Paso": part["paso"], "Qué se hizo (resumen propio)": part["que_se_hizo"],
                              "Procedencia": [reader_source(p) for p in part["procedencia"]],
                              "Observación": [reader_source(n) for n in part["nota"]]})
        yield table(frame, f"Entregable {n}: etapas {part['etapas'].iloc[0]}", f"tabla-metodologia-entregable-{n}",
                    widths=[26, 40, 14, 20])


def participants_table(cat: Catalogue) -> Markdown:
    part = cat.participantes_formulacion
    frame = part.groupby("papel", sort=False)["sigla"].apply(lambda s: ", ".join(s)).reset_index()
    frame.columns = ["Papel", "Entidades"]
    return table(frame, "Entidades que participaron en la formulación", "tabla-participantes-formulacion",
                 widths=[25, 75])
