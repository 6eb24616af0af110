"""Sphinx extension: an offline, deterministic book, with its provenance in the page footer.

- Drops the live-code (Thebe) scripts Jupyter Book always adds: the book has no live execution,
  and Jupyter Book 1 declares `const THEBE_JS_URL` twice on each page and names a CDN address.
- No `?v=<checksum>` on stylesheets and scripts: Sphinx adds it only when the file is already in
  the output folder, so a clean build and an incremental one differed.
- No build date ("Actualizado por última vez…"): outputs never read the clock.
- The footer states the edition, the data version and the commit, which the build passes in
  `PNMCE_EDICION`, `PNMCE_DATOS` and `PNMCE_COMMIT`. Provenance belongs to the book layer: a
  new commit re-executes no notebook. The commit is not in the pages themselves but in one
  shared script, `_static/procedencia.js`, which fills it into every footer: a commit with no
  content change then rewrites that file only, and editions diff where their content differs.
- Every page is rewritten when the navigation changed (see `_config_inited`).
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

_CHECKSUM = re.compile(r"\?v=[0-9a-f]{8}(?=\")")


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    name = str(getattr(script, "filename", script) or "")
    return "THEBE_JS_URL" in body or name.endswith(("sphinx-thebe.js", "thebe/lib/index.js"))


def _without_checksum(tag):
    return lambda asset: _CHECKSUM.sub("", tag(asset))


def _page_context(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]
    for name in ("css_tag", "js_tag"):
        if name in context:
            context[name] = _without_checksum(context[name])
    context["last_updated"] = None


PROVENANCE_SCRIPT = "procedencia.js"


def footer() -> str:
    """The provenance line of every page (empty when the build did not pass it). The commit's
    place is filled by `_static/procedencia.js` (see `provenance_script`)."""
    parts = [(label, os.environ.get(var, "")) for label, var in
             (("Edición", "PNMCE_EDICION"), ("versión de los datos", "PNMCE_DATOS"))]
    shown = [f"{label} <code>{html.escape(value)}</code>" for label, value in parts if value]
    if os.environ.get("PNMCE_COMMIT"):
        shown.append('versión del código <code class="pnmce-commit">(en _static/procedencia.js)</code>')
    return f'<p class="pnmce-procedencia">{"; ".join(shown)}.</p>' if shown else ""


def provenance_script(commit: str) -> str:
    """The shared script that writes the commit into each page's footer."""
    return ("// Provenance of this build, shared by every page (pnmce.book.sphinx_offline).\n"
            "document.addEventListener(\"DOMContentLoaded\", function () {\n"
            "  document.querySelectorAll(\".pnmce-commit\").forEach(function (el) {\n"
            f"    el.textContent = {json.dumps(commit, ensure_ascii=False)};\n"
            "  });\n"
            "});\n")


def _write_provenance(app, exception):
    # After the build, written directly into the output: Sphinx returns before copying static
    # files when no page is out of date, and the source tree stays free of build products.
    commit = os.environ.get("PNMCE_COMMIT", "")
    if exception is None and commit and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / PROVENANCE_SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        text = provenance_script(commit).encode("utf-8")
        if not target.is_file() or target.read_bytes() != text:
            target.write_bytes(text)


def _config_inited(app, config):
    # Sphinx rewrites every page when an "html" config value changes. The build passes a digest
    # of the book's navigation (page titles and the set of pages): a renamed or removed page then
    # updates the sidebar and the previous/next links of every page, as a clean build would.
    config.pnmce_navegacion = os.environ.get("PNMCE_NAVEGACION", "")
    config.html_last_updated_fmt = None
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = footer()
    config.html_theme_options = options


def _reread_index_documents(app, env, added, changed, removed):
    """Re-read the documents that define index entries (the glossary's terms) on every build:
    Sphinx rebuilds the search index's `indexentries` only from the documents it read, so a
    rebuild that skips the glossary would drop its terms from `searchindex.js`."""
    terms = env.domains["std"].objects
    return sorted({doc for (kind, _name), (doc, _id) in terms.items() if kind == "term"} - set(removed))


def setup(app):
    app.add_config_value("pnmce_navegacion", "", "html")
    app.connect("env-get-outdated", _reread_index_documents)
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write_provenance)
    app.add_js_file(PROVENANCE_SCRIPT, defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
