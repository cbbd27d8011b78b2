"""Quantiles of Monte Carlo series, in memory that does not grow with the number of draws, on a
small pool of threads (the ledger's cells are produced a chunk of draws at a time: ``ledger``).

Quantiles are exact: the order statistics numpy's linear method interpolates. Held whole, a
series' order statistics are found by bracketing them in a sorted sample, else by radix
selection. Streamed (``StreamQuantiles``), they are found by a two-pass radix selection on each
value's order-preserving 32-bit pattern: the first pass counts the top 16 bits of every value
(65,536 buckets per series), which names the bucket of each order statistic needed; the second
counts the low 16 bits of the values in those buckets only, which names the statistic itself.
Memory is two fixed tables per series, whatever the number of draws.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..inputs.scenarios import MAX_DRAWS as MAX_DRAWS  # re-exported; checked there
from .sampling import DTYPE

QUANTILES = (0.05, 0.5, 0.95)
CLASSES = ("A", "B", "C", "D")
# per-draw results kept between passes, at most: a run's ledger cells at 1,000,000 draws (87
# float32 cells for central, 348 MB) are kept, so such a run evaluates its draws once; at
# 10,000,000 they are streamed and memory stays flat (benchmarks/costing.py)
CACHE_BYTES = 512 << 20
# Hard ceiling on draws (inputs.scenarios, which checks it for every source of draws): memory no
# longer grows with them, but time does (about 4 microseconds a draw per pass on two cores, two to
# three passes): a billion draws is a few hours' run.
GROUP = 8  # series built whole at once from kept chunks
COUNT = np.int32  # counts of the radix selection: MAX_DRAWS < 2**31
BUCKET_BITS = 16
N_BUCKETS = 1 << BUCKET_BITS
_SIGN = np.uint32(1 << 31)
_ALL = np.uint32(0xFFFFFFFF)


def default_threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


# --------------------------------------------------------------------------- streamed quantiles


def order_keys(x: np.ndarray) -> np.ndarray:
    """The order-preserving uint32 key of each float32 value: flip every bit of a negative number,
    only the sign bit of the others."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    flip = (bits >> np.uint32(31)) * np.uint32(0x7FFFFFFF)
    return bits ^ (flip | _SIGN)


def key_value(key: int) -> float:
    """The float32 value (as a float) of an order key."""
    k = np.uint32(key)
    bits = k ^ _SIGN if k & _SIGN else k ^ _ALL
    return float(np.array([bits], dtype=np.uint32).view(np.float32)[0])


def _ranks(n: int, qs: tuple[float, ...]) -> list[tuple[int, int, float]]:
    out = []
    for q in qs:
        rank = q * (n - 1)
        k = int(np.floor(rank))
        out.append((k, min(k + 1, n - 1), rank - k))
    return out


