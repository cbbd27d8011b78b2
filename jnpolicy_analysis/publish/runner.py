"""Scheduled report runs: execute the notebooks with papermill for each scenario, then publish
HTML without code, figures, tables and a manifest, atomically.

Layout of ``reports/`` (``--out``)::

    .runs/<as-of>_<stamp>/          one complete run (never changed once published)
        index.html                  links everything below
        manifest.json               what produced it
        briefing/                   00_briefing: all scenarios side by side
        <scenario>/                 01_employment_costs, 02_platform_economy, 03_industrial_internet
            *.ipynb, *.html, figures/, tables/
    <as-of>  -> .runs/<as-of>_<stamp>     (a symlink, replaced atomically on a re-run that day)
    latest   -> <newest as-of>
    _failed/<stamp>/                the executed notebooks of a failed run
    .lock                           held while a run is in progress

A run builds in a staging folder and is published only when every notebook succeeded: a failed
run exits 1, keeps its failed notebooks under ``_failed/`` and leaves the last good report as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from filelock import FileLock, Timeout

from .. import __version__
from ..errors import DataError, ReportFailed
from ..inputs.snapshot import snapshot_inputs
from ..paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_DIR, REPORTS_DIR, short_name
from .assets import embed as embed_font
from .prune import links_into_runs

DEFAULT_WORKERS = (os.cpu_count() or 1) + 1
SCENARIO_NOTEBOOKS = [
    "01_employment_costs",
    "02_platform_economy",
    "03_industrial_internet",
    "04_evaluation",
]
BRIEFING_NOTEBOOK = "00_briefing"
# The chapter of a document with none of its own (its policy file names no ``chapter``): run once
# per such document and scenario, with ``doc``, as ``06_document__<policy file stem>``.
GENERIC_CHAPTER = "06_document"
LIBRARIES = [
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "pydantic",
    "papermill",
    "nbconvert",
    "openpyxl",
    "jupytext",
]


class DiskFull(ReportFailed):
    """The disk filled before or while the report was written; nothing was published."""


_STOPPING = threading.Event()  # set on SIGINT/SIGTERM: workers start no new kernel


@dataclass
class Task:
    notebook: str
    folder: str  # "briefing" or the scenario name
    parameters: dict
    seconds: float = 0.0
    source: str = ""  # the notebook run, when ``notebook`` names its output (a generic chapter)
    error: str | None = None


@dataclass
class RunResult:
    run_dir: Path
    as_of: str
    scenarios: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    latest: str = ""  # the as-of `latest` points at (the newest, maybe not this run's)


def parse_as_of(text: str | None) -> str:
    if text is None:
        return dt.date.today().isoformat()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, re.ASCII):
            raise ValueError(text)  # fromisoformat also takes 20200101 and 2020-W01
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise DataError.single("--as-of", "as_of", f"'{text}' is not a date YYYY-MM-DD") from None


def git_commit() -> str:
    try:
        run = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    if run.returncode != 0:
        return "unknown"
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout.strip()
    return run.stdout.strip() + ("-dirty" if dirty else "")


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _execute(task: Task, source: Path, dest: Path, kernel: str) -> Task:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    dest.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if _STOPPING.is_set():
        task.error = "stopped: the run was interrupted"
        return task
    km = None
    try:
        km = _worker_kernel(kernel)
        pm.execute_notebook(
            str(source),
            str(dest),
            parameters=task.parameters,
            kernel_name=kernel,
            progress_bar=False,
            km=km,  # this worker's warm kernel (see kernels.py), reset for this notebook
            # no cwd=: papermill changes the whole process's directory for it, which races
            # between threads; the notebooks write only to their absolute out_dir
        )
    except PapermillExecutionError as exc:
        task.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a kernel that died, a notebook that cannot be read
        task.error = f"{type(exc).__name__}: {exc}"
    finally:
        if km is not None:
            km.stop_clients()
    if task.error is not None or not getattr(_LOCAL, "warm", False):
        _retire_kernel()  # a failed notebook's kernel is not reused
    if task.error is None:  # converted here, while the other workers' kernels run
        to_html(dest, f"{task.notebook} · {task.folder}")
    task.seconds = time.perf_counter() - start
    return task


# --------------------------------------------------------------------------- warm kernels

_LOCAL = threading.local()  # per worker thread: its kernel manager (km) and whether it is warm
HISTORY_ARGS = ["--HistoryManager.hist_file=:memory:"]  # as nbclient starts its kernels


def _run_code(km, code: str, timeout: float = 300) -> bool:
    """Run ``code`` silently in ``km``'s kernel (no output, no execution count); True if it ran.

    It goes through the runner's own client (``TrackedKernelManager.runner_client``), kept
    open while the kernel lives: a client opened for each call waited for the kernel to be ready,
    a quarter of a second before every notebook."""
    import queue

    from jupyter_core.utils import run_sync

    kc = km.runner_client()
    msg_id = kc.execute(code, silent=True, store_history=False)
    deadline = time.monotonic() + timeout
    # wait for the reply a second at a time, so that a run being stopped, or a kernel killed on a
    # signal, ends the wait at once (a dead kernel never replies). A kernel still starting gets the
    # request once it listens (ZeroMQ holds it until then)
    while time.monotonic() < deadline:
        if _STOPPING.is_set() or not run_sync(km.is_alive)():
            return False
        try:
            reply = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply.get("content", {}).get("status") == "ok"
    return False


def _worker_kernel(kernel: str):
    """This worker's kernel, reset as a fresh one for the next notebook; a new one (warmed: the
    package imported) when there is none, it died, or it cannot be reset. A kernel that cannot
    import the package (another environment's) runs one notebook and is replaced, as before."""
    from jupyter_core.utils import run_sync

    from .kernels import RESET_CODE, WARM_CODE

    km = getattr(_LOCAL, "km", None)
    if km is not None:
        if km.kernel_name == kernel and run_sync(km.is_alive)() and _run_code(km, RESET_CODE):
            return km
        _retire_kernel()
    if _STOPPING.is_set():
        raise RuntimeError("stopped: the run was interrupted")
    km = _tracked_manager_class()(kernel_name=kernel)
    _LOCAL.km, _LOCAL.warm = km, False
    run_sync(km.start_kernel)(extra_arguments=list(HISTORY_ARGS))
    _LOCAL.warm = _run_code(km, WARM_CODE)
    return km


def _retire_kernel() -> None:
    """Shut this worker's kernel down (it is killed if it does not exit in time)."""
    from jupyter_core.utils import run_sync

    km = getattr(_LOCAL, "km", None)
    _LOCAL.km, _LOCAL.warm = None, False
    if km is None:
        return
    try:
        km.stop_clients()
        km.close_runner_client()
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)()
        else:
            run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 - already dead or killed on a signal
        pass
    finally:
        with _KERNELS_LOCK:
            _KERNELS.discard(km)


