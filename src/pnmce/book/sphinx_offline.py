"""Sphinx extension: drop the live-code (Thebe) scripts Jupyter Book always adds.

The book has no live execution. Jupyter Book 1 declares `const THEBE_JS_URL` twice on each
page (a JavaScript error) and names a CDN address; removing the scripts fixes both.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    name = str(getattr(script, "filename", script) or "")
    return "THEBE_JS_URL" in body or name.endswith(("sphinx-thebe.js", "thebe/lib/index.js"))


def _drop_thebe(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
