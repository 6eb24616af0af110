"""What changed between two editions, from their records (pandas merges, no hand-written differ).

One long table, a row per change: `seccion, indicador, anio, campo, antes, ahora`. The sections:
- `indicador`: the obtained value, progress or status of an indicator changed;
- `alerta nueva` / `alerta resuelta`: an alert that appears / disappears;
- `valor revisado`: an observed value of a year the older edition already covered changed
  (or appeared, or was removed) in the newer one;
- `catalogo`: an indicator added or removed, or its name, unit, direction, objective or service changed;
- `meta`: a baseline or target added, removed or changed.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pnmce.edition.record import CATALOGUE, OBSERVED, SUMMARY, TARGETS, Record, read_frame

COLUMNS = ["seccion", "indicador", "anio", "campo", "antes", "ahora"]
SECTIONS = {
    "indicador": "Indicadores cuyo valor obtenido, avance o semáforo cambió",
    "alerta nueva": "Alertas nuevas",
    "alerta resuelta": "Alertas resueltas",
    "valor revisado": "Valores observados de años anteriores revisados",
    "catalogo": "Cambios en el catálogo de indicadores",
    "meta": "Cambios en líneas de base y logros esperados",
}
INDICATOR_FIELDS = ["valor_obtenido", "avance", "semaforo"]
LABELS = {"valor_obtenido": "valor obtenido", "avance": "avance", "semaforo": "semáforo"}
CATALOGUE_FIELDS = ["nombre", "unidad", "sentido", "objetivo", "servicio"]
ABSENT = "(no existe)"


def frames(source: Record | tuple[Path, int], name: str) -> pd.DataFrame:
    """A record file as text columns, from a computed `Record` or from `(ediciones_dir, year)`."""
    if isinstance(source, Record):
        return pd.read_csv(io.StringIO(source.files[name]), dtype=str, keep_default_na=False)
    return read_frame(source[0], source[1], name)


def _year(source) -> int:
    return source.year if isinstance(source, Record) else int(source[1])


def _merge(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return a.merge(b, on=keys, how="outer", suffixes=("_a", "_b"), indicator=True, sort=True)


def _rows(section: str, frame: pd.DataFrame, field: str, before: str, after: str, year: str | None = None):
    return pd.DataFrame({"seccion": section, "indicador": frame["indicador"],
                         "anio": frame[year] if year else "", "campo": field,
                         "antes": frame[before], "ahora": frame[after]}, columns=COLUMNS)


def _indicators(a: pd.DataFrame, b: pd.DataFrame) -> list[pd.DataFrame]:
    both = _merge(a, b, ["indicador"])
    both = both[both["_merge"] == "both"]  # added/removed indicators are catalogue changes
    return [_rows("indicador", both[both[f"{f}_a"] != both[f"{f}_b"]], f, f"{f}_a", f"{f}_b") for f in INDICATOR_FIELDS]


def _alerts(a: pd.DataFrame, b: pd.DataFrame) -> list[pd.DataFrame]:
    def long(s):
        out = s[["indicador", "alertas"]].assign(alerta=s["alertas"].str.split("; ")).explode("alerta")
        return out[out["alerta"].fillna("") != ""][["indicador", "alerta"]].drop_duplicates()
    m = _merge(long(a), long(b), ["indicador", "alerta"])
    new, gone = m[m["_merge"] == "right_only"], m[m["_merge"] == "left_only"]
    return [pd.DataFrame({"seccion": "alerta nueva", "indicador": new["indicador"], "anio": "", "campo": "alertas",
                          "antes": "", "ahora": new["alerta"]}, columns=COLUMNS),
            pd.DataFrame({"seccion": "alerta resuelta", "indicador": gone["indicador"], "anio": "", "campo": "alertas",
                          "antes": gone["alerta"], "ahora": ""}, columns=COLUMNS)]


def _revisions(a: pd.DataFrame, b: pd.DataFrame, year_a: int) -> list[pd.DataFrame]:
    b = b[b["anio"].astype(int) <= year_a]
    m = _merge(a, b, ["indicador", "anio"])
    m["valor_a"] = m["valor_a"].where(m["_merge"] != "right_only", ABSENT)
    m["valor_b"] = m["valor_b"].where(m["_merge"] != "left_only", ABSENT)
    return [_rows("valor revisado", m[m["valor_a"] != m["valor_b"]], "valor", "valor_a", "valor_b", "anio")]


def _catalogue(a: pd.DataFrame, b: pd.DataFrame) -> list[pd.DataFrame]:
    m = _merge(a, b, ["indicador"])
    out = []
    for kind, before, after in (("left_only", "nombre_a", None), ("right_only", None, "nombre_b")):
        sub = m[m["_merge"] == kind]
        out.append(pd.DataFrame({"seccion": "catalogo", "indicador": sub["indicador"], "anio": "",
                                 "campo": "indicador", "antes": sub[before] if before else ABSENT,
                                 "ahora": sub[after] if after else ABSENT}, columns=COLUMNS))
    both = m[m["_merge"] == "both"]
    out += [_rows("catalogo", both[both[f"{f}_a"] != both[f"{f}_b"]], f, f"{f}_a", f"{f}_b") for f in CATALOGUE_FIELDS]
    return out


def _targets(a: pd.DataFrame, b: pd.DataFrame) -> list[pd.DataFrame]:
    m = _merge(a, b, ["indicador", "tipo", "anio"])
    m["valor_a"] = m["valor_a"].where(m["_merge"] != "right_only", ABSENT)
    m["valor_b"] = m["valor_b"].where(m["_merge"] != "left_only", ABSENT)
    changed = m[m["valor_a"] != m["valor_b"]]
    return [_rows("meta", changed, changed["tipo"].tolist() if len(changed) else "", "valor_a", "valor_b", "anio")]


@dataclass(frozen=True)
class Comparison:
    before: int
    after: int
    changes: pd.DataFrame  # COLUMNS, sorted

    def counts(self) -> dict[str, int]:
        """Changes per section (every section listed); `indicador` counts indicators, not fields."""
        c = self.changes
        out = {s: int((c["seccion"] == s).sum()) for s in SECTIONS}
        out["indicador"] = int(c.loc[c["seccion"] == "indicador", "indicador"].nunique())
        return out

    def section(self, name: str) -> pd.DataFrame:
        return self.changes[self.changes["seccion"] == name].reset_index(drop=True)


def compare(before: Record | tuple[Path, int], after: Record | tuple[Path, int]) -> Comparison:
    """Compare the older edition `before` with `after`."""
    year_a = _year(before)
    parts = (_indicators(frames(before, SUMMARY), frames(after, SUMMARY))
             + _alerts(frames(before, SUMMARY), frames(after, SUMMARY))
             + _revisions(frames(before, OBSERVED), frames(after, OBSERVED), year_a)
             + _catalogue(frames(before, CATALOGUE), frames(after, CATALOGUE))
             + _targets(frames(before, TARGETS), frames(after, TARGETS)))
    parts = [p for p in parts if len(p)]
    changes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    order = {s: i for i, s in enumerate(SECTIONS)}
    changes = changes.astype(str)
    changes = changes.assign(_o=changes["seccion"].map(order)).sort_values(
        ["_o", "indicador", "anio", "campo", "antes", "ahora"], kind="stable").drop(columns="_o")
    return Comparison(year_a, _year(after), changes.reset_index(drop=True))


# ------------------------------------------------------------------ output

def as_csv(comp: Comparison) -> str:
    return comp.changes.to_csv(index=False, lineterminator="\n")


def as_json(comp: Comparison) -> str:
    data = {"edicion_anterior": comp.before, "edicion": comp.after, "conteos": comp.counts(),
            "cambios": comp.changes.to_dict(orient="records")}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _shown(value: str) -> str:
    return value if value != "" else "(vacío)"


def as_text(comp: Comparison) -> str:
    """Counts first, then the details of each section that has changes (Spanish)."""
    counts = comp.counts()
    lines = [f"Cambios de la edición {comp.before} a la edición {comp.after}", ""]
    for key, title in SECTIONS.items():
        lines.append(f"  {title}: {counts[key]}")
    if not len(comp.changes):
        lines += ["", "No hay cambios."]
    for key, title in SECTIONS.items():
        part = comp.section(key)
        if part.empty:
            continue
        lines += ["", f"{title}:"]
        if key == "indicador":
            for ident, group in part.groupby("indicador", sort=True):
                group = group.set_index("campo").reindex([f for f in INDICATOR_FIELDS if f in set(group["campo"])])
                detail = "; ".join(f"{LABELS[f]}: {_shown(r.antes)} → {_shown(r.ahora)}" for f, r in group.iterrows())
                lines.append(f"  - {ident}: {detail}")
        elif key.startswith("alerta"):
            lines += [f"  - {r.indicador}: {r.ahora or r.antes}" for r in part.itertuples()]
        else:
            for r in part.itertuples():
                where = f" ({r.anio})" if r.anio else ""
                lines.append(f"  - {r.indicador}{where}, {r.campo}: {_shown(r.antes)} → {_shown(r.ahora)}")
    return "\n".join(lines) + "\n"
