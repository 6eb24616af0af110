"""Build timings, printed (not asserted): `.venv/bin/python tests/benchmark_build.py [trabajos]`.

Builds a copy of the project twice: from scratch, then again with nothing changed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pnmce.book.build import build  # noqa: E402
from pnmce.execute.executor import LocalExecutor  # noqa: E402
from tests.conftest import copy_project  # noqa: E402


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        for label in ("desde cero", "sin cambios"):
            start = time.perf_counter()
            result = build(project, executor=LocalExecutor(workers, progress=False))
            seconds = time.perf_counter() - start
            run = sum(o.status == "ejecutado" for o in result.outcomes)
            print(f"{label:12s} {seconds:7.1f} s  {run:4d} cuadernos ejecutados de {len(result.outcomes)} "
                  f"({workers} trabajos)")


if __name__ == "__main__":
    main()
