"""An edition's outputs in `_build/ediciones/`: its HTML, its PDF, the shared list of editions.

    _build/ediciones/AAAA/html/           the book of edition AAAA
    _build/ediciones/AAAA/pnmce-2040-AAAA.pdf
    _build/ediciones/versiones.js         every edition built (loaded by each edition's pages)
    _build/ediciones/index.html           the list of editions (year, date of the data, status counts)
    _build/ediciones/AAAA/edicion.json    what the list shows about AAAA

Building one edition writes only its own folder and the two shared files, so the HTML of the
others never changes: their switcher and the «newer edition» banner read `versiones.js` at view
time. A plain `<script>` is used, not the theme's JSON fetch, because browsers block `fetch` from
`file://` pages.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from pnmce.edition.model import data_date, spanish_date
from pnmce.fileio import write_if_changed

EDITIONS = "ediciones"
SCRIPT = "edicion.js"  # in each book's _static/
STATUSES = ["verde", "amarillo", "rojo", "sin dato", "sin meta"]


def editions_root(build_dir: Path) -> Path:
    return Path(build_dir) / EDITIONS


def edition_html(build_dir: Path, year: int) -> Path:
    return editions_root(build_dir) / str(int(year)) / "html"


def edition_pdf(build_dir: Path, year: int) -> Path:
    return editions_root(build_dir) / str(int(year)) / f"pnmce-2040-{int(year)}.pdf"


def built_years(build_dir: Path) -> list[int]:
    root = editions_root(build_dir)
    return sorted(int(p.parent.name) for p in root.glob("*/edicion.json") if p.parent.name.isdigit())


def edition_script(year: int) -> bytes:
    """`_static/edicion.js` of edition `year`: loads `../ediciones/versiones.js` (or the one two
    folders up, for `_build/ediciones/AAAA/html/`) and draws the switcher and the banner."""
    return ("""/* Edition switcher and banner (pnmce.edition.publish); data in _build/ediciones/versiones.js */
