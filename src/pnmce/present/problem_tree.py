"""The problem tree (Ilustración 17 of the policy) drawn from the catalogue as an inline SVG.

Problem → 5 direct causes → their indirect causes → the priority objective that answers each direct
cause, in a vertical layout that stays readable on a phone and needs no JavaScript (WeasyPrint prints
it as it is). The figure is a `<figure class="pnmce-chart">` with a label, so the book numbers it and
`{numref}` cites it like any chart.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from pnmce.data.package import Catalogue
from pnmce.present.charts import figure_html

WIDTH = 360          # viewBox width; the CSS caps the drawing at 480 px (about 1.3 times)
FONT = 12.5
LINE = 16
PAD = 8
GAP = 6
INDENT = 22
CHARS_PER_PX = 1 / (FONT * 0.55)  # a conservative average glyph width for wrapping
BOLD_CHARS_PER_PX = 1 / (FONT * 0.62)

STYLE = {  # fill, text colour (contrast ≥ 4.5:1 on its fill), border
    "problema": ("#7a1f1f", "#ffffff", "#7a1f1f"),
    "directa": ("#fbe3d3", "#3b1a06", "#b4531c"),
    "indirecta": ("#ffffff", "#222222", "#9a9a9a"),
    "objetivo": ("#e4f1e6", "#123d1b", "#2e7d32"),
}


@dataclass(frozen=True)
class Node:
    kind: str
    text: str
    level: int  # indentation steps


def public_problem(cat: Catalogue) -> str:
    """The public problem as the policy names it («Insuficiente desarrollo del comercio exterior en el país»)."""
    return cat.hechos.set_index("id").at["problema_publico", "valor"]


def nodes(cat: Catalogue) -> list[Node]:
    """The tree as an outline, in the policy's order."""
    c = cat.causas
    answers = cat.objetivos.set_index("causa")
    out = [Node("problema", f"Problema público: {public_problem(cat)}", 0)]
    for cd in c[c["nivel"] == "directa"].itertuples():
        out.append(Node("directa", f"Causa directa {cd.id[2:]}: {cd.nombre}", 0))
        for ci in c[c["padre"] == cd.id].itertuples():
            out.append(Node("indirecta", f"{ci.id[2:]} {ci.nombre}", 1))
        if cd.id in answers.index:
            op = answers.loc[cd.id]
            out.append(Node("objetivo", f"Lo atiende el objetivo prioritario {op['id']}: {op['nombre']}", 1))
    return out


def _wrap(text: str, width_px: float, bold: bool = False) -> list[str]:
    per_px = BOLD_CHARS_PER_PX if bold else CHARS_PER_PX
    return textwrap.wrap(text, max(12, int((width_px - 2 * PAD) * per_px)), break_on_hyphens=False)


def svg(cat: Catalogue) -> str:
    """The tree as an SVG document fragment (no external resources; its figure carries the caption)."""
    parts: list[str] = []
    y = 0.0
    for node in nodes(cat):
        x = node.level * INDENT
        w = WIDTH - x
        lines = _wrap(node.text, w, bold=node.kind in ("problema", "directa"))
        h = PAD * 2 + LINE * len(lines) - (LINE - FONT)
        fill, ink, border = STYLE[node.kind]
        if node.level:  # the rail that ties an indirect cause or objective to its direct cause
            parts.append(f'<path d="M{INDENT / 2} {y - GAP} V{y + h / 2} H{x}" fill="none" stroke="#9a9a9a" '
                         'stroke-width="1"/>')
        dash = ' stroke-dasharray="4 3"' if node.kind == "objetivo" else ""
        parts.append(f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{w - 1}" height="{h - 1}" rx="4" fill="{fill}" '
                     f'stroke="{border}"{dash}/>')
        weight = ' font-weight="bold"' if node.kind in ("problema", "directa") else ""
        tspans = "".join(f'<tspan x="{x + PAD}" y="{y + PAD + FONT + i * LINE:.1f}">{html.escape(t)}</tspan>'
                         for i, t in enumerate(lines))
        parts.append(f'<text font-size="{FONT}" fill="{ink}"{weight}>{tspans}</text>')
        y += h + GAP
    height = y
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="pnmce-arbol" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="100%" style="max-width:480px;height:auto" aria-hidden="true" '
            f'font-family="sans-serif">{"".join(parts)}</svg>')


def description(cat: Catalogue) -> str:
    """The tree in words, for screen readers and the text version."""
    return "Árbol de problemas. " + " ".join(n.text.rstrip(".") + "." for n in nodes(cat))


class ProblemTree:
    """An output myst-nb shows as raw HTML; numbered by `pnmce.book.numbering` as a chart."""

    def __init__(self, cat: Catalogue, label: str, caption: str, source: str):
        self.svg = svg(cat)
        self.description = description(cat)
        self.label, self.caption, self.source = label, caption, source

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = html.escape(self.description)
        body = f'<div class="pnmce-arbol-figura" role="img" aria-label="{text}">{self.svg}</div>'
        return {"text/html": figure_html(body, self.caption, self.source, self.label),
                "text/plain": f"Gráfico: {self.caption}. {self.description}"}


def problem_tree(cat: Catalogue, label: str, caption: str, source: str) -> ProblemTree:
    return ProblemTree(cat, label, caption, source)