class StreamQuantiles:
    """Exact quantiles (numpy's linear method) of ``n_series`` series of ``n`` float32 values each,
    fed a chunk at a time (``add``, an (n_series, chunk) array) in two passes over the same chunks
    (``start_pass2`` between them). ``fresh`` gives an empty accumulator of the same pass for
    another thread; ``merge`` adds one in."""

    def __init__(self, n_series: int, n: int, qs: tuple[float, ...]):
        self.n_series, self.n, self.qs = n_series, n, tuple(qs)
        self.ranks = _ranks(n, self.qs)
        self.stage = 1
        self.top = np.zeros((n_series, N_BUCKETS), dtype=COUNT)
        self.low: np.ndarray | None = None
        self.slots: list[dict[int, int]] = []  # per series: bucket -> row of self.low
        self.before: np.ndarray | None = None  # per low row: values below its bucket
        self.mean_sum = np.zeros(n_series)

    def fresh(self) -> StreamQuantiles:
        other = object.__new__(StreamQuantiles)
        other.n_series, other.n, other.qs, other.ranks = self.n_series, self.n, self.qs, self.ranks
        other.stage, other.slots, other.before = self.stage, self.slots, self.before
        other.top = np.zeros_like(self.top) if self.stage == 1 else self.top
        other.low = None if self.low is None else np.zeros_like(self.low)
        other.mean_sum = np.zeros(self.n_series)
        return other

    def add(self, x: np.ndarray) -> None:
        keys = order_keys(x)
        top = (keys >> np.uint32(BUCKET_BITS)).astype(np.uint16)
        if self.stage == 1:
            self.mean_sum += x.sum(axis=1, dtype=np.float64)
            for s in range(self.n_series):
                self.top[s] += np.bincount(top[s], minlength=N_BUCKETS)
            return
        assert self.low is not None
        for s, slots in enumerate(self.slots):
            row_top = top[s]
            for bucket, row in slots.items():
                mask = row_top == bucket
                if mask.any():
                    low = (keys[s][mask] & np.uint32(N_BUCKETS - 1)).astype(np.uint16)
                    self.low[row] += np.bincount(low, minlength=N_BUCKETS)

    def merge(self, other: StreamQuantiles) -> None:
        if self.stage == 1:
            self.top += other.top
            self.mean_sum += other.mean_sum
        else:
            assert self.low is not None and other.low is not None
            self.low += other.low

    def start_pass2(self) -> bool:
        """Name the buckets the order statistics fall in; False when no second pass is needed
        (no series)."""
        cum = np.cumsum(self.top, axis=1)
        self.slots = []
        before = []
        for s in range(self.n_series):
            slots: dict[int, int] = {}
            for k0, k1, _ in self.ranks:
                for r in (k0, k1):
                    b = int(np.searchsorted(cum[s], r, side="right"))
                    if b not in slots:
                        slots[b] = len(before)
                        before.append(int(cum[s, b - 1]) if b > 0 else 0)
            self.slots.append(slots)
        self.before = np.array(before, dtype=np.int64)
        self.low = np.zeros((len(before), N_BUCKETS), dtype=COUNT)
        self.stage = 2
        return self.n_series > 0

    def result(self) -> np.ndarray:
        """(n_series, len(qs)) quantiles, float64."""
        assert self.stage == 2 and self.low is not None and self.before is not None
        cum = np.cumsum(self.low, axis=1)
        out = np.empty((self.n_series, len(self.qs)))
        for s, slots in enumerate(self.slots):
            values: dict[int, float] = {}
            for k0, k1, _ in self.ranks:
                for r in (k0, k1):
                    if r in values:
                        continue
                    for bucket, row in slots.items():
                        local = r - self.before[row]
                        if 0 <= local < cum[row, -1]:
                            low = int(np.searchsorted(cum[row], local, side="right"))
                            values[r] = key_value((bucket << BUCKET_BITS) | low)
                            break
            for i, (k0, k1, frac) in enumerate(self.ranks):
                out[s, i] = values[k0] + (values[k1] - values[k0]) * frac
        return out

    @property
    def means(self) -> np.ndarray:
        return self.mean_sum / self.n


@dataclass
class Quantiles:
    """Quantiles (series, qs) and means (series,) of series held whole."""

    values: np.ndarray
    means: np.ndarray

    def result(self) -> np.ndarray:
        return self.values


def stream_quantiles(
    n_chunks: int,
    series: Callable[[int], np.ndarray],
    n_series: int,
    n: int,
    qs: tuple[float, ...] = QUANTILES,
    threads: int | None = None,
) -> StreamQuantiles:
    """Quantiles of the (n_series, chunk) arrays ``series(i)`` of chunks 0..n_chunks-1 (n values
    in all), in two passes over the chunks."""
    acc = StreamQuantiles(n_series, n, qs)
    for stage in (1, 2):
        if stage == 2 and not acc.start_pass2():
            break
        map_chunks(n_chunks, lambda i, a: a.add(series(i)), acc, threads)
    return acc


def map_chunks(n_chunks: int, work: Callable, acc: StreamQuantiles | None, threads) -> None:
    """Run ``work(i, accumulator)`` for every chunk, each thread on its own accumulator, merged
    into ``acc`` at the end (sums of counts: the order of the chunks does not matter)."""
    workers = min(threads or default_threads(), n_chunks)
    if workers <= 1:
        for i in range(n_chunks):
            work(i, acc)
        return
    local = threading.local()
    made: list[StreamQuantiles] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        if acc is None:
            work(i, None)
            return
        if not hasattr(local, "acc"):
            local.acc = acc.fresh()
            with lock:
                made.append(local.acc)
        work(i, local.acc)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, range(n_chunks)))
    for other in made:
        acc.merge(other)


def each_item(items: Iterable, work: Callable, threads: int | None) -> None:
    """Run ``work(item)`` for every item on the pool of threads."""
    items = list(items)
    workers = min(threads or default_threads(), len(items))
    if workers <= 1:
        for item in items:
            work(item)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, items))


