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


# --- review fixes (issue 8): anchored ids, known units, finite numbers, one home for the patterns ---

@pytest.mark.parametrize("kind, bad", [("causa", "CD1/../../x"), ("causa", "x/CI1.1"),
                                       ("indicador", "OP1.1/../../etc"), ("indicador", "../S1.1.1-cal")])
def test_id_patterns_are_anchored_as_a_whole(kind, bad):
    import re

    from pnmce.data.ids import PATTERNS, checked, is_valid

    assert not is_valid(kind, bad)
    assert not re.match(f"^{PATTERNS[kind]}$", bad)  # how Frictionless anchors a schema pattern
    with pytest.raises(ValueError):
        checked(kind, bad)


def test_schema_patterns_are_the_ids_module_patterns(project):
    import json

    from pnmce.data.ids import PATTERNS

    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    entity = {"causas": "causa", "objetivos": "objetivo", "lineamientos": "lineamiento", "servicios": "servicio",
              "indicadores": "indicador", "actividades": "actividad", "alternativas": "alternativa"}
    checked = set()
    for res in descriptor["resources"]:
        for f in res["schema"]["fields"]:
            if "pattern" in f.get("constraints", {}) and f["name"] == "id" and res["name"] in entity:
                assert f["constraints"]["pattern"] == PATTERNS[entity[res["name"]]], res["name"]
                checked.add(res["name"])
    assert {"causas", "objetivos", "servicios", "indicadores"} <= checked
    observed = json.loads((project.data / "observado" / "esquema.json").read_text(encoding="utf-8"))
    assert observed["fields"][0]["constraints"]["pattern"] == PATTERNS["indicador"]


def test_path_like_cause_id_is_refused(data_copy):
    _edit(data_copy.data / "catalogo" / "causas.csv", 0, "id", "CD1/../../x")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any("causas.csv, fila 2, columna «id»" in p for p in problems), problems


def test_unknown_unit_is_refused(data_copy):
    _edit(data_copy.data / "catalogo" / "indicadores.csv", 0, "unidad", "porciento")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any("indicadores.csv, fila 2, columna «unidad»: unidad desconocida" in p and "porciento" in p
               for p in problems), problems


@pytest.mark.parametrize("value", ["inf", "NaN", "-Infinity", "1e400"])
def test_only_finite_numbers_are_accepted(data_copy, value):
    _edit(data_copy.data / "catalogo" / "metas.csv", 3, "valor", value)
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any("metas.csv, fila 5, columna «valor»: el número no es finito" in p for p in problems), problems


def test_observed_values_must_be_finite(data_copy):
    path = data_copy.data / "observado" / "2024.csv"
    _edit(path, 0, "valor", "inf")
    problems = [str(p) for p in validate_catalogue(data_copy.data)]
    assert any("observado/2024.csv, fila 2, columna «valor»: el número no es finito" in p for p in problems), problems


def test_shared_rules_have_one_home():
    from pnmce.catalogue import qc
    from pnmce.data import filled, method, rules
    from pnmce.metrics import compliance

    assert compliance.expected_value is rules.expected_value and filled.rules is rules
    assert compliance.computed_value is rules.computed_value
    assert qc.DEFAULT_TOLERANCE == rules.PERCENT_TOLERANCE_PP and method.UNITS is rules.UNITS
    assert rules.percent_out_of_range(100.5, "%") and not rules.percent_out_of_range(100.5, "número")
    assert rules.agrees(50.4, 1, 2, "%") and not rules.agrees(52, 1, 2, "%")


def test_latest_expected_value_up_to_a_year():
    import pandas as pd

    from pnmce.data import rules

    metas = pd.DataFrame({"indicador": ["A", "A", "A", "A", "B"], "anio": [2024, 2026, 2030, 2028, 2025],
                          "tipo": ["linea_base", "meta", "meta", "meta", "meta"],
                          "valor": [10.0, None, 30.0, 20.0, 99.0]})
    assert rules.latest_expected(metas, "A", 2029) == (2028, 20.0)  # not in row order, not of B
    assert rules.latest_expected(metas, "A", 2026) == (2024, 10.0)  # 2026 has no value: the baseline
    assert rules.latest_expected(metas, "A", 2030) == (2030, 30.0)
    assert rules.latest_expected(metas, "A", 2023) is None and rules.latest_expected(metas, "C", 2030) is None


