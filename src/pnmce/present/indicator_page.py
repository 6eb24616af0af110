"""The annex page of one indicator (7.5) and the index of all of them."""

from __future__ import annotations

import html

import latex2mathml.converter
import pandas as pd

from pnmce.catalogue import matrices
from pnmce.data.ids import page_name
from pnmce.data.package import Catalogue
from pnmce.present import fmt
from pnmce.present.charts import indicator_chart, series_frame
from pnmce.present.citation import reader_source
from pnmce.present.page import indicator_path, link, objective_path, plural, service_path
from pnmce.present.tables import Markdown, escape, table, web_only

TYPE_LABEL = {"resultado": "Resultado (objetivo prioritario)", "calidad": "Calidad del servicio",
              "cobertura": "Cobertura del servicio"}


def formula_html(latex: str, name: str = "Fórmula") -> str:
    """The formula as MathML (drawn by the browser, no script), or its source if it does not parse.
    MathML does not wrap: a formula wider than a phone scrolls sideways inside its own region, which
    takes the focus and is named `name`, as a wide table does."""
    try:
        markup = latex2mathml.converter.convert(latex, display="block")
    except Exception:  # the source keeps its published form; showing it verbatim is the honest fallback
        return f"<code>{html.escape(latex)}</code>"
    return f'<div class="pnmce-formula" role="region" tabindex="0" aria-label="{html.escape(name)}">{markup}</div>'


def _field(value) -> str:
    return escape(value) if isinstance(value, str) and value.strip() else "—"


