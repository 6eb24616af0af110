"""Every matrix of the policy, generated from the catalogue (pure functions, DataFrames out).

Cells hold plain values; the notebooks format and link them.
"""

from __future__ import annotations

import pandas as pd

from pnmce.data.package import Catalogue


def _targets(cat: Catalogue, ident: str) -> tuple[pd.Series | None, pd.Series | None]:
    """(baseline row, last target row) of an indicator, or None where missing."""
    m = cat.metas[cat.metas["indicador"] == ident].sort_values("anio")
    base = m[m["tipo"] == "linea_base"]
    last = m[m["tipo"] == "logro_esperado"].tail(1)
    return (None if base.empty else base.iloc[0]), (None if last.empty else last.iloc[0])


def indicator_overview(cat: Catalogue) -> pd.DataFrame:
    """One row per indicator with its baseline and final target (value and year)."""
    rows = []
    for ind in cat.indicadores.itertuples():
        base, last = _targets(cat, ind.id)
        rows.append({
            "id": ind.id, "nivel": ind.nivel, "objetivo": ind.objetivo, "lineamiento": ind.lineamiento,
            "servicio": ind.servicio, "nombre": ind.nombre, "tipo": ind.tipo, "unidad": ind.unidad,
            "sentido": ind.sentido, "responsable": ind.responsable,
            "linea_base_anio": None if base is None else int(base["anio"]),
            "linea_base_valor": None if base is None else base["valor"],
            "meta_anio": None if last is None else int(last["anio"]),
            "meta_valor": None if last is None else last["valor"],
        })
    return pd.DataFrame(rows)


def objective_indicators(cat: Catalogue, objective: str) -> pd.DataFrame:
    ov = indicator_overview(cat)
    return ov[(ov["objetivo"] == objective) & (ov["nivel"] == "objetivo")].reset_index(drop=True)


def service_indicators(cat: Catalogue, service: str) -> pd.DataFrame:
    ov = indicator_overview(cat)
    return ov[ov["servicio"] == service].reset_index(drop=True)


def objectives_lineamientos(cat: Catalogue) -> pd.DataFrame:
    """4.2 matrix: objective, responsible, indicators with baseline and target, lineamiento, alternative."""
    alt = cat.lineamiento_alternativa
    alt = alt[alt["procedencia"].str.contains("Tabla 27")].drop_duplicates("lineamiento").set_index("lineamiento")
    alternatives = cat.alternativas.set_index("id")["nombre"]
    ov = indicator_overview(cat)
    rows = []
    for op in cat.objetivos.itertuples():
        inds = ov[(ov["objetivo"] == op.id) & (ov["nivel"] == "objetivo")]
        for lin in cat.lineamientos[cat.lineamientos["objetivo"] == op.id].itertuples():
            code = alt["alternativa"].get(lin.id)
            rows.append({
                "objetivo": op.id, "objetivo_nombre": op.nombre, "responsable": op.responsable,
                "indicadores": inds["id"].tolist(),
                "lineamiento": lin.id, "lineamiento_nombre": lin.nombre,
                "alternativa": code, "alternativa_nombre": alternatives.get(code) if code else None,
            })
    return pd.DataFrame(rows)


def services_matrix(cat: Catalogue) -> pd.DataFrame:
    """4.3 matrix (Tabla 28): every lineamiento with its services, or none."""
    rows = []
    for lin in cat.lineamientos.itertuples():
        services = cat.servicios[cat.servicios["lineamiento"] == lin.id]
        if services.empty:
            rows.append({"servicio": "", "objetivo": lin.objetivo, "lineamiento": lin.id, "nombre": "",
                         "alternativa": "", "proveedor": "", "receptor": ""})
        for s in services.itertuples():
            rows.append({"servicio": s.id, "objetivo": s.objetivo, "lineamiento": s.lineamiento, "nombre": s.nombre,
                         "alternativa": s.alternativa, "proveedor": s.proveedor, "receptor": s.receptor})
    return pd.DataFrame(rows)


def activities(cat: Catalogue, objective: str) -> pd.DataFrame:
    act = cat.actividades
    return act[act["objetivo"] == objective].reset_index(drop=True)


def consistency(cat: Catalogue) -> pd.DataFrame:
    """7.4 matrix, complete: cause → objective → indicators → lineamiento → service → service indicators."""
    ind = cat.indicadores
    rows = []
    for op in cat.objetivos.itertuples():
        op_inds = ind[(ind["objetivo"] == op.id) & (ind["nivel"] == "objetivo")]["id"].tolist()
        indirect = cat.causas[cat.causas["padre"] == op.causa]["id"].tolist()
        for lin in cat.lineamientos[cat.lineamientos["objetivo"] == op.id].itertuples():
            services = cat.servicios[cat.servicios["lineamiento"] == lin.id]["id"].tolist() or [""]
            for srv in services:
                rows.append({
                    "causa_directa": op.causa, "causas_indirectas": indirect, "objetivo": op.id,
                    "indicadores_objetivo": op_inds, "lineamiento": lin.id, "servicio": srv,
                    "indicadores_servicio": ind[ind["servicio"] == srv]["id"].tolist() if srv else [],
                })
    return pd.DataFrame(rows)


def published_matrix_losses(cat: Catalogue) -> pd.DataFrame:
    """Codes of the catalogue that each published consistency matrix does not print."""
    pub = cat.consistencia_publicada
    expected = {
        "causa": set(cat.causas["id"]), "objetivo": set(cat.objetivos["id"]),
        "lineamiento": set(cat.lineamientos["id"]), "servicio": set(cat.servicios["id"]),
    }
    rows = []
    for table, group in pub.groupby("tabla", sort=True):
        for column, codes in expected.items():
            printed = {c.strip() for cell in group[column] for c in str(cell).split(";") if c.strip()}
            for code in sorted(codes - printed):
                rows.append({"tabla": table, "nivel": column, "codigo": code})
    return pd.DataFrame(rows, columns=["tabla", "nivel", "codigo"])


def services_by_nature(cat: Catalogue) -> pd.DataFrame:
    """Executive summary: services per objective and nature (prestacional, ...), with totals."""
    counts = pd.crosstab(cat.servicios["objetivo"], cat.servicios["naturaleza"])
    counts["Total"] = counts.sum(axis=1)
    counts.loc["Total"] = counts.sum()
    return counts.reset_index().rename(columns={"objetivo": "Objetivo"})


def chain_counts(cat: Catalogue) -> pd.DataFrame:
    """Executive summary: lineamientos, services, indicators and activities per objective."""
    rows = []
    for op in cat.objetivos.itertuples():
        ind = cat.indicadores[cat.indicadores["objetivo"] == op.id]
        rows.append({
            "Objetivo": op.id,
            "Lineamientos": int((cat.lineamientos["objetivo"] == op.id).sum()),
            "Servicios": int((cat.servicios["objetivo"] == op.id).sum()),
            "Indicadores de resultado": int((ind["nivel"] == "objetivo").sum()),
            "Indicadores de servicio": int((ind["nivel"] == "servicio").sum()),
            "Actividades operativas": int((cat.actividades["objetivo"] == op.id).sum()),
        })
    frame = pd.DataFrame(rows)
    total = frame.drop(columns="Objetivo").sum()
    return pd.concat([frame, pd.DataFrame([{"Objetivo": "Total", **total.to_dict()}])], ignore_index=True)
