"""Chapter 5: the monitoring report of an edition and the method page, from data and config."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pnmce.data import pages
from pnmce.data.method import Method
from pnmce.metrics.statuses import STATUSES
from pnmce.present import fmt
from pnmce.present.charts import OfflineChart, report_source
from pnmce.present.page import indicator_path, link, plural, service_path
from pnmce.present.tables import Markdown, escape, table

COLORS = {"verde": "#2e7d32", "amarillo": "#f9a825", "rojo": "#c62828", "sin dato": "#9e9e9e", "sin meta": "#cfd8dc"}


def status_counts_table(table_: pd.DataFrame, year: int) -> Markdown:
    counts = pd.crosstab(table_["objetivo"], table_["semaforo"]).reindex(columns=STATUSES, fill_value=0)
    counts.loc["Total"] = counts.sum()
    frame = counts.reset_index().rename(columns={"objetivo": "Objetivo"}).astype(str)
    frame.columns = [c.capitalize() if c != "Objetivo" else c for c in frame.columns]
    return table(frame, f"Indicadores por semáforo y objetivo prioritario, {year}", f"tabla-semaforo-{year}")


def _responsible(table_: pd.DataFrame, units) -> list[str]:
    """Responsible units by acronym (see the legend), or the published text without `units`."""
    if units is None:
        return [escape(r) for r in table_["responsable"]]
    from pnmce.metrics.responsible_units import acronyms_of

    return [escape(", ".join(acronyms_of(r, units))) for r in table_["responsable"]]


FORMULA_LABELS = {"logro_esperado": "Logro esperado", "sentido": "Sentido", "ascendente": "Ascendente",
                  "descendente": "Descendente", "neutral": "Neutral",
                  "casos_especiales": "Casos especiales y avance «ND»", "semaforo": "Semáforo"}


def method_page(method: Method) -> Markdown:
    """The method, as configured: every choice with its value, and the citation."""
    lines = [
        f"Versión del método: **{escape(method.version)}** (huella {method.digest}).",
        "",
        f"Referencia: {escape(method.cita)}.",
        "",
        f"**Advertencia:** {escape(method.nota)}",
        "",
    ]
    for key, text in method.formulas.items():
        label = FORMULA_LABELS.get(key, key.replace('_', ' ').capitalize())
        lines.append(f"- **{escape(label)}**: {escape(text)}")
    lines += [
        "",
        f"- **Edición de línea base ({method.anio_linea_base})**: {escape(method.regla_linea_base)}",
        "",
        f"- **Tope del avance**: {fmt.quantity(method.tope, '%')} "
        f"({'se aplica' if method.aplicar_tope else 'no se aplica'}).",
        f"- **Semáforo**: verde desde {fmt.quantity(method.verde, '%')}, amarillo desde "
        f"{fmt.quantity(method.amarillo, '%')}, rojo por debajo.",
        f"- **Alerta de avance bajo**: por debajo de {fmt.quantity(method.avance_minimo, '%')}.",
        f"- **Rango plausible de porcentajes**: {fmt.number(method.porcentaje_min)} a {fmt.number(method.porcentaje_max)}; "
        f"alerta de salto si el valor es más de {fmt.number(method.factor_salto)} veces (o menos de la fracción "
        "inversa) el último valor conocido.",
        f"- **Tolerancia numerador/denominador**: {fmt.number(method.tolerancia_pp)} punto(s) porcentual(es) o "
        f"{fmt.quantity(method.tolerancia_relativa * 100, '%')} del valor calculado.",
        f"- **Índice de gestión**: {escape(method.indice_descripcion)}",
    ]
    return Markdown("\n".join(lines))


# ---------------------------------------------------------------- the report as ministries publish it

def semaforo_mark(status: str) -> str:
    """A coloured mark plus its word (the colour is decorative: the word carries the meaning)."""
    if not status:
        return ""
    color = COLORS.get(status, "#9e9e9e")
    return (f'<span class="pnmce-semaforo" style="color:{color}" aria-hidden="true">●</span>\u00a0'
            f"{escape(status)}")


def acronyms(cat, units) -> dict[str, str]:
    """Indicator → its responsible units by acronym («DFCE, DVUCEPT»)."""
    from pnmce.metrics.responsible_units import indicator_acronyms

    return {i: ", ".join(a) for i, a in indicator_acronyms(cat, units).items()}


def units_legend(cat, units, ids=None, label: str = "tabla-siglas-responsables") -> Markdown:
    from pnmce.metrics.responsible_units import indicator_acronyms, legend

    used = [a for i, acr in indicator_acronyms(cat, units).items() if ids is None or i in ids for a in acr]
    frame = legend(units, used)
    table_ = pd.DataFrame({"Sigla": frame["sigla"], "Unidad responsable": frame["nombre"],
                           "Sigla tomada de": ["la ficha técnica" if o == "ficha" else "este libro (la ficha no trae sigla)"
                                               for o in frame["origen_sigla"]]})
    return table(table_, "Siglas de las unidades responsables", label, widths=[16, 60, 24])


def _cell(value, unit) -> str:
    return "ND" if fmt.is_missing(value) else fmt.quantity(value, unit)


def _avance(raw, capped) -> str:
    if fmt.is_missing(raw):
        return "ND"
    text = fmt.quantity(raw, "%")
    return text if fmt.is_missing(capped) or abs(raw - capped) < 1e-9 else f"{text} (tope {fmt.quantity(capped, '%')})"


def standard_of(cat, ident: str) -> str:
    """The standard of a quality indicator (4.3.1 service sheet), or ''."""
    ind = cat.indicadores.set_index("id").loc[ident]
    if ind["tipo"] != "calidad" or not isinstance(ind["servicio"], str) or not ind["servicio"]:
        return ""
    srv = cat.servicios.set_index("id").loc[ind["servicio"]]
    return f"{srv['estandar']}: {srv['estandar_descripcion']}".strip(": ")


def analysis_blocks(cat, observed: pd.DataFrame, ids: list[str], edition: int, level: int = 4) -> Markdown:
    """Each indicator's analysis as its responsible unit wrote it (escaped: text we do not write)."""
    from pnmce.data.observed import TEXT_COLUMNS, TEXT_LABELS

    obs = observed[observed["anio"] == edition].set_index("indicador") if len(observed) else None
    lines, without = [], []
    for ident in ids:
        rec = obs.loc[ident] if obs is not None and ident in obs.index else None
        texts = [(TEXT_LABELS[c], rec[c]) for c in TEXT_COLUMNS if rec is not None and str(rec[c]).strip()]
        standard = standard_of(cat, ident)
        if not texts and not standard:
            without.append(ident)
            continue
        lines.append(f"{'#' * level} {escape(ident)}")
        if standard:
            lines.append(f"**Estándar de calidad del servicio (ficha 4.3.1):** {escape(standard)}")
            lines.append("")
        if texts:
            lines.append(f"*Texto de la unidad responsable, {edition}, publicado tal como se recibió:*")
            lines.append("")
            for label, text in texts:
                lines.append(f"- **{label}:** {escape(text)}")
        else:
            lines.append(f"La unidad responsable no envió análisis para {edition}.")
        lines.append("")
    if without:
        lines.append(f"Sin análisis de la unidad responsable para {edition}: "
                     + ", ".join(link(i, indicator_path(i)) for i in without) + ".")
    return Markdown("\n".join(lines))


