"""Yearly intake of observed values: blank template out, filled spreadsheet in.

Reading accepts the xlsx template or a CSV (any of UTF-8 with or without BOM, UTF-16 with
BOM, cp1252/Latin-1; `;` or `,` as delimiter). Everything refused is reported at once as
an `InputError` whose problems name the file, the spreadsheet row, the column and the value.

Number rule (shared with the policy's way of writing numbers)
-------------------------------------------------------------
Thousands may be separated by a space, a no-break space, `.` or `,`; the decimal separator
is `,` or `.`; a trailing `%` is allowed in percentage indicators. So `1.234,5`, `1 234,5`
and `1,234.5` all read 1234.5. A number whose only separator is a single `,` or `.` followed
by exactly three digits, with 1–3 digits (not starting with 0) before it, is AMBIGUOUS:
`1,234` may be 1234 or 1.234. It is read only when the file's other numbers show which
separator is the decimal one (for example `0,5`, `12,75` or `1.234,5` elsewhere; in a CSV
delimited by `,` the decimal separator is `.`); if the file shows none, or shows both, the
cell is refused and must be rewritten (e.g. `1234` or `1,2340`). Even when the file settles
the separator, an ambiguous value of «valor_obtenido» is accepted only if it is plausible
against the indicator's expected value (within the method's jump factor): `24,000` read as 24
where 24 853 is expected is refused, with both readings in the message. Numeric xlsx cells are
used as they are (a cell formatted as percentage, 0.75, reads 75).

A file made for another year is refused: an `anio` column, a title («año AAAA») above the
header or in the instructions sheet, a year in the file name, or a «valor_esperado» column
that does not hold the expected values of the edition. The edition year itself must lie in the
policy's horizon (`policy_years`), checked before anything is read or written.

The responsible unit's own words (TEXT_COLUMNS: analysis of the avance, factors that
contributed or hindered, measures, comment) are kept as written, also for indicators without
a value.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pnmce.data import rules
from pnmce.data.observed import (
    OBSERVED_COLUMNS, TEXT_COLUMNS, as_number, check_policy_year, observed_dtypes as _observed_dtypes, observed_path,
    observed_text, plain_number as _plain, read_observed,
)
from pnmce.errors import InputError, Problem
from pnmce.fileio import atomic_write_text

if TYPE_CHECKING:  # the method's parameters only; the data layer does not import the metrics at run time
    from pnmce.metrics.method import Method

TEMPLATE_COLUMNS = ["indicador", "nombre", "unidad", "responsable", "valor_esperado", "valor_obtenido",
                    "numerador", "denominador", "fuente", *TEXT_COLUMNS]
FILL_COLUMNS = ["valor_obtenido", "numerador", "denominador", "fuente", *TEXT_COLUMNS]
NUMBER_COLUMNS = ["valor_esperado", "valor_obtenido", "numerador", "denominador"]
REQUIRED_COLUMNS = ["indicador", "valor_obtenido"]
VALUES_SHEET, INSTRUCTIONS_SHEET = "valores", "instrucciones"

_SPACES = " \u00a0\u202f\u2009"
_YEAR_IN_TITLE = re.compile(r"\baño\s+(\d{4})\b", re.IGNORECASE)
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-9]{2})(?!\d)")
_ALIASES = {"ano": "anio", "anio": "anio", "valor": "valor_obtenido", "valor_observado": "valor_obtenido"}
_WIDTHS = {"indicador": 14, "nombre": 60, "unidad": 13, "responsable": 45, "valor_esperado": 15,
           "valor_obtenido": 15, "numerador": 13, "denominador": 13, "fuente": 35, "analisis_avance": 50,
           "factores_favorables": 40, "factores_desfavorables": 40, "medidas": 40, "comentario": 40}


# ---------------------------------------------------------------- numbers

class NumberError(ValueError):
    """A cell that is not a readable number; the message is the Spanish reason."""


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None              # None when ambiguous
    evidence: str | None = None      # the decimal separator this text proves, if any
    percent: bool = False
    as_thousands: float | None = None  # readings of an ambiguous number
    as_decimal: float | None = None
    ambiguous_separator: str | None = None

    def resolve(self, decimal: str | None) -> float | None:
        """The value, using the file's decimal separator for an ambiguous text."""
        if self.value is not None:
            return self.value
        if decimal is None:
            return None
        sep = self.ambiguous_separator
        return self.as_decimal if decimal == sep else self.as_thousands


