"""The whole pipeline, built into temporary copies of the project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pnmce.book.build import BuildError, build
from pnmce.errors import InputError
from pnmce.execute.executor import LocalExecutor
from tests.conftest import copy_project

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("libro-a"))
    result = build(project, executor=LocalExecutor(workers=2, progress=False))
    return project, result


@pytest.fixture(scope="session")
def built_again(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("libro-b"))
    build(project, executor=LocalExecutor(workers=2, progress=False))
    return project


def _toc_files(toc: dict) -> list[str]:
    """Every `file` entry of the TOC (glob entries are checked by the indicator and service tests)."""
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []))
    walk(toc["chapters"])
    return files


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_toc_page_is_built(built):
    project, result = built
    assert result.edition == 2024
    toc = yaml.safe_load(project.toc.read_text())
    missing = [f for f in _toc_files(toc) if not (project.html / f"{f}.html").is_file()]
    assert not missing
    assert (project.html / "index.html").is_file()


def test_title_page_states_the_edition(built):
    project, _ = built
    html = (project.html / "generado" / "portada.html").read_text()
    assert "edición 2024" in html


def test_outcome_indicator_pages_have_one_chart_per_indicator(built, catalogue):
    project, _ = built
    pages = {p: p.read_text() for p in (project.html / "generado" / "cap4" / "4-1").glob("op*.html")}
    assert len(pages) == len(catalogue.objetivos)
    drawn = "".join(pages.values())
    for ident in catalogue.indicadores.query("nivel == 'objetivo'")["id"]:
        assert f'aria-label="Gráfico del indicador {ident},' in drawn, ident
    assert drawn.count('class="vega-chart"') == 8


def test_no_page_references_anything_external(built):
    project, _ = built
    external = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)
    font = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)
    offenders = []
    for path in project.html.rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text(errors="replace")
            if external.search(text) or font.search(text):
                offenders.append(str(path.relative_to(project.html)))
    assert not offenders
    assert (project.html / "_static" / "vega-bundle.js").stat().st_size > 500_000


def test_two_builds_are_byte_identical(built, built_again):
    a, _ = built
    b = built_again
    tree_a, tree_b = _tree(a.html), _tree(b.html)
    assert tree_a.keys() == tree_b.keys()
    assert [k for k in tree_a if tree_a[k] != tree_b[k]] == []
    nb_a, nb_b = _tree(a.generated), _tree(b.generated)
    assert nb_a and nb_a == nb_b


def test_rebuild_without_changes_executes_nothing_and_changes_no_byte(built_again):
    project = built_again
    before = _tree(project.html)
    result = build(project, executor=LocalExecutor(workers=1, progress=False))
    assert {o.status for o in result.outcomes} == {"sin cambios"}
    assert _tree(project.html) == before


@pytest.fixture
def built_copy(built, tmp_path):
    project, _ = built
    dest = tmp_path / "libro"
    shutil.copytree(project.root, dest, symlinks=True)
    return type(project)(dest)


def test_failed_notebook_keeps_the_last_good_book(built_copy):
    project = built_copy
    before = _tree(project.html)
    template = project.notebooks / "objetivo.md"
    template.write_text(template.read_text().replace("page.objective_summary(", "page.no_such_function("))
    with pytest.raises(BuildError, match="Falló la ejecución de cuadernos"):
        build(project, executor=LocalExecutor(workers=1, progress=False))
    assert _tree(project.html) == before


def test_bad_data_keeps_the_last_good_book(built_copy):
    project = built_copy
    before = _tree(project.html)
    metas = project.data / "catalogo" / "metas.csv"
    metas.write_text(metas.read_text().replace("OP1.1,2026,", "OP1.1,20x6,", 1))
    with pytest.raises(InputError, match="metas.csv, fila 3, columna «anio»"):
        build(project, executor=LocalExecutor(workers=1, progress=False))
    assert _tree(project.html) == before


def test_generated_matrices_and_quality_annex(built, catalogue):
    project, _ = built
    gen = project.html / "generado"
    consistency = (gen / "cap7" / "7-4-matriz-de-consistencia.html").read_text()
    for service in catalogue.servicios["id"]:
        assert f">{service}<" in consistency, service
    assert "Tabla 36" in consistency and "CD3" in consistency
    qc = (gen / "cap7" / "7-7-control-de-calidad.html").read_text().replace("\u00a0", " ")
    assert "101/190 = 53,2 %" in qc and "QC01" in qc
    services = sorted(p.stem for p in (gen / "cap4" / "4-3-1").glob("*.html"))
    assert services == sorted(catalogue.servicios["id"])
    lineamientos = (gen / "cap4" / "4-2-lineamientos.html").read_text()
    assert re.search(r'<span class="std std-numref">Tabla\s+\d+</span>', lineamientos)  # a resolved {numref}


def test_one_page_per_indicator_with_chart_and_downloads(built, catalogue):
    project, _ = built
    pages = {p.stem: p.read_text() for p in (project.html / "generado" / "indicadores").glob("*.html")}
    assert sorted(pages) == sorted(catalogue.indicadores["id"])
    has_targets = set(catalogue.metas["indicador"])
    for ident, html in pages.items():
        assert f"{ident} —" in html
        assert f"_static/datos/indicadores/{ident}.csv" in html and f"_static/datos/indicadores/{ident}.json" in html
        assert (project.html / "_static" / "datos" / "indicadores" / f"{ident}.json").is_file()
        if ident in has_targets:
            assert html.count('class="vega-chart"') == 1, ident
        else:  # the sheet has no data: the page says so and names the file that would fill it
            assert "vega-chart" not in html and "data/catalogo/metas.csv" in html, ident
    assert "<math" in pages["S5.4.1-cal"]  # the formula, as MathML


@pytest.mark.parametrize("ident", ["OP1.1", "OP4.1", "S2.3.1-cob", "S3.5.1-cob2", "S5.2.5-cal"])
def test_downloaded_series_equals_the_catalogue(built, catalogue, ident):
    import csv

    project, _ = built
    with open(project.html / "_static" / "datos" / "indicadores" / f"{ident}.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["tipo"] != "valor_obtenido"]
    metas = catalogue.metas[catalogue.metas["indicador"] == ident].sort_values("anio")
    assert [int(r["anio"]) for r in rows] == metas["anio"].tolist()
    assert [float(r["valor"]) for r in rows] == pytest.approx(metas["valor"].astype(float).tolist())
    for r, num in zip(rows, metas["numerador"]):
        assert (r["numerador"] == "") == bool(pd.isna(num))
        if r["numerador"]:
            assert float(r["numerador"]) == pytest.approx(float(num))


def test_index_links_every_indicator(built, catalogue):
    project, _ = built
    html = (project.html / "generado" / "cap7" / "7-5-fichas-tecnicas.html").read_text()
    for ident in catalogue.indicadores["id"]:
        assert f'href="../indicadores/{ident}.html"' in html, ident
    assert 'class="sortable' in html or "sortable" in html
    assert (project.html / "_static" / "datos" / "series.csv").is_file()


def test_default_edition_is_the_baseline_year(built, catalogue):
    project, result = built
    assert result.edition == 2024
    digest = (project.editions / "seguimiento-2024.csv").read_text(encoding="utf-8").splitlines()
    assert len(digest) == 93
    assert sum(",verde," in line for line in digest) == 91  # obtained = published baseline


def test_pdf_edition_is_printed_offline_and_reproducibly(built_copy, tmp_path):
    import subprocess

    from pnmce.book.pdf import print_pdf

    project = built_copy
    result = build(project, executor=LocalExecutor(workers=1, progress=False), pdf=True)
    data = result.pdf.read_bytes()
    assert result.pdf.name == "pnmce-edicion-2024.pdf" and data.startswith(b"%PDF")
    assert b"/CreationDate (D:20240101000000+00'00')" in data
    text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "edición 2024" in text
    assert "Gráfico no disponible" not in text  # every chart was drawn from the local bundle
    assert "44 633" in text.replace("\u00a0", " ")  # OP1.1: 2040 target
    singlehtml = project.build / ".staging" / "_build" / "singlehtml"
    again = print_pdf(singlehtml, "generado/portada", tmp_path / "otra.pdf")
    assert again.read_bytes() == data


def test_visible_text_has_no_backslash_before_punctuation(built):
    """Text escaped twice shows `Eje 4\\:` or `\\%`: no page's visible text may contain one."""
    import html as html_lib

    project, _ = built
    offenders = {}
    for path in sorted(project.html.rglob("*.html")):
        article = re.search(r"<article.*?</article>", path.read_text(), re.S)
        if not article:
            continue
        body = re.sub(r"<(script|style|code|math)\b.*?</\1>", "", article.group(0), flags=re.S)
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
        found = re.findall(r".{0,20}\\[!-/:-@\[-`{-~]", text)
        if found:
            offenders[str(path.relative_to(project.html))] = found[:3]
    assert not offenders
