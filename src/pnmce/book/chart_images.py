"""Sphinx extension: every chart drawn at build time as SVG files; pages load no charting library.

A chart's output carries its Vega-Lite spec (`pnmce.present.charts.spec_script`). As Sphinx writes
a page, each spec becomes a `<picture>`: a drawing for wide screens and, when it differs, one for
phones, which the browser picks by the screen's width; both scale down with their column. The
files are named by the spec's digest, in `_graficos/`, with the spec beside them (`.vl.json`), so
that the tests check every chart of the built book against the rules and the schema.

Why files and not the Vega runtime in the page: the runtime (900 KB of script) made chart pages
slow on phones, and a drawing needs no script, prints and reads the same, and is an image named
by its description for screen readers. vl-convert draws deterministically (`vegalite_to_svg`).

The single-page book (the PDF's source) keeps the specs: the PDF draws them for paper.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from pnmce.fileio import write_if_changed
from pnmce.present.charts import SPEC_CLASS, VL_VERSION, drawn_at, embedded_specs
from pnmce.provenance import sha

FOLDER = "_graficos"
WIDE = 720  # px: the text column at 1366 px; narrower columns scale the drawing down
PHONE = 340  # px: a 390 px screen less the page's margins
PHONE_SCREEN = "(max-width: 640px)"  # screens that get the phone drawing
SPEC_SUFFIX = ".vl.json"
_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg(spec: dict, width: int) -> bytes:
    import vl_convert as vlc  # loaded only where a page has a chart

    return vlc.vegalite_to_svg(drawn_at(spec, width), vl_version=VL_VERSION).encode("utf-8")


def size(drawing: bytes) -> tuple[int, int]:
    """The drawing's width and height in px (its `svg` element's attributes)."""
    found = _SIZE.search(drawing)
    if found is None:
        raise ValueError("SVG sin ancho ni alto")
    return round(float(found.group(1))), round(float(found.group(2)))


def drawings(spec: dict) -> dict[str, bytes]:
    """File name → content for one chart: the spec, the wide drawing and, if it differs, the phone's."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    name = sha(text)
    files = {name + SPEC_SUFFIX: text.encode("utf-8"), name + ".svg": svg(spec, WIDE)}
    phone = svg(spec, PHONE)
    if phone != files[name + ".svg"]:
        files[name + "-movil.svg"] = phone
    return files


def picture(files: dict[str, bytes], url, description: str, eager: bool) -> str:
    """The `<picture>` for one chart's files; `url` turns a file name into the page's link to it."""
    wide = next(n for n in files if n.endswith(".svg") and not n.endswith("-movil.svg"))
    phone = next((n for n in files if n.endswith("-movil.svg")), None)
    source = ""
    if phone:
        w, h = size(files[phone])
        source = f'<source media="{PHONE_SCREEN}" srcset="{url(phone)}" width="{w}" height="{h}">'
    w, h = size(files[wide])
    loading = "" if eager else ' loading="lazy"'
    return (f'<picture class="{SPEC_CLASS}">{source}<img src="{url(wide)}" width="{w}" height="{h}"'
            f' alt="{html.escape(description)}"{loading} decoding="async"></picture>')


def draw_page(body: str, url) -> tuple[str, dict[str, bytes]]:
    """The page's body with each chart spec replaced by its picture, and the files to write."""
    out, files, last = [], {}, 0
    for number, (start, end, spec) in enumerate(embedded_specs(body)):
        chart = drawings(spec)
        files.update(chart)
        out += [body[last:start], picture(chart, url, spec.get("description", ""), eager=number == 0)]
        last = end
    return "".join(out) + body[last:], files


def referenced(pages: list[Path]) -> set[str]:
    """The chart files the pages link to (a spec always goes with its drawings)."""
    names = set()
    for page in pages:
        for name in re.findall(rf'{FOLDER}/([0-9a-f]+)(?:-movil)?\.svg', page.read_text(encoding="utf-8")):
            names.add(name)
    return names


def _page_context(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or "body" not in context:
        return
    body, files = draw_page(context["body"], lambda name: context["pathto"](f"{FOLDER}/{name}", 1))
    if files:
        context["body"] = body
        folder = Path(app.outdir) / FOLDER
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            write_if_changed(folder / name, content)


def _build_finished(app, exception):
    """Remove the drawings of charts no page shows any more (Sphinx rewrites only changed pages)."""
    folder = Path(app.outdir) / FOLDER
    if exception is not None or app.builder.name != "html" or not folder.is_dir():
        return
    keep = referenced(sorted(Path(app.outdir).rglob("*.html")))
    for path in sorted(folder.iterdir()):
        if path.name.split("-")[0].split(".")[0] not in keep:
            path.unlink()


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
