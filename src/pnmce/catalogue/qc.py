"""Quality control of the source: what the published policy gets wrong, leaves out or says twice.

`rule_findings(cat)` runs every rule on a catalogue read with `corrections=False` (the values as
published) and returns one row per finding, its `detalle` as data (`pnmce.catalogue.detail`).
Every rule is a pure function of the catalogue's tables; `pnmce.present.findings` writes the
sentences, sorts and counts the rows and writes the CSV.

Columns of a finding:

* `codigo`, `regla`, `severidad`: the rule (see `RULES`); `severidad` is `error_fuente` (the
  source contradicts itself or omits something it must have) or `aviso` (worth knowing).
* `entidad`, `id`: what the finding is about. For the published matrices (QC10, QC13, QC15)
  this is the code that is missing, unknown or misplaced (`causa CD3`, `servicio S3.5.2`), so a
  page about that entity can list its findings; the matrix is named in `detalle`.
* `anio`: the year, for findings about one target; empty otherwise.
* `detalle`: one Spanish sentence naming the values, formatted the Peruvian way.
* `procedencia`: where in the policy, taken from the rows involved.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from pnmce.catalogue import qc_diagnosis
from pnmce.catalogue.detail import Value
from pnmce.catalogue.qc_references import reference_repairs
from pnmce.data import rules
from pnmce.data.observed import is_missing
from pnmce.data.package import Catalogue
from pnmce.data.rules import PERCENT, PERCENT_TOLERANCE_PP

COLUMNS = ["codigo", "regla", "severidad", "entidad", "id", "anio", "detalle", "procedencia"]
AVISO = "aviso"
ERROR = "error_fuente"
EXPECTED_YEARS = (*range(2026, 2036), 2040)
DEFAULT_TOLERANCE = PERCENT_TOLERANCE_PP  # percentage points


@dataclass(frozen=True)
class Rule:
    codigo: str
    regla: str
    severidad: str


RULES: dict[str, Rule] = {r.codigo: r for r in (
    Rule("QC01", "Porcentaje que no cuadra con numerador y denominador", ERROR),
    Rule("QC02", "Redondeo del porcentaje", AVISO),
    Rule("QC03", "Meta contraria al sentido del indicador", ERROR),
    Rule("QC04", "Años de meta faltantes", ERROR),
    Rule("QC05", "Años de meta adicionales", AVISO),
    Rule("QC06", "Ficha sin datos", ERROR),
    Rule("QC07", "Variante de nombre entre secciones", AVISO),
    Rule("QC08", "Servicio sin indicadores", ERROR),
    Rule("QC09", "Servicio sin actividades operativas", ERROR),
    Rule("QC10", "Código ausente en una matriz publicada", ERROR),
    Rule("QC11", "Sentido «No definido»", AVISO),
    Rule("QC12", "Sentido no declarado", ERROR),
    Rule("QC13", "Código inexistente en una matriz publicada", ERROR),
    Rule("QC14", "Corrección explícita", AVISO),
    Rule("QC15", "Servicio fuera de su objetivo o lineamiento en la matriz de alineamiento", ERROR),
)}
# Rules on the diagnosis data (chapters 2-3, 7.2) live in their own module.
RULES.update({c: Rule(c, r, s) for c, (r, s) in qc_diagnosis.RULES.items()})
RULES["QC21"] = Rule("QC21", "Referencia bibliográfica reparada o duplicada", AVISO)

# Catalogue table of each kind of code, and the Spanish noun used in sentences.
_TABLE_OF = {"causa": "causas", "objetivo": "objetivos", "lineamiento": "lineamientos",
             "servicio": "servicios", "indicador": "indicadores"}
_ENTITY_OF_RESOURCE = {
    "metas": "indicador", "indicadores": "indicador", "servicios": "servicio",
    "servicio_indicadores_431": "servicio", "lineamientos": "lineamiento", "objetivos": "objetivo",
    "causas": "causa", "actividades": "actividad", "actividades_responsables": "actividad",
    "consistencia_publicada": "matriz", "alineamiento": "matriz", "lineamiento_alternativa": "matriz",
    "acronimos": "sigla",
}
# Used when a hand-made catalogue has no descriptor.
_PRIMARY_KEYS = {
    "metas": ["indicador", "anio"], "servicio_indicadores_431": ["servicio", "tipo", "orden"],
    "actividades_responsables": ["actividad", "orden"], "alternativas_evaluadas": ["numero"],
}
_SENTIDO_WORD = {"Ascendente": "menor", "Descendente": "mayor"}


# --------------------------------------------------------------------------------------------
# public API


def rule_findings(cat: Catalogue, tolerance: float = DEFAULT_TOLERANCE) -> list[dict]:
    """Every finding of every rule, one dict each (columns `COLUMNS`), its `detalle` as parts
    (`pnmce.catalogue.detail`): `pnmce.present.findings` writes the sentences and sorts the rows.

    `cat` must hold the published values (`read_catalogue(..., corrections=False)`): on corrected
    data the errors that were corrected would silently disappear from the report.
    """
    applied = cat.applied_corrections
    if applied is not None and not applied.empty:
        raise ValueError("El control de calidad se hace sobre los valores publicados: "
                         "lea el catálogo con read_catalogue(..., corrections=False).")
    rows: list[dict] = []
    rows += _percentages(cat, tolerance)
    rows += _against_direction(cat)
    rows += _target_years(cat)
    rows += _empty_sheets(cat)
    rows += _name_variants(cat)
    rows += _services_without(cat)
    rows += _matrix_losses(cat)
    rows += _directions(cat)
    rows += _unknown_codes(cat)
    rows += _misplaced_services(cat)
    rows += _explicit_corrections(cat)
    rows += qc_diagnosis.findings(cat)
    rows += reference_repairs(cat, _finding)
    return rows


# --------------------------------------------------------------------------------------------
# rules


def _percentages(cat: Catalogue, tolerance: float) -> list[dict]:
    """QC01/QC02: a stated % against numerador/denominador×100 (unit %, both present, den ≠ 0)."""
    ind, metas = _table(cat, "indicadores"), _table(cat, "metas")
    if ind is None or metas is None:
        return []
    units = dict(zip(ind["id"], ind["unidad"]))
    out = []
    for r in metas.itertuples(index=False):
        if units.get(r.indicador) != PERCENT or _missing(r.valor):
            continue
        computed = rules.computed_value(r.numerador, r.denominador, PERCENT)
        if computed is None:
            continue
        stated, num, den = float(r.valor), float(r.numerador), float(r.denominador)
        places = _decimals(stated)
        diff = abs(stated - computed)
        if diff <= 0.5 * 10 ** -places + 1e-9:  # the stated value is the ratio, rounded as printed
            continue
        shown = max(1, places + 1)
        text = ("Valor declarado ", Value(stated, "%"), " pero ", Value(num), "/", Value(den), " = ",
                Value(computed, "%", shown), " (diferencia de ", Value(diff, places=shown), " puntos porcentuales")
        if not rules.agrees(stated, num, den, PERCENT, tolerance, tolerance_relative=0.0):  # percentage points only
            code, text = "QC01", text + (")",)
        else:
            code = "QC02"
            text += ("; dentro de la tolerancia de ", Value(tolerance), f" punto{'s' if tolerance != 1 else ''}: redondeo)")
        out.append(_finding(code, "indicador", r.indicador, text, r.procedencia, r.anio))
    return out


def _against_direction(cat: Catalogue) -> list[dict]:
    """QC03: with Ascendente a target below the point before it (Descendente: above).

    Each step in the wrong direction is one finding, in the year of the later point; a series
    that stays below its baseline after the step needs only that step to be flagged.
    """
    ind, metas = _table(cat, "indicadores"), _table(cat, "metas")
    if ind is None or metas is None:
        return []
    out = []
    for r in ind.itertuples(index=False):
        word = _SENTIDO_WORD.get(_text(r.sentido))
        if word is None:
            continue
        points = _series(r, metas)
        base = next((p for p in points if p["tipo"] == "linea_base"), None)
        for prev, cur in zip(points, points[1:]):
            if cur["tipo"] != "logro_esperado":
                continue
            wrong = cur["valor"] < prev["valor"] if word == "menor" else cur["valor"] > prev["valor"]
            if not wrong:
                continue
            text = (f"Sentido {r.sentido}, pero la meta {cur['anio']} (", Value(cur["valor"], r.unidad),
                    f") es {word} que {_point_name(prev)} (", Value(prev["valor"], r.unidad), ")")
            if base is not None and prev is not base and (
                    cur["valor"] < base["valor"] if word == "menor" else cur["valor"] > base["valor"]):
                text += (f" y que la línea base {base['anio']} (", Value(base["valor"], r.unidad), ")")
            out.append(_finding("QC03", "indicador", r.id, text, cur["procedencia"], cur["anio"]))
    return out


def _target_years(cat: Catalogue) -> list[dict]:
    """QC04 missing expected years (2026-2035, 2040); QC05 years beyond them. One per indicator."""
    ind, metas = _table(cat, "indicadores"), _table(cat, "metas")
    if ind is None or metas is None:
        return []
    expected = f"{EXPECTED_YEARS[0]}-{EXPECTED_YEARS[-2]} y {EXPECTED_YEARS[-1]}"
    out = []
    for ident in ind["id"]:
        targets = metas[(metas["indicador"] == ident) & (metas["tipo"] == "logro_esperado")]
        if targets.empty:
            continue  # no targets at all: an empty sheet (QC06)
        years = {int(y) for y in targets["anio"].dropna()}
        where = _most_common(targets["procedencia"])
        missing = sorted(set(EXPECTED_YEARS) - years)
        extra = sorted(years - set(EXPECTED_YEARS))
        if missing:
            text = (f"Falta la meta de {missing[0]}" if len(missing) == 1
                    else f"Faltan las metas de {_enumerate(missing)}")
            out.append(_finding("QC04", "indicador", ident, text + f" (se esperan {expected})", where))
        if extra:
            noun = "el año" if len(extra) == 1 else "los años"
            text = f"La ficha publica además metas para {noun} {_enumerate(extra)}, fuera de los años esperados ({expected})"
            out.append(_finding("QC05", "indicador", ident, text, where))
    return out


def _empty_sheets(cat: Catalogue) -> list[dict]:
    """QC06: an indicator without baseline or without any target."""
    ind, metas = _table(cat, "indicadores"), _table(cat, "metas")
    if ind is None or metas is None:
        return []
    out = []
    for r in ind.itertuples(index=False):
        rows = metas[metas["indicador"] == r.id]
        has_targets = (rows["tipo"] == "logro_esperado").any()
        has_base = (rows.loc[rows["tipo"] == "linea_base", "valor"].notna().any()
                    or not _missing(getattr(r, "linea_base_valor", None)))
        if has_base and has_targets:
            continue
        if not has_base and not has_targets:
            text = "La ficha no publica línea base ni logros esperados"
        elif not has_base:
            text = "La ficha no publica línea base"
        else:
            text = "La ficha no publica logros esperados"
        out.append(_finding("QC06", "indicador", r.id, text, r.procedencia))
    return out


def _name_variants(cat: Catalogue) -> list[dict]:
    """QC07: one finding per name variant recorded in variantes.csv."""
    variants = _table(cat, "variantes")
    if variants is None:
        return []
    out = []
    for r in variants.itertuples(index=False):
        table = _table(cat, _TABLE_OF.get(r.entidad, ""))
        canon = None
        if table is not None:
            match = table.loc[table["id"] == r.id, "nombre"]
            canon = None if match.empty else _text(match.iloc[0])
        if canon is not None and canon.strip() == _text(r.nombre).strip():
            continue  # not a variant
        text = f"Nombre publicado: «{_text(r.nombre).strip()}»; "
        text += (f"en el catálogo: «{canon.strip()}»" if canon is not None
                 else "el código no existe en el catálogo")
        out.append(_finding("QC07", r.entidad, r.id, text, r.procedencia))
    return out


def _services_without(cat: Catalogue) -> list[dict]:
    """QC08 a service with no indicator; QC09 a service with no operational activity."""
    services = _table(cat, "servicios")
    if services is None:
        return []
    out = []
    ind, acts = _table(cat, "indicadores"), _table(cat, "actividades")
    if ind is not None:
        with_ind = set(ind["servicio"].dropna())
        for r in services.itertuples(index=False):
            if r.id not in with_ind:
                out.append(_finding("QC08", "servicio", r.id,
                                    "El servicio no tiene indicadores de calidad ni de cobertura", r.procedencia))
    if acts is not None:
        with_act = set(acts["servicio"].dropna())
        for r in services.itertuples(index=False):
            if r.id not in with_act:
                out.append(_finding("QC09", "servicio", r.id,
                                    "Ninguna actividad operativa está asociada al servicio", r.procedencia))
    return out


def _matrix_losses(cat: Catalogue) -> list[dict]:
    """QC10: a cause, objective, lineamiento or service of the catalogue absent from a published matrix."""
    matrix = _table(cat, "consistencia_publicada")
    if matrix is None:
        return []
    out = []
    for name, rows in matrix.groupby("tabla", sort=True):
        present = _matrix_codes(rows)
        where = _span(rows["procedencia"])
        for kind in ("causa", "objetivo", "lineamiento", "servicio"):
            table = _table(cat, _TABLE_OF[kind])
            if table is None:
                continue
            for r in table.itertuples(index=False):
                if r.id not in present[kind]:
                    text = f"La matriz publicada «{name}» no incluye {_article(kind)} {kind} {r.id} («{_text(r.nombre).strip()}»)"
                    out.append(_finding("QC10", kind, r.id, text, where))
    return out


def _directions(cat: Catalogue) -> list[dict]:
    """QC11 direction «No definido»; QC12 no direction at all."""
    ind = _table(cat, "indicadores")
    if ind is None:
        return []
    out = []
    for r in ind.itertuples(index=False):
        sentido = _text(r.sentido).strip()
        if sentido == "No definido":
            out.append(_finding("QC11", "indicador", r.id,
                                "La ficha declara el sentido «No definido»: no se puede verificar "
                                "si las metas avanzan en la dirección esperada", r.procedencia))
        elif not sentido:
            out.append(_finding("QC12", "indicador", r.id, "La ficha no declara el sentido del indicador",
                                r.procedencia))
    return out


def _unknown_codes(cat: Catalogue) -> list[dict]:
    """QC13: a published matrix (alignment or consistency) naming a code the catalogue lacks."""
    known = {kind: (set(t["id"]) if (t := _table(cat, table)) is not None else None)
             for kind, table in _TABLE_OF.items()}
    mentions: dict[tuple[str, str, str], list[str]] = {}
    align = _table(cat, "alineamiento")
    if align is not None:
        for r in align.itertuples(index=False):
            for kind, col in (("objetivo", "objetivo_pnmce"), ("lineamiento", "lineamiento_pnmce"),
                              ("servicio", "servicio_pnmce")):
                code = _text(getattr(r, col)).strip()
                if code and known[kind] is not None and code not in known[kind]:
                    mentions.setdefault((r.tabla, kind, code), []).append(r.procedencia)
    matrix = _table(cat, "consistencia_publicada")
    if matrix is not None:
        for r in matrix.itertuples(index=False):
            for kind, codes in _row_codes(r).items():
                for code in codes:
                    if known[kind] is not None and code not in known[kind]:
                        mentions.setdefault((r.tabla, kind, code), []).append(r.procedencia)
    out = []
    for (name, kind, code), procs in mentions.items():
        n = len(procs)
        text = (f"La matriz publicada «{name}» nombra {_article(kind)} {kind} {code}, que no existe en el catálogo"
                f" ({n} fila{'s' if n != 1 else ''})")
        out.append(_finding("QC13", kind, code, text, _span(pd.Series(procs))))
    return out


def _misplaced_services(cat: Catalogue) -> list[dict]:
    """QC15: the alignment matrix puts a service under an objective or lineamiento not its own."""
    align, services = _table(cat, "alineamiento"), _table(cat, "servicios")
    if align is None or services is None:
        return []
    home = {r.id: (r.objetivo, r.lineamiento) for r in services.itertuples(index=False)}
    out = []
    for r in align.itertuples(index=False):
        code = _text(r.servicio_pnmce).strip()
        if code not in home:
            continue  # unknown codes are QC13
        objective, lineamiento = _text(r.objetivo_pnmce).strip(), _text(r.lineamiento_pnmce).strip()
        wrong = []
        if objective and objective != home[code][0]:
            wrong.append(f"el objetivo {objective}")
        if lineamiento and lineamiento != home[code][1]:
            wrong.append(f"el lineamiento {lineamiento}")
        if wrong:
            text = (f"La matriz publicada «{r.tabla}» ubica el servicio {code} en {' y '.join(wrong)}; "
                    f"en el catálogo pertenece a {home[code][0]} y {home[code][1]}")
            out.append(_finding("QC15", "servicio", code, text, r.procedencia))
    return out


def _explicit_corrections(cat: Catalogue) -> list[dict]:
    """QC14: each row of correcciones.csv, so readers see what the book changed."""
    corrections = _table(cat, "correcciones")
    if corrections is None:
        return []
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in cat.descriptor.get("resources", [])}
    out = []
    for c in corrections.itertuples(index=False):
        parts = _text(c.clave).split("|")
        key_cols = keys.get(c.recurso) or _PRIMARY_KEYS.get(c.recurso, ["id"])
        year = None
        if "anio" in key_cols and key_cols.index("anio") < len(parts):
            year = _int_or_none(parts[key_cols.index("anio")])
        text = (f"Se corrige «{c.campo}»: publicado ", Value(_text(c.valor_publicado), published=True),
                ", corregido ", Value(_text(c.valor_corregido), published=True),
                f". Motivo: {_text(c.motivo).strip()}")
        out.append(_finding("QC14", _ENTITY_OF_RESOURCE.get(c.recurso, c.recurso), parts[0], text,
                            _row_procedencia(cat, c.recurso, key_cols, parts), year))
    return out


# --------------------------------------------------------------------------------------------
# helpers


def _finding(code: str, entity: str, ident: str, detail, where, year=None) -> dict:
    rule = RULES[code]
    return {"codigo": code, "regla": rule.regla, "severidad": rule.severidad, "entidad": entity,
            "id": _text(ident), "anio": None if _missing(year) else int(year), "detalle": detail,
            "procedencia": _text(where)}


def _table(cat: Catalogue, name: str) -> pd.DataFrame | None:
    return cat.tables.get(name)


def _missing(value) -> bool:
    return is_missing(value) or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value) -> str:
    return "" if _missing(value) else str(value)


def _int_or_none(text: str):
    try:
        return int(text)
    except ValueError:
        return None


def _decimals(value: float) -> int:
    """How many decimals a stated value carries (85.7 → 1, 0.12 → 2, 95 → 0)."""
    for places in range(7):
        if abs(round(value, places) - value) < 1e-9:
            return places
    return 7


def _enumerate(items) -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


def _article(kind: str) -> str:
    return "la" if kind == "causa" else "el"


def _most_common(values: pd.Series) -> str:
    """The most frequent text (ties: the first one met), e.g. the citation of a targets table."""
    counts = Counter(_text(v) for v in values)
    best = max(counts.values())
    return next(v for v in (_text(x) for x in values) if counts[v] == best)


_LINE = re.compile(r"L(\d+)")
_BRACKET = re.compile(r"\s*\[[^\]]*\]")


def _span(procedencias: pd.Series) -> str:
    """Many rows' procedencias as one: the most common text and the range of cited lines."""
    texts = [_text(p) for p in procedencias if _text(p)]
    if not texts:
        return ""
    prefix = _most_common(pd.Series([_BRACKET.sub("", t).split("; ")[0].strip() for t in texts]))
    lines = sorted({int(n) for t in texts for n in _LINE.findall(" ".join(re.findall(r"\[[^\]]*\]", t)))})
    if not lines:
        return prefix
    cited = f"L{lines[0]}" if lines[0] == lines[-1] else f"L{lines[0]}-{lines[-1]}"
    return f"{prefix} [{cited}]"


