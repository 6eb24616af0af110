"""The reference chapters (1 norms, 6 glossary and acronyms, 8 bibliography) and the links other
pages make to them: `norm_link`, `link_terms`, `cite`.

Helpers for any page:

* `norm_link(cat, "ds-029-2018-pcm")` → a `{ref}` to the norm's section in chapter 1.
* `link_terms(cat, text)` → the text with the first occurrence of each glossary term as a `{term}`
  role (`page.paragraph` applies it to every generated paragraph).
* `cite("ceplan2024guia")` → `{cite:p}`, "(CEPLAN, 2024)", linked to chapter 8; `cite_t` for "CEPLAN (2024)".
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from pnmce.data import pages
from pnmce.data.package import Catalogue
from pnmce.present.citation import reader_source
from pnmce.present.tables import Markdown, escape, table

# --- chapter 1: norms ---------------------------------------------------------------------------

AMBITO_TITLE = {"nacional": "Normas nacionales", "internacional": "Normas internacionales"}


def norm_label(ident: str) -> str:
    return f"norma-{ident}"


def _role_text(text: str) -> str:
    """Text inside a role's explicit title: no backticks, no angle brackets."""
    return re.sub(r"[`<>]", "", str(text)).strip()


def norm_short_name(norm) -> str:
    """`Decreto Supremo N° 029-2018-PCM`, or the name when the norm has no number."""
    return f"{norm['tipo']} {norm['numero']}" if norm["numero"] else norm["nombre"]


def norm_link(cat: Catalogue, ident: str, text: str | None = None) -> str:
    """A cross-reference to the norm's entry in chapter 1 (fails the build if the id is unknown)."""
    norms = cat.normas.set_index("id")
    if ident not in norms.index:
        raise KeyError(f"norma desconocida: {ident}")
    shown = text if text is not None else norm_short_name(norms.loc[ident])
    return f"{{ref}}`{_role_text(shown)} <{norm_label(ident)}>`"


def _year(value) -> str:
    return "—" if value is None or value is pd.NA or pd.isna(value) else str(int(value))


def norms_summary(cat: Catalogue, ambito: str) -> Markdown:
    part = cat.normas[cat.normas["ambito"] == ambito]
    top = part[part["grupo"] == ""]
    sub = part[part["grupo"] != ""]
    what = "normas" if ambito == "nacional" else "organizaciones, acuerdos y compromisos"
    part_of = "instrumento que forma parte de ellos" if len(sub) == 1 else "instrumentos que forman parte de ellos"
    text = (f"La política cita {len(top)} {what} de ámbito {ambito}"
            + (f", y {len(sub)} {part_of}" if len(sub) else "") + ". "
            "Para cada uno se indica quién lo emitió, cuándo y, en una frase nuestra, qué establece para el comercio exterior.")
    return Markdown(text)


def norms_table(cat: Catalogue, ambito: str) -> Markdown:
    part = cat.normas[cat.normas["ambito"] == ambito]
    frame = pd.DataFrame([{
        "Norma o instrumento": norm_link(cat, r.id, r.nombre),
        "Tipo": r.tipo,
        "Número": r.numero or "—",
        "Año": _year(r.anio),
        "Emisor o partes": r.emisor,
    } for r in part.itertuples()])
    return table(frame, AMBITO_TITLE[ambito] + " que cita la política", f"tabla-normas-{ambito}",
                 raw_columns=("Norma o instrumento",), widths=[40, 18, 17, 7, 18])


def norm_sections(cat: Catalogue, ambito: str) -> Markdown:
    """One labelled section per norm (its instruments as labelled subsections)."""
    part = cat.normas[cat.normas["ambito"] == ambito]
    blocks = []
    for r in part[part["grupo"] == ""].itertuples():
        blocks.append(_norm_block(r, 2))
        for c in part[part["grupo"] == r.id].itertuples():
            blocks.append(_norm_block(c, 3))
    return Markdown("\n\n".join(blocks))


def _norm_block(r, level: int) -> str:
    facts = [escape(r.tipo)]
    if r.numero:
        facts.append(escape(r.numero))
    facts.append(f"emisor o partes: {escape(r.emisor)}")
    if _year(r.anio) != "—":
        facts.append(f"año {_year(r.anio)}")
    lines = [f"({norm_label(r.id)})=", f"{'#' * level} {escape(r.nombre)}", "",
             f"{'; '.join(facts)}.", "", escape(r.establece), "",
             f"<small>Fuente en la política: {escape(reader_source(r.procedencia))}.{(' ' + escape(reader_source(r.nota))) if r.nota else ''}</small>"]
    return "\n".join(lines)


# --- chapter 6.1: glossary and term links --------------------------------------------------------

def glossary(cat: Catalogue) -> Markdown:
    """The glossary as a Sphinx `glossary` directive: terms as published, our definitions."""
    lines = ["```{glossary}"]
    for r in cat.glosario.itertuples():
        text = escape(r.definicion_resumen)
        keys = [k.strip() for k in str(getattr(r, "citas", "") or "").split(";") if k.strip()]
        if keys:
            text += " " + cite(*keys)
        missing = str(getattr(r, "citas_sin_entrada", "") or "")
        if missing:
            text += f" La política cita aquí: {escape(missing)} (sin entrada en su bibliografía)."
        lines += [_role_text(r.termino), f"  {text}", ""]
    lines.append("```")
    return Markdown("\n".join(lines))


