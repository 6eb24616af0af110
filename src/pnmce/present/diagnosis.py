"""Chapters 2 and 3 and annex 7.2 from `data/diagnostico/`: tables, redrawn figures, the problem tree.

A page is a list of sections; `section_items(cat, key)` returns, in the policy's order, every table
and figure of one section (`2-bienes`, `3.1`, `CD1`, `CI2.3`, …), each with its source line as a
publication cites it. A figure the policy publishes no data for is one plain line; what would redraw
it is for maintainers (`missing_figures_table`, for the annex «Notas técnicas»). The argument of each
section is in `diagnosis_text` (templates in `notebooks/textos/`).
"""

from __future__ import annotations

import re

import pandas as pd

from pnmce.data.package import Catalogue
from pnmce.present import charts, fmt
from pnmce.present.problem_tree import problem_tree
from pnmce.present.tables import Markdown, escape, table

OBS_FILE = "data/diagnostico/observaciones.csv"
SOURCES_FILE = "data/diagnostico/fuentes.csv"
OBS_COLUMNS = ("fuente", "orden", "entidad", "grupo", "periodo", "variable", "valor", "valor_texto", "unidad", "linea")
_STATE = {"parcial": "la política solo da algunos de sus valores", "sin_datos": "la política no da sus valores",
          "diagrama": "es un diagrama, mapa o esquema, no un gráfico de datos", "perdida": "la ilustración se perdió en la conversión del documento",
          "completo": ""}
NBSP = fmt.NBSP

# Chapter 2 pages: key → title (the sections of the policy's chapter 2).
CHAPTER2 = {
    "2-bienes": "Comercio exterior de bienes",
    "2-servicios": "Comercio de servicios",
    "2-balanza": "Balanza comercial de bienes y servicios",
}


# --- data access ------------------------------------------------------------------------------

def sources(cat: Catalogue, section: str | None = None) -> pd.DataFrame:
    """Tables and figures of one section, in the order they appear in the policy."""
    src = cat.diagnostico_fuentes
    src = src[src["tipo"] != "texto"]
    if section is not None:
        src = src[src["seccion"] == section]
    first = src["lineas"].str.extract(r"L(\d+)")[0].astype(int)
    return src.assign(_linea=first).sort_values("_linea", kind="stable").drop(columns="_linea")


def source(cat: Catalogue, ident: str) -> pd.Series:
    return cat.diagnostico_fuentes.set_index("id").loc[ident]


def observations(cat: Catalogue, ident: str) -> pd.DataFrame:
    """The observations that draw a table or figure (its own, or those of `datos_de`, filtered by `variables`)."""
    s = source(cat, ident)
    obs = cat.diagnostico_observaciones
    origin = s["datos_de"] or ident
    rows = obs[obs["fuente"] == origin]
    if s["variables"]:
        wanted = s["variables"].split("|")
        rows = rows[rows["variable"].isin(wanted) | rows["entidad"].isin(wanted)]
    return rows.sort_values("orden", kind="stable")


def value(cat: Catalogue, ident: str, entity: str, period: str, variable: str) -> float:
    """One published value; a clear error when the data no longer has it."""
    obs = cat.diagnostico_observaciones
    hit = obs[(obs["fuente"] == ident) & (obs["entidad"] == entity) & (obs["periodo"] == period) & (obs["variable"] == variable)]
    if hit.empty or fmt.is_missing(hit["valor"].iloc[0]):
        raise KeyError(f"{OBS_FILE}: no hay valor para {ident} / {entity} / {period} / {variable}")
    return float(hit["valor"].iloc[0])


# --- numbers written the way the policy writes them ------------------------------------------

def money(v, unit: str = "millones") -> str:
    """`US$ 74 518 millones`."""
    return f"US${NBSP}{fmt.number(v, 0 if float(v).is_integer() else None)} {unit}".replace(" millones", f"{NBSP}millones")


def pct(v, decimals: int | None = None) -> str:
    """`6,3 %`."""
    return f"{fmt.number(v, decimals)}{NBSP}%"


def times(a, b) -> str:
    """`10,8 veces`: b over a, one decimal."""
    return f"{fmt.number(float(b) / float(a), 1)} veces"


def _decimals(text: str) -> int | None:
    m = re.search(r"[.,](\d+)%?\**$", text.strip())
    return len(m.group(1)) if m and not re.fullmatch(r"\d{1,3}([ .]\d{3})+", text.strip()) else 0


