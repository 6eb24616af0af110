"""Builds that leave git clean, never collide, and recover from a killed build (`pnmce.book.lock`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pnmce.book.lock import LOCK, WAITING, build_lock, leftovers, remove_leftovers
from pnmce.paths import Project
from tests.conftest import ROOT
from tests.test_sphinx_run import small_book  # noqa: F401


def _pnmce(cwd: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pnmce", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ the lock (no book built)

def test_a_second_build_says_it_waits_and_gives_up_after_the_wait_writing_nothing(data_copy):
    project = data_copy
    (project.root / "_config.yml").write_text("")
    with build_lock(project.build, on_wait=pytest.fail):  # free: taken without waiting
        before = sorted(p.name for p in project.root.rglob("*"))
        second = _pnmce(project.root, "build", "--espera", "1")
        out, err = second.communicate(timeout=120)
    assert second.returncode != 0
    assert WAITING in err
    assert "Otra construcción sigue en curso" in err and "tras 1 s de espera; no se hizo nada" in err
    assert sorted(p.name for p in project.root.rglob("*")) == before  # nothing written


def test_a_waiting_build_goes_on_when_the_first_one_ends(tmp_path):
    """The lock is held by another process (the first build); the second waits, says so once,
    and gets the lock only after the first released it."""
    released = tmp_path / "liberado"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pnmce.book.lock import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n"
        "    print('tomado', flush=True); time.sleep(1.5); Path(sys.argv[2]).write_text('x')\n"),
        str(tmp_path / "_build"), str(released)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "tomado"
    told = []
    with build_lock(tmp_path / "_build", wait=120, on_wait=told.append):
        assert released.is_file()
    assert told == [WAITING]
    assert holder.wait(timeout=60) == 0


def test_leftovers_of_a_killed_build_are_found_and_only_they(tmp_path):
    project = Project(tmp_path)
    build = project.build
    for folder in (build / ".html-2", build / ".html-1", build / ".html-3", build / "ediciones" / "2026" / ".html-1",
                   build / "ediciones" / "2025" / ".html-4", build / "ediciones" / "2025" / ".html-5",
                   build / ".staging" / "_build" / "html"):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("x")
    (build / "html").symlink_to(".html-2")
    (build / ".html.enlace").symlink_to(".html-3")
    (build / "ediciones" / "2025" / "html").symlink_to(".html-5")
    (build / LOCK).write_text("")
    (build / ".staging" / "_build" / "html" / "searchindex.js.tmp").write_text("x")
    (project.editions / "2024").mkdir(parents=True)
    (project.editions / "2024" / "resumen.csv").write_text("x")
    (project.editions / "2024" / ".resumen.csv.k3j2.tmp").write_text("x")
    (project.generated / "cap5").mkdir(parents=True)
    (project.generated / "cap5" / ".reporte.ipynb.a1.tmp").write_text("x")
    (project.static / "datos").mkdir(parents=True)
    (project.static / "datos" / ".reporte-seguimiento-2026.xlsx.tmp").write_text("x")
    expected = sorted([build / ".html-1", build / ".html-3", build / ".html.enlace",
                       build / "ediciones" / "2026" / ".html-1", build / "ediciones" / "2025" / ".html-4",
                       build / ".staging" / "_build" / "html" / "searchindex.js.tmp",
                       project.editions / "2024" / ".resumen.csv.k3j2.tmp",
                       project.generated / "cap5" / ".reporte.ipynb.a1.tmp",
                       project.static / "datos" / ".reporte-seguimiento-2026.xlsx.tmp"])
    assert leftovers(project) == expected
    assert remove_leftovers(project) == expected
    assert leftovers(project) == []
    assert (build / "html" / "index.html").is_file()
    assert (build / "ediciones" / "2025" / "html" / "index.html").is_file()
    assert (project.editions / "2024" / "resumen.csv").is_file() and (build / LOCK).is_file()


def test_a_staging_tree_left_incomplete_is_discarded_and_a_complete_one_reused(small_book):  # noqa: F811 (the fixture)
    """Sphinx killed mid-way leaves an environment claiming pages it never wrote: the next run
    starts from an empty staging folder. A run that ended keeps its environment (incremental)."""
    from pnmce.book.build import INCOMPLETE, jupyter_book

    html = jupyter_book(small_book, jobs=1)
    staging = small_book.build / ".staging"
    assert not (staging / INCOMPLETE).exists()
    written = (html / "p1.html").stat().st_mtime_ns
    html = jupyter_book(small_book, jobs=1)
    assert (html / "p1.html").stat().st_mtime_ns == written  # reused: not rewritten
    (staging / INCOMPLETE).touch()  # what a killed run leaves
    (html / "p1.html").write_text("a medias")  # a page the killed run was writing (newer than its source)
    html = jupyter_book(small_book, jobs=1)
    assert "Capítulo 1" in (html / "p1.html").read_text(encoding="utf-8")
    assert not (staging / INCOMPLETE).exists()


# ------------------------------------------------------------------ with the session's book

def _copy_built(built, dest: Path) -> Project:
    shutil.copytree(built[0].root, dest, symlinks=True)
    return Project(dest)


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_a_build_in_a_fresh_clone_leaves_git_status_clean(built, tmp_path):
    """A clone of the repository's commit, with the session's build outputs (ignored files) in it:
    building leaves `git status` clean (nothing written outside .gitignore, the record unchanged)
    and the footer names the commit without «+cambios»."""
    from pnmce.book.build import build
    from pnmce.execute.executor import LocalExecutor

    dest = tmp_path / "clon"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(dest)], check=True)
    source = built[0].root

    def tracked(folder, names):  # the clone's own files stay as committed; only the outputs are added
        return [n for n in names if (dest / Path(folder).relative_to(source) / n).is_file()]

    shutil.copytree(source, dest, symlinks=True, dirs_exist_ok=True, ignore=tracked)
    git_env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    build(Project(dest), executor=LocalExecutor(workers=2, progress=False))
    status = subprocess.run(["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True, env=git_env)
    assert status.stdout == "", "the build changed files git sees (a stale committed record? pnmce build --verificar)"
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=dest, capture_output=True, text=True,
                          env=git_env).stdout.strip()
    script = (dest / "_build" / "html" / "_static" / "procedencia.js").read_text(encoding="utf-8")
    assert f'"{head}"' in script and "+cambios" not in script


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_two_builds_started_together_both_succeed_one_after_the_other(built, tmp_path):
    project = _copy_built(built, tmp_path / "libro")
    before = _tree(project.html)
    runs = [_pnmce(project.root, "build", "--trabajos", "1") for _ in range(2)]
    results = [(*r.communicate(timeout=1800), r.returncode) for r in runs]
    for out, err, code in results:
        assert code == 0, err
        assert "Edición 2024:" in out
    assert sum(WAITING in err for _, err, _ in results) == 1  # the second waited for the first
    for folder in (project.build, project.build / "ediciones" / "2024"):  # only the published version
        assert sorted(p.name for p in folder.glob(".html*")) == [os.readlink(folder / "html")]
    assert leftovers(project) == []
    assert _tree(project.html) == before


@pytest.mark.build
@pytest.mark.xdist_group("build")
def test_a_killed_build_keeps_the_last_book_and_the_next_one_cleans_up(built, tmp_path):
    from pnmce.book.build import INCOMPLETE, build
    from pnmce.execute.executor import LocalExecutor

    project = _copy_built(built, tmp_path / "libro")
    before = _tree(project.html)
    run = _pnmce(project.root, "build", "--trabajos", "1", start_new_session=True)
    marker = project.build / ".staging" / INCOMPLETE
    while not marker.exists():  # killed while Jupyter Book writes its staging tree
        assert run.poll() is None, run.communicate()[1]
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate()
    assert run.returncode == -signal.SIGKILL
    assert _tree(project.html) == before  # the last good book, intact
    # what a kill at a later moment leaves too: a half-copied published tree, a half-written record file
    stray = project.build / ".html-7"
    (stray / "generado").mkdir(parents=True)
    (stray / "generado" / "portada.html").write_text("a medias")
    half = project.editions / "2024" / ".resumen.csv.x1y2.tmp"
    half.write_text("a medias")
    assert {stray, half} <= set(leftovers(project))
    build(project, executor=LocalExecutor(workers=1, progress=False))
    assert leftovers(project) == [] and not marker.exists()
    assert not stray.exists() and not half.exists()
    assert _tree(project.html) == before  # the Sphinx environment the kill left was discarded, same book
