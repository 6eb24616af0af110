"""Quality control of the reference chapters: what the book repaired in the policy's bibliography
and which wrong acronym expansions it corrected (those come through QC14, correcciones.csv).

Each row of `bibliografia_reparaciones` becomes a QC21 finding, so the annex lists every broken
address repaired and every duplicate entry merged, published value → repaired value.
"""

from __future__ import annotations

from pnmce.data.package import Catalogue


def reference_repairs(cat: Catalogue, finding) -> list[dict]:
    """QC21 findings; `finding` is qc._finding (passed in to keep one definition of a row)."""
    repairs = cat.tables.get("bibliografia_reparaciones")
    if repairs is None:
        return []
    out = []
    for r in repairs.itertuples(index=False):
        published = r.valor_publicado or "(vacío)"
        repaired = r.valor_reparado or "(se quita)"
        text = f"Referencia {r.clave}, «{r.campo}»: publicado «{published}» → «{repaired}». Motivo: {r.motivo}"
        out.append(finding("QC21", "referencia", r.clave, text, r.procedencia))
    return out
