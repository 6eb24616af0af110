"""Reader pages speak to readers: no source line numbers, data paths, file names, column names or
commands anywhere in the built book, except in the maintainers' annex «Notas técnicas».

`maintainer_text` is checked on its own (no build); the build tests scan every page of the shared
built book (`built`, registered in conftest). Chapters 2-3 have their own test: their pages come from the diagnosis templates, and the
test holds for the book once both halves of issue 17 are merged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

MAINTAINERS_ANNEX = "generado/notas/notas-tecnicas.html"
DIAGNOSIS = ("generado/cap2/", "generado/cap3/", "cap2/", "cap3/")
THEME_PAGES = ("search.html", "genindex.html")

PATTERNS = {
    "línea del documento convertido": re.compile(
        r"\[\s*L\d+|\bL\d{2,5}\s*[-–]\s*L?\d+|\bL\d{3,5}\b|\bl[íi]neas?\s+L?\d{2,}|\(\s*L\d{2,5}\s*[,)]", re.IGNORECASE),
    "ruta de datos": re.compile(r"(?<![\w/.])(?:data|book|notebooks|src|_static|_build|ediciones)/[\w.-]"),
    "nombre de archivo": re.compile(r"\b[\w-]+\.(?:csv|json|ya?ml|xlsx|py|ipynb|md|bib)\b", re.IGNORECASE),
    "orden de la línea de comandos": re.compile(
        r"\bpnmce\s+(?:build|plantilla|importar|validate|diff)\b|\bmake\s+(?:book|pdf|test|validate)\b"
        r"|(?<![\w-])--(?:responsable|edicion|todas|pdf|salida|trabajos|reemplazar|formato)\b"),
}


def maintainer_text(html: str) -> list[tuple[str, str]]:
    """(kind, text) for each place of a page's main content that only a maintainer should read."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("article") or soup.body or soup
    for hidden in main.find_all(["script", "style", "template"]):
        hidden.decompose()
    found = [("código o nombre de columna", code.get_text()) for code in main.select("code.literal")]
    text = main.get_text(" ")
    for kind, pattern in PATTERNS.items():
        found += [(kind, m.group(0)) for m in pattern.finditer(text)]
    return found


@pytest.mark.parametrize("snippet", [
    "<article><p>Tabla 26 [L4977-4994]</p></article>",
    "<article><p>líneas L268-L275 del documento convertido</p></article>",
    "<article><p>Nombre oficial (L249, L2712).</p></article>",
    "<article><p>la ficha técnica de L6803 da el nombre correcto</p></article>",
    "<article><p>Se agregan a data/catalogo/metas.csv</p></article>",
    "<article><p>Descargue control-calidad.csv</p></article>",
    "<article><p>con <code class=\"docutils literal notranslate\"><span>fuente</span></code></p></article>",
    "<article><p>Cada unidad usa pnmce plantilla AÑO --responsable SIGLA</p></article>",
])
def test_maintainer_text_is_found(snippet):
    assert maintainer_text(snippet)


def test_reader_citations_pass():
    page = ("<article><p>Lineamientos L1.2 y L3.3; Tabla 26 de la política; 7.5.2, ficha técnica S1.1.1-cob2. "
            "Fuente: SUNAT. <a href=\"../_static/datos/series.csv\" download>Descargar (CSV)</a>. "
            "Véase https://www.gob.pe/institucion/mincetur/normas-legales.</p></article>"
            "<script>var f = 'data/x.csv';</script><footer><code>9e530b2ffd40</code></footer>")
    assert maintainer_text(page) == []


def _reader_pages(html_dir: Path, chapters_2_3: bool) -> dict[str, list]:
    out = {}
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir).as_posix()
        if rel.startswith(("_static/", "_sources/", "_images/")) or rel in (MAINTAINERS_ANNEX, *THEME_PAGES):
            continue
        if rel.startswith(DIAGNOSIS) != chapters_2_3:
            continue
        found = maintainer_text(path.read_text(encoding="utf-8"))
        if found:
            out[rel] = found[:5]
    return out


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_no_reader_page_shows_maintainer_text(built):
    project, _ = built
    assert (project.html / MAINTAINERS_ANNEX).is_file()
    assert _reader_pages(project.html, chapters_2_3=False) == {}


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_no_diagnosis_page_shows_maintainer_text(built):
    """Chapters 2-3 (built from the diagnosis templates): the same rule as every other reader page."""
    project, _ = built
    assert _reader_pages(project.html, chapters_2_3=True) == {}


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_the_maintainers_annex_has_what_left_the_reader_pages(built):
    project, _ = built
    annex = (project.html / MAINTAINERS_ANNEX).read_text(encoding="utf-8")
    kinds = {kind for kind, _ in maintainer_text(annex)}
    assert {"línea del documento convertido", "ruta de datos", "orden de la línea de comandos"} <= kinds
    text = " ".join(BeautifulSoup(annex, "html.parser").get_text(" ").split())
    assert "pnmce plantilla AÑO --responsable SIGLA" in text and "QC01" in text
    assert "data/catalogo/metas.csv" in text  # the recipe for a sheet without targets, moved here


@pytest.mark.parametrize(("procedencia", "cited"), [
    ("Tabla 26; Tabla 27; 7.5.1 ficha técnica OP1.1 [L4977-4994]", "Tabla 26; Tabla 27; 7.5.1 ficha técnica OP1.1"),
    ("7.5.2, ficha técnica S1.1.1-cob2 [L5199-5215]; 4.3.1, ficha del servicio S1.1.1 [L3175]",
     "7.5.2, ficha técnica S1.1.1-cob2; 4.3.1, ficha del servicio S1.1.1"),
    ("Ilustración 3, líneas L268-L275 del documento convertido", "Ilustración 3"),
    ("Nombre oficial, el que usa el cuerpo (L249, L2712).", "Nombre oficial, el que usa el cuerpo."),
    ("impreso en la fila siguiente (L4818, fila corrida)", "impreso en la fila siguiente (fila corrida)"),
    ("Lineamiento L1.2, Tabla 35", "Lineamiento L1.2, Tabla 35"),
    ("Errata; la ficha técnica de L6803 da el nombre correcto.", "Errata; la ficha técnica da el nombre correcto."),
    ("el cuerpo usa el nombre en español en L646.", "el cuerpo usa el nombre en español."),
])
def test_reader_source_cites_without_line_numbers(procedencia, cited):
    from pnmce.present.citation import reader_source

    assert reader_source(procedencia) == cited
    assert not maintainer_text(f"<article><p>{reader_source(procedencia)}</p></article>")
