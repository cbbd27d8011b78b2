"""Monte Carlo draws of the baseline assumptions.

Each uncertain assumption is drawn around the scenario's point (its low, central or high value):

- ``triangular``: low .. high with the mode at the point (inverse CDF of one uniform variate);
- ``lognormal``: median at the point, log-sd fitted so that low .. high spans the 5th to 95th
  percentile when the point is their geometric mean: sigma = ln(high / low) / (2 x 1.6449);
- ``uniform``: low .. high, whatever the point;
- ``discrete``: one of a few values (two readings of the text, say) with their weights, whatever
  the point (the scenario's point is the value its at-mode run uses);
- ``fixed`` (or low = high): the point, with no draws.

Common drivers. Assumptions that share a driver (a ``factors:`` entry of ``data/baseline``: Jinan's
contribution wage bill behind the insured count, the wage and the funds' incomes) are drawn through a
Gaussian copula: member a's normal score is z_a = l_a F + sqrt(1 - l_a^2) e_a, where F is the
factor's standard normal (its own stream, keyed by the factor's name) and e_a the member's own; its
value is its own distribution's inverse CDF at Phi(z_a) (a lognormal's exp(ln point + sigma z_a)).
Each member keeps its distribution; two members' scores correlate by l_a x l_b.

Streams. Every assumption has its own numpy ``Generator`` for each chunk of draws, seeded from
(seed, a CRC-32 of the assumption's name, the chunk's index) through ``SeedSequence``. Hence:
the same seed gives identical results, whatever the number of threads; the first N draws of a
longer run are the draws of a run of N; and two scenarios run with one seed share the draws of every
assumption they both use (common random numbers), so a comparison of two scenarios measures the
policy difference and not sampling noise.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..inputs.schemas import Assumption
from ..units import get_unit

# Draws per chunk, the unit of work of one thread. Fixed (streams are keyed by chunk), so results
# never depend on the number of threads. Large enough that numpy's work dwarfs the Python between
# calls, which holds the GIL and would keep two threads from running at once.
CHUNK = 1 << 17
DTYPE = np.float32  # draws and per-draw costs: 7 significant digits, far finer than any assumption
Z95 = 1.6448536269514722  # the standard normal's 95th percentile


@dataclass(frozen=True)
class Spec:
    """How one assumption is drawn, in base units."""

    name: str
    kind: str  # triangular, lognormal, uniform, discrete, fixed
    low: float
    mode: float  # the scenario's point
    high: float
    values: tuple[float, ...] = ()  # a discrete assumption's values, in base units
    weights: tuple[float, ...] = ()  # and their weights (summing to 1)
    factor: str | None = None  # the common driver it shares (a ``factors:`` entry), if any
    loading: float = 0.0  # its loading on that factor

    @property
    def uncertain(self) -> bool:
        return self.kind != "fixed" and self.high > self.low

    @property
    def key(self) -> int:
        return zlib.crc32(self.name.encode("utf-8"))


def spec_of(name: str, a: Assumption, point: str, factors: Mapping | None = None) -> Spec:
    """How assumption ``name`` is drawn at ``point``; ``factors`` (name -> ``Factor``, the
    scenario's) tie it to its common driver when it is a member of one."""
    unit = get_unit(a.unit)
    low, mode, high = unit.to_base(a.low), unit.to_base(getattr(a, point)), unit.to_base(a.high)
    kind = a.distribution if high > low else "fixed"
    factor, loading = None, 0.0
    for fname, f in (factors or {}).items():
        if name in f.loadings:
            factor, loading = fname, float(f.loadings[name])
    if kind == "discrete":
        values = tuple(unit.to_base(c.value) for c in a.choices)
        weights = tuple(c.weight for c in a.choices)
        return Spec(name, kind, low, mode, high, values, weights, factor, loading)
    return Spec(name, kind, low, mode, high, factor=factor, loading=loading)


def factor_generator(seed: int, factor: str, chunk_index: int) -> np.random.Generator:
    """The stream of common driver ``factor`` in chunk ``chunk_index``: the same for every member
    and every caller (the costing's ledger, the funds), so they share its draws."""
    key = zlib.crc32(f"factor:{factor}".encode())
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key, chunk_index)))
    )


