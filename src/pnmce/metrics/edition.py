"""One monitoring edition: the compliance table of a year, from the stored inputs.

The build and the report pages both call `edition_table`, so the digest and the book agree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pnmce.data.observed import observed_until
from pnmce.data.package import Catalogue
from pnmce.metrics.compliance import monitoring_table, read_digest, write_digest
from pnmce.metrics.method import Method, load_method

EDITIONS_DIR = "ediciones"


def digest_name(year: int) -> str:
    return f"seguimiento-{int(year)}.csv"


def previous_digests(editions_dir: Path, year: int) -> pd.DataFrame | None:
    """Observed values as earlier editions published them (for the «valor revisado» alert)."""
    frames = [read_digest(p) for p in sorted(Path(editions_dir).glob("seguimiento-*.csv"))
              if p.stem.split("-")[-1].isdigit() and int(p.stem.split("-")[-1]) < year]
    return pd.concat(frames, ignore_index=True) if frames else None


def edition_table(cat: Catalogue, data_dir: Path, editions_dir: Path, year: int,
                  method: Method | None = None) -> pd.DataFrame:
    method = method or load_method(data_dir)
    return monitoring_table(cat, observed_until(data_dir, year), year, method,
                            previous=previous_digests(editions_dir, year))


def write_edition_digest(table: pd.DataFrame, year: int, *folders: Path) -> list[Path]:
    return [write_digest(table, Path(folder) / digest_name(year)) for folder in folders]
