"""Altair charts that draw with no network and the same ids on every run.

The HTML output calls `vegaEmbed`, served from the book's own `_static/vega-bundle.js`
(see `pnmce.book.assets`); the PNG output is what the PDF builder uses.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from itertools import count

import altair as alt
import pandas as pd
import vl_convert as vlc

from pnmce.present import fmt

VL_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0].replace(".", "_")  # e.g. "6_4"

# Peruvian number format inside the charts (axes and tooltips).
LOCALE = {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["US$\u00a0", ""]}}

_sequence = count(1)


def reset_ids() -> None:
    """Number chart ids from 1 again (each notebook starts afresh, even in a reused kernel)."""
    global _sequence
    _sequence = count(1)

SERIES = {"Línea base": "#1f4e79", "Logro esperado": "#c55a11", "Valor obtenido": "#2e7d32"}


class OfflineChart:
    """A chart whose outputs are an offline `vegaEmbed` call, a PNG and a text description."""

    def __init__(self, chart: alt.TopLevelMixin, description: str):
        self.spec = chart.to_dict()
        self.spec["description"] = description
        self.spec.setdefault("config", {})["locale"] = LOCALE
        self.description = description

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec_json = json.dumps(self.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(spec_json.encode()).hexdigest()[:12]
        div = f"grafico-{digest}-{next(_sequence)}"
        safe = spec_json.replace("</", "<\\/")
        text = html.escape(self.description)
        markup = (
            f'<figure class="pnmce-chart"><div id="{div}" class="vega-chart" role="img" '
            f'aria-label="{text}"></div>'
            f'<figcaption class="visually-hidden">{text}</figcaption></figure>'
            f'<script>(function(){{var el=document.getElementById("{div}");'
            f'if(typeof vegaEmbed==="function"){{vegaEmbed(el,{safe},{{"actions":false,"renderer":"svg"}})'
            f'.catch(function(e){{el.textContent="Error al dibujar el gráfico";console.error(e);}});}}'
            f'else{{el.textContent="Gráfico no disponible: falta vega-bundle.js";}}}})();</script>'
        )
        png = vlc.vegalite_to_png(self.spec, vl_version=VL_VERSION, scale=2)
        return {
            "text/html": markup,
            "image/png": base64.b64encode(png).decode(),
            "text/plain": f"Gráfico: {self.description}",
        }


def series_frame(metas: pd.DataFrame, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long frame (anio, valor, serie) for one indicator's chart."""
    rows = []
    for _, m in metas.dropna(subset=["valor"]).iterrows():
        serie = "Línea base" if m["tipo"] == "linea_base" else "Logro esperado"
        rows.append({"anio": int(m["anio"]), "valor": float(m["valor"]), "serie": serie})
        if m["tipo"] == "linea_base":  # the target path starts at the baseline
            rows.append({"anio": int(m["anio"]), "valor": float(m["valor"]), "serie": "Logro esperado"})
    if observed is not None:
        for _, o in observed.dropna(subset=["valor"]).iterrows():
            rows.append({"anio": int(o["anio"]), "valor": float(o["valor"]), "serie": "Valor obtenido"})
    frame = pd.DataFrame(rows, columns=["anio", "valor", "serie"])
    frame["etiqueta"] = [fmt.number(v) for v in frame["valor"]]
    return frame.sort_values(["serie", "anio"], kind="stable").reset_index(drop=True)


def indicator_chart(ident: str, name: str, unit: str | None, data: pd.DataFrame,
                    edition: int | None = None, width: int = 560, height: int = 260) -> OfflineChart:
    """Baseline point, dashed target path to 2040 with its last value labelled, observed values solid."""
    y_title = fmt.unit_label(unit)
    x = alt.X("anio:Q", title="Año", axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[2023, 2041], nice=False))
    y = alt.Y("valor:Q", title=y_title, scale=alt.Scale(zero=False))
    color = alt.Color("serie:N", title=None, scale=alt.Scale(domain=list(SERIES), range=list(SERIES.values())),
                      legend=alt.Legend(orient="bottom"))
    tooltip = [alt.Tooltip("serie:N", title="Serie"), alt.Tooltip("anio:Q", title="Año", format="d"),
               alt.Tooltip("etiqueta:N", title=f"Valor ({unit or ''})")]
    base = alt.Chart(data).encode(x=x, y=y, color=color, tooltip=tooltip)
    target = base.transform_filter(alt.datum.serie == "Logro esperado")
    layers = [
        target.mark_line(strokeDash=[6, 4]),
        target.transform_filter(alt.datum.anio > data["anio"].min()).mark_point(filled=True, size=30),
        base.transform_filter(alt.datum.serie == "Línea base").mark_point(filled=True, size=90, shape="diamond"),
        base.transform_filter(alt.datum.serie == "Valor obtenido").mark_line(point=True),
    ]
    targets = data[data["serie"] == "Logro esperado"]
    if not targets.empty:
        last = targets[targets["anio"] == targets["anio"].max()]
        layers.append(alt.Chart(last).mark_text(align="right", dx=-6, dy=-10, fontWeight="bold")
                      .encode(x="anio:Q", y="valor:Q", text="etiqueta:N"))
    if edition is not None:
        rule = pd.DataFrame({"anio": [edition], "texto": [f"Edición {edition}"]})
        layers.append(alt.Chart(rule).mark_rule(color="#888", strokeDash=[2, 2]).encode(x="anio:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, y=8, color="#555").encode(x="anio:Q", text="texto:N"))
    chart = alt.layer(*layers).properties(
        title=alt.Title(f"{ident}: {name}", subtitle=f"Línea base y logros esperados ({y_title})",
                        anchor="start", limit=width),
        width=width, height=height,
    )
    description = _describe(ident, name, unit, data)
    return OfflineChart(chart, description)


def _describe(ident: str, name: str, unit: str | None, data: pd.DataFrame) -> str:
    parts = [f"Gráfico del indicador {ident}, {name}."]
    base = data[data["serie"] == "Línea base"]
    if not base.empty:
        b = base.iloc[0]
        parts.append(f"Línea base {int(b['anio'])}: {fmt.quantity(b['valor'], unit)}.")
    targets = data[(data["serie"] == "Logro esperado") & (~data["anio"].isin(base["anio"]))]
    if not targets.empty:
        first, last = targets.iloc[0], targets.iloc[-1]
        parts.append(f"Logros esperados de {int(first['anio'])} ({fmt.quantity(first['valor'], unit)}) "
                     f"a {int(last['anio'])} ({fmt.quantity(last['valor'], unit)}).")
    obs = data[data["serie"] == "Valor obtenido"]
    if not obs.empty:
        o = obs.iloc[-1]
        parts.append(f"Último valor obtenido ({int(o['anio'])}): {fmt.quantity(o['valor'], unit)}.")
    return " ".join(parts)
