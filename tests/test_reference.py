"""Reference chapters (1 norms, 6 glossary and acronyms, 8 bibliography) and per-chapter numbering,
without building the book (see test_reference_build.py for the built book)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from pybtex.database import parse_file

from pnmce.data.package import read_catalogue
from pnmce.present import findings as qc_findings
from pnmce.present import reference
from tests.conftest import ROOT

BIB = ROOT / "data" / "referencias" / "bibliografia.bib"
# Where the book's text is written: templates, helpers and hand-written pages.
SOURCES = [*(ROOT / "src" / "pnmce").rglob("*.py"), *(ROOT / "notebooks").glob("*.md"), *(ROOT / "book").rglob("*.md")]


@pytest.fixture(scope="module")
def bib():
    return parse_file(str(BIB))


# --- chapter 1 ------------------------------------------------------------------------------------

def test_every_norm_has_a_label_and_a_link(catalogue):
    norms = catalogue.normas
    assert set(norms["ambito"]) == {"nacional", "internacional"}
    for r in norms.itertuples():
        assert r.establece and r.procedencia.startswith("1."), r.id
        assert reference.norm_link(catalogue, r.id).endswith(f"<norma-{r.id}>`")
    text = "\n".join(reference.norm_sections(catalogue, a).text for a in ("nacional", "internacional"))
    labels = re.findall(r"^\((norma-[^)]+)\)=$", text, re.M)
    assert sorted(labels) == sorted(f"norma-{i}" for i in norms["id"])


def test_unknown_norm_is_an_error(catalogue):
    with pytest.raises(KeyError):
        reference.norm_link(catalogue, "ley-que-no-existe")


# --- chapter 6 ------------------------------------------------------------------------------------

def test_wrong_expansions_are_corrected_and_reported(project, catalogue):
    a = reference.acronyms(catalogue).set_index("sigla")
    assert a.at["OMC", "significado"] == "Organización Mundial del Comercio"
    assert a.at["OMC", "origen"] == "Lista 6.2, corregida"
    assert a.at["SBC", "origen"] == "Añadida"
    assert a.index.is_unique  # COMEXPERU, listed twice in 6.2, appears once
    published = read_catalogue(project.data, corrections=False)
    assert published.acronimos.set_index("procedencia").at["6.2 Acrónimos [L4169]", "significado"] == "Organismo Mundial de Comercio"
    found = qc_findings.findings(published)
    fixed = found[(found["codigo"] == "QC14") & (found["entidad"] == "sigla")]
    assert set(fixed["id"]) == {c.split("|")[0] for c in catalogue.correcciones.query("recurso == 'acronimos'")["clave"]}
    assert fixed["detalle"].str.contains("Organismo Mundial de Comercio").any()


def test_added_acronyms_are_not_already_in_the_list(catalogue):
    assert not set(catalogue.acronimos_adicionales["sigla"]) & set(catalogue.acronimos["sigla"])


def test_glossary_is_a_sphinx_glossary_of_the_published_terms(catalogue):
    text = reference.glossary(catalogue).text
    assert text.startswith("```{glossary}")
    for term in catalogue.glosario["termino"]:
        assert f"\n{term}\n  " in text


def test_link_terms_links_first_occurrence_outside_markup(catalogue):
    text = "Las exportaciones crecen. Exportaciones otra vez. [exportaciones](/x.ipynb) y `logística`."
    out = reference.link_terms(catalogue, text)
    assert out.count("{term}`exportaciones <Exportaciones>`") == 1
    assert "[exportaciones](/x.ipynb)" in out and "`logística`" in out and "{term}`logística" not in out
    assert reference.link_terms(catalogue, out) == out  # idempotent
    # the longer term wins over the shorter one it contains
    out = reference.link_terms(catalogue, "el costo logístico y la logística")
    assert "{term}`costo logístico <Costo Logístico>`" in out and "{term}`logística <Logística>`" in out


# --- chapter 8 ------------------------------------------------------------------------------------

def _cited_keys() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    role = re.compile(r"\{cite:[pt]\}`([A-Za-z0-9_-]+(?:,[A-Za-z0-9_-]+)*)`")
    call = re.compile(r"\bcite(?:_t)?\(((?:\s*\"[^\"]+\"\s*,?)+)\)")
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found = [k for m in role.finditer(text) for k in m.group(1).split(",")]
        found += [k for m in call.finditer(text) for k in re.findall(r"\"([^\"]+)\"", m.group(1))]
        for k in found:
            if "{" not in k:  # the helpers' own f-strings
                keys.setdefault(k.strip(), set()).add(str(path.relative_to(ROOT)))
    return keys


def test_every_citation_key_resolves(bib, catalogue):
    cited = _cited_keys()
    for term, keys in zip(catalogue.glosario["termino"], catalogue.glosario["citas"]):
        for k in filter(None, (k.strip() for k in keys.split(";"))):
            cited.setdefault(k, set()).add(f"glosario.csv ({term})")
    assert cited, "no page cites the bibliography"
    missing = {k: sorted(v) for k, v in cited.items() if k not in bib.entries}
    assert not missing, f"claves sin entrada en {BIB.name}: {missing}"


def test_bibliography_entries_have_provenance_and_no_duplicates(bib):
    assert len(bib.entries) >= 140
    urls: dict[str, str] = {}
    titles: dict[tuple, str] = {}
    for key, e in bib.entries.items():
        # from the policy (its line in the converted text), or added by this book and saying so
        where = e.fields.get("procedencia", "")
        assert re.search(r"\[L\d+\]", where) or where.startswith("Añadida por este libro"), key
        url = e.fields.get("url")
        if url:
            assert not url.startswith("chrome-extension") and not url.endswith(")") and "\\" not in url, key
            assert url not in urls, f"{key} y {urls.get(url)} comparten dirección"
            urls[url] = key
        who = " ".join(str(p) for p in e.persons.get("author", [])) or e.fields.get("author", "")
        sig = (who.lower(), e.fields["title"].lower())
        assert sig not in titles, f"{key} duplica {titles.get(sig)}"
        titles[sig] = key


def test_recorded_repairs_are_in_the_bibliography(catalogue, bib):
    rep = catalogue.bibliografia_reparaciones
    assert len(rep) > 0
    for r in rep.itertuples():
        assert r.clave in bib.entries, r.clave
        if r.campo == "url" and r.valor_reparado:
            assert bib.entries[r.clave].fields["url"] == r.valor_reparado
    found = qc_findings.findings(read_catalogue(ROOT / "data", corrections=False))
    assert (found["codigo"] == "QC21").sum() == len(rep)


# --- numbering ------------------------------------------------------------------------------------

def _conf() -> str:
    """A tiny Sphinx project's conf.py, numbered as the book is (its `numfig_format` from _config.yml)."""
    import yaml

    formats = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["numfig_format"]
    return f"extensions = ['pnmce.book.numbering']\nnumfig = True\nnumfig_format = {formats!r}\nlanguage = 'es'\n"


