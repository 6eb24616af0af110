"""The monitoring method and the compliance formulas, on hand-computed cases."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
import yaml

from pnmce.data.method import method_path
from pnmce.errors import InputError
from pnmce.metrics import (
    agrees,
    alerts,
    baseline_observed,
    digest_table,
    effective_direction,
    expected_value,
    load_method,
    management_index,
    method_from_dict,
    monitoring_table,
    ratio,
    status,
    write_digest,
)
from pnmce.metrics.compliance import TABLE_COLUMNS
from pnmce.metrics.digest import DIGEST_COLUMNS


@pytest.fixture(scope="module")
def method(project):
    return load_method(project.data)


@pytest.fixture(scope="module")
def raw_method(project):
    return yaml.safe_load(method_path(project.data).read_text(encoding="utf-8"))


def metas(*rows):
    """Synthetic metas of one indicator: (year, value[, tipo])."""
    return pd.DataFrame([{"indicador": "X", "anio": r[0], "valor": r[1],
                          "tipo": r[2] if len(r) > 2 else "logro_esperado"} for r in rows])


# ---------------------------------------------------------------- the method file

def test_method_file_loads_with_its_citation_and_defaults(method):
    assert method.version and "CEPLAN" in method.cita and "Sinaplan" in method.cita
    assert "propios" in method.nota  # the defaults are the project's own, said so
    assert (method.tope, method.aplicar_tope, method.verde, method.amarillo) == (100, True, 90, 70)
    assert method.source == "data/metodo/seguimiento.yml" and len(method.digest) == 12
    assert "neutral" in method.formulas and "casos_especiales" in method.formulas
    with pytest.raises(dataclasses.FrozenInstanceError):
        method.tope = 200


def test_missing_method_key_is_refused_in_spanish(raw_method):
    broken = {**raw_method, "semaforo": {"verde": 90}}
    with pytest.raises(InputError) as exc:
        method_from_dict(broken, "data/metodo/seguimiento.yml")
    text = str(exc.value)
    assert "Método de seguimiento no válido" in text
    assert "semaforo.amarillo" in text and "falta la clave" in text


@pytest.mark.parametrize(("key", "value", "phrase"), [
    ("tope", {"valor": "cien", "aplicar": True}, "debe ser un número"),
    ("tope", {"valor": 100, "aplicar": "sí"}, "true o false"),
    ("semaforo", {"verde": 70, "amarillo": 90}, "menor que el umbral verde"),
    ("indice_gestion", {"descripcion": "x", "nivel": "objetivo", "valor": "avance_tope", "agregacion": "media"},
     "único valor admitido"),
])
def test_invalid_method_values_are_refused(raw_method, key, value, phrase):
    with pytest.raises(InputError) as exc:
        method_from_dict({**raw_method, key: value})
    assert phrase in str(exc.value)


def test_method_file_that_is_missing_is_reported(tmp_path):
    with pytest.raises(InputError) as exc:
        load_method(tmp_path)
    assert "seguimiento.yml" in str(exc.value) and "no existe" in str(exc.value)


# ---------------------------------------------------------------- expected value and direction

def test_expected_value_uses_baseline_in_baseline_year(catalogue):
    assert expected_value(catalogue.metas, "OP1.1", 2024) == 23237  # linea_base
    assert expected_value(catalogue.metas, "OP1.1", 2026) == 24853
    assert expected_value(catalogue.metas, "OP1.1", 2025) is None   # no target printed
    assert expected_value(catalogue.metas, "S2.1.1-cal", 2026) is None


@pytest.mark.parametrize(("sentido", "year", "direction"), [
    ("Ascendente", 2026, "ascendente"),
    ("Descendente", 2026, "descendente"),
    ("No definido", 2026, "ascendente"),   # 10 → 12
    ("No definido", 2027, "descendente"),  # 12 → 8
    ("No definido", 2028, "neutral"),      # 8 → 8
    ("", 2027, "descendente"),             # empty behaves as No definido
    ("No definido", 2024, "neutral"),      # baseline year: nothing before
    ("No definido", 2025, None),           # no expected value that year
])
def test_effective_direction(sentido, year, direction):
    m = metas((2024, 10, "linea_base"), (2026, 12), (2027, 8), (2028, 8))
    assert effective_direction(sentido, m, year) == direction


def test_effective_direction_skips_missing_years_to_the_previous_available():
    m = metas((2024, 36, "linea_base"), (2026, 32), (2035, 40))
    assert effective_direction("No definido", m, 2035) == "ascendente"  # 32 (2026) → 40


def test_effective_direction_on_the_catalogue(catalogue):
    m = catalogue.metas
    cob = m[m["indicador"] == "S2.3.3-cob"]  # 36 (2024) → 32 (2026) → 32 (2027)
    assert effective_direction("No definido", cob, 2026) == "descendente"
    assert effective_direction("No definido", cob, 2027) == "neutral"


# ---------------------------------------------------------------- ratio

@pytest.mark.parametrize(("obtained", "expected", "direction", "uncapped", "capped"), [
    (45, 50, "ascendente", 90.0, 90.0),
    (60, 50, "ascendente", 120.0, 100.0),       # capped at the tope
    (25, 20, "descendente", 80.0, 80.0),        # 20 / 25
    (16, 20, "descendente", 125.0, 100.0),
    (100, 100, "neutral", 100.0, 100.0),
    (90, 100, "neutral", 90.0, 90.0),           # 100 − 10/100·100
    (110, 100, "neutral", 90.0, 90.0),
    (250, 100, "neutral", 0.0, 0.0),            # floored at 0
    (0, 0, "ascendente", None, None),           # zero expected: the ratio is undefined → ND, never 100
    (5, 0, "ascendente", None, None),
    (0, 50, "ascendente", 0.0, 0.0),            # zero obtained
    (0, 5, "descendente", None, None),          # zero obtained: expected / 0 is undefined → ND
    (0, 0, "descendente", None, None),
    (3, 0, "descendente", 0.0, 0.0),            # 0 / 3
    (0, 0, "neutral", None, None),
    (1, 0, "neutral", None, None),
])
def test_ratio_hand_computed(method, obtained, expected, direction, uncapped, capped):
    assert ratio(obtained, expected, direction, method, cap=False) == pytest.approx(uncapped)
    assert ratio(obtained, expected, direction, method) == pytest.approx(capped)


@pytest.mark.parametrize(("obtained", "expected", "direction"), [
    (None, 50, "ascendente"), (45, None, "ascendente"), (math.nan, 50, "ascendente"),
    (pd.NA, 50, "descendente"), (45, 50, None), (-1, 50, "ascendente"), (10, -5, "neutral"),
])
def test_ratio_missing_or_negative_is_none(method, obtained, expected, direction):
    assert ratio(obtained, expected, direction, method) is None


def test_ratio_cap_can_be_switched_off(raw_method):
    uncapped = method_from_dict({**raw_method, "tope": {"valor": 100, "aplicar": False}})
    assert ratio(60, 50, "ascendente", uncapped) == pytest.approx(120.0)
    assert ratio(5, 0, "ascendente", uncapped) is None  # undefined ratio: ND, whatever the cap


@pytest.mark.parametrize(("value", "has_target", "light"), [
    (100, True, "verde"), (90, True, "verde"), (89.99, True, "amarillo"), (70, True, "amarillo"),
    (69.99, True, "rojo"), (0, True, "rojo"), (None, True, "sin dato"), (math.nan, True, "sin dato"),
    (None, False, "sin meta"), (95, False, "sin meta"),
])
def test_status(method, value, has_target, light):
    assert status(value, method, has_target) == light


# ---------------------------------------------------------------- alerts

def test_agrees_within_either_tolerance(method):
    assert agrees(74, 133, 178, "%", method)          # 74.72: truncated, < 1 p. p.
    assert agrees(75.5, 133, 178, "%", method)          # 0.78 p. p.
    assert agrees(76, 133, 178, "%", method) is False   # 1.28 p. p. and 1.7 % apart
    assert agrees(21, 855093, 40719, "horas", method)  # 20.99985 (relative)
    assert agrees(22, 855093, 40719, "horas", method) is False
    assert agrees(None, 1, 2, "%", method) is None and agrees(50, 1, 0, "%", method) is None


def test_alerts_each_kind(method):
    assert alerts(unit="%", obtained=None, avance_tope=None, method=method) == ["valor no reportado"]
    assert alerts(unit="%", obtained=60, avance_tope=60, method=method) == ["avance bajo (menor que 70 %)"]
    assert alerts(unit="%", obtained=60, avance_tope=60, method=method, has_target=False) == []
    assert alerts(unit="%", obtained=120, avance_tope=100, method=method) == [
        "porcentaje fuera del rango plausible (0 a 100)"]
    assert alerts(unit="número", obtained=-2, avance_tope=None, method=method) == ["valor negativo no plausible"]
    jump = alerts(unit="número", obtained=400, avance_tope=100, method=method, reference=(2024, 100))
    assert jump == ["salto inusual respecto de 2024 (100 → 400)"]
    assert alerts(unit="número", obtained=300, avance_tope=100, method=method, reference=(2024, 100)) == []
    assert alerts(unit="número", obtained=30, avance_tope=100, method=method, reference=(2024, 100)) != []
    assert alerts(unit="%", obtained=50, avance_tope=100, method=method, numerador=1, denominador=4) == [
        "numerador/denominador no concuerdan con el valor (calculado 25)"]
    assert alerts(unit="%", obtained=50, avance_tope=100, method=method, numerador=1, denominador=2) == []
    assert alerts(unit="%", obtained=50, avance_tope=100, method=method, numerador=1, denominador=0) == [
        "denominador igual a cero"]
    assert alerts(unit="número", obtained=5, avance_tope=100, method=method,
                  revisions=[(2025, 4, 6), (2024, None, 3), (2023, 2, None)]) == [
        "valor de 2023 retirado (antes 2)",
        "valor de 2024 informado después de su edición (3)",
        "valor de 2025 revisado (antes 4, ahora 6)",
    ]


# ---------------------------------------------------------------- monitoring table

def observed(rows, year=2026):
    return pd.DataFrame([{"indicador": i, "anio": year, "valor": v} for i, v in rows])


def test_monitoring_table_has_every_indicator_in_catalogue_order(catalogue, method):
    table = monitoring_table(catalogue, observed([]), 2026, method)
    assert list(table.columns) == TABLE_COLUMNS
    assert table["indicador"].tolist() == catalogue.indicadores["id"].tolist()
    assert len(table) == 92 and (table["anio"] == 2026).all()
    assert set(table["semaforo"]) == {"sin dato", "sin meta"}
    assert (table["alertas"] == "valor no reportado").all()


def test_monitoring_table_hand_computed_rows(catalogue, method):
    obs = observed([("OP1.1", 22367.7),        # 24853 · 0.9 → 90 %, verde
                    ("OP1.2", 18724.8),        # 23406 · 0.8 → 80 %, amarillo
                    ("S2.1.3-cal", 30),        # descendente: 21 / 30 → 70 %, amarillo
                    ("S2.3.3-cob", 40),        # no definido, 36 → 32: descendente, 32/40 → 80 %
                    ("S4.2.1-cob", 100),       # no definido, 0 → 100: ascendente, 100 %
                    ("S1.1.1-cob1", 2000)])    # 2000 / 1402 → 142.65 %, capped 100
    table = monitoring_table(catalogue, obs, 2026, method).set_index("indicador")
    assert table.loc["OP1.1", "avance"] == pytest.approx(90.0)
    assert table.loc["OP1.1", "semaforo"] == "verde" and table.loc["OP1.1", "alertas"] == ""
    assert table.loc["OP1.2", "semaforo"] == "amarillo"
    assert table.loc["S2.1.3-cal", "avance"] == pytest.approx(70.0)
    assert table.loc["S2.3.3-cob", "avance"] == pytest.approx(80.0)
    assert "«descendente»" in table.loc["S2.3.3-cob", "nota"]
    assert table.loc["S4.2.1-cob", "avance"] == pytest.approx(100.0)
    assert table.loc["S1.1.1-cob1", "avance"] == pytest.approx(2000 / 1402 * 100)
    assert table.loc["S1.1.1-cob1", "avance_tope"] == 100
    assert table.loc["S2.1.1-cal", "nota"] == "sin logro esperado para el año"
    assert table.loc["S2.1.1-cal", "semaforo"] == "sin meta"


def test_monitoring_table_year_without_targets(catalogue, method):
    table = monitoring_table(catalogue, observed([("OP1.1", 24000)], 2025), 2025, method)
    row = table.set_index("indicador").loc["OP1.1"]
    assert row["semaforo"] == "sin meta" and math.isnan(row["avance"]) and row["valor_obtenido"] == 24000
    assert row["nota"] == "sin logro esperado para el año"
    assert (table["semaforo"] == "sin meta").sum() == 89  # 3 indicators print a 2025 target


def test_monitoring_table_jump_and_revision_alerts(catalogue, method):
    history = pd.concat([observed([("OP3.1", 700)], 2025), observed([("OP3.1", 3000), ("OP1.1", 80000)])])
    previous = pd.DataFrame([{"indicador": "OP3.1", "anio": 2025, "valor_obtenido": 650.0}])
    table = monitoring_table(catalogue, history, 2026, method, previous).set_index("indicador")
    assert table.loc["OP3.1", "alertas"] == ("salto inusual respecto de 2025 (700 → 3000); "
                                             "valor de 2025 revisado (antes 650, ahora 700)")
    # without an earlier observation the baseline (2024: 23 237) is the reference
    assert table.loc["OP1.1", "alertas"] == "salto inusual respecto de 2024 (23237 → 80000)"


def test_monitoring_table_refuses_unknown_or_repeated_indicators(catalogue, method):
    with pytest.raises(InputError, match="indicador desconocido"):
        monitoring_table(catalogue, observed([("OP9.9", 1)]), 2026, method)
    with pytest.raises(InputError, match="repetido"):
        monitoring_table(catalogue, observed([("OP1.1", 1), ("OP1.1", 2)]), 2026, method)


def test_baseline_edition_has_no_progress_traffic_light_or_index(catalogue, method):
    """2024's obtained values are the published baselines: not scored against themselves (issue 18)."""
    assert method.anio_linea_base == 2024 == int(catalogue.indicadores["linea_base_anio"].min())
    assert method.is_baseline(2024) and not method.is_baseline(2025) and method.regla_linea_base
    table = monitoring_table(catalogue, baseline_observed(catalogue), 2024, method)
    assert (table["semaforo"] == "línea base").all() and table["avance"].isna().all()
    assert "verde" not in set(table["semaforo"])
    assert table["nota"].str.startswith("edición de línea base").all()
    assert management_index(table)["indice"].isna().all()
    assert not table["alertas"].str.contains("avance bajo").any()


