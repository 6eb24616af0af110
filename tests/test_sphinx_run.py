"""Sphinx in parallel (`pnmce.book.sphinx_run`), on a small book with the project's own configuration."""

from __future__ import annotations

import shutil

import pytest

from pnmce.book.build import BuildError, jupyter_book
from pnmce.paths import Project
from tests.conftest import ROOT

PAGES = 8  # Sphinx reads in parallel only from six documents up


@pytest.fixture
def small_book(tmp_path) -> Project:
    """Our `_config.yml` (all our extensions), the bibliography, favicon and templates it names, and eight small pages."""
    project = Project(tmp_path)
    shutil.copy2(ROOT / "_config.yml", project.config)
    (project.data / "referencias").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "referencias" / "bibliografia.bib", project.data / "referencias")
    project.static.mkdir(parents=True)
    shutil.copy2(ROOT / "book" / "_static" / "favicon.svg", project.static)  # named by _config.yml
    shutil.copytree(ROOT / "book" / "_templates", project.book / "_templates")  # the theme's Spanish labels
    (project.book / "index.md").write_text("# Portada\n\nUn libro pequeño.\n", encoding="utf-8")
    for n in range(1, PAGES + 1):
        (project.book / f"p{n}.md").write_text(f"# {n}. Capítulo {n}\n\n(etiqueta-{n})=\n## Sección\n\nTexto.\n",
                                               encoding="utf-8")
    project.toc.write_text("format: jb-book\nroot: index\nchapters:\n"
                           + "".join(f"  - file: p{n}\n" for n in range(1, PAGES + 1)), encoding="utf-8")
    return project


def test_our_extensions_allow_parallel_reading_and_writing(small_book):
    # An extension that does not declare itself parallel-safe makes Sphinx warn, and a warning fails.
    (small_book.book / "p2.md").write_text("# 2. Capítulo 2\n\nVéase {ref}`etiqueta-7`.\n", encoding="utf-8")
    html = jupyter_book(small_book, jobs=2)
    assert sorted(p.name for p in html.glob("p*.html")) == sorted(f"p{n}.html" for n in range(1, PAGES + 1))
    assert 'href="p7.html#etiqueta-7"' in (html / "p2.html").read_text(encoding="utf-8")


def test_a_warning_in_a_parallel_reader_fails_the_build_and_drops_the_staging(small_book):
    (small_book.book / "p6.md").write_text("# 6. Capítulo 6\n\nVéase {ref}`no-existe`.\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"(?s)Jupyter Book terminó con errores o advertencias:.*p6.*no-existe"):
        jupyter_book(small_book, jobs=2)
    assert not (small_book.build / ".staging").exists()


def test_a_new_commit_rewrites_the_shared_provenance_script_and_no_page(small_book):
    env = {"PNMCE_EDICION": "2024", "PNMCE_DATOS": "d1"}
    html = jupyter_book(small_book, env={**env, "PNMCE_COMMIT": "aaaa1111"})
    page = html / "p1.html"
    before, written = page.read_bytes(), page.stat().st_mtime_ns
    assert b'<code class="pnmce-commit">' in before and b"aaaa1111" not in before
    assert b'src="_static/procedencia.js"' in before
    assert '"aaaa1111"' in (html / "_static" / "procedencia.js").read_text(encoding="utf-8")
    html = jupyter_book(small_book, env={**env, "PNMCE_COMMIT": "bbbb2222+cambios"})
    assert page.read_bytes() == before and page.stat().st_mtime_ns == written  # not rewritten
    script = (html / "_static" / "procedencia.js").read_text(encoding="utf-8")
    assert '"bbbb2222+cambios"' in script and "aaaa1111" not in script
    # the data version is in the pages: changing it rewrites them
    jupyter_book(small_book, env={**env, "PNMCE_DATOS": "d2", "PNMCE_COMMIT": "bbbb2222+cambios"})
    assert b"<code>d2</code>" in page.read_bytes()
