"""The downloads of an edition form a Frictionless data package with declared types (issue 17, item 7)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from frictionless import validate

from pnmce.book.build import write_data_files
from pnmce.book.datapackage import NAME, PackageError, package_descriptor, write_package
from pnmce.data import load_valid_catalogue
from pnmce.edition.record import edition_table
from tests.conftest import copy_project


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    """The 2024 downloads of a copy of the project, written as the build writes them (no book)."""
    project = copy_project(tmp_path_factory.mktemp("descargas"))
    cat = load_valid_catalogue(project.data)
    write_data_files(project, cat, 2024, edition_table(cat, project.data, project.editions, 2024))
    return project, cat, project.static / "datos"


def test_downloads_validate_as_a_data_package_with_declared_types(downloads):
    project, cat, folder = downloads
    descriptor = json.loads((folder / NAME).read_text(encoding="utf-8"))
    report = validate(str(folder / NAME))
    assert report.valid, report.flatten(["resourcePath", "type", "note"])[:10]
    # every download of the edition is a resource: nothing a user downloads is left undescribed
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != NAME}
    assert {r["path"] for r in descriptor["resources"]} == files
    tables = [r for r in descriptor["resources"] if r["type"] == "table"]
    assert sum(r["path"].startswith("indicadores/") for r in tables) == len(cat.indicadores)
    assert sum(r["format"] == "xlsx" for r in tables) == 4  # the report's three sheets and the annex
    for resource in tables:
        for field in resource["schema"]["fields"]:  # declared in the descriptor, not inferred by the reader
            assert field["type"] in {"string", "integer", "number"}, (resource["name"], field)
            assert len(field["description"]) > 15, (resource["name"], field["name"])
        if resource["format"] == "csv":
            with open(folder / resource["path"], encoding="utf-8") as f:
                assert next(csv.reader(f)) == [fd["name"] for fd in resource["schema"]["fields"]]
    # units: the long series carries each row's unit; an indicator's own file declares it on its value
    op11 = next(r for r in tables if r["path"] == "indicadores/OP1.1.csv")
    value = next(fd for fd in op11["schema"]["fields"] if fd["name"] == "valor")
    assert value["unidad"] == "US$ millones" and "US$ millones" in value["description"]
    with open(folder / "series.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["unidad"] for r in rows if r["indicador"] == "OP1.1"} == {"US$ millones"}
    assert descriptor["licenses"] and "MINCETUR" in descriptor["sources"][0]["title"]


def test_a_value_that_breaks_its_declared_type_fails_validation(downloads, tmp_path):
    """The types are checked, not guessed: a text in a number column is a type error (with the package
    rewritten so that the file's hash matches)."""
    project, cat, folder = downloads
    copy = tmp_path / "datos"
    shutil.copytree(folder, copy)
    path = copy / "indicadores" / "OP1.1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = "veinte mil"  # valor
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_package(copy, cat, 2024, project.data)
    report = validate(str(copy / NAME))
    assert not report.valid
    failing = {t.name: [(e.type, e.field_name) for e in t.errors] for t in report.tasks if not t.valid}
    assert failing == {"serie-op1.1": [("type-error", "valor")]}


def test_a_column_without_a_description_stops_with_a_spanish_message(downloads, tmp_path):
    project, cat, folder = downloads
    (tmp_path / "series.csv").write_text("indicador,anio,color\nOP1.1,2024,azul\n", encoding="utf-8")
    message = "La columna «color» de la descarga series.csv no tiene tipo ni descripción"
    with pytest.raises(PackageError, match=message):
        package_descriptor(tmp_path, cat, 2024, project.data)
