"""Helpers the notebooks call, so that templates stay a few lines long."""

from __future__ import annotations

import pandas as pd

from pnmce.data.package import Catalogue, read_catalogue
from pnmce.paths import find_project
from pnmce.present import fmt
from pnmce.present.charts import indicator_chart, series_frame
from pnmce.present.tables import Markdown, escape, table


def catalogue() -> Catalogue:
    """The project's catalogue (validated by the build before any notebook runs)."""
    return read_catalogue(find_project().data)


def heading(level: int, text: str, label: str | None = None) -> Markdown:
    target = f"({label})=\n" if label else ""
    return Markdown(f"{target}{'#' * level} {escape(text)}")


def paragraph(text: str) -> Markdown:
    """Text we wrote (may contain MyST on purpose); data inside it must go through `escape`."""
    return Markdown(text)


def indicator_targets(cat: Catalogue, ident: str) -> pd.DataFrame:
    return cat.metas[cat.metas["indicador"] == ident].sort_values("anio")


def indicator_chart_for(cat: Catalogue, ident: str, edition: int | None = None):
    ind = cat.indicadores.set_index("id").loc[ident]
    data = series_frame(indicator_targets(cat, ident))
    return indicator_chart(ident, ind["nombre"], ind["unidad"], data, edition)


def objective_indicator_table(cat: Catalogue, objective: str):
    """Indicators of one objective: unit, direction, baseline and 2040 target."""
    rows = []
    for _, ind in cat.indicadores[(cat.indicadores["objetivo"] == objective)
                                  & (cat.indicadores["nivel"] == "objetivo")].iterrows():
        targets = indicator_targets(cat, ind["id"])
        last = targets[targets["tipo"] == "logro_esperado"].tail(1)
        rows.append({
            "Código": ind["id"],
            "Indicador": ind["nombre"],
            "Unidad": ind["unidad"],
            "Sentido": ind["sentido"],
            "Línea base": f"{fmt.quantity(ind['linea_base_valor'], ind['unidad'])} ({ind['linea_base_anio']})",
            "Meta final": ("—" if last.empty else
                           f"{fmt.quantity(last['valor'].iloc[0], ind['unidad'])} ({last['anio'].iloc[0]})"),
            "Responsable": ind["responsable"],
        })
    frame = pd.DataFrame(rows)
    return table(frame, f"Indicadores del objetivo prioritario {objective}", f"tabla-indicadores-{objective.lower()}",
                 widths=[8, 30, 10, 10, 12, 12, 18])


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cover_text(cat: Catalogue, edition: int) -> str:
    """The title page: what this edition is, with every figure taken from the data."""
    ind = cat.indicadores
    n_obj = len(cat.objetivos)
    n_res = int((ind["nivel"] == "objetivo").sum())
    n_srv = int((ind["nivel"] == "servicio").sum())
    base = int(ind["linea_base_anio"].dropna().min())
    return "\n\n".join([
        f"Esta es la **edición {edition}** del libro reproducible de la Política Nacional Multisectorial "
        f"de Comercio Exterior al 2040 (PNMCE), conducida por el Ministerio de Comercio Exterior y Turismo (MINCETUR).",
        "Cada tabla, gráfico y cifra de este libro se genera a partir de los datos del proyecto; el texto lo "
        "redactamos nosotros y no reproduce el documento de la política. Una nueva edición actualiza cifras y texto a la vez.",
        f"El catálogo contiene {_count(n_obj, 'objetivo prioritario', 'objetivos prioritarios')}, "
        f"{_count(n_res, 'indicador de resultado', 'indicadores de resultado')} y "
        f"{_count(n_srv, 'indicador de servicio', 'indicadores de servicio')}, con línea base {base}.",
        f"Versión de los datos: `{cat.digest}`.",
    ])


def objectives_intro(cat: Catalogue) -> str:
    ind = cat.indicadores[cat.indicadores["nivel"] == "objetivo"]
    years = cat.metas[cat.metas["indicador"].isin(ind["id"])]["anio"]
    return (f"La política fija {_count(len(cat.objetivos), 'objetivo prioritario', 'objetivos prioritarios')}, "
            f"cada uno en respuesta a una causa directa del problema público, y los mide con "
            f"{_count(len(ind), 'indicador', 'indicadores')} de resultado. Para cada objetivo se muestran su "
            f"responsable, sus indicadores con la línea base de {int(years.min())} y la meta a {int(years.max())}, "
            f"y un gráfico por indicador con la trayectoria de logros esperados.")


def objective_summary(cat: Catalogue, objective: str) -> str:
    op = cat.objetivos.set_index("id").loc[objective]
    n = int(((cat.indicadores["objetivo"] == objective) & (cat.indicadores["nivel"] == "objetivo")).sum())
    return (f"Responde a la causa directa {escape(op['causa'])}. Responsable: {escape(op['responsable'])} "
            f"Se mide con {_count(n, 'indicador', 'indicadores')}.")


def objective_indicator_ids(cat: Catalogue, objective: str) -> list[str]:
    ind = cat.indicadores
    return ind[(ind["objetivo"] == objective) & (ind["nivel"] == "objetivo")]["id"].tolist()


def objectives_table(cat: Catalogue):
    """Objectives with the direct cause they answer, their responsible unit and indicators."""
    rows = []
    for op in cat.objetivos.itertuples():
        names = cat.indicadores.set_index("id")["nombre"]
        rows.append({
            "Código": f"[{op.id}](4-1/{op.id.lower()})",
            "Objetivo prioritario": escape(op.nombre),
            "Causa directa": escape(op.causa),
            "Responsable": escape(op.responsable),
            "Indicadores": "; ".join(f"{escape(i)}: {escape(names[i])}" for i in objective_indicator_ids(cat, op.id)),
        })
    return table(pd.DataFrame(rows), "Objetivos prioritarios, responsables e indicadores", "tabla-objetivos",
                 raw_columns=tuple(rows[0]), widths=[8, 30, 8, 20, 34])
