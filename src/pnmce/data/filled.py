"""Reading a filled template (xlsx or CSV) into observed values, refusing what is wrong or ambiguous.

Reading accepts the xlsx template or a CSV (any of UTF-8 with or without BOM, UTF-16 with
BOM, cp1252/Latin-1; `;` or `,` as delimiter). Everything refused is reported at once as
an `InputError` whose problems name the file, the spreadsheet row, the column and the value.

An ambiguous number (`pnmce.data.numbers`) is read only when the file's other numbers show which
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

`read_filled` runs one small check per column on each row (`_check_*`); numbers are read by
`pnmce.data.numbers`.
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
from typing import Any

import pandas as pd

from pnmce.data import rules
from pnmce.data.method import Method
from pnmce.data.numbers import NumberError, ParsedNumber, _resolved, parse_number, scan_number
from pnmce.data.observed import (
    OBSERVED_COLUMNS,
    TEXT_COLUMNS,
    as_number,
    check_policy_year,
)
from pnmce.data.observed import observed_dtypes as _observed_dtypes
from pnmce.data.observed import plain_number as _plain
from pnmce.data.template import FILL_COLUMNS, INSTRUCTIONS_SHEET
from pnmce.errors import InputError, Problem

NUMBER_COLUMNS = ["valor_esperado", "valor_obtenido", "numerador", "denominador"]
REQUIRED_COLUMNS = ["indicador", "valor_obtenido"]

_YEAR_IN_TITLE = re.compile(r"\baño\s+(\d{4})\b", re.IGNORECASE)
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-9]{2})(?!\d)")
_ALIASES = {"ano": "anio", "anio": "anio", "valor": "valor_obtenido", "valor_observado": "valor_obtenido"}



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
    header_at, columns, shown = _header(sheet)
    problems = _year_problems(sheet, header_at, Path(path), year)
    body = [_Row(sheet.name, n, cells, columns, shown, problems)
            for n, cells in sheet.rows[header_at + 1:] if not all(_blank(c) for c in cells)]
    decimal = _decimal_separator(sheet, body)
    units = dict(zip(cat.indicadores["id"], cat.indicadores["unidad"]))
    by_folded = {i.casefold(): i for i in units}
    seen: dict[str, int] = {}
    out = []
    for row in body:
        ident = _check_indicator(row, by_folded, seen)
        if ident is None:
            continue
        _check_expected(row, cat, ident, year, decimal)
        _check_year(row, year)
        numbers, failed = _read_numbers(row, cat, ident, units[ident], year, decimal, method)
        _check_values(row, numbers, failed, units[ident], method)
        out.append({"indicador": ident, "anio": int(year), "valor": numbers["valor_obtenido"],
                    "numerador": numbers["numerador"], "denominador": numbers["denominador"],
                    "fuente": _text(row.cell("fuente")), **{c: _text(row.cell(c)) for c in TEXT_COLUMNS}})

    if not problems and not out:
        problems.append(Problem(sheet.name, "no hay ninguna fila de indicador"))
    if problems:
        raise InputError(problems, "Archivo rechazado; no se importó nada")
    return _observed_dtypes(pd.DataFrame(out, columns=OBSERVED_COLUMNS))


@dataclass
class _Row:
    """One body row of the file, and where its problems go."""
    file: str
    number: int
    cells: list[_Cell]
    columns: dict[str, int]
    shown: dict[str, str]
    problems: list[Problem]

    def cell(self, name: str) -> _Cell | None:
        j = self.columns.get(name)
        return self.cells[j] if j is not None and j < len(self.cells) else None

    def problem(self, name: str, message: str, value: Any = None) -> None:
        self.problems.append(Problem(self.file, message, self.number, self.shown.get(name, name),
                                     None if value is None else str(value)))


def _header(sheet: _Sheet) -> tuple[int, dict[str, int], dict[str, str]]:
    """The header row's position, each known column's index and its name as written; refuses a file
    without a header or without a required column."""
    file = sheet.name
    header_at = next((i for i, (_, cells) in enumerate(sheet.rows)
                      if any(_canonical(c.value) == "indicador" for c in cells)), None)
    if header_at is None:
        empty = all(_blank(c) for _, cells in sheet.rows for c in cells)
        reason = ("el archivo no tiene filas" if empty else
                  "no se encontró la fila de encabezados (debe tener la columna «indicador»)")
        raise InputError([Problem(file, reason)], "Archivo rechazado")
    header_row, header_cells = sheet.rows[header_at]
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    for j, cell in enumerate(header_cells):
        name = _canonical(cell.value)
        if name and name not in columns:
            columns[name], shown[name] = j, str(cell.value).strip()
    refused = repeated_columns(file, header_row, [c.value for c in header_cells]) + [
        Problem(file, f"falta la columna obligatoria «{name}»", header_row, name)
        for name in REQUIRED_COLUMNS if name not in columns]
    if refused:
        raise InputError(refused, "Archivo rechazado; no se importó nada")
    return header_at, columns, shown


def repeated_columns(file: str, header_row: int, headers: list[Any]) -> list[Problem]:
    """A column named twice or more in the header (aliases included: «valor» is «valor_obtenido»):
    which one holds the data would be a guess, so the file is refused. Positions count from 1."""
    def spanish_list(items: list[str]) -> str:
        return ", ".join(items[:-1]) + " y " + items[-1]

    at: dict[str, list[int]] = {}
    for j, header in enumerate(headers, start=1):
        if _canonical(header):
            at.setdefault(_canonical(header), []).append(j)
    problems = []
    for name, positions in at.items():
        if len(positions) > 1:
            texts = [str(headers[j - 1]).strip() for j in positions]
            named = f" ({spanish_list([f'«{t}»' for t in texts])})" if len(set(texts)) > 1 else ""
            problems.append(Problem(file, f"columna «{name}» repetida en las posiciones "
                                          f"{spanish_list([str(j) for j in positions])}{named}", header_row))
    return problems


def _year_problems(sheet: _Sheet, header_at: int, path: Path, year: int) -> list[Problem]:
    """A title cell above the header, the instructions sheet or the file name naming another year."""
    problems = []
    titles = list(sheet.title_years or [])
    for number, cells in sheet.rows[:header_at]:
        for cell in cells:
            match = _YEAR_IN_TITLE.search(str(cell.value or ""))
            if match:
                titles.append((f"el título (fila {number})", int(match.group(1))))
    for where, found in titles:
        if found != year:
            problems.append(Problem(sheet.name, f"{where} indica el año {found}, pero la edición es {year}"))
    named = sorted({int(y) for y in _YEAR_IN_NAME.findall(path.stem)})
    if named and year not in named:
        problems.append(Problem(sheet.name, f"el nombre del archivo indica el año {', '.join(map(str, named))}, pero "
                                            f"la edición es {year}; ¿es el archivo de otro año? Si no lo es, cámbiele "
                                            "el nombre"))
    return problems


def _decimal_separator(sheet: _Sheet, body: list[_Row]) -> str | None:
    """The decimal separator the file's numbers show, when they show exactly one (see the module docstring)."""
    evidence = {"."} if sheet.delimiter == "," else set()
    for row in body:
        for name in NUMBER_COLUMNS:
            cell = row.cell(name)
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                try:
                    found = scan_number(cell.value).evidence
                except NumberError:
                    continue
                if found:
                    evidence.add(found)
    return next(iter(evidence)) if len(evidence) == 1 else None


