"""Chapter 5 presentation at the function level: acronyms, marks, alerts by kind, status, downloads."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pnmce.metrics import load_method
from pnmce.metrics.compliance import monitoring_table
from pnmce.metrics.responsible_units import acronyms_of, legend, load_units
from pnmce.present import evaluation as ev
from pnmce.present import page, report
from pnmce.present.report_downloads import write_report_files, write_table_files


@pytest.fixture(scope="module")
def units(project):
    return load_units(project.data)


def test_acronyms_replace_the_long_names(units):
    text = ("Dirección de Facilitación del Comercio Exterior – MINCETUR; "
            "Dirección de Facilitación del Comercio Exterior (DGFCE) - MINCETUR")
    assert acronyms_of(text, units) == ["DFCE"]          # two spellings of one unit
    assert acronyms_of("Unidad inexistente", units) == ["Unidad inexistente"]  # unmapped: shown as published
    leg = legend(units).set_index("sigla")
    assert leg.at["DZEE", "origen_sigla"] == "propia" and leg.at["DFCE", "origen_sigla"] == "ficha"


def test_semaforo_mark_has_colour_and_word():
    mark = report.semaforo_mark("rojo")
    assert 'style="color:#c62828"' in mark and 'aria-hidden="true"' in mark and mark.endswith("rojo")
    assert report.semaforo_mark("") == ""


def test_alerts_grouped_by_kind():
    table = pd.DataFrame({"indicador": ["OP1.1", "OP1.2", "OP2.1"],
                          "alertas": ["avance bajo (menor que 70 %); valor de 2025 revisado (antes 1, ahora 2)",
                                      "avance bajo (menor que 70 %)", ""]})
    text = report.alerts_by_kind(table, 2026).text
    assert "Avance bajo\n  - 2\n" in text and "Valor de un año anterior revisado\n  - 1\n" in text
    assert report.alerts_by_kind(table.iloc[2:], 2026).text == "No hay alertas en 2026."


def test_report_tables_show_acronyms(catalogue, project, units):
    table = monitoring_table(catalogue, None, 2026, load_method(project.data))
    text = report.objective_table(catalogue, table, "OP4", 2026, units).text
    assert "Dirección de Zonas Económicas Especiales" not in text and "DZEE" in text


def test_status_rows_per_unit(catalogue, units):
    observed = pd.DataFrame([{"indicador": "S4.1.1-cal", "anio": 2026, "valor": 75.0},
                             {"indicador": "S4.1.1-cob", "anio": 2026, "valor": None}])
    rows = ev.status_rows(catalogue, units, observed, 2026).set_index("sigla")
    dzee = rows.loc["DZEE"]
    assert dzee["con_valor"] == ["S4.1.1-cal"] and dzee["solo_texto"] == ["S4.1.1-cob"]
    assert len(dzee["pendientes"]) == len(dzee["indicadores"]) - 2
    orphan = catalogue.indicadores.loc[catalogue.indicadores["responsable"].fillna("") == "", "id"].tolist()
    assert rows.loc["sin unidad responsable en la ficha", "indicadores"] == orphan


def test_report_downloads_are_byte_identical(catalogue, project, tmp_path):
    digests = []
    for run in ("a", "b"):
        write_report_files(catalogue, project.data, tmp_path / run / "datos", 2024, tmp_path / run / "gen")
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted((tmp_path / run / "datos").iterdir())})
    assert digests[0] == digests[1] and set(digests[0]) == {"reporte-seguimiento-2024.csv",
                                                            "reporte-seguimiento-2024.xlsx",
                                                            "anexo-seguimiento-2024.csv", "anexo-seguimiento-2024.xlsx"}
    frame = pd.read_excel(tmp_path / "a" / "datos" / "reporte-seguimiento-2024.xlsx", sheet_name=None)
    assert set(frame) == {"seguimiento", "indice_gestion", "detalle_2024"}
    assert len(frame["seguimiento"]) == len(pd.read_csv(tmp_path / "a" / "datos" / "reporte-seguimiento-2024.csv"))


# ---------------------------------------------------------------- the report as a chapter (issue 18)

from pnmce.data.observed import read_recommendations  # noqa: E402
from pnmce.metrics.history import history_table, index_history, movements, report_facts, yearly_tables  # noqa: E402

TEXTS = page.REPORT_TEXTS


@pytest.fixture(scope="module")
def method(project):
    return load_method(project.data)


@pytest.fixture(scope="module")
def year_2026(catalogue, method):
    """A hand-made 2026: OP1.1 24 000 of 24 853 expected; S5.4.1-cal 50 of 95; S1.1.1-cal 80 of 70
    with a numerator and denominator that disagree (1 / 3 → 33,333 %); S2.1.1-cob and S5.2.5-cob
    reported, OP1.2 (ascending) fell below its baseline."""
    obs = pd.DataFrame([
        {"indicador": "OP1.1", "anio": 2026, "valor": 24000.0},
        {"indicador": "OP1.2", "anio": 2026, "valor": 20000.0},
        {"indicador": "S5.4.1-cal", "anio": 2026, "valor": 50.0},
        {"indicador": "S1.1.1-cal", "anio": 2026, "valor": 80.0, "numerador": 1.0, "denominador": 3.0},
    ])
    tables = yearly_tables(catalogue, obs, 2026, method)
    hist = history_table(catalogue, tables)
    index = index_history(tables)
    table = tables[2026]
    facts = report_facts(table, movements(catalogue, hist, table, 2026), index, 2026)
    return obs, table, hist, index, facts


def test_facts_are_hand_computed(year_2026):
    _, table, _, _, facts = year_2026
    assert facts["avanzaron"] == ["OP1.1", "S1.1.1-cal"]          # 23 237 → 24 000; 50 → 80 (baseline 2024)
    assert facts["retrocedieron"] == ["OP1.2"]                     # 21 429 → 20 000, ascending
    gap = dict((i, b) for i, b, _ in facts["brechas"])
    assert gap["S5.4.1-cal"] == pytest.approx(100 - 50 / 95 * 100)
    assert gap["OP1.1"] == pytest.approx(100 - 24000 / 24853 * 100)
    assert "S1.1.1-cal" not in gap                                 # capped at 100: no gap
    assert [i for i, _, _ in facts["brechas"]][:2] == ["S5.4.1-cal", "OP1.2"]  # largest first
    assert facts["indice"] == pytest.approx((100 + 50 / 95 * 100) / 2)
    assert (facts["conteos"]["verde"], facts["conteos"]["amarillo"], facts["conteos"]["rojo"]) == (2, 1, 1)  # OP1.2: 85 %
    assert len(facts["sin_dato"]) == int(((table["semaforo"] == "sin dato")).sum())


def test_summary_and_conclusions_are_written_from_the_data(project, year_2026):
    _, _, _, index, facts = year_2026
    folder = project.notebooks / TEXTS
    summary = report.executive_summary(folder, facts, index[index["anio"] == 2026]).text
    assert "91 tienen logro esperado para 2026: 2 en verde, 1 en amarillo, 1 en rojo" in summary
    index_text = f"{(100 + 50 / 95 * 100) / 2:.3f}".replace(".", ",")
    assert f"es {index_text}\u00a0%" in summary and "OP2 ND" in summary
    assert "2 avanzaron en el sentido esperado y 1 retrocedió" in summary
    text = report.conclusions(folder, facts).text
    assert "**Avanzaron**" in text and "[OP1.1]" in text and "**Retrocedieron** 1 indicador: [OP1.2]" in text
    gap = f"{100 - 50 / 95 * 100:.1f}".replace(".", ",")
    assert f"[S5.4.1\\-cal](/generado/indicadores/S5.4.1-cal.ipynb) ({gap}\u00a0puntos" in text
    assert "No se revisó ningún valor" in text


def test_the_wording_is_the_analysts_template(project, year_2026, tmp_path):
    """Editing the text template changes the words; the numbers still come from the data."""
    _, _, _, _, facts = year_2026
    import shutil

    folder = tmp_path / TEXTS
    shutil.copytree(project.notebooks / TEXTS, folder)
    (folder / "conclusiones.md.j2").write_text("Crecieron {{ f.avanzaron | length }}: {{ f.avanzaron | y }}.",
                                               encoding="utf-8")
    assert report.conclusions(folder, facts).text == "Crecieron 2: OP1.1 y S1.1.1-cal."


def test_presentation_names_the_policy_year_units_and_date(catalogue, project, method, units, year_2026):
    obs = year_2026[0]
    folder = project.notebooks / TEXTS
    text = report.presentation(catalogue, folder, 2026, method, ev.status_rows(catalogue, units, obs, 2026)).text
    assert "reporte de seguimiento 2026" in text and "31 de diciembre de 2026" in text
    assert "Ministerio de Comercio Exterior y Turismo" in text and "DGPDCE" in text
    # DGNCI answers only for OP1.1 and OP1.2 (both reported); DGIECE and DDMI have others pending
    assert "1 completó su reporte (DGNCI), 2 lo enviaron en parte (DDMI y DGIECE) y 30 no enviaron" in text
    base = report.presentation(catalogue, folder, 2024, method, None).text
    assert "no tiene avance, semáforo ni índice de gestión" in base and "El primer reporte de seguimiento será el de 2025" in base


def test_alerts_print_numbers_as_the_book_does(year_2026):
    _, table, _, _, _ = year_2026
    assert report.format_alert("numerador/denominador no concuerdan con el valor (calculado 93.4844)") == \
        "numerador/denominador no concuerdan con el valor (calculado 93,484)"
    assert report.format_alert("salto inusual respecto de 2024 (23237 → 80000.5)") == \
        "salto inusual respecto de 2024 (23\u00a0237 → 80\u00a0000,5)"
    assert report.format_alert("valor de 2025 revisado (antes 1234.5, ahora 2345.25)") == \
        "valor de 2025 revisado (antes 1\u00a0234,5, ahora 2\u00a0345,25)"
    text = report.alerts_list(table, 2026).text
    assert "calculado 33,333" in text and "33.333" not in text


def test_recommendations_are_the_planning_offices_file(tmp_path):
    (tmp_path / "observado").mkdir()
    assert read_recommendations(tmp_path, 2026) == "" and report.recommendations("") is None
    (tmp_path / "observado" / "recomendaciones-2026.md").write_text("1. Recomendación *escrita*.\n", encoding="utf-8")
    assert report.recommendations(read_recommendations(tmp_path, 2026)).text == "1. Recomendación *escrita*."
    assert "no se recibieron para 2027" in report.recommendations_status(False, 2027).text
    assert "recibidas" in report.recommendations_status(True, 2026).text


def test_objective_page_table_and_chart_labelled_by_names(catalogue, units, year_2026):
    _, table, _, _, _ = year_2026
    text = report.objective_table(catalogue, table, "OP5", 2026, units).text
    assert "[S5.4.1\\-cal]" in text and "52,632\u00a0\\%" in text and "Indicadores de OP5 en 2026" in text
    assert "OP1.1" not in text
    chart = report.objective_progress_chart(table, "OP1", 2026)
    datasets = chart.spec["datasets"]
    labels = [row["etiqueta"] for rows in datasets.values() for row in rows]
    assert labels[0].startswith("OP1.1 Valor total de las exportaciones") and all(len(x) < 70 for x in labels)
    assert "verde" in chart.description


def test_annex_in_page_csv_and_excel(catalogue, project, year_2026, tmp_path):
    _, _, hist, _, _ = year_2026
    text = report.annex_table(catalogue, hist, 2026).text
    assert "2026 esperado" in text and "2026 obtenido" in text and "2026 avance" in text and "Línea base" in text
    frame = report.annex_frame(catalogue, hist)
    assert len(frame) == 92 and {"codigo", "indicador", "unidad", "linea_base", "esperado_2026", "obtenido_2026",
                                 "avance_2026"} <= set(frame.columns)
    row = frame.set_index("codigo").loc["OP1.1"]
    assert row["linea_base"] == 23237 and row["obtenido_2026"] == 24000
    assert row["avance_2026"] == pytest.approx(24000 / 24853 * 100)
    write_table_files(frame, tmp_path / "anexo", "anexo")
    assert pd.read_csv(tmp_path / "anexo.csv").shape == pd.read_excel(tmp_path / "anexo.xlsx").shape == frame.shape


def test_baseline_edition_shows_baselines_and_targets(catalogue, project, method):
    text = report.baseline_table(catalogue, "OP1").text
    assert "23\u00a0237 (2024)" in text and "Logro esperado 2040" in text and "44\u00a0633" in text
    assert "Avance" not in text and "Semáforo" not in text and "verde" not in text
    frame = report.baseline_frame(catalogue)
    assert frame.set_index("codigo").loc["OP1.1", "esperado_2040"] == 44633
    conclusion = report.baseline_conclusions(catalogue, project.notebooks / TEXTS, 2024).text
    assert "91 de los 92 indicadores tienen línea base 2024" in conclusion


def test_method_page_spells_semaforo_and_states_the_rules(method):
    text = report.method_page(method).text
    assert "**Semáforo**" in text and "Semaforo" not in text
    assert "Edición de línea base (2024)" in text and "la razón no está definida" in text
    assert "data/metodo" not in text


def test_the_build_s_edition_table_is_reused_not_recomputed(catalogue, method, year_2026):
    """The build computes the edition's table once (with the «valor revisado» alerts of earlier
    editions) and the report's downloads take it as given instead of computing it again."""
    obs, table, _, _, _ = year_2026
    given = table.assign(alertas="valor revisado")  # what only the build's table can carry
    tables = yearly_tables(catalogue, obs, 2026, method, known={2026: given})
    assert tables[2026] is given
    assert set(tables) == set(yearly_tables(catalogue, obs, 2026, method))  # the other years still computed
