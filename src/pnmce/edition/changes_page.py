"""The book page «Cambios respecto a la edición anterior», from the same comparison as `pnmce diff`."""

from __future__ import annotations

from pnmce.edition.compare import SECTIONS, Comparison
from pnmce.present.tables import escape, table

PAGE = "generado/cap5/cambios-edicion"  # in _toc.yml, relative to book/
TITLE = "Cambios respecto a la edición anterior"
_HEADERS = {"indicador": "Indicador", "anio": "Año", "campo": "Dato", "antes": "Antes", "ahora": "Ahora"}


def changes_markdown(year: int, comp: Comparison | None) -> str:
    lines = [f"# {TITLE}", ""]
    if comp is None:
        lines.append(f"La edición {year} es la primera registrada: no hay una edición anterior "
                     "con la que compararla.")
        return "\n".join(lines) + "\n"
    counts = comp.counts()
    lines += [f"Comparación de la edición {comp.after} con la edición {comp.before}, a partir de sus registros.", ""]
    lines += [f"- {escape(title)}: {counts[key]}" for key, title in SECTIONS.items()]
    for n, (key, title) in enumerate(SECTIONS.items(), start=1):
        part = comp.section(key)
        if part.empty:
            continue
        cols = ["indicador", "campo", "antes", "ahora"] if key != "valor revisado" and key != "meta" \
            else ["indicador", "anio", "campo", "antes", "ahora"]
        if key.startswith("alerta"):
            cols = ["indicador", "ahora" if key == "alerta nueva" else "antes"]
        frame = part[cols].rename(columns=_HEADERS)
        frame.columns = ["Alerta" if key.startswith("alerta") and c in ("Antes", "Ahora") else c for c in frame.columns]
        lines += ["", f"## {escape(title)}", "",
                  table(frame, f"{title} (edición {comp.before} → {comp.after})", f"tabla-cambios-{n}").text]
    return "\n".join(lines) + "\n"
