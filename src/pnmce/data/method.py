"""The versioned monitoring method (data/metodo/seguimiento.yml) as a frozen dataclass."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from pnmce.errors import InputError, Problem

METHOD_FILE = Path("metodo") / "seguimiento.yml"
from pnmce.data.rules import UNITS  # noqa: E402 (one home for the units)

FORMULA_KEYS = ("logro_esperado", "sentido", "ascendente", "descendente", "neutral", "casos_especiales")


@dataclass(frozen=True)
class Method:
    """Every parameter of the monitoring method; built only through `method_from_dict`."""

    version: str
    cita: str                       # "CEPLAN, «Guía ...»"
    nota: str
    formulas: Mapping[str, str]     # wording of each formula (read-only)
    tope: float                     # cap of the progress ratio
    aplicar_tope: bool
    verde: float                    # avance_tope >= verde → verde
    amarillo: float                 # avance_tope >= amarillo → amarillo; else rojo
    avance_minimo: float            # alert below this avance_tope
    porcentaje_min: float
    porcentaje_max: float
    no_negativos: tuple[str, ...]   # units that may not be negative
    factor_salto: float             # relative jump factor (> 1)
    factor_lectura_ambigua: float   # intake: an ambiguous number must be this close to the expected value
    tolerancia_pp: float            # numerator/denominator agreement, percentage points
    tolerancia_relativa: float      # numerator/denominator agreement, relative
    indice_descripcion: str
    anio_linea_base: int = 0        # the baseline edition's year (see `is_baseline`)
    regla_linea_base: str = ""      # wording of that rule
    digest: str = ""                # short hash of the file's content (for caches)
    source: str = str(METHOD_FILE)  # file name used in messages

    def cap(self, value: float | None) -> float | None:
        """The capped progress (unchanged when the cap is off or the value is missing)."""
        if value is None or not self.aplicar_tope:
            return value
        return min(value, self.tope)

    def is_baseline(self, year: int) -> bool:
        """Whether `year` is the baseline edition: its obtained values are the published baselines,
        so it presents baselines and targets, with no avance, traffic light or management index."""
        return int(year) == self.anio_linea_base


def method_path(data_dir: Path) -> Path:
    return Path(data_dir) / METHOD_FILE


def load_method(path: Path) -> Method:
    """Read and validate the method file (`path` may be the file or the data/ folder)."""
    path = Path(path)
    if path.is_dir():
        path = method_path(path)
    shown = _shown(path)
    if not path.is_file():
        raise InputError([Problem(shown, "no existe el archivo del método de seguimiento")],
                         "Método de seguimiento no disponible")
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, f"no es un YAML válido en UTF-8 ({exc.__class__.__name__})")],
                         "Método de seguimiento no válido") from None
    return method_from_dict(data, shown, hashlib.sha256(raw).hexdigest()[:12])


def method_from_dict(data: Any, source: str = str(METHOD_FILE), digest: str = "") -> Method:
    """Validate the parsed YAML; every missing or invalid key is reported in Spanish."""
    problems: list[Problem] = []

    def bad(key: str, message: str, value: Any = None) -> None:
        problems.append(Problem(source, message, None, key, None if value is None else str(value)))

    if not isinstance(data, dict):
        raise InputError([Problem(source, "el archivo debe contener un diccionario de claves")],
                         "Método de seguimiento no válido")

    def get(key: str, kind: str = "number", *, minimum: float | None = None,
            maximum: float | None = None) -> Any:
        node: Any = data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                bad(key, "falta la clave")
                return None
            node = node[part]
        if kind == "number":
            if isinstance(node, bool) or not isinstance(node, (int, float)):
                bad(key, "debe ser un número", node)
                return None
            if minimum is not None and node < minimum or maximum is not None and node > maximum:
                bad(key, f"debe estar entre {minimum} y {maximum}", node)
                return None
            return float(node)
        if kind == "text":
            if not isinstance(node, (str, int, float)) or isinstance(node, bool) or str(node).strip() == "":
                bad(key, "debe ser un texto no vacío", node)
                return None
            return str(node).strip()
        if kind == "bool":
            if not isinstance(node, bool):
                bad(key, "debe ser true o false", node)
                return None
            return node
        return node

    version = get("version", "text")
    autor, titulo = get("cita.autor", "text"), get("cita.titulo", "text")
    nota = get("nota", "text")
    formulas = {}
    for name in FORMULA_KEYS:
        formulas[name] = get(f"formulas.{name}", "text")
    if isinstance(data.get("formulas"), dict) and isinstance(data["formulas"].get("semaforo"), str):
        formulas["semaforo"] = data["formulas"]["semaforo"].strip()
    tope = get("tope.valor", minimum=1, maximum=1000)
    aplicar = get("tope.aplicar", "bool")
    verde = get("semaforo.verde", minimum=0, maximum=1000)
    amarillo = get("semaforo.amarillo", minimum=0, maximum=1000)
    avance_minimo = get("alertas.avance_minimo", minimum=0, maximum=1000)
    pmin = get("rango_plausible.porcentaje.minimo")
    pmax = get("rango_plausible.porcentaje.maximo")
    no_neg = get("rango_plausible.no_negativos", "list")
    factor = get("rango_plausible.factor_salto", minimum=1)
    factor_ambiguo = get("rango_plausible.factor_lectura_ambigua", minimum=1)
    tol_pp = get("tolerancia.puntos_porcentuales", minimum=0, maximum=100)
    tol_rel = get("tolerancia.relativa", minimum=0, maximum=1)
    descripcion = get("indice_gestion.descripcion", "text")
    anio_base = get("edicion_linea_base.anio", minimum=2000, maximum=2100)
    regla_base = get("edicion_linea_base.regla", "text")
    if anio_base is not None and anio_base != int(anio_base):
        bad("edicion_linea_base.anio", "debe ser un año entero", anio_base)
        anio_base = None
    for key, expected in (("indice_gestion.nivel", "servicio"), ("indice_gestion.valor", "avance_tope"),
                          ("indice_gestion.agregacion", "media")):
        value = get(key, "text")
        if value is not None and value != expected:
            bad(key, f"el único valor admitido es «{expected}»", value)

    if verde is not None and amarillo is not None and not amarillo < verde:
        bad("semaforo.amarillo", "debe ser menor que el umbral verde", amarillo)
    if tope is not None and verde is not None and verde > tope:
        bad("semaforo.verde", "no puede superar el tope", verde)
    if pmin is not None and pmax is not None and not pmin < pmax:
        bad("rango_plausible.porcentaje.maximo", "debe ser mayor que el mínimo", pmax)
    if no_neg is not None:
        if not isinstance(no_neg, list) or any(u not in UNITS for u in no_neg):
            bad("rango_plausible.no_negativos", "debe ser una lista de unidades: " + ", ".join(UNITS), no_neg)
            no_neg = None

    if problems:
        raise InputError(problems, "Método de seguimiento no válido")
    return Method(
        version=version, cita=f"{autor}, «{titulo}»", nota=nota,
        formulas=MappingProxyType(formulas), tope=tope, aplicar_tope=aplicar,
        verde=verde, amarillo=amarillo, avance_minimo=avance_minimo,
        porcentaje_min=pmin, porcentaje_max=pmax, no_negativos=tuple(no_neg),
        factor_salto=factor, factor_lectura_ambigua=factor_ambiguo, tolerancia_pp=tol_pp, tolerancia_relativa=tol_rel,
        indice_descripcion=descripcion, anio_linea_base=int(anio_base), regla_linea_base=regla_base,
        digest=digest, source=source,
    )


def _shown(path: Path) -> str:
    """`data/metodo/seguimiento.yml` rather than an absolute path, when possible."""
    parts = path.parts
    if "data" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("data"):])
    return path.name