def _check_indicator(row: _Row, by_folded: dict[str, str], seen: dict[str, int]) -> str | None:
    """The catalogue id of the row's indicator; None (with a problem when the row has values) otherwise."""
    id_cell = row.cell("indicador")
    raw_id = "" if _blank(id_cell) else str(id_cell.value).strip()
    if not raw_id:
        if any(not _blank(row.cell(n)) for n in FILL_COLUMNS):
            row.problem("indicador", "falta el identificador del indicador")
        return None
    ident = by_folded.get(raw_id.casefold())
    if ident is None:
        row.problem("indicador", "indicador desconocido (no está en el catálogo)", raw_id)
        return None
    if ident in seen:
        row.problem("indicador", f"indicador repetido (ya aparece en la fila {seen[ident]})", raw_id)
        return None
    seen[ident] = row.number
    return ident


def _check_expected(row: _Row, cat, ident: str, year: int, decimal: str | None) -> None:
    """«valor_esperado», when the file has it, must be the edition's expected value."""
    if "valor_esperado" not in row.columns:
        return
    expected = rules.expected_value(cat.metas, ident, year)
    reason = _expected_mismatch(row.cell("valor_esperado"), expected, decimal, cat.metas, ident, year)
    if reason:
        row.problem("valor_esperado", reason, row.cell("valor_esperado").value)


