"""Which notebooks a build executes: one `Run` per template and parameter set.

Output paths mirror the book (`cap4/...`, `cap7/...`); indicator pages are named by their id so
that links stay stable across editions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pnmce.data import pages
from pnmce.data.ids import checked
from pnmce.data.package import Catalogue


@dataclass(frozen=True)
class Run:
    template: str  # file in notebooks/
    output: str  # path under book/generado/, without suffix
    parameters: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.output


def plan(cat: Catalogue, edition: int, data_dir=None) -> list[Run]:
    """Every notebook of the edition, in a stable order.

    Every run may receive `edicion`; the build passes it (like any parameter) only to templates
    that declare it. The commit is provenance, shown by the book layer (page footer), not a
    parameter. Ids are checked before they become paths."""
    e = {"edicion": edition}
    runs = [
        Run("portada.md", "portada", e),
        Run("alternativas.md", "cap3/3-5-alternativas-de-solucion", e),
        Run("reporte_seguimiento.md", pages.REPORT, {**e, "titulo": _report_title(edition, data_dir)}),
        Run("reporte_conclusiones.md", pages.REPORT_CONCLUSIONS,
            {**e, "titulo": "Conclusiones" if _is_baseline(edition, data_dir)
             else "Alertas, conclusiones y recomendaciones"}),
        Run("reporte_anexo.md", pages.REPORT_ANNEX,
            {**e, "titulo": "Anexo: línea base y logros esperados" if _is_baseline(edition, data_dir)
             else "Anexo: línea base y seguimiento anual"}),
        Run("metodo_seguimiento.md", "cap5/metodo-seguimiento", e),
        Run("glosario.md", "cap6/6-1-glosario", e),
        Run("acronimos.md", "cap6/6-2-acronimos", e),
        Run("control_calidad.md", pages.DATA_NOTES, e),
        Run("notas_tecnicas.md", pages.TECHNICAL_NOTES, e),
        Run("objetivos_prioritarios.md", "cap4/4-1-objetivos-prioritarios", e),
        Run("lineamientos.md", "cap4/4-2-lineamientos", e),
        Run("servicios.md", "cap4/4-3-servicios", e),
        Run("fichas_servicios.md", "cap4/4-3-1-fichas-de-servicios", e),
        Run("alineamiento.md", "cap7/7-3-matriz-de-alineamiento", e),
        Run("consistencia.md", "cap7/7-4-matriz-de-consistencia", e),
        Run("indicadores_indice.md", pages.INDICATOR_SHEETS, e),
        Run("indicadores_grupo.md", "cap7/7-5-1", {**e, "grupo": "objetivos",
                                                   "titulo": "7.5.1. Fichas técnicas de los objetivos prioritarios"}),
        Run("indicadores_grupo.md", "cap7/7-5-2", {**e, "grupo": "servicios",
                                                   "titulo": "7.5.2. Fichas técnicas de los indicadores de servicios"}),
        Run("actividades.md", "cap7/7-6-actividades-operativas", e),
        Run("resumen_ejecutivo.md", "cap9/resumen-ejecutivo", e),
        # diagnosis (chapters 2-3) and scenarios (7.2), from data/diagnostico/
        Run("diagnostico.md", "cap2/comercio-de-bienes", {**e, "seccion": "2-bienes", "titulo": "Comercio exterior de bienes"}),
        Run("diagnostico.md", "cap2/comercio-de-servicios", {**e, "seccion": "2-servicios", "titulo": "Comercio de servicios"}),
        Run("diagnostico.md", "cap2/balanza-comercial", {**e, "seccion": "2-balanza",
                                                         "titulo": "Balanza comercial de bienes y servicios"}),
        Run("diagnostico.md", pages.PUBLIC_PROBLEM, {**e, "seccion": "3.1",
                                                            "titulo": "3.1. Enunciado y delimitación del problema público"}),
        Run("diagnostico.md", "cap3/3-2-modelo-del-problema", {**e, "seccion": "3.2",
                                                              "titulo": "3.2. Modelo del problema público"}),
        Run("diagnostico.md", "cap3/3-3-situacion-futura-deseada", {**e, "seccion": "3.3", "titulo": "3.3. Situación futura deseada"}),
        Run("diagnostico.md", "cap3/3-4-aspiraciones-de-la-poblacion", {**e, "seccion": "3.4",
                                                                        "titulo": "3.4. Aspiraciones de la población"}),
        Run("escenarios.md", "cap7/7-2-analisis-de-escenarios", {**e, "titulo": "7.2. Análisis de escenarios"}),
        # reference chapters (issue 11)
        Run("introduccion.md", "introduccion", e),
        Run("normas.md", "cap1/1-1-normas-nacionales", {**e, "ambito": "nacional", "titulo": "1.1. Normas nacionales"}),
        Run("normas.md", "cap1/1-2-normas-internacionales",
            {**e, "ambito": "internacional", "titulo": "1.2. Normas internacionales"}),
        Run("evaluacion.md", "cap5/5-2-evaluacion", e),
        Run("metodologia.md", pages.METHODOLOGY, e),
        # issue 12: report status and the biennial evaluation report (chapter 5)
        Run("estado_reporte.md", "cap5/estado-reporte", e),
        Run("evaluacion_resultados.md", "cap5/informe-evaluacion", {**e, "titulo": _evaluation_title(edition, data_dir)}),
    ]
    for n, cause in enumerate(cat.causas[cat.causas["nivel"] == "directa"].itertuples(), start=1):
        runs.append(Run("causa_directa.md", pages.cause_page(n, checked("causa", cause.id)),
                        {**e, "causa": cause.id, "titulo": f"3.2.{n}. Causa directa {n}: {cause.nombre}"}))
    for op in cat.objetivos.itertuples():
        runs.append(Run("objetivo.md", pages.objective_page(checked("objetivo", op.id)),
                        {**e, "objetivo": op.id, "titulo": f"{op.id}. {op.nombre}"}))
        runs.append(Run("reporte_objetivo.md", pages.report_objective_page(checked('objetivo', op.id)),
                        {**e, "objetivo": op.id, "titulo": f"{op.id}. {op.nombre}"}))
        runs.append(Run("indicadores_grupo.md", f"cap7/7-5-2-{op.id.lower()}",
                        {**e, "grupo": op.id, "titulo": f"Indicadores de los servicios de {op.id}"}))
    for s in cat.servicios.itertuples():
        runs.append(Run("servicio.md", pages.service_page(checked("servicio", s.id)), {**e, "servicio": s.id, "titulo": f"{s.id}. {s.nombre}"}))
    for ind in cat.indicadores.itertuples():
        runs.append(Run("indicador.md", pages.indicator_page(ind.id),
                        {**e, "indicador": ind.id, "titulo": f"{ind.id} — {ind.nombre}"}))
    return runs


def _is_baseline(edition: int, data_dir=None) -> bool:
    from pnmce.data.method import load_method
    from pnmce.paths import find_project

    return load_method(data_dir or find_project().data).is_baseline(edition)


def _report_title(edition: int, data_dir=None) -> str:
    """«Línea base AAAA y metas» for the baseline edition, else «Reporte de seguimiento AAAA»."""
    return f"Línea base {int(edition)} y metas" if _is_baseline(edition, data_dir) \
        else f"Reporte de seguimiento {int(edition)}"


def _evaluation_title(edition: int, data_dir=None) -> str:
    """«Informe de evaluación de resultados AÑO» with the latest evaluation year (method file)."""
    from pnmce.metrics.evaluation import load_evaluation_method
    from pnmce.paths import find_project

    years = load_evaluation_method(data_dir or find_project().data).evaluation_years(edition)
    return f"Informe de evaluación de resultados {years[-1]}" if years else "Informe de evaluación de resultados"
