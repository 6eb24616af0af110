"""Static files the book serves itself, so that nothing is fetched from a CDN."""

from __future__ import annotations

from pathlib import Path

import vl_convert as vlc

from pnmce.fileio import write_if_changed

from pnmce.present.charts import VL_VERSION


def vega_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed in one classic script.

    Wrapped in a function so that its top-level `const` names cannot clash with other scripts.
    """
    code = vlc.javascript_bundle(vl_version=VL_VERSION)
    return ("(function(){\n" + code + "\n})();\n").encode()


def write_static(static_dir: Path) -> None:
    write_if_changed(static_dir / "vega-bundle.js", vega_bundle())
