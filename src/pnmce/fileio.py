"""Atomic writes: a reader never sees a half-written file, and a failure leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are published and read by others
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text with LF line endings."""
    atomic_write_bytes(path, text.replace("\r\n", "\n").encode("utf-8"))


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write only when the bytes differ (keeps mtimes, and Sphinx rebuilds, quiet)."""
    if Path(path).is_file() and Path(path).read_bytes() == content:
        return False
    atomic_write_bytes(path, content)
    return True
