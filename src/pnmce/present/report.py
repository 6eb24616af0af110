"""Chapter 5: the monitoring report of an edition and the method page, from data and config."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pnmce.metrics.compliance import management_index
from pnmce.metrics.edition import digest_name
from pnmce.metrics.method import Method
from pnmce.present import fmt
from pnmce.present.charts import OfflineChart
from pnmce.present.page import plural, indicator_path, link, service_path
from pnmce.present.tables import Markdown, escape, table

STATUSES = ["verde", "amarillo", "rojo", "sin dato", "sin meta"]
COLORS = {"verde": "#2e7d32", "amarillo": "#f9a825", "rojo": "#c62828", "sin dato": "#9e9e9e", "sin meta": "#cfd8dc"}


def summary_text(table_: pd.DataFrame, year: int) -> Markdown:
    counts = table_["semaforo"].value_counts()
    with_target = int((table_["semaforo"] != "sin meta").sum())
    parts = [f"Este reporte compara, para el año {year}, el valor obtenido de cada uno de los "
             f"{plural(len(table_), 'indicador', 'indicadores')} con su logro esperado."]
    if with_target == 0:
        parts.append(f"Ningún indicador tiene logro esperado para {year}: la política no fija metas para ese año, "
                     "así que no se calcula avance (cada fila dice «sin logro esperado para el año»).")
    else:
        parts.append(f"{plural(with_target, 'indicador tiene', 'indicadores tienen')} logro esperado para el año; "
                     + ", ".join(f"{counts.get(s, 0)} en {s}" for s in STATUSES) + ".")
    parts.append(f"Resumen descargable de la edición: "
                 f"<a href=\"../../_static/datos/{digest_name(year)}\" download>{digest_name(year)}</a>.")
    return Markdown(" ".join(parts))


def status_counts_table(table_: pd.DataFrame, year: int) -> Markdown:
    counts = pd.crosstab(table_["objetivo"], table_["semaforo"]).reindex(columns=STATUSES, fill_value=0)
    counts.loc["Total"] = counts.sum()
    frame = counts.reset_index().rename(columns={"objetivo": "Objetivo"}).astype(str)
    frame.columns = [c.capitalize() if c != "Objetivo" else c for c in frame.columns]
    return table(frame, f"Indicadores por semáforo y objetivo prioritario, {year}", f"tabla-semaforo-{year}")


def index_table(table_: pd.DataFrame, year: int) -> Markdown:
    index = management_index(table_)
    frame = pd.DataFrame({
        "Objetivo": index["objetivo"],
        "Índice de gestión": [fmt.quantity(v, "%") for v in index["indice"]],
        "Indicadores de servicio con avance": [f"{a} de {b}" for a, b in
                                               zip(index["indicadores_con_avance"], index["indicadores_servicio"])],
    })
    return table(frame, f"Índice de gestión {year} (media del avance con tope de los indicadores de servicio)",
                 f"tabla-indice-gestion-{year}")


def _responsible(table_: pd.DataFrame, units) -> list[str]:
    """Responsible units by acronym (see the legend), or the published text without `units`."""
    if units is None:
        return [escape(r) for r in table_["responsable"]]
    from pnmce.metrics.units import acronyms_of

    return [escape(", ".join(acronyms_of(r, units))) for r in table_["responsable"]]


def full_table(table_: pd.DataFrame, year: int, units=None) -> Markdown:
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in table_["indicador"]],
        "Logro esperado": [fmt.quantity(v, u) for v, u in zip(table_["valor_esperado"], table_["unidad"])],
        "Valor obtenido": [fmt.quantity(v, u) for v, u in zip(table_["valor_obtenido"], table_["unidad"])],
        "Avance": [fmt.quantity(v, "%") for v in table_["avance"]],
        "Semáforo": [semaforo_mark(s) for s in table_["semaforo"]],
        "Responsable": _responsible(table_, units),
        "Nota": [escape(n) for n in table_["nota"]],
    })
    return table(frame, f"Seguimiento de todos los indicadores, {year}", f"tabla-seguimiento-{year}",
                 raw_columns=("Indicador", "Semáforo", "Responsable", "Nota"), widths=[11, 11, 11, 8, 12, 17, 30],
                 sortable=True)


def alerts_section(table_: pd.DataFrame, year: int, units=None) -> Markdown:
    alerted = table_[table_["alertas"] != ""]
    if alerted.empty:
        return Markdown(f"No hay alertas en {year}.")
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in alerted["indicador"]],
        "Alertas": [escape(a) for a in alerted["alertas"]],
        "Responsable": _responsible(alerted, units),
    })
    return table(frame, f"Alertas del seguimiento {year}", f"tabla-alertas-{year}", raw_columns=tuple(frame.columns),
                 widths=[14, 56, 30])


def objective_chart(table_: pd.DataFrame, objective: str, year: int) -> OfflineChart | Markdown:
    part = table_[table_["objetivo"] == objective]
    data = pd.DataFrame({
        "indicador": part["indicador"], "avance": part["avance_tope"].fillna(0.0), "semaforo": part["semaforo"],
        "etiqueta": [fmt.quantity(v, "%") for v in part["avance"]],
    })
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("indicador:N", title="Indicador", sort=None),
        x=alt.X("avance:Q", title="Avance con tope (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("semaforo:N", title="Semáforo",
                        scale=alt.Scale(domain=STATUSES, range=[COLORS[s] for s in STATUSES])),
        tooltip=[alt.Tooltip("indicador:N", title="Indicador"), alt.Tooltip("etiqueta:N", title="Avance"),
                 alt.Tooltip("semaforo:N", title="Semáforo")],
    ).properties(title=alt.Title(f"Avance de los indicadores de {objective}, {year}", anchor="start"),
                 width=520, height=max(60, 18 * len(data)))
    described = ", ".join(f"{i} {e} ({s})" for i, e, s in zip(data["indicador"], data["etiqueta"], data["semaforo"]))
    return OfflineChart(chart, f"Avance de los indicadores de {objective} en {year}: {described}.")


def method_page(method: Method) -> Markdown:
    """The method, as configured: every choice with its value, and the citation."""
    lines = [
        f"Versión del método: **{escape(method.version)}** (archivo `data/metodo/seguimiento.yml`, "
        f"huella `{method.digest}`).",
        "",
        f"Referencia: {escape(method.cita)}.",
        "",
        f"**Advertencia:** {escape(method.nota)}",
        "",
    ]
    for key, text in method.formulas.items():
        label = {"semaforo": "Semáforo"}.get(key, key.replace("_", " ").capitalize())  # keys are ASCII
        lines.append(f"- **{escape(label)}**: {escape(text)}")
    lines += [
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
    from pnmce.metrics.units import indicator_acronyms

    return {i: ", ".join(a) for i, a in indicator_acronyms(cat, units).items()}


def units_legend(cat, units, ids=None, label: str = "tabla-siglas-responsables") -> Markdown:
    from pnmce.metrics.units import indicator_acronyms, legend

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


def history_table_for_objective(cat, hist: pd.DataFrame, objective: str, edition: int, units) -> Markdown:
    """Anexo B-7 style: per indicator its baseline, then expected / obtained / avance of each year."""
    inds = cat.indicadores.set_index("id")
    part = hist[hist["objetivo"] == objective]
    years = sorted(set(part.loc[part["tipo"] == "seguimiento", "anio"]))
    acr = acronyms(cat, units)
    rows = []
    for ident, g in part.groupby("indicador", sort=False):
        unit = inds.at[ident, "unidad"]
        base = g[g["tipo"] == "linea_base"]
        srv = inds.at[ident, "servicio"]
        row = {"Indicador": link(ident, indicator_path(ident)),
               "Servicio": link(srv, service_path(srv)) if isinstance(srv, str) and srv else "—",
               "Responsable": escape(acr.get(ident, "")),
               "Línea base": (f"{fmt.quantity(base['valor_obtenido'].iloc[0], unit)} ({int(base['anio'].iloc[0])})"
                              if len(base) else "—")}
        by_year = g[g["tipo"] == "seguimiento"].set_index("anio")
        for y in years:
            r = by_year.loc[y]
            row[f"{y}: esperado"] = _cell(r["valor_esperado"], unit)
            row[f"{y}: obtenido"] = _cell(r["valor_obtenido"], unit)
            row[f"{y}: avance"] = _avance(r["avance"], r["avance_tope"])
        row[f"Semáforo {edition}"] = semaforo_mark(by_year.loc[edition, "semaforo"]) if edition in by_year.index else ""
        rows.append(row)
    frame = pd.DataFrame(rows)
    return table(frame, f"Indicadores de {objective}: línea base y seguimiento anual hasta {edition}",
                 f"tabla-historial-{objective.lower()}-{edition}",
                 raw_columns=("Indicador", "Servicio", f"Semáforo {edition}"))


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
    return OfflineChart(chart, f"Indicadores por semáforo en {year}. {described}.")


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
    return OfflineChart(chart, f"Índice de gestión por objetivo y año: {described}.")


def report_downloads(edition: int) -> Markdown:
    stem = f"reporte-seguimiento-{edition}"
    return Markdown(f'<p class="pnmce-descargas">Tablas del reporte: '
                    f'<a href="../../_static/datos/{stem}.xlsx" download>Excel</a> · '
                    f'<a href="../../_static/datos/{stem}.csv" download>CSV</a></p>')


def write_report_files(cat, data_dir, static, edition: int, generated=None) -> None:
    """The report's tables (numbers, one row per indicator and year) as CSV and Excel downloads,
    and for the pages (`generated`, read by `page.history`) the multi-year table and index history."""
    from pathlib import Path

    from pnmce.data.observed import observed_until
    from pnmce.fileio import atomic_write_text
    from pnmce.metrics.history import history_table, index_history, yearly_tables
    from pnmce.metrics.method import load_method

    from pnmce.metrics.history import history_path, index_path

    tables = yearly_tables(cat, observed_until(data_dir, edition), edition, load_method(data_dir))
    hist = history_table(cat, tables)
    index = index_history(tables)
    if generated is not None:
        Path(generated).mkdir(parents=True, exist_ok=True)
        atomic_write_text(history_path(generated, edition), hist.to_csv(index=False, lineterminator="\n"))
        atomic_write_text(index_path(generated, edition), index.to_csv(index=False, lineterminator="\n"))
    folder = Path(static) / "datos"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"reporte-seguimiento-{edition}"
    atomic_write_text(stem.with_suffix(".csv"), hist.to_csv(index=False, lineterminator="\n"))
    tmp = stem.with_name(f".{stem.name}.xlsx.tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        hist.to_excel(xl, sheet_name="seguimiento", index=False)
        index.to_excel(xl, sheet_name="indice_gestion", index=False)
        tables[edition].to_excel(xl, sheet_name=f"detalle_{edition}", index=False) if edition in tables else None
        xl.book.properties.creator = "pnmce"
    _fixed_dates(tmp)
    tmp.replace(stem.with_suffix(".xlsx"))


def _fixed_dates(path) -> None:
    """Make an xlsx byte-identical across runs: fixed zip entry dates and document dates."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
