"""Unused CSS rules leave the stylesheets (pnmce.book.css_purge) and pages link only the
stylesheets they use (pnmce.book.light_pages). Small hand-written CSS and pages, no build."""

from __future__ import annotations

import pytest

from pnmce.book.css_purge import StaleInput, purge, purge_book, words
from pnmce.book.light_pages import unused_assets


def kept(css: str, used: str) -> str:
    return purge(css, words(used))


def test_rules_need_their_classes_ids_and_elements():
    css = ".a{color:red}.b{color:blue}#c{margin:0}#d{margin:1px}p{padding:0}table{padding:1px}"
    assert kept(css, '<p class="a" id="c">') == ".a{color:red}\n#c{margin:0}\np{padding:0}\n"


def test_every_name_of_a_compound_or_complex_selector_is_needed():
    css = ".a.b{x:1}.a .c{x:2}.a>.b+p~div{x:3}div.a{x:4}"
    assert kept(css, '<div class="a b">') == ".a.b{x:1}\ndiv.a{x:4}\n"
    assert kept(css, '<div class="a b"><p></p><span class="c">') == ".a.b{x:1}\n.a .c{x:2}\n.a>.b+p~div{x:3}\ndiv.a{x:4}\n"


def test_unused_selectors_leave_a_kept_list():
    assert kept(".a, .b,\n  .c { color : red ; }", '<i class="c a">') == ".a,.c{color:red}\n"


def test_a_list_with_a_vendor_pseudo_element_stays_whole():
    # a browser drops the whole list where it does not know one selector: trimming would revive it
    css = ".a::-moz-selection,.b::selection{color:red}"
    assert kept(css, '<i class="a">') == css + "\n"
    assert kept(css, "<i>") == ""


def test_pseudo_classes_and_pseudo_elements_need_nothing_themselves():
    css = ".a:hover{x:1}.b:focus-visible{x:2}.a::before{x:3}.c::-webkit-scrollbar{x:4}li:nth-child(2n+1){x:5}"
    assert kept(css, '<li class="a">') == ".a:hover{x:1}\n.a::before{x:3}\nli:nth-child(2n+1){x:5}\n"


def test_not_needs_nothing_but_is_where_has_need_one_of_theirs():
    css = ".a:not(.zz){x:1}:not(.zz){x:2}:is(.zz,.a) p{x:3}:is(.zz,.yy) p{x:4}:where(.a){x:5}div:has(>.zz){x:6}"
    assert kept(css, '<div class="a"><p>') == ".a:not(.zz){x:1}\n:not(.zz){x:2}\n:is(.zz,.a) p{x:3}\n:where(.a){x:5}\n"


def test_attribute_selectors_need_their_value_words_not_their_name():
    css = ("html[data-theme=dark] .a{x:1}html[data-theme=sepia] .a{x:2}.a[data-bs-popper]{x:3}"
           'a[href^="http"]{x:4}[dir="rtl"] .a{x:5}')
    # the theme's script sets data-theme from words such as "dark"; Bootstrap builds data-bs-* names
    used = '<html><a class="a" href="x">' + 'document.documentElement.dataset.theme = "dark"'
    assert kept(css, used) == 'html[data-theme=dark] .a{x:1}\n.a[data-bs-popper]{x:3}\na[href^="http"]{x:4}\n'


def test_words_of_scripts_count_as_used():
    css = ".dropdown-menu.show{display:block}"
    assert kept(css, '<ul class="dropdown-menu">') == ""
    assert kept(css, '<ul class="dropdown-menu">' + 'e.classList.add("show")') == css + "\n"


def test_media_and_supports_are_purged_inside_and_dropped_when_empty():
    css = ("@media (max-width: 960px) { .a { x: 1 } .b { x: 2 } @supports (display: grid) { .a { x: 3 } .b { x: 4 } } }"
           "@media print { .b { x: 5 } }")
    assert kept(css, '<i class="a">') == "@media (max-width: 960px){.a{x:1}@supports (display: grid){.a{x:3}}}\n"


def test_keyframes_stay_when_a_kept_rule_or_a_page_uses_them():
    css = "@keyframes spin{to{transform:rotate(1turn)}}@keyframes fade{to{opacity:0}}@keyframes pulse{to{opacity:1}}" \
          ".a{animation:spin 1s}.b{animation-name:fade}"
    assert kept(css, '<i class="a">') == "@keyframes spin{to{transform:rotate(1turn)}}\n.a{animation:spin 1s}\n"
    assert "@keyframes pulse" in kept(css, '<i class="a" style="animation: pulse 1s">')


def test_root_custom_properties_font_faces_charset_and_licences_stay():
    css = ('@charset "UTF-8";/*! Licence: keep */\n/* a comment */:root{--x: 1px;--empty: ;}'
           "@font-face{font-family:F;src:url(f.woff2)}@import url(other.css);")
    assert kept(css, "<p>") == ('@charset "UTF-8";\n/*! Licence: keep */\n:root{--x:1px;--empty: }\n'
                                "@font-face{font-family:F;src:url(f.woff2)}\n@import url(other.css);\n")


