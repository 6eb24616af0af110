"""Quality control of the source: each rule fires on a hand-made defect and stays quiet otherwise,
and on the published policy it finds the anomalies the extractors reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from pnmce.catalogue.qc import COLUMNS, RULES
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.present.findings import findings, summary, write_findings
from pnmce.present.fmt import NBSP

ROOT = Path(__file__).resolve().parents[1]
YEARS = [*range(2026, 2036), 2040]


# ------------------------------------------------------------------------------------------
# a small, clean, hand-made catalogue (not the policy's data)


def _metas(ident: str, unit_pct: bool, start: float, step: float, where: str) -> list[dict]:
    rows = [{"indicador": ident, "anio": 2024, "tipo": "linea_base", "valor": start}]
    rows += [{"indicador": ident, "anio": y, "tipo": "logro_esperado", "valor": start + step * (i + 1)}
             for i, y in enumerate(YEARS)]
    for r in rows:
        r["numerador"] = r["valor"] if unit_pct else None
        r["denominador"] = 100.0 if unit_pct else None
        r["procedencia"] = where
    return rows


def base_tables() -> dict[str, pd.DataFrame]:
    return {
        "causas": pd.DataFrame([
            {"id": "CD1", "nivel": "directa", "padre": "", "nombre": "Causa directa de prueba", "procedencia": "p-CD1"},
            {"id": "CI1.1", "nivel": "indirecta", "padre": "CD1", "nombre": "Causa indirecta de prueba",
             "procedencia": "p-CI1.1"}]),
        "objetivos": pd.DataFrame([{"id": "OP1", "nombre": "Objetivo de prueba", "causa": "CD1", "procedencia": "p-OP1"}]),
        "lineamientos": pd.DataFrame([{"id": "L1.1", "objetivo": "OP1", "nombre": "Lineamiento de prueba",
                                       "procedencia": "p-L1.1"}]),
        "servicios": pd.DataFrame([{"id": "S1.1.1", "objetivo": "OP1", "lineamiento": "L1.1",
                                    "nombre": "Servicio de prueba", "procedencia": "p-S1.1.1"}]),
        "indicadores": pd.DataFrame([
            {"id": "OP1.1", "nivel": "objetivo", "servicio": "", "nombre": "Indicador de objetivo", "unidad": "número",
             "sentido": "Ascendente", "linea_base_anio": 2024, "linea_base_valor": 100.0, "procedencia": "p-OP1.1"},
            {"id": "S1.1.1-cal", "nivel": "servicio", "servicio": "S1.1.1", "nombre": "Indicador de servicio",
             "unidad": "%", "sentido": "Ascendente", "linea_base_anio": 2024, "linea_base_valor": 50.0,
             "procedencia": "p-S1.1.1-cal"}]),
        "metas": pd.DataFrame(_metas("OP1.1", False, 100.0, 10.0, "m-OP1.1")
                              + _metas("S1.1.1-cal", True, 50.0, 1.0, "m-S1.1.1-cal")),
        "actividades": pd.DataFrame([{"id": "AO-001", "objetivo": "OP1", "lineamiento": "L1.1", "servicio": "S1.1.1",
                                      "nombre": "Actividad", "procedencia": "p-AO-001"}]),
        "variantes": pd.DataFrame(columns=["entidad", "id", "nombre", "procedencia"]),
        "consistencia_publicada": pd.DataFrame([
            {"tabla": "Tabla X", "causa": "CD1; CI1.1", "objetivo": "OP1", "lineamiento": "L1.1",
             "servicio": "S1.1.1", "procedencia": "Tabla X [L10]"}]),
        "alineamiento": pd.DataFrame([
            {"tabla": "Tabla Y", "politica": "Otra", "objetivo_pnmce": "OP1", "lineamiento_pnmce": "L1.1",
             "servicio_pnmce": "S1.1.1", "procedencia": "Tabla Y [L20]"}]),
        "correcciones": pd.DataFrame(columns=["recurso", "clave", "campo", "valor_publicado", "valor_corregido",
                                              "motivo"]),
    }


def cat_of(tables: dict[str, pd.DataFrame], applied=None) -> Catalogue:
    tables = {k: v.copy() for k, v in tables.items()}
    m = tables["metas"]
    m["anio"] = m["anio"].astype("Int64")
    for col in ("valor", "numerador", "denominador"):
        m[col] = pd.array(m[col].tolist(), dtype="Float64")
    return Catalogue(tables, "prueba", {}, applied)


def _set(tables, ident, year, **values):
    m = tables["metas"]
    mask = (m["indicador"] == ident) & (m["anio"] == year)
    assert mask.sum() == 1
    for col, val in values.items():
        m.loc[mask, col] = val


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def rows_of(found: pd.DataFrame, code: str) -> pd.DataFrame:
    return found[found["codigo"] == code]


@pytest.fixture
def tables():
    return base_tables()


def test_clean_catalogue_has_no_findings(tables):
    found = findings(cat_of(tables))
    assert list(found.columns) == COLUMNS
    assert found.empty, found.to_string()


# QC01 / QC02: percentages against numerator/denominator

def test_percentage_far_from_ratio_is_an_error(tables):
    _set(tables, "S1.1.1-cal", 2028, valor=95.0)  # published 53/100
    found = rows_of(findings(cat_of(tables)), "QC01")
    assert len(found) == 1
    r = found.iloc[0]
    assert (r["id"], r["anio"], r["severidad"], r["entidad"]) == ("S1.1.1-cal", 2028, "error_fuente", "indicador")
    assert _plain(r["detalle"]).startswith("Valor declarado 95 % pero 53/100 = 53,0 %")
    assert r["procedencia"] == "m-S1.1.1-cal"


def test_small_disagreement_is_rounding_not_error(tables):
    _set(tables, "S1.1.1-cal", 2028, numerador=537.0, denominador=1000.0)  # 53.7 % published as 53 %
    found = findings(cat_of(tables))
    assert rows_of(found, "QC01").empty
    r = rows_of(found, "QC02").iloc[0]
    assert (r["id"], r["anio"], r["severidad"]) == ("S1.1.1-cal", 2028, "aviso")
    assert _plain(r["detalle"]).startswith("Valor declarado 53 % pero 537/1 000 = 53,7 % (diferencia de 0,7")
    # the tolerance decides between the two rules
    strict = findings(cat_of(tables), tolerance=0.5)
    assert len(rows_of(strict, "QC01")) == 1 and rows_of(strict, "QC02").empty


def test_correct_rounding_and_non_percent_units_are_not_flagged(tables):
    _set(tables, "S1.1.1-cal", 2027, valor=53.0, numerador=533.0, denominador=1000.0)  # 53.3 → 53: fine
    _set(tables, "S1.1.1-cal", 2028, valor=66.7, numerador=2.0, denominador=3.0)  # 66.67 → 66.7: fine
    _set(tables, "S1.1.1-cal", 2029, valor=63.0, numerador=5.0, denominador=8.0)  # 62.5 → 63: half up, fine
    _set(tables, "OP1.1", 2028, numerador=1.0, denominador=3.0)  # unit «número»: no check
    _set(tables, "S1.1.1-cal", 2030, numerador=None)  # no numerator: no check
    found = findings(cat_of(tables))
    assert found[found["codigo"].isin(["QC01", "QC02"])].empty, found.to_string()


# QC03: targets against the direction

def test_ascending_target_below_previous_is_flagged(tables):
    _set(tables, "OP1.1", 2030, valor=120.0)  # 2029 is 140
    found = rows_of(findings(cat_of(tables)), "QC03")
    assert list(found["anio"]) == [2030]
    assert found.iloc[0]["detalle"] == "Sentido Ascendente, pero la meta 2030 (120) es menor que la meta 2029 (140)"


def test_target_below_baseline_is_flagged_once(tables):
    _set(tables, "OP1.1", 2026, valor=90.0)  # baseline 100, later targets rise again above it
    found = rows_of(findings(cat_of(tables)), "QC03")
    assert list(found["anio"]) == [2026]
    assert "menor que la línea base 2024 (100)" in found.iloc[0]["detalle"]


def test_descending_direction_and_plateaus(tables):
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "sentido"] = "Descendente"
    m = tables["metas"]
    m.loc[m["indicador"] == "OP1.1", "valor"] = [100.0, 90, 80, 80, 70, 60, 50, 40, 30, 20, 10, 5]
    assert rows_of(findings(cat_of(tables)), "QC03").empty  # equal consecutive targets are fine
    _set(tables, "OP1.1", 2035, valor=45.0)  # above 2034 (20)
    found = rows_of(findings(cat_of(tables)), "QC03")
    assert list(found["anio"]) == [2035]
    assert "es mayor que la meta 2034" in found.iloc[0]["detalle"]


def test_undefined_direction_is_not_checked_but_warned(tables):
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "sentido"] = "No definido"
    _set(tables, "OP1.1", 2030, valor=10.0)
    found = findings(cat_of(tables))
    assert rows_of(found, "QC03").empty
    r = rows_of(found, "QC11").iloc[0]
    assert (r["id"], r["severidad"], r["procedencia"]) == ("OP1.1", "aviso", "p-OP1.1")


def test_missing_direction_is_an_error(tables):
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "sentido"] = ""
    found = findings(cat_of(tables))
    assert list(rows_of(found, "QC12")["id"]) == ["OP1.1"]
    assert rows_of(found, "QC11").empty


# QC04 / QC05 / QC06: target years and empty sheets

def test_missing_years_listed_in_one_finding(tables):
    m = tables["metas"]
    tables["metas"] = m[~((m["indicador"] == "OP1.1") & m["anio"].isin([2027, 2029]))]
    found = rows_of(findings(cat_of(tables)), "QC04")
    assert len(found) == 1
    r = found.iloc[0]
    assert r["id"] == "OP1.1" and pd.isna(r["anio"])
    assert r["detalle"].startswith("Faltan las metas de 2027 y 2029")
    assert r["procedencia"] == "m-OP1.1"


def test_extra_years_are_a_warning(tables):
    extra = pd.DataFrame([{"indicador": "OP1.1", "anio": y, "tipo": "logro_esperado", "valor": 200.0,
                           "numerador": None, "denominador": None, "procedencia": "m-OP1.1"} for y in (2025, 2037)])
    tables["metas"] = pd.concat([tables["metas"], extra], ignore_index=True)
    found = findings(cat_of(tables))
    r = rows_of(found, "QC05").iloc[0]
    assert (r["id"], r["severidad"]) == ("OP1.1", "aviso")
    assert "2025 y 2037" in r["detalle"]
    assert rows_of(found, "QC04").empty


def test_sheet_without_data(tables):
    m = tables["metas"]
    tables["metas"] = m[m["indicador"] != "OP1.1"]
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "linea_base_valor"] = None
    found = findings(cat_of(tables))
    r = rows_of(found, "QC06").iloc[0]
    assert (r["id"], r["procedencia"]) == ("OP1.1", "p-OP1.1")
    assert r["detalle"] == "La ficha no publica línea base ni logros esperados"
    assert rows_of(found, "QC04").empty  # an empty sheet is not reported again year by year


def test_sheet_without_baseline(tables):
    m = tables["metas"]
    tables["metas"] = m[~((m["indicador"] == "OP1.1") & (m["tipo"] == "linea_base"))]
    assert rows_of(findings(cat_of(tables)), "QC06").empty  # the sheet row still has the baseline
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "linea_base_valor"] = None
    found = rows_of(findings(cat_of(tables)), "QC06")
    assert list(found["detalle"]) == ["La ficha no publica línea base"]


# QC07: name variants

def test_each_name_variant_is_a_finding(tables):
    tables["variantes"] = pd.DataFrame([
        {"entidad": "servicio", "id": "S1.1.1", "nombre": "Servicio de prueba, variante", "procedencia": "v1"},
        {"entidad": "servicio", "id": "S1.1.1", "nombre": "Servicio de prueba", "procedencia": "v2"},  # identical
        {"entidad": "objetivo", "id": "OP1", "nombre": "Otro objetivo", "procedencia": "v3"}])
    found = rows_of(findings(cat_of(tables)), "QC07")
    assert list(zip(found["entidad"], found["id"], found["procedencia"])) == [("objetivo", "OP1", "v3"),
                                                                               ("servicio", "S1.1.1", "v1")]
    assert "«Servicio de prueba, variante»" in found.iloc[1]["detalle"]
    assert "«Servicio de prueba»" in found.iloc[1]["detalle"]


# QC08 / QC09: services without indicators or activities

def test_service_without_indicators_or_activities(tables):
    extra = {"id": "S1.1.2", "objetivo": "OP1", "lineamiento": "L1.1", "nombre": "Otro servicio", "procedencia": "p2"}
    tables["servicios"] = pd.concat([tables["servicios"], pd.DataFrame([extra])], ignore_index=True)
    tables["consistencia_publicada"].loc[1] = ["Tabla X", "", "", "", "S1.1.2", "Tabla X [L11]"]
    found = findings(cat_of(tables))
    assert list(rows_of(found, "QC08")["id"]) == ["S1.1.2"]
    assert list(rows_of(found, "QC09")["id"]) == ["S1.1.2"]
    assert set(found["id"]) == {"S1.1.2"}


def test_service_rules_skip_when_the_table_is_absent(tables):
    del tables["actividades"]
    assert rows_of(findings(cat_of(tables)), "QC09").empty


# QC10 / QC13 / QC15: published matrices

def test_matrix_that_loses_a_code(tables):
    tables["consistencia_publicada"].loc[0, "causa"] = "CD1"
    found = rows_of(findings(cat_of(tables)), "QC10")
    assert list(zip(found["entidad"], found["id"])) == [("causa", "CI1.1")]
    assert "«Tabla X»" in found.iloc[0]["detalle"]
    assert found.iloc[0]["procedencia"] == "Tabla X [L10]"


def test_each_matrix_is_checked_on_its_own(tables):
    cp = tables["consistencia_publicada"]
    cp.loc[1] = ["Tabla Z", "CD1; CI1.1", "OP1", "", "S1.1.1", "Tabla Z [L30]"]
    found = rows_of(findings(cat_of(tables)), "QC10")
    assert list(zip(found["id"], found["detalle"].str.contains("Tabla Z"))) == [("L1.1", True)]


def test_matrix_naming_unknown_codes(tables):
    tables["alineamiento"].loc[1] = ["Tabla Y", "Otra", "OP1", "L1.1", "S9.9.9", "Tabla Y [L21]"]
    tables["alineamiento"].loc[2] = ["Tabla Y", "Otra", "OP1", "L1.1", "S9.9.9", "Tabla Y [L25]"]
    tables["consistencia_publicada"].loc[1] = ["Tabla X", "CI7.7", "", "", "", "Tabla X [L12]"]
    found = rows_of(findings(cat_of(tables)), "QC13")
    assert list(zip(found["entidad"], found["id"])) == [("causa", "CI7.7"), ("servicio", "S9.9.9")]
    s = found.iloc[1]
    assert "(2 filas)" in s["detalle"] and s["procedencia"] == "Tabla Y [L21-25]"


def test_service_aligned_outside_its_objective(tables):
    tables["objetivos"].loc[1] = ["OP2", "Otro objetivo", "CD1", "p-OP2"]
    tables["consistencia_publicada"].loc[1] = ["Tabla X", "", "OP2", "", "", "Tabla X [L11]"]
    tables["lineamientos"].loc[1] = ["L1.2", "OP1", "Otro lineamiento", "p-L1.2"]
    tables["consistencia_publicada"].loc[2] = ["Tabla X", "", "", "L1.2", "", "Tabla X [L12]"]
    tables["alineamiento"].loc[1] = ["Tabla Y", "Otra", "OP2", "", "S1.1.1", "Tabla Y [L22]"]
    tables["alineamiento"].loc[2] = ["Tabla Y", "Otra", "OP1", "L1.2", "S1.1.1", "Tabla Y [L23]"]
    found = findings(cat_of(tables))
    assert rows_of(found, "QC13").empty and rows_of(found, "QC10").empty
    misplaced = rows_of(found, "QC15").sort_values("procedencia")
    assert list(misplaced["procedencia"]) == ["Tabla Y [L22]", "Tabla Y [L23]"]
    assert set(misplaced["id"]) == {"S1.1.1"}
    first, second = (d.split(";")[0] for d in misplaced["detalle"])
    assert "objetivo OP2" in first and "lineamiento" not in first
    assert "lineamiento L1.2" in second and "objetivo" not in second


# QC14: explicit corrections

def test_explicit_corrections_are_listed(tables):
    tables["correcciones"] = pd.DataFrame([{
        "recurso": "metas", "clave": "S1.1.1-cal|2028", "campo": "denominador", "valor_publicado": "1000",
        "valor_corregido": "100", "motivo": "Errata de prueba."}])
    found = rows_of(findings(cat_of(tables)), "QC14")
    assert len(found) == 1
    r = found.iloc[0]
    assert (r["entidad"], r["id"], r["anio"], r["severidad"]) == ("indicador", "S1.1.1-cal", 2028, "aviso")
    assert _plain(r["detalle"]) == "Se corrige «denominador»: publicado 1 000, corregido 100. Motivo: Errata de prueba."
    assert r["procedencia"] == "m-S1.1.1-cal"


def test_refuses_corrected_catalogue(tables):
    applied = pd.DataFrame([{"recurso": "metas", "clave": "x", "campo": "valor"}])
    with pytest.raises(ValueError, match="corrections=False"):
        findings(cat_of(tables, applied=applied))


# ordering, summary, CSV

def _messy(tables):
    _set(tables, "S1.1.1-cal", 2030, valor=10.0)
    _set(tables, "S1.1.1-cal", 2027, valor=99.0)
    ind = tables["indicadores"]
    ind.loc[ind["id"] == "OP1.1", "sentido"] = "No definido"
    tables["variantes"] = pd.DataFrame([{"entidad": "servicio", "id": "S1.1.1", "nombre": "Variante",
                                         "procedencia": "v"}])
    return tables


def test_rows_sorted_and_independent_of_input_order(tables):
    tables = _messy(tables)
    found = findings(cat_of(tables))
    keys = list(zip(found["codigo"], found["entidad"], found["id"], found["anio"].fillna(0)))
    assert keys == sorted(keys)
    shuffled = {k: v.sample(frac=1, random_state=3).reset_index(drop=True) for k, v in tables.items()}
    pd.testing.assert_frame_equal(findings(cat_of(shuffled)), found)


def test_summary_counts_every_rule(tables):
    found = findings(cat_of(_messy(tables)))
    s = summary(found).set_index("codigo")
    assert list(s.index) == sorted(RULES)
    assert s.loc["QC01", "hallazgos"] == 2
    assert s.loc["QC03", "hallazgos"] == 2  # 2027 above 2028, 2030 below 2029: two wrong steps
    assert s.loc["QC11", "hallazgos"] == 1 and s.loc["QC07", "hallazgos"] == 1
    assert s.loc["QC13", "hallazgos"] == 0
    assert s["hallazgos"].sum() == len(found)


def test_write_findings_is_stable_utf8_lf(tables, tmp_path):
    cat = cat_of(_messy(tables))
    path = write_findings(cat, tmp_path / "sub" / "hallazgos.csv")
    data = path.read_bytes()
    assert b"\r" not in data
    text = data.decode("utf-8")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(findings(cat))
    assert {r["anio"] for r in rows} >= {"", "2027"}  # integers, no «2027.0»; empty when not a year
    write_findings(cat, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text(encoding="utf-8") == text


# ------------------------------------------------------------------------------------------
# the published policy


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return findings(read_catalogue(ROOT / "data", corrections=False))


def _one(found, code, ident, year=None):
    rows = found[(found["codigo"] == code) & (found["id"] == ident)]
    if year is not None:
        rows = rows[rows["anio"] == year]
    assert len(rows) == 1, found[found["id"] == ident].to_string()
    return rows.iloc[0]


def test_real_percentage_errors(published):
    r = _one(published, "QC01", "S5.4.1-cal", 2024)
    assert _plain(r["detalle"]) == ("Valor declarado 95 % pero 101/190 = 53,2 % "
                                    "(diferencia de 41,8 puntos porcentuales)")
    assert "L6808" in r["procedencia"]
    r = _one(published, "QC01", "S3.5.1-cob2", 2028)
    assert "1 572/110 479" in _plain(r["detalle"])
    assert rows_of(published, "QC01").query("id == 'S3.5.1-cob2'")["anio"].tolist() == [2028, 2029, 2030, 2031]


def test_real_target_against_direction(published):
    r = _one(published, "QC03", "S4.3.1-cal", 2026)
    assert _plain(r["detalle"]) == "Sentido Ascendente, pero la meta 2026 (88 %) es menor que la línea base 2024 (100 %)"


def test_real_missing_years_and_empty_sheet(published):
    r = _one(published, "QC04", "OP2.1")
    assert r["detalle"].startswith("Faltan las metas de 2027, 2029, 2031 y 2033 ")
    assert _one(published, "QC06", "S2.1.1-cal")["detalle"] == "La ficha no publica línea base ni logros esperados"
    assert set(rows_of(published, "QC05")["id"]) == {"S2.1.1-cob", "S2.3.2-cal", "S5.2.5-cal", "S5.2.5-cob"}


def test_real_services_without_indicators_or_activities(published):
    assert rows_of(published, "QC08")["id"].tolist() == ["S2.1.2"]
    assert set(rows_of(published, "QC09")["id"]) == {"S1.5.2", "S2.1.2"}


def test_real_matrices_losing_codes(published):
    lost = rows_of(published, "QC10")
    in_36 = set(lost.loc[lost["detalle"].str.contains("«Tabla 36»"), "id"])
    in_annex = set(lost.loc[lost["detalle"].str.contains("«Anexo 1"), "id"])
    assert {"CD3", "OP3"} <= in_36
    assert in_annex == {"L2.2"}
    assert "CD3" not in in_annex


def test_real_alignment_codes(published):
    assert "Tabla 35" in _one(published, "QC13", "S3.5.2")["detalle"]
    assert "objetivo OP5" in _one(published, "QC15", "S3.4.2")["detalle"]


def test_real_findings_are_well_formed(published):
    assert not published.empty
    assert set(published["codigo"]) <= set(RULES)
    assert all(RULES[c].severidad == s for c, s in zip(published["codigo"], published["severidad"]))
    assert set(published["severidad"]) <= {"aviso", "error_fuente"}
    assert (published["procedencia"].str.len() > 0).all()
    assert (published["detalle"].str.len() > 0).all()
    assert not published.duplicated().any()


def test_uncorrected_read_keeps_published_values(project):
    """The shipped correcciones.csv fixes a denominator typo: the published reading keeps the printed
    value and the report still shows both the error and the correction."""
    corrected = read_catalogue(project.data)
    printed = read_catalogue(project.data, corrections=False)

    def den(cat):
        m = cat.metas
        return m.loc[(m["indicador"] == "S3.5.1-cob2") & (m["anio"] == 2028), "denominador"].iloc[0]

    assert (den(corrected), den(printed)) == (10479, 110479)
    assert printed.applied_corrections is None
    found = findings(printed)
    assert _one(found, "QC01", "S3.5.1-cob2", 2028) is not None
    r = _one(found, "QC14", "S3.5.1-cob2", 2028)
    assert _plain(r["detalle"]).startswith("Se corrige «denominador»: publicado 110 479, corregido 10 479.")
    assert "ficha técnica S3.5.1-cob2" in r["procedencia"]
    with pytest.raises(ValueError):
        findings(corrected)