def test_zero_expected_value_is_nd_with_its_reason_never_100(catalogue, method):
    metas = catalogue.metas
    zero = metas[(metas["anio"] == 2025) & (metas["valor"] == 0)]["indicador"].tolist()
    assert sorted(zero) == ["S2.1.1-cob", "S5.2.5-cal", "S5.2.5-cob"]  # 2025 expected values of 0
    obs = observed([(i, 0) for i in zero[:2]] + [(zero[2], 5), ("OP1.1", 24000)], 2025)
    table = monitoring_table(catalogue, obs, 2025, method).set_index("indicador")
    for ident in zero:
        row = table.loc[ident]
        assert math.isnan(row["avance"]) and row["semaforo"] == "sin dato", ident
        assert "avance ND: logro esperado igual a 0: la razón no está definida" in row["nota"], ident
    assert not any(table.loc[zero, "avance_tope"] == 100)


# ---------------------------------------------------------------- management index and digest

def test_management_index_hand_computed():
    table = pd.DataFrame({
        "objetivo": ["OP1", "OP1", "OP1", "OP1", "OP2", "OP2"],
        "servicio": ["", "S1", "S1", "S1", "S2", "S2"],
        "avance_tope": [10.0, 100.0, 80.0, math.nan, 60.0, math.nan],
    })
    index = management_index(table).set_index("objetivo")
    assert list(index.index) == ["OP1", "OP2", "Total"]
    assert index.loc["OP1", "indice"] == pytest.approx(90.0)          # objective indicator left out
    assert index.loc["OP1", "indicadores_con_avance"] == 2
    assert index.loc["OP1", "indicadores_servicio"] == 3
    assert index.loc["OP2", "indice"] == pytest.approx(60.0)
    assert index.loc["Total", "indice"] == pytest.approx(80.0)         # (100 + 80 + 60) / 3
    assert index.loc["Total", "indicadores_con_avance"] == 3


