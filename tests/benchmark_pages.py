"""Page weight and Lighthouse scores of the built book (not a test: figures for README).

Serves `_build/` from 127.0.0.1 and runs Lighthouse (npm, run with `npx`, in Debian's chromium)
on five pages, with the mobile and the desktop presets; prints performance, accessibility, best
practices and SEO, the bytes transferred and the DOM size. By default files go uncompressed, as
`python -m http.server` serves them; `--gzip` compresses text files as a web server would.

    .venv/bin/python tests/benchmark_pages.py [--gzip] [--lighthouse 12.2.3] [--build _build]

Lighthouse is not a test dependency: `npx` fetches the pinned version from the npm registry the
first time (or pass `--lighthouse /path/to/node_modules/.bin/lighthouse`).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "portada": "html/generado/portada.html",
    "ficha OP1.1": "html/generado/indicadores/OP1.1.html",
    "causa directa CD1": "html/generado/cap3/3-2-1-cd1.html",
    "reporte de seguimiento": "html/generado/cap5/reporte-seguimiento.html",
    "reporte, OP2": "html/generado/cap5/reporte/op2.html",  # the report page of one objective
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json")


def serve(directory: Path, gzip_text: bool):
    """`python -m http.server`, or with `gzip_text` as a web server would: text files gzipped."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if not (gzip_text and path.is_file() and path.suffix in COMPRESSIBLE
                    and "gzip" in self.headers.get("Accept-Encoding", "")):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def lighthouse(command: list[str], url: str, preset: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "informe.json"
        args = [*command, url, "--quiet", "--output=json", f"--output-path={out}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                f"--only-categories={','.join(CATEGORIES)}"]
        if preset == "desktop":
            args.append("--preset=desktop")
        subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"})
        return json.loads(out.read_text(encoding="utf-8"))


def figures(report: dict) -> dict:
    audits = report["audits"]
    return {**{c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES},
            "kB": round(audits["total-byte-weight"]["numericValue"] / 1000),
            "DOM": int(audits["dom-size"]["numericValue"]),
            "TBT ms": round(audits["total-blocking-time"]["numericValue"]),
            "LCP s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build")
    parser.add_argument("--lighthouse", default="12.2.3", help="versión de npm o ruta del ejecutable")
    parser.add_argument("--gzip", action="store_true", help="comprimir HTML, CSS y JS como un servidor web")
    args = parser.parse_args()
    command = ([args.lighthouse] if Path(args.lighthouse).exists()
               else ["npx", "--yes", f"lighthouse@{args.lighthouse}"])
    httpd = serve(args.build, args.gzip)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{'página':24} {'perfil':8} " + " ".join(f"{h:>8}" for h in (*CATEGORIES, "kB", "DOM", "TBT ms", "LCP s")))
    try:
        for name, path in PAGES.items():
            for preset in ("mobile", "desktop"):
                row = figures(lighthouse(command, f"{base}/{path}", preset))
                print(f"{name:24} {preset:8} " + " ".join(f"{v:>8}" for v in row.values()), flush=True)
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main()
