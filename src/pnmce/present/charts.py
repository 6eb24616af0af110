"""Altair charts that draw with no network and no script, and the rules every chart follows.

A chart's HTML output is its figure with the Vega-Lite spec inside, as JSON (`spec_script`); the
book draws each spec at build time as SVG files, one for wide screens and one for phones
(`pnmce.book.chart_images`), and the PDF draws it for paper (`pnmce.book.pdf`, through
`drawn_at(spec, PRINT_WIDTH)`). Pages load no charting library.

Every chart is an `OfflineChart`, which applies the book's chart rules (`apply_rules`) and draws a
figure: caption above (numbered by `pnmce.book.numbering`), chart, source line below. `problems`
lists a spec's breaches of the rules; the tests run it over every chart of the built book.

- The caption is the chart's only title: a title drawn inside the chart would repeat it.
- A source line under every chart.
- Width follows the container (`width: "container"`): each drawing fixes it (`drawn_at`) to the
  width it is drawn for, wide screen, phone or paper.
- Bar and area charts start their value axis at zero; line charts too, unless the axis title says
  the axis is zoomed («no empieza en cero»).
- Ranks («puesto») have 1 at the top, and are never bars (a longer bar would be a worse rank).
- A series known only at two distant ends is drawn as labelled points, never as a line.
- One unit per axis: counts of different things (firms and markets) are split into panels.
- Titles inside a chart (panel titles) are lists of short lines: Vega-Lite does not wrap, and cuts.
"""

from __future__ import annotations

import copy
import html
import json
import re

import altair as alt
import pandas as pd

from pnmce.present import fmt

VL_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0].replace(".", "_")  # e.g. "6_4"

# Peruvian number format inside the charts (axes and tooltips).
LOCALE = {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["US$\u00a0", ""]}}

PRINT_WIDTH = 520  # px: a chart's width in the PDF (A4 text column), where there is no container to follow
PANEL_WIDTH = 230  # px: each panel of a split chart (concatenated views cannot follow a container); fits 390 px
LABEL_LIMIT = 150  # px: longest axis label (the full text is in the tooltip); leaves room for bars on a phone
LEGEND_LIMIT = 280  # px: longest legend label, within a 390 px screen
ZOOMED = "no empieza en cero"  # what a value axis title says when the axis does not start at zero
RANK = re.compile(r"\bpuesto\b", re.I)
_TIME_UNITS = ("horas", "minutos", "días", "meses", "años")
SPEC_CLASS = "pnmce-grafico"  # the JSON spec in a chart's output; the drawing in the built page
_SPEC_SCRIPT = re.compile(rf'<script type="application/json" class="{SPEC_CLASS}">(.*?)</script>', re.S)

SERIES = {"Línea base": "#1f4e79", "Logro esperado": "#c55a11", "Valor obtenido": "#2e7d32"}


def sentence(text: str) -> str:
    """One full stop where texts were joined with their own («mundo..»); an ellipsis stays."""
    return re.sub(r"(?<!\.)\.\s*\.(?!\.)", ".", text.strip())


def _plain(text) -> str:
    return " ".join(text) if isinstance(text, list) else str(text or "")