def cell(valor, texto: str, unidad: str) -> str:
    """A value formatted the Peruvian way with the precision it was printed with; text cells as printed."""
    if fmt.is_missing(valor):
        return texto or "—"
    if unidad == "año":  # a year is a year: 1969, never «1 969»
        return str(int(float(valor)))
    dec = _decimals(texto) if texto else None
    out = fmt.number(valor, dec)
    return f"{out}{NBSP}%" if unidad == "%" else out


# --- tables -------------------------------------------------------------------------------------

def _label(ident: str) -> str:
    return f"tabla-diagnostico-{ident.lower()}"


def figure_label(ident: str) -> str:
    return f"figura-diagnostico-{ident.lower()}"


def cite(cat: Catalogue, ident: str) -> str:
    """A `{numref}` to the table or redrawn figure `ident` («Tabla 2.1», «Figura 2.3»); the policy's own
    number in words when the figure cannot be drawn from `data/` (a placeholder carries no number)."""
    s = source(cat, ident)
    if s["tipo"] == "tabla":
        return f"{{numref}}`{_label(ident)}`"
    if chart_kind(cat, ident):
        return f"{{numref}}`{figure_label(ident)}`"
    return f"ilustración {s['numero']} de la política"


def source_citation(cat: Catalogue, ident: str) -> str:
    """The bibliography link of a table's or figure's original source, when the bibliography has it."""
    key = source(cat, ident).get("cita", "")
    return f" {{cite:p}}`{key}`" if key else ""


def source_reference(cat: Catalogue, ident: str) -> Markdown:
    """Under a chart (whose figure carries the source line as plain text): the source's bibliography entry."""
    return Markdown(f"*Referencia:{source_citation(cat, ident)}.*")


def source_line(cat: Catalogue, ident: str) -> Markdown:
    """«Fuente: SUNAT (SUNAT, s. f.). Elaboración: MINCETUR. Tabla 5 de la PNMCE.», as a report cites."""
    s = source(cat, ident)
    parts = []
    if s["fuente_original"]:
        parts.append(f"Fuente: {escape(s['fuente_original'].rstrip('.'))}{source_citation(cat, ident)}.")
    if s["elaboracion"]:
        parts.append(f"Elaboración: {escape(s['elaboracion'].rstrip('.'))}.")
    what = "Tabla" if s["tipo"] == "tabla" else "Ilustración"
    if s["tipo"] == "ilustracion" and s["datos"] == "parcial":
        parts.append("Redibujada solo con los valores que la política menciona; la ilustración original tiene más.")
    parts.append(f"{what} {s['numero']} de la PNMCE.")
    return Markdown("*" + " ".join(parts) + "*")


MAX_PERIOD_COLUMNS = 8  # a table with more periods than this, each a column, is drawn with periods as rows


def data_table(cat: Catalogue, ident: str) -> Markdown:
    """A table of the policy rebuilt from its observations: entities as rows, variable × period as columns.

    A long series (more than `MAX_PERIOD_COLUMNS` periods) is turned: periods as rows, entity × variable as
    columns, when that gives fewer columns, so that the table fits the page instead of scrolling sideways."""
    s = source(cat, ident)
    obs = observations(cat, ident)
    variables = list(dict.fromkeys(obs["variable"]))
    periods = list(dict.fromkeys(obs["periodo"]))
    names = [("— " if g and s["suma"] == "entidades" else "") + e for g, e in zip(obs["grupo"], obs["entidad"])]
    cells = [cell(v, t, u) for v, t, u in zip(obs["valor"], obs["valor_texto"], obs["unidad"])]
    series = list(dict.fromkeys(zip(names, obs["variable"])))
    turned = len(periods) > MAX_PERIOD_COLUMNS and len(series) < len(periods) * len(variables)

    def header(var, per):
        if len(variables) == 1:
            return per or var
        if len(periods) == 1:
            return var
        return f"{var} {per}".strip()

    def series_header(name, var):
        return name if len(variables) == 1 else f"{var}: {name}"

    if turned:
        first_name = "Año" if all(re.fullmatch(r"\d{4}", p) for p in periods) else "Periodo"
        keys = [(p, series_header(n, v)) for p, n, v in zip(obs["periodo"], names, obs["variable"])]
        columns = [series_header(n, v) for n, v in series]
    else:
        first_name = ""
        keys = [(n, header(v, p)) for n, v, p in zip(names, obs["variable"], obs["periodo"])]
        columns = list(dict.fromkeys(header(v, p) for v, p in zip(obs["variable"], obs["periodo"])))
    rows: dict[str, dict] = {}
    for (row, column), text in zip(keys, cells):
        rows.setdefault(row, {"": row})[column] = text
    units = list(dict.fromkeys(obs["unidad"]))
    unit = "Unidad: " + ", ".join(units) if len(units) <= 2 else ""
    first = f"{first_name} ({unit[0].lower()}{unit[1:]})" if first_name and unit else first_name or unit
    frame = pd.DataFrame(list(rows.values()), columns=["", *columns]).fillna("")
    frame = frame.rename(columns={"": first or " "})
    caption = f"{s['titulo']} (Tabla {s['numero']} de la política)"
    return table(frame, caption, _label(ident))


