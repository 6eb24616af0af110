"""Tables and figures numbered per chapter, as in an official report (`Tabla 4.2`, `Figura 3.7`).

A caption prints its number as `numfig_format` says (`_config.yml`: «Figura 3.7.», with the period that
closes the number in a caption); a reference in the text prints it without that period («(Figura 3.7)»).

Sphinx numbers figures per chapter only through toctree section numbers, which would also print a
number before every title; our titles already carry the policy's own numbers ("3.2.1. …"). So this
extension assigns the numbers itself, in place of Sphinx's collector: the chapter number is the one
in the chapter page's title ("4. Objetivos prioritarios…"), and every page below that chapter in
the table of contents shares its counter. Pages outside a numbered chapter (the title page, the
introduction) number their tables on their own, without a prefix.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_CHAPTER = re.compile(r"^\s*(\d+)\.\s")
# Charts are raw HTML outputs (`pnmce.present.charts`), not Sphinx figures: numbered here too, and
# `{numref}` to a chart's label (the `id` of its <figure>) is resolved here, since Sphinx knows no such label.
CHART = '<figure class="pnmce-chart"'
_CHART_ID = re.compile(r'<figure class="pnmce-chart" id="([^"]+)"')
_CAPTION = '<figcaption class="pnmce-figura">'


def number_label(fmt: str, number: tuple[int, ...]) -> str:
    """`numfig_format`'s entry for one number, old style (`Figura %s.`) or new (`Figura {number}.`)."""
    shown = ".".join(map(str, number))
    return fmt.replace("%s", shown).replace("{number}", shown)


def reference_label(caption_label: str) -> str:
    """A caption's number as the text cites it: «Figura 3.7.» → «Figura 3.7»."""
    return caption_label.removesuffix(".")


def chapter_number(title: str) -> int | None:
    """`4` for "4. Objetivos…", None for an unnumbered title ("Introducción", "3.2.1. …" is not a chapter
    title but would give 3, so only call this on chapter pages)."""
    m = _CHAPTER.match(title)
    return int(m.group(1)) if m else None


def is_chart(node: nodes.Node) -> bool:
    return isinstance(node, nodes.raw) and "html" in node.get("format", "") and CHART in node.astext()


def outline(tree: nodes.Element, std) -> list[tuple]:
    """What numbering needs of a document, in document order: `("toc", [child, …])` for each
    toctree, `("chart", label or "")` for each chart, `(figtype, id)` for each numbered node.
    Kept per document in the environment (`pnmce_outlines`), so that numbering a book does not
    unpickle every doctree on every build."""
    found: list[tuple] = []

    def walk(node: nodes.Element) -> None:
        for sub in node.children:
            if isinstance(sub, addnodes.toctree):
                found.append(("toc", [child for _title, child in sub["entries"]]))
            elif is_chart(sub):
                label = _CHART_ID.search(sub.astext())
                found.append(("chart", label.group(1) if label else ""))
            elif isinstance(sub, nodes.Element):
                figtype = std.get_enumerable_node_type(sub)
                if figtype and std.get_numfig_title(sub) and sub["ids"]:
                    found.append((figtype, sub["ids"][0]))
                walk(sub)

    walk(tree)
    return found


def _outline_of(env: BuildEnvironment, docname: str) -> list[tuple]:
    outlines = env.__dict__.setdefault("pnmce_outlines", {})
    if docname not in outlines:  # an environment pickled before outlines were kept
        outlines[docname] = outline(env.get_doctree(docname), env.domains["std"])
    return outlines[docname]