class OfflineChart:
    """A chart whose outputs are its figure, with the spec the book draws, and a text description.

    `caption`: the figure's title (the book puts «Figura N» before it); by default the chart's own
    title, which is then taken out of the chart. `source`: the line under the chart; by default a
    subtitle that starts with «Fuente». `label` (lower case) makes the chart a `{numref}` target: the
    text cites it as «Figura 2.3».

    Not validated here (about 70 ms a chart, on every build): the tests validate every chart of
    the built book against the Vega-Lite schema and the rules (tests/test_build.py, test_chart_rules.py)."""

    def __init__(self, chart, description: str, label: str | None = None,
                 caption: str | None = None, source: str | None = None):
        spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
        title, subtitle = _take_title(spec)
        if source is None and subtitle.startswith("Fuente"):
            source, subtitle = subtitle, ""
        if caption is None:
            caption = f"{title}: {subtitle[0].lower()}{subtitle[1:]}" if title and subtitle else title or subtitle
        self.spec = apply_rules(spec)
        self.description = sentence(description)
        self.caption = sentence(caption.rstrip(". ")) if caption else ""
        self.source = sentence(source.rstrip(". ") + ".") if source else ""
        self.spec["description"] = self.description
        self.spec["usermeta"] = {"pnmce": {"titulo": self.caption, "fuente": self.source}}
        self.spec.setdefault("config", {})["locale"] = LOCALE
        # marks and guides out of the accessibility tree: the drawing is one image named by its
        # description (a layer with no data would otherwise be an unnamed symbol group)
        self.spec["config"]["aria"] = False
        self.spec["config"].setdefault("mark", {})["aria"] = False
        self.label = label

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": figure_html(spec_script(self.spec), self.caption, self.source, self.label),
            "text/plain": f"Gráfico: {self.caption}. {self.description}",
        }


def spec_script(spec: dict) -> str:
    """The spec as it travels in a chart's output until the book draws it (`embedded_specs`)."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" class="{SPEC_CLASS}">{text}</script>'


def embedded_specs(markup: str):
    """Each chart spec in a page's HTML: (start, end, spec) of its script, in page order."""
    for match in _SPEC_SCRIPT.finditer(markup):
        yield match.start(), match.end(), json.loads(match.group(1))


def figure_html(body: str, caption: str, source: str, label: str | None = None) -> str:
    """A figure of the book: numbered caption above (`pnmce.book.numbering` adds the number), the
    drawing, the source line under it. Charts and the problem tree share it."""
    anchor = f' id="{html.escape(label)}"' if label else ""
    line = f'<p class="pnmce-fuente">{html.escape(source)}</p>' if source else ""
    return (f'<figure class="pnmce-chart"{anchor}><figcaption class="pnmce-figura">'
            f'<span class="caption-text">{html.escape(caption)}</span></figcaption>{body}{line}</figure>')


# --- the rules ----------------------------------------------------------------------------------

def _take_title(spec: dict) -> tuple[str, str]:
    """Remove the top-level title (the caption carries it); its text and subtitle."""
    title = spec.pop("title", None)
    if title is None:
        return "", ""
    if isinstance(title, dict):
        return _plain(title.get("text")), _plain(title.get("subtitle"))
    return _plain(title), ""


def _views(spec: dict, inherited: dict | None = None):
    """Each single view of a spec with the encoding it inherits: (view, mark type, encoding)."""
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    if "mark" in spec:
        mark = spec["mark"]
        yield spec, mark["type"] if isinstance(mark, dict) else mark, encoding
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for sub in spec.get(key, []):
            yield from _views(sub, encoding if key == "layer" else None)
    if "spec" in spec:
        yield from _views(spec["spec"], None)


def _is_rank(channel: dict) -> bool:
    return bool(RANK.search(_plain(channel.get("title")) + " " + str(channel.get("field", ""))))


def _value_channel(mark: str, encoding: dict) -> str | None:
    """The channel that carries the value a bar's length or a line's height shows."""
    x, y = encoding.get("x", {}), encoding.get("y", {})
    if mark == "line":
        return "y" if y.get("type") == "quantitative" else None
    if mark in ("bar", "area"):
        if x.get("type") == "quantitative" and y.get("type") != "quantitative":
            return "x"
        if y.get("type") == "quantitative":
            return "y"
    return None


