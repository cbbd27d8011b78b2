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
import hashlib
import html
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from filelock import FileLock, Timeout

from . import __version__
from .cache import ENV as CACHE_ENV
from .errors import DataError
from .paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_DIR, REPORTS_DIR
from .scenarios import check_scenario_name, list_scenarios, load_scenario
from .webfont import embed as embed_font

DEFAULT_WORKERS = (os.cpu_count() or 1) + 1
SCENARIO_NOTEBOOKS = ["01_employment_costs", "02_platform_economy", "03_industrial_internet"]
BRIEFING_NOTEBOOK = "00_briefing"
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


class ReportFailed(RuntimeError):
    """A notebook raised; the run was not published."""


@dataclass
class Task:
    notebook: str
    folder: str  # "briefing" or the scenario name
    parameters: dict
    seconds: float = 0.0
    error: str | None = None


@dataclass
class RunResult:
    run_dir: Path
    as_of: str
    scenarios: list[str]
    timings: dict[str, float] = field(default_factory=dict)


def parse_as_of(text: str | None) -> str:
    if text is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise DataError.single("--as-of", "as_of", f"'{text}' is not a date YYYY-MM-DD") from None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(data_dir: Path, notebooks_dir: Path) -> dict[str, str]:
    """sha256 of every input file: the data and the notebooks (paths relative to their folder)."""
    out: dict[str, str] = {}
    for label, root in (("data", data_dir), ("notebooks", notebooks_dir)):
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and ".ipynb_checkpoints" not in path.parts
                and "__pycache__" not in path.parts
            ):
                out[f"{label}/{path.relative_to(root).as_posix()}"] = sha256(path)
    return out


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
    try:
        pm.execute_notebook(
            str(source),
            str(dest),
            parameters=task.parameters,
            kernel_name=kernel,
            progress_bar=False,
            # no cwd=: papermill changes the whole process's directory for it, which races
            # between threads; the notebooks write only to their absolute out_dir
        )
    except PapermillExecutionError as exc:
        task.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a kernel that died, a notebook that cannot be read
        task.error = f"{type(exc).__name__}: {exc}"
    if task.error is None:  # converted here, while the other workers' kernels run
        to_html(dest, f"{task.notebook} · {task.folder}")
    task.seconds = time.perf_counter() - start
    return task