def test_tables_are_numbered_per_chapter_with_a_tiny_sphinx_project(tmp_path):
    (tmp_path / "conf.py").write_text(_conf())
    table = ".. table:: {cap}\n   :name: {name}\n\n   ===  ===\n   a    b\n   ===  ===\n"
    (tmp_path / "index.rst").write_text("Portada\n=======\n\n.. toctree::\n\n   intro\n   c1\n   c4\n")
    (tmp_path / "intro.rst").write_text("Introducción\n============\n\n" + table.format(cap="T0", name="t0"))
    (tmp_path / "c1.rst").write_text("1. Uno\n======\n\n" + table.format(cap="A", name="ta")
                                     + "\n.. toctree::\n\n   c1s\n")
    (tmp_path / "c1s.rst").write_text("1.1. Sub\n========\n\n" + table.format(cap="B", name="tb")
                                      + "\nVer :numref:`ta` y :numref:`tc`.\n")
    (tmp_path / "c4.rst").write_text("4. Cuatro\n=========\n\n" + table.format(cap="C", name="tc"))
    out = tmp_path / "_b"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", str(tmp_path), str(out)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    numbers = {p.stem: re.findall(r'caption-number">Tabla ([\d.]+)\. <', p.read_text()) for p in out.glob("*.html")}
    assert numbers["c1"] == ["1.1"] and numbers["c1s"] == ["1.2"] and numbers["c4"] == ["4.1"]
    assert numbers["intro"] == ["1"]  # unnumbered chapter: its own counter, no prefix
    # the caption's number ends with a period; the text cites it without one
    cited = re.findall(r'<span class="std std-numref">([^<]*)</span>', (out / "c1s.html").read_text())
    assert cited == ["Tabla 1.1", "Tabla 4.1"]


