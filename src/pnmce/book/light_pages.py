"""Sphinx extension: each page loads only what it uses, and nothing blocks its first paint.

- Every script file loads with `defer` (the theme's and the extensions' too; they all wait for the
  page to be parsed anyway), except `documentation_options.js`, which inline lines use at once.
- No charting library: charts are SVG files drawn at build time (`pnmce.book.chart_images`).
- No Font Awesome script (1.5 MB): `_templates/layout.html` leaves it out, and no Font Awesome web
  font (156 KB) for the theme's icons: `_static/iconos.css` draws the few the pages use as masks.
- sphinx-design's stylesheet and script (60 KB) only on pages that use its components; no Thebe
  stylesheet (the book has no live code).
- Pygments' stylesheet and the copy button (stylesheet, `clipboard.min.js`, `copybutton.js`) only
  on pages with highlighted code, sphinx-togglebutton's stylesheet, script and settings only on
  pages with a toggle (the book shows neither today).
- What is left of the theme's stylesheets is purged of unused rules after Sphinx
  (`pnmce.book.css_purge`, called by the build).
- The search index and its scripts only on the search page (the theme loaded them on every page
  for a search-as-you-type the book does not use): also in `_templates/layout.html`.
"""

from __future__ import annotations

import re

from sphinx.builders.html._assets import _JavaScript

EVERY_PAGE = ("sortable.js", "edicion.js")  # table sorting; the edition switcher (pnmce.edition.publish)
SYNCHRONOUS = ("documentation_options.js",)
UNUSED_ASSETS = ("sphinx-thebe.css",)  # no live code in the book (pnmce.book.sphinx_offline)
DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")  # sphinx-design, only where a page uses it
DESIGN_MARKER = 'class="sd-'
CODE_ASSETS = ("pygments.css", "copybutton.css", "clipboard.min.js", "copybutton.js")  # highlighted code
CODE_MARKER = 'class="highlight'  # Pygments' blocks, which the copy button also targets
TOGGLE_ASSETS = ("togglebutton.css", "togglebutton.js")
TOGGLE_SETTINGS = ("toggleHint", "toggleOpenOnPrint", "togglebuttonSelector")  # its inline lines
TOGGLE_MARKER = re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)[\s"]')  # its default selector's classes


def unused_assets(body: str) -> tuple[str, ...]:
    """The file names of the stylesheets and scripts that a page with this body does not use."""
    unused = UNUSED_ASSETS
    if DESIGN_MARKER not in body:
        unused += DESIGN_ASSETS
    if CODE_MARKER not in body:
        unused += CODE_ASSETS
    if not TOGGLE_MARKER.search(body):
        unused += TOGGLE_ASSETS
    return unused


def _inline_toggle_settings(script) -> bool:
    return isinstance(script, _JavaScript) and not script.filename and any(
        name in (script.attributes.get("body") or "") for name in TOGGLE_SETTINGS)


def deferred(script: _JavaScript) -> _JavaScript:
    """The script with `defer`, unless it is inline, already deferred or async, or the one the
    theme's inline lines use as the page is parsed (`documentation_options.js`)."""
    name = str(script.filename or "")
    if not name or name.endswith(SYNCHRONOUS) or {"defer", "async"} & set(script.attributes):
        return script
    return _JavaScript(script.filename, priority=script.priority, **script.attributes, defer="defer")


def _page_context(app, pagename, templatename, context, doctree):
    if "script_files" not in context:
        return
    scripts = list(context["script_files"])
    if pagename != "search":  # the search page's own scripts (the theme's template) need doctools.js
        scripts = [deferred(s) if isinstance(s, _JavaScript) else s for s in scripts]
    body = context.get("body", "")
    unused = unused_assets(body)
    scripts = [s for s in scripts if not str(getattr(s, "filename", "") or "").endswith(unused)]
    if TOGGLE_ASSETS[0] in unused:
        scripts = [s for s in scripts if not _inline_toggle_settings(s)]
    context["script_files"] = scripts
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"]
                                if not str(getattr(c, "filename", "") or "").endswith(unused)]


def _config_inited(app, config):
    # Jupyter Book lists every script of `book/_static` for every page, without `defer`.
    ours = set(EVERY_PAGE)
    config.html_js_files = [js for js in config.html_js_files
                            if (js[0] if isinstance(js, (tuple, list)) else js) not in ours]


def setup(app):
    app.connect("config-inited", _config_inited)
    for script in EVERY_PAGE:
        app.add_js_file(script, defer="defer")
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
