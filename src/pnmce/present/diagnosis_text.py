"""The argument of chapters 2 and 3, rendered from text templates an analyst edits (`notebooks/textos/`).

Each page of the diagnosis has a Jinja2 template, `notebooks/textos/<clave>.md.j2`, written in MyST:
the prose is ours and lives there; every number is inserted from `data/` when the page is built.
A page template has one block per section: `texto` for the page itself and, on a direct-cause page,
one block per indirect cause (`CI1_1`, `CI1_2`, …). `narrative(cat, key)` renders one block.

What a template can use (all documented in `notebooks/textos/README.md`):

- values: `dato(fuente, entidad, periodo, variable)` (a table or figure value), `hecho(id)` (a figure the
  policy gives in its running text, `data/diagnostico/hechos.csv`), `problema()`, `causa(id)`, `objetivo(cd)`;
- formats: `|usd` (US$ millones), `|pct`, `|pct(2)`, `|num`, `|num(1)`, `|anio` (a year, never `1 969`);
- wording computed here, not in the template: `verbo(a, b)` («creció», «cayó», «se mantuvo»),
  `mayor(a, b)` («mayor», «menor», «igual»), `veces(a, b)`, `cambio(a, b)` (the variation in %);
- links: `ref("T05")` («Tabla 3.4», linked), `numref("tabla-causas-cd1")` (any numbered table or figure),
  `cita("clave")` (to the bibliography), `cita_hecho(id)`;
- computed values of one page (`agreements`, `practices`, …): see `_COMPUTED`.

A value that disappears from the data raises a KeyError naming the file, so a page never prints a stale
figure; an undefined name in a template is an error too (StrictUndefined).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pnmce import deps
from pnmce.data.package import Catalogue
from pnmce.present import fmt
from pnmce.present.diagnosis import cite, money, pct, times, value
from pnmce.present.problem_tree import public_problem
from pnmce.present.tables import Markdown, escape

FACTS_FILE = "data/diagnostico/hechos.csv"
TEXTS_DIR = Path("notebooks") / "textos"


# --- values -------------------------------------------------------------------------------------

def fact_row(cat: Catalogue, ident: str):
    facts = cat.diagnostico_hechos.set_index("id")
    if ident not in facts.index or fmt.is_missing(facts.at[ident, "valor"]):
        raise KeyError(f"{FACTS_FILE}: no hay la cifra «{ident}»")
    return facts.loc[ident]


def fact(cat: Catalogue, ident: str) -> float:
    """A figure the policy gives only in its running text."""
    return float(fact_row(cat, ident)["valor"])


def hours(minutes) -> str:
    """`1908` minutes → «31 horas y 48 minutos»."""
    h, m = divmod(int(round(float(minutes))), 60)
    return f"{h} {'hora' if h == 1 else 'horas'}" + (f" y {m} {'minuto' if m == 1 else 'minutos'}" if m else "")


def trend_verb(a, b, up: str = "creció", down: str = "cayó", same: str = "se mantuvo") -> str:
    """The verb the data calls for: `b` against `a`."""
    a, b = float(a), float(b)
    return up if b > a else down if b < a else same


def compared(a, b, more: str = "mayor", less: str = "menor", same: str = "igual") -> str:
    """How `a` compares with `b`."""
    a, b = float(a), float(b)
    return more if a > b else less if a < b else same


def change(a, b) -> float:
    """The variation from `a` to `b`, in % and without sign (the verb carries the direction)."""
    return abs(100 * (float(b) - float(a)) / float(a))


_WORDS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez")


def number_word(n: int) -> str:
    """Small counts in words, as Spanish prose writes them (`5` → «cinco»); digits from 11 on."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else fmt.number(n)


# --- values a page computes (the template only prints them) --------------------------------------

def _agreements(cat: Catalogue) -> dict:
    obs = cat.diagnostico_observaciones
    rows = obs[(obs["fuente"] == "T05") & (obs["variable"] == "Año de entrada en vigor")]
    years = rows["valor"].astype(float)
    return {"n": len(years), "primero": int(years.min()), "ultimo": int(years.max()),
            "primer_nombre": rows.loc[years.idxmin(), "entidad"], "desde_2010": int((years >= 2010).sum())}


def _extreme(cat: Catalogue, source: str, variable: str, largest: bool = True, latest: bool = False):
    """The row with the largest (or smallest) value of a variable; of its latest period if `latest`."""
    obs = cat.diagnostico_observaciones
    rows = obs[(obs["fuente"] == source) & (obs["variable"] == variable)].dropna(subset=["valor"])
    if latest:
        rows = rows[rows["periodo"] == rows["periodo"].max()]
    rows = rows.assign(_v=rows["valor"].astype(float))
    return rows.loc[rows["_v"].idxmax() if largest else rows["_v"].idxmin()]


