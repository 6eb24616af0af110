"""Sphinx extension: each page loads only what it uses, and nothing blocks its first paint.

- Every script file loads with `defer` (the theme's and the extensions' too; they all wait for the
  page to be parsed anyway), except `documentation_options.js`, which inline lines use at once.
- No charting library: charts are SVG files drawn at build time (`pnmce.book.chart_images`).
- No Font Awesome script (1.5 MB): `_templates/layout.html` leaves it out, and no Font Awesome web
  font (156 KB) for the theme's icons: `_static/iconos.css` draws the few the pages use as masks.
- sphinx-design's stylesheet and script (60 KB) only on pages that use its components; no Thebe
  stylesheet (the book has no live code).
- The search index and its scripts only on the search page (the theme loaded them on every page
  for a search-as-you-type the book does not use): also in `_templates/layout.html`.
"""

from __future__ import annotations

from sphinx.builders.html._assets import _JavaScript

EVERY_PAGE = ("sortable.js", "edicion.js")  # table sorting; the edition switcher (pnmce.edition.publish)
SYNCHRONOUS = ("documentation_options.js",)
UNUSED_ASSETS = ("sphinx-thebe.css",)  # no live code in the book (pnmce.book.sphinx_offline)
DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")  # sphinx-design, only where a page uses it
DESIGN_MARKER = 'class="sd-'


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
    unused = UNUSED_ASSETS if DESIGN_MARKER in body else UNUSED_ASSETS + DESIGN_ASSETS
    context["script_files"] = [s for s in scripts if not str(getattr(s, "filename", "") or "").endswith(unused)]
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
