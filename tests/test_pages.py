"""The built pages for every reader: Spanish interface, light pages, WCAG (axe-core in Debian's
chromium) and a search that forgives accents."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pnmce.book.search_es import SearchSpanishFolded
from tests.books import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

# Strings the theme and the extensions write in English or without their accents.
ENGLISH_UI = [
    "Link to this", "Permalink to this", "Toggle primary sidebar", "Toggle secondary sidebar",
    'aria-label="Main"', 'aria-label="Page"', "Skip to main content", "Back to top", "Color mode",
    "System Settings", "Search the docs", "Download this page", "Print to PDF", "Download source file",
    "On this page", "Section Navigation", "Site navigation", "Version warning", 'title="previous',
    'title="next', ">Contents<", ">Search<", "Descarga esta pagina", "Semaforo", "Navegación del sección",
]
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)

# Pages the browser checks: home, a chapter's index, a direct cause, an indicator sheet, an
# objective's page, the monitoring report, the bibliography, the index, search, the editions index.
SAMPLE = ["html/generado/portada.html", "html/cap2/index.html", "html/generado/cap3/3-2-1-cd1.html",
          "html/generado/indicadores/OP1.1.html", "html/generado/cap4/4-1/op1.html",
          "html/generado/cap5/reporte-seguimiento.html", "html/generado/cap5/reporte/op1.html",
          "html/generado/cap3/3-2-modelo-del-problema.html", "html/generado/notas/notas-sobre-los-datos.html",
          "html/cap8/index.html", "html/genindex.html",
          "html/search.html", "ediciones/index.html"]

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]


def pages(html: Path) -> list[Path]:
    """The book's pages (not the redirect `index.html` → home page)."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
                  and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:300])


def test_pages_speak_spanish_and_describe_themselves(built):
    project, _ = built
    english, undescribed = {}, []
    for page in pages(project.html):
        text = _SCRIPT.sub("", page.read_text(encoding="utf-8"))
        found = [s for s in ENGLISH_UI if s in text]
        if found:
            english[page.relative_to(project.html).as_posix()] = found
        if not re.search(r'<meta name="description" content="[^"]{20,}"', text):
            undescribed.append(page.relative_to(project.html).as_posix())
    assert english == {}
    assert undescribed == []


def test_pages_load_only_what_they_use(built):
    project, _ = built
    wrong = []
    for page in pages(project.html):
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
    assert wrong == []
    assert any('class="pnmce-grafico"' in p.read_text(encoding="utf-8") for p in pages(project.html))


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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_no_serious_accessibility_violation(server, browser):
    """axe-core (npm, package-lock.json; `make test` installs it) finds no serious or critical
    WCAG 2.1 A/AA violation on the sample, on a desktop and on a phone; no console error, no 404."""
    assert AXE.is_file(), "falta axe-core: ejecute `npm ci` (lo hace `make test`)"
    violations, errors = [], []
    for width, height in ((1366, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        for path in SAMPLE:
            page.goto(f"{server}/{path}", wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})""")
            violations += [f"{width}px {path}: {v['id']} ({v['impact']}, {len(v['nodes'])})"
                           for v in result["violations"] if v["impact"] in ("serious", "critical")]
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
    paths = [f"html/{p.relative_to(project.html).as_posix()}" for p in pages(project.html)] + ["ediciones/index.html"]
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
