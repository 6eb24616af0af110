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
import string
from pathlib import Path

import pandas as pd

from pnmce.data.observed import data_date
from pnmce.fileio import write_if_changed
from pnmce.metrics.statuses import LINEA_BASE, STATUSES
from pnmce.present.fmt import spanish_date
from pnmce.swap import swap_in

EDITIONS = "ediciones"
SCRIPT = "edicion.js"  # in each book's _static/


def _template(name: str) -> str:
    """A page asset of this module, kept as a real file (`templates/`)."""
    return (Path(__file__).parent / "templates" / name).read_text(encoding="utf-8")


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
    return _template("edicion.js").replace("/*EDICION*/0", str(int(year)), 1).encode()


def edition_summary(year: int, summary: pd.DataFrame, pdf: bool) -> dict:
    counts = summary["semaforo"].value_counts()
    baseline = bool(len(summary)) and bool((summary["semaforo"] == LINEA_BASE).all())
    return {"anio": int(year), "fecha_datos": data_date(year).isoformat(), "ruta": f"{int(year)}/html",
            "pdf": f"{int(year)}/pnmce-2040-{int(year)}.pdf" if pdf else "",
            "linea_base": baseline,
            "semaforo": {} if baseline else {s: int(counts.get(s, 0)) for s in STATUSES}}


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
        if s.get("linea_base"):
            cells = f'<td colspan="{len(STATUSES)}" class="linea-base">Línea base (sin semáforo)</td>'
        else:
            cells = "".join(f"<td>{s['semaforo'].get(k, 0)}</td>" for k in STATUSES)
        pdf = f'<a href="{html.escape(s["pdf"])}">PDF</a>' if s["pdf"] else "—"
        day = spanish_date(pd.Timestamp(s["fecha_datos"]).date())
        rows.append(f'<tr><td><a href="{html.escape(s["ruta"])}/index.html">{s["anio"]}</a></td>'
                    f"<td>{day}</td>{cells}<td>{pdf}</td></tr>")
    return string.Template(_template("ediciones.html")).substitute(
        encabezado=head, filas="\n".join(rows), libro=html.escape(f"{summaries[-1]['ruta']}/index.html") if summaries else "#").encode()


def publish(build_dir: Path, year: int, html_dir: Path, summary: pd.DataFrame, pdf: bool = False) -> Path:
    """Copy the built HTML of `year` into its edition folder and refresh the shared list."""
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