# nbconvert's lab page without the scripts it loads from the web (MathJax would typeset any
# "$...$" of the data's text as formulas, and a report opens offline with no request out), and
# with each figure's alt text (its title, escaped like every text from the data). A figure the
# run exported beside the page (``file``, checked by ``figure_files``) is shown from that file
# rather than copied into the page.
_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- set file = output | get_metadata('file', 'image/png') -%}
{%- if file %}
<img src="{{ file | escape_html }}"
{%- else %}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- endif -%}
{%- set alttext = output | get_metadata('alt', 'image/png') -%}
{%- if alttext %} alt="{{ alttext | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
"""


def _exporter():
    """This thread's HTML exporter: its templates and stylesheets are loaded once, not for every
    page (an exporter holds state while it converts, so threads do not share one)."""
    exporter = getattr(_LOCAL, "exporter", None)
    if exporter is None:
        import jinja2
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            extra_loaders=[jinja2.DictLoader({"jnpolicy.html.j2": _PAGE_TEMPLATE})],
            template_file="jnpolicy.html.j2",
        )
        _LOCAL.exporter = exporter
    return exporter


def to_html(notebook: Path, title: str) -> Path:
    """HTML without code cells (inputs and prompts hidden); figures embedded as images."""
    import nbformat

    exporter = _exporter()
    nb = nbformat.read(str(notebook), as_version=4)
    if sanitize_outputs(nb):
        nbformat.write(nb, str(notebook))
    figure_files(nb, notebook.parent)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    out = notebook.with_suffix(".html")
    out.write_text(body, encoding="utf-8")
    return out


_FIGURE_FILE = re.compile(r"figures/[A-Za-z0-9_-]{1,100}\.png")


def figure_files(nb, folder: Path) -> None:
    """Keep a figure's ``file`` (the PNG the run exported, relative to the page) only when it is a
    plain name under ``figures/`` that exists in ``folder``; else the page embeds the picture."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            metadata = output.get("metadata", {})
            for holder in (metadata, metadata.get("image/png")):
                if not isinstance(holder, dict) or "file" not in holder:
                    continue
                file = holder["file"]
                if not (
                    isinstance(file, str)
                    and _FIGURE_FILE.fullmatch(file)
                    and (folder / file).is_file()
                ):
                    del holder["file"]


