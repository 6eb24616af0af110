"""The edition record, `ediciones/AAAA/`: what a reviewer diffs in git before approving an edition.

Plain files, sorted rows, machine numbers (shortest exact decimal, point separator), no timestamps:

- `resumen.csv`: one row per indicator: expected, obtained, progress (raw and capped), status, alerts;
- `observado.csv`: the observed series the edition used (every year up to its own);
- `catalogo.csv` and `metas.csv`: the indicators (names, units, direction) and their targets;
- `control-calidad.csv`: the quality findings on the published values;
- `manifiesto.json`: SHA-256 of every input file, package versions (requirements.lock), the
  record files' SHA-256.

Every byte is a function of the inputs: the record changes only when the edition does. The code
commit that built it is provenance of the site (the page footer, `pnmce.book.sphinx_offline`), not
part of the record: a commit that changes nothing here leaves the record untouched.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pnmce.data.csvfile import read_text_csv
from pnmce.data.method import Method, load_method
from pnmce.data.observed import check_policy_year, observed_until, plain_number
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.fileio import write_if_changed
from pnmce.metrics.compliance import monitoring_table
from pnmce.paths import Project
from pnmce.present.findings import findings

SUMMARY = "resumen.csv"
OBSERVED = "observado.csv"
CATALOGUE = "catalogo.csv"
TARGETS = "metas.csv"
QUALITY = "control-calidad.csv"
MANIFEST = "manifiesto.json"
FILES = [SUMMARY, OBSERVED, CATALOGUE, TARGETS, QUALITY, MANIFEST]

SUMMARY_COLUMNS = ["indicador", "anio", "valor_esperado", "valor_obtenido", "avance", "avance_tope",
                   "semaforo", "alertas"]
CATALOGUE_COLUMNS = ["indicador", "objetivo", "servicio", "nombre", "unidad", "sentido"]
OBSERVED_COLUMNS = ["indicador", "anio", "valor", "numerador", "denominador"]


def record_dir(editions_dir: Path, year: int) -> Path:
    return Path(editions_dir) / str(int(year))


def recorded_years(editions_dir: Path) -> list[int]:
    """Years that have a committed record (`ediciones/AAAA/resumen.csv`)."""
    return sorted(int(p.parent.name) for p in Path(editions_dir).glob(f"*/{SUMMARY}") if p.parent.name.isdigit())


@dataclass(frozen=True)
class Record:
    year: int
    files: dict[str, str]  # file name → text

    def write(self, editions_dir: Path) -> Path:
        folder = record_dir(editions_dir, self.year)
        for name, text in self.files.items():
            write_if_changed(folder / name, text.encode("utf-8"))
        return folder


# ------------------------------------------------------------------ building

def _numbers(series: pd.Series) -> list[str]:
    return [plain_number(None if pd.isna(v) else float(v)) for v in series]


def _csv(frame: pd.DataFrame, keys: list[str]) -> str:
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return frame.to_csv(index=False, lineterminator="\n")


def summary_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The record's summary from the numeric monitoring table (`edition.record.edition_table`)."""
    out = pd.DataFrame({"indicador": table["indicador"].astype(str), "anio": table["anio"].astype(int)})
    for col in ("valor_esperado", "valor_obtenido", "avance", "avance_tope"):
        out[col] = _numbers(table[col])
    out["semaforo"] = table["semaforo"].astype(str)
    out["alertas"] = table["alertas"].fillna("").astype(str)
    return out[SUMMARY_COLUMNS]


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def catalogue_frame(cat: Catalogue) -> pd.DataFrame:
    ind = cat.indicadores
    return pd.DataFrame({"indicador": _text(ind["id"]), **{c: _text(ind[c]) for c in CATALOGUE_COLUMNS[1:]}})


def targets_frame(cat: Catalogue) -> pd.DataFrame:
    m = cat.metas
    return pd.DataFrame({"indicador": _text(m["indicador"]), "tipo": _text(m["tipo"]),
                         "anio": m["anio"].astype(int), "valor": _numbers(pd.to_numeric(m["valor"], errors="coerce"))})


def observed_frame(observed: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"indicador": _text(observed["indicador"]), "anio": observed["anio"].astype(int)})
    for col in ("valor", "numerador", "denominador"):
        out[col] = _numbers(pd.to_numeric(observed[col], errors="coerce")) if col in observed else ""
    return out[OBSERVED_COLUMNS]


