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