def _row_codes(row) -> dict[str, list[str]]:
    """The codes printed on one row of consistencia_publicada, by kind."""
    causes = [c.strip() for c in _text(row.causa).split(";") if c.strip()]
    return {"causa": causes,
            "objetivo": [c for c in [_text(row.objetivo).strip()] if c],
            "lineamiento": [c for c in [_text(row.lineamiento).strip()] if c],
            "servicio": [c for c in [_text(row.servicio).strip()] if c]}


def _matrix_codes(rows: pd.DataFrame) -> dict[str, set[str]]:
    present: dict[str, set[str]] = {k: set() for k in ("causa", "objetivo", "lineamiento", "servicio")}
    for r in rows.itertuples(index=False):
        for kind, codes in _row_codes(r).items():
            present[kind].update(codes)
    return present


def _series(indicator, metas: pd.DataFrame) -> list[dict]:
    """Baseline and targets of one indicator with a value, by year (baseline from the sheet row
    when metas has none)."""
    rows = metas[(metas["indicador"] == indicator.id) & metas["valor"].notna()].sort_values("anio")
    points = [{"anio": int(r.anio), "tipo": r.tipo, "valor": float(r.valor), "procedencia": r.procedencia}
              for r in rows.itertuples(index=False)]
    if not any(p["tipo"] == "linea_base" for p in points):
        value, year = getattr(indicator, "linea_base_valor", None), getattr(indicator, "linea_base_anio", None)
        if not _missing(value) and not _missing(year):
            points.insert(0, {"anio": int(year), "tipo": "linea_base", "valor": float(value),
                              "procedencia": indicator.procedencia})
    return points


def _point_name(point: dict) -> str:
    return f"la línea base {point['anio']}" if point["tipo"] == "linea_base" else f"la meta {point['anio']}"


def _row_procedencia(cat: Catalogue, resource: str, key_cols: list[str], parts: list[str]) -> str:
    table = _table(cat, resource)
    if table is None or "procedencia" not in table.columns:
        return "data/catalogo/correcciones.csv"
    mask = pd.Series(True, index=table.index)
    for col, val in zip(key_cols, parts):
        if col not in table.columns:
            return "data/catalogo/correcciones.csv"
        mask &= table[col].astype(str) == val
    match = table.loc[mask, "procedencia"]
    return _text(match.iloc[0]) if len(match) == 1 else "data/catalogo/correcciones.csv"
