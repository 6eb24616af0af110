"""Helpers the notebooks call, so that templates stay a few lines long."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce import deps
from pnmce.catalogue import matrices
from pnmce.data import pages
from pnmce.data.csvfile import read_text_csv
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.paths import find_project
from pnmce.present import fmt
from pnmce.present.citation import reader_source
from pnmce.present.reference import cite, cite_t  # noqa: F401 (one cite; `page.cite` for the notebooks)
from pnmce.present.tables import Markdown, escape, table, web_only  # noqa: F401 (`page.web_only` for the notebooks)


def catalogue() -> Catalogue:
    """The project's catalogue (validated by the build before any notebook runs)."""
    return read_catalogue(find_project().data)


def heading(level: int, text: str, label: str | None = None) -> Markdown:
    target = f"({label})=\n" if label else ""
    return Markdown(f"{target}{'#' * level} {escape(text)}")


def paragraph(text: str, cat: Catalogue | None = None) -> Markdown:
    """Text we wrote (may contain MyST on purpose); data inside it must go through `escape`.

    The first occurrence of each glossary term is linked to chapter 6.1 (`reference.link_terms`).
    """
    from pnmce.present.reference import link_terms

    return Markdown(link_terms(cat if cat is not None else catalogue(), text))


def objective_indicator_table(cat: Catalogue, objective: str):
    """Indicators of one objective: unit, direction, baseline and final target, linked to their sheets."""
    ov = matrices.objective_indicators(cat, objective)
    frame = pd.DataFrame({
        "Código": [link(i, indicator_path(i)) for i in ov["id"]],
        "Indicador": [escape(n) for n in ov["nombre"]],
        "Unidad": [escape(u) for u in ov["unidad"]],
        "Sentido": [escape(d) for d in ov["sentido"]],
        "Línea base": [value_with_year(v, y, u) for v, u, y in zip(ov["linea_base_valor"], ov["unidad"], ov["linea_base_anio"])],
        "Meta final": [value_with_year(v, y, u) for v, u, y in zip(ov["meta_valor"], ov["unidad"], ov["meta_anio"])],
    })
    return table(frame, f"Indicadores del objetivo prioritario {objective}", f"tabla-indicadores-{objective.lower()}",
                 raw_columns=tuple(frame.columns), widths=[10, 42, 12, 12, 12, 12])


def value_with_year(value, year, unit) -> str:
    """`23 237 (2024)`, or a dash when there is no value."""
    if fmt.is_missing(value) or fmt.is_missing(year):
        return "—"
    return f"{fmt.quantity(value, unit)} ({int(year)})"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def objectives_intro(cat: Catalogue) -> str:
    ind = cat.indicadores[cat.indicadores["nivel"] == "objetivo"]
    years = cat.metas[cat.metas["indicador"].isin(ind["id"])]["anio"]
    return (f"La política fija {plural(len(cat.objetivos), 'objetivo prioritario', 'objetivos prioritarios')}, "
            f"cada uno en respuesta a una causa directa del problema público, y los mide con "
            f"{plural(len(ind), 'indicador', 'indicadores')} de resultado. Para cada objetivo se muestran su "
            f"responsable, sus indicadores con la línea base de {int(years.min())} y la meta a {int(years.max())}, "
            f"y un gráfico por indicador con la trayectoria de logros esperados.")


def objective_summary(cat: Catalogue, objective: str) -> str:
    op = cat.objetivos.set_index("id").loc[objective]
    n = int(((cat.indicadores["objetivo"] == objective) & (cat.indicadores["nivel"] == "objetivo")).sum())
    return (f"Responde a la causa directa {escape(op['causa'])}. Responsable: {escape(op['responsable'].rstrip('. '))}. "
            f"Se mide con {plural(n, 'indicador', 'indicadores')}.")


def objective_indicator_ids(cat: Catalogue, objective: str) -> list[str]:
    return matrices.objective_indicators(cat, objective)["id"].tolist()


