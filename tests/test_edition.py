"""A monitoring edition end to end, from a test fixture of obtained values (invented, not the policy's):
`pnmce plantilla 2026` → fill → `pnmce importar` → build edition 2026 → report and digest."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import stat
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

from pnmce.book.build import build
from pnmce.execute.executor import LocalExecutor
from tests.books import CHROMIUM, _fill_template, _html, pnmce
from tests.conftest import FIXTURES
from tests.test_engine import printed_text

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("edicion")]

def _digest(project, year):
    with open(project.editions / str(year) / "resumen.csv", encoding="utf-8") as f:
        return {r["indicador"]: r for r in csv.DictReader(f)}


def test_import_stored_the_filled_values(edition_2026):
    project, _, message = edition_2026
    assert "Se guardaron 7 fila(s) de 2026" in message and "se guardan 1 por su análisis" in message
    with open(project.data / "observado" / "2026.csv", encoding="utf-8") as f:
        rows = {r["indicador"]: r for r in csv.DictReader(f)}
    assert rows["OP2.1"]["valor"] == "1.5" and rows["S5.4.1-cal"]["denominador"] == "106"


def test_digest_matches_hand_computed_values(edition_2026):
    project, result, _ = edition_2026
    assert result.edition == 2026
    d = _digest(project, 2026)
    assert len(d) == 92
    # (indicator, expected 2026 from metas.csv, obtained, hand-computed progress, status)
    cases = [
        ("OP1.1", 24853, 24000, 24000 / 24853 * 100, "verde"),       # ascending
        ("OP2.1", 1.638, 1.5, 1.5 / 1.638 * 100, "verde"),           # ascending index, decimal comma in the file
        ("S1.1.1-cal", 70, 80, 80 / 70 * 100, "verde"),              # above target: capped at 100 for the status
        ("S2.1.3-cal", 21, 25, 21 / 25 * 100, "amarillo"),           # descending (hours)
        ("S4.2.1-cal", 50, 40, 40 / 50 * 100, "amarillo"),           # «No definido», target rising 0 → 50
        ("S5.4.1-cal", 95, 50, 50 / 95 * 100, "rojo"),               # ascending, low
    ]
    for ident, expected, obtained, progress, status in cases:
        row = d[ident]
        assert float(row["valor_esperado"]) == pytest.approx(expected), ident
        assert float(row["valor_obtenido"]) == pytest.approx(obtained), ident
        assert float(row["avance"]) == pytest.approx(progress, rel=1e-12), ident
        assert row["semaforo"] == status, ident
    assert "avance" in d["S5.4.1-cal"]["alertas"].lower()
    assert d["OP3.1"]["semaforo"] == "sin dato" and d["OP3.1"]["alertas"]  # not reported: alerted
    assert d["S2.1.1-cal"]["semaforo"] == "sin meta"


def test_digest_is_sorted_and_stable(edition_2026):
    project, _, _ = edition_2026
    text = (project.editions / "2026" / "resumen.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "indicador,anio,valor_esperado,valor_obtenido,avance,avance_tope,semaforo,alertas"
    assert [line.split(",")[0] for line in lines[1:]] == sorted(line.split(",")[0] for line in lines[1:])
    assert "\r" not in text


def test_report_page_shows_the_edition(edition_2026):
    project, _, _ = edition_2026
    html = (_html(project) / "generado" / "cap5" / "reporte-seguimiento.html").read_text()
    assert "Reporte de seguimiento 2026" in html
    assert "seguimiento-2026.csv" in html
    expected_index = (100 + 84 + 80 + 50 / 95 * 100) / 4  # service indicators with a progress, capped
    assert f"{expected_index:.3f}".rstrip("0").replace(".", ",") in html.replace("\u00a0", " ")
    assert html.count('class="pnmce-grafico"') == 2  # status counts and the index over the years
    for op in ("op1", "op2", "op4", "op5"):  # one chart per objective, on its own page
        page = (_html(project) / "generado" / "cap5" / "reporte" / f"{op}.html").read_text()
        assert page.count('class="pnmce-grafico"') == 1, op
    op3 = (_html(project) / "generado" / "cap5" / "reporte" / "op3.html").read_text()  # OP3.1 not reported
    assert 'class="pnmce-grafico"' not in op3 and "Ningún indicador de OP3 tiene avance en 2026" in op3


def test_indicator_page_shows_obtained_value_and_status(edition_2026):
    project, _, _ = edition_2026
    html = (_html(project) / "generado" / "indicadores" / "S5.4.1-cal.html").read_text()
    assert "Edición 2026." in html and "rojo" in html


def test_a_name_with_markup_is_escaped(edition_2026):
    project, _, _ = edition_2026
    for page in ("generado/indicadores/OP1.1.html", "generado/cap7/7-5-fichas-tecnicas.html"):
        html = (_html(project) / page).read_text()
        assert "&lt;script&gt;alert" in html, page
        assert '<script>alert("x")' not in html, page


def test_a_year_without_targets_still_builds(tmp_path):
    from pnmce.data.package import read_catalogue
    from pnmce.edition.record import edition_table

    root = Path(__file__).resolve().parents[1]
    cat = read_catalogue(root / "data")
    table = edition_table(cat, root / "data", tmp_path, 2025)
    no_target = table[table["semaforo"] == "sin meta"]
    assert len(no_target) >= 88 and (no_target["nota"] == "sin logro esperado para el año").all()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def _report(project, name):
    return (_html(project) / "generado" / "cap5" / "reporte" / f"{name}.html").read_text()


def test_report_2026_objective_pages_analysis_and_standards(edition_2026):
    project, _, _ = edition_2026
    html = _report(project, "op1")
    text = _text(html)
    assert "114,286 % (tope 100 %)" in text                        # S1.1.1-cal: 80 / 70
    assert 'aria-hidden="true">●</span>' in html and "● verde" in text
    assert "Estándar de calidad del servicio (ficha 4.3.1): Oportunidad" in text
    assert "DGIECE, DGNCI" in text and "OP3.1" not in text          # only OP1's indicators
    text3 = _text(_report(project, "op3"))
    assert "Factores que dificultaron: Encuesta ficticia retrasada" in text3   # OP3.1, no value, analysis kept
    summary = (_html(project) / "generado" / "cap5" / "reporte-seguimiento.html").read_text()
    assert "reporte-seguimiento-2026.xlsx" in summary
    assert (project.static / "datos" / "reporte-seguimiento-2026.xlsx").is_file()
    assert "Valor no reportado" in _text(_report(project, "conclusiones"))


def test_report_2026_conclusions_recommendations_and_annex(edition_2026):
    """Conclusions with numbers from the data, the planning office's text, the annex in three formats."""
    project, _, _ = edition_2026
    d = _digest(project, 2026)
    text = _text(_report(project, "conclusiones"))
    assert "Conclusiones" in text and "Mayores brechas" in text
    gap = 100 - 50 / 95 * 100                                        # S5.4.1-cal, the largest
    assert "S5.4.1-cal (" + f"{gap:.1f} puntos".replace(".", ",") in text
    lacking = sum(1 for r in d.values() if r["avance"] == "" and r["semaforo"] != "sin meta")
    assert f"Sin avance calculable en 2026: {lacking} indicadores" in text
    assert "Recomendaciones" in text and "Recomendación ficticia uno" in text and "fixture" in text
    status = _text((_html(project) / "generado" / "cap5" / "estado-reporte.html").read_text())
    assert "Recomendaciones de la oficina de planeamiento: recibidas" in status
    assert "pnmce " not in status and "--responsable" not in status   # no command line for readers
    annex = _report(project, "anexo")
    assert "2026 esperado" in _text(annex) and "anexo-seguimiento-2026.xlsx" in annex
    # the sentence on the annex's downloads is for the web page: the PDF prints the table without it
    printed = printed_text(annex)
    assert "Los archivos Excel y CSV traen todos los años." in _text(annex) and "Los archivos Excel" not in printed
    assert "2026 esperado" in printed and "unidad responsable por sigla" in printed
    for suffix in ("csv", "xlsx"):
        assert (project.static / "datos" / f"anexo-seguimiento-2026.{suffix}").is_file()
    with open(project.static / "datos" / "anexo-seguimiento-2026.csv", encoding="utf-8") as f:
        rows = {r["codigo"]: r for r in csv.DictReader(f)}
    assert len(rows) == 92 and float(rows["OP1.1"]["obtenido_2026"]) == 24000