def test_minifying_keeps_what_whitespace_means():
    css = "a  :hover{width:calc(1px  +  2px);margin:0  auto!important}a:hover{font:12px / 1.5 serif}"
    assert kept(css, "<a>") == "a :hover{width:calc(1px + 2px);margin:0 auto!important}\na:hover{font:12px / 1.5 serif}\n"


def test_an_unreadable_selector_is_kept_unless_a_name_it_needs_is_missing():
    css = "!a{x:1}.b{x:2}.c !d{x:3}.e !f{x:4}"
    assert kept(css, '<p class="c">') == "!a{x:1}\n.c !d{x:3}\n"


def test_purging_is_deterministic_and_idempotent():
    css = ".b{x:1}.a,.c{y:2}@media print{.a{z:3}}"
    used = words('<i class="a">')
    once = purge(css, used)
    assert once == purge(css, set(used)) == purge(once, used)


# --- a small built tree -----------------------------------------------------------------------------

THEME = ".used{color:red}.unused{color:blue}.shown.show{display:block}"
OWN = ".ours-unused{color:green}"


def _tree(tmp_path, page_classes="used"):
    html = tmp_path / "html"
    (html / "_static").mkdir(parents=True)
    (html / "_static" / "theme.css").write_text(THEME)
    (html / "_static" / "ours.css").write_text(OWN)
    (html / "_static" / "unlinked.css").write_text(THEME)
    (html / "_static" / "menu.js").write_text('el.classList.add("show")')
    (html / "index.html").write_text(
        '<link rel="stylesheet" href="_static/theme.css"><link href="_static/ours.css" rel="stylesheet">'
        f'<script defer src="_static/menu.js?digest=1"></script><p class="{page_classes} shown">')
    return html


def test_purge_book_purges_linked_stylesheets_in_place_but_the_books_own(tmp_path):
    html = _tree(tmp_path)
    sizes = purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})
    purged = ".used{color:red}\n.shown.show{display:block}\n"  # `show`: a word of the page's script
    assert (html / "_static" / "theme.css").read_text() == purged
    assert (html / "_static" / "ours.css").read_text() == OWN
    assert (html / "_static" / "unlinked.css").read_text() == THEME
    assert sizes == {"_static/theme.css": (len(THEME), len(purged))}


def test_purge_book_follows_the_pages_of_each_build(tmp_path):
    html = _tree(tmp_path)
    purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})
    # the next build: Sphinx copies the theme's stylesheet again and a page now uses `.unused`
    (html / "_static" / "theme.css").write_text(THEME)
    (html / "index.html").write_text((html / "index.html").read_text().replace('class="used', 'class="used unused'))
    purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})
    assert ".unused{color:blue}" in (html / "_static" / "theme.css").read_text()
    # and a build where nothing changed gives the same bytes
    first = (html / "_static" / "theme.css").read_bytes()
    (html / "_static" / "theme.css").write_text(THEME)
    purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})
    assert (html / "_static" / "theme.css").read_bytes() == first


def test_purge_book_refuses_to_purge_a_purged_stylesheet(tmp_path):
    html = _tree(tmp_path)
    purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})
    (html / "index.html").write_text((html / "index.html").read_text().replace('class="used', 'class="used unused'))
    with pytest.raises(StaleInput, match="theme.css"):
        purge_book(html, tmp_path / "cache", keep={"_static/ours.css"})  # theme.css was not copied again: `.unused` is gone from it


# --- stylesheets per page -----------------------------------------------------------------------------

@pytest.mark.parametrize("body, needed", [
    ("<p>Texto</p>", set()),
    ('<div class="highlight-python notranslate"><div class="highlight"><pre>x</pre></div></div>',
     {"pygments.css", "copybutton.css", "clipboard.min.js", "copybutton.js"}),
    ('<div class="admonition dropdown note">', {"togglebutton.css", "togglebutton.js"}),
    ('<div class="toggle docutils container">', {"togglebutton.css", "togglebutton.js"}),
    ('<div class="dropdown-toggle">', set()),
    ('<div class="sd-card">', {"sphinx-design.min.css", "design-tabs.js"}),
])
def test_pages_link_the_assets_of_what_they_show(body, needed):
    optional = {"pygments.css", "copybutton.css", "clipboard.min.js", "copybutton.js", "togglebutton.css",
                "togglebutton.js", "sphinx-design.min.css", "design-tabs.js"}
    unused = set(unused_assets(body))
    assert "sphinx-thebe.css" in unused
    assert optional - unused == needed


def test_only_the_stylesheets_own_words_matter():
    # what purge_book relies on to key its cache by the used words the stylesheet contains
    css = ('.a .b{x:1}html[data-theme=dark] .c{x:2}@keyframes k{to{x:3}}.d{animation:k 1s}'
           '@media print{#e{x:4}}')
    used = words('<html><p class="a b c d" id="e"> dark otra palabra, commit 1a2b3c4 </p>')
    assert purge(css, used) == purge(css, used & words(css))