# ---------------------------------------------------------------- one checked-CSV reader

def test_checked_csv_refuses_unreadable_files_and_other_columns(tmp_path):
    from pnmce.data.csvfile import numbered_rows, read_checked_csv
    from pnmce.errors import InputError, Problem

    path = tmp_path / "t.csv"

    def refused(**kwargs) -> str:
        with pytest.raises(InputError) as exc:
            read_checked_csv(path, "data/t.csv", ["a", "b"], "Tabla no válida", **kwargs)
        assert exc.value.summary == "Tabla no válida"
        return str(exc.value)

    path.write_bytes("a,b\nñ,1\n".encode("cp1252"))
    assert "data/t.csv: no se puede leer como CSV UTF-8 (UnicodeDecodeError)" in refused()
    path.write_bytes(b"")
    assert "data/t.csv: el archivo está vacío" in refused()
    path.write_text("a,c\n1,2\n", encoding="utf-8")
    assert "data/t.csv, fila 1: las columnas deben ser: a, b" in refused()
    path.write_text("a,b\n1,\n,2\n", encoding="utf-8")

    def blank_b(frame, shown):
        return [Problem(shown, "falta b", line, "b") for line, rec in numbered_rows(frame) if not rec.b]

    assert "data/t.csv, fila 2, columna «b»: falta b" in refused(check=blank_b)
    frame = read_checked_csv(path, "data/t.csv", ["a", "b"], "Tabla no válida")
    assert frame.to_dict(orient="list") == {"a": ["1", ""], "b": ["", "2"]}  # text, empty as ""


def _refusal(tmp_path, name, text, load) -> str:
    """Write `text` as data/`name` in tmp_path and return the InputError that `load(tmp_path)` raises."""
    from pnmce.errors import InputError

    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(tmp_path)
    return str(exc.value)


def test_responsible_units_name_the_bad_row(tmp_path):
    from pnmce.metrics.responsible_units import UNITS_FILE, load_units

    text = _refusal(tmp_path, UNITS_FILE, "texto_publicado,sigla,nombre,origen_sigla\nDir. A,DA,Dirección A,ficha\n"
                    "Dir. A,DA,Otra,inventada\n", load_units)
    assert text.startswith("Siglas de unidades responsables no válidas: 3 problema(s).")
    assert "data/metodo/unidades_responsables.csv, fila 3, columna «origen_sigla»: debe ser «ficha» o «propia»" in text
    assert "fila 3, columna «texto_publicado»: texto repetido" in text
    assert "columna «sigla»: la misma sigla con nombres distintos (valor: «DA»)" in text


def test_evaluation_findings_name_the_bad_row(tmp_path):
    from pnmce.metrics.evaluation import FINDINGS_FILE, load_findings

    header = "anio,objetivo,indicador,tipo,texto,autor\n2026,OP1,,hallazgo,Bien,x\n"
    text = _refusal(tmp_path, FINDINGS_FILE, header + "20x6,OP1,,nota, ,x\n", load_findings)
    assert text.startswith("Hallazgos de evaluación no válidos: 3 problema(s).")
    assert "data/evaluacion/hallazgos.csv, fila 3, columna «anio»: se esperaba un año" in text
    assert "fila 3, columna «tipo»: debe ser «hallazgo» o «recomendación»" in text
    assert "fila 3, columna «texto»: falta el texto" in text and "fila 2" not in text
    (tmp_path / FINDINGS_FILE).write_text(header, encoding="utf-8")
    assert load_findings(tmp_path, 2026)["texto"].tolist() == ["Bien"] and len(load_findings(tmp_path, 2028)) == 0