def test_report_pages_stay_light(edition_2026):
    """Each page of the report chapter under ~1 500 elements (phones, screen readers)."""
    from bs4 import BeautifulSoup

    project, _, _ = edition_2026
    folder = _html(project) / "generado" / "cap5"
    pages = [folder / "reporte-seguimiento.html", folder / "estado-reporte.html", *sorted((folder / "reporte").glob("*.html"))]
    assert len(pages) == 9
    for page in pages:
        assert len(BeautifulSoup(page.read_text(), "html.parser").find_all(True)) < 1500, page.name


def test_indicator_sheet_2026_has_the_multi_year_table(edition_2026):
    project, _, _ = edition_2026
    text = _text((_html(project) / "generado" / "indicadores" / "S1.1.1-cal.html").read_text())
    assert "Seguimiento de S1.1.1-cal hasta 2026" in text
    assert "2025 Seguimiento ND ND ND ND ● sin meta" in text
    assert "2026 Seguimiento 70 % 80 % 114,286 % 100 % ● verde" in text
    assert "Estándar de calidad del servicio" in text


def test_report_status_page_2026(edition_2026):
    project, _, _ = edition_2026
    text = _text((_html(project) / "generado" / "cap5" / "estado-reporte.html").read_text())
    assert "Estado del reporte 2026" in text and "sin reporte" in text and "parcial" in text