def _check_year(row: _Row, year: int) -> None:
    """An «anio» cell must be the edition's year."""
    if "anio" in row.columns and not _blank(row.cell("anio")):
        raw_year = row.cell("anio").value
        try:
            found_year = int(parse_number(str(raw_year))) if isinstance(raw_year, str) else int(raw_year)
        except (NumberError, TypeError, ValueError):
            found_year = None
        if found_year != year:
            row.problem("anio", f"el año no coincide con la edición {year}", raw_year)


def _read_numbers(row: _Row, cat, ident: str, unit: str, year: int, decimal: str | None,
                  method: Method) -> tuple[dict[str, float | None], set[str]]:
    """valor_obtenido, numerador, denominador as numbers (None when blank or refused), and the refused ones."""
    numbers: dict[str, float | None] = {}
    failed: set[str] = set()
    for name in ("valor_obtenido", "numerador", "denominador"):
        numbers[name] = None
        cell = row.cell(name)
        if _blank(cell):
            continue
        try:
            value, percent, ambiguous = _cell_number(cell, decimal)
        except NumberError as exc:
            row.problem(name, str(exc), cell.value)
            failed.add(name)
            continue
        if name == "valor_obtenido" and ambiguous is not None:
            reason = _implausible_reading(ambiguous, value, rules.latest_expected(cat.metas, ident, year), year,
                                          method.factor_lectura_ambigua)
            if reason:
                row.problem(name, reason, cell.value)
                failed.add(name)
                continue
        if percent and (name != "valor_obtenido" or unit != "%"):
            row.problem(name, f"signo % no admitido aquí (la unidad del indicador es «{unit}»)", cell.value)
            failed.add(name)
            continue
        numbers[name] = value
    return numbers, failed


def _check_values(row: _Row, numbers: dict[str, float | None], failed: set[str], unit: str, method: Method) -> None:
    """Range of the value, signs, and the value against numerador/denominador."""
    value, num, den = numbers["valor_obtenido"], numbers["numerador"], numbers["denominador"]
    if value is not None:
        if rules.percent_out_of_range(value, unit, method.porcentaje_min, method.porcentaje_max):
            row.problem("valor_obtenido", f"porcentaje fuera del rango {_plain(method.porcentaje_min)}–"
                        f"{_plain(method.porcentaje_max)}", _text(row.cell("valor_obtenido")))
        elif rules.negative_not_plausible(value, unit, method.no_negativos):
            row.problem("valor_obtenido", "el valor no puede ser negativo", _text(row.cell("valor_obtenido")))
    for name, v in (("numerador", num), ("denominador", den)):
        if v is not None and v < 0:
            row.problem(name, "no puede ser negativo", _text(row.cell(name)))
    if den == 0:
        row.problem("denominador", "el denominador no puede ser cero", _text(row.cell("denominador")))
    elif value is None and (num is not None or den is not None) and "valor_obtenido" not in failed:
        row.problem("valor_obtenido", "falta el valor aunque se informan numerador o denominador")
    elif rules.agrees(value, num, den, unit, method.tolerancia_pp, method.tolerancia_relativa) is False:
        calc = rules.computed_value(num, den, unit)
        row.problem("valor_obtenido", f"no concuerda con numerador/denominador (calculado {_plain(round(calc, 4))}, "
                    f"tolerancia {_plain(method.tolerancia_pp)} p. p. o {_plain(method.tolerancia_relativa * 100)} %)",
                    _text(row.cell("valor_obtenido")))


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



