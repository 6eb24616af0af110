"""Diagnosis data (chapters 2-3, 7.2): validation, published values, pages, text and charts from data."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from pnmce.data.package import Catalogue, read_catalogue
from pnmce.data.validate import validate_catalogue
from pnmce.present import charts
from pnmce.present import diagnosis as dx
from pnmce.present import diagnosis_text as dt
from pnmce.present import findings as qc_findings
from pnmce.present.tables import Markdown
from tests.conftest import FIXTURES

RESOURCES = ("diagnostico_fuentes", "diagnostico_observaciones", "escenarios", "escenarios_factores")


def with_table(cat: Catalogue, name: str, frame: pd.DataFrame) -> Catalogue:
    return Catalogue({**cat.tables, name: frame}, cat.digest, cat.descriptor)


def changed(cat: Catalogue, fuente, entidad, periodo, variable, valor) -> Catalogue:
    obs = cat.diagnostico_observaciones.copy()
    mask = ((obs["fuente"] == fuente) & (obs["entidad"] == entidad) & (obs["periodo"] == periodo)
            & (obs["variable"] == variable))
    assert mask.sum() == 1
    obs.loc[mask, "valor"] = valor
    obs.loc[mask, "valor_texto"] = ""
    return with_table(cat, "diagnostico_observaciones", obs)


def spec_values(chart) -> list[float]:
    return [row["valor"] for ds in chart.spec["datasets"].values() for row in ds if "valor" in row]


# --- the data -----------------------------------------------------------------------------------

def test_diagnosis_resources_are_declared_and_valid(project, catalogue):
    names = {r["name"] for r in json.loads((project.data / "datapackage.json").read_text())["resources"]}
    assert set(RESOURCES) <= names
    problems = [p for p in validate_catalogue(project.data) if "diagnostico" in p.file]
    assert problems == []
    assert len(catalogue.diagnostico_observaciones) > 1000
    # every numeric table of chapters 2-3 the issue lists is there, with its observations
    tables = set(catalogue.diagnostico_fuentes.query("tipo == 'tabla'")["numero"].astype(int))
    assert tables == {1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
    assert set(catalogue.diagnostico_observaciones["fuente"]) >= {f"T{n:02d}" for n in tables}


def test_a_bad_row_is_reported_in_spanish_with_file_row_and_column(data_copy):
    path = data_copy.data / "diagnostico" / "observaciones.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[6] = "muchos"  # valor
    lines[4] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_catalogue(data_copy.data)
    assert any(p.file == "data/diagnostico/observaciones.csv" and p.row == 5 and p.field == "valor"
               and "número" in p.message for p in problems), problems


PUBLISHED = [  # (source, entity, period, variable, value as printed in the policy, where)
    ("T02", "Total", "2024", "Valor exportado", 74518, "L559, <b> cell with space thousands"),
    ("T02", "Micro", "2024/2023", "Variación del valor", 182.3, "L563"),
    ("T01", "Perú", "2023", "Porcentaje de empresas que exportan directamente (al menos el 10% de las ventas)", 6.3,
     "L540, decimal point"),
    ("T01", "Perú: grandes", "2023", "Días para despachar las importaciones en aduana", 13.3, "L542, 2-row header"),
    ("T07", "Frontera y zona geográfica con tratamiento especial", "2018", "Contrabando estimado", 15, "L1394, source error kept"),
    ("T07", "Tacna", "2018", "Contrabando estimado", 115, "L1395"),
    ("T08", "Viajes", "2024", "Exportación", 3676, "L1529, '- ' sub-row, share column first"),
    ("T09", "Ucayali", "2024", "Agro", 83, "L1646, 14 columns, misaligned unit row"),
    ("T10", "Bienes de mediana y alta tecnología", "2023", "Participación", 26.5, "L1728, second stacked block"),
    ("T11", "P3. ¿La empresa mide y disminuye constantemente sus emisiones de los Gases de Efecto Invernadero (GEI)?", "",
     "Participación en el total", 75.16, "L1922, decimal point with %"),
    ("T12", "Buenas Prácticas de Comercio Justo", "", "Beneficiarios: cooperativas", 30, "L1957, free text parsed"),
    ("T13", "República Dominicana", "2022", "Inversión acumulada", 7160.9, "L2015, '7 160,9'"),
    ("T14", "España", "", "Impuesto sobre la renta (en ZEE)", 25, "L2054, '25%**'"),
    ("T16", "Pago diferido de derechos e impuestos aduaneros al importar materias primas y equipos del extranjero", "",
     "No aplica", 13.6, "L2097, label split across a page break"),
    ("T18", "Arequipa", "2023", "PEA ocupada", 722.4, "L2202, after a footnote inside the table"),
    ("T19", "Gestión Digital", "2023", "Empresas que implementaron la gestión", 57.1, "L2261"),
    ("T20", "Loreto", "2023", "Pilar Empresas", 67.4, "L2294, right panel of a two-panel table"),
    ("IL37", "Amazonas", "2023", "Componente de Infraestructura", 8.5, "L1210, untitled table inside a figure"),
    ("IL70", "Perú", "2024", "Comercio de bienes y servicios", 152, "L2462, unit row under a label row"),
    ("IL71", "Aspiracional", "2040", "Participación en el comercio mundial", 0.34, "L2470, prose"),
    ("IL15", "Perú", "2020", "Exportaciones de bienes", 41694, "L625, prose"),
    ("IL41", "Microempresa", "2022", "Tiempo de transporte", 31 * 60 + 48, "L1302, '31 horas y 48 minutos'"),
]


@pytest.mark.parametrize("fuente,entidad,periodo,variable,expected,where", PUBLISHED, ids=[f"{p[0]}-{p[5][:5]}" for p in PUBLISHED])
def test_published_numbers_equal_the_data(catalogue, fuente, entidad, periodo, variable, expected, where):
    assert dx.value(catalogue, fuente, entidad, periodo, variable) == pytest.approx(expected)


def test_the_agreements_table_has_the_agreements_the_text_counts(catalogue):
    obs = catalogue.diagnostico_observaciones
    rows = obs[(obs["fuente"] == "T05") & (obs["variable"] == "Año de entrada en vigor")]
    assert len(rows) == dx.value(catalogue, "IL18", "Perú", "2024", "Acuerdos comerciales vigentes") == 23
    assert rows["entidad"].iloc[0] == "COMUNIDAD ANDINA" and int(rows["valor"].min()) == 1969
    assert "23 acuerdos" in dt.narrative(catalogue, "CI1.5").text


def test_text_cells_and_marks_are_kept(catalogue):
    obs = catalogue.diagnostico_observaciones.set_index(["fuente", "entidad", "periodo", "variable"])
    assert obs.loc[("T09", "Grandes", "2024", "Exportación / PBI"), "valor_texto"] == "Alto"
    assert "incrementos graduales" in obs.loc[("T14", "Cuba", "", "Impuesto sobre la renta (en ZEE)"), "nota"]
    assert pd.isna(obs.loc[("T14", "Argentina", "", "Dividendos (en ZEE)"), "valor"])  # '-' in the table


def test_scenario_scores_as_published(catalogue):
    f = catalogue.escenarios_factores.set_index("id")
    assert list(f["tipo"].value_counts().sort_index()) == [4, 6, 9]  # oportunidades, riesgos, tendencias
    assert float(f.loc["R3", "valor_a"]) == 3.60 and float(f.loc["R3", "valor_b"]) == 4.62
    assert float(f.loc["O1", "promedio"]) == 4.58 and float(f.loc["T1", "promedio"]) == 4.38


# --- quality control of the source ----------------------------------------------------------------

def test_source_errors_are_reported_not_fixed(project):
    found = qc_findings.findings(read_catalogue(project.data, corrections=False))
    text = " | ".join(found["codigo"] + " " + found["detalle"].str.replace("\u00a0", " "))
    assert "QC16 «Frontera y zona geográfica con tratamiento especial», Contrabando estimado (2018): se publica 15" in text
    assert "QC17 «Perú» (2024): Exportaciones de bienes − Importaciones de bienes = 23 219, pero se publica 23 190" in text
    assert "QC17 «Ucayali» (2024)" in text
    assert re.search(r"QC18 «Perú», Exportaciones de bienes \(2024\).*74 518.*74 431", text)
    assert re.search(r"QC18 «Gestión Digital».*57,1.*58,3", text)
    assert "QC19" not in text  # every published average matches its two scores
    summary = qc_findings.summary(found).set_index("codigo")
    assert summary.loc["QC16", "hallazgos"] == 2


def test_an_average_that_does_not_match_is_reported(catalogue):
    f = catalogue.escenarios_factores.copy()
    f.loc[f["id"] == "T2", "promedio"] = 4.5
    found = qc_findings.findings(with_table(catalogue, "escenarios_factores", f))
    assert list(found.loc[found["codigo"] == "QC19", "id"]) == ["T2"]


# --- text and charts from data --------------------------------------------------------------------

def test_sentences_print_the_numbers_as_the_policy_does(catalogue):
    text = dt.narrative(catalogue, "2-bienes").text.replace("\u00a0", " ").replace("\\", "")
    assert "US$ 74 518 millones en 2024" in text and "US$ 6 883 millones en 2000" in text and "63 %" in text
    assert "el 6,3 % exportaba directamente" in dt.narrative(catalogue, "3.1").text.replace("\u00a0", " ").replace("\\", "")
    futuro = dt.narrative(catalogue, "3.3").text.replace("\u00a0", " ").replace("\\", "")
    assert "0,30 %" in futuro and "0,34 %" in futuro and "0,27 %" in futuro


def test_changing_one_value_changes_the_sentence_and_the_chart(catalogue):
    before_text = dt.narrative(catalogue, "2-bienes").text
    before_chart = dx.figure(catalogue, "IL01")
    cat = changed(catalogue, "IL01", "Perú", "2024", "Exportaciones de bienes", 80000)
    after_text = dt.narrative(cat, "2-bienes").text.replace("\u00a0", " ")
    after_chart = dx.figure(cat, "IL01")
    assert "74 518" in before_text.replace("\u00a0", " ") and "80 000" in after_text and "74 518" not in after_text
    assert 74518 in spec_values(before_chart) and 80000 in spec_values(after_chart) and 74518 not in spec_values(after_chart)
    # the headline indicator of 3.3: sentence and chart
    cat = changed(catalogue, "IL71", "Deseado y factible", "2040", "Participación en el comercio mundial", 0.31)
    assert "0,31 %" in dt.narrative(cat, "3.3").text.replace("\u00a0", " ").replace("\\", "")
    assert 0.31 in spec_values(dx.figure(cat, "IL71"))


def test_a_missing_value_is_an_error_not_a_stale_number(catalogue):
    obs = catalogue.diagnostico_observaciones
    cat = with_table(catalogue, "diagnostico_observaciones", obs[~((obs["fuente"] == "T08") & (obs["periodo"] == "2024"))])
    with pytest.raises(KeyError, match="data/diagnostico/observaciones.csv"):
        dt.narrative(cat, "2-servicios")


def test_tables_are_numbered_captioned_and_keep_the_published_precision(catalogue):
    t = dx.data_table(catalogue, "T01").text
    assert ":name: tabla-diagnostico-t01" in t and "(Tabla 1 de la política)" in t
    assert "8,0" in t and "6,3 \\%" in t.replace("\u00a0", " ")  # '8.0' and '6.3' printed the Peruvian way
    line = dx.source_line(catalogue, "T07").text
    assert "Fuente: SUNAT." in line and "Elaboración: MINCETUR." in line and "Tabla 7 de la PNMCE." in line
    # a reader's source line: no data file, no line numbers of the converted source
    assert "L1388" not in line and "data/" not in line and ".csv" not in line


def list_table(text: str) -> list[list[str]]:
    """The rows of a `list-table` (header first), cells unescaped."""
    body = text.split("\n\n", 1)[1].rsplit("```", 1)[0]
    rows = body.strip().removeprefix("* - ").split("\n* - ")
    rows = [[c.strip().replace("\\", "") for c in r.split("\n  - ")] for r in rows]
    return rows


def test_a_long_series_is_turned_years_as_rows(catalogue):
    """Tabla 10 of the policy (2013-2023, number and share of firms by technology level) printed years
    as columns: 23 columns. Drawn with the years as rows, it keeps every value and fits the page."""
    rows = list_table(dx.data_table(catalogue, "T10").text)
    assert rows[0][0] == "Año (unidad: número, %)"
    assert rows[0][1:] == [f"{v}: {e}" for v in ("Empresas", "Participación") for e in (
        "Bienes primarios", "Bienes basados en recursos naturales", "Bienes de baja tecnología",
        "Bienes de mediana y alta tecnología")]
    assert [r[0] for r in rows[1:]] == [str(y) for y in range(2013, 2024)]
    last = dict(zip(rows[0], rows[-1]))
    assert last["Empresas: Bienes de mediana y alta tecnología"].replace("\u00a0", " ") == "2 216"
    assert last["Participación: Bienes de mediana y alta tecnología"].replace("\u00a0", " ") == "26,5 %"
    assert all(len(r) == 9 for r in rows)
    # a short series keeps its periods as columns (Tabla 7: five years and a growth rate)
    t07 = list_table(dx.data_table(catalogue, "T07").text)
    assert t07[0][0].startswith("Unidad") and len(t07) - 1 == catalogue.diagnostico_observaciones.query(
        "fuente == 'T07'")["entidad"].nunique()
    # no table of chapters 2-3 carries more period columns than the rule allows
    for ident in catalogue.diagnostico_fuentes.query("tipo == 'tabla'")["id"]:
        header = list_table(dx.data_table(catalogue, ident).text)[0]
        years = {m.group(0) for c in header if (m := re.search(r"\b(19|20)\d\d$", c))}
        assert len(years) <= dx.MAX_PERIOD_COLUMNS, ident


def test_placeholder_then_chart_when_the_data_is_added(data_copy):
    cat = read_catalogue(data_copy.data)
    line = dx.figure(cat, "IL19")
    assert isinstance(line, Markdown)
    assert line.text.startswith("*La Ilustración 19 de la política (") and "ITC" in line.text
    assert line.text.endswith("no se reproduce: la política no publica sus datos.*")
    assert "data/" not in line.text and "admonition" not in line.text and "\n" not in line.text
    # what would redraw it is for maintainers, in one table
    notes = dx.missing_figures_table(cat).text
    assert "19 (IL19)" in notes and "data/diagnostico/observaciones.csv" in notes and "`valor`" in notes
    obs_file = data_copy.data / "diagnostico" / "observaciones.csv"
    extra = (FIXTURES / "diagnostico" / "ilustracion-19-ficticia.csv").read_text(encoding="utf-8").splitlines()[1:]
    obs_file.write_text(obs_file.read_text(encoding="utf-8") + "\n".join(extra) + "\n", encoding="utf-8")
    assert [p for p in validate_catalogue(data_copy.data)] == []
    chart = dx.figure(read_catalogue(data_copy.data), "IL19")
    assert isinstance(chart, charts.OfflineChart)
    assert sorted(spec_values(chart)) == [89, 567, 1234]
    assert "Ilustración 19" in chart.description
    assert "19 (IL19)" not in dx.missing_figures_table(read_catalogue(data_copy.data)).text


def test_scenarios_table_and_probability_impact_chart(catalogue):
    t = dx.scenario_table(catalogue, "riesgo").text
    assert "Probabilidad de ocurrencia" in t and "3,60" in t and "E2\\: Cambio climático" in t
    chart = dx.scenario_chart(catalogue, "riesgo")
    points = [r for ds in chart.spec["datasets"].values() for r in ds]
    assert len(points) == 10 and {p["grupo"] for p in points} >= {"E1: Digitalización del comercio exterior"}


# --- the built book -------------------------------------------------------------------------------

PAGES = {  # page → (tables, charts, figures not reproduced, each one line) at least
    "cap2/comercio-de-bienes": (0, 7, 0), "cap2/comercio-de-servicios": (0, 2, 0), "cap2/balanza-comercial": (0, 0, 1),
    "cap3/3-1-problema-publico": (2, 4, 2), "cap3/3-2-modelo-del-problema": (0, 0, 0),
    "cap3/3-3-situacion-futura-deseada": (0, 3, 0),
    "cap3/3-2-1-cd1": (3, 1, 12), "cap3/3-2-2-cd2": (2, 6, 6), "cap3/3-2-3-cd3": (4, 8, 8),
    "cap3/3-2-4-cd4": (7, 2, 1), "cap3/3-2-5-cd5": (3, 0, 0), "cap7/7-2-analisis-de-escenarios": (2, 2, 0),
}


@pytest.mark.build
@pytest.mark.xdist_group("build")  # the worker that holds the session's built book
@pytest.mark.parametrize("page", sorted(PAGES))
def test_diagnosis_pages_build_with_their_tables_and_charts(built, page):
    project, _ = built
    html = (project.html / "generado" / f"{page}.html").read_text(encoding="utf-8")
    tables, charts_, lines = PAGES[page]
    assert html.count("<table") >= tables
    assert html.count('class="pnmce-grafico"') >= charts_
    assert html.count("no se reproduce:") >= lines
    assert "pnmce-placeholder" not in html and "admonition warning" not in html  # no warning boxes
    assert "Traceback" not in html and "Error" not in html


def test_a_diagram_with_a_few_numbers_stays_a_placeholder(catalogue):
    line = dx.figure(catalogue, "IL18")  # the map of trade agreements: two numbers in the text
    assert isinstance(line, Markdown) and "Ilustración 18" in line.text and "esquema o mapa" in line.text
    missing = dx.missing_figures(catalogue).set_index("id")
    assert missing.at["IL18", "valores_en_datos"] == 2 and missing.at["IL18", "estado"] == "diagrama"


def test_alternatives_chart_draws_the_published_scores(catalogue):
    chart = dx.alternatives_chart(catalogue)
    points = {r["id"]: r for ds in chart.spec["datasets"].values() for r in ds}
    assert len(points) == len(catalogue.alternativas_evaluadas)
    assert points["1"]["x"] == 4.55 and points["1"]["y"] == 4.88 and points["1"]["grupo"] == "CD1"


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_the_text_cites_its_tables_and_figures_by_their_numbers(built):
    """Each `(Figura 2.1)` of a diagnosis text links to the chart or table that carries that number."""
    project, _ = built
    pages = {p: p.read_text(encoding="utf-8") for p in (project.html / "generado").glob("cap[23]/*.html")}
    cited = 0
    for path, text in pages.items():
        for href, shown in re.findall(r'<a class="reference internal" href="([^"]*#(?:figura|tabla)-diagnostico-[^"]+)">'
                                      r'<span class="std std-numref">([^<]+)</span>', text):
            cited += 1
            target_page, anchor = href.split("#")
            target = pages[Path(os.path.normpath(path.parent / target_page))] if target_page else text
            kind, number = shown.split(" ")
            caption = re.search(rf'id="{anchor}".*?caption-number">{kind} (\d+(?:\.\d+)*)\. <', target, re.S)
            assert caption and caption.group(1) == number, (path.name, href, shown)
    assert cited >= 25