ALERT_KINDS = [("avance bajo", "Avance bajo"), ("valor no reportado", "Valor no reportado"),
               ("porcentaje fuera", "Porcentaje fuera del rango plausible"), ("valor negativo", "Valor negativo"),
               ("salto inusual", "Salto inusual respecto del último valor"),
               ("denominador igual a cero", "Denominador igual a cero"),
               ("numerador/denominador", "Numerador y denominador no concuerdan"),
               ("informado después", "Valor de un año anterior informado tarde"),
               ("retirado", "Valor de un año anterior retirado"), ("revisado", "Valor de un año anterior revisado")]


def alert_kind(text: str) -> str:
    for needle, label in ALERT_KINDS:
        if needle in text:
            return label
    return "Otras"


def alerts_by_kind(table_: pd.DataFrame, year: int) -> Markdown:
    groups: dict[str, list[str]] = {}
    for ident, text in zip(table_["indicador"], table_["alertas"]):
        for alert in [a for a in str(text).split("; ") if a]:
            groups.setdefault(alert_kind(alert), []).append(ident)
    if not groups:
        return Markdown(f"No hay alertas en {year}.")
    order = [label for _, label in ALERT_KINDS] + ["Otras"]
    frame = pd.DataFrame([{"Tipo de alerta": k, "Indicadores": str(len(set(v))),
                           "Cuáles": ", ".join(link(i, indicator_path(i)) for i in dict.fromkeys(v))}
                          for k in order if (v := groups.get(k))])
    return table(frame, f"Alertas del seguimiento {year}, por tipo", f"tabla-alertas-tipo-{year}",
                 raw_columns=("Cuáles",), widths=[30, 10, 60])


