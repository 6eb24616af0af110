"""The whole pipeline, built into temporary copies of the project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
    files = [toc["root"]]
    def walk(entries):
        for e in entries:
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
