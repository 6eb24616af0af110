"""Tables as MyST Markdown outputs: real, numbered, captioned tables in HTML and PDF."""

from __future__ import annotations

import re

import pandas as pd

# ASCII punctuation that Markdown/MyST could interpret. Parentheses stay as they are: with the
# brackets escaped they cannot form a link, and MyST would print an escaped one literally.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|$~^&:=%-])")


def escape(text) -> str:
    """Plain text made inert for MyST: no markup, no HTML, no math, no roles."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return ""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


WEB_ONLY = "pnmce-solo-web"  # the PDF leaves out what carries this class (`pnmce.book.pdf`)


def web_only(text: str) -> str:
    """MyST `text` (a sentence) that only makes sense on the web page («haga clic para ordenar», a
    download link): the web shows it, the PDF does not print it."""
    return f'<span class="{WEB_ONLY}">{text}</span>'


class Markdown:
    """An output that myst-nb renders as MyST (needs nb_render_markdown_format: myst)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": self.text, "text/plain": self.text}


def table(frame: pd.DataFrame, caption: str, label: str, *, raw_columns: tuple[str, ...] = (),
          widths: list[int] | None = None, sortable: bool = False) -> Markdown:
    """A `list-table` with a caption and a label for `{numref}`.

    Cells are escaped, except in `raw_columns` (already MyST, e.g. links built by us).
    """
    lines = [f"```{{list-table}} {escape(caption)}", ":header-rows: 1", f":name: {label}"]
    if widths:
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    if sortable:
        lines.append(":class: sortable")
    lines.append("")
    lines.append("* - " + "\n  - ".join(escape(c) for c in frame.columns))
    for row in frame.itertuples(index=False):
        cells = [str(v) if col in raw_columns else escape(v) for col, v in zip(frame.columns, row)]
        lines.append("* - " + "\n  - ".join(c if c else " " for c in cells))
    lines.append("```")
    return Markdown("\n".join(lines))
