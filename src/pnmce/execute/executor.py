"""Executors run notebook jobs. The build talks only to `Executor`, so a cache, a process
pool or a cluster can replace the local one without touching the orchestration.

`LocalExecutor` skips jobs whose output is current (same inputs digest) and runs the others
with papermill on warm kernels, one per worker thread (see `pnmce.execute.kernel`)."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import jupytext
import nbformat
import papermill as pm
from tqdm import tqdm

from pnmce.execute.kernel import ENGINE, KernelPool
from pnmce.execute.normalize import normalise
from pnmce.execute.plan import Run


@dataclass(frozen=True)
class Job:
    run: Run
    template: Path
    output: Path  # .ipynb
    cwd: Path
    digest: str  # hash of everything the output depends on


@dataclass(frozen=True)
class Outcome:
    job: Job
    status: str  # "ejecutado" | "sin cambios" | "error"
    error: str | None = None


class Executor(Protocol):
    def execute(self, jobs: Sequence[Job]) -> list[Outcome]: ...


def job_digest(run: Run, template: Path, inputs_digest: str) -> str:
    h = hashlib.sha256(template.read_bytes())
    h.update(json.dumps(run.parameters, sort_keys=True).encode())
    h.update(inputs_digest.encode())
    return h.hexdigest()[:16]


def is_current(job: Job) -> bool:
    """True when the output was produced from exactly these inputs."""
    if not job.output.is_file():
        return False
    try:
        nb = nbformat.read(job.output, as_version=4)
    except Exception:  # a damaged output is simply rebuilt
        return False
    return nb.metadata.get("pnmce", {}).get("digest") == job.digest


def execute_job(job: Job, kernels: KernelPool) -> Outcome:
    """Run one notebook with papermill on a warm kernel and write its normalised form."""
    if is_current(job):
        return Outcome(job, "sin cambios")
    template = jupytext.read(job.template)
    template.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    try:
        executed = pm.execute_notebook(
            template, None, parameters=job.run.parameters, kernel_name="python3", engine_name=ENGINE,
            km=kernels.get(), progress_bar=False, record_timing=False, log_output=False,
        )
    except pm.PapermillExecutionError as exc:
        kernels.discard()
        return Outcome(job, "error", f"{exc.ename}: {exc.evalue}")
    except Exception as exc:  # a kernel that died: report it with the notebook's name
        kernels.discard()
        return Outcome(job, "error", f"{type(exc).__name__}: {exc}")
    normalise(executed, job.run.parameters, job.digest)
    job.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = job.output.with_suffix(".ipynb.tmp")
    nbformat.write(executed, tmp)
    os.replace(tmp, job.output)
    return Outcome(job, "ejecutado")


class LocalExecutor:
    """Runs jobs on this machine with `workers` threads, each driving its own kernel."""

    def __init__(self, workers: int = 1, progress: bool = True):
        self.workers = max(1, workers)
        self.progress = progress

    def execute(self, jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        bar = tqdm(total=len(jobs), desc="Cuadernos", unit="cuaderno", disable=not self.progress, mininterval=2)
        outcomes: dict[str, Outcome] = {}
        kernels = KernelPool(str(jobs[0].cwd))
        try:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                futures = [pool.submit(execute_job, job, kernels) for job in jobs]
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes[outcome.job.run.key] = outcome
                    bar.update()
        finally:
            kernels.close()
            bar.close()
        return [outcomes[job.run.key] for job in jobs]
