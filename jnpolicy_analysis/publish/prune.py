"""Retention: ``jnpolicy report --keep N`` keeps the N newest complete runs and removes the rest.

A complete run is one a dated link (``reports/<YYYY-MM-DD>``) points to. Pruning never removes:

- the run that ``latest`` points to, whatever its date;
- a run in progress: it takes the reports folder's ``.lock`` (the one a report run holds while it
  works), waiting at most ``wait`` seconds, and never touches a ``.staging-*`` folder;
- anything that is not a run of this layout (a link pointing outside ``.runs/``, other files);
- a run that any other link anywhere under the reports folder resolves into (at any depth,
  relative or absolute, to the run or to a file inside it: ``keep-archive -> .runs/<run>``,
  ``archive/2026/nov -> ../../.runs/<run>/central``): its dated link and its folder stay.

Each removal takes the dated link away first (one atomic step: a reader then sees the run gone, not
half-deleted) and then deletes the folder. Safe to run from cron, and to run again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import DataError

LOCK = ".lock"
RUNS = ".runs"


class PruneRefused(RuntimeError):
    """Another report run holds the lock: nothing was removed."""


@dataclass
class Pruned:
    removed: list[str] = field(default_factory=list)  # dates whose runs were removed
    kept: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # dates kept because a link of yours pins them


def links_into_runs(out: Path) -> dict[str, list[Path]]:
    """Every symlink under ``out`` (any depth, not followed; relative or absolute) that resolves
    into a run folder of ``out/.runs``, by the run's name. A link inside a run that resolves into
    that same run does not count (a run does not pin itself)."""
    runs = out / RUNS
    if not runs.is_dir():
        return {}
    try:
        runs_real = runs.resolve()
    except (OSError, RuntimeError):
        return {}
    found: dict[str, list[Path]] = {}
    for root, dirs, files in os.walk(out, followlinks=False):
        here = Path(root)
        for name in [*files, *dirs]:
            link = here / name
            if not link.is_symlink():
                continue
            try:
                where = link.resolve()
            except (OSError, RuntimeError):  # a loop of links
                continue
            try:
                inside = where.relative_to(runs_real)
            except ValueError:
                continue
            if not inside.parts:
                continue
            run = inside.parts[0]
            try:
                own = here.resolve().relative_to(runs_real).parts[:1] == (run,)
            except ValueError:
                own = False
            if not own:
                found.setdefault(run, []).append(link)
    return found


def _dated_links(out: Path) -> dict[str, Path]:
    """date -> the run folder its link points to, for links into ``.runs/`` only."""
    found = {}
    for p in out.iterdir():
        if not p.is_symlink() or p.name == "latest":
            continue
        try:
            day = dt.date.fromisoformat(p.name).isoformat()
        except ValueError:
            continue
        target = os.readlink(p)
        parts = Path(target).parts
        if len(parts) != 2 or parts[0] != RUNS or parts[1].startswith(".staging"):
            continue
        found[day] = out / target
    return found


def check_keep(keep: int) -> int:
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
        raise DataError.single(
            "--keep", "keep", f"must be a whole number of at least 1, got {keep}"
        )
    return keep


def prune_reports(out: Path | str, keep: int, wait: float = 0) -> Pruned:
    """Remove the oldest complete runs of ``out`` so that ``keep`` remain (plus the one ``latest``
    points to, when it is older). Raises PruneRefused when a report run holds the lock for longer
    than ``wait`` seconds."""
    check_keep(keep)
    out = Path(out)
    if not out.is_dir():
        return Pruned()
    lock = FileLock(str(out / LOCK))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise PruneRefused(
            f"a report run holds {out / LOCK}; nothing was pruned (try again when it has finished)"
        ) from None
    try:
        links = _dated_links(out)
        latest = out / "latest"
        protected: set[str] = set()
        if latest.is_symlink():
            protected.add(Path(os.readlink(latest)).name)
        days = sorted(links)
        # the runs a link other than the dated ones and `latest` resolves into: never pruned
        ours = {out / d for d in days} | {latest}
        pinned = {
            run for run, found in links_into_runs(out).items() if any(p not in ours for p in found)
        }
        linked = [d for d in days if Path(links[d]).name in pinned]
        keep_days = set(days[-keep:]) | protected | set(linked)
        result = Pruned(kept=[d for d in days if d in keep_days], linked=linked)
        for day in days:
            if day in keep_days:
                continue
            run = links[day]
            (out / day).unlink()
            # another date may point at the same run folder (never in this layout, but be sure)
            if run not in {links[d] for d in keep_days if d in links}:
                shutil.rmtree(run, ignore_errors=True)
            result.removed.append(day)
        return result
    finally:
        lock.release()
