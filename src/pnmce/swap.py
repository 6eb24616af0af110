"""Publish a built HTML tree as `_build/html` without copying it and without a moment without it.

`_build/html` is a symbolic link to a versioned folder (`_build/.html-N`). A new tree is made of
hard links to the published files that did not change and copies of those that did (the staging
tree stays private: Sphinx rewrites its files in place on the next build), then the link is
replaced atomically and the previous folder removed.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from pathlib import Path


def _next_folder(target: Path) -> Path:
    n = 0
    while True:
        n += 1
        candidate = target.with_name(f".{target.name}-{n}")
        if not candidate.exists():
            return candidate


def stray_versions(target: Path) -> list[Path]:
    """The versioned folders and links of `target` that it does not show: what a build killed
    inside `swap_in` leaves (the new folder half-copied, the new link, the old folder not yet
    removed). Only valid while no build runs (`pnmce.book.lock`)."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    shown = target.resolve() if target.is_symlink() and target.exists() else None
    names = re.compile(rf"\.{re.escape(target.name)}(-\d+|\.enlace|\.anterior)")
    return sorted(p for p in target.parent.iterdir()
                  if names.fullmatch(p.name) and (p.is_symlink() or p.resolve() != shown))


def swap_in(new: Path, target: Path) -> None:
    """Make `target` show the tree `new`, atomically."""
    current = target.resolve() if target.exists() else None
    fresh = _next_folder(target)
    for src in sorted(new.rglob("*")):
        rel = src.relative_to(new)
        dest = fresh / rel
        if src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = current / rel if current else None
        if old is not None and old.is_file() and filecmp.cmp(old, src, shallow=False):
            os.link(old, dest)  # unchanged: share the published file (never written in place)
        else:
            shutil.copy2(src, dest)
    fresh.mkdir(parents=True, exist_ok=True)
    link = target.with_name(f".{target.name}.enlace")
    link.unlink(missing_ok=True)
    link.symlink_to(fresh.name)
    if target.is_dir() and not target.is_symlink():  # a real folder from an older layout: once
        old_dir = target.with_name(f".{target.name}.anterior")
        shutil.rmtree(old_dir, ignore_errors=True)
        target.rename(old_dir)
        os.replace(link, target)
        shutil.rmtree(old_dir, ignore_errors=True)
    else:
        os.replace(link, target)
    if current is not None and current != fresh and current.parent == target.parent and current.name.startswith("."):
        shutil.rmtree(current, ignore_errors=True)