def apply_rules(spec: dict) -> dict:
    """The rules that need no knowledge of the data, applied in place: container width, value axes
    from zero, ranks with 1 at the top, labels that fit a phone."""
    if "mark" in spec or "layer" in spec:
        spec["width"] = "container"
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    for view, mark, encoding in _views(spec):
        own = view.setdefault("encoding", {}) if encoding else {}
        value = _value_channel(mark, encoding)
        for name in ("x", "y"):
            channel = encoding.get(name)
            if not isinstance(channel, dict):
                continue
            if _is_rank(channel) and name == "y":
                own.setdefault(name, copy.deepcopy(channel)).setdefault("scale", {})["reverse"] = True
            elif name == value and not _is_rank(channel) and ZOOMED not in _plain(channel.get("title")):
                scale = channel.get("scale", {})
                if scale.get("zero") is False:
                    fixed = own.setdefault(name, copy.deepcopy(channel))
                    fixed["scale"] = {k: v for k, v in scale.items() if k != "zero"}
            axis = channel.get("axis")
            if isinstance(axis, dict) and axis.get("labelLimit", 0) > LABEL_LIMIT:
                own.setdefault(name, copy.deepcopy(channel))["axis"]["labelLimit"] = LABEL_LIMIT
        for name in ("color", "shape"):
            legend = encoding.get(name, {}).get("legend") if isinstance(encoding.get(name), dict) else None
            if isinstance(legend, dict) and legend.get("labelLimit", 0) > LEGEND_LIMIT:
                own.setdefault(name, copy.deepcopy(encoding[name]))["legend"]["labelLimit"] = LEGEND_LIMIT
    config = spec.setdefault("config", {})
    config.setdefault("axis", {}).setdefault("labelLimit", LABEL_LIMIT)
    legend = config.setdefault("legend", {})
    legend.setdefault("labelLimit", LEGEND_LIMIT)
    legend.setdefault("orient", "bottom")  # a legend on the right takes a phone's width from the chart
    legend.setdefault("columns", 1)
    return spec


def drawn_at(spec: dict, width: int) -> dict:
    """The spec drawn `width` px wide: a container's width means nothing outside a page."""
    out = copy.deepcopy(spec)
    if out.get("width") == "container":
        out["width"] = width
    return out


def _datasets(spec: dict, view: dict) -> list[pd.DataFrame]:
    data = view.get("data") or spec.get("data") or {}
    if "name" in data and data["name"] in spec.get("datasets", {}):
        return [pd.DataFrame(spec["datasets"][data["name"]])]
    if "values" in data:
        return [pd.DataFrame(data["values"])]
    return [pd.DataFrame(v) for v in spec.get("datasets", {}).values()] if not data else []


def problems(spec: dict) -> list[str]:
    """What in a chart's spec breaks the rules (empty: none). Messages for maintainers."""
    found = []
    meta = spec.get("usermeta", {}).get("pnmce", {})
    caption = meta.get("titulo", "")
    if not meta.get("fuente", "").startswith("Fuente"):
        found.append("no source line")
    if not caption:
        found.append("no caption")
    if "title" in spec:
        found.append("a title inside the chart repeats the caption")
    if re.search(r"(?<!\.)\.\s*\.(?!\.)", spec.get("description", "")):
        found.append("double full stop in the description")
    single = "mark" in spec or "layer" in spec
    if single and spec.get("width") != "container":
        found.append(f"fixed width {spec.get('width')} instead of the container's")
    for view, mark, encoding in _views(spec):
        if not single and isinstance(view.get("width"), (int, float)) and view["width"] > PANEL_WIDTH:
            found.append(f"panel {view['width']} px wide does not fit a phone")
        title = view.get("title")
        if title is not None:
            lines = title if isinstance(title, list) else title.get("text") if isinstance(title, dict) else title
            if not isinstance(lines, list) and len(_plain(lines)) > 40:
                found.append(f"title not wrapped into lines: {_plain(lines)[:40]}…")
        value = _value_channel(mark, encoding)
        units = set()
        for name in ("x", "y"):
            channel = encoding.get(name)
            if not isinstance(channel, dict):
                continue
            axis_title = _plain(channel.get("title"))
            units |= {u for u in _TIME_UNITS if u in axis_title.lower()}
            scale = channel.get("scale", {})
            if _is_rank(channel):
                if mark == "bar":
                    found.append("ranks drawn as bars")
                if name == "y" and not scale.get("reverse"):
                    found.append("rank axis with 1 at the bottom")
                if name == "x" and encoding.get("y", {}).get("sort") not in ("x", {"field": channel.get("field")}):
                    found.append("rank 1 not at the top")
            elif name == value:
                domain = scale.get("domain")
                starts = isinstance(domain, list) and domain and isinstance(domain[0], (int, float)) and domain[0] > 0
                if (scale.get("zero") is False or starts) and not (mark == "line" and ZOOMED in axis_title):
                    found.append(f"{mark} chart's value axis does not start at zero ({axis_title})")
        said = {u for u in _TIME_UNITS if u in caption.lower()}
        if said and units and not units <= said:
            found.append(f"caption says {sorted(said)}, axis says {sorted(units)}")
        for frame in _datasets(spec, view):
            if "unidad" in frame and frame["unidad"].nunique() > 1:
                found.append(f"several units on one axis: {sorted(frame['unidad'].unique())}")
            if "unidad" in frame and (frame["unidad"] == "número").all() and frame.get("variable", pd.Series()).nunique() > 1:
                found.append(f"counts of different things on one axis: {sorted(frame['variable'].unique())}")
            if mark == "line":
                found += _two_end_lines(frame, encoding)
    return list(dict.fromkeys(found))


