"""Monte Carlo over the assumptions, in chunks of draws, on a small pool of threads.

Per-draw results are kept only at the grain the outputs need: the final cost per draw of each
measure and fund it is paid from (one row per measure, three for a measure paid from three funds;
measure, fund and class totals are sums of rows), and the class-A cost by month per draw held as
its factors (an amount per draw for each distinct timing profile). They are stored as float32:
7 significant digits, far finer than any assumption. Each chunk writes its own slice of those
arrays, so the threads never share a result, and the draws of a chunk come from streams keyed by
(seed, assumption, chunk) (``sampling``): the results do not depend on the number of threads.

Quantiles are exact (``quantiles``: the order statistics numpy's linear method interpolates,
found by radix selection rather than a full partition).
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..scenarios import ResolvedScenario
from . import grid
from .engine import Costing, Plan, evaluate
from .sampling import CHUNK, DTYPE, Spec, draw

QUANTILES = (0.05, 0.5, 0.95)
CLASSES = ("A", "B", "C", "D")


@dataclass
class Draws:
    """Per-draw results of a Monte Carlo run (元, float32).

    ``rows[r, d]`` is the final cost in draw d of one measure paid from one fund (``row_measure[r]``,
    ``row_fund[r]``): a measure paid from three funds has three rows. Measure, fund and class totals
    are sums of rows. The class-A cost by month is kept as its factors: ``profile_amounts[g, d]`` is
    the amount of draw d paid along timing profile ``profiles[g]`` (36 month weights), summed over
    every class-A component with that profile; ``monthly_a()`` multiplies them out for a fan."""

    rows: np.ndarray  # (measure-fund rows, draws)
    row_measure: np.ndarray  # (rows,): index of the costed measure
    row_fund: np.ndarray  # (rows,): index into fund_names
    measure_class: np.ndarray  # (costed measures,): index into CLASSES
    fund_names: list[str]
    profile_amounts: np.ndarray  # (profiles, draws)
    profiles: np.ndarray  # (profiles, 36)
    variates: int  # draws x uncertain assumptions drawn
    _cache: dict = field(default_factory=dict, repr=False)  # quantiles by (rows, qs)

    def members(self, kind: str) -> list[tuple[int, ...]]:
        """The rows of each measure (``kind`` "measure"), fund ("fund") or IMF class ("class")."""
        if kind == "measure":
            groups, n = self.row_measure, len(self.measure_class)
        elif kind == "fund":
            groups, n = self.row_fund, len(self.fund_names)
        elif kind == "class":
            groups, n = self.measure_class[self.row_measure], len(CLASSES)
        else:
            raise ValueError(kind)
        out: list[list[int]] = [[] for _ in range(n)]
        for r, g in enumerate(groups):
            out[g].append(r)
        return [tuple(rs) for rs in out]

    def total(self, rows: tuple[int, ...]) -> np.ndarray:
        """Per-draw sum of ``rows`` (a view of the row when there is one)."""
        if len(rows) == 1:
            return self.rows[rows[0]]
        out = np.zeros(self.rows.shape[1], dtype=self.rows.dtype)
        for r in rows:
            out += self.rows[r]
        return out

    def quantiles(self, kind: str, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
        """P5/P50/P95 (``qs``) of each measure, fund or class: (groups, len(qs)). A group made of
        the same rows as another (a fund paying for one measure only) is computed once."""
        groups = self.members(kind)
        todo = sorted({g for g in groups if g and (g, qs) not in self._cache})
        if todo:
            for g, q in zip(todo, quantile_rows([self.total(g) for g in todo], qs), strict=True):
                self._cache[(g, qs)] = q
        empty = np.full(len(qs), np.nan)
        return np.array([self._cache[(g, qs)] if g else empty for g in groups])

    @property
    def measures(self) -> list[np.ndarray]:
        """Final cost per draw of each costed measure."""
        return [self.total(g) for g in self.members("measure")]

    @property
    def funds(self) -> list[np.ndarray]:
        """Final cost per draw paid from each fund (``fund_names``)."""
        return [self.total(g) for g in self.members("fund")]

    @property
    def classes(self) -> list[np.ndarray]:
        """Total per draw of each IMF class A, B, C, D (zeros for a class with no measure)."""
        return [
            self.total(g) if g else np.zeros(self.rows.shape[1], dtype=self.rows.dtype)
            for g in self.members("class")
        ]

    def monthly_a(self) -> np.ndarray:
        """Class-A cost by month and draw, (36, draws)."""
        return self.profiles.T.astype(np.float32) @ self.profile_amounts

    def yearly_a(self) -> np.ndarray:
        """Class-A cost by year and draw, (3, draws)."""
        by_year = np.stack([self.profiles[:, grid.MONTH_YEAR == y].sum(axis=1) for y in grid.YEARS])
        return by_year.astype(np.float32) @ self.profile_amounts


def default_threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


LARGE_RUN = 200_000  # draws from which ``simulate`` tunes the allocator


@functools.cache
def tune_allocator() -> bool:
    """Keep numpy's temporaries on the heap (glibc only; once per process).

    By default glibc maps every block of 128 KiB or more straight from the kernel and unmaps it on
    free, and hands the top of the heap back when it passes a threshold; a vectorised run over a
    million draws then spends much of its time in page faults, allocating the same few-hundred-KiB
    temporaries thousands of times. Raising both thresholds (to 64 MiB and 512 MiB) lets freed
    blocks be reused. The process keeps memory it has freed, up to its peak, for reuse. Called by
    ``simulate`` for runs of ``LARGE_RUN`` draws or more; returns whether it applied.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = libc.mallopt(m_mmap_threshold, 64 << 20) == 1
        ok = libc.mallopt(m_trim_threshold, 512 << 20) == 1 and ok
        return ok
    except (OSError, AttributeError):
        return False


