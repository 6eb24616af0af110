"""Which notebooks a build executes: one `Run` per template and parameter set.

Output paths mirror the book (`cap4/...`, `cap7/...`); indicator pages are named by their id so
that links stay stable across editions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pnmce.data.ids import checked, page_name
from pnmce.data.package import Catalogue


@dataclass(frozen=True)
class Run:
    template: str  # file in notebooks/
    output: str  # path under book/generado/, without suffix
    parameters: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.output


def plan(cat: Catalogue, edition: int, commit: str = "") -> list[Run]:
    """Every notebook of the edition, in a stable order.

    Every run may receive `edicion`; the build passes it (like any parameter) only to templates
    that declare it. The commit is provenance, shown by the book layer (page footer): `commit`
    is ignored and kept only for older callers. Ids are checked before they become paths."""
    e = {"edicion": edition}
    runs = [
        Run("portada.md", "portada", e),
        Run("alternativas.md", "cap3/3-5-alternativas-de-solucion", e),
        Run("reporte_seguimiento.md", "cap5/reporte-seguimiento", e),
        Run("metodo_seguimiento.md", "cap5/metodo-seguimiento", e),
        Run("glosario.md", "cap6/6-1-glosario", e),
        Run("acronimos.md", "cap6/6-2-acronimos", e),
        Run("control_calidad.md", "cap7/7-7-control-de-calidad", e),
        Run("objetivos_prioritarios.md", "cap4/4-1-objetivos-prioritarios", e),
        Run("lineamientos.md", "cap4/4-2-lineamientos", e),
        Run("servicios.md", "cap4/4-3-servicios", e),
        Run("fichas_servicios.md", "cap4/4-3-1-fichas-de-servicios", e),
        Run("alineamiento.md", "cap7/7-3-matriz-de-alineamiento", e),
        Run("consistencia.md", "cap7/7-4-matriz-de-consistencia", e),
        Run("indicadores_indice.md", "cap7/7-5-fichas-tecnicas", e),
        Run("indicadores_grupo.md", "cap7/7-5-1", {**e, "grupo": "objetivos",
                                                   "titulo": "7.5.1. Fichas técnicas de los objetivos prioritarios"}),
        Run("indicadores_grupo.md", "cap7/7-5-2", {**e, "grupo": "servicios",
                                                   "titulo": "7.5.2. Fichas técnicas de los indicadores de servicios"}),
        Run("actividades.md", "cap7/7-6-actividades-operativas", e),
        Run("resumen_ejecutivo.md", "cap9/resumen-ejecutivo", e),
    ]
    for n, cause in enumerate(cat.causas[cat.causas["nivel"] == "directa"].itertuples(), start=1):
        runs.append(Run("causa_directa.md", f"cap3/3-2-{n}-{checked('causa', cause.id).lower()}",
                        {**e, "causa": cause.id, "titulo": f"3.2.{n}. Causa directa {n}: {cause.nombre}"}))
    for op in cat.objetivos.itertuples():
        runs.append(Run("objetivo.md", f"cap4/4-1/{checked('objetivo', op.id).lower()}",
                        {**e, "objetivo": op.id, "titulo": f"{op.id}. {op.nombre}"}))
        runs.append(Run("indicadores_grupo.md", f"cap7/7-5-2-{op.id.lower()}",
                        {**e, "grupo": op.id, "titulo": f"Indicadores de los servicios de {op.id}"}))
    for s in cat.servicios.itertuples():
        runs.append(Run("servicio.md", f"cap4/4-3-1/{checked('servicio', s.id)}", {**e, "servicio": s.id, "titulo": f"{s.id}. {s.nombre}"}))
    for ind in cat.indicadores.itertuples():
        runs.append(Run("indicador.md", f"indicadores/{page_name(ind.id)}",
                        {**e, "indicador": ind.id, "titulo": f"{ind.id} — {ind.nombre}"}))
    return runs