def _two_end_lines(frame: pd.DataFrame, encoding: dict) -> list[str]:
    """Series with only two points, years apart, joined by a line (as if the path between were known)."""
    x = encoding.get("x", {})
    field = x.get("field")
    if x.get("type") != "quantitative" or field not in frame:
        return []
    group = encoding.get("color", {}).get("field") if isinstance(encoding.get("color"), dict) else None
    out = []
    for key, part in (frame.groupby(group) if group in frame else [("", frame)]):
        xs = sorted(pd.to_numeric(part[field], errors="coerce").dropna().unique())
        if len(xs) == 2 and xs[1] - xs[0] > 1:
            out.append(f"series {key or ''} known at {xs[0]:g} and {xs[1]:g} only, drawn as a line".replace("  ", " "))
    return out


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


def reporting_units(responsible: str | None) -> str:
    """«DGIECE (MINCETUR); DGNCI (MINCETUR)» from the sheet's responsible units, or the text as given."""
    parts = [p.strip() for p in (responsible or "").split(";") if p.strip()]
    short = []
    for part in parts:
        codes = re.findall(r"\(([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ\-]{1,14})\)", part)
        ministry = "MINCETUR" if "Comercio Exterior y Turismo" in part else ""
        if not codes:
            return "; ".join(parts)
        short.append(codes[0] + (f" ({ministry})" if ministry and codes[0] != ministry else ""))
    return "; ".join(short)


def indicator_source(ident: str, responsible: str | None = None) -> str:
    """The source line of an indicator's chart: the policy's sheet, and who reports the values."""
    units = reporting_units(responsible)
    return f"Fuente: ficha técnica del indicador {ident}, PNMCE." + (f" Unidad que reporta: {units}." if units else "")


def indicator_chart(ident: str, name: str, unit: str | None, data: pd.DataFrame,
                    edition: int | None = None, width: int = 560, height: int = 260,
                    label: str | None = None, responsible: str | None = None) -> OfflineChart:
    """Baseline point, dashed target path to 2040 with its last value labelled, observed values solid.

    `width` is kept for callers; the chart follows its container (the PDF uses `PRINT_WIDTH`)."""
    y_title = fmt.unit_label(unit)
    # every other year labelled: a label per year runs 2023 into 2024 on a wide drawing
    x = alt.X("anio:Q", title="Año", axis=alt.Axis(format="d", values=list(range(2024, 2041, 2))),
              scale=alt.Scale(domain=[2023, 2041], nice=False))
    y = alt.Y("valor:Q", title=y_title)
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
    chart = alt.layer(*layers).properties(height=height)
    caption = f"{ident}: {name.rstrip('. ')}. Línea base y logros esperados ({y_title})"
    return OfflineChart(chart, _describe(ident, name, unit, data), label, caption=caption,
                        source=indicator_source(ident, responsible))