def objectives_table(cat: Catalogue, label: str = "tabla-objetivos"):
    """Objectives with the direct cause they answer, their responsible unit and indicators."""
    names = cat.indicadores.set_index("id")["nombre"]
    rows = []
    for op in cat.objetivos.itertuples():
        rows.append({
            "Código": link(op.id, objective_path(op.id)),
            "Objetivo prioritario": escape(op.nombre),
            "Causa directa": escape(op.causa),
            "Responsable": escape(op.responsable),
            "Indicadores": "; ".join(f"{escape(i)}: {escape(names[i])}" for i in objective_indicator_ids(cat, op.id)),
        })
    return table(pd.DataFrame(rows), "Objetivos prioritarios, responsables e indicadores", label,
                 raw_columns=tuple(rows[0]), widths=[8, 30, 8, 20, 34])


# --- links between generated pages (absolute from the book's source folder) ---

def indicator_path(ident: str) -> str:
    return pages.link_path(pages.indicator_page(ident))


def service_path(ident: str) -> str:
    return pages.link_path(pages.service_page(ident))


def objective_path(ident: str) -> str:
    return pages.link_path(pages.objective_page(ident))


def link(text: str, path: str) -> str:
    return f"[{escape(text)}]({path})"


def codes(items, path_of=None) -> str:
    """Codes joined with commas, each linked when `path_of` is given."""
    items = [i for i in items if i]
    if not items:
        return "—"
    return ", ".join(link(i, path_of(i)) if path_of else escape(i) for i in items)


# --- observed values and quality control, for the pages that show them ---

def observed_until(edition: int, indicator: str | None = None) -> pd.DataFrame:
    """Observed values up to the edition's year; only one indicator's when `indicator` is given
    (so that the page depends on that indicator's values alone)."""
    from pnmce.data.observed import observed_until as read

    deps.record(deps.OBSERVED, edition if indicator is None else f"{edition}/{indicator}")
    frame = read(find_project().data, edition)
    return frame if indicator is None else frame[frame["indicador"] == indicator].reset_index(drop=True)


def last_observed(edition: int) -> pd.DataFrame:
    from pnmce.data.observed import last_observed as read

    deps.record(deps.OBSERVED, edition)
    return read(find_project().data, edition)


def quality_findings() -> pd.DataFrame:
    """The findings the build wrote (`_static/datos/control-calidad.csv`), as text."""
    project = find_project()
    path = project.downloads / "control-calidad.csv"
    deps.record(deps.FILE, path.relative_to(project.root).as_posix())
    return read_text_csv(path)


def findings_for(cat: Catalogue, entity: str, ident: str) -> Markdown:
    """The source's quality-control findings about one entity, or a line saying there are none."""
    found = quality_findings()
    found = found[(found["entidad"] == entity) & (found["id"] == ident)]
    if found.empty:
        return Markdown("La revisión de la fuente no deja notas sobre este elemento.")
    frame = pd.DataFrame({
        "Regla": [f"{escape(c)} {escape(r)}" for c, r in zip(found["codigo"], found["regla"])],
        "Año": [escape(a) or "—" for a in found["anio"]],
        "Detalle": [escape(reader_source(d)) for d in found["detalle"]],
        "Dónde": [escape(reader_source(p)) for p in found["procedencia"]],
    })
    return table(frame, f"Notas sobre los datos de {ident}", f"tabla-qc-{ident.lower().replace('.', '-')}",
                 raw_columns=tuple(frame.columns), widths=[22, 8, 45, 25])


def indicator_group(cat: Catalogue, group: str) -> Markdown:
    """7.5.1 (objective indicators), 7.5.2 (service indicators) and 7.5.2 per objective."""
    ind = cat.indicadores
    if group == "objetivos":
        part = ind[ind["nivel"] == "objetivo"]
        intro = ("Las fichas de los indicadores de resultado de los objetivos prioritarios, una página por indicador:")
    elif group == "servicios":
        part = ind[ind["nivel"] == "servicio"]
        per = part.groupby("objetivo").size()
        return Markdown(
            f"Las fichas de los {plural(len(part), 'indicador', 'indicadores')} de calidad y cobertura de los servicios, "
            "agrupadas por objetivo prioritario: "
            + ", ".join(f"{escape(op)} ({n})" for op, n in per.items()) + ".")
    else:
        part = ind[(ind["nivel"] == "servicio") & (ind["objetivo"] == group)]
        intro = f"Las fichas de los indicadores de los servicios del objetivo {escape(group)}, por servicio:"
    lines = [intro, ""]
    for srv, rows in part.groupby(part["servicio"].fillna(""), sort=False):
        if srv:
            lines.append(f"- {link(srv, service_path(srv))}: "
                         + ", ".join(link(i, indicator_path(i)) for i in rows["id"]))
        else:
            lines += [f"- {link(i, indicator_path(i))} {escape(n)}" for i, n in zip(rows["id"], rows["nombre"])]
    return Markdown("\n".join(lines))


