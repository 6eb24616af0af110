"""Sphinx extension: Spanish search that forgives accents.

«exportacion», «exportación» and «EXPORTACIÓN» find the same pages. The index holds every word
folded (lower case, no acute accents or diaeresis; «ñ» stays, it is a letter of its own) and then
stemmed with Sphinx's Spanish (Snowball) stemmer; the search page folds and stems each query word
the same way (`js/busqueda_sin_tildes.js`, appended to `language_data.js`).

The Snowball rules name some suffixes with their accent («-ción»): a folded «exportacion» would
keep its suffix while «exportaciones» loses it. Both sides therefore put the accent back on the
endings «-cion» and «-sion» (every Spanish word with them carries it) before stemming.
"""

from __future__ import annotations

import re
from pathlib import Path

import sphinx
from sphinx.search import languages
from sphinx.search.es import SearchSpanish

_FOLD = str.maketrans("áàäâéèëêíìïîóòöôúùüû", "aaaaeeeeiiiioooouuuu")
_SUFFIX = re.compile(r"([cs])ion$")
QUERY_JS = Path(__file__).with_name("js") / "busqueda_sin_tildes.js"
_MINIFIED = Path(sphinx.__file__).parent / "search" / "minified-js"


def fold(word: str) -> str:
    """Lower case without accents or diaeresis («Exportación» → «exportacion»; «año» stays)."""
    return word.lower().translate(_FOLD)


class SearchSpanishFolded(SearchSpanish):
    """Sphinx's Spanish search with accent folding on the index side and on the query side."""

    stopwords = SearchSpanish.stopwords | {fold(w) for w in SearchSpanish.stopwords}
    js_stemmer_rawcode = ""  # no separate stemmer files: everything is in language_data.js

    def split(self, input: str) -> list[str]:
        return [fold(w) for w in super().split(input)]

    def stem(self, word: str) -> str:
        return fold(super().stem(_SUFFIX.sub(r"\1ión", fold(word))))

    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]
        parts = [(_MINIFIED / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "spanish-stemmer.js")]
        return "\n".join([*parts, QUERY_JS.read_text(encoding="utf-8")])


def setup(app):
    languages["es"] = SearchSpanishFolded
    return {"parallel_read_safe": True, "parallel_write_safe": True}
