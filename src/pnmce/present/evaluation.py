"""Chapter 5.2: the biennial evaluation report and the report status page."""

from __future__ import annotations

import pandas as pd

from pnmce.metrics.evaluation import CLASSES, class_counts, progress_table  # noqa: F401 (progress_table: for the notebook)
from pnmce.present import fmt
from pnmce.present.indicator_page import chart_label, has_data
from pnmce.present.page import indicator_path, link, plural
from pnmce.present.tables import Markdown, escape, table


def evaluation_year(method, edition: int) -> int | None:
    """The latest evaluation year up to the edition, if any."""
    years = method.evaluation_years(edition)
    return years[-1] if years else None


def intro(method, edition: int) -> Markdown:
    year = evaluation_year(method, edition)
    nxt = [y for y in method.evaluation_years(2040) if y > edition]
    if year is None:
        return Markdown(f"La edición {edition} no es año de evaluación. Según el método de evaluación de este libro, la "
                        f"evaluación de resultados se hace cada {method.every} años de seguimiento desde "
                        f"{method.first_year}; la primera corresponde a {nxt[0] if nxt else '—'}.")
    text = (f"Evaluación de resultados de {year}: para cada indicador, la trayectoria desde la línea base hasta el "
            f"último valor obtenido, comparada con la que lleva a la meta final, y la clasificación de su progreso.")
    if year != edition:
        text += f" La edición {edition} no es año de evaluación: se muestra la evaluación de {year}."
    return Markdown(text)


FORMULA_LABELS = {"crecimiento_observado": "Crecimiento anual observado",
                  "crecimiento_requerido": "Crecimiento anual requerido", "razon": "Razón",
                  "casos_especiales": "Casos especiales"}


def method_section(method) -> Markdown:
    """The method as configured: its sources cited (chapter 8), each formula typeset (MathML, offline)
    followed by its wording, the classes and the calendar."""
    from pnmce.present.formula import mathml
    from pnmce.present.reference import cite_t

    lines = [f"Versión del método de evaluación: **{escape(method.version)}**.", "", escape(method.referencia), ""]
    if method.fuentes:
        lines += [f"Fuentes del método: {'; '.join(cite_t(k) for k in method.fuentes)}.", ""]
    for key, text in method.formulas.items():
        label = FORMULA_LABELS.get(key, key.replace("_", " ").capitalize())
        latex = method.formulas_latex.get(key)
        if latex:
            lines += [f"**{escape(label)}**", "", f'<div class="pnmce-formula">{mathml(latex, label=label)}</div>', "",
                      escape(text), ""]
        else:
            lines += [f"**{escape(label)}**: {escape(text)}", ""]
    lines += [f"- **Clases**: «en camino» si R ≥ {fmt.number(method.on_track)}; «requiere aceleración» si "
              f"{fmt.number(method.acceleration)} ≤ R < {fmt.number(method.on_track)}; «progreso limitado» si "
              f"{fmt.number(method.limited)} ≤ R < {fmt.number(method.acceleration)}; «deterioro» si R < "
              f"{fmt.number(method.limited)}; además «meta alcanzada» y «sin datos suficientes».",
              f"- **Calendario**: cada {method.every} años de seguimiento desde {method.first_year} "
              f"({', '.join(map(str, method.evaluation_years(2040)))})."]
    return Markdown("\n".join(lines))


def _pct(value) -> str:
    return "—" if fmt.is_missing(value) else fmt.quantity(value * 100, "%")


def counts_table(progress: pd.DataFrame, year: int) -> Markdown:
    counts = class_counts(progress)
    frame = counts.reset_index().rename(columns={"objetivo": "Objetivo"}).astype(str)
    frame.columns = ["Objetivo"] + [c.capitalize() for c in CLASSES]
    return table(frame, f"Indicadores por clase de progreso y objetivo prioritario, evaluación {year}",
                 f"tabla-evaluacion-clases-{year}")


def progress_table_md(cat, progress: pd.DataFrame, objective: str, year: int) -> Markdown:
    units = cat.indicadores.set_index("id")["unidad"]
    part = progress[progress["objetivo"] == objective]
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in part["indicador"]],
        "Línea base": [f"{fmt.quantity(v, units[i])} ({int(y)})" if not fmt.is_missing(y) else "—"
                       for i, v, y in zip(part["indicador"], part["valor_base"], part["anio_base"])],
        "Último valor": [f"{fmt.quantity(v, units[i])} ({int(y)})" if not fmt.is_missing(y) else "ND"
                         for i, v, y in zip(part["indicador"], part["valor"], part["anio"])],
        "Meta final": [f"{fmt.quantity(v, units[i])} ({int(y)})" if not fmt.is_missing(y) else "—"
                       for i, v, y in zip(part["indicador"], part["valor_meta"], part["anio_meta"])],
        "Crecimiento anual observado": [_pct(v) for v in part["crecimiento_observado"]],
        "Crecimiento anual requerido": [_pct(v) for v in part["crecimiento_requerido"]],
        "R": ["—" if fmt.is_missing(v) else fmt.number(v, 2) for v in part["razon"]],
        "Clase": [escape(c) for c in part["clase"]],
        # the track so far against the path to 2040: the chart on the indicator's sheet
        "Trayectoria": [f"{{numref}}`{chart_label(i)}`" if has_data(cat, i) else "—" for i in part["indicador"]],
    })
    return table(frame, f"Progreso de los indicadores de {objective} hacia la meta final, evaluación {year}",
                 f"tabla-evaluacion-{objective.lower()}-{year}", raw_columns=("Indicador", "Trayectoria"), sortable=True)