# Outputs that can carry script or markup from the data; shown as their plain text instead.
_UNSAFE_OUTPUTS = ("text/markdown", "text/latex", "image/svg+xml", "application/javascript")


def sanitize_outputs(nb) -> bool:
    """The one edge every page passes: each HTML output of ``nb`` through ``sanitize_html`` (no
    script, link, image or event attribute survives), markdown, LaTeX, SVG and JavaScript outputs
    replaced by their plain text. Changes ``nb`` in place; True when anything changed."""
    from .presentation import sanitize_html

    changed = False
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if "text/html" in data:
                raw = data["text/html"]
                raw = "".join(raw) if isinstance(raw, list) else raw
                clean = sanitize_html(raw)
                if clean != raw:
                    data["text/html"] = clean
                    changed = True
            for mime in _UNSAFE_OUTPUTS:
                if mime in data:
                    text = data.pop(mime)
                    data.setdefault("text/plain", "".join(text) if isinstance(text, list) else text)
                    changed = True
    return changed


def _point_symlink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` atomically (a new symlink renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


# --------------------------------------------------------------------------- the publisher's rules


def _ours_dated(link: Path) -> bool:
    """A dated link this tool made: a symlink to ``.runs/<name>``."""
    if not link.is_symlink():
        return False
    target = os.readlink(link)
    return target.startswith(".runs/") and "/" not in target[len(".runs/") :]


def _ours_latest(link: Path) -> bool:
    """``latest`` as this tool makes it: a symlink to a date beside it."""
    if not link.is_symlink():
        return False
    try:
        dt.date.fromisoformat(os.readlink(link))
    except ValueError:
        return False
    return True


def check_out_dir(out: Path, as_of: str, data_dir: Path) -> None:
    """Refuse, before anything runs, an ``--out`` where publishing would replace a user's file or
    folder (``latest`` or the dated name that is not a link this tool made) or one inside
    ``--data`` (the report would become an input)."""
    try:
        out.resolve().relative_to(data_dir.resolve())
    except ValueError:
        pass
    else:
        raise DataError.single(
            "--out",
            "out",
            f"{out} is inside --data {data_dir}: the report would be read as input; "
            "choose a folder outside it",
        )
    day, latest = out / as_of, out / "latest"
    if (day.is_symlink() or day.exists()) and not _ours_dated(day):
        raise DataError.single(
            day,
            "(file)",
            "exists and is not a report link this tool made; move it away, the report will "
            "not replace it",
        )
    if (latest.is_symlink() or latest.exists()) and not _ours_latest(latest):
        raise DataError.single(
            latest,
            "(file)",
            "exists and is not the link this tool made; move it away, the report will not "
            "replace it",
        )


def check_as_of(as_of: str, allow_future: bool) -> None:
    """An ``--as-of`` more than a year past today is refused unless ``allow_future``: one such run
    would otherwise hold ``latest`` (the newest --as-of) for years."""
    day, today = dt.date.fromisoformat(as_of), dt.date.today()
    if not allow_future and day > today + dt.timedelta(days=366):
        raise DataError.single(
            "--as-of",
            "as_of",
            f"{as_of} is more than a year after today ({today}); `latest` points at the newest "
            "--as-of, so pass --allow-future if that is intended",
        )


def _newest_as_of(out: Path) -> str | None:
    dates = []
    for p in out.iterdir():
        if p.name != "latest" and _ours_dated(p) and p.exists():
            try:
                dates.append(dt.date.fromisoformat(p.name))
            except ValueError:
                continue
    return max(dates).isoformat() if dates else None


def _prune_runs(out: Path) -> list[str]:
    """Remove run folders nothing points at any more: no dated link, no ``latest``, no link of the
    user's (to the run or anything inside it). Returns the names removed."""
    runs = out / ".runs"
    if not runs.is_dir():
        return []
    pinned = links_into_runs(out)  # any link at any depth: dated, latest, or the user's
    removed = []
    for run in runs.iterdir():
        if run.name.startswith(".staging") or not run.is_dir() or run.is_symlink():
            continue
        if run.name in pinned:
            continue
        shutil.rmtree(run, ignore_errors=True)
        removed.append(run.name)
    return removed


PID_FILE = ".pid"
ANALYSES = ".analyses"  # the run's analyses, one per scenario, while its notebooks read them


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(out: Path) -> list[str]:
    """Remove the staging folders of runs that died (their PID, written when the run took the
    lock, is no longer alive). Called while holding the lock. Returns the names removed."""
    runs = out / ".runs"
    if not runs.is_dir():
        return []
    removed = []
    for folder in runs.glob(".staging-*"):
        try:
            pid = int((folder / PID_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = -1
        if pid == os.getpid() or _pid_alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


MIN_FREE_BYTES = 64 * 1024 * 1024  # a full report of every scenario is about 10 MB; keep margin


def _needed_bytes(out: Path) -> int:
    """About what a run writes: twice the last run's size, at least ``MIN_FREE_BYTES``."""
    latest = out / "latest"
    last = 0
    if latest.is_dir():
        last = sum(f.stat().st_size for f in latest.resolve().rglob("*") if f.is_file())
    return max(MIN_FREE_BYTES, 2 * last)


def check_free_space(out: Path, need: int) -> None:
    free = shutil.disk_usage(out).free
    if free < need:
        raise DiskFull(
            f"{out}: free space: {free / 1e6:.1f} MB free, a run needs about {need / 1e6:.0f} MB;"
            " nothing was published, the last good report is unchanged"
        )


def _is_disk_full(exc: BaseException | str) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc)


# --------------------------------------------------------------------------- stopping on a signal


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived during a run: kernels stopped, staging removed."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_KERNELS: set = set()
_KERNELS_LOCK = threading.Lock()


@functools.cache
def _tracked_manager_class():
    """nbclient's AsyncKernelManager, registering itself while its kernel runs so that a signal
    can stop it."""
    from .kernels import IPCKernelManager

    class TrackedKernelManager(IPCKernelManager):
        async def start_kernel(self, **kw):  # type: ignore[override]
            with _KERNELS_LOCK:
                _KERNELS.add(self)
            if _STOPPING.is_set():
                raise RuntimeError("stopped: the run was interrupted")
            return await super().start_kernel(**kw)

        async def shutdown_kernel(self, *a, **kw):  # type: ignore[override]
            try:
                return await super().shutdown_kernel(*a, **kw)
            finally:
                with _KERNELS_LOCK:
                    _KERNELS.discard(self)

        def client(self, **kw):
            kc = super().client(**kw)
            self._clients = [*getattr(self, "_clients", []), kc]
            return kc

        def runner_client(self):
            """The runner's own client (it warms and resets the kernel), on the shell channel
            only (no output piles up on it), open until ``close_runner_client``. nbclient's
            clients are ``client()``'s."""
            kc = getattr(self, "_runner_client", None)
            if kc is None:
                # a blocking client (its socket is not tied to an event loop) with a session of
                # its own: the kernel tells clients apart by their session, and a notebook's
                # client on the manager's session would take this one's replies
                from jupyter_client.blocking import BlockingKernelClient

                kc = BlockingKernelClient()
                kc.load_connection_info(self.get_connection_info())
                kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
                self._runner_client = kc
            return kc

        def close_runner_client(self) -> None:
            kc, self._runner_client = getattr(self, "_runner_client", None), None
            if kc is not None:
                kc.stop_channels()

        def stop_clients(self) -> None:
            """Close the channels of the clients nbclient opened on this (reused) kernel: with a
            kernel it did not start, nbclient leaves them open."""
            for kc in getattr(self, "_clients", []):
                try:
                    kc.stop_channels()
                except Exception:  # noqa: BLE001 - closed already
                    pass
            self._clients = []

    return TrackedKernelManager


def stop_kernels() -> int:
    """Kill every kernel this process started (its whole process group) and remove its
    connection file. Returns how many were stopped."""
    with _KERNELS_LOCK:
        managers = list(_KERNELS)
    stopped = 0
    for km in managers:
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        pid = getattr(process, "pid", None)
        if not pid:
            continue  # still starting: it is killed on the next call
        with _KERNELS_LOCK:
            _KERNELS.discard(km)
        stopped += 1
        if pid:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            km.cleanup_connection_file()
            km.cleanup_ipc_files()  # the kernel's sockets, with IPC transport
        except Exception:  # noqa: BLE001 - best effort while stopping
            pass
    return stopped


def _raise_interrupted(signum, _frame):
    for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C does not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


# --------------------------------------------------------------------------- the run


def run_report(
    scenarios: list[str] | None = None,
    *,
    as_of: str | None = None,
    out_dir: Path | str | None = None,
    workers: int = DEFAULT_WORKERS,
    draws: int | None = None,
    seed: int | None = None,
    lang: str = "zh",
    data_dir: Path | str | None = None,
    notebooks_dir: Path | str | None = None,
    lock_timeout: float = 0,
    kernel: str = "python3",
    progress: bool = True,
    allow_future: bool = False,
) -> RunResult:
    """Run every notebook for ``scenarios`` (default: all) and publish the report.

    Bad input (an unknown or unsafe scenario name, a bad date, bad data, an ``--out`` whose
    ``latest`` or dated name is a user's file) raises DataError before anything runs or is
    written. A notebook that fails raises ReportFailed after its executed copy is kept under
    ``_failed/``; a full disk raises DiskFull; SIGINT or SIGTERM raise Interrupted once the
    kernels are stopped. In every case the staging folder is removed and the last good report is
    left as it was.
    """
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    out = Path(out_dir) if out_dir else REPORTS_DIR
    as_of = parse_as_of(as_of)
    check_as_of(as_of, allow_future)
    if workers < 1:
        raise DataError.single("--workers", "workers", f"must be at least 1, got {workers}")
    if lang not in ("zh", "en"):
        raise DataError.single("--lang", "lang", f"must be 'zh' or 'en', got '{lang}'")
    from ..analysis import check_inputs, scenario_names

    names = scenario_names(scenarios, data_dir)
    check_inputs(names, data_dir, draws=draws, seed=seed)
    chapters = [BRIEFING_NOTEBOOK, *SCENARIO_NOTEBOOKS, GENERIC_CHAPTER]
    notebooks = [notebooks_dir / f"{nb}.ipynb" for nb in chapters]
    for nb in notebooks:
        if not nb.is_file():
            raise DataError.single(nb, "(file)", "notebook not found")
    check_out_dir(out, as_of, data_dir)

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError.single("--out", "out", f"cannot create {out}: {exc.strerror}") from None
    lock = FileLock(str(out / ".lock"))
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _raise_interrupted)
    try:
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise ReportFailed(
                f"another report run holds {out / '.lock'}; try again when it has finished"
            ) from None
        check_out_dir(out, as_of, data_dir)  # again, now that no other run can change it
        clean_stale_staging(out)
        check_free_space(out, _needed_bytes(out))
        return _run_locked(
            names, draws, seed, as_of, out, workers, lang, data_dir, notebooks, kernel, progress
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        lock.release()


def _run_locked(
    names, draws, seed, as_of, out, workers, lang, data_dir, notebooks, kernel, progress
) -> RunResult:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    runs = out / ".runs"
    staging = runs / f".staging-{as_of}_{stamp}"
    try:
        staging.mkdir(parents=True)
        (staging / PID_FILE).write_text(str(os.getpid()), encoding="ascii")
        result = _build(names, draws, seed, as_of, out, workers, lang, data_dir, notebooks,
                        kernel, progress, stamp, staging)  # fmt: skip
    except Interrupted:
        stop_kernels()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if _is_disk_full(exc):
            raise DiskFull(
                f"{out}: disk full while writing the report ({exc.strerror}); nothing was "
                "published, the last good report is unchanged"
            ) from None
        raise ReportFailed(f"{out}: {exc.strerror or exc}: {exc.filename or ''}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _build(
    names, draws, seed, as_of, out, workers, lang, data_dir, notebooks, kernel, progress, stamp,
    staging,
) -> RunResult:  # fmt: skip
    runs = out / ".runs"
    started = time.perf_counter()
    # the inputs as they are now: every notebook reads this copy, the manifest hashes it, and it
    # is published with the report (inputs/), so later edits to --data cannot mix into the run
    hashes = snapshot_inputs(data_dir, notebooks, staging / "inputs")
    snapshot = staging / "inputs" / "data"
    snapshot_notebooks = staging / "inputs" / "notebooks"
    from ..analysis import open_analyses, save_analyses

    # the workers start their kernels now, while the scenarios are analysed: as many as the
    # notebooks known before the catalog is read (more, up to ``workers``, once it is)
    with _Workers(kernel, workers, len(names) * len(SCENARIO_NOTEBOOKS) + 1) as pool:
        # each scenario analysed once, from the snapshot (bad data is exit 2 here, not a failed
        # notebook later); every notebook, the front page and the briefing pack read these
        analyses = open_analyses(names, snapshot, draws=draws, seed=seed, as_of=as_of)
        resolved = [a.scenario for a in analyses]
        generic = _generic_chapters(resolved[0].catalog)
        saved = staging / ANALYSES
        save_analyses(analyses, saved)
        # the joint calibration's posterior, once for the run: every evaluation page shows it
        from ..analysis.calibration import posterior_of_calibrated, save_calibration

        save_calibration(posterior_of_calibrated(snapshot, resolved[0].catalog), saved)
        data_abs = str(snapshot.resolve())
        tasks: list[Task] = []
        for sc in resolved:
            for nb in SCENARIO_NOTEBOOKS:
                params = {
                    "scenario": sc.name,
                    "draws": sc.draws,
                    "seed": sc.seed,
                    "lang": lang,
                    "as_of": as_of,
                }
                params |= {"data_dir": data_abs, "out_dir": str(staging / sc.name)}
                params["analysis_dir"] = str(saved.resolve())
                tasks.append(Task(nb, sc.name, params))
            for doc, name in generic:
                chapter = params | {"doc": doc, "chapter": name}
                tasks.append(Task(name, sc.name, chapter, source=GENERIC_CHAPTER))
        briefing = Task(
            BRIEFING_NOTEBOOK,
            "briefing",
            {
                "scenarios": ",".join(sc.name for sc in resolved),
                "draws": min(sc.draws for sc in resolved),
                "seed": resolved[0].seed,
                "lang": lang,
                "as_of": as_of,
                "data_dir": data_abs,
                "out_dir": str(staging / "briefing"),
                "analysis_dir": str(saved.resolve()),
            },
        )
        from .frontpage import base_scenario, run_extras

        # the summary, thumbnails and briefing pack, made while the other notebooks run, as soon
        # as the briefing and the base scenario's notebooks are done (the pack holds their
        # figures); from the same analyses the notebooks show
        base = base_scenario([sc.name for sc in resolved])
        needs = {
            ("briefing", BRIEFING_NOTEBOOK),
            *((t.folder, t.notebook) for t in tasks if t.folder == base),
        }
        extras = (needs, functools.partial(run_extras, staging, analyses, as_of, lang))
        failed, extras_error = _execute_all(
            pool, _order(tasks, base), briefing, staging, snapshot_notebooks, progress, extras
        )
    if failed and any(_is_disk_full(t.error or "") for t in failed):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if failed:
        failed_dir = out / "_failed" / stamp
        failed_dir.mkdir(parents=True)
        for t in failed:
            src = staging / t.folder / f"{t.notebook}.ipynb"
            if src.is_file():
                name = f"{short_name(t.folder)}__{t.notebook}.ipynb"
                shutil.copy2(src, failed_dir / name)
        (failed_dir / "errors.txt").write_text(
            "\n".join(f"{t.folder}/{t.notebook}: {t.error}" for t in failed) + "\n",
            encoding="utf-8",
        )
        shutil.rmtree(staging, ignore_errors=True)
        raise ReportFailed(
            "; ".join(f"{t.folder}/{t.notebook}: {t.error}" for t in failed)
            + f" (executed notebooks kept in {failed_dir}; the last good report is unchanged)"
        )

    if extras_error is not None:
        raise extras_error
    from .frontpage import index_html

    shutil.rmtree(saved, ignore_errors=True)
    (staging / PID_FILE).unlink(missing_ok=True)
    timings = {f"{t.folder}/{t.notebook}": round(t.seconds, 2) for t in [*tasks, briefing]}
    timings["total"] = round(time.perf_counter() - started, 2)
    manifest = {
        "as_of": as_of,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "package_version": __version__,
        "git_commit": git_commit(),
        "scenarios": [
            {
                "name": sc.name,
                "extends": sc.chain[1:],
                "draws": sc.draws,
                "seed": sc.seed,
                "point": sc.point,
            }
            for sc in resolved
        ],
        "lang": lang,
        "data_dir": str(data_dir.resolve()),
        "inputs": "inputs/ (the snapshot every notebook ran from)",
        "input_hashes": hashes,
        "libraries": library_versions(),
        "platform": f"{platform.system()} {platform.machine()}, Python {sys.version.split()[0]}",
        "timings_seconds": timings,
    }
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    from .changes import write_changes

    write_changes(staging, out)  # changes.json: since the last complete run, attributed
    (staging / "index.html").write_text(
        index_html(staging, as_of, resolved, manifest, out), encoding="utf-8"
    )
    # Chinese text in the pages shows as glyphs even where the reader has no CJK font
    embed_font(sorted(staging.rglob("*.html")))

    # Publish: the staging folder becomes a run; the dated link and `latest` move atomically.
    final = runs / f"{as_of}_{stamp}"
    os.replace(staging, final)
    _point_symlink(out / as_of, f".runs/{final.name}")
    newest = _newest_as_of(out) or as_of
    _point_symlink(out / "latest", newest)
    _prune_runs(out)
    return RunResult(
        run_dir=out / as_of,
        as_of=as_of,
        scenarios=[sc.name for sc in resolved],
        timings=timings,
        latest=newest,
    )


def _generic_chapters(catalog) -> list[tuple[str, str]]:
    """(document, chapter name) of every document whose policy file names no chapter of its own;
    DataError for one that names a notebook the report does not run."""
    out = []
    for doc, d in catalog.documents.items():
        if d.chapter is None:
            out.append((doc, f"{GENERIC_CHAPTER}__{catalog.files[doc].stem}"))
        elif d.chapter not in SCENARIO_NOTEBOOKS:
            from ..units import did_you_mean

            raise DataError.single(
                catalog.files[doc],
                "chapter",
                f"no chapter '{d.chapter}' among the report's notebooks"
                + did_you_mean(d.chapter, SCENARIO_NOTEBOOKS)
                + "; leave chapter out for the generic one",
            )
    return out


# Notebooks by how long they take, longest first (a shorter tail once the pool is busy); one not
# listed goes first with the longest.
LONGEST_FIRST = [
    "01_employment_costs",
    "03_industrial_internet",
    "02_platform_economy",
    "04_evaluation",
]


def _order(tasks: list[Task], base: str | None) -> list[Task]:
    """The base scenario's notebooks first (the front page and briefing pack wait for them), then
    the others, longest first."""

    def rank(t: Task) -> tuple[int, int]:
        where = LONGEST_FIRST.index(t.notebook) if t.notebook in LONGEST_FIRST else -1
        return (t.folder != base, where)

    return sorted(tasks, key=rank)


class _Workers:
    """The run's worker threads, each with its own warm kernel (kernels.py). They start as soon
    as they are made, so that the kernels start (and import the package) while the run still
    analyses its scenarios, then wait for ``_execute_all`` to hand them the notebooks.

    Use as a context manager around the rest of the run: on leaving it every worker has ended
    and its kernel is gone; on an error (SIGINT or SIGTERM included) the kernels are killed at
    once rather than waited for."""

    def __init__(self, kernel: str, workers: int, notebooks: int):
        import queue

        self.kernel, self.workers, self.notebooks = kernel, workers, notebooks
        self.pending: list[Task] = []
        self.lock = threading.Lock()
        self.results: queue.Queue = queue.Queue()
        self.go = threading.Event()
        self.where: tuple[Path, Path] | None = None  # (staging, notebooks folder), set with go
        _STOPPING.clear()
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> _Workers:
        self._grow(self.notebooks)
        return self

    def _grow(self, notebooks: int) -> None:
        """Start workers up to one per notebook, at most ``workers``."""
        for i in range(len(self.threads), min(self.workers, notebooks)):
            th = threading.Thread(target=self._work, name=f"report-worker-{i}", daemon=True)
            self.threads.append(th)
            th.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.stop()
        self.go.set()  # workers still waiting for notebooks find none and end
        for th in self.threads:
            th.join()

    def start(self, tasks: list[Task], staging: Path, notebooks_dir: Path) -> None:
        with self.lock:
            self.pending[:] = tasks
            self.where = (staging, notebooks_dir)
        self._grow(len(tasks))
        self.go.set()

    def alive(self) -> bool:
        return any(th.is_alive() for th in self.threads)

    def stop(self) -> None:
        """Kill the kernels now; the workers end as soon as theirs is gone."""
        _STOPPING.set()
        for name in ("traitlets", "papermill", "nbclient"):  # "kernel died": we killed it
            logging.getLogger(name).setLevel(logging.CRITICAL)
        self.go.set()
        while self.alive():
            stop_kernels()
            time.sleep(0.05)
        stop_kernels()

    def _work(self) -> None:
        try:
            try:
                _worker_kernel(self.kernel)  # while the scenarios are analysed
            except Exception:  # noqa: BLE001 - started again, and reported, by its first notebook
                pass
            self.go.wait()
            while not _STOPPING.is_set():
                with self.lock:
                    if not self.pending:  # set together with ``where`` by start()
                        return
                    t = self.pending.pop(0)
                    staging, notebooks_dir = self.where
                source = notebooks_dir / f"{t.source or t.notebook}.ipynb"
                dest = staging / t.folder / f"{t.notebook}.ipynb"
                try:
                    self.results.put(_execute(t, source, dest, self.kernel))
                except BaseException as exc:  # noqa: BLE001 - reported as the notebook's error
                    t.error = t.error or f"{type(exc).__name__}: {exc}"
                    self.results.put(t)
        finally:
            _retire_kernel()


def _execute_all(
    pool: _Workers, tasks, briefing, staging, notebooks_dir, progress, extras=None
) -> tuple[list[Task], BaseException | None]:
    """Run every notebook on ``pool``'s workers. The briefing, the longest, goes first.

    ``extras``: (the (folder, notebook) pairs it needs, a callable) run on a thread of its own as
    soon as those notebooks succeeded, while the others still run. Returns the failed tasks and
    the error the extras raised, if any.

    On SIGINT or SIGTERM (Interrupted, raised in the main thread) the kernels are killed at once,
    the notebooks not started are not started, and the workers are waited for (they end as soon
    as their kernel is gone)."""
    import queue

    from tqdm.auto import tqdm

    everything = [briefing, *tasks]
    bar = tqdm(
        total=len(everything), desc="notebooks", unit="nb", disable=not progress, file=sys.stderr
    )
    failed: list[Task] = []
    pool.start(list(everything), staging, notebooks_dir)

    extras_error: list[BaseException] = []
    extras_thread: threading.Thread | None = None

    def run_extras() -> None:
        try:
            extras[1]()
        except BaseException as exc:  # noqa: BLE001 - raised by the caller once all is done
            extras_error.append(exc)

    succeeded: set[tuple[str, str]] = set()
    try:
        done = 0
        while done < len(everything):
            try:
                t = pool.results.get(timeout=0.2)
            except queue.Empty:
                if not pool.alive() and pool.results.empty():
                    break
                continue
            done += 1
            bar.set_postfix_str(f"{t.folder}/{t.notebook}")
            bar.update(1)
            if t.error:
                failed.append(t)
            else:
                succeeded.add((t.folder, t.notebook))
            if extras and extras_thread is None and not failed and extras[0] <= succeeded:
                extras_thread = threading.Thread(target=run_extras, name="report-extras")
                extras_thread.start()
        for th in pool.threads:
            th.join()
        if extras_thread is not None:
            extras_thread.join()
        elif extras and not failed:
            run_extras()
    except BaseException:
        pool.stop()
        if extras_thread is not None:
            extras_thread.join(timeout=20)
        raise
    finally:
        bar.close()
    return failed, (extras_error[0] if extras_error else None)