def to_html(notebook: Path, title: str) -> Path:
    """HTML without code cells (inputs and prompts hidden); figures embedded as images."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    out = notebook.with_suffix(".html")
    out.write_text(body, encoding="utf-8")
    return out


def _index_html(run_dir: Path, as_of: str, scenarios: list, manifest: dict) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>济南市政策成本与目标跟踪报告 {esc(as_of)}</title>",
        "<style>body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',"
        "sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
        "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}li{margin:.2em 0}"
        ".muted{color:#666;font-size:.9em}</style></head><body>",
        f"<h1>济南市政策成本与目标跟踪报告 · Jinan policy costing and targets — {esc(as_of)}</h1>",
        f'<p class="muted">jnpolicy_analysis {esc(manifest["package_version"])}, commit '
        f'{esc(manifest["git_commit"])}; <a href="manifest.json">manifest.json</a></p>',
    ]

    def links(folder: str) -> list[str]:
        base = run_dir / folder
        items = []
        for page in sorted(base.glob("*.html")):
            items.append(f'<li><a href="{esc(folder)}/{esc(page.name)}">{esc(page.stem)}</a></li>')
        figures = sorted((base / "figures").glob("*.png")) if (base / "figures").is_dir() else []
        if figures:
            figs = ", ".join(
                f'<a href="{esc(folder)}/figures/{esc(p.name)}">{esc(p.stem)}</a>'
                f' (<a href="{esc(folder)}/figures/{esc(p.with_suffix(".svg").name)}">svg</a>,'
                f' <a href="{esc(folder)}/figures/{esc(p.with_suffix(".pdf").name)}">pdf</a>)'
                for p in figures
            )
            items.append(f"<li>图表 Figures: {figs}</li>")
        tables = sorted((base / "tables").glob("*")) if (base / "tables").is_dir() else []
        if tables:
            tabs = ", ".join(
                f'<a href="{esc(folder)}/tables/{esc(p.name)}">{esc(p.name)}</a>' for p in tables
            )
            items.append(f"<li>表格 Tables: {tabs}</li>")
        return items

    parts.append("<h2>综合简报 · Briefing (all scenarios)</h2><ul>")
    parts += links("briefing")
    parts.append("</ul>")
    for sc in scenarios:
        parts.append(
            f"<h2>{esc(sc.title_zh)} · {esc(sc.title_en)} <code>{esc(sc.name)}</code></h2>"
        )
        if sc.description:
            parts.append(f"<p>{esc(sc.description)}</p>")
        parts.append(
            f'<p class="muted">draws {sc.draws}, seed {sc.seed}, assumptions at their {esc(sc.point)} values</p><ul>'
        )
        parts += links(sc.name)
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _point_symlink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` atomically (a new symlink renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _newest_as_of(out: Path) -> str | None:
    dates = []
    for p in out.iterdir():
        if p.is_symlink() and p.name != "latest":
            try:
                dates.append(dt.date.fromisoformat(p.name))
            except ValueError:
                continue
    return max(dates).isoformat() if dates else None


def _prune_runs(out: Path) -> None:
    """Remove run folders no dated link points to any more."""
    runs = out / ".runs"
    if not runs.is_dir():
        return
    live = {os.readlink(p) for p in out.iterdir() if p.is_symlink()}
    for run in runs.iterdir():
        if f".runs/{run.name}" not in live and not run.name.startswith(".staging"):
            shutil.rmtree(run, ignore_errors=True)


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
) -> RunResult:
    """Run every notebook for ``scenarios`` (default: all) and publish the report.

    Bad input (an unknown or unsafe scenario name, a bad date, bad data) raises DataError before
    anything runs or is written. A notebook that fails raises ReportFailed after its executed copy
    is kept under ``_failed/``; the last good report is left as it was.
    """
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
    out = Path(out_dir) if out_dir else REPORTS_DIR
    as_of = parse_as_of(as_of)
    if workers < 1:
        raise DataError.single("--workers", "workers", f"must be at least 1, got {workers}")
    if lang not in ("zh", "en"):
        raise DataError.single("--lang", "lang", f"must be 'zh' or 'en', got '{lang}'")
    names = scenarios or list_scenarios(data_dir)
    for name in names:
        check_scenario_name(name, data_dir)
    resolved = [load_scenario(n, data_dir, draws=draws, seed=seed) for n in names]
    for nb in [BRIEFING_NOTEBOOK, *SCENARIO_NOTEBOOKS]:
        if not (notebooks_dir / f"{nb}.ipynb").is_file():
            raise DataError.single(notebooks_dir / f"{nb}.ipynb", "(file)", "notebook not found")

    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / ".lock"))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise ReportFailed(
            f"another report run holds {out / '.lock'}; try again when it has finished"
        ) from None
    try:
        return _run_locked(
            resolved, as_of, out, workers, lang, data_dir, notebooks_dir, kernel, progress
        )
    finally:
        lock.release()


def _run_locked(
    resolved, as_of, out, workers, lang, data_dir, notebooks_dir, kernel, progress
) -> RunResult:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    runs = out / ".runs"
    staging = runs / f".staging-{as_of}_{stamp}"
    staging.mkdir(parents=True)
    started = time.perf_counter()
    data_abs = str(data_dir.resolve())
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
            tasks.append(Task(nb, sc.name, params))
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
        },
    )
    previous_cache = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(staging / ".cache")
    try:
        failed = _execute_all(tasks, briefing, staging, notebooks_dir, kernel, workers, progress)
    finally:
        if previous_cache is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = previous_cache
    if failed:
        failed_dir = out / "_failed" / stamp
        failed_dir.mkdir(parents=True)
        for t in failed:
            src = staging / t.folder / f"{t.notebook}.ipynb"
            if src.is_file():
                shutil.copy2(src, failed_dir / f"{t.folder}__{t.notebook}.ipynb")
        (failed_dir / "errors.txt").write_text(
            "\n".join(f"{t.folder}/{t.notebook}: {t.error}" for t in failed) + "\n",
            encoding="utf-8",
        )
        shutil.rmtree(staging, ignore_errors=True)
        raise ReportFailed(
            "; ".join(f"{t.folder}/{t.notebook}: {t.error}" for t in failed)
            + f" (executed notebooks kept in {failed_dir}; the last good report is unchanged)"
        )

    from .frontpage import index_html, run_extras

    run_extras(staging, resolved, as_of, lang, data_dir)  # summary, thumbnails, briefing pack
    shutil.rmtree(staging / ".cache", ignore_errors=True)
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
        "data_dir": data_abs,
        "input_hashes": input_hashes(data_dir, notebooks_dir),
        "libraries": library_versions(),
        "platform": f"{platform.system()} {platform.machine()}, Python {sys.version.split()[0]}",
        "timings_seconds": timings,
    }
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
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
        run_dir=out / as_of, as_of=as_of, scenarios=[sc.name for sc in resolved], timings=timings
    )


def _execute_all(tasks, briefing, staging, notebooks_dir, kernel, workers, progress) -> list[Task]:
    """Run every notebook in a pool of ``workers``. The briefing, the longest, goes first: the
    costings it needs are computed once and shared through the run's cache (a lock per scenario
    makes a notebook wait for a costing another is computing rather than repeat it)."""
    from tqdm.auto import tqdm

    everything = [briefing, *tasks]
    bar = tqdm(
        total=len(everything), desc="notebooks", unit="nb", disable=not progress, file=sys.stderr
    )
    failed: list[Task] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                _execute,
                t,
                notebooks_dir / f"{t.notebook}.ipynb",
                staging / t.folder / f"{t.notebook}.ipynb",
                kernel,
            )
            for t in everything
        ]
        for fut in as_completed(futures):
            t = fut.result()
            bar.set_postfix_str(f"{t.folder}/{t.notebook}")
            bar.update(1)
            if t.error:
                failed.append(t)
    bar.close()
    return failed
