"""A papermill engine that reuses one warm kernel for many notebooks.

Starting a kernel and importing pandas, Altair and vl-convert costs seconds; a book has
over a hundred notebooks. Its client is kept too: a new client waits 0.2 s for the kernel's
output channel to go quiet (jupyter_client's `wait_for_ready`), once per notebook otherwise.
Each notebook still starts from an empty namespace and with fresh chart ids, so its outputs
depend only on its own cells and parameters.
"""

from __future__ import annotations

import subprocess
import threading

from jupyter_client.manager import KernelManager
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

ENGINE = "pnmce-kernel-compartido"
RESET = ("import pnmce.execute.namespace as _ns\n_ns.clear(get_ipython())\n"
         "import pnmce.deps as _deps\n_deps.reset()\ndel _deps\n")
DUMP = "import pnmce.deps as _deps\n_deps.dump({path!r})\ndel _deps\n"


class _Client(PapermillNotebookClient):
    deps_path: str | None = None

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            reply = self.wait_for_reply(self.kc.execute(RESET, silent=True, store_history=False))
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"No se pudo reiniciar el núcleo: {reply['content']}")
            self.papermill_execute_cells()
            if self.deps_path:  # what the notebook read (pnmce.deps), for its record
                reply = self.wait_for_reply(self.kc.execute(DUMP.format(path=self.deps_path), silent=True,
                                                            store_history=False))
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"No se pudo leer el registro de dependencias: {reply['content']}")
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            self.set_widgets_metadata()
        return self.nb


class SharedKernelEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        km, kc = kwargs.pop("km")
        deps_path = kwargs.pop("deps_path", None)
        kwargs.pop("input_path", None)
        client = _Client(nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                         startup_timeout=start_timeout, log_output=log_output,
                         stdout_file=stdout_file, stderr_file=stderr_file)
        client.deps_path = deps_path
        client.kc = kc  # set after construction: nbclient's __init__ clears it
        return client.execute()


papermill_engines.register(ENGINE, SharedKernelEngine)


class KernelPool:
    """One kernel and its ready client per thread, started in `cwd` on first use; `close()` shuts
    them all down."""

    def __init__(self, cwd: str, kernel_name: str = "python3"):
        self.cwd = cwd
        self.kernel_name = kernel_name
        self._local = threading.local()
        self._all: list[KernelManager] = []
        self._lock = threading.Lock()

    def get(self) -> tuple[KernelManager, object]:
        """This thread's (kernel manager, client)."""
        pair = getattr(self._local, "pair", None)
        if pair is None or not pair[0].is_alive():
            km = KernelManager(kernel_name=self.kernel_name)
            # The kernel's own stderr is only start-up chatter; cell errors come back through papermill.
            km.start_kernel(cwd=self.cwd, stderr=subprocess.DEVNULL)
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            kc.allow_stdin = False
            pair = self._local.pair = (km, kc)
            with self._lock:
                self._all.append(pair)
        return pair

    @staticmethod
    def _shutdown(km: KernelManager, kc) -> None:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)

    def discard(self) -> None:
        """Drop this thread's kernel (after a failure, so the next notebook starts clean)."""
        pair = getattr(self._local, "pair", None)
        if pair is not None:
            self._shutdown(*pair)
            self._local.pair = None

    def close(self) -> None:
        with self._lock:
            for pair in self._all:
                self._shutdown(*pair)
            self._all.clear()