def _describe(ident: str, name: str, unit: str | None, data: pd.DataFrame) -> str:
    parts = [f"Gráfico del indicador {ident}, {name.rstrip('. ')}."]
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
COUNT = "número"  # a count: what is counted is the variable, so two variables are two units


def _in_title_unit(data: pd.DataFrame, title: str) -> pd.DataFrame:
    """Minutes shown in hours when the title speaks of hours: title and axis in the data's one unit."""
    if (data["unidad"] == "minutos").all() and "hora" in title.lower():
        return data.assign(valor=data["valor"] / 60, unidad="horas")
    return data


def observation_chart(data: pd.DataFrame, kind: str, title: str, subtitle: str, description: str,
                      width: int = 440, label: str | None = None) -> OfflineChart:
    """A figure of the policy from long data (entidad, periodo, variable, valor, unidad, etiqueta).

    `title` is the figure's caption (not drawn in the chart); `subtitle`, when it starts with «Fuente»,
    its source line. `lineas`: periods on x, one line per entity or variable; a series known at two
    distant years only is drawn as labelled points. `barras`: one bar per entity (or variable), grouped
    by the other varying dimension. `barras_apiladas`: stacked shares. Ranks («puesto») are drawn as
    points, 1 at the top. Counts of different things (firms, markets) get one panel each.
    """
    data = _in_title_unit(data.copy(), title)
    caption, source = (title, subtitle) if subtitle.startswith("Fuente") else (f"{title}. {subtitle}", None)
    if kind != "lineas" and (data["unidad"] == COUNT).all() and data["variable"].nunique() > 1:
        panels = [_observation_view(part, kind, f"Número de {variable.lower()}", panel=True)
                  .properties(title=_wrap(variable, 30), width=PANEL_WIDTH)
                  for variable, part in data.groupby("variable", sort=False)]
        chart = alt.vconcat(*panels).resolve_scale(color="independent")
    else:
        chart = _observation_view(data, kind, fmt.unit_label(data["unidad"].iloc[0]))
    return OfflineChart(chart, description, label, caption=caption, source=source)


