"""The policy's catalogue: counts, the chain's integrity, spot checks against the published sheets,
and the matrices generated from it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pnmce.catalogue import matrices
from pnmce.data.package import read_catalogue


@pytest.fixture(scope="module")
def published(project):
    """The catalogue as published: `correcciones.csv` not applied."""
    return read_catalogue(project.data, corrections=False)


def test_counts(catalogue):
    c = catalogue
    assert (c.causas["nivel"] == "directa").sum() == 5
    assert (c.causas["nivel"] == "indirecta").sum() == 20
    assert len(c.objetivos) == 5
    assert len(c.lineamientos) == 22
    assert len(c.servicios) == 40
    assert len(c.indicadores) == 92
    assert (c.indicadores["nivel"] == "objetivo").sum() == 8
    assert (c.indicadores["nivel"] == "servicio").sum() == 84
    assert len(c.actividades) == 126  # Tablas 37–41: 20 + 24 + 36 + 14 + 32
    assert c.actividades.groupby("objetivo").size().tolist() == [20, 24, 36, 14, 32]
    assert c.servicios.groupby("objetivo").size().tolist() == [6, 12, 7, 5, 10]
    assert sorted(c.lineamientos.query("con_servicios == 'no'")["id"]) == ["L1.2", "L3.3"]
    assert len(c.glosario) == 16
    assert len(c.acronimos) == 90 and c.acronimos["sigla"].nunique() == 89  # COMEXPERU is listed twice


def test_the_chain_is_whole(catalogue):
    c = catalogue
    lin = c.lineamientos.set_index("id")
    srv = c.servicios.set_index("id")
    for ind in c.indicadores.query("nivel == 'servicio'").itertuples():
        assert ind.servicio in srv.index, ind.id
        assert srv.at[ind.servicio, "lineamiento"] == ind.lineamiento, ind.id
        assert lin.at[ind.lineamiento, "objetivo"] == ind.objetivo, ind.id
    for s in c.servicios.itertuples():
        assert lin.at[s.lineamiento, "objetivo"] == s.objetivo
    assert set(c.objetivos["causa"]) == set(c.causas.query("nivel == 'directa'")["id"])
    for ci in c.causas.query("nivel == 'indirecta'").itertuples():
        assert ci.id.startswith("CI" + ci.padre[2:] + ".")


def test_service_indicator_ids_follow_the_scheme(catalogue):
    ids = set(catalogue.indicadores["id"])
    assert {"S1.1.1-cal", "S1.1.1-cob1", "S1.1.1-cob2"} <= ids
    for s in ("S3.1.1", "S3.4.2", "S3.5.1"):
        assert {f"{s}-cal1", f"{s}-cal2", f"{s}-cob1", f"{s}-cob2"} <= ids
    assert "S2.3.2-cal" in ids and not any(i.startswith("S2.3.2-cob") for i in ids)
    assert not any(i.startswith("S2.1.2") for i in ids)  # the service has no indicator


def _target(catalogue, ident, year):
    m = catalogue.metas
    row = m[(m["indicador"] == ident) & (m["anio"] == year)]
    assert len(row) == 1, (ident, year)
    return row.iloc[0]


@pytest.mark.parametrize(("ident", "year", "valor", "num", "den"), [
    # Hard sheets: malformed rows, mixed number formats, page breaks (values as published).
    ("OP2.1", 2034, 1.7, None, None),            # biennial index, decimal point
    ("OP4.1", 2040, 0.32, 385, 120997),          # underlined numerator and a denominator
    ("S1.4.1-cal", 2027, 70, 82, 119),           # stated 70 % although 82/119 = 68,9 %
    ("S1.5.1-cal", 2040, 86, 213280, 248000),    # comma thousands
    ("S2.1.3-cal", 2040, 19, 841621, 44296),     # hours; spaces inside numbers "841 621/ 442 96"
    ("S2.2.1-cal", 2040, 98.6, 8637, 8760),      # sheet without a 2035 column
    ("S2.3.1-cob", 2040, 57.1, 19160, 33535),    # table scrambled by the conversion
    ("S2.3.2-cal", 2024, 6367, None, None),      # footnote star "6,367*"
    ("S2.3.2-cal", 2039, 4782, None, None),      # annual targets 2036–2039 in a triplicated table
    ("S3.4.1-cal", 2024, 91.5, 3.3, 3.53),       # stated 91,5 % although 3,30/3,53 = 93,5 %
    ("S3.5.1-cob2", 2028, 15, 1572, 110479),     # denominator typo kept as published
    ("S4.2.1-cob", 2040, 100, None, None),       # 2040 pair missing in the sheet
    ("S5.2.5-cal", 2025, 0, None, None),         # an extra 2025 column
    ("S5.4.1-cal", 2024, 95, 101, 190),          # stated 95 % although 101/190 = 53,2 %
])
def test_spot_checks_against_the_published_sheets(published, ident, year, valor, num, den):
    row = _target(published, ident, year)
    assert math.isclose(float(row["valor"]), valor)
    for got, want in ((row["numerador"], num), (row["denominador"], den)):
        if want is None:
            assert pd.isna(got)
        else:
            assert math.isclose(float(got), want)


def test_explicit_corrections_apply_on_load_and_keep_the_published_value(catalogue, published):
    assert len(catalogue.applied_corrections) >= 4
    for year in (2028, 2029, 2030, 2031):
        assert _target(published, "S3.5.1-cob2", year)["denominador"] == 110479
        assert _target(catalogue, "S3.5.1-cob2", year)["denominador"] == 10479


def test_missing_years_stay_missing(catalogue):
    years = lambda i: set(catalogue.metas.query("indicador == @i")["anio"])  # noqa: E731
    assert not {2027, 2029, 2031, 2033} & years("OP2.1")
    assert 2040 not in years("S1.4.1-cob")
    assert 2035 not in years("S2.2.1-cal")
    assert years("S2.1.1-cal") == set()


def test_consistency_matrix_loses_nothing(catalogue):
    cm = matrices.consistency(catalogue)
    assert set(cm["objetivo"]) == set(catalogue.objetivos["id"])
    assert set(cm["causa_directa"]) == set(catalogue.causas.query("nivel == 'directa'")["id"])
    assert set(cm["lineamiento"]) == set(catalogue.lineamientos["id"])
    assert set(cm["servicio"]) - {""} == set(catalogue.servicios["id"])
    listed = {i for ids in cm["indicadores_servicio"] for i in ids} | {i for ids in cm["indicadores_objetivo"] for i in ids}
    assert listed == set(catalogue.indicadores["id"])


def test_published_matrices_losses_are_reported(catalogue):
    losses = matrices.published_matrix_losses(catalogue)
    t36 = set(losses.query("tabla == 'Tabla 36'")["codigo"])
    assert {"CD3", "OP3"} <= t36 and {"S1.3.1", "S1.3.2", "S3.1.1", "S3.1.2"} <= t36
    assert set(losses[losses["tabla"].str.startswith("Anexo 1")]["codigo"]) == {"L2.2"}


def test_executive_summary_counts(catalogue):
    nature = matrices.services_by_nature(catalogue).set_index("Objetivo")
    assert nature.loc["Total", ["Prestacional", "No prestacional", "Administrativo", "Total"]].tolist() == [29, 6, 5, 40]
    chain = matrices.chain_counts(catalogue).set_index("Objetivo")
    assert chain.loc["Total"].tolist() == [22, 40, 8, 84, 126]


def test_objectives_lineamientos_matrix_has_baseline_and_2040(catalogue):
    ov = matrices.indicator_overview(catalogue).set_index("id")
    assert (ov.at["OP1.1", "linea_base_valor"], ov.at["OP1.1", "meta_anio"], ov.at["OP1.1", "meta_valor"]) == (23237, 2040, 44633)
    m = matrices.objectives_lineamientos(catalogue)
    assert len(m) == 22 and m["alternativa"].notna().all()