def assign_chapter_numbers(env: BuildEnvironment, charts: dict[str, list[tuple[int, ...]]] | None = None,
                           chart_labels: dict[str, tuple[str, tuple[int, ...]]] | None = None
                           ) -> dict[str, dict[str, dict[str, tuple[int, ...]]]]:
    """Per-chapter numbers of Sphinx's numbered nodes; when `charts` is given, it receives each
    document's chart numbers in document order (they share the chapter's «figure» counter), and
    `chart_labels` each labelled chart's document and number."""
    numbers: dict[str, dict[str, dict[str, tuple[int, ...]]]] = {}
    counters: dict[tuple, int] = {}
    seen: set[str] = set()

    def count(scope: str, figtype: str, prefix: tuple[int, ...]) -> tuple[int, ...]:
        counters[scope, figtype] = counters.get((scope, figtype), 0) + 1
        return (*prefix, counters[scope, figtype])

    def walk_doc(docname: str, prefix: tuple[int, ...], scope: str, follow: bool = True) -> None:
        for kind, arg in _outline_of(env, docname):
            if kind == "toc":
                for child in arg if follow else ():
                    if child in env.all_docs and child not in seen:
                        seen.add(child)
                        walk_doc(child, prefix, scope)
            elif kind == "chart":
                if charts is not None:
                    number = count(scope, "figure", prefix)
                    charts.setdefault(docname, []).append(number)
                    if arg and chart_labels is not None:
                        chart_labels[arg] = (docname, number)
            else:
                numbers.setdefault(docname, {}).setdefault(kind, {})[arg] = count(scope, kind, prefix)

    root = env.config.root_doc
    seen.add(root)
    walk_doc(root, (), root, follow=False)
    chapters = [child for kind, arg in _outline_of(env, root) if kind == "toc" for child in arg if child in env.all_docs]
    for chapter in chapters:
        if chapter not in seen:
            seen.add(chapter)
            n = chapter_number(env.titles[chapter].astext()) if chapter in env.titles else None
            walk_doc(chapter, (n,) if n is not None else (), chapter)
    return numbers


def _label_numbers(env: BuildEnvironment) -> dict[str, tuple[int, ...]]:
    """The number every `{numref}` label shows: Sphinx's labels of tables, and our charts'."""
    std = env.domains["std"]
    numbers = {label: n for label, (_doc, n) in getattr(env, "pnmce_chartlabels", {}).items()}
    for label, (docname, labelid, _title) in std.labels.items():
        for by_id in env.pnmce_fignumbers.get(docname, {}).values():
            if labelid in by_id:
                numbers[label] = by_id[labelid]
    return numbers