def _observation_view(data: pd.DataFrame, kind: str, value_title: str, panel: bool = False):
    data = data.copy()
    unit = data["unidad"].iloc[0]
    rank = bool(RANK.search(unit))
    varying = [c for c in ("entidad", "variable", "periodo") if data[c].nunique() > 1]
    tooltip = [alt.Tooltip("entidad:N", title="Entidad"), alt.Tooltip("periodo:N", title="Periodo"),
               alt.Tooltip("variable:N", title="Variable"), alt.Tooltip("etiqueta:N", title=f"Valor ({unit})")]
    legend = alt.Legend(orient="bottom", labelLimit=LEGEND_LIMIT, columns=1)
    if kind == "lineas":
        series = [c for c in ("entidad", "variable") if c in varying]
        data["serie"] = data[series].agg(" · ".join, axis=1) if series else data["variable"]
        data["anio"] = pd.to_numeric(data["periodo"], errors="coerce")
        color = alt.Color("serie:N", title=None, scale=alt.Scale(range=PALETTE, domain=list(dict.fromkeys(data["serie"]))),
                          legend=legend)
        y = alt.Y("valor:Q", title=value_title, scale=alt.Scale(reverse=True, zero=False) if rank else alt.Undefined)
        years = alt.Scale(zero=False, padding=14)  # room for the first and last years' points and labels
        encoding = {"x": alt.X("anio:Q", title="Año", axis=alt.Axis(format="d", tickMinStep=1), scale=years),
                    "y": y, "color": color, "tooltip": tooltip}
        # Only the years the data states are joined: a line runs through consecutive years only, so a
        # series known at two distant years (or at scattered ones) is drawn as labelled points.
        data = data.sort_values(["serie", "anio"], kind="stable")
        step = data.groupby("serie", sort=False)["anio"].diff()
        data["tramo"] = data["serie"] + " " + (step.isna() | (step > 1)).groupby(data["serie"], sort=False).cumsum().astype(str)
        path = data[data.groupby("tramo")["anio"].transform("size") > 1]
        layers = []
        if not path.empty:
            layers.append(alt.Chart(path).encode(**encoding, detail="tramo:N").mark_line())
        layers += [alt.Chart(data).encode(**encoding).mark_point(filled=True, size=60, opacity=1),
                   alt.Chart(data).encode(**encoding).mark_text(dy=-10, fontSize=11).encode(text="etiqueta:N")]
        return alt.layer(*layers).properties(height=260)
    y_field = "entidad" if "entidad" in varying else ("variable" if "variable" in varying else "periodo")
    rest = [c for c in varying if c != y_field]
    data["grupo"] = data[rest].agg(" · ".join, axis=1) if rest else data[y_field]
    order = list(dict.fromkeys(data[y_field]))
    groups = list(dict.fromkeys(data["grupo"]))
    y = alt.Y(f"{y_field}:N", title=None, sort="x" if rank else order, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    x = alt.X("valor:Q", title=value_title, stack="zero" if kind == "barras_apiladas" else None)
    # colours tell groups apart; with no groups, one colour (a colour per bar would mean nothing)
    color = alt.Color("grupo:N", title=None, scale=alt.Scale(range=PALETTE), sort=groups, legend=legend) if rest \
        else alt.value(PALETTE[0])
    enc = {"y": y, "x": x, "color": color, "tooltip": tooltip}
    if rest and kind != "barras_apiladas":
        enc["yOffset"] = alt.YOffset("grupo:N", sort=groups)
    base = alt.Chart(data).encode(**enc)
    layers = [base.mark_point(filled=True, size=80, opacity=1) if rank else base.mark_bar()]
    if kind != "barras_apiladas":
        layers.append(base.mark_text(align="left", dx=6 if rank else 3, fontSize=10, color="#333").encode(text="etiqueta:N"))
    n_rows = len(order) * (len(groups) if rest and kind != "barras_apiladas" else 1)
    return alt.layer(*layers).properties(height=max(60, min(18 * n_rows, 900)))


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
    """Scatter of two 1-5 scores (id, nombre, tipo, x, y, grupo), labelled by code, coloured by `grupo`.

    `title` is the caption; `subtitle`, starting with «Fuente», the source line."""
    lo = float(min(data["x"].min(), data["y"].min())) - 0.1
    scale = alt.Scale(domain=[round(lo, 1), 5], nice=False)
    base = alt.Chart(data).encode(
        x=alt.X("x:Q", title=x_title, scale=scale), y=alt.Y("y:Q", title=y_title, scale=scale),
        color=alt.Color("grupo:N", title=color_title, scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=LEGEND_LIMIT)),
        tooltip=[alt.Tooltip("id:N", title="Código"), alt.Tooltip("nombre:N", title="Factor"),
                 alt.Tooltip("x:Q", title=x_title, format=".2f"), alt.Tooltip("y:Q", title=y_title, format=".2f")])
    shape = alt.Shape("tipo:N", title=None, legend=alt.Legend(orient="bottom")) if data["tipo"].nunique() > 1 else alt.value("circle")
    chart = alt.layer(base.mark_point(filled=True, size=110).encode(shape=shape),
                      base.mark_text(dx=9, align="left", fontSize=11).encode(text="id:N")).properties(
        title=alt.Title(title, subtitle=subtitle, anchor="start"), height=height)
    return OfflineChart(chart, description)


def report_source(year: int) -> str:
    """The source line of a monitoring report's chart: the policy's sheets and the reporting units."""
    return (f"Fuente: fichas técnicas de los indicadores, PNMCE; valores obtenidos que reportan las unidades "
            f"responsables de cada indicador para el seguimiento {year}.")
