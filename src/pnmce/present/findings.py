"""The quality-control findings as readers and the edition record see them: one Spanish sentence each.

The rules (`pnmce.catalogue.qc`) return data, each `detalle` as parts (`pnmce.catalogue.detail`);
here the values are written the Peruvian way (`pnmce.present.fmt`), the rows sorted, counted by
rule (`summary`) and written as CSV (`write_findings`, the only I/O).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.catalogue.detail import Value
from pnmce.catalogue.qc import COLUMNS, DEFAULT_TOLERANCE, RULES, rule_findings
from pnmce.data.package import Catalogue
from pnmce.present.fmt import number, percent


def value_text(value: Value) -> str:
    """A value named in a finding: `0,12 %`, `23 237`; a corrected value: a number, or text in «»."""
    if value.published:
        if value.value == "":
            return "(vacío)"
        try:
            return number(float(value.value))
        except ValueError:
            return f"«{value.value}»"
    if value.unit == "%":
        return percent(value.value, value.places)
    return number(value.value, value.places)


def sentence(detail) -> str:
    """A finding's `detalle` (text, or parts of text and values) as one sentence."""
    if isinstance(detail, str):
        return detail
    return "".join(p if isinstance(p, str) else value_text(p) for p in detail)


def findings(cat: Catalogue, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Every finding of every rule, one row each, sorted by codigo, entidad, id, anio.

    `cat` must hold the published values (`read_catalogue(..., corrections=False)`): on corrected
    data the errors that were corrected would silently disappear from the report.
    """
    return _frame([{**row, "detalle": sentence(row["detalle"])} for row in rule_findings(cat, tolerance)])


def summary(found: pd.DataFrame) -> pd.DataFrame:
    """Findings counted by rule; every rule is listed, with 0 when it found nothing."""
    counts = found["codigo"].value_counts() if not found.empty else pd.Series(dtype="int64")
    rows = [{"codigo": r.codigo, "regla": r.regla, "severidad": r.severidad,
             "hallazgos": int(counts.get(r.codigo, 0))} for r in RULES.values()]
    for code in sorted(set(counts.index) - set(RULES)):  # a rule not in the registry: still counted
        first = found[found["codigo"] == code].iloc[0]
        rows.append({"codigo": code, "regla": first["regla"], "severidad": first["severidad"],
                     "hallazgos": int(counts[code])})
    out = pd.DataFrame(rows, columns=["codigo", "regla", "severidad", "hallazgos"])
    return out.sort_values("codigo", kind="stable").reset_index(drop=True)


def write_findings(cat: Catalogue, path: Path, tolerance: float = DEFAULT_TOLERANCE) -> Path:
    """Write the findings as CSV (UTF-8, LF line ends, sorted rows, no index)."""
    text = findings(cat, tolerance).to_csv(index=False, lineterminator="\n")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path






def _frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["anio"] = pd.array(out["anio"].tolist(), dtype="Int64")
    for col in COLUMNS:
        if col != "anio":
            out[col] = out[col].astype(str)
    out = out.sort_values(["codigo", "entidad", "id", "anio", "detalle", "procedencia"],
                          na_position="first", kind="stable")
    return out.reset_index(drop=True)
