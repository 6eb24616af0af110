"""Stylesheets without the rules no page can use (what PurgeCSS does, in Python over tinycss2).

A style rule is kept when one of its selectors could match: every class, id and element name it
requires is among the words of the pages and of the scripts they load (scripts add classes such
as `show` at run time, so their words count as used). Written in Python so that `make book` needs
no Node; see README.

- `:not(…)` requires nothing (it matches where its argument is absent); `:is()`, `:where()`,
  `:has()` require one of their selectors; other pseudo-classes and pseudo-elements require nothing.
- An attribute selector requires the words of its value when it compares whole words (`=`, `~=`,
  `|=`), not its name (scripts build attribute names: Bootstrap's `data-bs-${name}`).
- A selector this module cannot read is kept.
- `@media`, `@supports`, `@layer`, `@container` are purged inside and dropped when empty;
  `@keyframes` stay when their name is used by a kept rule or by a page or script; `@font-face`,
  `@charset`, `@import`, `@page` and any other at-rule stay. Custom properties stay with their
  rule (`:root` requires nothing).
- Unused selectors leave a kept rule's selector list, unless the list has a vendor-prefixed
  pseudo-class or pseudo-element (a browser drops a whole list with one selector it does not know,
  so such a list is kept as written).
- The output is minified (comments out, except `/*! … */` licence notices; whitespace collapsed):
  same input, same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2 import ast
from tinycss2.serializer import serialize_identifier

from pnmce.fileio import atomic_write_bytes, write_if_changed

WORD = re.compile(r"[\w-]+")
CHECKABLE = re.compile(r"[\w-]+")  # names made only of word characters can be looked up among the words
ANY_OF = {"is", "where", "matches", "any", "-webkit-any", "-moz-any", "has"}  # one selector of the list
PURGED_BLOCKS = {"media", "supports", "layer", "container", "document", "-moz-document"}
KEYFRAMES = {"keyframes", "-webkit-keyframes", "-moz-keyframes", "-o-keyframes"}
WHOLE_WORD_OPERATORS = {"=", "~=", "|="}
BRACKETS = {"() block": "()", "[] block": "[]", "{} block": "{}"}


def words(text: str) -> set[str]:
    """The words of a page or a script, as a selector's names are looked up among them."""
    return set(WORD.findall(text))


class _Unreadable(Exception):
    """A selector this module does not understand: the rule is kept."""


def _split(tokens: list) -> list[list]:
    """A selector list's selectors (top-level commas)."""
    parts: list[list] = [[]]
    for token in tokens:
        if token == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _significant(tokens: list) -> list:
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _present(name: str, used: set[str]) -> bool:
    return name in used or not CHECKABLE.fullmatch(name)


def _attribute_used(block: ast.SquareBracketsBlock, used: set[str]) -> bool:
    tokens = _significant(block.content)
    operators = [i for i, t in enumerate(tokens) if t.type == "literal" and t.value in WHOLE_WORD_OPERATORS]
    if not operators:
        return True  # [name], or a substring comparison: only the (unchecked) name
    value = tokens[operators[0] + 1] if operators[0] + 1 < len(tokens) else None
    if value is None or value.type not in ("ident", "string"):
        raise _Unreadable
    return all(_present(w, used) for w in WORD.findall(value.value))


def _selector_used(tokens: list, used: set[str]) -> bool:
    """Whether one complex selector (no top-level comma) could match given the used words."""
    tokens = [t for t in tokens if t.type != "comment"]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "whitespace" or (token.type == "literal" and token.value in (">", "+", "~", "*", "|", "&")):
            i += 1
        elif token == ".":
            name = tokens[i + 1] if i + 1 < len(tokens) else None
            if name is None or name.type != "ident":
                raise _Unreadable
            if not _present(name.value, used):
                return False
            i += 2
        elif token.type == "hash":
            if not _present(token.value, used):
                return False
            i += 1
        elif token.type == "ident":  # an element name
            if not (_present(token.value, used) or token.value.lower() in used):
                return False
            i += 1
        elif token.type == "[] block":
            if not _attribute_used(token, used):
                return False
            i += 1
        elif token == ":":
            i += 1
            if i < len(tokens) and tokens[i] == ":":  # a pseudo-element: requires nothing
                i += 1
            if i >= len(tokens) or tokens[i].type not in ("ident", "function"):
                raise _Unreadable
            pseudo = tokens[i]
            if pseudo.type == "function" and pseudo.lower_name in ANY_OF:
                if not selector_list_used(pseudo.arguments, used):
                    return False
            i += 1
        else:
            raise _Unreadable
    return True


def selector_list_used(tokens: list, used: set[str]) -> bool:
    """Whether one of the selectors of a list could match given the used words."""
    return any(_used_or_unreadable(part, used) for part in _split(tokens))


