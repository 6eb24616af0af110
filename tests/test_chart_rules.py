"""The chart rules (`pnmce.present.charts`): each rule caught on a chart that breaks it, kept by the
charts the book draws, and followed by every chart of the built book."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest

from pnmce.present import charts
from pnmce.present.charts import OfflineChart, observation_chart, problems
from tests.books import CHROMIUM, chart_specs

SOURCE = "Fuente: datos de prueba de tests/test_chart_rules.py"


def _obs(rows, unit):
    """Long frame as `pnmce.present.diagnosis.chart_frame` gives it (test data, not the policy's)."""
    frame = pd.DataFrame(rows, columns=["entidad", "periodo", "variable", "valor"])
    return frame.assign(unidad=unit, etiqueta=[str(v) for v in frame["valor"]])


def _layers(spec):
    return [(view, mark) for view, mark, _ in charts._views(spec)]


# --- each rule catches what breaks it --------------------------------------------------------------

def test_a_plain_altair_chart_breaks_the_rules_the_wrapper_does_not_fix():
    data = pd.DataFrame({"a": ["x", "y"], "b": [3, 4]})
    spec = alt.Chart(data).mark_bar().encode(y="a:N", x=alt.X("b:Q", scale=alt.Scale(zero=False))).properties(
        title="Un título", width=500).to_dict(validate=False)
    found = problems({**spec, "description": "Dos barras.."})
    assert "no source line" in found and "a title inside the chart repeats the caption" in found
    assert "double full stop in the description" in found
    assert any("does not start at zero" in p for p in found) and any("fixed width" in p for p in found)


def test_the_wrapper_makes_a_bar_chart_follow_the_rules():
    data = pd.DataFrame({"a": ["x", "y"], "b": [80, 85]})
    chart = alt.Chart(data).mark_bar().encode(y="a:N", x=alt.X("b:Q", scale=alt.Scale(zero=False))).properties(
        title=alt.Title("Dos barras", subtitle=SOURCE), width=500)
    c = OfflineChart(chart, "Dos barras: x 80 e y 85..")
    assert problems(c.spec) == []
    assert c.spec["width"] == "container" and "title" not in c.spec
    assert c.caption == "Dos barras" and c.source == SOURCE + "."
    assert c.description == "Dos barras: x 80 e y 85."
    assert "zero" not in c.spec["encoding"]["x"].get("scale", {})
    html = c._repr_mimebundle_()["text/html"]
    assert '<span class="caption-text">Dos barras</span>' in html and '<p class="pnmce-fuente">' in html


def test_an_ellipsis_is_not_a_double_full_stop():
    assert charts.sentence("y así...") == "y así..." and charts.sentence("al mundo..") == "al mundo."


def test_a_zoomed_line_must_say_so():
    data = pd.DataFrame({"anio": [2020, 2021, 2022], "v": [80, 82, 85]})
    def spec(title):
        return {**alt.Chart(data).mark_line().encode(
            x="anio:Q", y=alt.Y("v:Q", title=title, scale=alt.Scale(zero=False))).to_dict(validate=False),
            "usermeta": {"pnmce": {"fuente": SOURCE, "titulo": "T"}}, "width": "container"}
    assert any("does not start at zero" in p for p in problems(spec("porcentaje")))
    assert problems(spec(f"porcentaje ({charts.ZOOMED})")) == []


def test_ranks_as_bars_or_with_1_at_the_bottom_are_caught():
    data = pd.DataFrame({"pais": ["A", "B"], "puesto": [3, 50]})
    meta = {"usermeta": {"pnmce": {"fuente": SOURCE, "titulo": "T"}}, "width": "container"}
    bars = {**alt.Chart(data).mark_bar().encode(y="pais:N", x="puesto:Q").to_dict(validate=False), **meta}
    assert "ranks drawn as bars" in problems(bars) and "rank 1 not at the top" in problems(bars)
    line = {**alt.Chart(data).mark_line().encode(x="pais:N", y="puesto:Q").to_dict(validate=False), **meta}
    assert "rank axis with 1 at the bottom" in problems(line)


def test_a_line_between_two_distant_years_is_caught():
    data = pd.DataFrame({"anio": [2000, 2024], "v": [6883, 74518]})
    spec = {**alt.Chart(data).mark_line().encode(x="anio:Q", y="v:Q").to_dict(validate=False),
            "usermeta": {"pnmce": {"fuente": SOURCE, "titulo": "T"}}, "width": "container"}
    assert any("2000 and 2024 only" in p for p in problems(spec))


# --- the book's charts keep them -----------------------------------------------------------------

def test_a_series_known_at_its_two_ends_is_drawn_as_labelled_points():
    data = _obs([("Perú", "2000", "Exportaciones", 6883), ("Perú", "2024", "Exportaciones", 74518),
                 ("Chile", "2000", "Exportaciones", 100), ("Chile", "2022", "Exportaciones", 200),
                 ("Chile", "2023", "Exportaciones", 250), ("Chile", "2024", "Exportaciones", 300)], "US$ millones")
    c = observation_chart(data, "lineas", "Exportaciones 2000-2024 (Ilustración 1 de la política)", SOURCE, "d")
    assert problems(c.spec) == []
    marks = [m for _, m in _layers(c.spec)]
    assert marks.count("line") == 1 and "point" in marks and "text" in marks
    line = next(v for v, m in _layers(c.spec) if m == "line")
    # a line joins consecutive years only: Chile 2022-2024, not Chile 2000, not Peru
    assert sorted((r["serie"], r["anio"]) for r in c.spec["datasets"][line["data"]["name"]]) == [
        ("Chile", 2022), ("Chile", 2023), ("Chile", 2024)]
    assert line["encoding"]["detail"]["field"] == "tramo"


def test_ranks_have_1_at_the_top_and_are_never_bars():
    bars = _obs([("Chile", "2016", "Puesto", 21), ("Perú", "2016", "Puesto", 54), ("Brasil", "2016", "Puesto", 110)], "puesto")
    c = observation_chart(bars, "barras", "Ranking 2016", SOURCE, "d")
    assert problems(c.spec) == [] and "bar" not in [m for _, m in _layers(c.spec)]
    line = _obs([("Perú", "2007", "Puesto", 59), ("Perú", "2018", "Puesto", 83), ("Perú", "2023", "Puesto", 61)], "puesto")
    c = observation_chart(line, "lineas", "Ranking del LPI", SOURCE, "d")
    assert problems(c.spec) == []
    assert all(e.get("y", {}).get("scale", {}).get("reverse") for _, _, e in charts._views(c.spec))


def test_counts_of_different_things_get_a_panel_each():
    data = _obs([("Exportadoras", "2024", "Empresas", 9700), ("Importadoras", "2024", "Empresas", 40798),
                 ("Destinos", "2024", "Mercados", 177), ("Orígenes", "2024", "Mercados", 214)], "número")
    c = observation_chart(data, "barras", "Mercados y empresas", SOURCE, "d")
    assert problems(c.spec) == []
    assert len(c.spec["vconcat"]) == 2
    titles = [v["encoding"]["x"]["title"] for v, m, _ in charts._views(c.spec) if m == "bar"]
    assert titles == ["Número de empresas", "Número de mercados"]


def test_title_axis_and_data_agree_on_the_unit():
    data = _obs([("Promedio", "2022", "Tiempo", 1328), ("Gran empresa", "2022", "Tiempo", 882)], "minutos")
    c = observation_chart(data, "barras", "Tiempos de transporte en horas", SOURCE, "d")
    assert problems(c.spec) == []
    x = next(e["x"] for _, m, e in charts._views(c.spec) if m == "bar")
    assert x["title"] == "horas"
    values = next(iter(c.spec["datasets"].values()))
    assert [round(r["valor"], 2) for r in values] == [22.13, 14.7]


def test_an_indicator_chart_names_the_sheet_and_the_reporting_unit():
    data = charts.series_frame(pd.DataFrame({"tipo": ["linea_base", "logro_esperado", "logro_esperado"],
                                             "anio": [2024, 2026, 2027], "valor": [80.0, 84.0, 85.0]}))
    c = charts.indicator_chart("OP9.9", "Indicador de prueba al mundo.", "%", data, 2024,
                               responsible="Dirección General de Prueba (DGP) del Ministerio de Comercio Exterior y Turismo")
    assert problems(c.spec) == []
    assert c.source == "Fuente: ficha técnica del indicador OP9.9, PNMCE. Unidad que reporta: DGP (MINCETUR)."
    assert ".." not in c.description and c.caption.startswith("OP9.9: Indicador de prueba al mundo. ")
    assert all("zero" not in e["y"].get("scale", {}) for _, m, e in charts._views(c.spec) if m == "line")


def test_the_pdf_draws_a_container_chart_at_a_fixed_width():
    from pnmce.book.pdf import chart_svg

    data = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    c = OfflineChart(alt.Chart(data).mark_bar().encode(y="a:N", x="b:Q"), "d", caption="T", source=SOURCE)
    assert charts.drawn_at(c.spec, charts.PRINT_WIDTH)["width"] == charts.PRINT_WIDTH and c.spec["width"] == "container"
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', chart_svg(c.spec).decode()).group(1))
    assert charts.PRINT_WIDTH <= width < charts.PRINT_WIDTH + 50


# --- every chart of the built book -----------------------------------------------------------------

@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_every_chart_of_the_book_follows_the_rules(built):
    project, _ = built
    specs = chart_specs(project.html)
    assert len(specs) > 100
    broken = {f"{page.relative_to(project.html)}: {spec['usermeta']['pnmce']['titulo']}": found
              for page, spec in specs if (found := problems(spec))}
    assert broken == {}


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_every_figure_has_one_caption_and_a_source_line(built):
    project, _ = built
    figures = [f for page in sorted(project.html.rglob("*.html"))
               for f in re.findall(r'<figure class="pnmce-chart".*?</figure>', page.read_text(encoding="utf-8"), re.S)]
    assert len(figures) > 100
    for figure in figures:
        caption = re.search(r'caption-number">Figura \d+(?:\.\d+)*\. </span><span class="caption-text">([^<]+)</span>', figure)
        assert caption, figure[:300]
        assert not re.match(r"Ilustración \d+\.", caption.group(1)), caption.group(1)  # the policy's number once, at the end
        assert re.search(r'<p class="pnmce-fuente">Fuente: [^<]+</p>', figure), caption.group(1)


PHONE_PAGES = ("cap2/comercio-de-bienes", "cap3/3-2-2-cd2", "cap5/reporte/op1",
               "cap7/7-2-analisis-de-escenarios", "indicadores/OP1.1")


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.xdist_group("build")
@pytest.mark.parametrize("width", [390, 1366])
def test_charts_follow_their_container_on_a_phone_and_a_desktop(built, width):
    """In Chromium: every chart's drawing loads, the phone's on a phone and the wide one on a desktop,
    and none is wider than its figure or the screen; the indicator sheet fits a phone."""

    from playwright.sync_api import sync_playwright

    project, _ = built
    measure = """() => Promise.all([...document.querySelectorAll('figure.pnmce-chart picture img')].map(img => {
        img.loading = 'eager';
        return img.decode().then(() => {
            const s = img.getBoundingClientRect();
            return {right: s.right, width: s.width, loaded: img.naturalWidth > 0, src: img.currentSrc,
                    phone: img.parentElement.querySelector('source') !== null,
                    figure: img.closest('figure').getBoundingClientRect().width};
        });}))"""
    too_wide, wrong, drawn = [], [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name in PHONE_PAGES:
            page.goto((project.html / "generado" / f"{name}.html").resolve().as_uri())
            screen = page.evaluate("() => document.documentElement.clientWidth")
            for chart in page.evaluate(measure):
                drawn += 1
                if chart["right"] > screen + 0.5 or chart["width"] > chart["figure"] + 0.5:
                    too_wide.append((name, chart))
                if not chart["loaded"] or (chart["phone"] and chart["src"].endswith("-movil.svg") != (width < 640)):
                    wrong.append((name, chart))
            if name.startswith("indicadores/"):
                sheet = page.locator('table[id^="tabla-ficha-"]')
                assert sheet.evaluate("t => t.getBoundingClientRect().right") <= screen + 0.5, name
        browser.close()
    assert wrong == []
    assert drawn >= 15 and too_wide == []
