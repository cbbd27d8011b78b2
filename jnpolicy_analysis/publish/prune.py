"""Retention: ``jnpolicy report --keep N`` keeps the N newest complete runs and removes the rest.

A complete run is one a dated link (``reports/<YYYY-MM-DD>``) points to. Pruning never removes:

- the run that ``latest`` points to, whatever its date;
- a run in progress: it takes the reports folder's ``.lock`` (the one a report run holds while it
  works), waiting at most ``wait`` seconds, and never touches a ``.staging-*`` folder;
- anything that is not a run of this layout (a link pointing outside ``.runs/``, other files).

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
        keep_days = set(days[-keep:]) | protected
        result = Pruned(kept=[d for d in days if d in keep_days])
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
