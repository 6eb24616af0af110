"""Static files the book serves itself, so that nothing is fetched from a CDN."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import vl_convert as vlc

from pnmce.fileio import write_if_changed
from pnmce.present.charts import VL_VERSION


def bundle_header() -> bytes:
    """First line of the bundle: what it was made from (the bundle is a function of both)."""
    return f"// vl-convert {importlib.metadata.version('vl-convert-python')}, Vega-Lite {VL_VERSION}\n".encode()


def vega_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed in one classic script.

    Wrapped in a function so that its top-level `const` names cannot clash with other scripts.
    """
    code = vlc.javascript_bundle(vl_version=VL_VERSION)
    return bundle_header() + ("(function(){\n" + code + "\n})();\n").encode()


def write_static(static_dir: Path) -> None:
    """Write the bundle unless the one in place was made from the same vl-convert and Vega-Lite
    (making it takes over a second, on every build)."""
    target = static_dir / "vega-bundle.js"
    if target.is_file():
        with open(target, "rb") as f:
            if f.readline() == bundle_header():
                return
    write_if_changed(target, vega_bundle())