# --- figures ------------------------------------------------------------------------------------

def chart_kind(cat: Catalogue, ident: str) -> str:
    """How a figure is drawn: its declared kind, or one inferred once its data exists; '' = placeholder."""
    s = source(cat, ident)
    if s["grafico"] == "arbol":  # drawn from the catalogue, not from observations
        return "arbol"
    obs = observations(cat, ident)
    obs = obs[obs["valor"].notna()]
    if len(obs) < 2:
        return ""
    if s["grafico"]:
        return s["grafico"]
    if s["datos"] in ("diagrama", "perdida"):  # a map or scheme: a few numbers do not make it a chart
        return ""
    years = obs["periodo"].str.fullmatch(r"\d{4}")
    return "lineas" if years.all() and obs["periodo"].nunique() > 2 else "barras"


def chart_frame(cat: Catalogue, ident: str) -> pd.DataFrame:
    """The long frame a figure is drawn from: the first unit only (a chart has one value axis)."""
    obs = observations(cat, ident)
    obs = obs[obs["valor"].notna()]
    unit = obs["unidad"].iloc[0]
    obs = obs[obs["unidad"] == unit]
    return pd.DataFrame({
        "entidad": obs["entidad"].tolist(), "periodo": obs["periodo"].tolist(), "variable": obs["variable"].tolist(),
        "valor": obs["valor"].astype(float).tolist(), "unidad": unit,
        "etiqueta": [cell(v, t, u) for v, t, u in zip(obs["valor"], obs["valor_texto"], obs["unidad"])],
    })


def figure_caption(cat: Catalogue, ident: str) -> str:
    s = source(cat, ident)
    title = s["titulo"] or s["titulo_indice"]
    if s["tipo"] == "tabla":  # a table of the policy also drawn as a chart (its `grafico` is set)
        return f"{title} (gráfico de la Tabla {s['numero']} de la política)"
    return f"Ilustración {s['numero']}. {title}"


def figure(cat: Catalogue, ident: str):
    """The redrawn chart (or the problem tree), or one plain line when the data to draw it is not in `data/`."""
    kind = chart_kind(cat, ident)
    if not kind:
        return placeholder(cat, ident)
    s = source(cat, ident)
    # caption (the chart draws no title) and the source line under the chart
    caption = f"{(s['titulo'] or s['titulo_indice']).rstrip('. ')} (Ilustración {s['numero']} de la política)"
    line = " ".join(x for x in (f"Fuente: {s['fuente_original'].rstrip('. ')}." if s["fuente_original"] else
                                f"Fuente: PNMCE, ilustración {s['numero']}.",
                                f"Elaboración: {s['elaboracion'].rstrip('. ')}." if s["elaboracion"] else "",
                                "Redibujada solo con los valores que la política menciona; la ilustración original "
                                "tiene más." if s["datos"] == "parcial" else "") if x)
    if kind == "arbol":
        return problem_tree(cat, figure_label(ident), caption, line)
    frame = chart_frame(cat, ident)
    return charts.observation_chart(frame, kind, caption, line, describe(cat, ident, frame), label=figure_label(ident))


def describe(cat: Catalogue, ident: str, frame: pd.DataFrame) -> str:
    values = "; ".join(f"{' '.join(x for x in (e, p) if x)}: {lab}" for e, p, lab in
                       zip(frame["entidad"], frame["periodo"], frame["etiqueta"]))
    return f"{figure_caption(cat, ident)} ({frame['unidad'].iloc[0]}). {values}."


