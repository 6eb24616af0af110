"""The PDF book of an edition: Jupyter Book's single-page HTML, laid out by WeasyPrint (CSS paged media).

Why WeasyPrint: the page layout an official report needs (A4, title page, table of contents with
page numbers via `target-counter`, running chapter title via `string-set`, bookmarks, landscape pages
for wide matrices, document metadata) is plain CSS, with no TeX installation, and the output is
byte-identical for the same input. Each chart is drawn as SVG (vector) by vl-convert, for paper,
from the spec the single-page book keeps (`vegalite_to_svg` is deterministic).

The print document is rebuilt from the book's article content: the theme's navigation, buttons and
scripts are dropped; the edition switcher is not printed.
"""

from __future__ import annotations

import base64
import fnmatch
import html as html_lib
import json
import os
from pathlib import Path

from bs4 import BeautifulSoup

from pnmce.book.chart_images import svg
from pnmce.fileio import atomic_write_bytes
from pnmce.present.charts import PRINT_WIDTH, SPEC_CLASS
from pnmce.present.formula import print_css as formula_css  # MathML drawn with CSS (WeasyPrint)
from pnmce.provenance import environment, sha

AUTHOR = "MINCETUR (datos de la política); edición reproducible"
# Tagged PDF (structure tree, /MarkInfo, DisplayDocTitle, XMP metadata with pdfuaid:part 1):
# screen readers get headings, lists, tables and the charts' text alternatives.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
WIDE_COLUMNS = 6  # tables with more columns go on landscape pages


class PdfError(Exception):
    """The PDF could not be produced; the message is for the user, in Spanish."""


PRINT_CSS = """
@page { size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left { content: string(capitulo); font-size: 8pt; color: #555; }
  @top-right { content: "PNMCE al 2040 · edición " string(edicion); font-size: 8pt; color: #555; }
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
@page portada { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
@page apaisada { size: A4 landscape; margin: 15mm 15mm 15mm 15mm; }
html { font-family: "DejaVu Serif", serif; font-size: 9.5pt; line-height: 1.35; }
body { margin: 0; counter-reset: figura; }
h1, h2, h3, h4, h5, h6 { font-family: "DejaVu Sans", sans-serif; color: #1f4e79; line-height: 1.2;
  break-after: avoid; bookmark-level: none; font-size: 10.5pt; }
.nivel-1 { font-size: 17pt; break-before: page; string-set: capitulo content(); bookmark-level: 1; }
.nivel-2 { font-size: 13pt; bookmark-level: 2; }
.nivel-3 { font-size: 11.5pt; bookmark-level: 3; }
.nivel-4 { font-size: 11pt; bookmark-level: 4; }
section.portada { page: portada; text-align: center; padding-top: 60mm; string-set: edicion attr(data-edicion); }
section.portada h1 { font-size: 22pt; bookmark-level: 1; bookmark-label: "Portada"; }
section.portada p { font-size: 12pt; }
nav.indice { page: portada; break-before: page; }
nav.indice h1 { font-size: 17pt; bookmark-level: 1; bookmark-label: "Índice"; }
nav.indice ol { list-style: none; padding-left: 0; }
nav.indice ol ol { padding-left: 6mm; }
nav.indice li.capitulo { margin-top: 3pt; font-weight: bold; }
nav.indice li.seccion { font-weight: normal; }
nav.indice a { color: black; text-decoration: none; }
nav.indice a::after { content: leader(".") target-counter(attr(href), page); }
a { color: #1f4e79; text-decoration: none; }
table { border-collapse: collapse; font-size: 7.5pt; margin: 4pt 0 8pt; width: 100%; }
th, td { border: 0.4pt solid #999; padding: 1.5pt 3pt; vertical-align: top; text-align: left; }
th { background: #eef3f8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
caption, figcaption { caption-side: top; font-size: 8.5pt; font-style: italic; text-align: left; margin-bottom: 3pt; }
div.apaisada { page: apaisada; }
div.apaisada table { font-size: 6.5pt; }
figure { margin: 6pt 0; break-inside: avoid; }
figure.pnmce-chart .caption-number { font-weight: bold; }
figure.pnmce-chart figcaption { break-after: avoid; }  /* a figure taller than a page (the problem tree) */
figure.pnmce-chart img { width: 100%; max-height: 110mm; object-fit: contain; }
img { max-width: 100%; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; white-space: pre-wrap; }
.visually-hidden { position: static; width: auto; height: auto; clip: auto; overflow: visible; }
"""

