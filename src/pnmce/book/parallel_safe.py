"""Sphinx extension: declares parallel reading safe for the extensions Jupyter Book loads without
declaring it, after checking what they do. Sphinx otherwise warns (an error, with `-W`) and reads
serially.

- `sphinx_multitoc_numbering` (loaded by `sphinx_external_toc`, even with
  `use_multitoc_numbering: false`) only replaces `TocTreeCollector.assign_section_numbers`, which
  runs at `env-get-updated`, in the main process after the parallel readers have been merged.
  It stores nothing on the environment while documents are read.

Our own extensions declare themselves. The only one that stores anything on the environment while
reading, `pnmce.book.numbering` (each document's `{numref}` targets and numbering outline), purges
them at `env-purge-doc` and merges them at `env-merge-info`; it computes numbers at `env-get-updated` and applies them at
`doctree-resolved`, both in the main process.
"""

from __future__ import annotations

CHECKED = ("sphinx_multitoc_numbering",)


def _declare(app, config) -> None:
    for name in CHECKED:
        ext = app.extensions.get(name)
        if ext is not None and ext.parallel_read_safe is None:
            ext.parallel_read_safe = True


def setup(app) -> dict:
    app.connect("config-inited", _declare)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
