"""Shared fixtures. Test data that is not the policy's lives in tests/fixtures/ and says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pnmce.data import load_valid_catalogue
from pnmce.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def catalogue(project):
    return load_valid_catalogue(project.data)


def copy_project(dest: Path) -> Project:
    """A copy of the project's inputs (no venv, no build output) to build or break safely."""
    for name in ("data", "notebooks", "book", "ediciones", "_config.yml", "_toc.yml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name,
                            ignore=shutil.ignore_patterns("generado", "datos", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return Project(dest)


@pytest.fixture
def data_copy(tmp_path) -> Project:
    """A writable copy of data/ only, for tests that break it on purpose."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return Project(tmp_path)


# The built books are shared by the build, browser and edition tests (each built once per session).
from tests.books import built, edition_2026  # noqa: E402,F401


def bibliography_keys(data_dir: Path) -> set[str]:
    """The keys of the book's bibliography (chapter 8)."""
    from pybtex.database import parse_file

    return set(parse_file(str(data_dir / "referencias" / "bibliografia.bib")).entries)
