"""Quality control of the diagnosis data (chapters 2-3 and 7.2): sums, repeated figures, averages.

The values are kept as published (`data/diagnostico/`); these rules report where the source does
not agree with itself. `qc.rule_findings` calls `findings(cat)` and lists `RULES` with its own;
a finding's `detalle` is parts (`pnmce.catalogue.detail`), written as a sentence by `pnmce.present.findings`.
"""

from __future__ import annotations

import re

import pandas as pd

from pnmce.catalogue.detail import Value
from pnmce.data.observed import is_missing
from pnmce.data.package import Catalogue

ERROR, AVISO = "error_fuente", "aviso"
RULES: dict[str, tuple[str, str]] = {
    "QC16": ("Total de una tabla que no suma sus componentes", ERROR),
    "QC17": ("Partes que no suman el total declarado", ERROR),
    "QC18": ("Mismo dato con valores distintos en la política", ERROR),
    "QC19": ("Promedio que no cuadra con sus puntajes", ERROR),
    "QC20": ("Incoherencia de la fuente anotada en la extracción", AVISO),
}
SOURCE_ERROR_NOTE = "error de la fuente:"  # prefix of a `nota` that records a problem no rule can compute
AVERAGE_TOLERANCE = 0.0051  # published averages have 2 decimals


def findings(cat: Catalogue) -> list[dict]:
    """One dict per finding, with the columns of `qc.COLUMNS`."""
    obs = cat.tables.get("diagnostico_observaciones")
    src = cat.tables.get("diagnostico_fuentes")
    out: list[dict] = []
    if obs is not None and src is not None:
        out += _group_totals(obs, src)
        out += _declared_sums(obs, src)
        out += _repeated_figures(obs, src)
        out += _noted(obs, src)
    factors = cat.tables.get("escenarios_factores")
    if factors is not None:
        out += _averages(factors)
    return out


def tolerance(n_parts: int) -> float:
    """How far a sum of `n_parts` rounded published values may honestly be from a rounded total."""
    return max(0.5 * n_parts, 0.5) + 1e-9


def _finding(code: str, ident: str, detail, where: str) -> dict:
    regla, severidad = RULES[code]
    return {"codigo": code, "regla": regla, "severidad": severidad, "entidad": "diagnóstico", "id": ident,
            "anio": None, "detalle": detail, "procedencia": where}


def _label(src: pd.DataFrame, fuente: str) -> str:
    row = src.set_index("id").loc[fuente]
    if row["tipo"] == "texto":
        return f"Texto ({row['titulo']})"
    return f"{'Tabla' if row['tipo'] == 'tabla' else 'Ilustración' if row['tipo'] == 'ilustracion' else 'Texto'}" \
           f"{' ' + str(row['numero']) if not is_missing(row['numero']) else ''}"


def _where(src: pd.DataFrame, fuente: str, lines) -> str:
    lines = sorted({int(x) for x in lines if not is_missing(x)})
    return f"{_label(src, fuente)} [{', '.join(f'L{x}' for x in lines)}]"


def _period(p: str) -> str:
    return f" ({p})" if p else ""


def _group_totals(obs: pd.DataFrame, src: pd.DataFrame) -> list[dict]:
    """QC16: in tables whose rows form a hierarchy, each group row is the sum of its members."""
    out = []
    for fuente in src.loc[src["suma"] == "entidades", "id"]:
        rows = obs[(obs["fuente"] == fuente) & (obs["unidad"] != "%") & obs["valor"].notna()]
        values = rows.set_index(["entidad", "periodo", "variable"])["valor"]
        lines = rows.set_index(["entidad", "periodo", "variable"])["linea"]
        members = rows[rows["grupo"] != ""]
        for (parent, period, variable), part in members.groupby(["grupo", "periodo", "variable"], sort=False):
            key = (parent, period, variable)
            if key not in values.index:
                continue
            total, parts = float(values[key]), float(part["valor"].sum())
            if abs(total - parts) > tolerance(len(part)):
                out.append(_finding("QC16", fuente,
                    (f"«{parent}», {variable}{_period(period)}: se publica ", Value(total), ", pero "
                     f"{'su componente suma' if len(part) == 1 else f'sus {len(part)} componentes suman'} ",
                     Value(parts)),
                    _where(src, fuente, [lines[key], *part["linea"]])))
    return out


