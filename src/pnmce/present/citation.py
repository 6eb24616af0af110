"""How a reader page cites the policy: by its section, table, figure or sheet, as a publication does.

The data keep, in `procedencia`, where each fact sits in the converted source (line ranges such as
`[L4977-4994]`); those are for maintainers (the annex «Notas técnicas») and never reach a reader page.
"""

from __future__ import annotations

import re

# "[L4977-4994]", "[L3175, L3180]", "[L6715+1]", "(L4980)", "líneas L268-L275 del documento convertido"
_LINES = re.compile(
    r"\s*\[\s*L\d[^\]]*\]"
    r"|\s*\(\s*L\d+(?:\s*[-–+,]\s*L?\d+)*\s*\)"
    r"|\s+(?:en|de|y)\s+L\d{3,5}(?:\s*[-–,]\s*L?\d{3,5})*\b"  # "el cuerpo usa en L646"
    r"|\s*\bL\d{3,5}(?:\s*[-–]\s*L?\d+)?\b"  # a bare line number (codes such as L1.2 have a dot)
    r"|\s*,?\s*\(?\b(?:en\s+)?(?:las?\s+)?l[íi]neas?\s+L?\d+(?:\s*(?:[-–+,]|y)\s*L?\d+)*(?:\s+del\s+documento\s+convertido)?\)?",
    re.IGNORECASE)


# "(L4818, fila corrida)" -> "(fila corrida)"
_LEADING_LINE = re.compile(r"\(\s*L\d{2,5}(?:\s*[-–]\s*L?\d+)?\s*[,;]\s*")


def reader_source(procedencia: str) -> str:
    """The reader's form of a `procedencia`: the same references without source line numbers.

    >>> reader_source("Tabla 26; Tabla 27; 7.5.1 ficha técnica OP1.1 [L4977-4994]")
    'Tabla 26; Tabla 27; 7.5.1 ficha técnica OP1.1'
    """
    text = _LINES.sub("", _LEADING_LINE.sub("(", procedencia or ""))
    text = re.sub(r"\s+([,;.:)])", r"\1", text)
    text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,;")