def test_2026_is_not_an_evaluation_year(edition_2026):
    project, _, _ = edition_2026
    text = _text((_html(project) / "generado" / "cap5" / "informe-evaluacion.html").read_text())
    assert "La edición 2026 no es año de evaluación" in text and "la primera corresponde a 2027" in text
    assert "Hallazgos y recomendaciones" not in text   # no empty section


# ---------------------------------------------------------------- two editions, switcher, PDF (issue 9)
# The 2024 edition is built after 2026 in the same copy (notebooks that do not depend on the year are
# reused); these tests live here so that they share this module's `edition_2026` build.



def _tree(root):
    """Every file's bytes, reading a published `html` link as its content (the `.html-N` folder it
    points to is named by the build count, which is not content)."""
    files = {}
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".html-"))
        for name in names:
            path = Path(folder) / name
            files[str(path.relative_to(root))] = path.read_bytes()
    return dict(sorted(files.items()))


@pytest.fixture(scope="session")
def two_editions(edition_2026):
    project, _, _ = edition_2026
    editions = project.build / "ediciones"
    before_2026 = _tree(editions / "2026")
    latest_html = _tree(project.html)
    result = build(project, 2024, LocalExecutor(workers=2, progress=False))
    return project, result, before_2026, latest_html


def test_building_an_older_edition_keeps_the_other_and_the_latest_book(two_editions):
    project, result, before_2026, latest_html = two_editions
    editions = project.build / "ediciones"
    assert _tree(editions / "2026") == before_2026  # not a byte of the other edition changed
    assert _tree(project.html) == latest_html  # _build/html stays the latest edition (2026)
    assert result.html == editions / "2024" / "html"
    baseline = (editions / "2024" / "html" / "generado" / "cap5" / "reporte-seguimiento.html").read_text()
    assert "Línea base 2024 y metas" in baseline and "Reporte de seguimiento 2024" not in baseline
    assert "window.PNMCE_EDICIONES = " in (editions / "versiones.js").read_text()
    listed = json.loads((editions / "versiones.js").read_text().split("=", 1)[1].rstrip(";\n"))
    assert [e["anio"] for e in listed] == [2024, 2026]
    index = (editions / "index.html").read_text()
    assert '<a href="2026/html/index.html">2026</a>' in index and '<a href="2024/html/index.html">2024</a>' in index
    assert "31 de diciembre de 2026" in index
    info = json.loads((editions / "2026" / "edicion.json").read_text())
    assert info["semaforo"]["rojo"] >= 1 and sum(info["semaforo"].values()) == 92 and not info["linea_base"]
    base = json.loads((editions / "2024" / "edicion.json").read_text())
    assert base["linea_base"] and base["semaforo"] == {}
    row_2024 = index[index.index('<a href="2024/html/index.html">'):].split("</tr>")[0]
    assert "Línea base" in row_2024 and "verde" not in row_2024 and "<td>91</td>" not in row_2024


