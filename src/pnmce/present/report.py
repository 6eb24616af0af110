"""Chapter 5: the monitoring report of an edition and the method page, from data and config."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pnmce.metrics.compliance import management_index
from pnmce.metrics.edition import digest_name
from pnmce.metrics.method import Method
from pnmce.present import fmt
from pnmce.present.charts import OfflineChart
from pnmce.present.page import plural, indicator_path, link
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


def full_table(table_: pd.DataFrame, year: int) -> Markdown:
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in table_["indicador"]],
        "Logro esperado": [fmt.quantity(v, u) for v, u in zip(table_["valor_esperado"], table_["unidad"])],
        "Valor obtenido": [fmt.quantity(v, u) for v, u in zip(table_["valor_obtenido"], table_["unidad"])],
        "Avance": [fmt.quantity(v, "%") for v in table_["avance"]],
        "Semáforo": [escape(s) for s in table_["semaforo"]],
        "Responsable": [escape(r) for r in table_["responsable"]],
        "Nota": [escape(n) for n in table_["nota"]],
    })
    return table(frame, f"Seguimiento de todos los indicadores, {year}", f"tabla-seguimiento-{year}",
                 raw_columns=("Indicador", "Semáforo", "Responsable", "Nota"), widths=[11, 11, 11, 8, 8, 31, 20], sortable=True)


def alerts_section(table_: pd.DataFrame, year: int) -> Markdown:
    alerted = table_[table_["alertas"] != ""]
    if alerted.empty:
        return Markdown(f"No hay alertas en {year}.")
    frame = pd.DataFrame({
        "Indicador": [link(i, indicator_path(i)) for i in alerted["indicador"]],
        "Alertas": [escape(a) for a in alerted["alertas"]],
        "Responsable": [escape(r) for r in alerted["responsable"]],
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
        lines.append(f"- **{escape(key.replace('_', ' ').capitalize())}**: {escape(text)}")
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