def method():
    from pnmce.data.method import load_method, method_path

    project = find_project()
    deps.record(deps.FILE, method_path(project.data).relative_to(project.root).as_posix())
    return load_method(project.data)


def monitoring(cat: Catalogue, edition: int, indicator: str | None = None) -> pd.DataFrame:
    """The edition's compliance table, as the build computed it (once) before running the notebooks;
    only one indicator's row when `indicator` is given."""
    from pnmce.metrics.edition import read_table, table_path

    deps.record(deps.MONITORING, edition if indicator is None else f"{edition}/{indicator}")
    table = read_table(table_path(find_project().generated, edition))
    return table if indicator is None else table[table["indicador"] == indicator].reset_index(drop=True)


# --- links to the reference chapters (1 norms, 6.1 glossary, 8 bibliography) ---

def norm_link(ident: str, text: str | None = None, cat: Catalogue | None = None) -> str:
    """`{ref}` to a norm of chapter 1 by its id in data/referencias/normas.csv (e.g. "ds-029-2018-pcm")."""
    from pnmce.present.reference import norm_link as link_norm

    return link_norm(cat if cat is not None else catalogue(), ident, text)


def terms(text: str, cat: Catalogue | None = None) -> str:
    """`text` with its glossary terms linked (for text that does not go through `paragraph`)."""
    from pnmce.present.reference import link_terms

    return link_terms(cat if cat is not None else catalogue(), text)


# --- monitoring history, responsible units and evaluation (chapter 5) ---

def history(cat: Catalogue, edition: int):
    """(multi-year table, management index per year), as the build computed them (once)."""
    from pnmce.metrics.history import history_path, index_path, read_history

    project = find_project()
    for path in (history_path(project.generated, edition), index_path(project.generated, edition)):
        deps.record(deps.FILE, Path(path).relative_to(project.root).as_posix())
    return read_history(project.generated, edition)


def indicator_history(cat: Catalogue, edition: int, indicator: str) -> pd.DataFrame:
    """One indicator's rows of the multi-year table (its page depends on those rows only)."""
    from pnmce.metrics.history import read_history

    deps.record(deps.HISTORY, f"{edition}/{indicator}")
    hist, _ = read_history(find_project().generated, edition)
    return hist[hist["indicador"] == indicator].reset_index(drop=True)


def responsible_units():
    from pnmce.metrics.responsible_units import UNITS_FILE, load_units

    deps.record(deps.FILE, f"data/{UNITS_FILE.as_posix()}")
    return load_units(find_project().data)


def evaluation_method():
    from pnmce.metrics.evaluation import EVALUATION_FILE, load_evaluation_method

    deps.record(deps.FILE, f"data/{EVALUATION_FILE.as_posix()}")
    return load_evaluation_method(find_project().data)


def evaluation_findings(year: int) -> pd.DataFrame:
    from pnmce.metrics.evaluation import FINDINGS_FILE, load_findings

    deps.record(deps.FILE, f"data/{FINDINGS_FILE.as_posix()}")
    return load_findings(find_project().data, year)


REPORT_TEXTS = "textos_reporte"  # beside the notebooks


def report_texts() -> Path:
    """The folder of the monitoring report's text templates (notebooks/textos_reporte/)."""
    project = find_project()
    folder = project.notebooks / REPORT_TEXTS
    for path in sorted(folder.glob("*.j2")):
        deps.record(deps.FILE, path.relative_to(project.root).as_posix())
    return folder


def recommendations(edition: int) -> str:
    """The planning office's recommendations for the edition (Markdown), or "" when it wrote none."""
    from pnmce.data.observed import read_recommendations, recommendations_path

    project = find_project()
    deps.record(deps.FILE, recommendations_path(project.data, edition).relative_to(project.root).as_posix())
    return read_recommendations(project.data, edition)