def test_management_index_without_data_is_empty_not_zero():
    table = pd.DataFrame({"objetivo": ["OP1"], "servicio": ["S1"], "avance_tope": [math.nan]})
    row = management_index(table).set_index("objetivo").loc["OP1"]
    assert math.isnan(row["indice"]) and row["indicadores_con_avance"] == 0


def test_digest_is_stable_text_sorted_by_indicator(catalogue, method, tmp_path):
    table = monitoring_table(catalogue, observed([("OP1.1", 22367.7), ("S2.1.3-cal", 30)]), 2026, method)
    shuffled = table.sample(frac=1, random_state=1)
    digest = digest_table(shuffled)
    assert list(digest.columns) == DIGEST_COLUMNS
    assert digest["indicador"].tolist() == sorted(table["indicador"])
    op = digest.set_index("indicador").loc["OP1.1"]
    assert (op["anio"], op["valor_esperado"], op["valor_obtenido"], op["avance"], op["semaforo"]) == (
        "2026", "24853.0000", "22367.7000", "90.00", "verde")
    assert digest.set_index("indicador").loc["OP1.2", "valor_obtenido"] == ""
    path = write_digest(shuffled, tmp_path / "seguimiento" / "resumen-2026.csv")
    raw = path.read_bytes()
    assert b"\r\n" not in raw and raw.decode("utf-8").startswith(",".join(DIGEST_COLUMNS) + "\n")
    write_digest(table, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == raw  # same table, same bytes
    back = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("indicador")
    assert float(back.loc["OP1.1", "valor_obtenido"]) == pytest.approx(22367.7)
    assert back.loc["OP1.2", "valor_obtenido"] == ""  # missing: an empty cell


def test_digest_rounds_and_never_prints_negative_zero():
    table = pd.DataFrame({"indicador": ["B", "A"], "anio": [2026, 2026], "valor_esperado": [1 / 3, -0.00001],
                          "valor_obtenido": [math.nan, 2.0], "avance": [99.999, -0.001],
                          "semaforo": ["verde", "rojo"], "alertas": ["", "x"]})
    digest = digest_table(table)
    assert digest.values.tolist() == [["A", "2026", "0.0000", "2.0000", "0.00", "rojo", "x"],
                                      ["B", "2026", "0.3333", "", "100.00", "verde", ""]]


def test_metrics_hold_numbers_not_formatted_text(catalogue, method):
    """Alert texts carry plain machine numbers; Peruvian formatting is the pages' job."""
    import inspect

    from pnmce.metrics import compliance

    assert "pnmce.present" not in inspect.getsource(compliance)
    text = alerts(unit="US$ millones", obtained=80000.5, avance_tope=100, method=method,
                  reference=(2024, 23237), revisions=[(2025, 1234.5, 2345.25)])
    assert "23237 → 80000.5" in " ".join(text) and "antes 1234.5, ahora 2345.25" in " ".join(text)
    assert not any("\u00a0" in a for a in text)


def test_multi_year_table_across_three_editions(catalogue, method):
    """Baseline, then 2025, 2026 and 2027, each year against its own expected value (hand-computed)."""
    from pnmce.metrics.history import BASELINE, history_table, index_history, monitored_years, yearly_tables

    obs = pd.concat([observed([("OP1.1", 23500)], 2025), observed([("OP1.1", 24000), ("S5.4.1-cal", 50)], 2026),
                     observed([("OP1.1", 26000)], 2027)])
    assert monitored_years(catalogue, 2027) == [2025, 2026, 2027]
    tables = yearly_tables(catalogue, obs, 2027, method)
    hist = history_table(catalogue, tables)
    op = hist[hist["indicador"] == "OP1.1"].set_index("anio")
    assert op.loc[2024, "tipo"] == BASELINE and op.loc[2024, "valor_obtenido"] == 23237
    assert op.loc[2025, "semaforo"] == "sin meta" and math.isnan(op.loc[2025, "avance"])
    assert op.loc[2026, "avance"] == pytest.approx(24000 / 24853 * 100)
    assert op.loc[2027, "avance"] == pytest.approx(26000 / 25645 * 100) and op.loc[2027, "avance_tope"] == 100
    s = hist[hist["indicador"] == "S5.4.1-cal"].set_index("anio")
    assert s.loc[2026, "semaforo"] == "rojo" and s.loc[2027, "semaforo"] == "sin dato"  # not reported in 2027
    assert len(hist) == 92 * 3 + int((catalogue.metas["tipo"] == "linea_base").sum())
    index = index_history(tables).set_index(["objetivo", "anio"])
    assert index.loc[("OP5", 2026), "indice"] == pytest.approx(50 / 95 * 100)
    assert math.isnan(index.loc[("OP5", 2027), "indice"])


def test_the_baseline_edition_has_its_year_without_a_traffic_light(catalogue, method):
    from pnmce.metrics.history import history_table, monitored_years, yearly_tables

    assert monitored_years(catalogue, 2024) == [2024] and monitored_years(catalogue, 2026) == [2025, 2026]
    hist = history_table(catalogue, yearly_tables(catalogue, baseline_observed(catalogue), 2024, method))
    op = hist[hist["indicador"] == "OP1.1"]
    assert op["tipo"].tolist() == ["linea_base", "seguimiento"] and op["semaforo"].tolist() == ["", "línea base"]
    assert op["avance"].isna().all()
