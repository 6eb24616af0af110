"""Provenance on the ground floor: content digests, the environment's fingerprint, the commit.

Used by the notebook records (`pnmce.execute.inputs`), the PDF (`pnmce.book.pdf`), the edition
record (`pnmce.edition.record`) and the page footer (`pnmce.book.build`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def environment(lock: Path | None = None) -> str:
    """Fingerprint of what shapes outputs beyond the project: Python, installed packages, fonts."""
    h = hashlib.sha256(sys.version.encode())
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    h.update("\n".join(dists).encode())
    if lock and lock.is_file():
        h.update(lock.read_bytes())
    try:
        fonts = subprocess.run(["fc-list", "--format", "%{file}|%{family}\n"], capture_output=True, text=True,
                               timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        fonts = "sin fc-list"
    h.update("\n".join(sorted(fonts.splitlines())).encode())
    return h.hexdigest()[:16]


def commit_id(root: Path) -> str:
    """Short commit of the checkout, `+cambios` when the tree differs from it; `sin git` outside git."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if not (root / ".git").exists():
        return "sin git"
    head = git("rev-parse", "--short=12", "HEAD")
    if head.returncode != 0:
        return "sin git"
    # Untracked files count (a new data/observado/AÑO.csv after `importar`); ignored ones do not.
    dirty = git("status", "--porcelain", "--untracked-files=normal").stdout.strip()
    return head.stdout.strip() + ("+cambios" if dirty else "")
