"""Which notebooks a build executes: one `Run` per template and parameter set."""

from __future__ import annotations

from dataclasses import dataclass, field

from pnmce.data.package import Catalogue


@dataclass(frozen=True)
class Run:
    template: str  # file in notebooks/
    output: str  # path under book/generado/, without suffix
    parameters: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.output


def plan(cat: Catalogue, edition: int) -> list[Run]:
    """Every notebook of the edition, in a stable order."""
    runs = [
        Run("portada.md", "portada", {"edicion": edition}),
        Run("objetivos_prioritarios.md", "cap4/4-1-objetivos-prioritarios", {"edicion": edition}),
    ]
    for op in cat.objetivos.itertuples():
        runs.append(Run("objetivo.md", f"cap4/4-1/{op.id.lower()}",
                        {"objetivo": op.id, "edicion": edition, "titulo": f"{op.id}. {op.nombre}"}))
    return runs