_WHY = {"perdida": "no se conserva en la versión del documento con que se construye este libro",
        "diagrama": "es un esquema o mapa cuyos datos la política no publica"}


def placeholder(cat: Catalogue, ident: str) -> Markdown:
    """One discreet line in place of a figure the policy publishes no data for."""
    s = source(cat, ident)
    origin = s["fuente_original"].rstrip(".") if s["fuente_original"] else ""
    why = _WHY.get(s["datos"], "la política no publica sus datos")
    key = s.get("cita", "")
    origin = f"{{cite:t}}`{key}`" if key else escape(origin)  # «UNCTAD (2023c)», linked to the bibliography
    return Markdown(f"*La Ilustración {s['numero']} de la política ({escape(s['titulo_indice'] or s['titulo'])}"
                    f"{'; ' + origin if origin else ''}) no se reproduce: {why}.*")


def missing_figures(cat: Catalogue) -> pd.DataFrame:
    """The figures of chapters 2-3 not redrawn, with what would redraw them (for maintainers)."""
    rows = []
    for s in sources(cat).itertuples(index=False):
        if s.tipo != "ilustracion" or chart_kind(cat, s.id):
            continue
        obs = observations(cat, s.id)
        rows.append({"id": s.id, "numero": int(s.numero), "titulo": s.titulo_indice or s.titulo, "seccion": s.seccion,
                     "estado": s.datos, "motivo": _STATE.get(s.datos, "") or "faltan sus datos",
                     "valores_en_datos": int(obs["valor"].notna().sum()), "lineas": s.lineas})
    return pd.DataFrame(rows, columns=["id", "numero", "titulo", "seccion", "estado", "motivo", "valores_en_datos", "lineas"])


def missing_figures_table(cat: Catalogue) -> Markdown:
    """For the maintainers' annex: each figure not redrawn, why, and how to redraw it."""
    m = missing_figures(cat)
    frame = pd.DataFrame({
        "Ilustración": [f"{n} ({i})" for n, i in zip(m["numero"], m["id"])],
        "Título": list(m["titulo"]),
        "Sección": list(m["seccion"]),
        "Por qué no se redibuja": list(m["motivo"]),
        "Valores ya en los datos": [str(x) for x in m["valores_en_datos"]],
        "Líneas del texto fuente": list(m["lineas"]),
    })
    intro = (f"Para redibujar una de estas ilustraciones basta añadir sus valores a `{OBS_FILE}` con "
             "`fuente` igual a su código (columnas " + ", ".join(f"`{c}`" for c in OBS_COLUMNS) + "); el gráfico "
             f"aparece en la siguiente construcción y su tipo se puede fijar en la columna `grafico` de `{SOURCES_FILE}`.")
    return Markdown(intro + "\n\n" + table(frame, "Ilustraciones de los capítulos 2 y 3 que no se redibujan",
                                            "tabla-ilustraciones-sin-datos", widths=[12, 34, 8, 26, 8, 12]).text)


# --- a section, in order ------------------------------------------------------------------------

def section_items(cat: Catalogue, section: str) -> list:
    """Every table and figure of a section, each followed by its source line."""
    items: list = []
    for s in sources(cat, section).itertuples(index=False):
        if s.tipo == "tabla":
            items += [data_table(cat, s.id), source_line(cat, s.id)]
            if s.grafico and chart_kind(cat, s.id):  # the table drawn too, right after it
                items.append(figure(cat, s.id))
        else:
            fig = figure(cat, s.id)
            items.append(fig)  # a chart or the tree carries its source line
            if not isinstance(fig, Markdown) and source(cat, s.id).get("cita"):
                items.append(source_reference(cat, s.id))
    return items


# --- 7.2: trends, risks and opportunities --------------------------------------------------------

_KIND = {"tendencia": "Tendencias", "riesgo": "Riesgos", "oportunidad": "Oportunidades"}