# Spans of MyST we must not touch: code/roles, links, images, targets, math, HTML tags.
_PROTECTED = re.compile(r"\{[a-z:]+\}`[^`]*`|`[^`]*`|!?\[[^\]]*\]\([^)]*\)|(?<!\\)\$[^$]*(?<!\\)\$|<[^>]+>|^\(.*\)=$", re.M)


def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w\\])" + re.escape(term) + r"(?!\w)", re.I)


def link_terms(cat: Catalogue, text: str) -> str:
    """Link the first occurrence of each glossary term in MyST `text` with a `{term}` role.

    Longer terms win over shorter ones they contain; text inside links, roles, code, math and
    HTML is left alone; a term already linked is not linked again.
    """
    terms = sorted(cat.glosario["termino"], key=len, reverse=True)
    for term in terms:
        protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
        if re.search(r"\{term\}`[^`]*<" + re.escape(_role_text(term)) + ">`", text):
            continue
        for m in _term_pattern(term).finditer(text):
            if any(a <= m.start() < b for a, b in protected):
                continue
            role = f"{{term}}`{_role_text(m.group(0))} <{_role_text(term)}>`"
            text = text[:m.start()] + role + text[m.end():]
            break
    return text


# --- chapter 6.2: acronyms -----------------------------------------------------------------------

def acronyms(cat: Catalogue) -> pd.DataFrame:
    """One row per acronym: the 6.2 list (corrected, duplicates dropped) plus our additions.

    Columns: sigla, significado, origen ("Lista 6.2", "Lista 6.2, corregida", "Añadida"), procedencia.
    """
    corrected = set()
    applied = cat.applied_corrections
    if applied is not None and not applied.empty:
        corrected = {c.split("|")[0] for c in applied.loc[applied["recurso"] == "acronimos", "clave"]}
    pub = cat.acronimos.drop_duplicates("sigla", keep="first")
    rows = [{"sigla": r.sigla, "significado": r.significado,
             "origen": "Lista 6.2, corregida" if r.sigla in corrected else "Lista 6.2", "procedencia": r.procedencia}
            for r in pub.itertuples()]
    listed = set(pub["sigla"])
    rows += [{"sigla": r.sigla, "significado": r.significado, "origen": "Añadida", "procedencia": r.procedencia}
             for r in cat.acronimos_adicionales.itertuples() if r.sigla not in listed]
    out = pd.DataFrame(rows, columns=["sigla", "significado", "origen", "procedencia"])
    return out.sort_values("sigla", key=lambda s: s.map(_plain), kind="stable").reset_index(drop=True)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().upper()


def known_acronyms(cat: Catalogue) -> set[str]:
    """Every defined acronym, accent-free and upper-case (PROMPERÚ and PROMPERU are one)."""
    return {_plain(s) for s in acronyms(cat)["sigla"]}


def acronyms_summary(cat: Catalogue) -> Markdown:
    a = acronyms(cat)
    n_pub = len(cat.acronimos)
    n_unique = cat.acronimos["sigla"].nunique()
    n_fixed = int((a["origen"] == "Lista 6.2, corregida").sum())
    n_added = int((a["origen"] == "Añadida").sum())
    return Markdown(
        f"La sección 6.2 de la política lista {n_pub} entradas, {n_unique} siglas distintas (una está repetida). "
        f"Aquí se corrigen {n_fixed} expansiones equivocadas (cada corrección, con el valor publicado y su motivo, "
        "figura en las [notas sobre los datos de la política]"
        f"({pages.link_path(pages.DATA_NOTES)})) "
        f"y se añaden {n_added} siglas que la política o este libro usan sin definirlas en la lista. "
        f"En total, {len(a)} siglas.")


def acronyms_table(cat: Catalogue) -> Markdown:
    a = acronyms(cat)
    frame = pd.DataFrame({"Sigla": a["sigla"], "Significado": a["significado"], "Origen": a["origen"],
                          "Dónde se usa o define": [reader_source(p) for p in a["procedencia"]]})
    return table(frame, "Siglas y acrónimos", "tabla-acronimos", widths=[14, 50, 14, 22], sortable=True)


# --- chapter 8: citations ------------------------------------------------------------------------

def cite(*keys: str) -> str:
    """A parenthetical citation, "(CEPLAN, 2024)", linked to chapter 8."""
    return f"{{cite:p}}`{','.join(keys)}`"


def cite_t(*keys: str) -> str:
    """A textual citation, "CEPLAN (2024)"."""
    return f"{{cite:t}}`{','.join(keys)}`"


def alignment_norms(cat: Catalogue) -> str:
    """For 7.3: the norms that approved the plans and policies the PNMCE aligns with."""
    norms = cat.normas.set_index("id")
    ids = [i for i in ("ds-095-2022-pcm", "ds-345-2018-ef") if i in norms.index]
    if not ids:
        return ""
    parts = "; ".join(f"{escape(norms.at[i, 'nombre'])}, por {norm_link(cat, i)}" for i in ids)
    return f"La base normativa (capítulo 1) recoge cómo se aprobaron algunos de estos instrumentos: {parts}."
