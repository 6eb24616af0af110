"""The project's CSV files read as text, and refused in Spanish when they cannot be used.

Every cell is a string (no type guessing; an empty cell is ""), so each reader checks and
converts its own columns and names the bad cells by file, row and column. This module imports
nothing of the project but its errors: the data package, the observed values and the method's
tables all read their files through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from pnmce.errors import InputError, Problem


def read_text_csv(path: Path) -> pd.DataFrame:
    """A UTF-8 CSV file, every cell as text (pandas' own errors when it cannot be read)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def row_number(index) -> int:
    """The line of the file that holds row `index` of its frame (the header is line 1)."""
    return int(index) + 2


def numbered_rows(frame: pd.DataFrame) -> Iterator[tuple[int, tuple]]:
    """(line of the file, record) for each row of a frame read with `read_text_csv`."""
    return ((row_number(i), rec) for i, rec in enumerate(frame.itertuples(index=False)))


def read_checked_csv(path: Path, shown: str, columns: list[str], summary: str,
                     check: Callable[[pd.DataFrame, str], list[Problem]] | None = None) -> pd.DataFrame:
    """The text frame of `path`, whose columns must be exactly `columns`.

    `check(frame, shown)` returns the problems of the rows. An unreadable file, other columns or
    any problem raise an InputError with `summary`; `shown` is the file's name in the messages.
    """
    try:
        frame = read_text_csv(path)
    except pd.errors.EmptyDataError:
        raise InputError([Problem(shown, "el archivo está vacío (faltan los encabezados)")], summary) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError([Problem(shown, f"no se puede leer como CSV UTF-8 ({exc.__class__.__name__})")],
                         summary) from None
    if list(frame.columns) != list(columns):
        raise InputError([Problem(shown, "las columnas deben ser: " + ", ".join(columns), 1)], summary)
    problems = check(frame, shown) if check is not None else []
    if problems:
        raise InputError(problems, summary)
    return frame
