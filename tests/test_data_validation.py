"""The data package validates, and broken copies fail with precise Spanish messages."""

from __future__ import annotations

import csv

import pytest

from pnmce.data import validate_catalogue
from pnmce.data.ids import page_name


def _edit(path, row_index, column, value):
    """Set one cell (row_index counts data rows from 0) of a CSV, keeping everything else."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    rows[row_index][column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_shipped_data_is_valid(project):
    assert validate_catalogue(project.data) == []


@pytest.mark.parametrize(
    ("resource", "row", "column", "value", "expected"),
    [
        ("metas", 3, "valor", "veinte", "no es del tipo esperado (número)"),
        ("metas", 4, "anio", "2051", "restricción"),
        ("metas", 5, "indicador", "OP9.9", "no existe en indicadores.id"),
        ("indicadores", 2, "tipo", "impacto", "restricción"),
        ("servicios", 7, "lineamiento", "L9.9", "no existe en lineamientos.id"),
    ],
)
def test_broken_copy_names_file_row_and_field(data_copy, resource, row, column, value, expected):
    _edit(data_copy.data / "catalogo" / f"{resource}.csv", row, column, value)
    problems = validate_catalogue(data_copy.data)
    assert problems, "a broken copy must not validate"
    text = [str(p) for p in problems]
    match = [t for t in text if f"data/catalogo/{resource}.csv, fila {row + 2}, columna «{column}»" in t]
    assert match, text
    assert expected in match[0]
    assert value in match[0]


def test_percentage_out_of_range_is_refused(data_copy, catalogue):
    metas = catalogue.metas
    percent_ids = set(catalogue.indicadores.query("unidad == '%'")["id"])
    i = int(metas.index[metas["indicador"].isin(percent_ids)][0])
    _edit(data_copy.data / "catalogo" / "metas.csv", i, "valor", "140")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any(f"metas.csv, fila {i + 2}, columna «valor»: porcentaje fuera del rango" in p for p in problems), problems


def test_baseline_must_agree_with_indicator_row(data_copy, catalogue):
    i = int(catalogue.indicadores.index[catalogue.indicadores["id"] == "OP1.1"][0])
    _edit(data_copy.data / "catalogo" / "indicadores.csv", i, "linea_base_valor", "1")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any("la línea base no coincide con indicadores.csv" in p for p in problems), problems


def test_service_indicator_must_belong_to_its_service(data_copy, catalogue):
    i = int(catalogue.indicadores.index[catalogue.indicadores["id"] == "S1.1.1-cal"][0])
    _edit(data_copy.data / "catalogo" / "indicadores.csv", i, "servicio", "S1.3.1")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any(f"indicadores.csv, fila {i + 2}, columna «servicio»" in p for p in problems), problems


@pytest.mark.parametrize("bad", ["../etc/passwd", "OP1.1<script>", "S1.1.1-cal3", "op1.1", "", "S1.1.1-cal/x"])
def test_page_names_are_checked_strictly(bad):
    with pytest.raises(ValueError):
        page_name(bad)


def test_every_indicator_id_is_a_valid_page_name(catalogue):
    assert [page_name(i) for i in catalogue.indicadores["id"]] == list(catalogue.indicadores["id"])
