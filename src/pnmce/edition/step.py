"""The edition steps of `pnmce build` (called from `book/build.py`, before and after Jupyter Book)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from pnmce.data.package import Catalogue
from pnmce.edition.changes_page import PAGE, changes_markdown
from pnmce.edition.compare import compare
from pnmce.edition.publish import SCRIPT, built_years, edition_pdf, edition_script, publish
from pnmce.edition.record import Record, build_record, recorded_years
from pnmce.fileio import write_if_changed
from pnmce.paths import Project


def previous_year(project: Project, year: int) -> int | None:
    earlier = [y for y in recorded_years(project.editions) if y < year]
    return earlier[-1] if earlier else None


def prepare(project: Project, cat: Catalogue, year: int, table: pd.DataFrame) -> Record:
    """Before the book: the edition's record (in memory), its changes page and its switcher script.

    `table` is the edition's monitoring table (`edition.record.edition_table`), computed once per build."""
    record = build_record(project, cat, table, year)
    before = previous_year(project, year)
    comp = compare((project.editions, before), record) if before is not None else None
    write_if_changed(project.book / f"{PAGE}.md", changes_markdown(year, comp).encode())
    write_if_changed(project.static / SCRIPT, edition_script(year))
    return record


def is_latest(project: Project, year: int) -> bool:
    """Whether `year` is at least as recent as every edition built (then it also goes to `_build/html`)."""
    return all(year >= y for y in built_years(project.build))


def finish(project: Project, record: Record, html: Path) -> None:
    """After a successful book (and its PDF, printed by the build): the committed record, the edition
    folder, the shared list."""
    record.write(project.editions)
    summary = pd.read_csv(io.StringIO(record.files["resumen.csv"]), dtype=str, keep_default_na=False)
    publish(project.build, record.year, html, summary, pdf=edition_pdf(project.build, record.year).is_file())