def _groups_ok(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return (bool(re.fullmatch(r"\d{1,3}", parts[0]))
            and all(re.fullmatch(r"\d{3}", p) for p in parts[1:]))


def scan_number(text: str) -> ParsedNumber:
    """Read a number written by a person (see the module docstring); NumberError if not one."""
    s = str(text).strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    sign = 1.0
    if s[:1] in ("-", "\u2212"):
        sign, s = -1.0, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    for ch in _SPACES:
        s = s.replace(ch, " ")
    if not s or not re.fullmatch(r"[0-9., ]+", s) or not re.search(r"\d", s):
        raise NumberError("se esperaba un número")
    bad = NumberError("número mal escrito (revise los separadores de miles y decimales)")
    has_space = " " in s
    if has_space and not re.fullmatch(r"\d+( \d+)*([.,]\d+)?", s):
        raise bad
    dots, commas = s.count("."), s.count(",")

    def make(integer: str, frac: str, evidence: str | None, sep: str | None) -> ParsedNumber:
        if sep and not _groups_ok(integer, sep):
            raise bad
        digits = integer.replace(sep or "", "") or "0"
        value = float(digits + ("." + frac if frac else ""))
        return ParsedNumber(sign * value, evidence, percent)

    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        if has_space or s.count(dec) != 1:
            raise bad
        integer, frac = s.split(dec)
        if not frac.isdigit():
            raise bad
        return make(integer, frac, dec, thousands)
    if not dots and not commas:
        return make(s, "", None, " " if has_space else None)
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    if s.count(sep) > 1:
        if has_space:
            raise bad
        return make(s, "", other, sep)
    integer, frac = s.split(sep)
    if not frac.isdigit():
        raise bad
    if has_space:
        return make(integer, frac, sep, " ")
    if len(frac) == 3 and re.fullmatch(r"[1-9]\d{0,2}", integer):
        return ParsedNumber(None, None, percent, sign * float(integer + frac),
                            sign * float(integer + "." + frac), sep)
    return make(integer, frac, sep, None)


def parse_number(text: str, decimal: str | None = None) -> float:
    """`scan_number` resolved with a known decimal separator; NumberError if ambiguous."""
    return _resolved(scan_number(text), decimal)


def _resolved(parsed: ParsedNumber, decimal: str | None) -> float:
    value = parsed.resolve(decimal)
    if value is None:
        raise NumberError(_ambiguous_reason(parsed))
    return value


def _ambiguous_reason(parsed: ParsedNumber) -> str:
    sep = parsed.ambiguous_separator
    return (f"número ambiguo: no se sabe si «{sep}» separa miles ({_plain(parsed.as_thousands)}) o "
            f"decimales ({_plain(parsed.as_decimal)}); escríbalo sin separador de miles o con otra "
            "cantidad de decimales, o use el mismo separador decimal de forma reconocible en el archivo")




# ---------------------------------------------------------------- template

def template_frame(cat, year: int, method: Method | None = None,
                   indicators: list[str] | None = None) -> pd.DataFrame:
    """The blank template: one row per indicator (catalogue order; only `indicators` if given),
    expected value if any."""
    check_policy_year(cat, year)
    inds = cat.indicadores
    if indicators is not None:
        inds = inds[inds["id"].isin(set(indicators))]
    frame = pd.DataFrame({
        "indicador": inds["id"].tolist(),
        "nombre": inds["nombre"].tolist(),
        "unidad": inds["unidad"].tolist(),
        "responsable": inds["responsable"].tolist(),
        "valor_esperado": [rules.expected_value(cat.metas, i, year) for i in inds["id"]],
    }, columns=TEMPLATE_COLUMNS)
    frame["valor_esperado"] = frame["valor_esperado"].astype("float64")
    for col in FILL_COLUMNS:
        frame[col] = "" if col in ("fuente", *TEXT_COLUMNS) else np.nan
    return frame


def template_title(year: int, unit: str | None = None) -> str:
    who = f" — unidad responsable {unit}" if unit else ""
    return f"Plantilla de valores obtenidos de la PNMCE 2040 — año {year}{who}"


def instructions(year: int, method: Method | None = None, unit: str | None = None) -> list[str]:
    """The Spanish instructions printed in the template's second sheet."""
    pp, relative = ((rules.PERCENT_TOLERANCE_PP, rules.RELATIVE_TOLERANCE) if method is None
                    else (method.tolerancia_pp, method.tolerancia_relativa))
    low, high = rules.PERCENT_RANGE if method is None else (method.porcentaje_min, method.porcentaje_max)
    tol = f"{_plain(pp)} punto(s) porcentual(es) o {_plain(relative * 100)} % del valor calculado"
    lines = [
        template_title(year, unit),
        "",
        f"1. En la hoja «{VALUES_SHEET}», escriba el valor obtenido de cada indicador en {year}, en la unidad "
        "de la columna «unidad». No cambie los encabezados ni la columna «indicador».",
        "2. Porcentajes en puntos: 75 significa 75 %. Se admite el signo % (75 %). "
        f"Deben estar entre {_plain(low)} y {_plain(high)}.",
        "3. Si el indicador es un cociente, informe también «numerador» y «denominador»: el valor debe "
        f"concordar con numerador / denominador (× 100 si es %), con una tolerancia de {tol}.",
        "4. Si no hay dato, deje vacío «valor_obtenido» y explique el motivo en «comentario».",
        "4a. Análisis de la unidad responsable (se publica tal como se escribe, también sin valor): "
        "«analisis_avance» (análisis del avance), «factores_favorables» (factores que contribuyeron), "
        "«factores_desfavorables» (factores que dificultaron) y «medidas» (medidas a adoptar).",
        "5. «fuente»: documento, base de datos o sistema del que proviene el valor.",
        "6. Números: use la coma o el punto decimal de forma coherente en todo el archivo; los miles pueden "
        "ir separados por espacio, punto o coma (1 234,5 · 1.234,5 · 1,234.5). Un número como 1,234 o "
        "1.234 es ambiguo (¿miles o decimales?) si el resto del archivo no muestra el separador decimal: "
        "escríbalo como 1234 o 1,2340.",
        "7. Las columnas «nombre», «unidad», «responsable» y «valor_esperado» son informativas y no se importan.",
        "8. Puede guardar el archivo como Excel (.xlsx) o como CSV separado por «;» o «,».",
        f"9. Para importar: pnmce importar ARCHIVO --edicion {year}",
    ]
    if method is not None:
        lines += ["", f"Método de seguimiento versión {method.version} ({method.cita}). {method.nota}"]
    return lines


def write_template(cat, year: int, out_dir: Path, method: Method | None = None,
                   unit: str | None = None, indicators: list[str] | None = None) -> tuple[Path, Path]:
    """Write plantilla-YEAR[-UNIT].xlsx and .csv into `out_dir` (the indicators of one
    responsible unit, when given); returns both paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = template_frame(cat, year, method, indicators)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"plantilla-{year}" + (f"-{unit}" if unit else "")

    wb = Workbook()
    ws = wb.active
    ws.title = VALUES_SHEET
    ws.append(TEMPLATE_COLUMNS)
    for rec in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and np.isnan(v)) or v == "" else v for v in rec])
    fill = PatternFill("solid", fgColor="FFF2CC")
    for j, name in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = _WIDTHS[name]
        head = ws.cell(row=1, column=j)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="top")
        if name in FILL_COLUMNS:
            for row in range(1, len(frame) + 2):
                ws.cell(row=row, column=j).fill = fill
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    for line in instructions(year, method, unit):
        info.append([line])
    info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 120
    for row in info.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.title = template_title(year, unit)
    wb.properties.creator = "pnmce"
    xlsx = out_dir / f"{stem}.xlsx"
    tmp = xlsx.with_name(f".{xlsx.name}.tmp")
    wb.save(tmp)
    tmp.replace(xlsx)

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for rec in frame.itertuples(index=False):
        writer.writerow([_decimal_comma(v) for v in rec])
    csv_path = out_dir / f"{stem}.csv"
    atomic_write_text(csv_path, "\ufeff" + text.getvalue())  # BOM: spreadsheets read UTF-8
    return xlsx, csv_path


def _decimal_comma(value: Any) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else _plain(value).replace(".", ",")
    return "" if value is None else str(value)


# ---------------------------------------------------------------- reading a filled file

@dataclass(frozen=True)
class _Cell:
    value: Any                    # str, int, float or None
    percent_format: bool = False  # xlsx number shown as a percentage
    formula: bool = False         # xlsx formula without a cached value


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, list[_Cell]]]   # (spreadsheet row number, cells)
    delimiter: str | None = None           # CSV only
    title_years: list[tuple[str, int]] | None = None  # (where, year) found in title cells


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 (Latin-1 for its unused bytes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252", errors="strict")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _read_csv(path: Path, data: bytes) -> _Sheet:
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line.strip()]
    first = next((line for line in lines if "indicador" in line.lower()), lines[0] if lines else "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = []
    for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        rows.append((number, [_Cell(v) for v in record]))
    return _Sheet(path.name, rows, delimiter)


def _read_xlsx(path: Path, data: bytes) -> _Sheet:
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError([Problem(path.name, f"no es un archivo Excel (.xlsx) legible ({exc.__class__.__name__})")],
                         "Archivo rechazado") from None
    sheet = next((ws for ws in values.worksheets
                  if any(_norm(c.value) == "indicador" for row in ws.iter_rows(max_row=10) for c in row)),
                 values.worksheets[0])
    raw = formulas[sheet.title]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            fcell = raw.cell(row=cell.row, column=cell.column)
            is_formula = cell.value is None and isinstance(fcell.value, str) and fcell.value.startswith("=")
            cells.append(_Cell(cell.value, "%" in (getattr(cell, "number_format", "") or ""), is_formula))
        rows.append((row[0].row if row else len(rows) + 1, cells))
    titles = []
    if INSTRUCTIONS_SHEET in values.sheetnames:
        a1 = values[INSTRUCTIONS_SHEET]["A1"].value
        match = _YEAR_IN_TITLE.search(str(a1 or ""))
        if match:
            titles.append((f"la hoja «{INSTRUCTIONS_SHEET}» (celda A1)", int(match.group(1))))
    name = path.name if len(values.worksheets) == 1 else f"{path.name} (hoja «{sheet.title}»)"
    return _Sheet(name, rows, None, titles)


def _norm(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _canonical(header: Any) -> str:
    name = _norm(header)
    return _ALIASES.get(name, name)


def repeated_columns(file: str, header_row: int, headers: list[Any]) -> list[Problem]:
    """A column named twice or more in the header (aliases included: «valor» is «valor_obtenido»):
    which one holds the data would be a guess, so the file is refused. Positions count from 1."""
    def _spanish_list(items: list[str]) -> str:
        return ", ".join(items[:-1]) + " y " + items[-1]

    at: dict[str, list[int]] = {}
    for j, header in enumerate(headers, start=1):
        if _canonical(header):
            at.setdefault(_canonical(header), []).append(j)
    problems = []
    for name, positions in at.items():
        if len(positions) > 1:
            texts = [str(headers[j - 1]).strip() for j in positions]
            named = f" ({_spanish_list([f'«{t}»' for t in texts])})" if len(set(texts)) > 1 else ""
            problems.append(Problem(file, f"columna «{name}» repetida en las posiciones "
                                          f"{_spanish_list([str(j) for j in positions])}{named}", header_row))
    return problems


def _blank(cell: _Cell | None) -> bool:
    if cell is not None and cell.formula:
        return False
    return cell is None or cell.value is None or (isinstance(cell.value, str) and cell.value.strip() == "")


def _load(path: Path) -> _Sheet:
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(path.name, "no existe el archivo")], "Archivo rechazado")
    data = path.read_bytes()
    if not data.strip():
        raise InputError([Problem(path.name, "el archivo está vacío")], "Archivo rechazado")
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data)
    if path.suffix.lower() == ".xls":
        raise InputError([Problem(path.name, "formato .xls antiguo no admitido; guárdelo como .xlsx o CSV")],
                         "Archivo rechazado")
    return _read_csv(path, data)


def read_filled(path: Path, year: int, cat, method: Method) -> pd.DataFrame:
    """Validate a filled template (xlsx or CSV) for `year`.

    Returns indicador, anio, valor, numerador, denominador, fuente, comentario, one row per
    indicator row of the file (valor may be empty: not reported). Raises InputError listing
    every problem found.
    """
    check_policy_year(cat, year)
    sheet = _load(path)
    file = sheet.name
    problems: list[Problem] = []

    header_at = next((i for i, (_, cells) in enumerate(sheet.rows)
                      if any(_canonical(c.value) == "indicador" for c in cells)), None)
    if header_at is None:
        empty = all(_blank(c) for _, cells in sheet.rows for c in cells)
        reason = ("el archivo no tiene filas" if empty else
                  "no se encontró la fila de encabezados (debe tener la columna «indicador»)")
        raise InputError([Problem(file, reason)], "Archivo rechazado")
    header_row, header_cells = sheet.rows[header_at]
    problems += repeated_columns(file, header_row, [c.value for c in header_cells])
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    for j, cell in enumerate(header_cells):
        name = _canonical(cell.value)
        if name and name not in columns:
            columns[name], shown[name] = j, str(cell.value).strip()
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(Problem(file, f"falta la columna obligatoria «{name}»", header_row, name))
    if problems:
        raise InputError(problems, "Archivo rechazado")

    # Year: an 'anio' column, or a title cell above the header / in the instructions sheet.
    titles = list(sheet.title_years or [])
    for number, cells in sheet.rows[:header_at]:
        for cell in cells:
            match = _YEAR_IN_TITLE.search(str(cell.value or ""))
            if match:
                titles.append((f"el título (fila {number})", int(match.group(1))))
    for where, found in titles:
        if found != year:
            problems.append(Problem(file, f"{where} indica el año {found}, pero la edición es {year}"))
    named = sorted({int(y) for y in _YEAR_IN_NAME.findall(Path(path).stem)})
    if named and year not in named:
        problems.append(Problem(file, f"el nombre del archivo indica el año {', '.join(map(str, named))}, pero la "
                                      f"edición es {year}; ¿es el archivo de otro año? Si no lo es, cámbiele el nombre"))

    def cell_of(cells: list[_Cell], name: str) -> _Cell | None:
        j = columns.get(name)
        return cells[j] if j is not None and j < len(cells) else None

    body = [(n, cells) for n, cells in sheet.rows[header_at + 1:] if not all(_blank(c) for c in cells)]

    # Which decimal separator does the file use? (see the module docstring)
    evidence = {"."} if sheet.delimiter == "," else set()
    for _, cells in body:
        for name in NUMBER_COLUMNS:
            cell = cell_of(cells, name)
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                try:
                    found = scan_number(cell.value).evidence
                except NumberError:
                    continue
                if found:
                    evidence.add(found)
    decimal = next(iter(evidence)) if len(evidence) == 1 else None

    units = dict(zip(cat.indicadores["id"], cat.indicadores["unidad"]))
    by_folded = {i.casefold(): i for i in units}
    seen: dict[str, int] = {}
    out = []
    for number, cells in body:
        def problem(name: str, message: str, value: Any = None) -> None:
            problems.append(Problem(file, message, number, shown.get(name, name),
                                    None if value is None else str(value)))

        id_cell = cell_of(cells, "indicador")
        raw_id = "" if _blank(id_cell) else str(id_cell.value).strip()
        if not raw_id:
            if any(not _blank(cell_of(cells, n)) for n in FILL_COLUMNS):
                problem("indicador", "falta el identificador del indicador")
            continue
        ident = by_folded.get(raw_id.casefold())
        if ident is None:
            problem("indicador", "indicador desconocido (no está en el catálogo)", raw_id)
            continue
        if ident in seen:
            problem("indicador", f"indicador repetido (ya aparece en la fila {seen[ident]})", raw_id)
            continue
        seen[ident] = number
        unit = units[ident]
        expected = rules.expected_value(cat.metas, ident, year)
        problem_expected = _expected_mismatch(cell_of(cells, "valor_esperado"), expected, decimal, cat.metas,
                                              ident, year) if "valor_esperado" in columns else None
        if problem_expected:
            problem("valor_esperado", problem_expected, cell_of(cells, "valor_esperado").value)

        if "anio" in columns and not _blank(cell_of(cells, "anio")):
            raw_year = cell_of(cells, "anio").value
            try:
                found_year = int(parse_number(str(raw_year))) if isinstance(raw_year, str) else int(raw_year)
            except (NumberError, TypeError, ValueError):
                found_year = None
            if found_year != year:
                problem("anio", f"el año no coincide con la edición {year}", raw_year)

        numbers: dict[str, float | None] = {}
        failed: set[str] = set()
        for name in ("valor_obtenido", "numerador", "denominador"):
            numbers[name] = None
            cell = cell_of(cells, name)
            if _blank(cell):
                continue
            try:
                value, percent, ambiguous = _cell_number(cell, decimal)
            except NumberError as exc:
                problem(name, str(exc), cell.value)
                failed.add(name)
                continue
            if name == "valor_obtenido" and ambiguous is not None:
                reason = _implausible_reading(ambiguous, value, rules.latest_expected(cat.metas, ident, year), year,
                                              method.factor_lectura_ambigua)
                if reason:
                    problem(name, reason, cell.value)
                    failed.add(name)
                    continue
            if percent and (name != "valor_obtenido" or unit != "%"):
                problem(name, f"signo % no admitido aquí (la unidad del indicador es «{unit}»)", cell.value)
                failed.add(name)
                continue
            numbers[name] = value
        value, num, den = numbers["valor_obtenido"], numbers["numerador"], numbers["denominador"]

        if value is not None:
            if rules.percent_out_of_range(value, unit, method.porcentaje_min, method.porcentaje_max):
                problem("valor_obtenido", f"porcentaje fuera del rango {_plain(method.porcentaje_min)}–"
                        f"{_plain(method.porcentaje_max)}", _text(cell_of(cells, "valor_obtenido")))
            elif rules.negative_not_plausible(value, unit, method.no_negativos):
                problem("valor_obtenido", "el valor no puede ser negativo", _text(cell_of(cells, "valor_obtenido")))
        for name, v in (("numerador", num), ("denominador", den)):
            if v is not None and v < 0:
                problem(name, "no puede ser negativo", _text(cell_of(cells, name)))
        if den == 0:
            problem("denominador", "el denominador no puede ser cero", _text(cell_of(cells, "denominador")))
        elif value is None and (num is not None or den is not None) and "valor_obtenido" not in failed:
            problem("valor_obtenido", "falta el valor aunque se informan numerador o denominador")
        elif rules.agrees(value, num, den, unit, method.tolerancia_pp, method.tolerancia_relativa) is False:
            calc = rules.computed_value(num, den, unit)
            problem("valor_obtenido", f"no concuerda con numerador/denominador (calculado {_plain(round(calc, 4))}, "
                    f"tolerancia {_plain(method.tolerancia_pp)} p. p. o {_plain(method.tolerancia_relativa * 100)} %)",
                    _text(cell_of(cells, "valor_obtenido")))

        out.append({"indicador": ident, "anio": int(year), "valor": value, "numerador": num,
                    "denominador": den, "fuente": _text(cell_of(cells, "fuente")),
                    **{c: _text(cell_of(cells, c)) for c in TEXT_COLUMNS}})

    if not problems and not out:
        problems.append(Problem(file, "no hay ninguna fila de indicador"))
    if problems:
        raise InputError(problems, "Archivo rechazado; no se importó nada")
    return _observed_dtypes(pd.DataFrame(out, columns=OBSERVED_COLUMNS))


def _cell_number(cell: _Cell, decimal: str | None) -> tuple[float, bool, ParsedNumber | None]:
    """(value, written with %, the parse when its reading depended on the file's decimal separator)
    of a cell; NumberError with the Spanish reason otherwise."""
    if cell.formula:
        raise NumberError("fórmula sin valor calculado: abra el archivo en la hoja de cálculo y guárdelo, "
                          "o escriba el valor")
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise NumberError("se esperaba un número")
    if isinstance(value, (int, float)):
        if cell.percent_format:
            return round(float(value) * 100, 10), True, None
        return float(value), False, None
    parsed = scan_number(value)
    return _resolved(parsed, decimal), parsed.percent, (parsed if parsed.value is None else None)


def _implausible_reading(parsed: ParsedNumber, value: float, reference: tuple[int, float] | None,
                         year: int, factor: float) -> str | None:
    """Why an ambiguous number, read with the file's separator as `value`, cannot be accepted."""
    sep = parsed.ambiguous_separator
    name = "la coma" if sep == "," else "el punto"
    other = parsed.as_thousands if value == parsed.as_decimal else parsed.as_decimal
    how = (f"escríbalo sin separador de miles ({_plain(parsed.as_thousands)}) o con otra cantidad de "
           f"decimales (por ejemplo {_plain(parsed.as_decimal)}0)")
    if reference is None:
        return (f"número ambiguo: se leería como {_plain(value)} según el separador decimal del archivo, pero el "
                f"indicador no tiene logro esperado con que comprobarlo (la otra lectura es {_plain(other)}); {how}")
    ref_year, ref = reference
    if ref > 0 and value > 0 and max(value / ref, ref / value) <= factor:
        return None
    label = f"el logro esperado de {ref_year}" if ref_year == year else f"el último valor esperado ({ref_year})"
    return (f"número ambiguo: con {name} como separador {'decimal' if value == parsed.as_decimal else 'de miles'} "
            f"(la convención del archivo) se lee {_plain(value)}, lejos de {label}, {_plain(ref)}; la otra lectura "
            f"sería {_plain(other)}; {how}")


def _expected_mismatch(cell: _Cell | None, expected: float | None, decimal: str | None,
                       metas: pd.DataFrame, indicator: str, year: int) -> str | None:
    """Why the file's «valor_esperado» shows that it was prepared for another year (None if it agrees)."""
    if _blank(cell):
        return None
    raw = cell.value
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        readings = {float(raw)}
    else:
        try:
            parsed = scan_number(str(raw))
        except NumberError:
            return None  # informative column: an unreadable value is not a reason to refuse the file
        resolved = parsed.resolve(decimal)
        readings = ({resolved} if resolved is not None else {parsed.as_thousands, parsed.as_decimal})
    if expected is not None and any(math.isclose(r, expected, rel_tol=1e-9, abs_tol=1e-9) for r in readings):
        return None
    other = metas[(metas["indicador"] == indicator) & (metas["anio"] != year)]
    match = [int(y) for y, v in zip(other["anio"], other["valor"])
             if as_number(v) is not None and any(math.isclose(r, as_number(v), rel_tol=1e-9) for r in readings)]
    shown = "no tiene logro esperado" if expected is None else f"tiene logro esperado {_plain(expected)}"
    hint = f" (coincide con el de {', '.join(map(str, match))})" if match else ""
    return (f"el archivo trae un valor esperado que no es el de la edición: en {year} el indicador {shown}{hint}; "
            f"el archivo parece preparado para otro año: use la plantilla de {year} (pnmce plantilla {year})")


def _text(cell: _Cell | None) -> str:
    if _blank(cell):
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()



# ---------------------------------------------------------------- data/observado/YEAR.csv

@dataclass(frozen=True)
class ImportResult:
    path: Path
    year: int
    added: int         # indicators not in the file before
    replaced: int      # indicators whose row was replaced
    kept: int          # rows of the previous file left as they were
    rows: int          # rows written
    not_reported: int  # rows of the imported file without a value
    text_only: int = 0  # of those, rows kept for their analysis or comment

    def message(self) -> str:
        text = (f"Se guardaron {self.rows} fila(s) de {self.year} en {self.path} "
                f"(nuevas: {self.added}, reemplazadas: {self.replaced}, conservadas: {self.kept}).")
        if self.not_reported:
            text += f" {self.not_reported} indicador(es) del archivo sin valor obtenido"
            text += (f"; se guardan {self.text_only} por su análisis o comentario." if self.text_only
                     else ": no se guardan.")
        return text


def import_observed(path: Path, year: int, cat, method: Method, data_dir: Path,
                    replace: bool = False) -> ImportResult:
    """Validate a filled file and write data/observado/YEAR.csv atomically.

    Rows with a value, or with the unit's analysis or comment, are stored; they replace the
    rows of the same indicators, and the other rows already in YEAR.csv are kept (several
    units send separate files), unless `replace`. On rejection nothing is written.
    """
    new = read_filled(path, year, cat, method)
    has_text = new[TEXT_COLUMNS].astype(str).apply(lambda c: c.str.strip() != "").any(axis=1)
    reported = new[new["valor"].notna() | has_text]
    if reported.empty:
        raise InputError([Problem(Path(path).name, "el archivo no trae ningún valor obtenido ni análisis")],
                         "Archivo rechazado; no se importó nada")
    existing = read_observed(data_dir, year, missing_ok=True)
    if replace:
        existing = existing.iloc[0:0]
    before = set(existing["indicador"])
    kept = existing[~existing["indicador"].isin(reported["indicador"])]
    merged = pd.concat([kept, reported], ignore_index=True) if len(kept) else reported
    target = observed_path(data_dir, year)
    atomic_write_text(target, observed_text(merged))
    replaced = len(before & set(reported["indicador"]))
    no_value = int(new["valor"].isna().sum())
    return ImportResult(target, int(year), len(reported) - replaced, replaced, len(kept), len(merged),
                        no_value, int((new["valor"].isna() & has_text).sum()))
