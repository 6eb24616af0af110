"""Where each generated page lives: one home for the output paths the plan executes
(`pnmce.execute.plan`) and the links the pages write (`pnmce.present.page`).

An output is a path under `book/generado/` without suffix; `link_path` is how a page links to it in
MyST, `relative_link` in raw HTML.
"""

from __future__ import annotations

import posixpath

from pnmce.data.ids import page_name

GENERATED = "generado"  # book/generado/
REPORT = "cap5/reporte-seguimiento"  # presentation and executive summary; the rest under cap5/reporte/
REPORT_CONCLUSIONS = "cap5/reporte/conclusiones"
REPORT_ANNEX = "cap5/reporte/anexo"
METHODOLOGY = "cap7/7-1-metodologia"
PUBLIC_PROBLEM = "cap3/3-1-problema-publico"
INDICATOR_SHEETS = "cap7/7-5-fichas-tecnicas"
DATA_NOTES = "notas/notas-sobre-los-datos"  # readers: notes on the policy's data
TECHNICAL_NOTES = "notas/notas-tecnicas"  # maintainers' annex


def indicator_page(ident: str) -> str:
    return f"indicadores/{page_name(ident)}"


def service_page(ident: str) -> str:
    return f"cap4/4-3-1/{ident}"


def objective_page(ident: str) -> str:
    return f"cap4/4-1/{ident.lower()}"


def report_objective_page(ident: str) -> str:
    """The monitoring report's page of one priority objective."""
    return f"cap5/reporte/{ident.lower()}"


def cause_page(number: int, ident: str) -> str:
    """The page of the `number`-th direct cause (3.2.n)."""
    return f"cap3/3-2-{number}-{ident.lower()}"


def link_path(output: str) -> str:
    """The book-absolute link to a generated page."""
    return f"/{GENERATED}/{output}.ipynb"


def relative_link(output: str, page: str) -> str:
    """The link from generated page `page`'s HTML to generated page `output`'s, for raw HTML (which Sphinx
    writes as it is): `relative_link("indicadores/OP1.1", "cap5/reporte/anexo")` is `../../indicadores/OP1.1.html`."""
    return posixpath.relpath(f"{output}.html", posixpath.dirname(page) or ".")
