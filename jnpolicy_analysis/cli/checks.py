"""Checks of command-line values, made before any work starts and before anything is written.

Each bad value raises ``DataError`` with one ``error: <flag>: <field>: <what is wrong>`` line (exit
2). The argparse ``type=`` functions here raise ``argparse.ArgumentTypeError("<field>: <what>")``,
which the parser prints in the same form.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path

from ..errors import DataError

# The kinds of input a --data folder holds, and what each command reads.
KIND_FOLDERS = ("policies", "baseline", "scenarios", "targets")
NEEDS: dict[str, tuple[str, ...]] = {
    "catalog": ("policies", "targets"),
    "validate": (),
    "cost": KIND_FOLDERS,
    "compare": KIND_FOLDERS,
    "sensitivity": ("policies", "baseline", "scenarios"),
    "targets": KIND_FOLDERS,
    "report": KIND_FOLDERS,
    "observe": KIND_FOLDERS,
    "brief": KIND_FOLDERS,
    "evaluate": ("policies", "baseline", "scenarios", "outturns"),
    "calibrate": ("policies", "baseline", "scenarios", "outturns"),
    "draft": (),
}

# Costing memory does not grow with the draws (see costing.montecarlo), so costing refuses draws
# only above its ceiling on run time. The target tracker holds its draws at once: about 110 bytes a
# draw for its largest target (measured at 1,000,000 draws: 110 MiB over the process's floor),
# taken as 128; a report runs up to --workers notebooks at once, each of which may hold them.
TARGET_BYTES_PER_DRAW = 128
MEMORY_SHARE = 0.8  # of the memory free now that a run may plan to use
MAX_SEED = 2**63 - 1
MAX_WORKERS = 32


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _whole(field: str, text: str) -> int:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{field}: must not be empty")
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{field}: must be a whole number, got '{_shown(text)}'"
        ) from None


def draws_type(text: str) -> int:
    """argparse type of --draws: a whole number, at most the ceiling of costing runs. (Zero and
    negative numbers are refused by the command itself, as for draws given in Python.)"""
    from ..inputs.scenarios import MAX_DRAWS

    value = _whole("draws", text)
    if value > MAX_DRAWS:
        raise argparse.ArgumentTypeError(
            f"draws: {_big(value)} is more than the {MAX_DRAWS:,} draws a run may have"
            " (its memory does not grow with the draws, but its time does: seconds a million)"
        )
    return value


def seed_type(text: str) -> int:
    """argparse type of --seed: a whole number, at most 2**63 - 1 (negative: refused by the
    command, as for a seed given in Python)."""
    value = _whole("seed", text)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"seed: must be at most {MAX_SEED:,}, got {_big(value)}")
    return value


def workers_type(text: str) -> int:
    """argparse type of --workers: a whole number, at most MAX_WORKERS (below 1: refused by
    ``run_report``)."""
    value = _whole("workers", text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(
            f"workers: must be at most {MAX_WORKERS} (one kernel each), got {_big(value)}"
        )
    return value


def wait_type(text: str) -> float:
    if not text.strip():
        raise argparse.ArgumentTypeError("wait: must not be empty")
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"wait: must be a number of seconds, got '{_shown(text)}'"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"wait: must be a finite number >= 0, got {text.strip()}")
    return value


def text_type(field: str):
    """argparse type of a name: any text but empty or blank."""

    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{field}: must not be empty")
        return text

    parse.__name__ = field
    return parse


def path_type(field: str):
    """argparse type of a path: not empty (an empty path would mean the working folder)."""

    def parse(text: str) -> Path:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{field}: must not be empty")
        return Path(text)

    parse.__name__ = field
    return parse


def run_args(
    p: argparse.ArgumentParser,
    *,
    scenario: bool = True,
    draws: bool = True,
    whose: str = "the scenario's",
) -> None:
    """The arguments of a command that runs the costing or the tracker, declared alike
    everywhere: ``--scenario`` (default central), ``--draws`` and ``--seed`` (default: ``whose``,
    e.g. "the scenario's")."""
    if scenario:
        p.add_argument(
            "--scenario",
            type=text_type("scenario"),
            default="central",
            metavar="NAME",
            help="scenario name in data/scenarios (default: central)",
        )
    if draws:
        p.add_argument(
            "--draws",
            type=draws_type,
            default=None,
            metavar="N",
            help=f"Monte Carlo draws (default: {whose})",
        )
        p.add_argument(
            "--seed",
            type=seed_type,
            default=None,
            metavar="S",
            help=f"random seed (default: {whose})",
        )


def check_draws_seed(draws: int | None, seed: int | None) -> None:
    """--draws and --seed values the parser lets through but a run refuses (zero or negative
    draws, a negative seed), as ``error: --draws: draws: ...`` before any work starts."""
    if draws is not None and draws <= 0:
        raise DataError.single("--draws", "draws", f"must be a positive whole number, got {draws}")
    if seed is not None and seed < 0:
        raise DataError.single("--seed", "seed", f"must be a whole number >= 0, got {seed}")


def _big(value: int) -> str:
    return f"{value:,}" if value < 10**24 else f"a number of {len(str(value))} digits"


# --------------------------------------------------------------------------- paths


def inside_file(path: Path) -> Path | None:
    """The file among ``path``'s parents, if a folder is asked for inside a file."""
    for parent in path.parents:
        if parent.exists():
            return parent if not parent.is_dir() else None
    return None


