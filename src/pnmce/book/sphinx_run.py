"""Jupyter Book's Sphinx build with parallel jobs: `python -m pnmce.book.sphinx_run FUENTE …`.

The `jupyter-book build` command has no jobs option; its Python API (`build_sphinx`) has. This
module passes it the settings the command derives from `build BOOK --config … --toc …
--path-output … --builder … -W -n --keep-going --quiet`, plus the jobs. It runs in a subprocess
of the build: Sphinx patches docutils' global state, and its memory is returned when it exits.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MAX_JOBS = 8  # beyond this, forking and merging the environment cost more than they save


def default_jobs() -> int:
    """The cores this process may run on (not all the machine's, under a CPU affinity mask)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def output_dir(staging: Path, builder: str) -> Path:
    """Where Jupyter Book writes a book's output under `--path-output` (`_build/<builder>`)."""
    return staging / "_build" / builder


def run(source: Path, config: Path, toc: Path, staging: Path, builder: str, jobs: int) -> int:
    """0 on success; non-zero when Sphinx failed or (warnings being errors) warned."""
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        source.absolute(),
        output_dir(staging, builder),
        use_external_toc=True,
        noconfig=True,
        path_config=str(config),
        confoverrides={"external_toc_path": toc.as_posix(), "latex_individualpages": False, "nitpicky": True},
        builder=builder,
        warningiserror=True,
        keep_going=True,
        quiet=True,
        jobs=jobs,
    )
    return 1 if isinstance(result, BaseException) else int(result or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pnmce.book.sphinx_run",
                                     description="Construye el libro con Sphinx (Jupyter Book) en paralelo.")
    parser.add_argument("fuente", type=Path, help="carpeta del libro")
    parser.add_argument("--config", type=Path, required=True, help="_config.yml")
    parser.add_argument("--toc", type=Path, required=True, help="_toc.yml")
    parser.add_argument("--salida", type=Path, required=True, help="carpeta de salida (escribe _build/<constructor>)")
    parser.add_argument("--constructor", default="html", choices=["html", "singlehtml"])
    parser.add_argument("--trabajos", type=int, default=default_jobs(), help="procesos de Sphinx")
    args = parser.parse_args(argv)
    return run(args.fuente, args.config, args.toc, args.salida, args.constructor, args.trabajos)


if __name__ == "__main__":
    sys.exit(main())