def status_chart(table_: pd.DataFrame, year: int) -> OfflineChart:
    counts = table_.groupby(["objetivo", "semaforo"]).size().reset_index(name="indicadores")
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("objetivo:N", title="Objetivo prioritario"),
        x=alt.X("indicadores:Q", title="Indicadores", stack="zero"),
        color=alt.Color("semaforo:N", title="Semáforo",
                        scale=alt.Scale(domain=STATUSES, range=[COLORS[s] for s in STATUSES])),
        order=alt.Order("orden:Q"),
        tooltip=[alt.Tooltip("objetivo:N", title="Objetivo"), alt.Tooltip("semaforo:N", title="Semáforo"),
                 alt.Tooltip("indicadores:Q", title="Indicadores")],
    ).transform_calculate(orden=f"indexof({STATUSES!r}, datum.semaforo)").properties(
        title=alt.Title(f"Indicadores por semáforo y objetivo prioritario, {year}", anchor="start"),
        width=520, height=160)
    described = "; ".join(f"{o}: " + ", ".join(f"{n} {s}" for s, n in zip(g["semaforo"], g["indicadores"]))
                          for o, g in counts.groupby("objetivo"))
    return OfflineChart(chart, f"Indicadores por semáforo en {year}. {described}.", source=report_source(year))


def index_chart(index_hist: pd.DataFrame, edition: int) -> OfflineChart | Markdown:
    data = index_hist[index_hist["objetivo"] != "Total"].dropna(subset=["indice"])
    if data.empty:
        return Markdown(f"Hasta {edition} ningún indicador de servicio tiene avance: no hay índice de gestión que graficar.")
    data = data.assign(etiqueta=[fmt.quantity(v, "%") for v in data["indice"]])
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("anio:O", title="Año"), y=alt.Y("indice:Q", title="Índice de gestión (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("objetivo:N", title="Objetivo"),
        tooltip=[alt.Tooltip("objetivo:N", title="Objetivo"), alt.Tooltip("anio:O", title="Año"),
                 alt.Tooltip("etiqueta:N", title="Índice")],
    ).properties(title=alt.Title(f"Índice de gestión por objetivo prioritario hasta {edition}", anchor="start"),
                 width=520, height=220)
    described = "; ".join(f"{o} {int(a)}: {e}" for o, a, e in zip(data["objetivo"], data["anio"], data["etiqueta"]))
    return OfflineChart(chart, f"Índice de gestión por objetivo y año: {described}.", source=report_source(edition))


def report_downloads(edition: int) -> Markdown:
    stem = f"reporte-seguimiento-{edition}"
    return Markdown(f'<p class="pnmce-descargas">Tablas del reporte: '
                    f'<a href="../../_static/datos/{stem}.xlsx" download>Excel</a> · '
                    f'<a href="../../_static/datos/{stem}.csv" download>CSV</a></p>')