def existing_folder(flag: str, field: str, path: Path) -> Path:
    """``path`` must be an existing folder."""
    if path.is_dir():
        return path
    if path.exists():
        raise DataError.single(flag, field, f"'{path}' is a file, not a folder")
    holder = inside_file(path)
    if holder is not None:
        raise DataError.single(flag, field, f"'{path}' is inside '{holder}', which is a file")
    raise DataError.single(flag, field, f"no such folder '{path}'")


def data_folder(path: Path | None, command: str) -> None:
    """--data: an existing folder with every kind of input ``command`` reads, each with files."""
    if path is None:
        return
    existing_folder("--data", "data", path)
    needs = NEEDS.get(command, KIND_FOLDERS)
    if needs and not any(path.iterdir()):
        raise DataError.single(
            "--data", "data", f"'{path}' is empty; it should hold {', '.join(needs)}/"
        )
    for kind in needs:
        folder = path / kind
        if not folder.is_dir():
            raise DataError.single("--data", kind, f"no {kind}/ folder in '{path}'")
        pattern = ("*.yaml", "*.csv") if kind == "targets" else ("*.yaml",)
        if not any(f for p in pattern for f in folder.glob(p)):
            raise DataError.single("--data", kind, f"'{folder}' has no input files (*.yaml)")


def writable_folder(flag: str, field: str, path: Path) -> None:
    """``path`` must be a folder that exists or can be made, in which files can be written.
    Checked by making and removing a temporary file in the nearest folder that exists, so that
    nothing is left behind."""
    if path.exists() and not path.is_dir():
        raise DataError.single(flag, field, f"'{path}' is a file, not a folder")
    holder = inside_file(path)
    if holder is not None:
        raise DataError.single(flag, field, f"'{path}' is inside '{holder}', which is a file")
    base = path
    while not base.exists():
        base = base.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".jnpolicy-probe-", dir=base)
    except OSError as exc:
        raise DataError.single(
            flag, field, f"cannot write in '{base}' ({exc.strerror or type(exc).__name__})"
        ) from None
    os.close(fd)
    os.unlink(probe)


# --------------------------------------------------------------------------- memory


def available_memory() -> int | None:
    """Bytes of memory free for a new run now (MemAvailable), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def draws_fit(flag: str, draws: int | None, copies: int = 1) -> None:
    """Refuse ``draws`` when ``copies`` target trackers holding them at once would not fit in the
    memory free now; the message names the most draws that would."""
    if draws is None or draws <= 0:  # a count below 1 is refused by the command itself
        return
    copies = max(1, copies)
    free = available_memory()
    if free is None:
        return
    budget = free * MEMORY_SHARE
    need = draws * TARGET_BYTES_PER_DRAW * copies
    if need > budget:
        most = int(budget // (TARGET_BYTES_PER_DRAW * copies))
        raise DataError.single(
            flag,
            "draws",
            f"{draws:,} draws do not fit in memory: the target tracker holds about "
            f"{TARGET_BYTES_PER_DRAW} bytes a draw"
            + (f" in each of {copies} notebooks run at once" if copies > 1 else "")
            + f" ({need / 2**30:,.1f} GiB) and {free / 2**30:,.1f} GiB is free;"
            f" at most {most:,} draws fit",
        )
