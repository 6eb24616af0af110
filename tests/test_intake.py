"""The yearly intake: template out, filled spreadsheet in (every variant and every refusal).

Files are generated in tmp_path; the one static file lives in tests/fixtures/observado/
(test data, not the policy's; see the README there).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pnmce.data.filled import read_filled
from pnmce.data.intake import import_observed
from pnmce.data.numbers import NumberError, parse_number, scan_number
from pnmce.data.observed import OBSERVED_COLUMNS, observed_years, read_all_observed, read_observed
from pnmce.data.template import TEMPLATE_COLUMNS, instructions, template_frame, write_template
from pnmce.errors import InputError
from pnmce.metrics import load_method

FIXTURES = Path(__file__).parent / "fixtures" / "observado"
HEADER = ["indicador", "valor_obtenido", "numerador", "denominador", "fuente", "comentario"]


@pytest.fixture(scope="module")
def method(project):
    return load_method(project.data)


def write_csv(path: Path, rows, *, delimiter=";", encoding="utf-8", header=HEADER, newline="\n") -> Path:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("indicador")


# ---------------------------------------------------------------- number rule

@pytest.mark.parametrize(("text", "value"), [
    ("1.234,5", 1234.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1,234.5", 1234.5),
    ("1.234.567", 1234567), ("1,234,567", 1234567), ("1 234 567", 1234567), ("23237", 23237),
    ("0,12", 0.12), ("0.12", 0.12), ("0,123", 0.123), ("1234,567", 1234.567), ("1,2345", 1.2345),
    ("75 %", 75), ("75%", 75), ("-3,5", -3.5), ("\u22123", -3), (",5", 0.5), ("  42  ", 42),
])
def test_numbers_that_read_the_same_everywhere(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1,234", "1.234", "12,500", "-1,234"])
def test_a_lone_separator_before_three_digits_is_ambiguous(text):
    with pytest.raises(NumberError, match="ambiguo"):
        parse_number(text)
    sep = "," if "," in text else "."
    other = "." if sep == "," else ","
    digits = text.replace(sep, "")
    assert parse_number(text, decimal=sep) == pytest.approx(float(text.replace(sep, ".")))
    assert parse_number(text, decimal=other) == pytest.approx(float(digits))


@pytest.mark.parametrize(("text", "reason"), [
    ("n.d.", "se esperaba un número"), ("abc", "se esperaba un número"), ("", "se esperaba un número"),
    ("12 34", "mal escrito"), ("1,2.3", "mal escrito"), ("5,", "mal escrito"), ("1.23.4", "mal escrito"),
    ("1.234,5,6", "mal escrito"),
])
def test_text_that_is_not_a_number(text, reason):
    with pytest.raises(NumberError, match=reason):
        scan_number(text)


# ---------------------------------------------------------------- template

def test_template_frame(catalogue, method):
    frame = template_frame(catalogue, 2026, method)
    assert list(frame.columns) == TEMPLATE_COLUMNS
    assert frame["indicador"].tolist() == catalogue.indicadores["id"].tolist()
    row = by_id(frame).loc["OP1.1"]
    assert row["valor_esperado"] == 24853 and row["unidad"] == "US$ millones"
    assert math.isnan(by_id(frame).loc["S2.1.1-cal", "valor_esperado"])  # no target: empty
    assert frame["valor_obtenido"].isna().all() and (frame["comentario"] == "").all()
    assert template_frame(catalogue, 2025)["valor_esperado"].notna().sum() == 3


def test_write_template_xlsx_and_csv(catalogue, method, tmp_path):
    xlsx, csv_path = write_template(catalogue, 2026, tmp_path, method)
    assert (xlsx.name, csv_path.name) == ("plantilla-2026.xlsx", "plantilla-2026.csv")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["valores", "instrucciones"]
    ws = wb["valores"]
    assert [c.value for c in ws[1]] == TEMPLATE_COLUMNS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 60 and ws.column_dimensions["A"].width == 14
    assert ws.max_row == 93 and ws["A2"].value == "OP1.1" and ws["E2"].value == 24853
    filled = {ws.cell(row=1, column=j).value for j in range(1, len(TEMPLATE_COLUMNS) + 1)
              if ws.cell(row=2, column=j).fill.fgColor.rgb.endswith("FFF2CC")}
    assert filled == {"valor_obtenido", "numerador", "denominador", "fuente", "analisis_avance",
                      "factores_favorables", "factores_desfavorables", "medidas", "comentario"}
    info = [r[0] for r in wb["instrucciones"].iter_rows(values_only=True)]
    assert info[0] == "Plantilla de valores obtenidos de la PNMCE 2040 — año 2026"
    assert any("Porcentajes" in (line or "") for line in info)
    assert any("pnmce importar ARCHIVO --edicion 2026" in (line or "") for line in info)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(TEMPLATE_COLUMNS).encode()) and b"\r\n" not in raw
    assert len(raw.decode("utf-8-sig").splitlines()) == 93


def test_instructions_state_the_method_tolerance_and_range(method):
    from dataclasses import replace

    from pnmce.data import rules

    def lines(m):
        text = "\n".join(instructions(2026, m))
        return [line for line in text.splitlines() if line.startswith(("2.", "3."))]

    assert "entre 0 y 100" in lines(method)[0] and "tolerancia de 1 punto(s) porcentual(es) o 1 %" in lines(method)[1]
    assert lines(None) == lines(method)  # without a method file: the rules' defaults, the same as data/metodo/
    assert (rules.PERCENT_TOLERANCE_PP, rules.RELATIVE_TOLERANCE) == (method.tolerancia_pp, method.tolerancia_relativa)
    other = lines(replace(method, porcentaje_max=120.0, tolerancia_pp=0.5, tolerancia_relativa=0.02))
    assert "entre 0 y 120" in other[0] and "tolerancia de 0.5 punto(s) porcentual(es) o 2 %" in other[1]


def test_the_blank_templates_read_back_as_not_reported(catalogue, method, tmp_path):
    for path in write_template(catalogue, 2026, tmp_path, method):
        frame = read_filled(path, 2026, catalogue, method)
        assert len(frame) == 92 and frame["valor"].isna().all()


# ---------------------------------------------------------------- accepted variants

def test_xlsx_template_filled_in_a_spreadsheet(catalogue, method, tmp_path):
    xlsx, _ = write_template(catalogue, 2026, tmp_path, method)
    wb = load_workbook(xlsx)
    ws = wb["valores"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["OP1.1"], 6).value = 24100.5
    ws.cell(rows["OP1.1"], 9).value = "SUNAT"
    cell = ws.cell(rows["S1.1.1-cal"], 6)
    cell.value, cell.number_format = 0.715, "0.0%"   # typed as 71,5 % in the spreadsheet
    ws.cell(rows["S1.1.1-cal"], 7).value = 123
    ws.cell(rows["S1.1.1-cal"], 8).value = 172
    ws.cell(rows["OP2.1"], 6).value = "1,617"         # text cell; decimal comma shown by 0,12 below
    ws.cell(rows["OP4.1"], 6).value = "0,12"
    ws.cell(rows["OP3.1"], TEMPLATE_COLUMNS.index("comentario") + 1).value = "Dato aún no disponible"
    wb.save(xlsx)
    frame = by_id(read_filled(xlsx, 2026, catalogue, method))
    assert frame.loc["OP1.1", "valor"] == 24100.5 and frame.loc["OP1.1", "fuente"] == "SUNAT"
    assert frame.loc["S1.1.1-cal", "valor"] == pytest.approx(71.5)
    assert frame.loc["S1.1.1-cal", ["numerador", "denominador"]].tolist() == [123, 172]
    assert frame.loc["OP2.1", "valor"] == pytest.approx(1.617)
    assert math.isnan(frame.loc["OP3.1", "valor"]) and frame.loc["OP3.1", "comentario"] == "Dato aún no disponible"
    assert (frame["anio"] == 2026).all() and list(frame.reset_index().columns) == OBSERVED_COLUMNS


def test_csv_semicolon_decimal_comma(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "relleno.csv", [["OP1.1", "24100,5", "", "", "SUNAT", ""],
                                                 ["S1.1.1-cal", "71,5", "123", "172", "", ""]])
    frame = by_id(read_filled(path, 2026, catalogue, method))
    assert frame.loc["OP1.1", "valor"] == 24100.5 and frame.loc["S1.1.1-cal", "valor"] == 71.5


def test_csv_comma_decimal_point(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "relleno.csv", [["OP1.1", "24100.5", "", "", "SUNAT", "a, b"],
                                                 ["OP2.1", "1.617", "", "", "OCDE", ""],
                                                 ["S1.1.1-cal", "71.5", "123", "172", "", ""]], delimiter=",")
    frame = by_id(read_filled(path, 2026, catalogue, method))
    assert frame.loc["OP1.1", "valor"] == 24100.5 and frame.loc["OP1.1", "comentario"] == "a, b"
    assert frame.loc["OP2.1", "valor"] == pytest.approx(1.617)  # `,` delimiter: the decimal is `.`


def test_csv_utf8_with_bom(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "bom.csv", [["OP1.1", "24100", "", "", "Información SUNAT", "revisión"]],
                     encoding="utf-8-sig")
    frame = by_id(read_filled(path, 2026, catalogue, method))
    assert frame.loc["OP1.1", "valor"] == 24100 and frame.loc["OP1.1", "comentario"] == "revisión"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_csv_latin1_with_accents_in_the_comment(catalogue, method, tmp_path, encoding):
    comment = "Año fiscal: información de la Dirección; cifra pequeña"
    path = write_csv(tmp_path / "latin.csv", [["OP1.1", "24100", "", "", "Señal", comment]],
                     encoding=encoding, newline="\r\n")
    frame = by_id(read_filled(path, 2026, catalogue, method))
    assert frame.loc["OP1.1", "comentario"] == comment and frame.loc["OP1.1", "fuente"] == "Señal"


@pytest.mark.parametrize(("text", "delimiter"), [
    ("24 100,5", ";"), ("24\u00a0100,5", ";"), ("24.100,5", ";"), ("24,100.5", ";"), ("24,100.5", ","),
    ("24 100.5", ","),
])
def test_thousands_separators(catalogue, method, tmp_path, text, delimiter):
    path = write_csv(tmp_path / "miles.csv", [["OP1.1", text, "", "", "", ""]], delimiter=delimiter)
    assert read_filled(path, 2026, catalogue, method)["valor"].tolist() == [24100.5]


@pytest.mark.parametrize("text", ["71,5 %", "71,5%", "71,5\u00a0%"])
def test_percent_signs(catalogue, method, tmp_path, text):
    path = write_csv(tmp_path / "pct.csv", [["S1.1.1-cal", text, "123", "172", "", ""]])
    assert read_filled(path, 2026, catalogue, method)["valor"].tolist() == [71.5]


def test_comma_delimiter_alone_settles_the_decimal_point(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "coma.csv", [["OP2.1", "1.617", "", "", "", ""], ["OP1.1", "24100", "", "", "", ""]],
                     delimiter=",")
    assert by_id(read_filled(path, 2026, catalogue, method)).loc["OP2.1", "valor"] == pytest.approx(1.617)
    same = write_csv(tmp_path / "puntoycoma.csv", [["OP2.1", "1.617", "", "", "", ""]])
    with pytest.raises(InputError, match="ambiguo"):
        read_filled(same, 2026, catalogue, method)


def test_ambiguous_number_resolved_by_the_rest_of_the_file(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "miles.csv", [["OP1.1", "24.100", "", "", "", ""],      # ambiguous alone
                                               ["S1.1.1-cal", "71,5", "", "", "", ""]])  # decimal comma
    assert by_id(read_filled(path, 2026, catalogue, method)).loc["OP1.1", "valor"] == 24100


def test_static_cp1252_fixture(catalogue, method):
    frame = by_id(read_filled(FIXTURES / "relleno-2026-cp1252.csv", 2026, catalogue, method))
    assert frame.loc["OP1.1", "valor"] == 24100.5
    assert frame.loc["S1.1.1-cal", "valor"] == 71.5
    assert frame.loc["OP2.1", "valor"] == pytest.approx(1.617)
    assert frame.loc["OP2.1", "comentario"] == "Índice bienal (€ no aplica)"
    assert math.isnan(frame.loc["OP3.1", "valor"])
    assert frame.loc["S1.1.1-cal", "comentario"] == "Año completo según la dirección"


def test_header_names_are_matched_loosely_and_ids_case_insensitively(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["op1.1", "24100", "2026"]], header=["Indicador", "Valor obtenido", "Año"])
    frame = read_filled(path, 2026, catalogue, method)
    assert frame["indicador"].tolist() == ["OP1.1"] and frame["valor"].tolist() == [24100]


# ---------------------------------------------------------------- refusals

def refused(path: Path, catalogue, method, tmp_path: Path, year: int = 2026) -> InputError:
    """Import must fail and write nothing; returns the error."""
    data_dir = tmp_path / "data"
    with pytest.raises(InputError) as exc:
        import_observed(path, year, catalogue, method, data_dir)
    assert not (data_dir / "observado").exists()
    return exc.value


@pytest.mark.parametrize(("rows", "row", "column", "phrase"), [
    ([["OP9.9", "1", "", "", "", ""]], 2, "indicador", "indicador desconocido"),
    ([["OP1.1", "1", "", "", "", ""], ["OP1.1", "2", "", "", "", ""]], 3, "indicador",
     "indicador repetido (ya aparece en la fila 2)"),
    ([["OP1.1", "n.d.", "", "", "", ""]], 2, "valor_obtenido", "se esperaba un número"),
    ([["S1.1.1-cal", "120", "", "", "", ""]], 2, "valor_obtenido", "porcentaje fuera del rango 0–100"),
    ([["S1.1.1-cal", "-5 %", "", "", "", ""]], 2, "valor_obtenido", "porcentaje fuera del rango"),
    ([["OP1.1", "-5", "", "", "", ""]], 2, "valor_obtenido", "el valor no puede ser negativo"),
    ([["S1.1.1-cal", "80", "123", "172", "", ""]], 2, "valor_obtenido",
     "no concuerda con numerador/denominador (calculado 71.5116"),
    ([["S1.1.1-cal", "80", "4", "0", "", ""]], 2, "denominador", "el denominador no puede ser cero"),
    ([["S1.1.1-cal", "", "123", "172", "", ""]], 2, "valor_obtenido", "falta el valor"),
    ([["OP1.1", "50 %", "", "", "", ""]], 2, "valor_obtenido", "signo % no admitido"),
    ([["OP1.1", "24,100", "", "", "", ""]], 2, "valor_obtenido", "número ambiguo"),
    ([["", "5", "", "", "", ""]], 2, "indicador", "falta el identificador"),
])
def test_refused_rows_name_file_row_and_column(catalogue, method, tmp_path, rows, row, column, phrase):
    path = write_csv(tmp_path / "malo.csv", rows)
    text = str(refused(path, catalogue, method, tmp_path))
    assert "no se importó nada" in text
    assert f"malo.csv, fila {row}, columna «{column}»: {phrase}" in text


def test_every_problem_is_listed_at_once(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "varios.csv", [["OP9.9", "1", "", "", "", ""], ["OP1.1", "x", "", "", "", ""],
                                                ["S1.1.1-cal", "101", "", "", "", ""]])
    error = refused(path, catalogue, method, tmp_path)
    assert [(p.row, p.field) for p in error.problems] == [(2, "indicador"), (3, "valor_obtenido"),
                                                          (4, "valor_obtenido")]
    assert error.problems[1].value == "x" and "3 problema(s)" in str(error)


def test_year_column_that_does_not_match(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "anio.csv", [["OP1.1", "2025", "24100"]], header=["indicador", "anio", "valor_obtenido"])
    text = str(refused(path, catalogue, method, tmp_path))
    assert "anio.csv, fila 2, columna «anio»: el año no coincide con la edición 2026 (valor: «2025»)" in text


def test_template_of_another_year(catalogue, method, tmp_path):
    xlsx, _ = write_template(catalogue, 2025, tmp_path, method)
    wb = load_workbook(xlsx)
    wb["valores"]["F2"] = 24100
    wb.save(xlsx)
    text = str(refused(xlsx, catalogue, method, tmp_path, year=2026))
    assert "plantilla-2025.xlsx" in text
    assert "la hoja «instrucciones» (celda A1) indica el año 2025, pero la edición es 2026" in text


def test_title_row_of_another_year_above_the_header(catalogue, method, tmp_path):
    path = tmp_path / "titulo.csv"
    path.write_text("Valores obtenidos, año 2025\nindicador;valor_obtenido\nOP1.1;24100\n", encoding="utf-8")
    assert "el título (fila 1) indica el año 2025" in str(refused(path, catalogue, method, tmp_path))


@pytest.mark.parametrize(("content", "phrase"), [
    (b"", "el archivo está vacío"),
    (b"\n\n  \n", "el archivo está vacío"),
    (b"id;valor\nOP1.1;5\n", "no se encontró la fila de encabezados"),
    (b"indicador;valor_esperado\nOP1.1;5\n", "fila 1, columna «valor_obtenido»: falta la columna obligatoria"),
    (b"indicador;valor_obtenido\n", "no hay ninguna fila de indicador"),
    (b"indicador;valor_obtenido;comentario\nOP1.1;;\n", "no trae ningún valor obtenido ni análisis"),
])
def test_empty_or_headless_files(catalogue, method, tmp_path, content, phrase):
    path = tmp_path / "vacio.csv"
    path.write_bytes(content)
    text = str(refused(path, catalogue, method, tmp_path))
    assert "vacio.csv" in text and phrase in text


def test_xlsx_refusals(catalogue, method, tmp_path):
    broken = tmp_path / "roto.xlsx"
    broken.write_bytes(b"this is not a workbook")
    assert "roto.xlsx: no es un archivo Excel (.xlsx) legible" in str(refused(broken, catalogue, method, tmp_path))

    wb = Workbook()
    ws = wb.active
    ws.append(["indicador", "valor_obtenido"])
    ws.append(["OP1.1", "=1+1"])          # a formula never calculated by a spreadsheet
    ws.append(["OP1.2", True])
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    text = str(refused(path, catalogue, method, tmp_path))
    assert "formula.xlsx, fila 2, columna «valor_obtenido»: fórmula sin valor calculado" in text
    assert "formula.xlsx, fila 3, columna «valor_obtenido»: se esperaba un número" in text


# ---------------------------------------------------------------- data/observado/YEAR.csv

def test_import_writes_a_tidy_sorted_file(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "in.csv", [["S1.1.1-cal", "71,5 %", "123", "172", "Registro", "línea 1\r\nlínea 2"],
                                            ["OP1.1", "24 100,5", "", "", "SUNAT", ""],
                                            ["OP1.2", "", "", "", "", ""]])
    data_dir = tmp_path / "data"
    result = import_observed(path, 2026, catalogue, method, data_dir)
    target = data_dir / "observado" / "2026.csv"
    assert result.path == target
    assert (result.added, result.replaced, result.kept, result.rows, result.not_reported) == (2, 0, 0, 2, 1)
    assert "Se guardaron 2 fila(s) de 2026" in result.message() and "1 indicador(es)" in result.message()
    raw = target.read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8").splitlines()[:2] == [",".join(OBSERVED_COLUMNS), "OP1.1,2026,24100.5,,,SUNAT,,,,,,"]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    back = by_id(read_observed(data_dir, 2026))
    assert list(back.index) == ["OP1.1", "S1.1.1-cal"]
    assert back.loc["S1.1.1-cal", "valor"] == 71.5 and back.loc["S1.1.1-cal", "comentario"] == "línea 1\nlínea 2"
    assert observed_years(data_dir) == [2026]


def test_import_merges_offices_and_replace_starts_over(catalogue, method, tmp_path):
    data_dir = tmp_path / "data"
    import_observed(write_csv(tmp_path / "a.csv", [["OP1.1", "24100", "", "", "", ""],
                                                    ["OP1.2", "23000", "", "", "", ""]]), 2026, catalogue, method, data_dir)
    result = import_observed(write_csv(tmp_path / "b.csv", [["OP1.2", "23500", "", "", "", ""],
                                                             ["OP3.1", "830", "", "", "", ""]]),
                             2026, catalogue, method, data_dir)
    assert (result.added, result.replaced, result.kept, result.rows) == (1, 1, 1, 3)
    assert by_id(read_observed(data_dir, 2026))["valor"].to_dict() == {"OP1.1": 24100, "OP1.2": 23500, "OP3.1": 830}
    import_observed(tmp_path / "b.csv", 2026, catalogue, method, data_dir, replace=True)
    assert sorted(read_observed(data_dir, 2026)["indicador"]) == ["OP1.2", "OP3.1"]


def test_rejected_import_leaves_the_existing_file_untouched(catalogue, method, tmp_path):
    data_dir = tmp_path / "data"
    import_observed(write_csv(tmp_path / "ok.csv", [["OP1.1", "24100", "", "", "", ""]]), 2026, catalogue, method, data_dir)
    before = (data_dir / "observado" / "2026.csv").read_bytes()
    bad = write_csv(tmp_path / "bad.csv", [["OP1.2", "23000", "", "", "", ""], ["OP9.9", "1", "", "", "", ""]])
    with pytest.raises(InputError):
        import_observed(bad, 2026, catalogue, method, data_dir)
    assert (data_dir / "observado" / "2026.csv").read_bytes() == before
    assert [p.name for p in (data_dir / "observado").iterdir()] == ["2026.csv"]


def test_read_observed_years_and_history(catalogue, method, tmp_path):
    data_dir = tmp_path / "data"
    assert observed_years(data_dir) == [] and len(read_all_observed(data_dir)) == 0
    for year, value in ((2027, "25000"), (2026, "24100")):
        import_observed(write_csv(tmp_path / f"{year}.csv", [["OP1.1", value, "", "", "", ""]]),
                        year, catalogue, method, data_dir)
    (data_dir / "observado" / "notas.csv").write_text("x\n", encoding="utf-8")  # not a year: ignored
    assert observed_years(data_dir) == [2026, 2027]
    history = read_all_observed(data_dir)
    assert history[["anio", "valor"]].values.tolist() == [[2026, 24100], [2027, 25000]]
    assert len(read_observed(data_dir, 2030, missing_ok=True)) == 0
    with pytest.raises(InputError, match="pnmce importar ARCHIVO --edicion 2030"):
        read_observed(data_dir, 2030)


def test_read_observed_refuses_a_hand_edited_file(tmp_path):
    folder = tmp_path / "data" / "observado"
    folder.mkdir(parents=True)
    (folder / "2026.csv").write_text(",".join(OBSERVED_COLUMNS) + "\nOP1.1,2025,24100,,,,\nOP1.2,2026,\"23,5\",,,,\n"
                                     "OP1.2,2026,1,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_observed(tmp_path / "data", 2026)
    text = str(exc.value)
    assert "data/observado/2026.csv, fila 2, columna «anio»: el año debe ser 2026" in text
    assert "fila 3, columna «valor»: se esperaba un número con punto decimal" in text
    assert "indicador repetido" in text


# ---------------------------------------------------------------- an intake that cannot be fooled

def test_a_comma_thousands_value_is_not_read_as_a_decimal(catalogue, method, tmp_path):
    # `1,5` settles the decimal comma; `24,000` would then read 24 where 24 853 is expected.
    path = write_csv(tmp_path / "coma.csv", [["OP1.1", "24,000", "", "", "", ""], ["OP2.1", "1,5", "", "", "", ""]])
    text = str(refused(path, catalogue, method, tmp_path))
    assert "coma.csv, fila 2, columna «valor_obtenido»: número ambiguo" in text
    assert "se lee 24, lejos de el logro esperado de 2026, 24853" in text
    assert "la otra lectura sería 24000" in text and "escríbalo sin separador de miles (24000)" in text


def test_an_ambiguous_value_plausible_against_the_expected_one_is_read(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "coma.csv", [["OP2.1", "1,617", "", "", "", ""], ["S1.1.1-cal", "71,5", "", "", "", ""]])
    assert by_id(read_filled(path, 2026, catalogue, method)).loc["OP2.1", "valor"] == pytest.approx(1.617)
    points = write_csv(tmp_path / "punto.csv", [["OP1.1", "24,853", "", "", "", ""], ["S1.1.1-cal", "71.5", "", "", "", ""]])
    assert by_id(read_filled(points, 2026, catalogue, method)).loc["OP1.1", "valor"] == 24853


def test_an_ambiguous_value_in_an_xlsx_text_cell_is_checked_too(catalogue, method, tmp_path):
    xlsx, _ = write_template(catalogue, 2026, tmp_path, method)
    wb = load_workbook(xlsx)
    ws = wb["valores"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["OP1.1"], 6).value = "24,000"
    ws.cell(rows["OP2.1"], 6).value = "1,5"
    wb.save(xlsx)
    text = str(refused(xlsx, catalogue, method, tmp_path))
    assert f"fila {rows['OP1.1']}, columna «valor_obtenido»: número ambiguo" in text


@pytest.mark.parametrize("year", [2023, 2041, 2050])
def test_an_edition_outside_the_horizon_is_refused_before_reading(catalogue, method, tmp_path, year):
    path = write_csv(tmp_path / "bueno.csv", [["OP1.1", "24100", "", "", "", ""]])
    text = str(refused(path, catalogue, method, tmp_path, year=year))
    assert f"la edición {year} está fuera del horizonte de la política (2024–2040)" in text
    with pytest.raises(InputError, match="fuera del horizonte"):
        write_template(catalogue, year, tmp_path / "plantillas", method)
    assert not (tmp_path / "plantillas").exists()


def test_a_file_named_for_another_year_is_refused(catalogue, method, tmp_path):
    path = write_csv(tmp_path / "valores-2025.csv", [["OP1.1", "24100", "", "", "", ""]])
    text = str(refused(path, catalogue, method, tmp_path))
    assert "valores-2025.csv: el nombre del archivo indica el año 2025, pero la edición es 2026" in text


def test_a_csv_template_of_another_year_is_refused_by_its_expected_values(catalogue, method, tmp_path):
    _, csv_path = write_template(catalogue, 2027, tmp_path, method)
    text = csv_path.read_text(encoding="utf-8-sig").replace("OP1.1;", "OP1.1;", 1)
    lines = text.splitlines()
    lines[1] = lines[1].replace(";25645;;", ";25645;25000;")  # OP1.1, expected 2027
    renamed = tmp_path / "relleno.csv"
    renamed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = str(refused(renamed, catalogue, method, tmp_path))
    assert ("relleno.csv, fila 2, columna «valor_esperado»: el archivo trae un valor esperado que no es el de la "
            "edición: en 2026 el indicador tiene logro esperado 24853 (coincide con el de 2027)") in text


def test_the_template_of_the_same_year_passes_the_expected_value_check(catalogue, method, tmp_path):
    _, csv_path = write_template(catalogue, 2026, tmp_path, method)
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(";24853;;", ";24853;24100;")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert by_id(read_filled(csv_path, 2026, catalogue, method)).loc["OP1.1", "valor"] == 24100


def test_analysis_and_comments_are_kept_also_without_a_value(catalogue, method, tmp_path):
    header = HEADER[:-1] + ["analisis_avance", "factores_favorables", "factores_desfavorables", "medidas", "comentario"]
    path = write_csv(tmp_path / "analisis.csv", [
        ["OP1.1", "24100", "", "", "SUNAT", "Avance cercano a la meta", "Demanda externa", "Fletes", "Ferias", ""],
        ["OP3.1", "", "", "", "", "", "", "Retraso de la encuesta", "Reprogramar", "Dato aún no disponible"],
    ], header=header)
    data_dir = tmp_path / "data"
    result = import_observed(path, 2026, catalogue, method, data_dir)
    assert (result.rows, result.not_reported, result.text_only) == (2, 1, 1)
    assert "se guardan 1 por su análisis o comentario" in result.message()
    back = by_id(read_observed(data_dir, 2026))
    assert back.loc["OP1.1", "analisis_avance"] == "Avance cercano a la meta"
    assert back.loc["OP1.1", "factores_desfavorables"] == "Fletes" and back.loc["OP1.1", "medidas"] == "Ferias"
    assert math.isnan(back.loc["OP3.1", "valor"]) and back.loc["OP3.1", "comentario"] == "Dato aún no disponible"
    from pnmce.data.observed import check_files
    (data_dir / "observado" / "esquema.json").write_bytes(
        (Path(__file__).resolve().parents[1] / "data" / "observado" / "esquema.json").read_bytes())
    assert check_files(data_dir, set(catalogue.indicadores["id"])) == []


def test_template_of_one_responsible_unit(catalogue, method, tmp_path, project):
    from pnmce.metrics.responsible_units import indicators_of_unit, load_units, unmapped

    units = load_units(project.data)
    assert unmapped(catalogue, units) == []
    ids = indicators_of_unit(catalogue, units, "dfce")
    assert ids and all("Facilitación del Comercio Exterior" in r for r in
                       catalogue.indicadores.set_index("id").loc[ids, "responsable"])
    xlsx, csv_path = write_template(catalogue, 2026, tmp_path, method, "DFCE", ids)
    assert xlsx.name == "plantilla-2026-DFCE.xlsx"
    assert len(csv_path.read_text(encoding="utf-8-sig").splitlines()) == len(ids) + 1
    assert "unidad responsable DFCE" in load_workbook(xlsx)["instrucciones"]["A1"].value
    assert len(read_filled(xlsx, 2026, catalogue, method)) == len(ids)


# ---------------------------------------------------------------- repeated columns

def test_a_repeated_column_in_a_csv_is_refused_naming_it_and_its_positions(catalogue, method, tmp_path):
    header = ["indicador", "nombre", "unidad", "responsable", "valor_obtenido", "fuente", "comentario", "medidas",
              "valor_obtenido"]
    path = write_csv(tmp_path / "doble.csv", [["OP1.1", "", "", "", "24100", "", "", "", "23000"]], header=header)
    error = refused(path, catalogue, method, tmp_path)
    assert "doble.csv, fila 1: columna «valor_obtenido» repetida en las posiciones 5 y 9" in str(error)
    assert len(error.problems) == 1


def test_a_repeated_column_through_its_alias_and_several_at_once(catalogue, method, tmp_path):
    header = ["indicador", "valor", "comentario", "Valor obtenido", "comentario", "valor_obtenido"]
    path = write_csv(tmp_path / "alias.csv", [["OP1.1", "24100", "a", "23000", "b", "1"]], header=header)
    text = str(refused(path, catalogue, method, tmp_path))
    assert ("alias.csv, fila 1: columna «valor_obtenido» repetida en las posiciones 2, 4 y 6 "
            "(«valor», «Valor obtenido» y «valor_obtenido»)") in text
    assert "alias.csv, fila 1: columna «comentario» repetida en las posiciones 3 y 5\n" in text + "\n"


def test_a_repeated_column_in_an_xlsx_is_refused_and_nothing_is_written(catalogue, method, tmp_path):
    xlsx, _ = write_template(catalogue, 2026, tmp_path, method)
    wb = load_workbook(xlsx)
    ws = wb["valores"]
    header = [c.value for c in ws[1]]
    obtained = header.index("valor_obtenido") + 1
    extra = len(header) + 1
    ws.cell(row=1, column=extra, value="valor_obtenido")
    ws.cell(row=2, column=obtained, value=24100)
    ws.cell(row=2, column=extra, value=23000)
    wb.save(xlsx)
    text = str(refused(xlsx, catalogue, method, tmp_path))
    assert (f"plantilla-2026.xlsx (hoja «valores»), fila 1: columna «valor_obtenido» repetida en las posiciones "
            f"{obtained} y {extra}") in text