def _practices(cat: Catalogue) -> dict:
    shares = cat.diagnostico_observaciones
    shares = shares[(shares["fuente"] == "T11") & (shares["variable"] == "Participación en el total")]
    top = _extreme(cat, "T11", "Participación en el total")
    low = _extreme(cat, "T11", "Participación en el total", largest=False)
    def question(entity: str) -> str:  # «P3. ¿La empresa mide …?» → «¿La empresa mide …?»
        return entity.split(". ", 1)[-1]

    return {"n": len(shares), "peor": question(top["entidad"]), "peor_valor": float(top["valor"]),
            "mejor": question(low["entidad"]), "mejor_valor": float(low["valor"])}


def _employment(cat: Catalogue) -> dict:
    top = _extreme(cat, "T18", "Impacto ZEE")
    return {"region": top["entidad"], "valor": float(top["valor"]), "periodo": top["periodo"]}


def _satisfaction(cat: Catalogue, source: str) -> dict:
    """The benefits users are most and least satisfied with (satisfied + very satisfied)."""
    obs = cat.diagnostico_observaciones
    rows = obs[(obs["fuente"] == source) & obs["variable"].isin(["Muy satisfecho", "Satisfecho"])]
    total = rows.assign(_v=rows["valor"].astype(float)).groupby("entidad", sort=False)["_v"].sum().round(1)
    return {"n": len(total), "mejor": total.idxmax(), "mejor_valor": float(total.max()),
            "peor": total.idxmin(), "peor_valor": float(total.min())}


def _management(cat: Catalogue) -> dict:
    low = _extreme(cat, "T19", "Empresas que implementaron la gestión", largest=False, latest=True)
    high = _extreme(cat, "T19", "Empresas que implementaron la gestión", latest=True)
    return {"menor": low["entidad"], "menor_valor": float(low["valor"]), "menor_periodo": low["periodo"],
            "mayor": high["entidad"], "mayor_valor": float(high["valor"]), "mayor_periodo": high["periodo"]}


def _regions(cat: Catalogue) -> dict:
    best = _extreme(cat, "T20", "Pilar Personas")
    worst = _extreme(cat, "T20", "Pilar Personas", largest=False)
    return {"mejor": best["entidad"], "mejor_valor": float(best["valor"]),
            "peor": worst["entidad"], "peor_valor": float(worst["valor"])}


def _model(cat: Catalogue) -> dict:
    c = cat.causas
    per = c[c["nivel"] == "indirecta"].groupby("padre").size()
    return {"directas": int((c["nivel"] == "directa").sum()), "indirectas": int(per.sum()),
            "por_causa": [(cd, int(n)) for cd, n in per.items()], "objetivos": len(cat.objetivos)}


def _scenarios(cat: Catalogue) -> dict:
    f = cat.escenarios_factores
    counts = f["tipo"].value_counts()
    best = f.sort_values("promedio", ascending=False, kind="stable").iloc[0]
    risk = f[f["tipo"] == "riesgo"].sort_values("promedio", ascending=False, kind="stable").iloc[0]
    return {"tendencias": int(counts.get("tendencia", 0)), "riesgos": int(counts.get("riesgo", 0)),
            "oportunidades": int(counts.get("oportunidad", 0)), "escenarios": len(cat.escenarios),
            "mejor": best["nombre"], "mejor_promedio": float(best["promedio"]),
            "riesgo": risk["nombre"], "riesgo_promedio": float(risk["promedio"])}


def _alternatives(cat: Catalogue) -> dict:
    a = cat.alternativas_evaluadas
    return {"evaluadas": len(a), "seleccionadas": len(cat.alternativas),
            "por_causa": [(cd, int(n)) for cd, n in cat.alternativas.groupby("causa_directa").size().items()]}


# Computed values by template name: {{ acuerdos.n }}, {{ practicas.peor }}, …
_COMPUTED = {
    "CD1": {"acuerdos": _agreements},
    "CD3": {"practicas": _practices},
    "CD4": {"empleo": _employment, "tributarios": lambda cat: _satisfaction(cat, "T15"),
            "aduaneros": lambda cat: _satisfaction(cat, "T16")},
    "CD5": {"gestion": _management, "regiones": _regions},
    "3.2": {"modelo": _model},
    "3.5": {"alternativas": _alternatives},
    "7.2": {"escenarios": _scenarios},
}


