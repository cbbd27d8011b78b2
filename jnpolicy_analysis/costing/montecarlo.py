"""Monte Carlo over the assumptions, in chunks of draws, on a small pool of threads, in memory that
does not grow with the number of draws.

Draws are evaluated a chunk at a time (``sampling.CHUNK`` draws, fixed: streams are keyed by chunk,
so the results do not depend on the number of threads nor on how many chunks a run has). A chunk's
per-draw results are the final cost of each measure paid from each fund (one row per measure and
fund) and the class-A cost of each distinct timing profile (36 month weights); every output is a
linear map of them: measure, fund and class totals are sums of rows, the cost by year and by month
the profiles times their amounts. They are float32: 7 significant digits, far finer than any
assumption.

Quantiles are exact and streamed (``StreamQuantiles``): the order statistics numpy's linear method
interpolates, found by a two-pass radix selection on each value's order-preserving 32-bit pattern.
The first pass counts the top 16 bits of every value (65,536 buckets per series), which names the
bucket of each order statistic needed; the second counts the low 16 bits of the values in those
buckets only, which names the statistic itself. Memory is two fixed tables per series, whatever the
number of draws.

A run's chunks are kept while they fit in ``CACHE_BYTES`` (256 MiB: about 1.2 million draws of
the shipped catalog), and its quantiles are then selected on whole series built a few at a time;
beyond that every pass evaluates the chunks again from their streams, which gives the same numbers
bit for bit, and the first pass of the run's own outputs (each measure, fund, IMF class and
class-A year) is the one that first evaluates them.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..inputs.scenarios import ResolvedScenario
from . import grid, sampling
from .engine import Costing, Plan, evaluate
from .sampling import DTYPE, Spec, draw

QUANTILES = (0.05, 0.5, 0.95)
CLASSES = ("A", "B", "C", "D")
CACHE_BYTES = 256 << 20  # per-draw results kept between passes, at most
# Hard ceiling on draws: memory no longer grows with them, but time does (about 4 microseconds a
# draw per pass on two cores, two to three passes): a billion draws is a few hours' run.
MAX_DRAWS = 1_000_000_000
GROUP = 8  # series built whole at once from kept chunks
COUNT = np.int32  # counts of the radix selection: MAX_DRAWS < 2**31
BUCKET_BITS = 16
N_BUCKETS = 1 << BUCKET_BITS
_SIGN = np.uint32(1 << 31)
_ALL = np.uint32(0xFFFFFFFF)


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
    ``simulate`` for runs of ``LARGE_RUN`` draws or more whose chunks are kept (a streamed run
    reuses its buffers, and would only hold more memory); returns whether it applied.
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
        _map_chunks(n_chunks, lambda i, a: a.add(series(i)), acc, threads)
    return acc


def _map_chunks(n_chunks: int, work: Callable, acc: StreamQuantiles | None, threads) -> None:
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


def _each(items: Iterable, work: Callable, threads: int | None) -> None:
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


# --------------------------------------------------------------------------- the run


class _Chunks:
    """Evaluates chunk i of a run (the same numbers every time), keeping it when the run's
    per-draw results fit in ``CACHE_BYTES``."""

    def __init__(self, costed, scenario, specs, layout, n_rows, n_profiles, draws, seed, chunk):
        self.costed, self.scenario = costed, scenario
        self.uncertain = [s for s in specs.values() if s.uncertain]
        self.fixed = {s.name: s.mode for s in specs.values() if not s.uncertain}
        self.layout, self.n_rows, self.n_profiles = layout, n_rows, n_profiles
        self.draws, self.seed, self.chunk = draws, seed, chunk
        self.n_chunks = -(-draws // chunk)
        self.keep = (n_rows + n_profiles) * draws * np.dtype(DTYPE).itemsize <= CACHE_BYTES
        self.kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.local = threading.local()  # per-thread buffers, reused from chunk to chunk

    def __getstate__(self) -> dict:  # pickled with its result (the notebooks' cache): no buffers
        state = self.__dict__.copy()
        del state["local"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.local = threading.local()

    def __call__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, amounts) of chunk ``index``: (rows, n) and (profiles, n). Without the cache the
        arrays are the calling thread's buffers, valid until its next call."""
        if index in self.kept:
            return self.kept[index]
        lo = index * self.chunk
        n = min(self.chunk, self.draws - lo)
        local, width = self.local, self.chunk
        if not hasattr(local, "block"):
            local.block = np.empty((len(self.uncertain), width), dtype=DTYPE)
            local.scratch = (np.empty(width, dtype=DTYPE), np.empty(width, dtype=bool))
            local.rows = np.empty((self.n_rows, width), dtype=DTYPE)
            local.amounts = np.empty((self.n_profiles, width), dtype=DTYPE)
        values = dict(self.fixed)
        for i, spec in enumerate(self.uncertain):
            values[spec.name] = draw(spec, n, self.seed, index, local.block[i], local.scratch)
        rows = local.rows[:, :n] if not self.keep else np.empty((self.n_rows, n), dtype=DTYPE)
        amounts = (
            local.amounts[:, :n] if not self.keep else np.empty((self.n_profiles, n), dtype=DTYPE)
        )
        rows[...] = 0.0
        amounts[...] = 0.0
        scratch = local.scratch[0][:n]
        for j, costing in enumerate(evaluate(self.costed, self.scenario, values, cache=True)):
            assert costing is not None
            mult = costing.multiplier()
            unit = np.isscalar(mult) and mult == 1.0
            for comp, (r, g) in zip(costing.components, self.layout[j], strict=True):
                final = comp.amount if unit else comp.amount * mult
                if isinstance(final, np.ndarray) and final.dtype == DTYPE and final.shape == (n,):
                    np.multiply(final, comp.weight_sum, out=scratch)
                    rows[r] += scratch
                else:
                    rows[r] += final * comp.weight_sum
                if g >= 0:
                    amounts[g] += final
        if self.keep:
            self.kept[index] = (rows, amounts)
        return rows, amounts