def test_baseline_edition_has_no_traffic_light_index_or_unit_notes(two_editions):
    """2024: baselines and targets; no avance, semáforo or index; no note shown as a unit's text."""
    project = two_editions[0]
    folder = project.build / "ediciones" / "2024" / "html" / "generado" / "cap5"
    pages = [folder / "reporte-seguimiento.html", *sorted((folder / "reporte").glob("*.html"))]
    for page in pages:
        text = _text(page.read_text())
        assert "● verde" not in text and "Índice de gestión" not in text, page.name
        assert "Edición de línea base: el valor obtenido" not in text, page.name
        assert "Análisis de la unidad responsable" not in text and "tal como se recibió" not in text, page.name
    op1 = _text((folder / "reporte" / "op1.html").read_text())
    assert "23 237 (2024)" in op1 and "Logro esperado 2040" in op1 and "44 633" in op1
    sheet = _text((folder.parent / "indicadores" / "OP1.1.html").read_text())
    assert "Edición de línea base: el valor obtenido" not in sheet


def _dom(url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector("#pnmce-selector-edicion", timeout=15_000)
        options = page.locator("#pnmce-selector-edicion option").all_inner_texts()
        banner = page.locator(".pnmce-aviso-edicion")
        text = banner.inner_text() if banner.count() else None
        browser.close()
    assert errors == []
    return options, text


def test_switchers_list_both_editions_and_the_older_has_the_banner_from_file_urls(two_editions):
    project = two_editions[0]
    editions = project.build / "ediciones"
    page = "generado/cap5/reporte-seguimiento.html"
    options, banner = _dom((editions / "2024" / "html" / page).as_uri())
    assert options == ["2024", "2026 (última)"]
    assert banner == "Esta es la edición 2024. Hay una edición más reciente: edición 2026."
    options, banner = _dom((editions / "2026" / "html" / page).as_uri())
    assert options == ["2024", "2026 (última)"] and banner is None
    options, banner = _dom((project.html / page).as_uri())  # _build/html finds the shared list too
    assert options == ["2024", "2026 (última)"] and banner is None


def test_changes_page_compares_with_the_previous_record(two_editions):
    project = two_editions[0]
    html = (project.build / "ediciones" / "2026" / "html" / "generado" / "cap5" / "cambios-edicion.html").read_text()
    assert "Cambios respecto a la edición anterior" in html
    assert "Comparación de la edición 2026 con la edición 2024" in html
    first = (project.build / "ediciones" / "2024" / "html" / "generado" / "cap5" / "cambios-edicion.html").read_text()
    assert "es la primera registrada" in first


@pytest.fixture(scope="session")
def pdf_2024(two_editions):
    project = two_editions[0]
    result = build(project, 2024, LocalExecutor(workers=2, progress=False), pdf=True)
    return project, result.pdf


def _pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes plus every Flate stream decompressed (object streams hide the catalogue)."""
    parts, view = [data], memoryview(data)
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(view[m.end():]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def _run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_pdf_is_an_a4_book_with_metadata(pdf_2024):
    project, pdf = pdf_2024
    assert pdf == project.build / "ediciones" / "2024" / "pnmce-2040-2024.pdf"
    assert stat.S_IMODE(os.stat(pdf).st_mode) == 0o644
    info = _run("pdfinfo", str(pdf))
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    assert "Title:           Política Nacional Multisectorial de Comercio Exterior al 2040 — edición 2024" in info
    assert "Author:          MINCETUR" in info and "edición 2024" in info.split("Keywords:")[1].splitlines()[0]
    assert "CreationDate:    Tue Dec 31 00:00:00 2024 UTC" in info  # the data cut-off, not the clock
    assert re.search(r"^Tagged:\s+yes$", info, re.M)  # PDF/UA-1: structure tree for screen readers
    index = (project.build / "ediciones" / "index.html").read_text()
    assert '<a href="2024/pnmce-2040-2024.pdf">PDF</a>' in index  # the editions list links it
    objects = _pdf_objects(pdf.read_bytes())
    assert b"/Lang (es)" in objects and b"/Outlines" in objects  # language and bookmarks
    assert objects.count(b"/Parent") > 100  # outline entries (and pages) nested under their parents
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    sizes = _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    assert "841.89 x 595.276 pts" in sizes  # wide matrices on landscape pages


def test_pdf_toc_page_numbers_match_the_chapters(pdf_2024):
    project, pdf = pdf_2024
    toc = yaml.safe_load(project.toc.read_text())
    titles = []
    for chapter in toc["chapters"]:
        page = (project.build / "ediciones" / "2024" / "html" / f"{chapter['file']}.html").read_text()
        titles.append(html.unescape(re.search(r"<h1>(.*?)<a class=\"headerlink\"", page).group(1)).strip())
    pages = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    toc_text = "\n".join(pages[1:12])
    for title in titles:
        listed = re.search(re.escape(title) + r"\s*\.*\s*(\d+)\s*$", toc_text, re.M)
        assert listed, title
        # the first page after the TOC whose top (running header, heading) names the chapter
        start = next(i + 1 for i, text in enumerate(pages) if i > 1 and title in " ".join(text.split())[:400])
        assert int(listed.group(1)) == start, title


def test_pdf_has_vector_charts_and_embedded_fonts(pdf_2024):
    project, pdf = pdf_2024
    single = (project.build / ".staging" / "_build" / "singlehtml" / "generado" / "portada.html").read_text()
    text = _run("pdftotext", str(pdf), "-")
    figures = single.count('<figure class="pnmce-chart"')  # the charts and the problem tree
    assert single.count('class="pnmce-grafico"') > 50
    assert len(re.findall(r"^Figura (?:\d+\.)?\d+\. ", text, re.M)) == figures  # numbered per chapter: «Figura 3.1.»
    assert "Árbol de Problemas (Ilustración 17 de la" in text  # the tree, drawn as vector, with its caption
    assert "Línea base y logros esperados" in text  # chart text drawn as vector text, not a screenshot
    assert "Gráfico no disponible" not in text
    assert "Descargar" not in text and "Tablas del reporte: Excel" not in text  # no web-only controls
    assert "Haga clic" not in text  # nor web-only sentences
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    assert "Tabla 1" in text


def test_rebuilding_an_edition_changes_no_byte_of_html_pdf_or_record(pdf_2024):
    project = pdf_2024[0]
    html, record = _tree(project.build / "ediciones" / "2024"), _tree(project.editions / "2024")
    assert "pnmce-2040-2024.pdf" in html
    build(project, 2024, LocalExecutor(workers=2, progress=False), pdf=True)
    assert _tree(project.build / "ediciones" / "2024") == html
    assert _tree(project.editions / "2024") == record


# ---------------------------------------------------------------- a second edition in the same copy

@pytest.fixture(scope="session")
def edition_2027(edition_2026):
    project, _, _ = edition_2026
    shutil.copy2(FIXTURES / "evaluacion" / "hallazgos-ficticios.csv", project.data / "evaluacion" / "hallazgos.csv")
    made = pnmce(project, "plantilla", "2027", "--salida", "plantillas")
    assert made.returncode == 0, made.stderr
    with open(FIXTURES / "observado" / "edicion-2027-ficticia.csv", encoding="utf-8") as f:
        values = {r.pop("indicador"): r for r in csv.DictReader(f)}
    filled = _fill_template(project.root / "plantillas" / "plantilla-2027.xlsx", values,
                            project.root / "lleno-2027.xlsx")
    imported = pnmce(project, "importar", str(filled), "--edicion", "2027")
    assert imported.returncode == 0, imported.stderr
    result = build(project, 2027, LocalExecutor(workers=2, progress=False))
    return project, result


def test_report_2027_shows_the_last_years(edition_2027):
    project, result = edition_2027
    assert result.edition == 2027
    text = _text((project.html / "generado" / "cap5" / "reporte-seguimiento.html").read_text())
    assert "Reporte de seguimiento 2027" in text
    annex = _text((project.html / "generado" / "cap5" / "reporte" / "anexo.html").read_text())
    assert "2026 obtenido" in annex and "2027 obtenido" in annex
    assert "Análisis ficticio de 2027" in _text((project.html / "generado" / "cap5" / "reporte" / "op1.html").read_text())
    # no recommendations file for 2027: no section, and the status page says so
    conclusions = _text((project.html / "generado" / "cap5" / "reporte" / "conclusiones.html").read_text())
    assert "Recomendaciones" not in conclusions and "Recomendación ficticia" not in conclusions
    status = _text((project.html / "generado" / "cap5" / "estado-reporte.html").read_text())
    assert "no se recibieron para 2027" in status
    sheet = _text((project.html / "generado" / "indicadores" / "OP1.1.html").read_text())
    assert "2026 Seguimiento 24 853 24 000 96,568 % 96,568 % ● verde" in sheet
    assert f"2027 Seguimiento 25 645 25 000 {25000 / 25645 * 100:.3f}".replace(".", ",") in sheet


def test_edition_2027_carries_the_evaluation_report(edition_2027):
    project, _ = edition_2027
    html = (project.html / "generado" / "cap5" / "informe-evaluacion.html").read_text()
    text = _text(html)
    assert "Informe de evaluación de resultados 2027" in text
    # hand-computed R = observed / required compound annual growth (data/metodo/evaluacion.yml)
    r_op11 = ((25000 / 23237) ** (1 / 3) - 1) / ((44633 / 23237) ** (1 / 16) - 1)
    assert 0 < r_op11 < 0.6   # progreso limitado
    row = text[text.index("OP1.1 23 237 (2024) 25 000 (2027) 44 633 (2040)"):][:200]
    assert f"{r_op11:.2f}".replace(".", ",") in row and "progreso limitado" in row
    row = text[text.index("S5.4.1-cal 95 % (2024) 50 % (2026) 95 % (2040)"):][:200]
    assert "deterioro" in row
    assert "Hallazgo ficticio: las exportaciones crecen &lt;b&gt;por debajo&lt;/b&gt;" in html
    assert "Recomendación ficticia general" in text and "Hallazgo de otro año" not in text
    assert "Método de la clasificación del progreso" in text
    assert html.count("<math ") == 3 and "<mfrac>" in html  # typeset offline: MathML, no MathJax script
    assert not re.search(r"<script[^>]*(mathjax|cdn)", html, re.I)
    assert "Statistics Canada" in text and "Open SDG" in text                               # cited sources
    # each indicator's track to 2040 is its sheet's chart, cited by number
    link = re.search(r'<a class="reference internal" href="../indicadores/OP1.1.html#figura-op1-1">'
                     r'<span class="std std-numref">Figura ([\d.]+)</span>', html)
    sheet = (project.html / "generado" / "indicadores" / "OP1.1.html").read_text()
    assert link and re.search(r'id="figura-op1-1".*?caption-number">Figura ' + re.escape(link.group(1)) + r"\. <", sheet, re.S)