def findings(found: pd.DataFrame, year: int) -> Markdown:
    if found.empty:
        return Markdown(f"Los evaluadores no han registrado hallazgos ni recomendaciones para {year}.")
    lines = ["*Texto de los evaluadores, publicado tal como se recibió:*", ""]
    for kind, title in (("hallazgo", "Hallazgos"), ("recomendación", "Recomendaciones")):
        part = found[found["tipo"] == kind]
        if part.empty:
            continue
        lines.append(f"**{title}**")
        lines.append("")
        for rec in part.itertuples(index=False):
            where = " · ".join(escape(x) for x in (rec.objetivo, rec.indicador) if x)
            lines.append(f"- {('[' + where + '] ') if where else ''}{escape(rec.texto)}"
                         + (f" ({escape(rec.autor)})" if rec.autor else ""))
        lines.append("")
    return Markdown("\n".join(lines))


# ---------------------------------------------------------------- Estado del reporte AÑO

def status_rows(cat, units, observed: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Per responsible unit: its indicators, those reported (value or analysis) and those pending."""
    from pnmce.metrics.responsible_units import indicator_acronyms, legend

    obs = observed[observed["anio"] == edition] if len(observed) else observed
    has_value = set(obs.loc[obs["valor"].notna(), "indicador"]) if len(obs) else set()
    received = set(obs["indicador"]) if len(obs) else set()
    acr = indicator_acronyms(cat, units)
    rows = []
    for sigla in legend(units)["sigla"]:
        ids = [i for i, a in acr.items() if sigla in a]
        if not ids:
            continue
        rows.append({"sigla": sigla, "indicadores": ids, "con_valor": [i for i in ids if i in has_value],
                     "solo_texto": [i for i in ids if i in received and i not in has_value],
                     "pendientes": [i for i in ids if i not in received]})
    orphan = [i for i, a in acr.items() if not a]
    if orphan:  # the sheet names no responsible unit: nobody would be asked for these
        rows.append({"sigla": "sin unidad responsable en la ficha", "indicadores": orphan,
                     "con_valor": [i for i in orphan if i in has_value],
                     "solo_texto": [i for i in orphan if i in received and i not in has_value],
                     "pendientes": [i for i in orphan if i not in received]})
    return pd.DataFrame(rows)


def status_summary(rows: pd.DataFrame, edition: int) -> Markdown:
    done = int((rows["pendientes"].map(len) == 0).sum())
    some = int(((rows["pendientes"].map(len) > 0) & ((rows["con_valor"].map(len) + rows["solo_texto"].map(len)) > 0)).sum())
    none = len(rows) - done - some
    return Markdown(f"Estado de la recepción de valores de {edition}: {plural(len(rows), 'unidad responsable', 'unidades responsables')}; "
                    f"{done} completaron su reporte, {some} lo enviaron en parte y {none} no enviaron nada. "
                    f"Un indicador con varias unidades responsables figura en cada una.")


def status_table(rows: pd.DataFrame, edition: int) -> Markdown:
    def links(ids):
        return ", ".join(link(i, indicator_path(i)) for i in ids) or "—"
    frame = pd.DataFrame({
        "Unidad": [escape(s) for s in rows["sigla"]],
        "Estado": ["completo" if not p else ("sin reporte" if not (v or t) else "parcial")
                   for p, v, t in zip(rows["pendientes"], rows["con_valor"], rows["solo_texto"])],
        "Con valor": [links(v) for v in rows["con_valor"]],
        "Sin valor, con análisis o comentario": [links(v) for v in rows["solo_texto"]],
        "Pendientes": [links(v) for v in rows["pendientes"]],
    })
    return table(frame, f"Estado del reporte {edition} por unidad responsable", f"tabla-estado-reporte-{edition}",
                 raw_columns=("Con valor", "Sin valor, con análisis o comentario", "Pendientes"),
                 widths=[14, 10, 28, 20, 28], sortable=True)