def baseline_frame(cat) -> pd.DataFrame:
    """Baseline edition download: each indicator's baseline and expected value of every year."""
    metas = cat.metas
    years = sorted(int(y) for y in metas.loc[metas["tipo"] != "linea_base", "anio"].unique())
    rows = []
    for ind in cat.indicadores.itertuples(index=False):
        m = metas[metas["indicador"] == ind.id]
        base = m[m["tipo"] == "linea_base"]
        exp = m[m["tipo"] != "linea_base"].set_index("anio")["valor"]
        rows.append({"codigo": ind.id, "indicador": ind.nombre, "unidad": ind.unidad, "objetivo": ind.objetivo,
                     "linea_base_anio": int(base["anio"].iloc[0]) if len(base) else None,
                     "linea_base": base["valor"].iloc[0] if len(base) else None,
                     **{f"esperado_{y}": exp.get(y) for y in years}})
    frame = pd.DataFrame(rows)
    frame["linea_base_anio"] = frame["linea_base_anio"].astype("Int64")
    return frame


# ---------------------------------------------------------------- the report as a short chapter (issue 18)
#
# The chapter: presentation and executive summary (reporte_seguimiento.md), one page per priority
# objective (reporte_objetivo.md), alerts, conclusions and recommendations (reporte_conclusiones.md)
# and the multi-year annex (reporte_anexo.md). The wording of the data-driven texts is in Jinja
# templates beside the notebooks (notebooks/textos_reporte/), so an analyst edits words, not code.

TEXTS_DIR = "textos_reporte"


def _and(items) -> str:
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


def _environment(folder):
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True,
                             autoescape=False)
    env.filters.update({
        "numero": lambda v, d=None: fmt.number(v, d),
        "pct": lambda v: fmt.quantity(v, "%"),
        "pp": lambda v: fmt.number(v, 1) + "\u00a0puntos",
        "y": _and,
        "enlaces": lambda ids: _and(link(i, indicator_path(i)) for i in ids),
        "plural": lambda n, one, many: plural(int(n), one, many),
        "alerta": lambda text: escape(format_alert(text)),
    })
    return env


def render_text(folder, name: str, **values) -> Markdown:
    """Render the text template `name` of `folder` (notebooks/textos_reporte/) with `values`."""
    return Markdown(_environment(folder).get_template(name).render(**values).strip())


