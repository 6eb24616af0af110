"""Build engine pieces that need no full build: commit status, Chromium errors, escaping."""

from __future__ import annotations

import subprocess

import pytest

from pnmce.book.build import commit_id
from pnmce.book.pdf import PdfError, print_pdf


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_commit_status_counts_untracked_but_not_ignored_files(tmp_path):
    (tmp_path / ".gitignore").write_text("_build/\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitignore")
    _git(tmp_path, "commit", "-qm", "x")
    clean = commit_id(tmp_path)
    assert clean and "+" not in clean
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "x.html").write_text("ignored")
    assert commit_id(tmp_path) == clean
    (tmp_path / "2025.csv").write_text("untracked")  # what `importar` leaves behind
    assert commit_id(tmp_path) == clean + "+cambios"


def _fake_chromium(tmp_path, body: str):
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(0o755)
    html = tmp_path / "html"
    html.mkdir()
    (html / "portada.html").write_text("<p>x</p>")
    return exe, html


def test_chromium_timeout_ends_with_a_spanish_message(tmp_path):
    exe, html = _fake_chromium(tmp_path, "sleep 5")
    with pytest.raises(PdfError, match="Chromium no terminó de imprimir el libro en 0.5 s"):
        print_pdf(html, "portada", tmp_path / "x.pdf", chromium=str(exe), timeout=0.5)
    assert not (tmp_path / "x.pdf").exists()


def test_chromium_failure_ends_with_a_spanish_message(tmp_path):
    exe, html = _fake_chromium(tmp_path, "echo 'crash' >&2; exit 3")
    with pytest.raises(PdfError, match=r"Chromium no pudo imprimir el libro \(código de salida 3\)"):
        print_pdf(html, "portada", tmp_path / "x.pdf", chromium=str(exe))


def test_chromium_that_cannot_start_ends_with_a_spanish_message(tmp_path):
    exe, html = _fake_chromium(tmp_path, "")
    exe.chmod(0o644)
    with pytest.raises(PdfError, match="No se pudo ejecutar chromium"):
        print_pdf(html, "portada", tmp_path / "x.pdf", chromium=str(exe))


def test_tables_escape_data_once(catalogue):
    from pnmce.present import catalogue_pages as cp
    from pnmce.present import indicator_page as ip

    texts = [t.text for _, t in cp.alignment_tables(catalogue)]
    texts += [cp.glossary_table(catalogue).text, cp.acronyms_table(catalogue).text,
              cp.selected_alternatives_table(catalogue).text, cp.evaluated_alternatives_table(catalogue).text]
    texts += [ip.index_table(catalogue, op).text for op in catalogue.objetivos["id"]]
    for text in texts:
        assert "\\\\" not in text  # an escaped backslash means the cell was escaped twice
    assert "US\\$ millones" in "".join(texts)