def input_files(project: Project, year: int) -> list[Path]:
    """What an edition reads: every file under `data/` and the summaries of earlier editions."""
    files = [p for p in sorted(project.data.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    files += [record_dir(project.editions, y) / SUMMARY for y in recorded_years(project.editions) if y < year]
    return files


def locked_packages(root: Path) -> dict[str, str]:
    """name → version of `requirements.lock` (empty when the file is missing)."""
    lock = Path(root) / "requirements.lock"
    if not lock.is_file():
        return {}
    out = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[name.strip().lower()] = version.strip()
    return dict(sorted(out.items()))


def manifest(project: Project, year: int, files: dict[str, str]) -> dict:
    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
    return {
        "edicion": int(year),
        "entradas": {p.relative_to(project.root).as_posix(): sha(p.read_bytes()) for p in input_files(project, year)},
        "paquetes": locked_packages(project.root),
        "registro": {name: sha(text.encode("utf-8")) for name, text in sorted(files.items())},
    }


def build_record(project: Project, cat: Catalogue, table: pd.DataFrame, year: int) -> Record:
    """The record of edition `year` from its monitoring table and inputs (nothing is written)."""
    files = {
        SUMMARY: _csv(summary_frame(table), ["indicador"]),
        OBSERVED: _csv(observed_frame(observed_until(project.data, year)), ["indicador", "anio"]),
        CATALOGUE: _csv(catalogue_frame(cat), ["indicador"]),
        TARGETS: _csv(targets_frame(cat), ["indicador", "tipo", "anio"]),
        QUALITY: findings(read_catalogue(project.data, corrections=False)).to_csv(index=False, lineterminator="\n"),
    }
    files[MANIFEST] = json.dumps(manifest(project, year, files), ensure_ascii=False, indent=1,
                                 sort_keys=False) + "\n"
    return Record(int(year), files)


def edition_record(project: Project, year: int) -> Record:
    """Compute the record of `year` from the project's inputs (validates the data first)."""
    from pnmce.data import load_valid_catalogue

    cat = load_valid_catalogue(project.data)
    return build_record(project, cat, edition_table(cat, project.data, project.editions, year), year)


# ------------------------------------------------------------------ reading

def read_frame(editions_dir: Path, year: int, name: str) -> pd.DataFrame:
    """A record file as text columns (missing values as empty text)."""
    path = record_dir(editions_dir, year) / name
    if not path.is_file():
        raise FileNotFoundError(f"No existe el registro de la edición {year}: falta {path}")
    return read_text_csv(path)


def previous_observed(editions_dir: Path, year: int) -> pd.DataFrame | None:
    """indicador, anio, valor as earlier editions published them (for the «valor revisado» alert)."""
    frames = []
    for y in recorded_years(editions_dir):
        if y < year:
            s = read_frame(editions_dir, y, SUMMARY)
            frames.append(pd.DataFrame({"indicador": s["indicador"], "anio": s["anio"].astype(int),
                                        "valor": pd.to_numeric(s["valor_obtenido"].replace("", None)).astype("float64")}))
    return pd.concat(frames, ignore_index=True) if frames else None


def edition_table(cat: Catalogue, data_dir: Path, editions_dir: Path, year: int,
                  method: Method | None = None) -> pd.DataFrame:
    """The monitoring table of edition `year`, with the values earlier editions published (for the
    «valor revisado» alert). The build computes it once and hands it to the record and the pages."""
    check_policy_year(cat, year)
    method = method or load_method(data_dir)
    return monitoring_table(cat, observed_until(data_dir, year), year, method,
                            previous=previous_observed(editions_dir, year))


# ------------------------------------------------------------------ verifying

def verify(project: Project, year: int, record: Record | None = None, context: int = 8) -> list[str]:
    """Differences between the committed `ediciones/AAAA/` and what the inputs produce (Spanish)."""
    record = record or edition_record(project, year)
    folder = record_dir(project.editions, year)
    problems = []
    for name, text in record.files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: falta (la construcción lo escribiría)")
            continue
        old, new = path.read_text(encoding="utf-8"), text
        if old != new:
            lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "registrado", "calculado",
                                              n=0, lineterm=""))
            shown = "\n".join("      " + line for line in lines[2:2 + context])
            more = f"\n      … ({len(lines) - 2 - context} línea(s) más)" if len(lines) - 2 > context else ""
            problems.append(f"{path}: no coincide con lo que producen los datos\n{shown}{more}")
    extra = sorted(p.name for p in folder.glob("*") if p.is_file() and p.name not in record.files)
    problems += [f"{folder / name}: archivo que el registro no contiene" for name in extra]
    return problems
