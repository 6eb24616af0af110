"""Formulas typeset offline: LaTeX from the method files → MathML (latex2mathml), no script, no CDN.

Browsers lay MathML out natively; for the PDF (WeasyPrint, which does not) `print_css` gives the
rules that draw fractions and scripts with CSS.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from latex2mathml.converter import convert


def mathml(latex: str, block: bool = True, label: str = "") -> str:
    """The MathML of `latex`; `label` (plain text) is read by screen readers that skip MathML."""
    markup = convert(latex, display="block" if block else "inline")
    if label:
        markup = markup.replace("<math ", f'<math alttext="{escape(label, quote=True)}" ', 1)
    return markup


def print_css() -> str:
    """The CSS that lays MathML out in the PDF."""
    return resources.files("pnmce.present").joinpath("assets/formulas-impresion.css").read_text(encoding="utf-8")
