"""Sphinx extension: the theme and extensions speak Spanish, with accents, and name their controls.

- Strings the installed catalogs leave in English or unaccented («Link to this heading»,
  «Descarga esta pagina», «Navegación del sección») are overridden, for Sphinx's own catalog (the
  templates' `_()` and the permalinks' tooltips) and for sphinx-book-theme's. Strings the themes
  write without a catalog live in the template overrides of `book/_templates/`.
- The sidebar's expandable chapters get a name for their `<summary>` (screen readers announced an
  unnamed button).
- Every page gets a meta description: its first paragraph of text, shortened.
- Tables that scroll sideways (on phones) sit in a focusable region named after their caption, so
  that a keyboard can scroll them; the theme's script removes the tab stop where nothing scrolls.
- The bibliography's entries are list items: docutils gives them the ARIA role
  `doc-biblioentry`, deprecated, inside a `role="list"`, which then had no list items.
"""

from __future__ import annotations

import gettext
import html
import re

from docutils import nodes
from markupsafe import Markup
from sphinx import locale

TRANSLATIONS = {
    "Link to this heading": "Enlace a este encabezado",
    "Link to this table": "Enlace a esta tabla",
    "Link to this image": "Enlace a esta imagen",
    "Link to this code": "Enlace a este código",
    "Link to this definition": "Enlace a esta definición",
    "Link to this equation": "Enlace a esta ecuación",
    "Link to this term": "Enlace a este término",
    "Permalink to this heading": "Enlace a este encabezado",
    "Download this page": "Descargar esta página",
    "Download source file": "Descargar el archivo fuente",
    "Print to PDF": "Imprimir en PDF",
    "Search": "Buscar",
    "Search the docs ...": "Buscar en el libro…",
    "Color mode": "Modo de color",
    "Light": "Claro",
    "Dark": "Oscuro",
    "System Settings": "Según el sistema",
    "Skip to main content": "Saltar al contenido principal",
    "Back to top": "Volver arriba",
    "Site navigation": "Navegación del sitio",
    "Section Navigation": "Navegación de la sección",
    "Section navigation": "Navegación de la sección",
    "On this page": "En esta página",
    "Contents": "Contenido",
    "Close": "Cerrar",
    "Theme": "Tema",
    "Version warning": "Advertencia de versión",
    "Announcement": "Anuncio",
    "previous": "anterior",
    "next": "siguiente",
    "Breadcrumb": "Ruta de navegación",
    "Home": "Inicio",
}

SUMMARY_LABEL = "Mostrar u ocultar las secciones"
_SUMMARY = re.compile(r"<summary>(\s*<span class=\"toctree-toggle\")")
_DESCRIPTION_LENGTH = 155
_TABLE = re.compile(r'<div class="pst-scrollable-table-container">(\s*<table\b[^>]*>\s*(?:<caption>(.*?)</caption>)?)', re.S)


class Overrides(gettext.NullTranslations):
    """Our translations first, then the catalog's."""

    def __init__(self, fallback: gettext.NullTranslations | None):
        super().__init__()
        if fallback is not None:
            self.add_fallback(fallback)

    def gettext(self, message):
        return TRANSLATIONS.get(message) or super().gettext(message)


def _builder_inited(app):
    for key in [k for k in locale.translators if k[1] in ("sphinx", "booktheme")]:
        if not isinstance(locale.translators[key], Overrides):
            locale.translators[key] = Overrides(locale.translators[key])
    app.translator = locale.translators.get(("general", "sphinx"), Overrides(None))
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.install_gettext_translations(app.translator, newstyle=False)


def name_summaries(markup: str) -> str:
    """Give every expandable entry of the sidebar an accessible name."""
    return _SUMMARY.sub(f'<summary><span class="visually-hidden">{SUMMARY_LABEL}</span>\\1', markup)


def _table_region(match: re.Match) -> str:
    caption = re.sub(r'<a class="headerlink".*?</a>', "", match.group(2) or "")
    caption = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", caption).split())) or "Tabla"
    return (f'<div class="pst-scrollable-table-container" role="region" tabindex="0" '
            f'aria-label="{html.escape(caption, quote=True)}">{match.group(1)}')


def accessible_body(body: str) -> str:
    """Tables in named, focusable regions; bibliography entries as list items."""
    return _TABLE.sub(_table_region, body).replace('role="doc-biblioentry"', 'role="listitem"')


def description(doctree, title: str, book: str) -> str:
    """The page's first paragraph of prose (at least a few words), cut at a word near 155 characters."""
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text.split()) >= 6:
            break
    else:
        text = f"{title}. {book}" if title else book
    if len(text) > _DESCRIPTION_LENGTH:
        text = text[:_DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _page_context(app, pagename, templatename, context, doctree):
    toctree = context.get("generate_toctree_html")
    if callable(toctree) and not getattr(toctree, "pnmce_named", False):
        def named(*args, **kwargs):
            return Markup(name_summaries(str(toctree(*args, **kwargs))))
        named.pnmce_named = True
        context["generate_toctree_html"] = named
    if "body" in context:
        context["body"] = accessible_body(context["body"])
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        book = app.config.html_title or app.config.project
        text = description(doctree, re.sub(r"<[^>]+>", "", context.get("title", "")), book) if doctree else book
        context["metatags"] = metatags + f'\n    <meta name="description" content="{html.escape(text)}" />'


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context, priority=900)  # after the theme's handlers
    return {"parallel_read_safe": True, "parallel_write_safe": True}