# Web-only parts not printed: the theme's controls, the edition switcher, the download paragraphs,
# and any text a page marks `pnmce-solo-web` (an instruction such as «haga clic para ordenar»).
_DROP = ["script", "style", "button", "a.headerlink", ".pnmce-ediciones",
         ".pnmce-aviso-edicion", "nav", "form", "input", "select", ".pnmce-descargas", ".pnmce-solo-web"]


def _paper_links(article) -> None:
    """Links that lead nowhere on paper: a download link becomes its file's name (the text
    «Descargar…», «CSV», «Excel» of the web page says nothing in print); a link to a place of the
    single page by its file name (a glossary term) points to that place; a link to any other file
    keeps only its text, so that the PDF carries no local path."""
    ids = {node["id"] for node in article.find_all(id=True)}
    for link in article.select("a[href]"):
        href = link["href"]
        if link.has_attr("download"):
            link.replace_with(href.rsplit("/", 1)[-1])
        elif not href.startswith(("#", "http://", "https://", "mailto:")):
            fragment = href.partition("#")[2]
            if fragment in ids:
                link["href"] = "#" + fragment
            else:
                link.unwrap()


def chart_svg(spec: dict) -> bytes:
    """The chart drawn for paper: the A4 text column's width."""
    return svg(spec, PRINT_WIDTH)


def toc_depths(toc: dict):
    """A function: document name → its depth in the Jupyter Book TOC (1 = chapter), None if absent."""
    files, globs = {}, []

    def walk(entries, depth):
        for e in entries:
            if "file" in e:
                files[e["file"]] = depth
            if "glob" in e:
                globs.append((e["glob"], depth))
            walk(e.get("sections", []), depth + 1)
    walk(toc.get("chapters", []), 1)

    def depth(doc: str):
        if doc in files:
            return files[doc]
        return next((d for pattern, d in globs if fnmatch.fnmatch(doc, pattern)), None)
    return depth


