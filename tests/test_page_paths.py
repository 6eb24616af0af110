"""Page paths have one home (`pnmce.data.pages`): every link a page writes leads to a page the plan executes."""

from __future__ import annotations

import posixpath
import re

import pytest

from pnmce.data import pages
from pnmce.execute.plan import plan
from pnmce.present import page, report, summary


def test_page_links_lead_to_planned_pages(catalogue, project):
    planned = {pages.link_path(run.output) for run in plan(catalogue, 2024, data_dir=project.data)}
    links = [page.indicator_path(i) for i in catalogue.indicadores["id"]]
    links += [page.service_path(s) for s in catalogue.servicios["id"]]
    links += [page.objective_path(o) for o in catalogue.objetivos["id"]]
    links += [summary.cause_path(catalogue, c) for c in catalogue.causas.loc[catalogue.causas["nivel"] == "directa", "id"]]
    links += [summary.QC_PAGE] + [pages.link_path(p) for p in (pages.REPORT, pages.METHODOLOGY, pages.PUBLIC_PROBLEM,
                                                          pages.INDICATOR_SHEETS, pages.REPORT_CONCLUSIONS,
                                                          pages.REPORT_ANNEX, pages.TECHNICAL_NOTES)]
    assert [link for link in links if link not in planned] == []


def test_a_link_names_the_generated_notebook():
    assert pages.link_path(pages.indicator_page("OP1.1")) == "/generado/indicadores/OP1.1.ipynb"
    assert pages.link_path(pages.objective_page("OP2")) == "/generado/cap4/4-1/op2.ipynb"


def test_raw_html_links_lead_to_the_planned_sheets(catalogue, project):
    """The annex's light tables are raw HTML, which Sphinx writes as it is: their links are relative to
    the annex page and still lead to each indicator's planned sheet."""
    planned = {run.output for run in plan(catalogue, 2024, data_dir=project.data)}
    assert pages.REPORT_ANNEX in planned
    for ident in catalogue.indicadores["id"]:
        href = re.search(r'<a href="([^"]+)">', report._html_link(ident)).group(1)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(pages.REPORT_ANNEX), href))
        assert target == pages.indicator_page(ident) + ".html" and pages.indicator_page(ident) in planned
    assert pages.relative_link(pages.indicator_page("OP1.1"), pages.REPORT_ANNEX) == "../../indicadores/OP1.1.html"
    with pytest.raises(ValueError):  # an id that is not an indicator's never becomes a path
        report._html_link("../../x")
