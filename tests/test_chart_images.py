"""Charts drawn at build time as SVG files (pnmce.book.chart_images)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pytest

from pnmce.book import chart_images as ci
from pnmce.present.charts import OfflineChart, figure_html, spec_script

DATA = pd.DataFrame({"anio": [2024, 2030, 2040], "valor": [10.0, 20.0, 35.0]})


def _chart(description="Valores «A & B» de 2024 a 2040.") -> OfflineChart:
    return OfflineChart(alt.Chart(DATA).mark_line().encode(x="anio:Q", y="valor:Q"), description,
                        caption="Serie de prueba", source="Fuente: datos de prueba")


def _url(name: str) -> str:
    return f"../{ci.FOLDER}/{name}"


def test_each_spec_becomes_a_picture_with_a_wide_and_a_phone_drawing():
    first, second = _chart(), _chart("Otra serie.")
    body = "<p>antes</p>" + first._repr_mimebundle_()["text/html"] + "<p>entre</p>" + second._repr_mimebundle_()["text/html"]
    drawn, files = ci.draw_page(body, _url)
    assert "<script" not in drawn and drawn.startswith("<p>antes</p>") and "<p>entre</p>" in drawn
    pictures = re.findall(r"<picture.*?</picture>", drawn)
    assert len(pictures) == 2
    assert 'alt="Valores «A &amp; B» de 2024 a 2040."' in pictures[0]
    assert "loading" not in pictures[0] and 'loading="lazy"' in pictures[1]  # the first may be the largest paint
    specs = sorted(n for n in files if n.endswith(ci.SPEC_SUFFIX))
    assert len(specs) == 2 and {json.loads(files[n])["description"] for n in specs} == {first.description, second.description}
    for spec in specs:
        name = spec.removesuffix(ci.SPEC_SUFFIX)
        assert ci.size(files[name + ".svg"])[0] == ci.WIDE and ci.size(files[name + "-movil.svg"])[0] == ci.PHONE
        assert f'srcset="{_url(name + "-movil.svg")}"' in drawn and f'src="{_url(name + ".svg")}"' in drawn
        width, height = ci.size(files[name + ".svg"])
        assert f'width="{width}" height="{height}"' in drawn  # the page reserves the drawing's room


def test_the_same_spec_gives_the_same_files():
    spec = _chart().spec
    assert ci.drawings(spec) == ci.drawings(json.loads(json.dumps(spec)))


def test_a_drawing_the_width_does_not_change_has_no_phone_version():
    panels = alt.hconcat(*[alt.Chart(DATA).mark_bar().encode(x="anio:O", y="valor:Q").properties(width=120)] * 2)
    chart = OfflineChart(panels, "Dos paneles.", caption="Paneles", source="Fuente: datos de prueba")
    drawn, files = ci.draw_page(figure_html(spec_script(chart.spec), "Paneles", "Fuente: prueba."), _url)
    assert not any(n.endswith("-movil.svg") for n in files) and "<source" not in drawn


def test_drawings_no_page_shows_are_removed(tmp_path):
    folder = tmp_path / ci.FOLDER
    _, files = ci.draw_page(_chart()._repr_mimebundle_()["text/html"], _url)
    _, old = ci.draw_page(_chart("Un gráfico que ya no está.")._repr_mimebundle_()["text/html"], _url)
    folder.mkdir()
    for name, content in {**files, **old}.items():
        (folder / name).write_bytes(content)
    shown = next(n for n in files if n.endswith(".svg") and "-movil" not in n)
    (tmp_path / "pagina.html").write_text(f'<img src="{ci.FOLDER}/{shown}">', encoding="utf-8")
    ci._build_finished(SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(name="html")), None)
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_every_chart_of_the_built_book_is_drawn(built):
    project, _ = built
    pages = sorted(project.html.rglob("*.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert not any('<script type="application/json" class="pnmce-grafico"' in t for t in texts)
    linked = {m for t in texts for m in re.findall(rf'{ci.FOLDER}/([0-9a-f]+(?:-movil)?\.svg)', t)}
    on_disk = {p.name for p in (project.html / ci.FOLDER).iterdir()}
    assert len(linked) > 200 and linked <= on_disk
    assert {n.split("-")[0].split(".")[0] for n in on_disk} == {n.split("-")[0].split(".")[0] for n in linked}
    assert all(re.search(r'<img [^>]*alt="[^"]{20,}"', p) for t in texts for p in re.findall(r"<picture.*?</picture>", t))
