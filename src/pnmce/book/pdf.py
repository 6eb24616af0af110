"""The PDF edition: Jupyter Book's single-page HTML, printed by Debian's Chromium.

Chromium draws the charts exactly as in the HTML book (no network: the page loads the local
`vega-bundle.js`). The two dates Chromium stamps are replaced by a fixed one of the same length,
so that the same inputs give the same bytes (and the cross-reference offsets stay valid).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pnmce.fileio import atomic_write_bytes

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--virtual-time-budget=60000"]
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]*\)")


class PdfError(Exception):
    """The PDF could not be produced; the message is for the user, in Spanish."""


def fixed_dates(pdf: bytes, stamp: bytes = b"20240101000000+00'00'") -> bytes:
    """Replace Chromium's creation and modification dates (same length, so offsets stay valid)."""
    def repl(m: re.Match) -> bytes:
        old = m.group(0)
        new = b"/" + m.group(1) + b" (D:" + stamp + b")"
        if len(new) != len(old):
            raise PdfError("Formato de fecha inesperado en el PDF de Chromium")
        return new
    return _DATES.sub(repl, pdf)


def print_pdf(singlehtml: Path, root_doc: str, target: Path, chromium: str | None = None,
              timeout: float = 600) -> Path:
    """Print the single-page book to `target` (written only when Chromium succeeds)."""
    chromium = chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise PdfError("No se encontró chromium (paquete de Debian «chromium»); instálelo con «make system».")
    # Sphinx writes the root document at its own path but links its static files from the top
    # folder: a copy at the top folder resolves them.
    page = singlehtml / "libro.html"
    shutil.copyfile(singlehtml / f"{root_doc}.html", page)
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        raw = Path(out) / "libro.pdf"
        try:
            proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                   f"--print-to-pdf={raw}", page.resolve().as_uri()],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium no terminó de imprimir el libro en {timeout} s; no se escribió el PDF.") from None
        except OSError as exc:
            raise PdfError(f"No se pudo ejecutar chromium ({chromium}): {exc.strerror or exc}.") from None
        if proc.returncode != 0 or not raw.is_file():
            raise PdfError(f"Chromium no pudo imprimir el libro (código de salida {proc.returncode}):\n"
                           + proc.stderr[-2000:])
        atomic_write_bytes(target, fixed_dates(raw.read_bytes()))
    return target
