"""What a notebook run read, recorded inside the kernel.

The data access points (`Catalogue` tables, `pnmce.present.page` loaders) call `record(kind,
arg)`; the engine resets the set before each notebook and dumps it after. The host then hashes
each recorded input (`pnmce.execute.inputs`), so a run is re-executed only when one of its own
inputs changed. Kept free of heavy imports: every notebook imports it.
"""

from __future__ import annotations

import json

# The kinds of input a notebook can record (the host digests each: `pnmce.execute.inputs`).
TABLE = "tabla"                       # a catalogue table, by name
PUBLISHED_TABLE = "tabla-publicada"   # a table as the policy published it (before corrections)
DATA_VERSION = "datos"                # the version of all the data
OBSERVED = "observado"                # observed values up to a year (`AAAA` or `AAAA/indicador`)
MONITORING = "seguimiento"            # the monitoring table of an edition (`AAAA` or `AAAA/indicador`)
HISTORY = "historial"                 # one indicator's monitoring series up to a year (`AAAA/indicador`)
FILE = "archivo"                      # a file, by its path in the project
KINDS = (TABLE, PUBLISHED_TABLE, DATA_VERSION, OBSERVED, MONITORING, HISTORY, FILE)

_read: set[tuple[str, str]] = set()


def record(kind: str, arg: object = "") -> None:
    _read.add((kind, str(arg)))


def reset() -> None:
    _read.clear()


def recorded() -> list[tuple[str, str]]:
    return sorted(_read)


def dump(path: str) -> None:
    """Write what was read since the last `reset` (a sorted JSON list of [kind, arg])."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(recorded(), f)
