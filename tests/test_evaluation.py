"""The progress classification of the evaluation report, on hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest

from pnmce.metrics.evaluation import (
    ACELERAR,
    ALCANZADA,
    DETERIORO,
    EN_CAMINO,
    LIMITADO,
    SIN_DATOS,
    cagr,
    class_counts,
    classify,
    load_evaluation_method,
    progress_table,
)


@pytest.fixture(scope="module")
def method(project):
    return load_evaluation_method(project.data)


def test_calendar_every_two_years_from_the_first_monitored_year(method):
    assert (method.first_year, method.every) == (2025, 2)
    assert method.evaluation_years(2033) == [2027, 2029, 2031, 2033]
    assert not method.is_evaluation_year(2026) and method.is_evaluation_year(2027)


def test_compound_growth():
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert cagr(100, 200, 16) == pytest.approx(2 ** (1 / 16) - 1)
    assert cagr(0, 5, 2) is None and cagr(5, 5, 0) is None


REQUIRED = 2 ** (1 / 16) - 1           # baseline 100 in 2024 → target 200 in 2040
DOWN = 0.5 ** (1 / 16) - 1             # baseline 50 → target 25 (descending)


@pytest.mark.parametrize(("base", "value", "target", "direction", "observed", "ratio", "klass"), [
    (100, 121, 200, "ascendente", 0.1, 0.1 / REQUIRED, EN_CAMINO),            # R = 2,26
    (100, 106.09, 200, "ascendente", 0.03, 0.03 / REQUIRED, ACELERAR),        # R = 0,678
    (100, 104.04, 200, "ascendente", 0.02, 0.02 / REQUIRED, LIMITADO),        # R = 0,452
    (100, 81, 200, "ascendente", -0.1, -0.1 / REQUIRED, DETERIORO),           # R < 0
    (100, 200, 200, "ascendente", 2 ** 0.5 - 1, None, ALCANZADA),
    (50, 45.125, 25, "descendente", -0.05, -0.05 / DOWN, EN_CAMINO),           # R = 1,18
    (50, 55.125, 25, "descendente", 0.05, 0.05 / DOWN, DETERIORO),
    (50, 20, 25, "descendente", (20 / 50) ** 0.5 - 1, None, ALCANZADA),
])
def test_classification_hand_computed(method, base, value, target, direction, observed, ratio, klass):
    out = classify(2024, base, 2026, value, 2040, target, direction, method)
    assert out["crecimiento_observado"] == pytest.approx(observed)
    assert out["razon"] == (pytest.approx(ratio) if ratio is not None else None)
    assert out["clase"] == klass


def test_thresholds_are_inclusive_from_below(method):
    # R exactly 0,95 is on track; exactly 0,6 needs acceleration
    for r, klass in ((0.95, EN_CAMINO), (0.6, ACELERAR), (0.0, LIMITADO)):
        value = 100 * (1 + r * REQUIRED) ** 2
        assert classify(2024, 100, 2026, value, 2040, 200, "ascendente", method)["clase"] == klass


@pytest.mark.parametrize(("base", "value", "target", "klass"), [
    (0, 5, 10, SIN_DATOS), (None, 5, 10, SIN_DATOS), (10, None, 20, SIN_DATOS), (10, 0, 20, SIN_DATOS),
    (80, 85, 80, EN_CAMINO), (80, 70, 80, DETERIORO),        # target equal to the baseline
])
def test_special_cases(method, base, value, target, klass):
    assert classify(2024, base, 2026, value, 2040, target, "ascendente", method)["clase"] == klass


def test_progress_table_on_the_catalogue(catalogue, method):
    observed = pd.DataFrame([{"indicador": "OP1.1", "anio": 2026, "valor": 24000.0},
                             {"indicador": "OP1.1", "anio": 2027, "valor": 25000.0},
                             {"indicador": "OP3.1", "anio": 2027, "valor": None}])
    table = progress_table(catalogue, observed, 2027, method).set_index("indicador")
    row = table.loc["OP1.1"]
    assert (row["anio_base"], row["valor_base"], row["anio"], row["valor"]) == (2024, 23237, 2027, 25000)
    assert (row["anio_meta"], row["valor_meta"]) == (2040, 44633)
    g_obs = (25000 / 23237) ** (1 / 3) - 1
    g_req = (44633 / 23237) ** (1 / 16) - 1
    assert row["razon"] == pytest.approx(g_obs / g_req) and row["clase"] == LIMITADO   # R ≈ 0,59
    assert table.loc["OP3.1", "clase"] == SIN_DATOS
    counts = class_counts(table.reset_index())
    assert counts.loc["Total"].sum() == 92 and counts.loc["OP1", LIMITADO] == 1


def test_method_section_typesets_formulas_offline_and_cites_its_sources(project, method):
    """Formulas as MathML (no script, no CDN); the method cited to chapter 8's entries (issue 18)."""
    from pnmce.present import evaluation as ev
    from pnmce.present.formula import print_css
    from tests.conftest import bibliography_keys

    text = ev.method_section(method).text
    assert text.count('<math ') == 3 and '<mfrac>' in text and 'display="block"' in text
    assert "g_obs" not in text and "^(" not in text  # typeset, not written in ASCII
    assert "http" not in text.replace('xmlns="http://www.w3.org/1998/Math/MathML"', "") and "<script" not in text and "mathjax" not in text.lower()
    assert "{cite:t}`statcan`" in text and "{cite:t}`opensdg`" in text
    assert {"statcan", "opensdg"} <= bibliography_keys(project.data)
    assert "data/metodo" not in text
    assert "mfrac" in print_css()  # the PDF (WeasyPrint) draws the same MathML with CSS


def test_findings_without_rows_say_so_without_file_names():
    from pnmce.present import evaluation as ev

    empty = pd.DataFrame(columns=["anio", "objetivo", "indicador", "tipo", "texto", "autor"])
    text = ev.findings(empty, 2027).text
    assert "2027" in text and "hallazgos.csv" not in text and "`" not in text
