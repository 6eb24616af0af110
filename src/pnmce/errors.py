"""User-facing errors: Spanish, with file, row and column, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of an input file."""

    file: str
    message: str
    row: int | None = None  # line number in the file (the header is line 1)
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"fila {self.row}")
        if self.field:
            where.append(f"columna «{self.field}»")
        text = ", ".join(where) + ": " + self.message
        if self.value not in (None, ""):
            text += f" (valor: «{self.value}»)"
        return text


class InputError(Exception):
    """Raised when input data is refused; carries every problem found."""

    def __init__(self, problems: list[Problem], summary: str = "Datos rechazados"):
        self.problems = problems
        self.summary = summary
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.summary}: {len(self.problems)} problema(s)."]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