def _chart_html(label: str, text: str) -> str:
    import altair as alt
    import pandas as pd

    from pnmce.present.charts import OfflineChart

    chart = OfflineChart(alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q"), text, label)
    markup = chart._repr_mimebundle_()["text/html"]
    return ".. raw:: html\n\n   " + markup.replace("\n", " ") + "\n"


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_charts_are_numbered_per_chapter_and_cited_by_label(tmp_path, builder):
    """Charts (raw HTML, not Sphinx figures) share the chapter's figure counter, in the web book and in
    the single page the PDF is printed from, and `numref` to a chart's label links to it."""
    (tmp_path / "conf.py").write_text(_conf())
    (tmp_path / "index.rst").write_text("Portada\n=======\n\n.. toctree::\n\n   c1\n   c4\n")
    (tmp_path / "c1.rst").write_text("1. Uno\n======\n\n" + _chart_html("figura-a", "Gráfico A")
                                     + "\n.. toctree::\n\n   c1s\n")
    (tmp_path / "c1s.rst").write_text("1.1. Sub\n========\n\n" + _chart_html("figura-b", "Gráfico B")
                                      + "\nVer :numref:`figura-b` y :numref:`Gráfico %s <figura-a>`.\n")
    (tmp_path / "c4.rst").write_text("4. Cuatro\n=========\n\n" + _chart_html("figura-c", "Gráfico C")
                                     + "\nComo en :numref:`figura-b`.\n")
    out = tmp_path / "_b"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", builder, str(tmp_path), str(out)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    pages = {p.stem: p.read_text() for p in out.glob("*.html")}
    caption = r'<figure class="pnmce-chart" id="{}">.*?caption-number">Figura ([\d.]+)\. <'
    found = {label: re.search(caption.format(label), "".join(pages.values()), re.S).group(1)
             for label in ("figura-a", "figura-b", "figura-c")}
    assert found == {"figura-a": "1.1", "figura-b": "1.2", "figura-c": "4.1"}
    cited = re.findall(r'<a class="reference internal" href="([^"]*)"><span class="std std-numref">([^<]*)</span>',
                       "".join(pages.values()))
    here, there = ("index.html#figura-b",) * 2 if builder == "singlehtml" else ("#figura-b", "c1s.html#figura-b")
    assert (here, "Figura 1.2") in cited and (there, "Figura 1.2") in cited
    assert any(href.endswith("#figura-a") and text == "Gráfico 1.1" for href, text in cited)


def test_an_unknown_chart_label_fails_the_build(tmp_path):
    (tmp_path / "conf.py").write_text("extensions = ['pnmce.book.numbering']\nnumfig = True\n")
    (tmp_path / "index.rst").write_text("1. Uno\n======\n\n" + _chart_html("figura-a", "A") + "\n:numref:`figura-z`\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", str(tmp_path), str(tmp_path / "_b")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "figura-z" in proc.stderr