def short_name(name: str, limit: int = 60) -> str:
    """An indicator's name cut at a word boundary (chart labels; the full name is in the table)."""
    text = " ".join(str(name).split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def reporting_facts(status_rows: pd.DataFrame) -> dict:
    """Who reported: units that completed, sent part, sent nothing (from `evaluation.status_rows`)."""
    if status_rows is None or not len(status_rows):
        return {"unidades": 0, "completas": [], "parciales": [], "sin_reporte": []}
    named = status_rows[status_rows["sigla"] != "sin unidad responsable en la ficha"]
    sent = named["con_valor"].map(len) + named["solo_texto"].map(len)
    pending = named["pendientes"].map(len)
    return {"unidades": int(len(named)), "completas": named.loc[pending == 0, "sigla"].tolist(),
            "parciales": named.loc[(pending > 0) & (sent > 0), "sigla"].tolist(),
            "sin_reporte": named.loc[(pending > 0) & (sent == 0), "sigla"].tolist()}


def presentation(cat, folder, edition: int, method: Method, status_rows: pd.DataFrame | None) -> Markdown:
    """The report's presentation: the policy, the year, who reported and when (all from data)."""
    from pnmce.data.observed import data_date

    facts = cat.hechos.set_index("id")["valor"]
    ind = cat.indicadores
    return render_text(folder, "presentacion.md.j2", edicion=int(edition), linea_base=method.is_baseline(edition),
                       anio_linea_base=method.anio_linea_base, rector=facts.get("rector", ""),
                       responsable=facts.get("seguimiento_responsable", ""),
                       coordinacion=facts.get("seguimiento_coordinacion", ""),
                       objetivos=len(cat.objetivos), resultado=int((ind["nivel"] == "objetivo").sum()),
                       servicio=int((ind["nivel"] == "servicio").sum()),
                       fecha_datos=fmt.spanish_date(data_date(edition)), reporte=reporting_facts(status_rows))


def executive_summary(folder, facts: dict, index: pd.DataFrame) -> Markdown:
    """Counts, management index and main movements, in the template's words."""
    per_objective = [(o, v) for o, v in zip(index["objetivo"], index["indice"]) if o != "Total"]
    return render_text(folder, "resumen.md.j2", f=facts, por_objetivo=per_objective,
                       estados=[(s, facts["conteos"].get(s, 0)) for s in STATUSES])


def conclusions(folder, facts: dict) -> Markdown:
    """Conclusions written from the data: advanced, fell, without data, largest gaps, revisions."""
    return render_text(folder, "conclusiones.md.j2", f=facts)


def baseline_conclusions(cat, folder, edition: int) -> Markdown:
    """Baseline edition: what the edition fixes and when the first monitoring report comes."""
    base = cat.metas[(cat.metas["tipo"] == "linea_base") & cat.metas["valor"].notna()]
    without = [i for i in cat.indicadores["id"] if i not in set(base["indicador"])]
    return render_text(folder, "linea_base.md.j2", edicion=int(edition), indicadores=len(cat.indicadores),
                       con_linea_base=int(base["indicador"].nunique()), sin_linea_base=without,
                       horizonte=int(cat.metas["anio"].max()))


def recommendations(text: str) -> Markdown | None:
    """The planning office's recommendations for the edition, as written (MyST), or None when absent."""
    return Markdown(text) if text else None


def facts(cat, hist: pd.DataFrame, table_: pd.DataFrame, index: pd.DataFrame, edition: int) -> dict:
    """What the report's texts say: counts, movements against the previous year, gaps (metrics.history)."""
    from pnmce.metrics.history import movements, report_facts

    return report_facts(table_, movements(cat, hist, table_, edition), index, edition)


def recommendations_status(present: bool, edition: int, baseline: bool = False) -> Markdown:
    """The status page's line on the planning office's recommendations for the edition."""
    what = "La edición de línea base" if baseline else f"El reporte de seguimiento {edition}"
    if present:
        return Markdown(f"Recomendaciones de la oficina de planeamiento: recibidas; {what[0].lower() + what[1:]} "
                        "las publica tal como se redactaron.")
    return Markdown(f"Recomendaciones de la oficina de planeamiento: no se recibieron para {edition}; "
                    f"{what[0].lower() + what[1:]} se publica sin esa sección.")


def objective_table(cat, table_: pd.DataFrame, objective: str, year: int, units) -> Markdown:
    """One objective's indicators in `year`: outcome indicators first, then each service's."""
    part = table_[table_["objetivo"] == objective]
    part = pd.concat([part[part["servicio"].fillna("") == ""], part[part["servicio"].fillna("") != ""]])
    acr = acronyms(cat, units)
    frame = pd.DataFrame({
        "Indicador": [f"{link(i, indicator_path(i))} {escape(n)}" for i, n in zip(part["indicador"], part["nombre"])],
        "Servicio": [link(s, service_path(s)) if isinstance(s, str) and s else "resultado" for s in part["servicio"]],
        "Logro esperado": [_cell(v, u) for v, u in zip(part["valor_esperado"], part["unidad"])],
        "Valor obtenido": [_cell(v, u) for v, u in zip(part["valor_obtenido"], part["unidad"])],
        "Avance": [_avance(a, t) for a, t in zip(part["avance"], part["avance_tope"])],
        "Semáforo": [semaforo_mark(s) for s in part["semaforo"]],
        "Responsable": [escape(acr.get(i, "")) for i in part["indicador"]],
    })
    return table(frame, f"Indicadores de {objective} en {year}", f"tabla-reporte-{objective.lower()}-{year}",
                 raw_columns=("Indicador", "Servicio", "Semáforo", "Responsable"), widths=[34, 9, 12, 12, 13, 10, 10])


def objective_progress_chart(table_: pd.DataFrame, objective: str, year: int) -> OfflineChart | Markdown:
    """Capped avance of an objective's indicators, each bar labelled by its code and short name."""
    part = table_[table_["objetivo"] == objective]
    part = part[part["avance_tope"].notna()]
    if part.empty:
        return Markdown(f"Ningún indicador de {objective} tiene avance en {year}: no hay gráfico.")
    data = pd.DataFrame({
        "etiqueta": [f"{i} {short_name(n, 60)}" for i, n in zip(part["indicador"], part["nombre"])],
        "avance": part["avance_tope"], "semaforo": part["semaforo"],
        "texto": [fmt.quantity(v, "%") for v in part["avance_tope"]],
    })
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("etiqueta:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("avance:Q", title="Avance con tope (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("semaforo:N", title="Semáforo",
                        scale=alt.Scale(domain=STATUSES, range=[COLORS[s] for s in STATUSES])),
        tooltip=[alt.Tooltip("etiqueta:N", title="Indicador"), alt.Tooltip("texto:N", title="Avance"),
                 alt.Tooltip("semaforo:N", title="Semáforo")],
    ).properties(title=alt.Title(f"Avance de los indicadores de {objective}, {year}", anchor="start"),
                 width=360, height=max(60, 22 * len(data)))
    described = "; ".join(f"{e}: {t} ({s})" for e, t, s in zip(data["etiqueta"], data["texto"], data["semaforo"]))
    return OfflineChart(chart, f"Avance con tope de los indicadores de {objective} en {year}. {described}.")


def baseline_table(cat, objective: str | None = None) -> Markdown:
    """Baseline edition: each indicator's baseline and its expected values to the policy's horizon."""
    inds = cat.indicadores if objective is None else cat.indicadores[cat.indicadores["objetivo"] == objective]
    metas = cat.metas[cat.metas["tipo"] != "linea_base"]
    counts = metas.dropna(subset=["valor"]).groupby("anio")["indicador"].nunique()
    first = min((int(y) for y, n in counts.items() if n >= len(cat.indicadores) / 2), default=None)
    shown = [first] + [int(y) for y in counts.index if int(y) > first and int(y) % 5 == 0] if first else []
    rows = []
    for ind in inds.itertuples(index=False):
        m = metas[metas["indicador"] == ind.id].set_index("anio")["valor"]
        base = cat.metas[(cat.metas["indicador"] == ind.id) & (cat.metas["tipo"] == "linea_base")]
        row = {"Indicador": f"{link(ind.id, indicator_path(ind.id))} {escape(ind.nombre)}",
               "Unidad": fmt.unit_label(ind.unidad),
               "Línea base": (f"{_cell(base['valor'].iloc[0], ind.unidad)} ({int(base['anio'].iloc[0])})"
                              if len(base) else "ND")}
        for y in shown:
            row[f"Logro esperado {y}"] = _cell(m.get(y), ind.unidad)
        rows.append(row)
    label = f"tabla-linea-base-{objective.lower()}" if objective else "tabla-linea-base"
    caption = f"Indicadores de {objective}: línea base y logros esperados" if objective else \
        "Anexo: línea base y logros esperados de todos los indicadores"
    if objective is None:  # the annex: 92 rows as a light HTML table
        import html as html_lib

        frame = pd.DataFrame(rows)
        frame["Indicador"] = [f"{_html_link(i)} {html_lib.escape(n)}"
                              for i, n in zip(inds["id"], inds["nombre"])]
        return html_table(frame, caption, label, raw_columns=("Indicador",))
    return table(pd.DataFrame(rows), caption, label, raw_columns=("Indicador",))


def baseline_path_chart(cat, objective: str) -> OfflineChart | Markdown:
    """Baseline edition: the expected path of an objective's outcome indicators, as % of their baseline."""
    inds = cat.indicadores[(cat.indicadores["objetivo"] == objective) & (cat.indicadores["nivel"] == "objetivo")]
    rows = []
    for ind in inds.itertuples(index=False):
        m = cat.metas[cat.metas["indicador"] == ind.id].sort_values("anio")
        base = m[m["tipo"] == "linea_base"]["valor"]
        base = fmt_base = float(base.iloc[0]) if len(base) and not fmt.is_missing(base.iloc[0]) else None
        if not base:
            continue
        for y, v in zip(m["anio"], m["valor"]):
            if not fmt.is_missing(v):
                rows.append({"indicador": f"{ind.id} {short_name(ind.nombre, 40)}", "anio": int(y),
                             "indice": float(v) / fmt_base * 100, "valor": fmt.quantity(v, ind.unidad)})
    if not rows:
        return Markdown(f"Los indicadores de resultado de {objective} no tienen línea base y metas que graficar.")
    data = pd.DataFrame(rows)
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("anio:O", title="Año"), y=alt.Y("indice:Q", title="Valor esperado (línea base = 100)"),
        color=alt.Color("indicador:N", title="Indicador", legend=alt.Legend(orient="bottom", labelLimit=320)),
        tooltip=[alt.Tooltip("indicador:N", title="Indicador"), alt.Tooltip("anio:O", title="Año"),
                 alt.Tooltip("valor:N", title="Valor esperado")],
    ).properties(title=alt.Title(f"Trayectoria esperada de los indicadores de resultado de {objective}",
                                 anchor="start"), width=360, height=200)
    described = "; ".join(f"{i}: " + ", ".join(f"{a} {v}" for a, v in zip(g["anio"], g["valor"]))
                          for i, g in data.groupby("indicador", sort=False))
    return OfflineChart(chart, f"Valores esperados de los indicadores de resultado de {objective}. {described}.",
                        source=f"Fuente: fichas técnicas de los indicadores de resultado de {objective}, PNMCE "
                               "(línea base y logros esperados).")


_NUMBER = __import__("re").compile(r"(?<![\w.,])-?\d+(?:\.\d+)?(?![\w.,]*\d)")
_YEAR_BEFORE = ("de ", "del ")


def format_alert(text: str) -> str:
    """An alert with its numbers in the book's format (decimal comma, grouped thousands); the years
    it names stay as they are. «calculado 93.4844» → «calculado 93,484»."""
    out, last = [], 0
    for m in _NUMBER.finditer(text):
        token = m.group(0)
        before = text[max(0, m.start() - 4):m.start()]
        is_year = "." not in token and len(token) == 4 and any(before.endswith(w) for w in _YEAR_BEFORE)
        out.append(text[last:m.start()])
        out.append(token if is_year else fmt.number(float(token)))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def alerts_list(table_: pd.DataFrame, year: int, units=None) -> Markdown:
    """Every alert of the year, one row per indicator, numbers formatted."""
    alerted = table_[table_["alertas"].fillna("") != ""]
    if alerted.empty:
        return Markdown(f"No hay alertas en {year}.")
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in alerted["indicador"]],
        "Alertas": [escape(format_alert(a)) for a in alerted["alertas"]],
        "Responsable": _responsible(alerted, units),
    })
    return table(frame, f"Alertas del seguimiento {year}", f"tabla-alertas-{year}", raw_columns=tuple(frame.columns),
                 widths=[14, 56, 30])


