"""The built pages for every reader: Spanish interface, light pages, WCAG (axe-core in Debian's
chromium) and a search that forgives accents."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import cssselect2
import myst_nb
import pydata_sphinx_theme
import pytest
import sphinx
import sphinx_book_theme
import tinycss2
import tinyhtml5

from pnmce.book.light_pages import has_chart
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
        vega = [t for t in tags if "vega-bundle.js" in t]
        if has_chart(text) != bool(vega) or any("defer" not in t for t in vega):
            wrong.append(f"{name}: vega-bundle.js")
        if name != "search.html" and any("src=" in t and "defer" not in t and "async" not in t
                                         and "documentation_options" not in t for t in tags):
            wrong.append(f"{name}: script que bloquea")
        sheets = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>', text)
        if any("styles/theme.css" in t for t in sheets):  # only an @import of basic.css, found late
            wrong.append(f"{name}: theme.css")
        if 'class="highlight' not in text and any("pygments.css" in t or "copybutton" in t for t in sheets):
            wrong.append(f"{name}: pygments.css")
    assert wrong == []
    assert any(has_chart(p.read_text(encoding="utf-8")) for p in pages(project.html))


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