@dataclass
class Draws:
    """A Monte Carlo run, held as the means to produce its per-draw results a chunk at a time.

    Per chunk: ``rows[r, d]`` the final cost (元, float32) in draw d of one measure paid from one
    fund (``row_measure[r]``, ``row_fund[r]``): a measure paid from three funds has three rows;
    ``amounts[g, d]`` the class-A amount of draw d paid along timing profile ``profiles[g]`` (36
    month weights). Every output is a linear map of them (``weights``), and its quantiles are
    streamed (``series_quantiles``). ``rows`` and ``profile_amounts`` build the whole
    (rows, draws) arrays, for tests and small runs: those grow with the draws."""

    chunks: _Chunks = field(repr=False)
    draws: int
    row_measure: np.ndarray  # (rows,): index of the costed measure
    row_fund: np.ndarray  # (rows,): index into fund_names
    measure_class: np.ndarray  # (costed measures,): index into CLASSES
    fund_names: list[str]
    profiles: np.ndarray  # (profiles, 36)
    variates: int  # draws x uncertain assumptions drawn
    threads: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)  # (kind, qs) -> (quantiles, means)

    # ------------------------------------------------------------------ linear maps

    def weights(self, kind: str) -> np.ndarray:
        """The (groups, rows) 0/1 matrix summing rows into each measure ("measure"), fund
        ("fund") or IMF class ("class")."""
        if kind == "measure":
            groups, n = self.row_measure, len(self.measure_class)
        elif kind == "fund":
            groups, n = self.row_fund, len(self.fund_names)
        elif kind == "class":
            groups, n = self.measure_class[self.row_measure], len(CLASSES)
        else:
            raise ValueError(kind)
        w = np.zeros((n, len(self.row_measure)), dtype=DTYPE)
        w[groups, np.arange(len(self.row_measure))] = 1.0
        return w

    def measure_weights(self, groups: Iterable[Iterable[int]]) -> np.ndarray:
        """The (groups, rows) matrix summing rows into sums of costed measures (by index)."""
        members = [set(g) for g in groups]
        w = np.zeros((len(members), len(self.row_measure)), dtype=DTYPE)
        for i, g in enumerate(members):
            w[i] = [1.0 if m in g else 0.0 for m in self.row_measure]
        return w

    def year_weights(self) -> np.ndarray:
        """(3, profiles): the share of each profile paid in each year."""
        return np.stack([self.profiles[:, grid.MONTH_YEAR == y].sum(axis=1) for y in grid.YEARS])

    def month_weights(self, cumulative: bool = False) -> np.ndarray:
        """(36, profiles): the share of each profile paid in (or up to) each month."""
        w = self.profiles.T.astype(np.float64)
        return np.cumsum(w, axis=0) if cumulative else w

    # ------------------------------------------------------------------ quantiles

    @property
    def n_chunks(self) -> int:
        return self.chunks.n_chunks

    def series_quantiles(
        self,
        row_weights: np.ndarray | None = None,
        profile_weights: np.ndarray | None = None,
        qs: tuple[float, ...] = QUANTILES,
    ) -> Quantiles:
        """Quantiles (and means) of the series ``row_weights @ rows`` and, below them,
        ``profile_weights @ amounts``: from the kept chunks a few series at a time when the run
        fits in ``CACHE_BYTES``, else streamed over the chunks in two passes."""
        parts = _series_fn(row_weights, profile_weights)
        n_series = sum(0 if w is None else len(w) for w in (row_weights, profile_weights))
        if not self.chunks.keep:
            return stream_quantiles(
                self.n_chunks,
                lambda i: parts(*self.chunks(i)),
                n_series,
                self.draws,
                qs,
                self.threads,
            )
        # every chunk is (or will be) kept: evaluate them, then select on whole series, built a
        # few at a time (one group of GROUP series per thread) so that at most GROUP series of
        # every draw are held at once by each thread
        _map_chunks(self.n_chunks, lambda i, _: self.chunks(i), None, self.threads)
        values = np.empty((n_series, len(qs)))
        means = np.empty(n_series)

        def group(lo: int) -> None:
            hi = min(lo + GROUP, n_series)
            series = np.empty((hi - lo, self.draws), dtype=DTYPE)
            for i in range(self.n_chunks):
                start = i * self.chunks.chunk
                part = parts(*self.chunks(i), lo, hi)
                series[:, start : start + part.shape[1]] = part
            values[lo:hi] = [quantiles(row, qs) for row in series]
            means[lo:hi] = series.mean(axis=1, dtype=np.float64)

        _each(range(0, n_series, GROUP), group, self.threads)
        return Quantiles(values, means)

    def chunk_quantiles(
        self,
        series: Callable[[int], np.ndarray],
        n_series: int,
        qs: tuple[float, ...] = QUANTILES,
    ) -> Quantiles | StreamQuantiles:
        """Quantiles (and means) of the (n_series, chunk) arrays ``series(i)`` of every chunk i,
        any function of the chunk (``series`` may call ``self.chunks(i)``). When the chunks are
        kept and the series fit in ``CACHE_BYTES``, each chunk's series are computed once and the
        quantiles selected on whole series; else they are streamed in two passes. The means are
        the sums of each chunk's float64 sums, in chunk order, over the draws, either way."""
        if not self.chunks.keep or n_series * self.draws * np.dtype(DTYPE).itemsize > CACHE_BYTES:
            return stream_quantiles(self.n_chunks, series, n_series, self.draws, qs, self.threads)
        whole = np.empty((n_series, self.draws), dtype=DTYPE)
        sums = np.empty((self.n_chunks, n_series))

        def fill(i: int, _) -> None:
            start = i * self.chunks.chunk
            part = series(i)
            whole[:, start : start + part.shape[1]] = part
            sums[i] = part.sum(axis=1, dtype=np.float64)

        _map_chunks(self.n_chunks, fill, None, self.threads)
        total = np.zeros(n_series)
        for i in range(self.n_chunks):
            total += sums[i]
        values = np.empty((n_series, len(qs)))

        def select(s: int) -> None:
            values[s] = quantiles(whole[s], qs)

        _each(range(n_series), select, self.threads)
        return Quantiles(values, total / self.draws)

    def _standard(self) -> Quantiles | StreamQuantiles:
        if "standard" not in self._cache:
            acc = self.series_quantiles(*_standard_weights(self))
            self._cache["standard"] = acc
        return self._cache["standard"]

    def _split(self, kind: str, values: np.ndarray) -> np.ndarray:
        sizes = {
            "measure": len(self.measure_class),
            "fund": len(self.fund_names),
            "class": len(CLASSES),
            "year": len(grid.YEARS),
        }
        start = 0
        for k, size in sizes.items():
            if k == kind:
                return values[start : start + size]
            start += size
        raise ValueError(kind)

    def quantiles(self, kind: str, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
        """P5/P50/P95 (``qs``) of each measure, fund, IMF class or class-A year ("year"):
        (groups, len(qs)); NaN for a fund or class with no row."""
        if tuple(qs) == QUANTILES:
            q = self._split(kind, self._standard().result())
        else:
            key = ("q", kind, tuple(qs))
            if key not in self._cache:
                if kind == "year":
                    acc = self.series_quantiles(None, self.year_weights(), qs)
                else:
                    acc = self.series_quantiles(self.weights(kind), None, qs)
                self._cache[key] = acc.result()
            q = self._cache[key]
        if kind in ("fund", "class"):
            empty = self.weights(kind).sum(axis=1) == 0
            q = q.copy()
            q[empty] = np.nan
        return q

    def means(self, kind: str) -> np.ndarray:
        """Mean over the draws of each measure, fund, class or class-A year (元)."""
        return self._split(kind, self._standard().means)

    def row_means(self) -> np.ndarray:
        """Mean over the draws of each measure-fund row (元), summed a chunk at a time."""
        if "row_means" not in self._cache:
            total = np.zeros(len(self.row_measure))
            for i in range(self.n_chunks):
                total += self.chunks(i)[0].sum(axis=1, dtype=np.float64)
            self._cache["row_means"] = total / self.draws
        return self._cache["row_means"]

    # ------------------------------------------------------------------ whole arrays

    def _whole(self, which: int) -> np.ndarray:
        height = len(self.row_measure) if which == 0 else len(self.profiles)
        out = np.empty((height, self.draws), dtype=DTYPE)
        for i in range(self.n_chunks):
            lo = i * self.chunks.chunk
            part = self.chunks(i)[which]
            out[:, lo : lo + part.shape[1]] = part
        return out

    @property
    def rows(self) -> np.ndarray:
        """Every (measure-fund row, draw) final cost at once: grows with the draws."""
        return self._whole(0)

    @property
    def profile_amounts(self) -> np.ndarray:
        """Every (profile, draw) class-A amount at once: grows with the draws."""
        return self._whole(1)

    @property
    def measures(self) -> list[np.ndarray]:
        """Final cost per draw of each costed measure, every draw at once (grows with draws)."""
        return list(self.weights("measure") @ self.rows)

    @property
    def classes(self) -> list[np.ndarray]:
        """Total per draw of each IMF class, every draw at once (grows with draws)."""
        return list(self.weights("class") @ self.rows)

    def monthly_a(self) -> np.ndarray:
        """Class-A cost by month and draw, (36, draws), every draw at once (grows with draws)."""
        return self.month_weights() @ self.profile_amounts


def _standard_weights(d: Draws) -> tuple[np.ndarray, np.ndarray]:
    """The run's own outputs: measures, funds, classes (rows) and class-A years (profiles)."""
    return np.vstack([d.weights("measure"), d.weights("fund"), d.weights("class")]), (
        d.year_weights()
    )


class _Linear:
    """``x -> W @ x`` for a (series, k) weight matrix: a 0/1 matrix (sums of rows) as additions
    of the rows it names, any other by matrix product. ``apply(x, lo, hi)`` gives series lo..hi."""

    def __init__(self, w: np.ndarray | None):
        self.w = np.zeros((0, 0)) if w is None else np.asarray(w)
        self.binary = bool(np.isin(self.w, (0.0, 1.0)).all())
        self.members = [np.flatnonzero(r).tolist() for r in self.w] if self.binary else []

    def __len__(self) -> int:
        return len(self.w)

    def apply(self, x: np.ndarray, lo: int = 0, hi: int | None = None) -> np.ndarray:
        hi = len(self.w) if hi is None else hi
        if not self.binary:  # in float64 on a contiguous copy: the same sums whatever the layout
            w = self.w[lo:hi].astype(np.float64)
            return (w @ np.ascontiguousarray(x, dtype=np.float64)).astype(DTYPE)
        out = np.empty((hi - lo, x.shape[1]), dtype=DTYPE)
        for s in range(lo, hi):
            members, row = self.members[s], out[s - lo]
            if not members:
                row[...] = 0.0
                continue
            row[...] = x[members[0]]
            for m in members[1:]:
                row += x[m]
        return out


def _series_fn(row_weights: np.ndarray | None, profile_weights: np.ndarray | None):
    """The series of a chunk, ``row_weights @ rows`` above ``profile_weights @ amounts``; with
    (lo, hi), only series lo..hi."""
    on_rows, on_amounts = _Linear(row_weights), _Linear(profile_weights)
    split = len(on_rows)

    def parts(rows: np.ndarray, amounts: np.ndarray, lo: int = 0, hi: int | None = None):
        hi = split + len(on_amounts) if hi is None else hi
        out = []
        if lo < split:
            out.append(on_rows.apply(rows, lo, min(hi, split)))
        if hi > split:
            out.append(on_amounts.apply(amounts, max(lo - split, 0), hi - split))
        if not out:
            return np.zeros((0, rows.shape[1]), dtype=DTYPE)
        return out[0] if len(out) == 1 else np.vstack(out)

    return parts


def paired_quantiles(
    a: Draws, wa: np.ndarray, b: Draws, wb: np.ndarray, qs: tuple[float, ...] = QUANTILES
) -> np.ndarray:
    """Quantiles of ``wa @ rows_a - wb @ rows_b`` draw by draw, for two runs of the same draws
    and seed (hence the same chunks): the difference of two scenarios with common random
    numbers. Streamed chunk by chunk, one chunk of each run at a time."""
    assert a.draws == b.draws and a.chunks.chunk == b.chunks.chunk
    la, lb = _Linear(wa), _Linear(wb)
    return stream_quantiles(
        a.n_chunks,
        lambda i: la.apply(a.chunks(i)[0]) - lb.apply(b.chunks(i)[0]),
        len(wa),
        a.draws,
        qs,
        a.threads,
    ).result()


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
    chunk: int | None = None,
) -> Draws:
    """Run the costed ``plans`` over ``draws`` draws of the assumptions in ``specs``, streaming
    the quantiles of every measure, fund, class and class-A year. ``central`` (the deterministic
    costings, one per plan) fixes the layout of the components. ``chunk`` (default
    ``sampling.CHUNK``) is the draws per chunk; the draws depend on it, never on ``threads``."""
    pairs = [(p, c) for p, c in zip(plans, central, strict=True) if p.costed and c is not None]
    costed = [p for p, _ in pairs]
    layout, row_measure, row_fund, profiles = _layout(costed, [c for _, c in pairs], fund_names)
    measure_class = np.array(
        [CLASSES.index(p.measure.fiscal_class or "A") for p in costed], dtype=np.intp
    )
    chunks = _Chunks(
        costed,
        scenario,
        specs,
        layout,
        len(row_measure),
        len(profiles),
        draws,
        seed,
        chunk or sampling.CHUNK,
    )
    if draws >= LARGE_RUN and chunks.keep:  # streamed runs reuse their buffers: no need
        tune_allocator()
    out = Draws(
        chunks,
        draws,
        row_measure,
        row_fund,
        measure_class,
        list(fund_names),
        profiles,
        draws * len(chunks.uncertain),
        threads or default_threads(),
    )
    out._standard()  # evaluates every chunk: the first pass of the run's own outputs
    return out
