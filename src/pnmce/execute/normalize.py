"""Make an executed notebook byte-identical between runs with the same inputs."""

from __future__ import annotations

import re

import nbformat

from pnmce.present.tables import escape

_VOLATILE_PAPERMILL = ("start_time", "end_time", "duration", "input_path", "output_path",
                       "environment_variables", "exception")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def normalise(nb: nbformat.NotebookNode, values: dict) -> nbformat.NotebookNode:
    """Strip timestamps and random ids, hide the parameters, fill `{{ name }}` in Markdown (escaped)."""
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("widgets", None)
    for key in _VOLATILE_PAPERMILL:
        nb.metadata.get("papermill", {}).pop(key, None)
    nb.metadata.pop("pnmce", None)  # what a run depended on lives in its record, not in the notebook
    count = 0
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
        if cell.cell_type == "code":  # a reused kernel keeps counting: number from 1 per notebook
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags or "parameters" in tags:
            cell.metadata["tags"] = sorted(set(tags) | {"remove-cell"})
        if cell.cell_type == "markdown":
            cell.source = _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]) if m.group(1) in values else m.group(0),
                                           cell.source)
    return nb
