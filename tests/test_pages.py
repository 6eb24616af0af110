"""The built pages for every reader: Spanish interface, light pages, WCAG (axe-core in Debian's
chromium) and a search that forgives accents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cssselect2
import myst_nb
import pydata_sphinx_theme
import pytest
import sphinx
import sphinx_book_theme
import tinycss2
import tinyhtml5

from pnmce.book.search_es import SearchSpanishFolded
from tests.books import DARK_MODE, DESKTOP, PHONE, axe_violations, book_pages, chromium, serve

# Strings the theme and the extensions write in English or without their accents.
ENGLISH_UI = [
    "Link to this", "Permalink to this", "Toggle primary sidebar", "Toggle secondary sidebar",
    'aria-label="Main"', 'aria-label="Page"', "Skip to main content", "Back to top", "Color mode",
    "System Settings", "Search the docs", "Download this page", "Print to PDF", "Download source file",
    "On this page", "Section Navigation", "Site navigation", "Version warning", 'title="previous',
    'title="next', ">Contents<", ">Search<", "Descarga esta pagina", "Semaforo", "Navegación del sección",
]
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)

# Pages the browser checks: one of every kind (each kind of notebook page, a hand-written chapter,
# Sphinx's own pages, the editions index); tests/check_pages.py checks them all.
SAMPLE = [
    "html/generado/portada.html",  # home page
    "html/cap2/index.html",  # a chapter's opening (hand-written)
    "html/generado/cap1/1-1-normas-nacionales.html",  # tables of norms
    "html/generado/cap2/comercio-de-bienes.html",  # a diagnosis section, with figures
    "html/generado/cap3/3-2-modelo-del-problema.html",  # the problem tree
    "html/generado/cap3/3-2-1-cd1.html",  # a direct cause
    "html/generado/cap4/4-1/op1.html",  # a priority objective
    "html/generado/cap4/4-3-1/S1.1.1.html",  # a service sheet
    "html/generado/cap7/7-4-matriz-de-consistencia.html",  # a wide matrix
    "html/generado/indicadores/OP1.1.html",  # an indicator sheet
    "html/generado/cap5/reporte-seguimiento.html",  # the monitoring report: its opening, an objective, the annex
    "html/generado/cap5/reporte/op1.html",
    "html/generado/cap5/reporte/anexo.html",
    "html/generado/cap5/metodo-seguimiento.html",  # formulas (MathML)
    "html/generado/cap5/informe-evaluacion.html",  # the evaluation report
    "html/generado/notas/notas-sobre-los-datos.html",  # the notes annexes
    "html/generado/notas/notas-tecnicas.html",
    "html/generado/cap6/6-1-glosario.html",  # glossary and bibliography
    "html/cap8/index.html",
    "html/genindex.html",
    "html/search.html",
    "ediciones/index.html",
]
# A reader may switch the theme to dark: pages with our own colours (figures and their source
# lines, the problem tree, traffic lights, the sheet's table) are also checked so, on a desktop.
DARK_SAMPLE = ["html/generado/cap2/comercio-de-bienes.html", "html/generado/cap3/3-2-modelo-del-problema.html",
               "html/generado/indicadores/OP1.1.html", "html/generado/cap5/reporte/op1.html"]

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]


def test_pages_speak_spanish_and_describe_themselves(built):
    project, _ = built
    english, undescribed = {}, []
    for page in book_pages(project.html):
        text = _SCRIPT.sub("", page.read_text(encoding="utf-8"))
        found = [s for s in ENGLISH_UI if s in text]
        if found:
            english[page.relative_to(project.html).as_posix()] = found
        if not re.search(r'<meta name="description" content="[^"]{20,}"', text):
            undescribed.append(page.relative_to(project.html).as_posix())
    assert english == {}
    assert undescribed == []


def test_entry_page_leads_home_and_no_heading_is_empty(built):
    """`index.html` is an HTML document in Spanish that sends the reader to the home page (not a
    bare `<meta>` tag); no page has an empty heading (the print-only title of the index had one)."""
    project, _ = built
    entry = project.html / "index.html"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="es">' in text
    assert re.search(r"<title>[^<]{10,}</title>", text)
    home = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', text).group(1)
    assert (project.html / home).is_file() and f'<a href="{home}">' in text
    assert entry not in book_pages(project.html)
    empty = [p.relative_to(project.html).as_posix() for p in book_pages(project.html)
             if re.search(r"<h([1-6])\b[^>]*>\s*</h\1>", p.read_text(encoding="utf-8"))]
    assert empty == []


def test_pages_load_only_what_they_use(built):
    project, _ = built
    wrong = []
    for page in book_pages(project.html):
        name = page.relative_to(project.html).as_posix()
        text = page.read_text(encoding="utf-8")
        tags = re.findall(r"<script\b[^>]*>", text)
        if any("fontawesome" in t for t in tags):
            wrong.append(f"{name}: Font Awesome")
        if any("searchindex.js" in t for t in tags) != (name == "search.html"):
            wrong.append(f"{name}: índice de búsqueda")
        if any("vega" in t for t in tags):  # charts are drawings (pnmce.book.chart_images)
            wrong.append(f"{name}: biblioteca de gráficos")
        if name != "search.html" and any("src=" in t and "defer" not in t and "async" not in t
                                         and "documentation_options" not in t for t in tags):
            wrong.append(f"{name}: script que bloquea")
        sheets = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>', text)
        if any("styles/theme.css" in t for t in sheets):  # only an @import of basic.css, found late
            wrong.append(f"{name}: theme.css")
        if 'class="highlight' not in text and any("pygments.css" in t or "copybutton" in t for t in sheets):
            wrong.append(f"{name}: pygments.css")
    assert wrong == []
    assert any('class="pnmce-grafico"' in p.read_text(encoding="utf-8") for p in book_pages(project.html))


# The theme's and extensions' stylesheets as they are installed, which the build purges.
FULL_CSS = {
    "_static/styles/pydata-sphinx-theme.css":
        Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css":
        Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static/styles/sphinx-book-theme.css",
    "_static/basic.css": Path(sphinx.__file__).parent / "themes/basic/static/basic.css.jinja",  # values templated
    "_static/mystnb.*.css": Path(myst_nb.__file__).parent / "static/mystnb.css",
}
STATES = re.compile(r":(?:hover|focus|focus-visible|focus-within|active|visited|target)\b")


def _style_rules(css: str) -> set[tuple[tuple[str, ...], str]]:
    """Each selector of a stylesheet with the at-rules around it, whitespace normalised."""
    def text(tokens) -> str:
        out = re.sub(r"\s+", " ", tinycss2.serialize([t for t in tokens if t.type != "comment"]))
        return re.sub(r"\s*([>+~,()])\s*", r"\1", out).strip()

    found = set()

    def walk(rules, context):
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [[]]
                for token in rule.prelude:
                    if token == ",":
                        selectors.append([])
                    else:
                        selectors[-1].append(token)
                found.update((context, text(s)) for s in selectors)
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword != "keyframes":
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                walk(inner, (*context, rule.lower_at_keyword + re.sub(r"\s", "", text(rule.prelude))))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), ())
    return found


def test_purged_stylesheets_keep_every_rule_the_pages_use(built):
    """Every selector of the installed theme's stylesheets that matches an element of the sample
    pages (also in a :hover, :focus… state) is still in the stylesheet the book ships, in the same
    @media; the book ships some of them, none of its own."""
    project, _ = built
    roots = [cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse((project.build / p).read_bytes()))
             for p in SAMPLE if p.startswith("html/")]
    missing, purged = {}, {}
    for name, source in FULL_CSS.items():
        shipped = next(project.html.glob(name))
        full = re.sub(r"\{\{[^}]*\}\}", "0", source.read_text(encoding="utf-8"))
        kept, rules = _style_rules(shipped.read_text(encoding="utf-8")), _style_rules(full)
        matcher = cssselect2.Matcher()
        for rule in rules:
            try:
                for selector in cssselect2.compile_selector_list(STATES.sub("", rule[1])):
                    matcher.add_selector(selector, rule)
            except cssselect2.SelectorError:  # vendor pseudo-classes, states cssselect2 cannot test
                pass
        used = {match[3] for root in roots for element in root.iter_subtree() for match in matcher.match(element)}
        assert used, name
        missing[name] = sorted(used - kept)
        purged[name] = kept < rules
    assert all(m == [] for m in missing.values()), missing
    assert all(purged.values()), purged


def test_search_index_is_folded(built):
    project, _ = built
    text = (project.html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    words = list(index["terms"]) + list(index["titleterms"])
    assert [w for w in words if re.search("[áéíóúü]", w)] == []
    stem = SearchSpanishFolded({}).stem("exportación")
    assert len(index["terms"][stem]) > 20


@pytest.fixture(scope="module")
def server(built):
    project, _ = built
    with serve(project.build) as address:  # _build/: html/ and ediciones/
        yield address


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.browser
def test_no_serious_accessibility_violation(server, browser):
    """axe-core (npm, package-lock.json; `make test` installs it) finds no serious or critical
    WCAG 2.1 A/AA violation on the sample, on a desktop and on a phone, and on some pages in the
    dark mode; no console error, no 404."""
    violations, errors = [], []
    for (width, height), dark, paths in ((DESKTOP, False, SAMPLE), (PHONE, False, SAMPLE), (DESKTOP, True, DARK_SAMPLE)):
        page = browser.new_page(viewport={"width": width, "height": height})
        if dark:
            page.add_init_script(DARK_MODE)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        for path in paths:
            page.goto(f"{server}/{path}", wait_until="networkidle")
            violations += [f"{width}px{' oscuro' if dark else ''} {path}: {v['id']} ({v['impact']}, {len(v['nodes'])})"
                           for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        page.close()
    assert violations == []
    assert errors == []


# What overflows its box sideways in the page's main part: the page itself, any element that scrolls
# sideways, any table or figure; each with whether it is a named region that takes the focus.
SIDEWAYS = """async () => {
    await Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }));
    const found = [], doc = document.documentElement, main = document.querySelector('main') || document.body;
    if (doc.scrollWidth > doc.clientWidth + 1) found.push({what: 'la página', width: doc.scrollWidth, box: doc.clientWidth});
    for (const el of main.querySelectorAll('*')) {
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
        if (!(scrolls || el.matches('table, figure')) || el.scrollWidth <= el.clientWidth + 1) continue;
        const caption = el.querySelector('caption, figcaption');
        found.push({what: (caption ? caption.textContent : el.tagName + '.' + el.className).trim().slice(0, 50),
                    width: el.scrollWidth, box: el.clientWidth, scrolls: scrolls,
                    named: el.getAttribute('tabindex') === '0' && el.getAttribute('role') === 'region'
                           && !!el.getAttribute('aria-label')});
    }
    return found;
}"""


def sideways(browser, server: str, paths: list[str], width: int) -> dict[str, list[dict]]:
    """What overflows sideways (`SIDEWAYS`) on each page at a screen `width` px wide, once images are loaded."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    found = {}
    for path in paths:
        page.goto(f"{server}/{path}", wait_until="load")
        if overflow := page.evaluate(SIDEWAYS):
            found[path] = overflow
    page.close()
    return found


