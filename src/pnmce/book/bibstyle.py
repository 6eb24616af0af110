"""An APA-like bibliography style for sphinxcontrib-bibtex: `Autor, A. (2023). *Título*. Editor. URL`.

pybtex ships no APA style; this one adapts its `unsrt` templates to the author–year order the
policy uses. Registered as the pybtex plugin `pnmce_apa` when Sphinx loads this extension.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle
from pybtex.style.template import field, href, join, names, optional, sentence, tag
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """Citations as APA writes them: "(CEPLAN, 2024)" and "CEPLAN (2024)"."""

    bracket_parenthetical: BracketStyle = dc_field(default_factory=_round)
    bracket_textual: BracketStyle = dc_field(default_factory=_round)
    bracket_author: BracketStyle = dc_field(default_factory=_round)
    bracket_label: BracketStyle = dc_field(default_factory=_round)
    bracket_year: BracketStyle = dc_field(default_factory=_round)


class AlphabeticalSorting(AuthorYearTitle):
    """Author, year, title; corporate authors (`{Banco Mundial}`) sort by their name, accents ignored."""

    def sorting_key(self, entry):
        return tuple(_plain(part) for part in super().sorting_key(entry))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).replace("{", "").replace("}", ""))
    return text.encode("ascii", "ignore").decode().lower()


def _year():
    return join["(", field("year"), optional[", ", field("month")], ")."]


def _url():
    return optional[href[field("url", raw=True)][field("url", raw=True)]]


class ApaStyle(UnsrtStyle):
    default_name_style = "lastfirst"
    default_sorting_style = "pnmce_alfabetico"

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=" & ", last_sep=", & ")
        return sentence[formatted] if as_sentence else formatted

    def _head(self):
        return join(sep=" ")[self.format_names("author", as_sentence=False), _year()]

    def get_misc_template(self, e):
        return toplevel[
            self._head(),
            sentence[tag("em")[field("title")]],
            optional[sentence[field("howpublished")]],
            optional[join["Consultado el ", field("urldate"), "."]],
            _url(),
        ]

    def get_article_template(self, e):
        volume = optional[join[", ", tag("em")[field("volume")], optional["(", field("number"), ")"]]]
        return toplevel[
            self._head(),
            sentence[field("title")],
            join[tag("em")[field("journal")], volume, optional[", ", field("pages")], "."],
            _url(),
        ]


def setup(app) -> dict:
    import sphinxcontrib.bibtex.plugin

    sphinxcontrib.bibtex.plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", "pnmce_autor_anio",
                                                RoundAuthorYear, force=True)
    register_plugin("pybtex.style.sorting", "pnmce_alfabetico", AlphabeticalSorting, force=True)
    register_plugin("pybtex.style.formatting", "pnmce_apa", ApaStyle, force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
