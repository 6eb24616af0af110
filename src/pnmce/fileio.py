"""Atomic writes: a reader never sees a half-written file, and a failure leaves the old one."""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
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


def stable_xlsx(data: bytes) -> bytes:
    """An xlsx whose bytes do not depend on the clock: fixed zip entry dates and document dates."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries:
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", content)
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def atomic_write_xlsx(path: Path, save: Callable[[io.BytesIO], None]) -> None:
    """The one writer of Excel files: `save` writes the workbook into a buffer (openpyxl's
    `Workbook.save` or a pandas `ExcelWriter`); the file appears whole, with stable bytes."""
    buffer = io.BytesIO()
    save(buffer)
    atomic_write_bytes(path, stable_xlsx(buffer.getvalue()))