def stat_dict(central: float, q: np.ndarray | None = None) -> dict[str, float]:
    """{central, p5, p50, p95} of the JSON, from a central and the P5/P50/P95 of ``q`` (zeros
    when there are no draws to give them)."""
    if q is None:
        return {"central": float(central), "p5": 0.0, "p50": 0.0, "p95": 0.0}
    return {"central": float(central), "p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}


def quantiles(x: np.ndarray, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles of a 1-d float array exactly as ``np.quantile`` (linear interpolation) computes
    them, from the order statistics it interpolates, found without a partition of the whole array:
    first by bracketing each in a sorted sample (``_bracket_select``), else by radix selection
    (``_radix_select``). Both give the exact order statistics, hence the same numbers."""
    n = x.size
    if n < 50_000:
        return np.quantile(x.astype(float), qs)
    ranks = _ranks(n, qs)
    needed = sorted({r for k0, k1, _ in ranks for r in (k0, k1)})
    values = _bracket_select(x, needed)
    if values is None:
        values = _radix_select(x, needed)
    return np.array([values[k0] + (values[k1] - values[k0]) * frac for k0, k1, frac in ranks])


SAMPLE_STEP = 32  # every 32nd value makes the sample that brackets the order statistics


def _bracket_select(x: np.ndarray, needed: list[int]) -> dict[int, float] | None:
    """The order statistics ``needed`` (ranks, ascending) of ``x``: each run of adjacent ranks is
    bracketed by two values of a sorted sample of ``x`` (every ``SAMPLE_STEP``-th value), four
    sampling standard deviations either side of where the sample puts it; the values of ``x``
    below the bracket are counted and those inside it partitioned. None when a bracket misses
    (rare: the caller then selects by radix), or when the sample holds a NaN."""
    n = x.size
    sample = np.sort(x[::SAMPLE_STEP])
    m = sample.size
    if np.isnan(sample[-1]):
        return None
    groups: list[list[int]] = []
    for r in needed:
        if groups and r - groups[-1][-1] <= 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    brackets = []
    inside = np.zeros(n, dtype=bool)
    mask = np.empty(n, dtype=bool)
    high = np.empty(n, dtype=bool)
    for g in groups:
        q = min(max(g[0] / (n - 1), 1.0 / m), 1.0 - 1.0 / m)
        half = int(4.0 * np.sqrt(m * q * (1.0 - q))) + 2
        i0, i1 = g[0] // SAMPLE_STEP - half, g[-1] // SAMPLE_STEP + half + 1
        lo = sample[i0] if i0 > 0 else None
        hi = sample[i1] if i1 < m - 1 else None
        if lo is None and hi is None:
            return None
        if lo is None:
            np.less_equal(x, hi, out=mask)
            below = 0
        else:
            np.greater_equal(x, lo, out=mask)
            below = n - int(np.count_nonzero(mask))  # no NaN: the values below lo
            if hi is not None:
                np.less_equal(x, hi, out=high)
                mask &= high
        inside |= mask
        brackets.append((g, lo, hi, below))
    members = np.compress(inside, x)
    values: dict[int, float] = {}
    for g, lo, hi, below in brackets:
        if lo is None:
            part = members[members <= hi]
        elif hi is None:
            part = members[members >= lo]
        else:
            part = members[(members >= lo) & (members <= hi)]
        if not (below <= g[0] and g[-1] < below + part.size):
            return None
        part = np.partition(part, [r - below for r in g])
        for r in g:
            values[r] = float(part[r - below])
    return values


def _radix_select(x: np.ndarray, needed: list[int]) -> dict[int, float]:
    """The order statistics ``needed`` of ``x`` by radix selection: the top 16 bits of each
    value's order-preserving bit pattern give 65,536 buckets, one ``bincount`` finds the bucket of
    each order statistic needed, and only those buckets' values are partitioned."""
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
    return values


class Linear:
    """``x -> W @ x`` for a (series, k) weight matrix, row by row: a 0/1 row (a sum of rows of
    ``x``) as additions of the rows it names, any other row as a float64 dot product. Each
    series comes out the same whatever other rows it is stacked with, so several matrices can
    share one pass over the draws. ``apply(x, lo, hi)`` gives series lo..hi."""

    def __init__(self, w: np.ndarray | None):
        self.w = np.zeros((0, 0)) if w is None else np.asarray(w)
        # per row: the rows of x it adds, or None for a row of other weights
        self.members = [
            np.flatnonzero(r).tolist() if np.isin(r, (0.0, 1.0)).all() else None for r in self.w
        ]

    def __len__(self) -> int:
        return len(self.w)

    def apply(self, x: np.ndarray, lo: int = 0, hi: int | None = None) -> np.ndarray:
        hi = len(self.w) if hi is None else hi
        out = np.empty((hi - lo, x.shape[1]), dtype=DTYPE)
        x64 = None
        for s in range(lo, hi):
            members, row = self.members[s], out[s - lo]
            if members is None:
                # in float64 on a contiguous copy: the same sums whatever the layout
                if x64 is None:
                    x64 = np.ascontiguousarray(x, dtype=np.float64)
                row[...] = self.w[s].astype(np.float64) @ x64
                continue
            if not members:
                row[...] = 0.0
                continue
            row[...] = x[members[0]]
            for m in members[1:]:
                row += x[m]
        return out
