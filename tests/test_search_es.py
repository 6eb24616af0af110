"""Search that forgives accents (pnmce.book.search_es): the index's Python stemmer and the search
page's JavaScript one agree, with and without accents, in lower and upper case."""

from __future__ import annotations

import re

import pytest

from pnmce.book.search_es import SearchSpanishFolded, fold
from tests.books import CHROMIUM


def test_fold_keeps_enye_and_drops_accents():
    assert fold("EXPORTACIÓN") == "exportacion"
    assert fold("Año pingüino") == "año pinguino"


def test_accented_and_plain_words_share_a_stem():
    lang = SearchSpanishFolded({})
    for words in (["exportacion", "exportación", "EXPORTACIÓN", "exportaciones"],
                  ["politica", "política", "POLÍTICAS"], ["gestion", "gestión", "gestiones"]):
        stems = {lang.stem(w) for text in words for w in lang.split(text)}
        assert len(stems) == 1, words
    assert lang.stem("año") != lang.stem("ano")


@pytest.mark.browser
def test_javascript_stems_as_the_index(project):
    """Every word of the catalogue's indicator names and of three forms each (as written, without
    accents, in capitals): the search page's stemmer gives the index's stem."""
    from playwright.sync_api import sync_playwright

    text = (project.data / "catalogo" / "indicadores.csv").read_text(encoding="utf-8")
    words = sorted({w for w in re.findall(r"[^\W\d_]{3,}", text)})
    forms = sorted({f for w in words for f in (w, fold(w), w.upper())})
    lang = SearchSpanishFolded({})
    expected = {f: lang.stem(f) for f in forms}
    assert any(re.search("[áéíóú]", w) for w in words)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.add_script_tag(content=lang.js_stemmer_code)
        got = page.evaluate("forms => { const s = new Stemmer(); return Object.fromEntries("
                            "forms.map(f => [f, s.stemWord(f.toLowerCase())])); }", forms)
        browser.close()
    assert {f: s for f, s in got.items() if s != expected[f]} == {}