def _terms(formula: str):
    """`a+b-c=d` → ([(+1, 'a'), (+1, 'b'), (-1, 'c')], 'd')."""
    left, right = formula.split("=")
    terms = [(-1 if sign == "-" else 1, name.strip()) for sign, name in re.findall(r"([+-]?)([^+-]+)", left)]
    return terms, right.strip()


def _declared_sums(obs: pd.DataFrame, src: pd.DataFrame) -> list[dict]:
    """QC17: rules such as `Minería+Agro+…=Total sectores`, per entity and period.

    The right side may be a number (`…=100`); a term `IL01:Exportaciones de bienes` takes the
    variable from another table or figure (same entity and period).
    """
    out = []
    valued = obs[obs["valor"].notna()]
    index = valued.set_index(["fuente", "entidad", "periodo", "variable"])
    for fuente, rules in src.loc[~src["suma"].isin(["", "entidades"]), ["id", "suma"]].itertuples(index=False):
        rows = valued[valued["fuente"] == fuente]
        for formula in rules.split(";"):
            terms, right = _terms(formula)
            for (entity, period), r in rows.groupby(["entidad", "periodo"], sort=False):
                def lookup(name):
                    f, _, var = name.rpartition(":")
                    key = (f or fuente, entity, period, var)
                    return (float(index.at[key, "valor"]), int(index.at[key, "linea"])) if key in index.index else None
                found = [lookup(name) for _, name in terms]
                total = (float(right), None) if re.fullmatch(r"[\d.]+", right) else lookup(right)
                if total is None or any(x is None for x in found):
                    continue
                parts = sum(sign * v for (sign, _), (v, _) in zip(terms, found))
                if abs(parts - total[0]) > tolerance(len(terms)):
                    names = "".join(("" if i == 0 and sg > 0 else " + " if sg > 0 else " − ") + n.rpartition(":")[2]
                                    for i, (sg, n) in enumerate(terms))
                    out.append(_finding("QC17", fuente,
                        (f"«{entity}»{_period(period)}: {names} = ", Value(parts), ", pero se publica ",
                         Value(total[0])),
                        _where(src, fuente, [*r["linea"], *(l for _, l in found)])))
    return out


def _repeated_figures(obs: pd.DataFrame, src: pd.DataFrame) -> list[dict]:
    """QC18: the same entity, period, variable and unit stated with different values in different places.

    Values stated as bounds («más de 12 000», noted `cota inferior`) are not compared.
    """
    rows = obs[obs["valor"].notna() & ~obs["nota"].str.contains("cota", na=False)]
    out = []
    for (entity, period, variable, unit), r in rows.groupby(["entidad", "periodo", "variable", "unidad"], sort=True):
        if r["fuente"].nunique() < 2 or r["valor"].nunique() < 2:
            continue
        stated: tuple = ()
        for f, v, l in zip(r["fuente"], r["valor"], r["linea"]):
            stated += (("; ",) if stated else ()) + (Value(v), f" en {_where(src, f, [l])}")
        out.append(_finding("QC18", "/".join(dict.fromkeys(r["fuente"])),
                            (f"«{entity}», {variable}{_period(period)} ({unit}): ", *stated),
                            "; ".join(_where(src, f, [l]) for f, l in zip(r["fuente"], r["linea"]))))
    return out


def _noted(obs: pd.DataFrame, src: pd.DataFrame) -> list[dict]:
    """QC20: problems recorded by the extraction because no rule can compute them (a wrong unit label)."""
    noted = obs[obs["nota"].str.startswith(SOURCE_ERROR_NOTE, na=False)]
    out = []
    for (fuente, note), r in noted.groupby(["fuente", "nota"], sort=True):
        out.append(_finding("QC20", fuente, f"{note[len(SOURCE_ERROR_NOTE):].strip()} "
                                            f"({', '.join(dict.fromkeys(r['entidad']))})",
                            _where(src, fuente, r["linea"])))
    return out


def _averages(factors: pd.DataFrame) -> list[dict]:
    """QC19: the published average of the two scores of each trend, risk or opportunity."""
    out = []
    for r in factors.itertuples(index=False):
        mean = (float(r.valor_a) + float(r.valor_b)) / 2
        if abs(mean - float(r.promedio)) > AVERAGE_TOLERANCE:
            out.append(_finding("QC19", r.id, (f"{r.nombre}: promedio publicado ", Value(r.promedio),
                                               ", media de ", Value(r.valor_a), " y ", Value(r.valor_b), " = ",
                                               Value(mean, places=3)),
                                r.procedencia))
    return out