def _used_or_unreadable(tokens: list, used: set[str]) -> bool:
    try:
        return _selector_used(tokens, used)
    except (_Unreadable, IndexError):
        return True


def _vendor_prefixed(tokens: list) -> bool:
    """A `:-webkit-…` or `::-moz-…` pseudo-class or pseudo-element anywhere in the selector."""
    for a, b in zip(tokens, tokens[1:]):
        if a == ":" and b.type in ("ident", "function") and (b.value if b.type == "ident" else b.name).startswith("-"):
            return True
        if b.type == "function" and _vendor_prefixed(b.arguments):
            return True
    return False


# --- minified serialisation ------------------------------------------------------------------

def _text(tokens: list) -> str:
    """Tokens as text without comments, whitespace collapsed to one space and dropped around commas.

    Tokens are written one after the other as they stood (tinycss2's own serialiser separates some
    pairs with `/**/`, as in `2n/**/+1`): two tokens that were adjacent read back the same. Where a
    comment stood between two tokens, `/**/` stays."""
    out: list[str] = []
    last = None  # the type of the last token written: "space", "comma" or "token"
    for i, token in enumerate(tokens):
        if token.type == "comment":
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if last == "token" and after is not None and after.type not in ("whitespace", "comment"):
                out.append("/**/")
            continue
        if token.type == "whitespace":
            if last == "token":
                out.append(" ")
                last = "space"
            continue
        if token == "," and last == "space":
            out.pop()
        if token.type in BRACKETS:
            opening, closing = BRACKETS[token.type]
            text = f"{opening}{_text(token.content)}{closing}"
        elif token.type == "function":
            text = f"{serialize_identifier(token.name)}({_text(token.arguments)})"
        else:
            text = token.serialize()
        out.append(text)
        last = "comma" if token == "," else "token"
    while out and out[-1] in (" ", "/**/"):
        out.pop()
    return "".join(out)


def _declarations(content: list) -> str:
    items = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    if not all(item.type == "declaration" for item in items):
        return _text(content)  # nested rules or a parse error: as written, squeezed
    return ";".join(f"{d.name}:{_text(d.value) or ' '}{'!important' if d.important else ''}" for d in items)


# --- the purge -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Keyframes:
    name: str
    text: str


@dataclass(frozen=True)
class _Block:
    head: str
    items: list


def _purge_rules(rules: list, used: set[str], referenced: set[str], top: bool) -> list:
    """Kept rules as text, with `_Keyframes` and `_Block` (an at-rule with purged rules) to be
    decided once every rule is known; `referenced` gathers the words of the kept declarations."""
    out: list = []
    for rule in rules:
        if rule.type == "comment":
            if top and rule.value.startswith("!"):
                out.append(f"/*{rule.value}*/")
        elif rule.type == "qualified-rule":
            parts = _split(rule.prelude)
            kept = [p for p in parts if _used_or_unreadable(p, used)]
            if not kept:
                continue
            if len(kept) < len(parts) and _vendor_prefixed(rule.prelude):
                kept = parts
            body = _declarations(rule.content or [])
            referenced.update(WORD.findall(body))
            out.append(",".join(_text(p) for p in kept) + "{" + body + "}")
        elif rule.type == "at-rule":
            head = f"@{rule.at_keyword}" + (" " + _text(rule.prelude) if _text(rule.prelude) else "")
            name = rule.lower_at_keyword
            if rule.content is None:
                out.append(head + ";")
            elif name in PURGED_BLOCKS:
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                out.append(_Block(head, _purge_rules(inner, used, referenced, False)))
            elif name in KEYFRAMES:
                out.append(_Keyframes(_text(rule.prelude).strip("\"'"), head + "{" + _text(rule.content) + "}"))
            else:  # @font-face, @page, @property, …: kept as written
                body = _declarations(rule.content)
                referenced.update(WORD.findall(body))
                out.append(head + "{" + body + "}")
        # parse errors (invalid CSS the browser drops too) are left out
    return out


def _render(items: list, keep: set[str]) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, _Keyframes):
            if item.name in keep:
                out.append(item.text)
        elif isinstance(item, _Block):
            inner = _render(item.items, keep)
            if inner:
                out.append(item.head + "{" + "".join(inner) + "}")
        else:
            out.append(item)
    return out


