"""The reference chapters in the built book (session fixture `built`, no extra build):
per-chapter numbering, acronyms, glossary links, citations, norm links, executive summary."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pnmce.catalogue import matrices
from pnmce.present import reference
from pnmce.present.page import value_with_year

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]

CAPTION = re.compile(r'<span class="caption-number">(Tabla|Figura) (\d+(?:\.\d+)*)\.\s*</span>')  # «Tabla 3.1. »


def _chapters(project) -> list[tuple[int | None, list[Path]]]:
    """(chapter number, built HTML pages) in TOC order; the introduction has no number."""
    toc = yaml.safe_load(project.toc.read_text(encoding="utf-8"))

    def files(entry) -> list[str]:
        out = []
        if "file" in entry:
            out.append(entry["file"])
        if "glob" in entry:
            out += sorted(str(p.relative_to(project.book).with_suffix(""))
                          for p in project.book.glob(entry["glob"] + ".ipynb"))
        for sub in entry.get("sections", []):
            out += files(sub)
        return out

    result = []
    for entry in toc["chapters"]:
        pages = [project.html / f"{f}.html" for f in files(entry)]
        title = re.search(r"<h1>(.*?)<", pages[0].read_text(encoding="utf-8"))
        m = re.match(r"(\d+)\.\s", html.unescape(title.group(1))) if title else None
        result.append((int(m.group(1)) if m else None, pages))
    return result


def _article(page: Path) -> str:
    return _article_text(page.read_text(encoding="utf-8"))


def _article_text(text: str) -> str:
    m = re.search(r'<article class="bd-article"[^>]*>(.*)</article>', text, re.S)
    return m.group(1) if m else ""


def _text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    fragment = re.sub(r'<span class="math[^"]*">.*?</span>', " ", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_chapters_are_numbered_as_in_the_policy(built):
    project, _ = built
    chapters = _chapters(project)
    numbers = [n for n, _ in chapters]
    # the introduction, chapters 1-9, then the two unnumbered notes (on the data; for maintainers)
    assert numbers == [None, *range(1, 10), None, None]
    assert [pages[0].stem for _, pages in chapters[-2:]] == ["notas-sobre-los-datos", "notas-tecnicas"]


def test_no_table_or_figure_number_above_the_count_of_its_chapter(built):
    project, _ = built
    seen_any = False
    for chapter, pages in _chapters(project):
        found: dict[str, list[tuple[int, ...]]] = {}
        for page in pages:
            for kind, number in CAPTION.findall(page.read_text(encoding="utf-8")):
                found.setdefault(kind, []).append(tuple(int(x) for x in number.split(".")))
        for kind, nums in found.items():
            seen_any = True
            if chapter is None:
                assert all(len(n) == 1 for n in nums), (kind, nums[:3])
                continue
            assert {n[0] for n in nums} == {chapter}, f"{kind} de otro capítulo en el capítulo {chapter}: {nums[:5]}"
            assert sorted(n[1] for n in nums) == list(range(1, len(nums) + 1)), f"{kind}s del capítulo {chapter}"
    assert seen_any


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def test_every_acronym_the_book_uses_is_defined(built, catalogue):
    """An all-capitals token of three or more letters is an acronym unless the book also writes it as a
    word in lower case (a heading in capitals) or it is a variable that the same page defines ("XNME: …",
    "PPP = …"). The bibliography is left out: it prints the titles of the works as published."""
    project, _ = built
    token = re.compile(r"(?<![\w.-])[A-ZÁÉÍÓÚÑ]{3,}(?![\w-])")
    # the maintainers' annex names files (README.md) and is left out too
    pages = {p: _article(p) for p in project.html.rglob("*.html")
             if "_static" not in p.parts and p != project.html / "cap8" / "index.html"
             and p != project.html / "generado" / "notas" / "notas-tecnicas.html"}
    texts = {p: _text(a) for p, a in pages.items()}
    # a word the book also writes in lower or title case ("Perú", "China") is a word printed in capitals
    words = {w.lower() for t in texts.values() for w in re.findall(r"\b[A-ZÁÉÍÓÚÑ]?[a-záéíóúñ]{2,}\b", t)}
    # the responsible units' acronyms are defined by the legend of the report pages (data/metodo/)
    units = pd.read_csv(project.data / "metodo" / "unidades_responsables.csv", dtype=str, keep_default_na=False)
    known = reference.known_acronyms(catalogue) | {_plain(s) for s in units["sigla"]}
    # country names that only appear in capitals, in the agreement names of Tabla 5 as published
    known |= {_plain(s) for s in ("AUSTRALIA", "JAPÓN", "REINO", "UNIDO", "SINGAPUR", "TAILANDIA", "VENEZUELA")}
    missing: dict[str, str] = {}
    for page, text in texts.items():
        variables = set(re.findall(r"\b([A-Z]{3,})(?:_\w+)?\s*[:=]", text))
        for tok in set(token.findall(text)):
            if tok.lower() in words or tok in variables or re.fullmatch(r"[IVXLC]+", tok):
                continue
            if _plain(tok) not in known:
                missing.setdefault(tok, str(page.relative_to(project.html)))
    assert not missing, f"siglas sin definir en 6.2: {missing}"


def test_glossary_terms_in_generated_text_are_linked(built, catalogue):
    project, _ = built
    terms = list(catalogue.glosario["termino"])
    checked = 0
    for page in (project.html / "generado").rglob("*.html"):
        if page.stem == "6-1-glosario":
            continue
        article = _article(page)
        outputs = re.findall(r'<div class="cell_output docutils container">(.*?)</div>\s*</div>\s*</div>', article, re.S)
        prose = " ".join(re.sub(r"<table\b.*?</table>|<h\d\b.*?</h\d>", " ", o, flags=re.S) for o in outputs)
        # source lines ("Fuente: …") quote the titles of cited works as published: not our text
        paragraphs = [p for p in re.findall(r"<p>(.*?)</p>", prose, re.S) if not _text(p).strip().startswith("Fuente:")]
        linked = {html.unescape(m).strip().lower()
                  for m in re.findall(r'<span class="xref std std-term">(.*?)</span>', article, re.S)}
        for term in terms:
            pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.I)
            if any(pattern.search(_text(p)) for p in paragraphs):
                checked += 1
                assert term.lower() in linked, f"«{term}» sin enlace al glosario en {page.relative_to(project.html)}"
    assert checked > 0


def test_glossary_page_defines_every_term(built, catalogue):
    project, _ = built
    page = (project.html / "generado" / "cap6" / "6-1-glosario.html").read_text(encoding="utf-8")
    for term in catalogue.glosario["termino"]:
        assert re.search(r'<dt id="term-[^"]*">' + re.escape(html.escape(term, quote=False)), page), term


def test_citations_and_norm_links_resolve_to_their_chapters(built):
    project, _ = built
    evaluation = (project.html / "generado" / "cap5" / "5-2-evaluacion.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*cap8/index.html#id\d*"[^>]*>CEPLAN', evaluation) or \
        re.search(r'href="[^"]*cap8/index.html#[^"]+"', evaluation)
    summary = (project.html / "generado" / "cap9" / "resumen-ejecutivo.html").read_text(encoding="utf-8")
    assert "1-1-normas-nacionales.html#norma-ds-029-2018-pcm" in summary
    bibliography = (project.html / "cap8" / "index.html").read_text(encoding="utf-8")
    assert bibliography.count('<li><p><span id="') + bibliography.count("citation") > 100


def _table_rows(page: str, label: str) -> list[list[str]]:
    m = re.search(r'<table[^>]*id="' + label + r'"[^>]*>(.*?)</table>', page, re.S)
    assert m, label
    body = re.search(r"<tbody>(.*)</tbody>", m.group(1), re.S).group(1)
    return [[_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_executive_summary_numbers_equal_the_catalogue(built, catalogue):
    project, _ = built
    page = (project.html / "generado" / "cap9" / "resumen-ejecutivo.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", _text(_article_text(page)))
    cat = catalogue
    for phrase in (f"{len(cat.objetivos)} objetivos prioritarios", f"{len(cat.lineamientos)} lineamientos",
                   f"{len(cat.servicios)} servicios",
                   f"{int((cat.causas['nivel'] == 'directa').sum())} causas directas",
                   f"{int((cat.causas['nivel'] == 'indirecta').sum())} causas indirectas",
                   f"{int((cat.indicadores['nivel'] == 'objetivo').sum())} indicadores de resultado"):
        assert phrase in text, phrase
    ov = matrices.indicator_overview(cat)
    ov = ov[ov["nivel"] == "objetivo"].set_index("id")
    rows = _table_rows(page, "tabla-resumen-indicadores")
    assert len(rows) == len(ov)
    for row in rows:
        ident = row[2].split()[0]
        r = ov.loc[ident]
        assert row[3] == value_with_year(r.linea_base_valor, r.linea_base_anio, r.unidad), ident
        assert row[4] == value_with_year(r.meta_valor, r.meta_anio, r.unidad), ident
    services = _table_rows(page, "tabla-resumen-servicios")
    assert [int(r[1]) for r in services] == [int((cat.servicios["objetivo"] == op).sum()) for op in cat.objetivos["id"]]
