"""One build at a time in a project, and the cleanup of what a killed build left behind.

A build holds an exclusive lock on `_build/.construccion.lock` (`filelock`, an `flock` on Unix:
the kernel releases it when the process dies, so a killed build never leaves a stale lock). A
second build started meanwhile in the same folder (a double click, two terminals) says so in
Spanish and waits; after `wait` seconds it gives up without touching anything.

Once the lock is held no other build runs, so whatever looks like a build in progress is the
leftover of a killed one and is removed (`leftovers`): published-tree versions that the
`html` link does not point to (`pnmce.swap`), and the temporary files of atomic writes.
A Sphinx staging folder that a killed build left half-written is discarded by
`pnmce.book.build.jupyter_book` itself (its «incomplete» mark).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pnmce.edition.publish import editions_root
from pnmce.paths import Project
from pnmce.swap import stray_versions

LOCK = ".construccion.lock"
WAIT = 3600.0  # seconds a second build waits by default
WAITING = "Otra construcción está en curso en esta carpeta; esperando a que termine…"


class BuildBusy(Exception):
    """Another build kept the lock for longer than the wait; the message is in Spanish."""


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def build_lock(build_dir: Path, wait: float | None = WAIT,
               on_wait: Callable[[str], None] = _tell) -> Iterator[None]:
    """Hold the build lock of `build_dir`; when another build holds it, call `on_wait` once and
    wait up to `wait` seconds (`None`: without limit), then raise `BuildBusy`."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    # kept on release: deleting a lock file lets a third build lock a new file while a second one
    # still waits on the old one
    lock = FileLock(build_dir / LOCK, thread_local=False, preserve_lock_file=True)
    try:
        lock.acquire(blocking=False)
    except Timeout:
        on_wait(WAITING)
        try:
            lock.acquire(timeout=-1 if wait is None else max(wait, 0), poll_interval=0.2)
        except Timeout:
            raise BuildBusy(f"Otra construcción sigue en curso en {build_dir.parent} tras {wait:g} s de espera; "
                            "no se hizo nada. Vuelva a intentarlo cuando termine.") from None
    try:
        yield
    finally:
        lock.release()


def _temporary_files(folder: Path) -> list[Path]:
    """Temporary files of atomic writes (`.NAME.….tmp`, `pnmce.fileio`) and Sphinx's `NAME.tmp`."""
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*.tmp") if p.is_file() or p.is_symlink()]


def leftovers(project: Project) -> list[Path]:
    """What a killed build left behind (call with the lock held): stray published-tree versions
    next to `_build/html` and each `_build/ediciones/AAAA/html`, and temporary files under the
    folders a build writes."""
    found = stray_versions(project.html)
    editions = editions_root(project.build)
    if editions.is_dir():
        for folder in sorted(p for p in editions.iterdir() if p.is_dir() and not p.is_symlink()):
            found += stray_versions(folder / "html")
    for folder in (project.build, project.generated, project.static, project.editions):
        found += _temporary_files(folder)
    return sorted(set(found))


def remove_leftovers(project: Project) -> list[Path]:
    """Delete `leftovers(project)` and return them."""
    removed = leftovers(project)
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return removed