@pytest.mark.browser
def test_no_table_or_figure_scrolls_sideways_on_a_desktop_and_only_in_a_named_region_on_a_phone(built, server, browser):
    """Every page of the book: at 1366 px nothing in the content needs a sideways scroll (wide tables
    fit, a long series is drawn with its years as rows); at 390 px a table or formula wider than the
    screen scrolls only inside a region that is named and takes the focus, and the page never does."""
    project, _ = built
    paths = [f"html/{p.relative_to(project.html).as_posix()}" for p in book_pages(project.html)] + ["ediciones/index.html"]
    assert "html/generado/cap3/3-2-3-cd3.html" in paths and len(paths) > 150
    assert sideways(browser, server, paths, 1366) == {}
    phone = sideways(browser, server, paths, 390)
    assert {path: [o for o in found if not (o.get("scrolls") and o["named"])] for path, found in phone.items()
            if any(not (o.get("scrolls") and o["named"]) for o in found)} == {}
    assert phone  # wide tables do scroll on a phone: the check saw them


@pytest.mark.browser
def test_accents_do_not_change_search_results(server, browser):
    page = browser.new_page()
    found = {}
    for query in ("exportacion", "exportación", "EXPORTACIÓN"):
        page.goto(f"{server}/html/search.html?q={query}", wait_until="networkidle")
        page.wait_for_function("document.querySelector('#search-results p.search-summary')"
                               " && !document.querySelector('#search-results .search-summary').textContent.includes('Buscando')")
        found[query] = sorted(page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)"))
    page.close()
    assert len(found["exportación"]) > 20
    assert found["exportacion"] == found["exportación"] == found["EXPORTACIÓN"]
