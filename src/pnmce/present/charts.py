"""Altair charts that draw with no network and the same ids on every run.

The HTML output calls `vegaEmbed`, served from the book's own `_static/vega-bundle.js`
(see `pnmce.book.assets`). There is no image output: the PDF redraws each chart as SVG from
the spec embedded in the page (`pnmce.book.pdf`), so rendering a PNG per chart would only cost time.
"""

from __future__ import annotations

import hashlib
import html
import json
from itertools import count

import altair as alt
import pandas as pd

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
    """A chart whose outputs are an offline `vegaEmbed` call and a text description."""

    def __init__(self, chart: alt.TopLevelMixin, description: str, label: str | None = None):
        """`label` (lower case) makes the chart a `{numref}` target: the text cites it as «Figura 2.3».

        Not validated here (about 70 ms a chart, on every build): the tests validate every chart of
        the built book against the Vega-Lite schema (tests/test_build.py)."""
        self.spec = chart.to_dict(validate=False)
        self.spec["description"] = description
        self.spec.setdefault("config", {})["locale"] = LOCALE
        self.description = description
        self.label = label

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec_json = json.dumps(self.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(spec_json.encode()).hexdigest()[:12]
        div = f"grafico-{digest}-{next(_sequence)}"
        safe = spec_json.replace("</", "<\\/")
        text = html.escape(self.description)
        anchor = f' id="{html.escape(self.label)}"' if self.label else ""
        markup = (
            f'<figure class="pnmce-chart"{anchor}><div id="{div}" class="vega-chart" role="img" '
            f'aria-label="{text}"></div>'
            f'<figcaption class="visually-hidden">{text}</figcaption></figure>'
            f'<script>(function(){{var el=document.getElementById("{div}");'
            f'if(typeof vegaEmbed==="function"){{vegaEmbed(el,{safe},{{"actions":false,"renderer":"svg"}})'
            f'.catch(function(e){{el.textContent="Error al dibujar el gráfico";console.error(e);}});}}'
            f'else{{el.textContent="Gráfico no disponible: falta vega-bundle.js";}}}})();</script>'
        )
        return {
            "text/html": markup,
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
                    edition: int | None = None, width: int = 560, height: int = 260,
                    label: str | None = None) -> OfflineChart:
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
    return OfflineChart(chart, description, label)


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


# --- diagnosis figures (chapters 2-3): redrawn from data/diagnostico/ ---

PALETTE = ["#1f4e79", "#c55a11", "#2e7d32", "#7b1fa2", "#b71c1c", "#00838f", "#f9a825", "#5d4037"]


def observation_chart(data: pd.DataFrame, kind: str, title: str, subtitle: str, description: str,
                      width: int = 440, label: str | None = None) -> OfflineChart:
    """A figure of the policy from long data (entidad, periodo, variable, valor, unidad, etiqueta).

    `lineas`: periods on x, one line per entity or variable. `barras`: one bar per entity (or
    variable), grouped by the other varying dimension. `barras_apiladas`: stacked shares.
    """
    data = data.copy()
    unit = data["unidad"].iloc[0]
    varying = [c for c in ("entidad", "variable", "periodo") if data[c].nunique() > 1]
    value_title = fmt.unit_label(unit)
    tooltip = [alt.Tooltip("entidad:N", title="Entidad"), alt.Tooltip("periodo:N", title="Periodo"),
               alt.Tooltip("variable:N", title="Variable"), alt.Tooltip("etiqueta:N", title=f"Valor ({unit})")]
    if kind == "lineas":
        series = [c for c in ("entidad", "variable") if c in varying]
        data["serie"] = data[series].agg(" · ".join, axis=1) if series else data["variable"]
        data["anio"] = pd.to_numeric(data["periodo"], errors="coerce")
        color = alt.Color("serie:N", title=None, scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom", labelLimit=400))
        base = alt.Chart(data).encode(x=alt.X("anio:Q", title="Año", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False)),
                                      y=alt.Y("valor:Q", title=value_title), color=color, tooltip=tooltip)
        years = sorted(data["anio"].dropna().unique())
        gaps = any(b - a > 1 for a, b in zip(years, years[1:]))  # only the years the text states: dashed
        chart = alt.layer(base.mark_line(point=alt.OverlayMarkDef(filled=True, size=60), strokeDash=[5, 4] if gaps else [1, 0]),
                          base.mark_text(dy=-10, fontSize=11).encode(text="etiqueta:N"))
        height = 260
    else:
        y_field = "entidad" if "entidad" in varying else ("variable" if "variable" in varying else "periodo")
        rest = [c for c in varying if c != y_field]
        data["grupo"] = data[rest].agg(" · ".join, axis=1) if rest else data[y_field]
        order = list(dict.fromkeys(data[y_field]))
        y = alt.Y(f"{y_field}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
        x = alt.X("valor:Q", title=value_title, stack="zero" if kind == "barras_apiladas" else None)
        color = alt.Color("grupo:N", title=None, scale=alt.Scale(range=PALETTE), sort=list(dict.fromkeys(data["grupo"])),
                          legend=alt.Legend(orient="bottom", labelLimit=400) if rest else None)
        enc = {"y": y, "x": x, "color": color, "tooltip": tooltip}
        if rest and kind != "barras_apiladas":
            enc["yOffset"] = alt.YOffset("grupo:N", sort=list(dict.fromkeys(data["grupo"])))
        base = alt.Chart(data).encode(**enc)
        layers = [base.mark_bar()]
        if kind != "barras_apiladas":
            layers.append(base.mark_text(align="left", dx=3, fontSize=10, color="#333").encode(text="etiqueta:N"))
        chart = alt.layer(*layers)
        n_rows = len(order) * (data["grupo"].nunique() if rest and kind != "barras_apiladas" else 1)
        height = max(60, min(18 * n_rows, 900))
    chart = chart.properties(title=alt.Title(_wrap(title, 75), subtitle=_wrap(subtitle, 110), anchor="start",
                                             subtitleFontSize=10), width=width, height=height)
    return OfflineChart(chart, description, label)


def _wrap(text: str, size: int) -> list[str]:
    """Split a long title into lines of about `size` characters (Vega-Lite does not wrap titles)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > size:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def score_chart(data: pd.DataFrame, x_title: str, y_title: str, title: str, subtitle: str, description: str,
                width: int = 480, height: int = 360, color_title: str = "Escenario") -> OfflineChart:
    """Scatter of two 1-5 scores (id, nombre, tipo, x, y, grupo), labelled by code, coloured by `grupo`."""
    lo = float(min(data["x"].min(), data["y"].min())) - 0.1
    scale = alt.Scale(domain=[round(lo, 1), 5], nice=False)
    base = alt.Chart(data).encode(
        x=alt.X("x:Q", title=x_title, scale=scale), y=alt.Y("y:Q", title=y_title, scale=scale),
        color=alt.Color("grupo:N", title=color_title, scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom", columns=1, labelLimit=400)),
        tooltip=[alt.Tooltip("id:N", title="Código"), alt.Tooltip("nombre:N", title="Factor"),
                 alt.Tooltip("x:Q", title=x_title, format=".2f"), alt.Tooltip("y:Q", title=y_title, format=".2f")])
    shape = alt.Shape("tipo:N", title=None, legend=alt.Legend(orient="bottom")) if data["tipo"].nunique() > 1 else alt.value("circle")
    chart = alt.layer(base.mark_point(filled=True, size=110).encode(shape=shape),
                      base.mark_text(dx=9, align="left", fontSize=11).encode(text="id:N")).properties(
        title=alt.Title(title, subtitle=subtitle, anchor="start"), width=width, height=height)
    return OfflineChart(chart, description)
