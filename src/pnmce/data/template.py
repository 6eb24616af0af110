"""The blank template of a monitoring year: one row per indicator, the columns to fill, instructions
(`pnmce plantilla`), as xlsx and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pnmce.data import rules
from pnmce.data.method import Method
from pnmce.data.observed import (
    TEXT_COLUMNS,
    check_policy_year,
)
from pnmce.data.observed import plain_number as _plain
from pnmce.fileio import atomic_write_text, atomic_write_xlsx

TEMPLATE_COLUMNS = ["indicador", "nombre", "unidad", "responsable", "valor_esperado", "valor_obtenido",
                    "numerador", "denominador", "fuente", *TEXT_COLUMNS]
FILL_COLUMNS = ["valor_obtenido", "numerador", "denominador", "fuente", *TEXT_COLUMNS]
VALUES_SHEET, INSTRUCTIONS_SHEET = "valores", "instrucciones"

_WIDTHS = {"indicador": 14, "nombre": 60, "unidad": 13, "responsable": 45, "valor_esperado": 15,
           "valor_obtenido": 15, "numerador": 13, "denominador": 13, "fuente": 35, "analisis_avance": 50,
           "factores_favorables": 40, "factores_desfavorables": 40, "medidas": 40, "comentario": 40}



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
    atomic_write_xlsx(xlsx, wb.save)

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


