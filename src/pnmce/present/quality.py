"""The source's quality control, for two audiences.

Readers get «Notas sobre los datos de la política»: the corrections this book applies and the data
the policy gives with different figures, each with its reason, one table per rule. Maintainers get
the full finding-by-finding list, with the source's line ranges, in the annex «Notas técnicas»
(the edition record keeps it too).
"""

from __future__ import annotations

import re

import pandas as pd

from pnmce.data.package import Catalogue
from pnmce.present.citation import reader_source
from pnmce.present.findings import summary
from pnmce.present.page import indicator_path, link, plural, service_path
from pnmce.present.tables import Markdown, escape, table

# The rules a reader is told about: what the book changed, and what the policy says twice.
# code -> (table caption, one line saying what the table lists)
PUBLIC_RULES = {
    "QC14": ("Correcciones aplicadas a los datos de la política",
             "Datos publicados que el libro corrige (erratas y nombres oficiales). El valor publicado se conserva "
             "junto al corregido."),
    "QC21": ("Referencias bibliográficas unidas o completadas",
             "Entradas de la bibliografía repetidas que se unen, o cuya dirección se completa o se repara."),
    "QC18": ("Datos que la política publica con cifras distintas",
             "Un mismo dato que la política da con valores diferentes según el lugar. El libro no elige entre "
             "ellos: cada cifra se muestra donde la política la publica."),
}


# --- readers: «Notas sobre los datos de la política» ------------------------------------------

def public_intro(cat: Catalogue, found: pd.DataFrame, technical_page: str) -> Markdown:
    counts = found["codigo"].value_counts()
    fixed = len(cat.correcciones)
    refs = int(counts.get("QC21", 0))
    twice = int(counts.get("QC18", 0))
    return Markdown(
        f"Para llevar la política a datos, este libro aplica {plural(fixed, 'corrección', 'correcciones')} "
        f"y {plural(refs, 'cambio', 'cambios')} en la bibliografía; en cada caso guarda "
        f"el valor publicado y el motivo del cambio. Además, {plural(twice, 'dato aparece', 'datos aparecen')} en la "
        "política con cifras distintas según el lugar. Las tablas siguientes los reúnen; la revisión completa de la "
        f"fuente, regla por regla, está en las [notas técnicas]({technical_page}).")


def _clave(clave: str) -> str:
    return ", ".join(p for p in (reader_source(k) for k in str(clave).split("|")) if p)


def corrections_table(cat: Catalogue) -> Markdown:
    c = cat.correcciones
    frame = pd.DataFrame({
        "Dato": [f"{_clave(k)} ({campo})" for k, campo in zip(c["clave"], c["campo"])],
        "Publicado": c["valor_publicado"].map(lambda v: v or "(vacío)"),
        "Corregido": c["valor_corregido"].map(lambda v: v or "(vacío)"),
        "Motivo": [reader_source(m) for m in c["motivo"]],
    })
    title, _ = PUBLIC_RULES["QC14"]
    return table(frame, title, "tabla-notas-correcciones", widths=[22, 18, 18, 42])


_REFERENCE = re.compile(r"^Referencia (?P<key>\S+), «(?P<field>[^»]+)»: (?P<change>.*)$", re.S)
_FIELD = {"url": "dirección", "howpublished": "publicación", "author": "autores", "title": "título",
          "year": "año", "publisher": "editor", "entrada": "entrada"}


def _reference_row(detail: str) -> dict:
    m = _REFERENCE.match(detail)
    if not m:
        return {"Referencia": "", "Dato": "", "Cambio": reader_source(detail)}
    return {"Referencia": m["key"], "Dato": _FIELD.get(m["field"], m["field"]), "Cambio": reader_source(m["change"])}


def rule_table(found: pd.DataFrame, code: str) -> Markdown | None:
    """One public rule's findings, cited by the policy's sections and figures (no line numbers)."""
    group = found[found["codigo"] == code]
    if group.empty:
        return None
    if code == "QC21":
        frame = pd.DataFrame([_reference_row(d) for d in group["detalle"]])
    else:
        frame = pd.DataFrame({"Nota": [reader_source(d) for d in group["detalle"]]})
    title, _ = PUBLIC_RULES[code]
    return table(frame, title, f"tabla-notas-{code.lower()}")


def public_sections(cat: Catalogue, found: pd.DataFrame):
    """For each public rule with something to say: its heading, its line, its table."""
    for code, (title, line) in PUBLIC_RULES.items():
        shown = corrections_table(cat) if code == "QC14" and not cat.correcciones.empty else (
            rule_table(found, code) if code != "QC14" else None)
        if shown is None:
            continue
        yield Markdown(f"## {escape(title)}\n\n{escape(line)}")
        yield shown


# --- maintainers: the full list (annex «Notas técnicas») ----------------------------------------

def intro(found: pd.DataFrame) -> Markdown:
    errors = int((found["severidad"] == "error_fuente").sum())
    return Markdown(
        f"Se registran {plural(len(found), 'hallazgo', 'hallazgos')}: {errors} son errores de la fuente y "
        f"{len(found) - errors} son avisos. Todos los hallazgos en un archivo: "
        "<a href=\"../../_static/datos/control-calidad.csv\" download>control-calidad.csv</a>.")


def summary_table(found: pd.DataFrame) -> Markdown:
    s = summary(found)
    frame = pd.DataFrame({"Código": s["codigo"], "Regla": s["regla"], "Severidad": s["severidad"].str.replace("_", " "),
                          "Hallazgos": s["hallazgos"].astype(str)})
    return table(frame, "Hallazgos por regla", "tabla-qc-resumen", widths=[10, 60, 15, 15])


def _subject(entity: str, ident: str, pages: dict[str, set[str]]) -> str:
    """The entity, linked to its page when it has one (a code the source invents has none)."""
    if entity == "indicador" and ident in pages["indicador"]:
        return link(ident, indicator_path(ident))
    if entity == "servicio" and ident in pages["servicio"]:
        return link(ident, service_path(ident))
    return escape(f"{entity} {ident}")


def findings_table(cat: Catalogue, group: pd.DataFrame, code: str) -> Markdown:
    pages = {"indicador": set(cat.indicadores["id"]), "servicio": set(cat.servicios["id"])}
    frame = pd.DataFrame({
        "Elemento": [_subject(e, i, pages) for e, i in zip(group["entidad"], group["id"])],
        "Año": [escape(a) or "—" for a in group["anio"]],
        "Detalle": [escape(d) for d in group["detalle"]],
        "Dónde": [escape(p) for p in group["procedencia"]],
    })
    return table(frame, f"Hallazgos {code}", f"tabla-qc-{code.lower()}", raw_columns=tuple(frame.columns),
                 widths=[14, 7, 49, 30], sortable=True)
