"""Chapter kernels: each build worker keeps one kernel and runs its chapters in it, one after
the other, so that the imports (pandas, scipy.stats, statsmodels, altair: about 2 s) and the
kernel start (about 1 s) are paid once per worker rather than once per chapter.

Before each chapter after the first, the kernel is put back as a fresh one would be
(:data:`RESET`): an empty user namespace, the execution counter at 1, the warning filters
and "already shown" registries of its start, its working directory. Modules stay imported;
wavebook's modules keep no state between chapters (``report.open_chapter`` sets what a chapter
needs). ``tests/test_kernels.py`` checks that chapters run in one kernel give the same
notebooks as chapters run each in its own.

Execution goes through papermill (parameters, cell errors) with an engine of its documented
engine registry (:class:`WarmEngine`) that lends the worker's kernel to the notebook client
and closes the client's channels afterwards, leaving the kernel up.

Kernels talk over local sockets: no TCP port is opened. Every live kernel is registered for
:func:`kill_all`, which Ctrl-C uses to stop them at once.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import tempfile
import threading
from pathlib import Path

KERNEL = "python3"

# Run (silently, outside the history) in a kernel before each chapter but its first.
# `SNAPSHOT` runs once, when the kernel has started, before the first chapter.
SNAPSHOT = """\
def __wavebook_snapshot():
    import os, sys, warnings
    sys.modules["__wavebook_kernel__"] = type(sys)("__wavebook_kernel__")
    sys.modules["__wavebook_kernel__"].state = (list(warnings.filters), os.getcwd())
__wavebook_snapshot()
del __wavebook_snapshot
"""
RESET = """\
def __wavebook_reset():
    import os, sys, warnings
    filters, cwd = sys.modules["__wavebook_kernel__"].state
    warnings.filters[:] = filters
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    os.chdir(cwd)
    get_ipython().reset(new_session=True)
__wavebook_reset()
"""

_KERNELS: set = set()
_KERNELS_LOCK = threading.Lock()


def _manager_class(sockets: Path):
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(transport="ipc", ip=str(sockets / "kernel"), **kwargs)
            self.chapters_run = 0

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            with _KERNELS_LOCK:
                _KERNELS.add(self)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts a kernel before shutting it down; it is idle by then,
            # and the SIGINT only makes ipykernel log "KeyboardInterrupt caught in kernel".
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

        async def _async_cleanup_resources(self, restart: bool = False):
            with _KERNELS_LOCK:
                _KERNELS.discard(self)
            await super()._async_cleanup_resources(restart=restart)

    return LocalKernelManager


def kill_all() -> int:
    """Kill every kernel this process started (whole process groups); return how many."""
    with _KERNELS_LOCK:
        managers = list(_KERNELS)
        _KERNELS.clear()
    for manager in managers:
        provisioner = getattr(manager, "provisioner", None)
        group = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
        if group:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
    return len(managers)


def _engine():
    """papermill's nbclient engine, with the kernel lent by the caller (``km=``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class WarmClient(PapermillNotebookClient):
        def papermill_execute_cells(self):
            code = RESET if self.km.chapters_run else SNAPSHOT
            reply = self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False))
            if reply is None or reply["content"]["status"] != "ok":
                raise RuntimeError(f"the chapter kernel could not be reset: {reply}")
            self.km.chapters_run += 1
            super().papermill_execute_cells()

        def execute(self, **kwargs):
            try:
                return super().execute(**kwargs)
            finally:
                if self.kc is not None:  # the kernel stays up; its client for this chapter goes
                    self.kc.stop_channels()
                    self.kc = None

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, start_timeout=60, **kwargs
        ):
            kwargs.pop("input_path", None)
            return WarmClient(
                nb_man,
                kernel_name=kernel_name,
                startup_timeout=start_timeout,
                log=logger,
                log_output=log_output,
                **kwargs,
            ).execute()

    return WarmEngine


_ENGINE = "wavebook-warm"


@functools.cache
def _register_engine() -> None:
    """Add :func:`_engine` to papermill's engine registry, once per process."""
    from papermill.engines import papermill_engines

    papermill_engines.register(_ENGINE, _engine())


class Kernel:
    """One worker's kernel, started with its first chapter and kept for the next ones.

    Use as a context manager: the kernel is shut down on leaving. A kernel that died (or whose
    chapter failed) is replaced by a fresh one for the next chapter.
    """

    def __init__(self) -> None:
        self._sockets = tempfile.TemporaryDirectory(prefix="wavebook-kernel-")
        self._manager_class = _manager_class(Path(self._sockets.name))
        self.manager = None
        self.started = 0  # kernels this worker started (one unless a chapter failed)

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self._sockets.cleanup()
        if threading.current_thread() is not threading.main_thread():
            # the event loop jupyter_core made for this worker thread (a closed one is
            # replaced the next time it is needed)
            from jupyter_core.utils import ensure_event_loop

            loop = ensure_event_loop()
            if not loop.is_running():
                loop.close()

    def _ready_manager(self):
        if self.manager is not None and self.manager.has_kernel:
            from jupyter_core.utils import run_sync

            if run_sync(self.manager.is_alive)():
                return self.manager
            self.shutdown()
        self.manager = self._manager_class(kernel_name=KERNEL)
        self.started += 1
        return self.manager  # nbclient starts it with the first chapter

    def execute(self, source: Path, target: Path, params: dict) -> None:
        """Execute the notebook ``source`` with ``params`` into ``target`` (papermill)."""
        import papermill

        _register_engine()
        manager = self._ready_manager()
        try:
            # no `cwd=`: papermill would chdir the whole process, which races between
            # threads; chapters receive absolute paths instead.
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=params,
                kernel_name=KERNEL,
                engine_name=_ENGINE,
                progress_bar=False,
                log_output=False,
                km=manager,
            )
        except BaseException:
            # a failed chapter may leave anything behind: the next one gets a new kernel
            self.shutdown()
            raise

    def shutdown(self) -> None:
        manager, self.manager = self.manager, None
        if manager is None or not manager.has_kernel:
            return
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):
            run_sync(manager.shutdown_kernel)(now=True)
