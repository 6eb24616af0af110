"""Executors run notebook jobs. The build talks only to `Executor`, so a process pool or a
cluster (`pnmce.execute.dask_executor`) can replace the local one without touching the orchestration.

An executor only runs what it is given (the build decides what is stale) and returns, for each
job, the normalised notebook text and what the kernel recorded that it read; the build writes
the files. `LocalExecutor` runs papermill on warm kernels, one per worker thread.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

from pnmce.execute.plan import Run


@dataclass(frozen=True)
class Job:
    run: Run
    template: Path
    output: Path  # .ipynb
    cwd: Path
    parameters: dict = field(default_factory=dict)  # the run's parameters that the template uses
    reasons: tuple[str, ...] = ()  # why it runs (Spanish), for `--explicar`


@dataclass(frozen=True)
class Outcome:
    job: Job
    status: str  # "ejecutado" | "sin cambios" | "error"
    error: str | None = None
    notebook: str | None = None  # normalised .ipynb text
    read: tuple[tuple[str, str], ...] = ()  # (kind, arg) the kernel recorded


class Executor(Protocol):
    def execute(self, jobs: Sequence[Job]) -> list[Outcome]: ...


def execute_job(job: Job, kernels) -> Outcome:
    """Run one notebook with papermill on a warm kernel; return its normalised text and inputs."""
    import json

    import jupytext
    import nbformat
    import papermill as pm

    from pnmce.execute.kernel import ENGINE
    from pnmce.execute.normalize import normalise

    template = jupytext.read(job.template)
    template.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    fd, deps_path = tempfile.mkstemp(prefix="pnmce-lecturas-", suffix=".json")
    os.close(fd)
    try:
        executed = pm.execute_notebook(
            template, None, parameters=job.parameters, kernel_name="python3", engine_name=ENGINE,
            km=kernels.get(), deps_path=deps_path, progress_bar=False, record_timing=False, log_output=False,
        )
        with open(deps_path, encoding="utf-8") as f:
            read = tuple(tuple(k) for k in json.load(f))
    except pm.PapermillExecutionError as exc:
        kernels.discard()
        return Outcome(job, "error", f"{exc.ename}: {exc.evalue}")
    except Exception as exc:  # a kernel that died: report it with the notebook's name
        kernels.discard()
        return Outcome(job, "error", f"{type(exc).__name__}: {exc}")
    finally:
        Path(deps_path).unlink(missing_ok=True)
    normalise(executed, job.parameters)
    text = nbformat.writes(executed)
    return Outcome(job, "ejecutado", notebook=text if text.endswith("\n") else text + "\n", read=read)


class LocalExecutor:
    """Runs jobs on this machine with `workers` threads, each driving its own kernel."""

    def __init__(self, workers: int = 1, progress: bool = True):
        self.workers = max(1, workers)
        self.progress = progress

    def execute(self, jobs: Sequence[Job]) -> list[Outcome]:
        from tqdm import tqdm

        from pnmce.execute.kernel import KernelPool

        if not jobs:
            return []
        bar = tqdm(total=len(jobs), desc="Cuadernos", unit="cuaderno", disable=not self.progress, mininterval=2)
        outcomes: dict[str, Outcome] = {}
        kernels = KernelPool(str(jobs[0].cwd))
        try:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
                futures = [pool.submit(execute_job, job, kernels) for job in jobs]
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes[outcome.job.run.key] = outcome
                    bar.update()
        finally:
            kernels.close()
            bar.close()
        return [outcomes[job.run.key] for job in jobs]