def purge(css: str, used: set[str]) -> str:
    """`css` with only the rules that could match given the used words (see the module's doc)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    referenced: set[str] = set()
    items = _purge_rules(rules, used, referenced, True)
    lines = _render(items, referenced | used)
    return "\n".join(lines) + "\n" if lines else ""


# --- a built book's stylesheets (the I/O edge) -----------------------------------------------

RUN_TIME_WORDS = frozenset({"bs-tooltip-auto", "bs-popover-auto"})  # Bootstrap builds `bs-${NAME}-auto`
ASSET_TAG = re.compile(r"<(?:link|script)\b[^>]*>")
URL = re.compile(r'\b(?:href|src)="([^"]+)"')
CACHE_VERSION = f"tinycss2 {tinycss2.__version__}\n{Path(__file__).read_text(encoding='utf-8')}"


class StaleInput(Exception):
    """A stylesheet still holds the purge of the previous build: Sphinx did not copy it again."""


def _asset(page: Path, tag: str, root: Path) -> tuple[str, Path] | None:
    """("css" or "js", file) of a `<link rel="stylesheet">` or `<script src>` of the book itself."""
    kind = "js" if tag.startswith("<script") else "css" if 'rel="stylesheet"' in tag else None
    url = URL.search(tag)
    if kind is None or url is None or ":" in url.group(1) or url.group(1).startswith("/"):
        return None
    path = Path(os.path.normpath(page.parent / url.group(1).split("?")[0].split("#")[0]))
    return (kind, path) if root in path.parents and path.is_file() else None


def book_words(root: Path) -> tuple[set[str], list[Path]]:
    """The words of every page of the HTML tree `root` and of every script they load (plus
    `RUN_TIME_WORDS`), and the stylesheets they link."""
    used: set[str] = set(RUN_TIME_WORDS)
    assets: set[tuple[str, Path]] = set()
    for page in sorted(root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        used.update(WORD.findall(text))
        assets.update(a for tag in ASSET_TAG.findall(text) if (a := _asset(page, tag, root)))
    for kind, path in sorted(assets):
        if kind == "js":
            used.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used, sorted(path for kind, path in assets if kind == "css")


def _sha(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _tree_state(root: Path, keep: set[str]) -> str:
    """The digest of what the purge reads: the bytes of every page, script and stylesheet of the
    tree (hashing them costs far less than reading their words; Sphinx rewrites some pages with the
    same bytes on every build)."""
    parts = [CACHE_VERSION, *sorted(keep)]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".html", ".js", ".css") and path.is_file():
            parts.append(f"{path.relative_to(root).as_posix()} {_sha(path.read_bytes())}")
    return _sha("\n".join(parts).encode())


def _purged(root: Path, cache: Path, keep: set[str]) -> dict[str, dict]:
    """For each stylesheet to purge: its bytes before and the name of its purged copy in `cache`."""
    used, sheets = book_words(root)
    plan = {}
    for sheet in sheets:
        rel = sheet.relative_to(root).as_posix()
        if rel in keep:
            continue
        css = sheet.read_bytes()
        if css and (cache / f"{_sha(css)}.salida").is_file():
            raise StaleInput(f"La hoja de estilos {rel} no se volvió a copiar en esta construcción.")
        text = css.decode("utf-8")
        # the purge looks up only the stylesheet's own words: a new commit or new prose misses no cache
        relevant = used & words(text)
        listed = "\n".join(sorted(relevant)).encode()
        cached = cache / f"{_sha(CACHE_VERSION.encode(), css, listed)}.css"
        if not cached.is_file():
            atomic_write_bytes(cached, purge(text, relevant).encode("utf-8"))
        out = cached.read_bytes()
        if out != css:
            (cache / f"{_sha(out)}.salida").touch()
        plan[rel] = {"antes": len(css), "copia": cached.name, "marca": f"{_sha(out)}.salida"}
    return plan


def purge_book(root: Path, cache: Path, keep: set[str] = frozenset()) -> dict[str, tuple[int, int]]:
    """Purge in place the stylesheets the pages of the HTML tree `root` link, except `keep` (paths
    relative to `root`); returns each one's bytes before and after.

    Each purged stylesheet is kept in `cache` under the digest of this module, the stylesheet and
    the used words it contains; when no page, script or stylesheet changed its bytes since the last
    build, their words are not read again. The stylesheets must be those Sphinx copied in this build
    (it copies a theme's file again whenever its bytes differ): one still equal to the previous
    purge raises `StaleInput`, rather than purge what was already purged."""
    root = Path(os.path.normpath(root.absolute()))
    cache.mkdir(parents=True, exist_ok=True)
    state = _tree_state(root, keep)
    record = cache / "ultima.json"
    last = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    plan = last.get("hojas", {})
    if last.get("estado") != state or not all((cache / p["copia"]).is_file() for p in plan.values()):
        plan = _purged(root, cache, keep)
        atomic_write_bytes(record, json.dumps({"estado": state, "hojas": plan}, indent=1, sort_keys=True).encode())
    sizes = {}
    for rel, entry in sorted(plan.items()):
        out = (cache / entry["copia"]).read_bytes()
        write_if_changed(root / rel, out)
        sizes[rel] = (entry["antes"], len(out))
    wanted = {record.name} | {name for p in plan.values() for name in (p["copia"], p["marca"])}
    for old in cache.iterdir():
        if old.name not in wanted:
            old.unlink()
    return sizes