# --- rendering ----------------------------------------------------------------------------------

def _finalize(v):
    """Every inserted value is made inert for MyST, except the links the helpers build."""
    if isinstance(v, Markup):
        return str(v)
    return escape(v)


@lru_cache(maxsize=4)
def _environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                             finalize=_finalize, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=False)
    env.filters.update({
        "usd": lambda v, unit="millones": money(v, unit),
        "pct": lambda v, d=None: pct(v, d),
        "num": lambda v, d=None: fmt.number(v, d),
        "anio": lambda v: str(int(float(v))),
        "horas": hours,
    })
    return env


def _context(cat: Catalogue, name: str) -> dict:
    def cita_hecho(ident: str) -> Markup:
        key = fact_row(cat, ident)["cita"]
        return Markup(f" {{cite:p}}`{key}`") if key else Markup("")

    causes = cat.causas.set_index("id")["nombre"]
    objectives = cat.objetivos.set_index("causa")
    ctx = {
        "dato": lambda f, e, p, v: value(cat, f, e, p, v),
        "hecho": lambda i: fact(cat, i),
        "periodo": lambda i: fact_row(cat, i)["periodo"],
        "problema": lambda: public_problem(cat),
        "causa": lambda i: causes[i],
        "objetivo": lambda cd: objectives.loc[cd],
        "ref": lambda i: Markup(cite(cat, i)),
        "numref": lambda label: Markup(f"{{numref}}`{label}`"),
        "cita": lambda *keys: Markup(f"{{cite:p}}`{','.join(keys)}`"),
        "cita_t": lambda *keys: Markup(f"{{cite:t}}`{','.join(keys)}`"),
        "cita_hecho": cita_hecho,
        "verbo": trend_verb, "mayor": compared, "cambio": lambda a, b: fmt.number(change(a, b), 1),
        "veces": lambda a, b: times(a, b),
        "indirectas": lambda cd: int((cat.causas["padre"] == cd).sum()),
        "palabra": number_word,
    }
    for var, fn in _COMPUTED.get(name, {}).items():
        ctx[var] = fn(cat)
    return ctx


def template_of(key: str) -> tuple[str, str]:
    """(template name, block) of a section: `CI1.3` → (`CD1`, `CI1_3`); `CD1` → (`CD1`, `texto`)."""
    if key.startswith("CI"):
        return "CD" + key[2:].split(".")[0], re.sub(r"\W", "_", key)
    return key, "texto"


def texts_folder(root: Path | None = None) -> Path:
    from pnmce.paths import find_project

    return (root or find_project().root) / TEXTS_DIR


def render(cat: Catalogue, key: str, folder: Path | None = None) -> str | None:
    """The MyST of one section (numbers inserted, links built), or None when it has no text."""
    name, block = template_of(key)
    base = Path(folder) if folder is not None else texts_folder()
    path = base / f"{name}.md.j2"
    if not path.exists():
        return None
    if folder is None:
        deps.record("archivo", (TEXTS_DIR / path.name).as_posix())
    template = _environment(str(base)).get_template(path.name)
    if block not in template.blocks:
        return None
    text = "".join(template.blocks[block](template.new_context(_context(cat, name)))).strip()
    return re.sub(r"\n{3,}", "\n\n", text) or None


_TERM_ROLE = re.compile(r"\{term\}`([^`<]*?) <([^>`]*)>`")


def link_once(cat: Catalogue, text: str, linked: set | None = None) -> str:
    """MyST `text` with its glossary terms linked; with a page's `linked` set, only terms not linked yet."""
    from pnmce.present.reference import link_terms

    text = link_terms(cat, text)
    if linked is None:
        return text

    def once(m: re.Match) -> str:
        if m.group(2) in linked:
            return m.group(1)
        linked.add(m.group(2))
        return m.group(0)
    return _TERM_ROLE.sub(once, text)


def paragraph(cat: Catalogue, text: str, linked: set | None = None) -> Markdown:
    """Other MyST of a diagnosis page (e.g. the catalogue's summary of a cause), terms linked once per page."""
    return Markdown(link_once(cat, text, linked))


def narrative(cat: Catalogue, key: str, folder: Path | None = None, linked: set | None = None) -> Markdown | None:
    """The section's text with its glossary terms linked to 6.1.

    A page made of several sections passes the same `linked` set to each call, so that each term is
    linked only the first time it appears on the page."""
    text = render(cat, key, folder)
    return Markdown(link_once(cat, text, linked)) if text else None


def scenarios_text(cat: Catalogue, folder: Path | None = None) -> Markdown:
    return narrative(cat, "7.2", folder)