def from_score(spec: Spec, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The values of ``spec`` at standard normal scores ``z`` (its inverse CDF at Phi(z)), in
    place on ``out`` when given (float32)."""
    from scipy.special import ndtr

    out = np.empty(np.shape(z), dtype=DTYPE) if out is None else out
    if spec.kind == "lognormal":
        sigma = np.log(spec.high / spec.low) / (2 * Z95)
        np.exp(
            np.log(spec.mode) + sigma * np.asarray(z, dtype=np.float64), out=out, casting="unsafe"
        )
        return out
    out[...] = ndtr(np.asarray(z, dtype=np.float64))
    if spec.kind == "discrete":
        return discrete(spec, out, out)
    if spec.kind == "uniform":
        out *= spec.high - spec.low
        out += spec.low
        return out
    n = out.shape[0]
    return _triangular(
        out, np.empty(n, dtype=DTYPE), np.empty(n, dtype=bool), spec.low, spec.mode, spec.high
    )


def discrete(spec: Spec, u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The values of a discrete spec at uniforms ``u`` (inverse CDF): value k where the cumulated
    weights before it are <= u < the cumulated weights up to it."""
    edges = np.cumsum(spec.weights[:-1])
    picked = np.asarray(spec.values, dtype=DTYPE)[np.searchsorted(edges, u, side="right")]
    if out is None:
        return picked
    out[...] = picked
    return out


def generator(seed: int, spec: Spec, chunk_index: int) -> np.random.Generator:
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(spec.key, chunk_index)))
    )


def draw(
    spec: Spec,
    n: int,
    seed: int,
    chunk_index: int,
    out: np.ndarray | None = None,
    scratch: tuple[np.ndarray, np.ndarray] | None = None,
):
    """``n`` draws of one assumption for chunk ``chunk_index``: a float for a fixed assumption,
    else a float32 array of shape (n,). ``out`` (n,) and ``scratch`` (a float32 and a bool array
    of at least n) are reused when given, so a chunk allocates nothing."""
    if not spec.uncertain:
        return spec.mode
    rng = generator(seed, spec, chunk_index)
    out = np.empty(n, dtype=DTYPE) if out is None else out[:n]
    if spec.factor is not None:
        own = rng.standard_normal(n)
        common = factor_generator(seed, spec.factor, chunk_index).standard_normal(n)
        z = spec.loading * common + np.sqrt(1.0 - spec.loading**2) * own
        return from_score(spec, z, out)
    if spec.kind == "lognormal":
        rng.standard_normal(out=out, dtype=DTYPE)
        sigma = np.log(spec.high / spec.low) / (2 * Z95)
        out *= sigma
        out += np.log(spec.mode)
        np.exp(out, out=out)
        return out
    rng.random(out=out, dtype=DTYPE)
    if spec.kind == "discrete":
        return discrete(spec, out, out)
    a, c, b = spec.low, spec.mode, spec.high
    if spec.kind == "uniform":
        out *= b - a
        out += a
        return out
    if scratch is None:
        scratch = (np.empty(n, dtype=DTYPE), np.empty(n, dtype=bool))
    return _triangular(out, scratch[0][:n], scratch[1][:n], a, c, b)


def _triangular(
    u: np.ndarray, right: np.ndarray, left: np.ndarray, a: float, c: float, b: float
) -> np.ndarray:
    """Inverse CDF of the triangular distribution (a, mode c, b), in place on uniforms ``u``:
    x = a + sqrt((b-a)(c-a) u) where u < F(c) = (c-a)/(b-a), else b - sqrt((b-a)(b-c)(1-u)).
    Both branches are computed and blended with the 0/1 mask, which vectorises better than a
    masked assignment; ``right`` and ``left`` are scratch space."""
    np.less(u, (c - a) / (b - a), out=left)
    np.subtract(1.0, u, out=right)
    right *= (b - a) * (b - c)
    np.sqrt(right, out=right)  # b - right is the right branch
    u *= (b - a) * (c - a)
    np.sqrt(u, out=u)  # a + u is the left branch
    u += a - b
    u += right
    u *= left  # (left branch - right branch) where u < F(c), else 0
    u += b
    u -= right
    return u


def point_values(specs: dict[str, Spec]) -> dict[str, float]:
    return {name: s.mode for name, s in specs.items()}
