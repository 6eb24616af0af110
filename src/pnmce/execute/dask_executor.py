"""An executor on `dask.distributed`: notebook jobs run on a Dask cluster, each worker holding
its own warm kernel (one `KernelPool` per worker and project folder).

The workers must see the project folder at the same path (a shared or local file system): a
kernel runs in the project's root and reads `data/`. Results come back as values (the
normalised notebook text and what it read), and the build writes the files, as with the local
executor; so both give the same bytes.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from pnmce.execute.executor import Job, Outcome, execute_job

# Per worker and project folder: one thread that owns one warm kernel. The thread is ours, not
# Dask's, so the kernel client never meets the worker's event loop (in-process workers).
_POOLS: dict[tuple[str, str], tuple] = {}
_LOCK = threading.Lock()


def _pool_for(cwd: str):
    from distributed import get_worker

    from pnmce.execute.kernel import KernelPool

    key = (get_worker().address, cwd)
    with _LOCK:
        if key not in _POOLS:
            _POOLS[key] = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="pnmce-nucleo"), KernelPool(cwd))
        return _POOLS[key]


def run_job(job: Job) -> Outcome:
    """Runs on a worker: the job on that worker's warm kernel."""
    thread, kernels = _pool_for(str(job.cwd))
    return thread.submit(execute_job, job, kernels).result()


def close_kernels(dask_worker=None) -> int:
    """Runs on each worker at the end: shut down the kernels this worker started."""
    address = getattr(dask_worker, "address", None)
    with _LOCK:
        keys = [k for k in _POOLS if address is None or k[0] == address]
        for key in keys:
            thread, kernels = _POOLS.pop(key)
            thread.submit(kernels.close).result()
            thread.shutdown()
    return len(keys)


class DaskExecutor:
    """Runs jobs on the Dask cluster at `address` (`tcp://HOST:PORT`) or through a given `Client`."""

    def __init__(self, address):
        self.address = address

    def execute(self, jobs: Sequence[Job]) -> list[Outcome]:
        from distributed import Client

        if not jobs:
            return []
        own = not isinstance(self.address, Client)
        client = Client(self.address, set_as_default=False) if own else self.address
        try:
            futures = client.map(run_job, list(jobs), pure=False)
            outcomes = client.gather(futures)
            client.run(close_kernels)
        finally:
            if own:
                client.close()
        return list(outcomes)