def _skip_sphinx_numbering(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Switch `numfig` off while Sphinx's collector runs: its book-wide numbers would be replaced
    by ours anyway, and its pass unpickles every doctree on every build (seconds on a no-op).
    `_renumber` switches it back on before anything else reads it."""
    app.pnmce_numfig, app.config.numfig = app.config.numfig, False
    return []


def _renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The documents to write again: those whose numbers changed, and those citing a label whose
    number changed (Sphinx itself would leave such a citation stale in an incremental build)."""
    app.config.numfig = getattr(app, "pnmce_numfig", app.config.numfig)
    if not env.config.numfig:
        return []
    # Compare with our own numbers of the previous run (kept in the pickled environment).
    old = getattr(env, "pnmce_fignumbers", {}), getattr(env, "pnmce_chartnumbers", {})
    old_labels = _label_numbers(env) if hasattr(env, "pnmce_fignumbers") else {}
    charts: dict[str, list[tuple[int, ...]]] = {}
    env.pnmce_chartlabels = {}
    env.toc_fignumbers = env.pnmce_fignumbers = assign_chapter_numbers(env, charts, env.pnmce_chartlabels)
    env.pnmce_chartnumbers = charts
    new = env.pnmce_fignumbers, charts
    docs = set(old[0]) | set(old[1]) | set(new[0]) | set(new[1])
    changed = {d for d in docs if any(o.get(d) != n.get(d) for o, n in zip(old, new))}
    new_labels = _label_numbers(env)
    moved = {label for label in set(old_labels) | set(new_labels) if old_labels.get(label) != new_labels.get(label)}
    changed |= {doc for doc, cited in getattr(env, "pnmce_numrefs", {}).items() if cited & moved}
    return sorted(changed)


_PER_DOCUMENT = ("pnmce_numrefs", "pnmce_outlines")  # what each read document leaves in the environment


def _record_document(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    env.__dict__.setdefault("pnmce_numrefs", {})[env.docname] = {
        n["reftarget"] for n in doctree.findall(addnodes.pending_xref) if n.get("reftype") == "numref"}
    env.__dict__.setdefault("pnmce_outlines", {})[env.docname] = outline(doctree, env.domains["std"])


def _purge_document(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for name in _PER_DOCUMENT:
        getattr(env, name, {}).pop(docname, None)


def _merge_documents(app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment) -> None:
    for name in _PER_DOCUMENT:
        theirs = getattr(other, name, {})
        env.__dict__.setdefault(name, {}).update({d: theirs[d] for d in docnames if d in theirs})


def _chart_reference(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
                     contnode: nodes.Element) -> nodes.reference | None:
    """`{numref}` to a chart: «Figura 2.3», linked to the chart."""
    if node.get("reftype") != "numref" or node["reftarget"] not in getattr(env, "pnmce_chartlabels", {}):
        return None
    label = node["reftarget"]
    docname, number = env.pnmce_chartlabels[label]
    text = number_label(contnode.astext(), number) if node.get("refexplicit") \
        else reference_label(number_label(env.config.numfig_format["figure"], number))
    uri = app.builder.get_relative_uri(node["refdoc"], docname) + "#" + label
    ref = nodes.reference("", "", internal=True, refuri=uri)
    ref += nodes.inline(text, text, classes=["std", "std-numref"])
    return ref


def chart_caption(raw: str, number: tuple[int, ...], fmt: str) -> str:
    """The chart's caption with its number in front, «Figura 2.3. Perú: …», marked up as Sphinx marks
    its own (the caption is the chart's only title: `pnmce.present.charts` draws none inside it)."""
    label = number_label(fmt, number)
    return raw.replace(_CAPTION, f'{_CAPTION}<span class="caption-number">{html.escape(label)} </span>', 1)


def _charts_by_document(tree: nodes.Element, docname: str):
    """(parent, chart, source document) in document order. In the single-page book each page sits in
    a `start_of_file`, whose children Sphinx moves in without re-parenting them: walk down, not up."""
    for child in tree.children:
        if isinstance(child, addnodes.start_of_file):
            yield from _charts_by_document(child, child["docname"])
        elif is_chart(child):
            yield tree, child, docname
        elif isinstance(child, nodes.Element):
            yield from _charts_by_document(child, docname)


def _number_charts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    numbers = getattr(app.env, "pnmce_chartnumbers", {})
    pending: dict[str, list] = {}
    for parent, node, doc in list(_charts_by_document(doctree, docname)):
        left = pending.setdefault(doc, list(numbers.get(doc, [])))
        if left:
            caption = chart_caption(node.astext(), left.pop(0), app.config.numfig_format["figure"])
            parent.replace(node, nodes.raw("", caption, format=node["format"]))


def _references_without_caption_period(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Sphinx writes a `{numref}` to a table with the caption's format («Tabla 3.1.»): the text cites
    it without the period that closes a caption's number («Tabla 3.1»)."""
    formats = [f for f in app.config.numfig_format.values() if f.endswith(".")]
    prefixes = [f.split("{number}" if "{number}" in f else "%s")[0] for f in formats]
    for inline in list(doctree.findall(nodes.inline)):
        text = inline.astext()
        if "std-numref" in inline["classes"] and len(inline.children) == 1 and any(
                text.startswith(p) and re.fullmatch(r"\d+(\.\d+)*\.", text[len(p):]) for p in prefixes):
            inline.replace(inline.children[0], nodes.Text(reference_label(text)))


def setup(app: Sphinx) -> dict:
    app.connect("env-get-updated", _skip_sphinx_numbering, priority=100)  # before Sphinx's collector (500)
    app.connect("env-get-updated", _renumber, priority=900)
    app.connect("doctree-read", _record_document)
    app.connect("env-purge-doc", _purge_document)
    app.connect("env-merge-info", _merge_documents)
    app.connect("missing-reference", _chart_reference)
    app.connect("doctree-resolved", _number_charts)
    app.connect("doctree-resolved", _references_without_caption_period)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
