"""The books the build, browser, edition and chapter tests share, each built once per session.

Registered once, through `tests/conftest.py` (a fixture defined in a test module and also imported
into conftest would be two fixtures, built twice)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from pnmce.book.build import build
from pnmce.execute.executor import LocalExecutor
from tests.conftest import FIXTURES, ROOT, copy_project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The viewports the browser checks use: an office desktop and a phone (width, height in px).
DESKTOP, PHONE = (1366, 900), (390, 844)
# Run before a page's scripts: the theme's dark mode, as its switch leaves it in the browser.
DARK_MODE = "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"


@contextmanager
def local_clock(zone: str):
    """Run with another local time zone (kernels and Sphinx inherit it). Two builds under
    Etc/GMT-14 and Etc/GMT+12 see local dates 26 hours apart, so always on different days: any
    output that printed a date from the clock would differ. (No faketime here: the UTC clock
    itself is not shifted.)"""
    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("libro-a"))
    with local_clock("Etc/GMT-14"):
        result = build(project, executor=LocalExecutor(workers=2, progress=False))
    return project, result


SCRIPT_NAME = 'Valor <script>alert("x")</script> ficticio'


def pnmce(project, *args):
    return subprocess.run([sys.executable, "-m", "pnmce", *args], cwd=project.root, capture_output=True, text=True)


def _fill_template(xlsx: Path, values: dict[str, dict[str, str]], out: Path) -> Path:
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["valores"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        ident = row[header.index("indicador")].value
        for column, text in values.get(ident, {}).items():
            if text:
                row[header.index(column)].value = text
    wb.save(out)
    return out


@pytest.fixture(scope="session")
def edition_2026(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("edicion-2026"))
    ind = project.data / "catalogo" / "indicadores.csv"
    ind.write_text(ind.read_text(encoding="utf-8").replace(
        "Valor total de las exportaciones no minero energéticas al mundo.", SCRIPT_NAME, 1), encoding="utf-8")
    made = pnmce(project, "plantilla", "2026", "--salida", "plantillas")
    assert made.returncode == 0, made.stderr
    with open(FIXTURES / "observado" / "edicion-2026-ficticia.csv", encoding="utf-8") as f:
        values = {r.pop("indicador"): r for r in csv.DictReader(f)}
    filled = _fill_template(project.root / "plantillas" / "plantilla-2026.xlsx", values, project.root / "lleno.xlsx")
    imported = pnmce(project, "importar", str(filled), "--edicion", "2026")
    assert imported.returncode == 0, imported.stderr
    shutil.copy2(FIXTURES / "observado" / "recomendaciones-2026-ficticias.md",
                 project.data / "observado" / "recomendaciones-2026.md")
    result = build(project, 2026, LocalExecutor(workers=2, progress=False))
    # the 2027 edition is built later in this same copy: keep the 2026 book aside for its tests
    shutil.copytree(project.html, _html(project))
    return project, result, imported.stdout


def _html(project) -> Path:
    return project.root / "html-2026"


@contextmanager
def serve(folder: Path):
    """`folder` served on a free port of 127.0.0.1 (quietly), for the browser tests; yields its address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def book_pages(html: Path) -> list[Path]:
    """The book's pages (not the redirect `index.html` → home page)."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
                  and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:300])


@contextmanager
def chromium():
    """Debian's chromium, headless, driven by playwright (which downloads no browser of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


# axe-core's WCAG 2.0 and 2.1 level A and AA rules: its violations and the checks it could not
# decide (`incomplete`).
# `resultTypes`: the other kinds of result keep one node per rule (faster on large pages).
_AXE_RUN = """async (resultTypes) => {
    const result = await axe.run(document, {resultTypes, runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
    const rules = (list) => list.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                                  summary: n.failureSummary || ""}))}));
    return {violations: rules(result.violations), incomplete: rules(result.incomplete)};
}"""


def axe_results(page) -> dict:
    """axe-core (npm, package-lock.json; `make test` installs it) run on the page open in `page`:
    `violations` and `incomplete` (what axe leaves to a person), each rule with `id`, `impact`,
    `help` and its `nodes` (`target`, `html`, `summary`)."""
    return _axe(page, ["violations", "incomplete"])


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page open in `page` (see `axe_results`)."""
    return _axe(page, ["violations"])["violations"]


def _axe(page, result_types: list[str]) -> dict:
    assert AXE.is_file(), "falta axe-core: ejecute `npm ci` (lo hace `make test`)"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, result_types)


def chart_specs(html_root: Path) -> list[tuple[Path, dict]]:
    """(page, spec) of every chart of a built book, in page order: each drawing's spec beside it."""
    import json
    import re

    from pnmce.book.chart_images import FOLDER, SPEC_SUFFIX

    found = []
    for page in sorted(html_root.rglob("*.html")):
        for src in re.findall(rf'<img src="([^"]*{FOLDER}/[0-9a-f]+)\.svg"', page.read_text(encoding="utf-8")):
            spec = (page.parent / (src + SPEC_SUFFIX)).resolve()
            found.append((page, json.loads(spec.read_text(encoding="utf-8"))))
    return found
