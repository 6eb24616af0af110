"""Chapter 5 presentation at the function level: acronyms, marks, alerts by kind, status, downloads."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pnmce.metrics import load_method
from pnmce.metrics.compliance import monitoring_table
from pnmce.metrics.responsible_units import acronyms_of, legend, load_units
from pnmce.present import evaluation as ev
from pnmce.present import report
from pnmce.present.report_downloads import write_report_files


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
    text = report.full_table(table, 2026, units).text
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
                                                            "reporte-seguimiento-2024.xlsx"}
    frame = pd.read_excel(tmp_path / "a" / "datos" / "reporte-seguimiento-2024.xlsx", sheet_name=None)
    assert set(frame) == {"seguimiento", "indice_gestion", "detalle_2024"}
    assert len(frame["seguimiento"]) == len(pd.read_csv(tmp_path / "a" / "datos" / "reporte-seguimiento-2024.csv"))
