"""Build timings side by side, printed (not asserted):

    PYTHONPATH=src .venv/bin/python tests/benchmark_build.py [trabajos]

In one run, on copies of the project: the naive pipeline (papermill each notebook in sequence
with a fresh kernel, then `jupyter-book build` from scratch), then our build from scratch, with
nothing changed, after one observed value changed, after one indicator name changed, and after
a commit with no content change. For each: seconds, ratio to naive, notebooks executed and peak
memory (resident memory of this process and all its children, sampled every 0.2 s).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from pnmce.book.build import build, jobs_for, write_data_files  # noqa: E402
from pnmce.data import load_valid_catalogue  # noqa: E402
from pnmce.edition.record import edition_table  # noqa: E402
from pnmce.execute.executor import LocalExecutor  # noqa: E402
from tests.conftest import copy_project  # noqa: E402

GIT = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "bench",
       "GIT_COMMITTER_EMAIL": "b@b"}


class PeakMemory:
    """Peak of the summed resident memory of this process and its descendants."""

    def __enter__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def naive(project) -> int:
    """papermill each notebook with a fresh kernel (its default engine), then a clean jupyter-book build."""
    import jupytext
    import nbformat
    import papermill as pm

    cat = load_valid_catalogue(project.data)
    write_data_files(project, cat, 2024, edition_table(cat, project.data, project.editions, 2024))
    jobs = jobs_for(project, cat, 2024)
    for job in jobs:
        nb = jupytext.read(job.template)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        job.output.parent.mkdir(parents=True, exist_ok=True)
        executed = pm.execute_notebook(nb, None, parameters=job.run.parameters, kernel_name="python3",
                                       progress_bar=False, cwd=str(project.root))
        nbformat.write(executed, job.output)
    exe = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(exe), "build", str(project.book), "--config", str(project.config), "--toc", str(project.toc),
                    "--path-output", str(project.build / "naive"), "--quiet"], cwd=project.root, check=True,
                   capture_output=True)
    return len(jobs)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT})


def set_cell(path: Path, key: str, column: str, value: str) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    next(r for r in rows if r[fields[0]] == key)[column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    skip_naive = "--sin-ingenuo" in sys.argv
    rows = []

    def measure(label, fn):
        start = time.perf_counter()
        with PeakMemory() as mem:
            n = fn()
        rows.append((label, time.perf_counter() - start, n, mem.peak))
        print(f"  {label}: {rows[-1][1]:.1f} s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        if not skip_naive:
            measure("ingenuo (papermill + jupyter-book)", lambda: naive(copy_project(Path(tmp) / "ingenuo")))
        project = copy_project(Path(tmp) / "libro")
        (project.root / ".gitignore").write_text("_build/\nbook/generado/\nbook/_static/datos/\n")
        git(project.root, "init", "-q")
        git(project.root, "add", "-A")
        git(project.root, "commit", "-qm", "inicial")
        run = LocalExecutor(workers, progress=False)

        def ours():
            return sum(o.status == "ejecutado" for o in build(project, executor=run).outcomes)

        measure("desde cero", ours)
        measure("sin cambios", ours)
        set_cell(project.data / "observado" / "2024.csv", "OP1.2", "valor", "21500")
        measure("un valor observado", ours)
        set_cell(project.data / "catalogo" / "indicadores.csv", "S2.3.1-cob", "nombre", "Cobertura (renombrado)")
        measure("un nombre de indicador", ours)
        git(project.root, "add", "-A")
        git(project.root, "commit", "-qm", "cambios")
        measure("otro commit, mismo contenido", ours)

    naive_s = rows[0][1] if not skip_naive else None
    print(f"\n{'escenario':32s} {'segundos':>9s} {'× ingenuo':>10s} {'cuadernos':>10s} {'memoria pico':>13s}"
          f"  ({workers} trabajos, {os.cpu_count()} núcleos)")
    for label, seconds, n, peak in rows:
        ratio = f"{seconds / naive_s:.3f}" if naive_s else "—"
        print(f"{label:32s} {seconds:9.1f} {ratio:>10s} {n:10d} {peak / 2**20:10.0f} MB")


if __name__ == "__main__":
    main()