ANNEX_YEARS = 2  # monitored years shown in the page's annex (the downloads carry every year): keeps it light


def html_table(frame: pd.DataFrame, caption: str, ident: str, raw_columns: tuple[str, ...] = ()) -> Markdown:
    """A plain HTML table (cells without paragraphs: a third of a list-table's elements), for the
    long annex tables; cells are escaped except `raw_columns` (HTML built here). Wrapped as the theme
    wraps a table, so that the book names its scrolling region as it names any table's (`pnmce.book.ui_es`)."""
    import html as html_lib

    def cell(col, value):
        return str(value) if col in raw_columns else html_lib.escape(str(value))
    head = "".join(f'<th scope="col">{html_lib.escape(c)}</th>' for c in frame.columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{cell(c, v)}</td>" for c, v in zip(frame.columns, r)) + "</tr>"
                     for r in frame.itertuples(index=False))
    return Markdown(f'<div class="pst-scrollable-table-container">\n<table class="table pnmce-anexo" id="{ident}">\n'
                    f"<caption>{html_lib.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
                    f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>")


def _html_link(ident: str, text: str | None = None, page: str = pages.REPORT_ANNEX) -> str:
    """A raw HTML link to an indicator's sheet from `page` (the annex's light tables are HTML, not MyST)."""
    import html as html_lib

    href = pages.relative_link(pages.indicator_page(ident), page)
    return f'<a href="{html_lib.escape(href)}">{html_lib.escape(text or ident)}</a>'


def annex_table(cat, hist: pd.DataFrame, edition: int, units=None, years_shown: int = ANNEX_YEARS) -> Markdown:
    """The multi-year annex (Anexo B-7 style): code and indicator, unit, baseline, then expected,
    obtained and avance of the last `years_shown` monitored years, and the responsible units."""
    import html as html_lib

    inds = cat.indicadores.set_index("id")
    years = sorted(set(hist.loc[hist["tipo"] == "seguimiento", "anio"]))[-years_shown:]
    acr = acronyms(cat, units) if units is not None else {}
    rows = []
    for ident, g in hist.groupby("indicador", sort=False):
        unit = inds.at[ident, "unidad"]
        base = g[g["tipo"] == "linea_base"]
        row = {"Indicador": f"{_html_link(ident)} {html_lib.escape(short_name(inds.at[ident, 'nombre'], 90))}",
               "Unidad de medida": unit,
               "Línea base": _cell(base["valor_obtenido"].iloc[0], unit) if len(base) else "ND"}
        by_year = g[g["tipo"] == "seguimiento"].set_index("anio")
        for y in years:
            r = by_year.loc[y]
            row[f"{y} esperado"] = _cell(r["valor_esperado"], unit)
            row[f"{y} obtenido"] = _cell(r["valor_obtenido"], unit)
            row[f"{y} avance"] = "ND" if fmt.is_missing(r["avance"]) else fmt.quantity(r["avance"], "%")
        row["Unidad responsable"] = acr.get(ident, "") or inds.at[ident, "responsable"] or ""
        rows.append(row)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    return html_table(pd.DataFrame(rows), f"Anexo: línea base y seguimiento {span} de los indicadores, edición {edition}",
                      f"tabla-anexo-seguimiento-{edition}", raw_columns=("Indicador",))


def annex_frame(cat, hist: pd.DataFrame) -> pd.DataFrame:
    """The annex as a wide numeric table for the downloads: one row per indicator."""
    inds = cat.indicadores.set_index("id")
    years = sorted(set(hist.loc[hist["tipo"] == "seguimiento", "anio"]))
    rows = []
    for ident, g in hist.groupby("indicador", sort=False):
        base = g[g["tipo"] == "linea_base"]
        row = {"codigo": ident, "indicador": inds.at[ident, "nombre"], "unidad": inds.at[ident, "unidad"],
               "objetivo": inds.at[ident, "objetivo"],
               "linea_base_anio": int(base["anio"].iloc[0]) if len(base) else None,
               "linea_base": base["valor_obtenido"].iloc[0] if len(base) else None}
        by_year = g[g["tipo"] == "seguimiento"].set_index("anio")
        for y in years:
            r = by_year.loc[y]
            row[f"esperado_{y}"] = r["valor_esperado"]
            row[f"obtenido_{y}"] = r["valor_obtenido"]
            row[f"avance_{y}"] = r["avance"]
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["linea_base_anio"] = frame["linea_base_anio"].astype("Int64")
    return frame


def annex_downloads(edition: int) -> Markdown:
    stem = f"anexo-seguimiento-{edition}"
    return Markdown(f'<p class="pnmce-descargas">Anexo descargable: '
                    f'<a href="../../../_static/datos/{stem}.xlsx" download>Excel</a> · '
                    f'<a href="../../../_static/datos/{stem}.csv" download>CSV</a></p>')