def scenario_table(cat: Catalogue, kind: str) -> Markdown:
    """Trends (Tabla 29) or risks and opportunities (Tabla 31) with their scores and the scenarios they feed."""
    f = cat.escenarios_factores
    f = f[f["tipo"].isin(["riesgo", "oportunidad"] if kind != "tendencia" else ["tendencia"])]
    names = cat.escenarios.set_index("id")["nombre"]
    a, b = f["criterio_a"].iloc[0], f["criterio_b"].iloc[0]
    frame = pd.DataFrame({
        "Código": f["id"], "Factor": f["nombre"], a: [fmt.number(x, 2) for x in f["valor_a"]],
        b: [fmt.number(x, 2) for x in f["valor_b"]], "Promedio": [fmt.number(x, 2) for x in f["promedio"]],
        "Escenario": [f"{e}: {names[e]}" if e else "—" for e in f["escenarios"]],
    })
    caption = ("Tendencias seleccionadas y sus puntajes (Tabla 29 de la política)" if kind == "tendencia" else
               "Riesgos y oportunidades seleccionados y sus puntajes (Tabla 31 de la política)")
    return table(frame, caption, f"tabla-escenarios-{kind}", widths=[8, 44, 11, 11, 10, 16])


def scenario_chart(cat: Catalogue, kind: str) -> charts.OfflineChart:
    """Probability × impact (risks and opportunities) or relevance × evidence (trends), coloured by scenario."""
    f = cat.escenarios_factores
    f = f[f["tipo"].isin(["riesgo", "oportunidad"] if kind != "tendencia" else ["tendencia"])]
    names = cat.escenarios.set_index("id")["nombre"]
    data = pd.DataFrame({
        "id": f["id"], "nombre": f["nombre"], "tipo": [_KIND[t][:-1] if t != "oportunidad" else "Oportunidad" for t in f["tipo"]],
        "x": f["valor_a"].astype(float), "y": f["valor_b"].astype(float),
        "grupo": [f"{e}: {names[e]}" if e else "Sin escenario" for e in f["escenarios"]],
    })
    a, b = f["criterio_a"].iloc[0], f["criterio_b"].iloc[0]
    title = ("Tendencias: pertinencia y evidencia" if kind == "tendencia" else "Riesgos y oportunidades: probabilidad e impacto")
    description = f"{title}. " + "; ".join(f"{i} {n}: {fmt.number(x, 2)} y {fmt.number(y, 2)}"
                                           for i, n, x, y in zip(data["id"], data["nombre"], data["x"], data["y"]))
    return charts.score_chart(data, a, b, title, "Fuente: PNMCE, 7.2 (puntajes medios de 1 a 5). Elaboración propia.",
                              description)


def scenarios_list(cat: Catalogue) -> Markdown:
    """Each scenario with the factors it groups (from the `escenarios` column of the factors)."""
    f = cat.escenarios_factores
    lines = []
    for e in cat.escenarios.itertuples(index=False):
        part = f[f["escenarios"] == e.id]
        names = ", ".join(f"{escape(r.id)} {escape(r.nombre)}" for r in part.itertuples())
        lines.append(f"- **{escape(e.id)}. {escape(e.nombre)}**: agrupa {len(part)} "
                     f"{'factor' if len(part) == 1 else 'factores'} ({names}).")
    left = f[f["escenarios"] == ""]
    if not left.empty:
        lines.append(f"- Sin escenario asociado: {', '.join(escape(i) for i in left['id'])}.")
    return Markdown("\n".join(lines))


# --- 3.5: the alternatives' scores -----------------------------------------------------------------

def alternatives_chart(cat: Catalogue) -> charts.OfflineChart:
    """Importance × feasibility of the identified alternatives (Tabla 23), coloured by direct cause."""
    a = cat.alternativas_evaluadas.dropna(subset=["importancia", "factibilidad"])
    data = pd.DataFrame({
        "id": a["numero"].astype(str), "nombre": a["nombre"], "tipo": a["clasificacion"],
        "x": a["importancia"].astype(float), "y": a["factibilidad"].astype(float), "grupo": a["causa_directa"],
    })
    description = "Alternativas identificadas: importancia y factibilidad. " + "; ".join(
        f"{i} ({g}): {fmt.number(x, 2)} y {fmt.number(y, 2)}" for i, g, x, y in zip(data["id"], data["grupo"], data["x"], data["y"]))
    return charts.score_chart(data, "Importancia", "Factibilidad", "Alternativas identificadas: importancia y factibilidad",
                              "Fuente: PNMCE, 3.5 (Tabla 23, puntajes medios). Elaboración propia.", description,
                              color_title="Causa directa")
