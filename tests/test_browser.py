"""A real browser (Debian's chromium, headless) draws the 4.1 charts with no network."""

from __future__ import annotations

import pytest

from tests.books import CHROMIUM, serve

pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.xdist_group("build")]



@pytest.fixture(scope="module")
def server(built):
    project, _ = built
    with serve(project.build) as address:  # _build/: html/ and ediciones/
        yield address


def test_outcome_charts_are_drawn_offline(server):
    from playwright.sync_api import sync_playwright

    failed, foreign, errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("requestfailed", lambda r: failed.append(r.url))
        # The browser asks for /favicon.ico on its own; the book does not reference one.
        page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
                and failed.append(f"{r.status} {r.url}"))
        page.on("request", lambda r: not r.url.startswith((server, "data:", "blob:")) and foreign.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for op in ("op1", "op2", "op3", "op4", "op5"):
            page.goto(f"{server}/html/generado/cap4/4-1/{op}.html", wait_until="networkidle")
            loaded = page.evaluate("""() => Promise.all([...document.querySelectorAll('picture.pnmce-grafico img')]
                .map(img => { img.loading = 'eager'; return img.decode().then(() => img.naturalWidth > 0, () => false); }))""")
            assert loaded and all(loaded), op
        browser.close()
    assert failed == [] and foreign == [] and errors == []


def test_the_visible_sidebar_button_opens_the_book_index(server):
    """On a phone the menu button opens the book's index; on a desktop it hides the sidebar. (The theme's
    script bound a hidden copy of the button, so the visible one did nothing: book/_templates/sections.)"""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        shown = {}
        for width in (390, 1366):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(f"{server}/html/generado/portada.html", wait_until="networkidle")
            button = page.locator(".primary-toggle")
            assert button.count() == 1 and button.is_visible()
            index = page.get_by_role("link", name="3. Diagnóstico").first
            before = index.is_visible()
            button.click()
            page.wait_for_timeout(500)
            shown[width] = (before, index.is_visible())
            page.close()
        browser.close()
    assert shown == {390: (False, True), 1366: (True, False)}
