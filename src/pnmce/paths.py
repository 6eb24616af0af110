"""Where things live in a project checkout (or in a copy of one, for tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DOWNLOADS = "datos"  # folder of the downloads inside `_static/`


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def datapackage(self) -> Path:
        return self.data / "datapackage.json"

    @property
    def editions(self) -> Path:
        """Committed record of each edition (`AAAA/`, see `pnmce.edition.record`), for diffs."""
        return self.root / "ediciones"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def generated(self) -> Path:
        """Executed notebooks and downloads: inside the book tree, ignored by git."""
        return self.book / "generado"

    @property
    def static(self) -> Path:
        return self.book / "_static"

    @property
    def downloads(self) -> Path:
        """The readers' downloads (`_static/datos/`): tables, digests, report, findings."""
        return self.static / DOWNLOADS

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"


def find_project(start: Path | None = None) -> Project:
    """The nearest folder upwards holding `_config.yml` and `data/` (or $PNMCE_ROOT)."""
    if os.environ.get("PNMCE_ROOT"):
        return Project(Path(os.environ["PNMCE_ROOT"]).resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "data" / "datapackage.json").is_file():
            return Project(folder)
    raise FileNotFoundError(
        f"No se encontró el proyecto (_config.yml y data/datapackage.json) desde {here}"
    )