def _layout(costed: list[Plan], central: list[Costing], fund_names: list[str]):
    """For every component of every costed measure: its measure-fund row and, for class A, its
    profile row (components with the same timing share a profile row)."""
    fund_index = {f: i for i, f in enumerate(fund_names)}
    rows: dict[tuple[int, int], int] = {}
    profiles: list[np.ndarray] = []
    keys: dict[bytes, int] = {}
    layout = []
    for j, (plan, costing) in enumerate(zip(costed, central, strict=True)):
        slots = []
        for comp in costing.components:
            r = rows.setdefault((j, fund_index[comp.fund]), len(rows))
            g = -1
            if (plan.measure.fiscal_class or "A") == "A":
                key = np.ascontiguousarray(comp.weights).tobytes()
                if key not in keys:
                    keys[key] = len(profiles)
                    profiles.append(np.array(comp.weights, dtype=float))
                g = keys[key]
            slots.append((r, g))
        layout.append(slots)
    row_measure = np.array([j for j, _ in rows], dtype=np.intp)
    row_fund = np.array([f for _, f in rows], dtype=np.intp)
    matrix = np.array(profiles) if profiles else np.zeros((0, grid.N_MONTHS))
    return layout, row_measure, row_fund, matrix


def simulate(
    plans: list[Plan],
    scenario: ResolvedScenario,
    specs: dict[str, Spec],
    central: list[Costing | None],
    fund_names: list[str],
    *,
    draws: int,
    seed: int,
    threads: int | None = None,
) -> Draws:
    """Run the costed ``plans`` over ``draws`` draws of the assumptions in ``specs``.
    ``central`` (the deterministic costings, one per plan) fixes the layout of the components."""
    if draws >= LARGE_RUN:
        tune_allocator()
    pairs = [(p, c) for p, c in zip(plans, central, strict=True) if p.costed and c is not None]
    costed = [p for p, _ in pairs]
    layout, row_measure, row_fund, profiles = _layout(costed, [c for _, c in pairs], fund_names)
    measure_class = np.array(
        [CLASSES.index(p.measure.fiscal_class or "A") for p in costed], dtype=np.intp
    )
    out_rows = np.empty((len(row_measure), draws), dtype=DTYPE)
    out_profiles = np.empty((len(profiles), draws), dtype=DTYPE)
    uncertain = [s for s in specs.values() if s.uncertain]
    fixed = {s.name: s.mode for s in specs.values() if not s.uncertain}
    local = threading.local()  # per-thread buffers, reused from chunk to chunk

    def chunk(index: int) -> None:
        lo = index * CHUNK
        n = min(CHUNK, draws - lo)
        if not hasattr(local, "block"):
            local.block = np.empty((len(uncertain), CHUNK), dtype=DTYPE)
            local.scratch = (np.empty(CHUNK, dtype=DTYPE), np.empty(CHUNK, dtype=bool))
            local.rows = np.empty((len(row_measure), CHUNK), dtype=DTYPE)
            local.amounts = np.empty((len(profiles), CHUNK), dtype=DTYPE)
        values = dict(fixed)
        for i, spec in enumerate(uncertain):
            values[spec.name] = draw(spec, n, seed, index, local.block[i], local.scratch)
        rows = local.rows[:, :n]
        amounts = local.amounts[:, :n]
        rows[...] = 0.0
        amounts[...] = 0.0
        for j, costing in enumerate(evaluate(costed, scenario, values, cache=True)):
            assert costing is not None
            mult = costing.multiplier()
            unit = np.isscalar(mult) and mult == 1.0
            for comp, (r, g) in zip(costing.components, layout[j], strict=True):
                final = comp.amount if unit else comp.amount * mult
                rows[r] += final * comp.weight_sum
                if g >= 0:
                    amounts[g] += final
        out_rows[:, lo : lo + n] = rows
        out_profiles[:, lo : lo + n] = amounts

    n_chunks = -(-draws // CHUNK)
    workers = min(threads or default_threads(), n_chunks)
    if workers <= 1:
        for i in range(n_chunks):
            chunk(i)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(chunk, range(n_chunks)))
    return Draws(
        out_rows,
        row_measure,
        row_fund,
        measure_class,
        list(fund_names),
        out_profiles,
        profiles,
        draws * len(uncertain),
    )