(function () {
  var EDITION = %d;
  var me = document.currentScript && document.currentScript.src;
  if (!me) { return; }
  var book = new URL("..", me);  /* the book's root folder: _static/.. */
  /* _build/ediciones/AAAA/html/ reads the list two folders up; _build/html/ reads ../ediciones/ */
  var inEdition = /\\/ediciones\\/\\d+\\/html\\/$/.test(book.pathname);
  var candidates = [new URL(inEdition ? "../../versiones.js" : "../ediciones/versiones.js", book)];
  function style() {
    var css = document.createElement("style");
    css.textContent = ".pnmce-ediciones{display:flex;gap:1rem;align-items:center;font-size:.9rem;margin:0 0 .75rem}" +
      ".pnmce-aviso-edicion{background:#fff3cd;border:1px solid #d9b84a;border-radius:4px;padding:.5rem .75rem;" +
      "margin:0 0 1rem}@media print{.pnmce-ediciones,.pnmce-aviso-edicion{display:none}}";
    document.head.appendChild(css);
  }
  function draw(list) {
    style();
    var latest = list.editions[list.editions.length - 1];
    var here = new URL(location.href);
    var page = here.href.indexOf(book.href) === 0 ? here.href.slice(book.href.length) : "index.html";
    var box = document.createElement("nav");
    box.className = "pnmce-ediciones";
    box.setAttribute("aria-label", "Ediciones");
    var label = document.createElement("label");
    label.textContent = "Edición ";
    var select = document.createElement("select");
    select.id = "pnmce-selector-edicion";
    list.editions.forEach(function (e) {
      var o = document.createElement("option");
      o.value = new URL(e.ruta + "/" + page, list.base).href;
      o.textContent = e.anio + (e.anio === latest.anio ? " (última)" : "");
      if (e.anio === EDITION) { o.selected = true; }
      select.appendChild(o);
    });
    select.addEventListener("change", function () { location.href = select.value; });
    label.appendChild(select);
    box.appendChild(label);
    var all = document.createElement("a");
    all.href = new URL("index.html", list.base).href;
    all.textContent = "Todas las ediciones";
    box.appendChild(all);
    var article = document.querySelector(".bd-article") || document.body;
    article.insertBefore(box, article.firstChild);
    if (latest.anio > EDITION) {
      var banner = document.createElement("div");
      banner.className = "pnmce-aviso-edicion";
      banner.setAttribute("role", "note");
      banner.appendChild(document.createTextNode("Esta es la edición " + EDITION +
        ". Hay una edición más reciente: "));
      var link = document.createElement("a");
      link.href = new URL(latest.ruta + "/index.html", list.base).href;
      link.textContent = "edición " + latest.anio;
      banner.appendChild(link);
      banner.appendChild(document.createTextNode("."));
      article.insertBefore(banner, article.firstChild);
    }
  }
  function load(i) {
    if (i >= candidates.length) { return; }
    var s = document.createElement("script");
    s.src = candidates[i].href;
    s.onload = function () {
      if (window.PNMCE_EDICIONES) {
        draw({editions: window.PNMCE_EDICIONES, base: new URL(".", s.src)});
      } else { load(i + 1); }
    };
    s.onerror = function () { load(i + 1); };
    document.head.appendChild(s);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { load(0); });
  } else { load(0); }
})();
""" % int(year)).encode()


def edition_summary(year: int, summary: pd.DataFrame, pdf: bool) -> dict:
    counts = summary["semaforo"].value_counts()
    return {"anio": int(year), "fecha_datos": data_date(year).isoformat(), "ruta": f"{int(year)}/html",
            "pdf": f"{int(year)}/pnmce-2040-{int(year)}.pdf" if pdf else "",
            "semaforo": {s: int(counts.get(s, 0)) for s in STATUSES}}


def _summaries(build_dir: Path) -> list[dict]:
    root = editions_root(build_dir)
    return [json.loads((root / str(y) / "edicion.json").read_text(encoding="utf-8")) for y in built_years(build_dir)]


def versions_js(summaries: list[dict]) -> bytes:
    items = [{"anio": s["anio"], "ruta": s["ruta"]} for s in summaries]
    return ("window.PNMCE_EDICIONES = " + json.dumps(items, ensure_ascii=False) + ";\n").encode()


def index_html(summaries: list[dict]) -> bytes:
    head = "".join(f"<th>{html.escape(s.capitalize())}</th>" for s in STATUSES)
    rows = []
    for s in reversed(summaries):
        cells = "".join(f"<td>{s['semaforo'][k]}</td>" for k in STATUSES)
        pdf = f'<a href="{html.escape(s["pdf"])}">PDF</a>' if s["pdf"] else "—"
        day = spanish_date(pd.Timestamp(s["fecha_datos"]).date())
        rows.append(f'<tr><td><a href="{html.escape(s["ruta"])}/index.html">{s["anio"]}</a></td>'
                    f"<td>{day}</td>{cells}<td>{pdf}</td></tr>")
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="es">
<head><meta charset="utf-8"><title>PNMCE al 2040: ediciones</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Ediciones anuales del libro reproducible de la PNMCE al 2040, con el estado de sus indicadores.">
<link rel="icon" href="data:,">
<style>body{{font-family:sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #bbb;padding:.3rem .6rem;text-align:right}}td:first-child,td:nth-child(2){{text-align:left}}</style>
</head>
<body>
<main>
<h1>PNMCE al 2040: ediciones del libro</h1>
<p>Cada edición es el libro con los valores observados hasta su año de seguimiento. Indicadores por estado del semáforo.</p>
<table>
<thead><tr><th>Edición</th><th>Datos al</th>{head}<th>Libro en PDF</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
""".encode()


def publish(build_dir: Path, year: int, html_dir: Path, summary: pd.DataFrame, pdf: bool = False) -> Path:
    """Copy the built HTML of `year` into its edition folder and refresh the shared list."""
    from pnmce.book.build import swap_in  # the build's never-half-written copy

    target = edition_html(build_dir, year)
    target.parent.mkdir(parents=True, exist_ok=True)
    swap_in(html_dir, target)
    info = json.dumps(edition_summary(year, summary, pdf), ensure_ascii=False, indent=1) + "\n"
    write_if_changed(target.parent / "edicion.json", info.encode())
    refresh_shared(build_dir)
    return target


def refresh_shared(build_dir: Path) -> None:
    summaries = _summaries(build_dir)
    write_if_changed(editions_root(build_dir) / "versiones.js", versions_js(summaries))
    write_if_changed(editions_root(build_dir) / "index.html", index_html(summaries))
