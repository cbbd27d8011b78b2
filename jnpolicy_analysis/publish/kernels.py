"""Local Jupyter kernels over IPC (Unix sockets) instead of TCP on localhost.

A kernel started over TCP with no CurveZMQ keys logs "Kernel is running over TCP without
encryption" to the terminal of whoever runs the report: on a shared machine another user could
connect to its ports. The notebooks' kernels always run on this machine, so they use IPC
transport: sockets in the Jupyter runtime folder, with its 0700 permissions, and no warning.
Windows has no IPC transport in ZeroMQ; there the kernels keep TCP.

    papermill.execute_notebook(..., **KERNEL_OPTIONS)
"""

from __future__ import annotations

import os
import sys
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import default


class IPCKernelManager(AsyncKernelManager):
    """The kernel manager nbclient uses by default, with IPC transport, and no interrupt at
    shutdown.

    jupyter_client sends SIGINT to a kernel before asking it to shut down; a kernel caught
    handling a message then logs "KeyboardInterrupt caught in kernel" into the report run's output.
    nbclient shuts a kernel down only once it has run every cell (no cell timeout is set), so
    there is nothing to interrupt: the shutdown request goes alone, and a kernel that does not
    exit in time is still killed by jupyter_client."""

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    @default("transport")
    def _default_transport(self) -> str:
        return "tcp" if sys.platform == "win32" else "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        """Socket paths of this kernel only: ``<runtime>/jnk-<random>-ipc-<n>``. jupyter_client's
        default for IPC is ``kernel-ipc`` in the working folder for every kernel, so kernels
        started at once race for the same sockets."""
        if self.transport != "ipc":
            return "127.0.0.1"
        runtime = jupyter_runtime_dir()
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        return os.path.join(runtime, f"jnk-{uuid.uuid4().hex[:12]}-ipc")


# keyword arguments for papermill.execute_notebook (passed on to nbclient's NotebookClient)
KERNEL_OPTIONS: dict[str, object] = {"kernel_manager_class": IPCKernelManager}


# --------------------------------------------------------------------------- warm kernels
#
# A report run keeps one kernel per worker and runs its notebooks one after another in it, so the
# package, pandas and matplotlib are imported once per worker instead of once per notebook. Before
# each notebook the kernel is put back as a fresh one would be (``reset``): an empty namespace
# (IPython's own reset, execution count 1), no open figure, matplotlib's settings and the warning
# filters as they were right after start-up. What stays is what was imported and the caches of
# pure functions keyed on their inputs. A notebook that fails, or a kernel that dies, gets a new
# kernel for the next notebook.

WARM_MODULES = (
    "jnpolicy_analysis.publish.notebook",
    "jnpolicy_analysis.charts",
    "jnpolicy_analysis.publish.presentation",
)
_FRESH: dict[str, object] = {}

WARM_CODE = "import jnpolicy_analysis.publish.kernels as _k; _k.warm(); del _k"
RESET_CODE = "import jnpolicy_analysis.publish.kernels as _k; _k.reset()"


def warm(modules: tuple[str, ...] = WARM_MODULES) -> None:
    """In a kernel just started: import ``modules`` and remember the state a notebook starts from
    (matplotlib's settings, the warning filters)."""
    import importlib
    import warnings

    import matplotlib

    for name in modules:
        importlib.import_module(name)
    _FRESH["rc"] = dict(matplotlib.rcParams)
    _FRESH["filters"] = list(warnings.filters)


def reset() -> None:
    """In a warmed kernel, before the next notebook: what the last one left is gone (see above)."""
    import warnings

    import matplotlib
    from IPython import get_ipython

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # namespace, output cache and execution count
    rc = _FRESH.get("rc")
    if isinstance(rc, dict):
        # set without validation (the values came from rcParams) and without 'backend', which
        # pyplot resolves once
        dict.update(matplotlib.rcParams, {k: v for k, v in rc.items() if k != "backend"})
    filters = _FRESH.get("filters")
    if isinstance(filters, list):
        warnings.filters[:] = filters
        warnings._filters_mutated()  # type: ignore[attr-defined]  # "once" warnings show again
    from .. import fonts

    if fonts.cjk_family() is None:  # its warning (no CJK font) is given once per notebook
        fonts.cjk_family.cache_clear()