def quantiles(x: np.ndarray, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles of a 1-d float array exactly as ``np.quantile`` (linear interpolation) computes
    them, by radix selection rather than a partition of the whole array: the top 16 bits of each
    value's order-preserving bit pattern give 65,536 buckets, one ``bincount`` finds the bucket of
    each order statistic needed, and only those buckets' values are partitioned."""
    n = x.size
    if n < 50_000:
        return np.quantile(x.astype(float), qs)
    if x.dtype == np.float32:
        bits, shift, sign = x.view(np.uint32), 16, np.uint32(1 << 31)
    else:
        x = np.asarray(x, dtype=np.float64)
        bits, shift, sign = x.view(np.uint64), 48, np.uint64(1 << 63)
    # order-preserving key: flip every bit of a negative number, only the sign bit of the others
    flip = (bits >> (bits.dtype.itemsize * 8 - 1)).astype(bits.dtype) * (sign - 1)
    key = bits ^ (flip | sign)
    bucket_of = (key >> shift).astype(np.uint16)
    cum = np.cumsum(np.bincount(bucket_of, minlength=1 << 16))
    ranks = []
    for q in qs:
        rank = q * (n - 1)
        k = int(np.floor(rank))
        ranks.append((k, min(k + 1, n - 1), rank - k))
    needed = sorted({r for k0, k1, _ in ranks for r in (k0, k1)})
    values: dict[int, float] = {}
    by_bucket: dict[int, list[int]] = {}
    for r in needed:
        b = int(np.searchsorted(cum, r, side="right"))
        by_bucket.setdefault(b, []).append(r)
    for b, rs in by_bucket.items():
        before = int(cum[b - 1]) if b > 0 else 0
        members = x[bucket_of == b]
        local = [r - before for r in rs]
        part = np.partition(members, local)
        for r, i in zip(rs, local, strict=True):
            values[r] = float(part[i])
    return np.array([values[k0] + (values[k1] - values[k0]) * frac for k0, k1, frac in ranks])


def quantile_rows(
    rows: np.ndarray | list[np.ndarray],
    qs: tuple[float, ...] = QUANTILES,
    threads: int | None = None,
) -> np.ndarray:
    """Quantiles of each row (of a 2-d array, or a list of 1-d arrays): (rows, len(qs))."""
    if len(rows) == 0:
        return np.zeros((0, len(qs)))
    size = len(rows[0])
    workers = min(threads or default_threads(), len(rows))
    if workers <= 1 or size < 200_000:
        return np.array([quantiles(r, qs) for r in rows])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return np.array(list(pool.map(lambda r: quantiles(r, qs), rows)))