def print_document(source: str, year: int, data_day: str, reference: str, toc: dict) -> str:
    """The print HTML (title page, table of contents, body) from the single-page book's HTML."""
    depths = toc_depths(toc)
    soup = BeautifulSoup(source, "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    # charts: each spec drawn as SVG
    for figure in article.select("figure.pnmce-chart"):
        script = figure.find("script", class_=SPEC_CLASS)
        if script is None:
            continue
        spec = json.loads(script.string)
        img = soup.new_tag("img", src="data:image/svg+xml;base64," + base64.b64encode(chart_svg(spec)).decode(),
                           alt=spec.get("description", ""))
        script.replace_with(img)
        caption = figure.find("figcaption")
        if caption is not None:
            caption["class"] = []  # visible in print, above the chart as for tables
            figure.insert(0, caption.extract())
    for selector in _DROP:
        for node in article.select(selector):
            node.decompose()
    _paper_links(article)
    # the root page's own title is the title page
    first = article.find("h1")
    if first is not None:
        first.decompose()
    seen = set()  # each page's ids repeat across the single-page book: keep the first of each
    for node in article.find_all(id=True):
        if node["id"] in seen:
            del node["id"]
        else:
            seen.add(node["id"])
    for table in article.find_all("table"):
        header = table.find("tr")
        if header is not None and len(header.find_all(["th", "td"])) > WIDE_COLUMNS:
            table.wrap(soup.new_tag("div", attrs={"class": "apaisada"}))
    # headings of the TOC's documents: chapters (depth 1), sections (2), deeper pages (3, 4)
    entries = []
    for n, span in enumerate(article.select('span[id^="document-"]')):
        depth = depths(span["id"][len("document-"):])
        heading = span.find_next(["h1", "h2", "h3", "h4", "h5", "h6"])
        if depth is None or heading is None:
            continue
        heading["class"] = heading.get("class", []) + [f"nivel-{min(depth, 4)}"]
        anchor = f"documento-{n}"  # the pages' own ids repeat across pages in the single-page book
        heading["id"] = anchor
        if depth <= 2:
            entries.append((depth, anchor, heading.get_text(" ", strip=True)))
    toc, open_chapter = [], False
    for depth, anchor, text in entries:
        item = f'<a href="#{html_lib.escape(anchor)}">{html_lib.escape(text)}</a>'
        if depth == 1:
            if open_chapter:
                toc.append("</ol></li>")
            toc.append(f'<li class="capitulo">{item}<ol>')
            open_chapter = True
        elif open_chapter:
            toc.append(f'<li class="seccion">{item}</li>')
    if open_chapter:
        toc.append("</ol></li>")
    title = f"Política Nacional Multisectorial de Comercio Exterior al 2040 — edición {year}"
    esc = html_lib.escape
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="author" content="{esc(AUTHOR)}">
<meta name="description" content="Libro reproducible de la PNMCE al 2040, edición {year} (datos al {esc(data_day)})">
<meta name="keywords" content="PNMCE, comercio exterior, seguimiento, edición {year}">
<meta name="generator" content="pnmce (WeasyPrint)">
<meta name="dcterms.created" content="{reference}">
<meta name="dcterms.modified" content="{reference}">
<style>{PRINT_CSS}{formula_css()}</style>
</head>
<body>
<section class="portada" data-edicion="{year}">
<h1>{esc(title)}</h1>
<p>Edición {year}</p>
<p>Datos observados al {esc(data_day)}</p>
<p>Ministerio de Comercio Exterior y Turismo (MINCETUR)</p>
</section>
<nav class="indice"><h1>Índice</h1><ol>{"".join(toc)}</ol></nav>
<main>{article.decode_contents()}</main>
</body>
</html>
"""


def print_pdf(singlehtml: Path, toc: dict, target: Path, year: int) -> Path:
    """Lay out the single-page book of edition `year` (`toc`: the parsed `_toc.yml`) into `target`
    (mode 644, written atomically)."""
    from weasyprint import HTML

    from pnmce.data.observed import data_date
    from pnmce.edition.dates import reference_datetime
    from pnmce.present.fmt import spanish_date

    page = Path(singlehtml) / f"{toc['root']}.html"
    if not page.is_file():
        raise PdfError(f"No se encontró el libro en una sola página: {page}")
    reference = reference_datetime(year).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = print_document(page.read_text(encoding="utf-8"), year, spanish_date(data_date(year)), reference, toc)
    # Laying out ~600 pages takes minutes: reuse the PDF when the print document, the images it links
    # and the environment (WeasyPrint's version, the fonts) are those it was printed from.
    stamp = Path(singlehtml).parent / f"pdf-{year}.huella"
    images = sorted((Path(singlehtml) / "_images").rglob("*")) if (Path(singlehtml) / "_images").is_dir() else []
    source = sha(document + environment() + json.dumps(PDF_OPTIONS, sort_keys=True)
                 + "".join(sha(p.read_bytes()) for p in images if p.is_file()))
    if target.is_file() and stamp.is_file() and stamp.read_text() == f"{source} {sha(target.read_bytes())}":
        return target
    try:
        pdf = HTML(string=document, base_url=str(page.parent) + os.sep).write_pdf(**PDF_OPTIONS)
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs the reason
        raise PdfError(f"WeasyPrint no pudo componer el PDF de la edición {year}: {exc}") from None
    atomic_write_bytes(target, pdf)  # mode 644
    stamp.write_text(f"{source} {sha(pdf)}")
    return target