def _has(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def justification(cat: Catalogue, ident: str) -> str:
    """Our one-to-two-sentence summary of the sheet's justification (never the policy's wording)."""
    found = cat.justificaciones[cat.justificaciones["indicador"] == ident]
    return found["resumen"].iloc[0] if not found.empty else ""


def metadata(cat: Catalogue, ident: str) -> Markdown:
    """The rows of the policy's technical sheet, in its order; a field the sheet lacks is left out."""
    ind = cat.indicadores.set_index("id").loc[ident]
    rows = [("Objetivo prioritario", f"{link(ind['objetivo'], objective_path(ind['objetivo']))} "
             f"{escape(cat.objetivos.set_index('id').at[ind['objetivo'], 'nombre'])}")]
    if _has(ind["lineamiento"]):
        rows.append(("Lineamiento", f"{escape(ind['lineamiento'])} "
                     f"{escape(cat.lineamientos.set_index('id').at[ind['lineamiento'], 'nombre'])}"))
    if _has(ind["servicio"]):
        rows.append(("Servicio", f"{link(ind['servicio'], service_path(ind['servicio']))} "
                     f"{escape(cat.servicios.set_index('id').at[ind['servicio'], 'nombre'])}"))
    summary = justification(cat, ident)
    if summary:
        rows.append(("Justificación (resumen)", escape(summary)))
    rows.append(("Responsables", _field(ind["responsable"])))
    if _has(ind["limitaciones"]):
        rows.append(("Limitaciones (resumen)", escape(ind["limitaciones"])))
    formula = ind["formula"] if _has(ind["formula"]) else ""
    variables = ind["variables"] if isinstance(ind["variables"], str) else ""
    terms = "; ".join(escape(v.strip()) for v in variables.split(";") if v.strip())
    rows.append(("Fórmula", formula_html(formula, f"Fórmula del indicador {ident}") if formula else "—"))
    if terms:
        rows.append(("Términos de la fórmula", terms))
    rows += [
        ("Unidad de medida", _field(ind["unidad"])),
        ("Sentido esperado", _field(ind["sentido"])),
        ("Tipo de indicador", escape(TYPE_LABEL.get(ind["tipo"], ind["tipo"]))),
    ]
    if _has(ind["recoleccion"]):
        rows.append(("Proceso de recolección y análisis (resumen)", escape(ind["recoleccion"])))
    rows += [("Fuente", _field(ind["fuente"])), ("Base de datos", _field(ind["base_datos"]))]
    if _has(ind["periodicidad"]):  # only the sheets that state one
        rows.append(("Periodicidad", escape(ind["periodicidad"])))
    frame = pd.DataFrame(rows, columns=["Elemento", "Descripción"])
    return table(frame, f"Ficha técnica del indicador {ident}", f"tabla-ficha-{_label(ident)}",
                 raw_columns=("Descripción",), widths=[25, 75])


def _label(ident: str) -> str:
    return page_name(ident).lower().replace(".", "-")


def series_rows(cat: Catalogue, ident: str, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    metas = cat.metas[cat.metas["indicador"] == ident].sort_values("anio")
    obs = (observed[observed["indicador"] == ident] if observed is not None and not observed.empty
           else pd.DataFrame(columns=["anio", "valor"]))
    years = sorted(set(metas["anio"].astype(int)) | set(obs["anio"].astype(int)))
    rows = []
    for year in years:
        m = metas[metas["anio"] == year]
        o = obs[obs["anio"] == year]
        rows.append({
            "anio": year,
            "tipo": "Línea base" if (not m.empty and m["tipo"].iloc[0] == "linea_base") else ("Logro esperado" if not m.empty else ""),
            "valor": None if m.empty else m["valor"].iloc[0],
            "numerador": None if m.empty else m["numerador"].iloc[0],
            "denominador": None if m.empty else m["denominador"].iloc[0],
            "obtenido": None if o.empty else o["valor"].iloc[0],
        })
    return pd.DataFrame(rows)


def series_table(cat: Catalogue, ident: str, observed: pd.DataFrame | None = None) -> Markdown:
    unit = cat.indicadores.set_index("id").at[ident, "unidad"]
    rows = series_rows(cat, ident, observed)
    if rows.empty:
        return Markdown(no_data_note(ident))
    frame = pd.DataFrame({"Año": rows["anio"].astype(str), "Serie": rows["tipo"],
                          "Valor esperado": [fmt.quantity(v, unit) for v in rows["valor"]]})
    if rows["numerador"].notna().any():
        frame["Numerador"] = [fmt.number(v) for v in rows["numerador"]]
        frame["Denominador"] = [fmt.number(v) for v in rows["denominador"]]
    if rows["obtenido"].notna().any():
        frame["Valor obtenido"] = [fmt.quantity(v, unit) for v in rows["obtenido"]]
    return table(frame, f"Línea base, logros esperados y valores obtenidos de {ident}", f"tabla-serie-{_label(ident)}")


def chart_label(ident: str) -> str:
    """The label of the indicator's chart on its sheet, for `{numref}` (the evaluation report cites it)."""
    return f"figura-{_label(ident)}"


def chart(cat: Catalogue, ident: str, edition: int, observed: pd.DataFrame | None = None, labelled: bool = False):
    """The indicator's chart; `labelled` on its own sheet only (a label names one chart in the book)."""
    ind = cat.indicadores.set_index("id").loc[ident]
    metas = cat.metas[cat.metas["indicador"] == ident]
    obs = observed[observed["indicador"] == ident] if observed is not None and not observed.empty else None
    return indicator_chart(ident, ind["nombre"], ind["unidad"], series_frame(metas, obs), edition,
                           label=chart_label(ident) if labelled else None, responsible=ind["responsable"])


def has_data(cat: Catalogue, ident: str) -> bool:
    return bool((cat.metas["indicador"] == ident).any())


def no_data_note(ident: str) -> str:
    return (f"La ficha técnica de {escape(ident)} en la política no trae línea base ni logros esperados; "
            "la serie y su gráfico se publicarán cuando se definan.")


def downloads(ident: str, depth: int = 2) -> Markdown:
    """Links to the indicator's CSV and JSON in the book's static files."""
    up = "../" * depth
    stem = page_name(ident)
    base = f"{up}_static/datos/indicadores/{stem}"
    return Markdown(
        f'<p class="pnmce-descargas">Descargar la serie: '
        f'<a href="{base}.csv" download>CSV</a> · <a href="{base}.json" download>JSON</a></p>')


def provenance(cat: Catalogue, ident: str, edition: int, commit: str = "") -> Markdown:
    """Where the sheet comes from. The data and code versions are in the page footer (book layer):
    a notebook that printed them would be re-executed by every commit."""
    proc = cat.indicadores.set_index("id").at[ident, "procedencia"]
    return Markdown(f"**Fuente:** PNMCE al 2040, {escape(reader_source(proc))}. Edición {edition}.")


def name_variants(cat: Catalogue, ident: str) -> Markdown | None:
    """Other spellings of the indicator's name elsewhere in the policy, if any."""
    variants = cat.variantes[(cat.variantes["entidad"] == "indicador") & (cat.variantes["id"] == ident)]
    parts = [f"Otra forma del nombre en la política: «{escape(v.nombre)}» ({escape(reader_source(v.procedencia))})."
             for v in variants.itertuples()]
    return Markdown("\n\n".join(parts)) if parts else None


# --- 7.5 index ---------------------------------------------------------------

def index_intro(cat: Catalogue) -> Markdown:
    ind = cat.indicadores
    empty = [i for i in ind["id"] if not has_data(cat, i)]
    return Markdown(
        f"El anexo tiene una página por indicador: {plural(int((ind['nivel'] == 'objetivo').sum()), 'indicador', 'indicadores')} "
        f"de objetivos prioritarios y {plural(int((ind['nivel'] == 'servicio').sum()), 'indicador', 'indicadores')} de servicios. "
        "Cada página muestra la ficha técnica, la serie de metas, un gráfico y los datos para descargar. "
        + web_only("Haga clic en el encabezado de una columna para ordenar la tabla.") + " "
        f"Sin datos en la ficha publicada: {', '.join(link(i, indicator_path(i)) for i in empty) or 'ninguno'}. "
        + web_only("<a href=\"../../_static/datos/series.csv\" download>Descargar todas las series (CSV)</a>."))


def index_table(cat: Catalogue, objective: str, observed_last: pd.DataFrame | None = None) -> Markdown:
    ov = matrices.indicator_overview(cat)
    ov = ov[ov["objetivo"] == objective]
    last = observed_last.set_index("indicador") if observed_last is not None and not observed_last.empty else None
    rows = []
    for r in ov.itertuples():
        has_obs = last is not None and r.id in last.index
        rows.append({
            "Código": link(r.id, indicator_path(r.id)), "Indicador": escape(r.nombre), "Tipo": escape(r.tipo),
            "Unidad": escape(r.unidad) or "—",
            "Línea base": fmt.quantity(r.linea_base_valor, r.unidad) if r.linea_base_anio else "—",
            "Meta 2040": fmt.quantity(r.meta_valor, r.unidad) if r.meta_anio == 2040 else "—",
            "Último valor obtenido": (f"{fmt.quantity(last.at[r.id, 'valor'], r.unidad)} ({int(last.at[r.id, 'anio'])})"
                                      if has_obs else "—"),
            "Reporte": ("reportado" if has_obs else ("sin datos en la ficha" if not has_data(cat, r.id) else "sin reporte")),
        })
    frame = pd.DataFrame(rows)
    return table(frame, f"Indicadores del objetivo prioritario {objective}", f"tabla-anexo-indicadores-{objective.lower()}",
                 raw_columns=("Código", "Indicador", "Tipo", "Unidad"), widths=[12, 38, 9, 9, 8, 8, 9, 7], sortable=True)


def edition_status(row: pd.Series, edition: int) -> Markdown:
    """One line: the edition's expected and obtained values, progress, status and alerts."""
    unit = row["unidad"]
    text = (f"**Edición {edition}.** Logro esperado: {fmt.quantity(row['valor_esperado'], unit)}; "
            f"valor obtenido: {fmt.quantity(row['valor_obtenido'], unit)}; "
            f"avance: {fmt.quantity(row['avance'], '%')}; semáforo: **{escape(row['semaforo'])}**.")
    if row["nota"]:
        text += f" Nota: {escape(row['nota'])}."
    if row["alertas"]:
        text += f" Alertas: {escape(row['alertas'])}."
    return Markdown(text)


def history_table(cat: Catalogue, ident: str, hist: pd.DataFrame, edition: int) -> Markdown:
    """The indicator's multi-year table: baseline, then each monitored year up to the edition."""
    from pnmce.present.report import semaforo_mark

    unit = cat.indicadores.set_index("id").at[ident, "unidad"]
    rows = hist[hist["indicador"] == ident]
    if rows.empty:
        return Markdown(no_data_note(ident))

    def cell(v, u):
        return "ND" if fmt.is_missing(v) else fmt.quantity(v, u)

    frame = pd.DataFrame({
        "Año": rows["anio"].astype(str),
        "Serie": ["Línea base" if t == "linea_base" else "Seguimiento" for t in rows["tipo"]],
        "Logro esperado": ["—" if t == "linea_base" else cell(v, unit) for t, v in zip(rows["tipo"], rows["valor_esperado"])],
        "Valor obtenido": [cell(v, unit) for v in rows["valor_obtenido"]],
        "Avance": ["—" if t == "linea_base" else cell(v, "%") for t, v in zip(rows["tipo"], rows["avance"])],
        "Avance con tope": ["—" if t == "linea_base" else cell(v, "%") for t, v in zip(rows["tipo"], rows["avance_tope"])],
        "Semáforo": [semaforo_mark(s) for s in rows["semaforo"]],
    })
    return table(frame, f"Seguimiento de {ident} hasta {edition}", f"tabla-historial-{_label(ident)}-{edition}",
                 raw_columns=("Semáforo",), widths=[8, 14, 16, 16, 14, 16, 16])
