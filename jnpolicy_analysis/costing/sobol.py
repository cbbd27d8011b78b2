"""Variance-based (Sobol) sensitivity of the costing with SALib.

The one-at-a-time tornado moves one assumption while the others stay at the point; it shows no
interaction and does not say how much of the spread each assumption explains. Sobol indices do:
the first-order index S1 of an assumption is the share of the output's variance explained by that
assumption alone, the total index ST the share it explains with every interaction it takes part in
(1 - ST is the share left if it were known exactly).

Method. SALib's Sobol sequence (``SALib.sample.sobol``, Saltelli's scheme without second-order
terms) gives N x (D + 2) points of the unit cube over the D uncertain assumptions. Each column is
mapped through the inverse CDF of the assumption's own Monte Carlo distribution (``sampling``:
triangular, lognormal or uniform around the scenario's point), so the indices decompose the same
distribution the P5-P95 describe. The whole matrix is fed to the costing engine as one vectorised
set of assumption draws (``engine.evaluate``), and ``SALib.analyze.sobol`` estimates S1 and ST
with bootstrap confidence intervals (95 %) for each output: the class-A total and each document's
class-A total.

Correlated inputs. Sobol indices need independent inputs; assumptions that share a common driver
(``sampling``: a ``factors:`` entry) are not. They are one group: the factor's normal score and each
member's own are the group's columns, swapped together in Saltelli's scheme (SALib's groups), and
the group has one S1 and one ST, under the factor's name (``SobolResult.groups`` lists its members).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError
from ..inputs.scenarios import ResolvedScenario, with_settings
from .ledger import build as build_ledger
from .montecarlo import CLASSES
from .sampling import DTYPE, Z95, Spec, _triangular, discrete, from_score

MIN_SAMPLES = 64
MAX_SAMPLES = 1 << 16  # 65,536 base samples: about 5 million evaluations, minutes of work
DEFAULT_SAMPLES = 1024
RESAMPLES = 100  # bootstrap resamples for the confidence intervals
CLASS_A = "class A"
COLUMNS = ["assumption", "S1", "S1_conf", "ST", "ST_conf"]

Model = Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]]


def check_samples(samples: object) -> int:
    """``samples`` as a base sample size: a power of two of at least 64 (a Sobol sequence keeps
    its balance only at powers of two). Raises DataError on ``--samples`` otherwise."""
    ok = isinstance(samples, int) and not isinstance(samples, bool)
    if not ok or samples < MIN_SAMPLES or samples & (samples - 1):
        raise DataError.single(
            "--samples",
            "samples",
            f"must be a power of two of at least {MIN_SAMPLES} (e.g. 1024, 4096), got {samples}",
        )
    if samples > MAX_SAMPLES:
        raise DataError.single(
            "--samples", "samples", f"must be at most {MAX_SAMPLES:,}, got {samples:,}"
        )
    return samples


def from_unit(spec: Spec, u: np.ndarray) -> np.ndarray:
    """Values of ``spec`` at the quantiles ``u`` (0 < u < 1): the inverse CDF of the distribution
    the Monte Carlo draws it from (``sampling.draw``), in float64."""
    from scipy.special import ndtri

    u = np.clip(np.asarray(u, dtype=np.float64), 1e-12, 1 - 1e-12)
    if not spec.uncertain:
        return np.full(u.shape, spec.mode)
    if spec.kind == "lognormal":
        sigma = np.log(spec.high / spec.low) / (2 * Z95)
        return np.exp(np.log(spec.mode) + sigma * ndtri(u))
    if spec.kind == "uniform":
        return spec.low + u * (spec.high - spec.low)
    if spec.kind == "discrete":
        return discrete(spec, u).astype(np.float64)
    out = u.copy()
    scratch = np.empty_like(out), np.empty(out.shape, dtype=bool)
    return _triangular(out, *scratch, spec.low, spec.mode, spec.high)


def grouped_matrix(groups: list[list[int]], samples: int, seed: int) -> np.ndarray:
    """Saltelli's points for variables in ``groups`` (each a list of column indices, together
    covering the d columns once), (samples x (G + 2), d): for each base point the rows A_i, then
    A_i with the columns of group g taken from B_i for g = 1..G, then B_i, from scipy's scrambled
    Sobol sequence in 2d dimensions seeded with ``seed``. With one column a group it is
    ``saltelli_matrix``."""
    from scipy.stats import qmc

    d = sum(len(g) for g in groups)
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(samples)
    a, b = base[:, :d], base[:, d:]
    n_groups = len(groups)
    out = np.repeat(a[:, None, :], n_groups + 2, axis=1)
    for g, cols in enumerate(groups):
        out[:, 1 + g, cols] = b[:, cols]
    out[:, n_groups + 1, :] = b
    return out.reshape(samples * (n_groups + 2), d)


def groups_of(specs: list[Spec]):
    """The groups of the Sobol design over ``specs``: their names (an assumption alone, or a
    common factor, by its name), their columns, each variate's column
    (an assumption's own, "factor:NAME" for a factor's) and the members of each factor."""
    factors: dict[str, list[Spec]] = {}
    for s in specs:
        if s.factor is not None:
            factors.setdefault(s.factor, []).append(s)
    names: list[str] = []
    groups: list[list[int]] = []
    col = 0
    place: dict[str, int] = {}
    for s in specs:
        if s.factor is None:
            names.append(s.name)
            groups.append([col])
            place[s.name] = col
            col += 1
    for f, members in factors.items():
        if len(members) == 1:  # a factor the output reads through one member: that member alone
            s = members[0]
            names.append(s.name)
            groups.append([col])
            place[s.name] = col
            col += 1
            continue
        names.append(f)
        cols = list(range(col, col + len(members) + 1))
        place[f"factor:{f}"] = col
        for k, m in enumerate(members):
            place[m.name] = col + 1 + k
        groups.append(cols)
        col += len(members) + 1
    return names, groups, place, factors


def design(specs: list[Spec], samples: int, seed: int) -> tuple[list[str], dict, int]:
    """The Sobol design over ``specs``: the names of its groups (``groups_of``), each
    assumption's values at the design's points (members through the copula of ``sampling``) and
    the number of points."""
    from scipy.special import ndtri

    names, groups, place, factors = groups_of(specs)
    unit = grouped_matrix(groups, samples, seed)
    inputs: dict[str, np.ndarray] = {}
    for s in specs:
        u = unit[:, place[s.name]]
        if s.factor is not None and len(factors[s.factor]) > 1:
            clip = np.clip(unit[:, [place[f"factor:{s.factor}"], place[s.name]]], 1e-12, 1 - 1e-12)
            z = s.loading * ndtri(clip[:, 0]) + np.sqrt(1 - s.loading**2) * ndtri(clip[:, 1])
            inputs[s.name] = from_score(s, z).astype(np.float64)
        else:  # alone (or the only member the output reads: the copula keeps its marginal)
            inputs[s.name] = from_unit(s, u)
    return names, inputs, int(unit.shape[0])


def saltelli_matrix(d: int, samples: int, seed: int) -> np.ndarray:
    """The points of ``SALib.sample.sobol.sample`` for ``d`` variables on the unit cube without
    second-order terms, (samples x (d + 2), d): for each base point i the rows A_i, then A_i with
    column k taken from B_i for k = 1..d, then B_i, where [A | B] is scipy's scrambled Sobol
    sequence in 2d dimensions seeded with ``seed``, as SALib draws it. SALib builds the matrix
    element by element in Python (6 s for 73 variables and 4,096 samples); this is the same
    matrix built with numpy (``tests/test_sobol.py`` checks the two are equal)."""
    from scipy.stats import qmc

    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(samples)
    a, b = base[:, :d], base[:, d:]
    out = np.repeat(a[:, None, :], d + 2, axis=1)
    k = np.arange(d)
    out[:, 1 + k, k] = b[:, k]
    out[:, d + 1, :] = b
    return out.reshape(samples * (d + 2), d)


def analyse(y: np.ndarray, names: list[str], seed: int) -> pd.DataFrame:
    """SALib's Sobol analysis (first and total order, 95 % bootstrap intervals) of the outputs
    ``y`` at the points of ``saltelli_matrix``, one row per name, largest ST first.

    An assumption that the output does not depend on gives f(AB_j) = f(A) at every point, so its
    indices and their intervals are exactly 0; SALib is run on the others only (their A, AB_j and
    B rows, as if the problem had those variables alone), which saves its per-variable bootstrap
    for the many assumptions a document's total never reads. The one difference from running
    SALib on every variable is where it centres the output before estimating: at the mean of the
    rows it is given rather than of every row (both estimate the output's mean)."""
    from SALib.analyze import sobol as analyze

    d = len(names)
    grid = y.reshape(-1, d + 2)
    a, ab = grid[:, :1], grid[:, 1 : d + 1]
    used = [j for j in range(d) if not np.array_equal(ab[:, j], a[:, 0])]
    frame = pd.DataFrame({"assumption": names, **{k: np.zeros(d) for k in COLUMNS[1:]}})
    if used:
        sub = grid[:, [0, *(1 + j for j in used), d + 1]]
        problem = {
            "num_vars": len(used),
            "names": [names[j] for j in used],
            "bounds": [[0.0, 1.0]] * len(used),
        }
        si = analyze.analyze(
            problem,
            np.ascontiguousarray(sub.reshape(-1)),
            calc_second_order=False,
            num_resamples=RESAMPLES,
            conf_level=0.95,
            print_to_console=False,
            seed=seed,
        )
        for k in COLUMNS[1:]:
            frame.loc[used, k] = np.asarray(si[k], dtype=float)
    return frame.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


def sobol_indices(
    specs: list[Spec], model: Model, samples: int, seed: int
) -> tuple[dict[str, pd.DataFrame], int]:
    """Sobol S1 and ST of every output of ``model`` over the assumptions ``specs`` (all
    uncertain; those sharing a common factor as one group), from ``samples`` base samples:
    SALib's Sobol points (``design``) mapped to each spec's distribution, one call of ``model`` on the whole matrix (assumption -> array),
    SALib's analysis per output (``analyse``). Returns one frame per output (columns ``COLUMNS``,
    largest ST first; empty for an output that does not vary) and the number of evaluations."""
    check_samples(samples)
    names, inputs, points = design(specs, samples, seed)
    outputs = model(inputs)
    frames: dict[str, pd.DataFrame] = {}
    for name, y in outputs.items():
        y = np.broadcast_to(np.asarray(y, dtype=np.float64), (points,))
        if not np.all(np.isfinite(y)) or np.ptp(y) <= 1e-9 * max(1.0, float(np.abs(y).max())):
            frames[name] = pd.DataFrame(columns=COLUMNS)
            continue
        frames[name] = analyse(y, names, seed)
    return frames, points


@dataclass
class SobolResult:
    """Sobol indices of the class-A total and of each document's class-A total."""

    scenario: ResolvedScenario
    samples: int
    evaluations: int
    assumptions: list[str]  # an assumption, or a common factor's name (its members: ``groups``)
    outputs: dict[str, pd.DataFrame]
    groups: dict[str, list[str]] = field(default_factory=dict)  # factor -> its members

    def to_json(self) -> dict:
        """The ``jnpolicy sensitivity --json`` contract."""
        return {
            "scenario": self.scenario.name,
            "samples": self.samples,
            "groups": self.groups,
            "outputs": {
                name: [
                    {"assumption": r.assumption, **{k: float(getattr(r, k)) for k in COLUMNS[1:]}}
                    for r in frame.itertuples()
                ]
                for name, frame in self.outputs.items()
            },
        }


def costing_model(prep) -> tuple[list[Spec], Model]:
    """The uncertain assumptions the costed amounts of a prepared run use (``run.prepare``; the
    level shares move who pays, not these totals) and the model that costs every measure on an
    assumption matrix, through the run's own ledger (``ledger.build`` with the design as its
    inputs), and returns the class-A total and each document's, draw by draw."""
    sc = prep.scenario
    used = {n for p in prep.plans for n in p.uses}
    specs = [s for n, s in prep.specs.items() if s.uncertain and n in used]
    fixed = {n: s.mode for n, s in prep.specs.items()}
    costed = [p for p in prep.plans if p.costed]
    docs = sorted({p.doc for p in costed if (p.measure.fiscal_class or "A") == "A"})

    def model(inputs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        n = len(next(iter(inputs.values()))) if inputs else 1
        ledger = build_ledger(
            prep.plans,
            sc,
            prep.central,
            draws=n,
            seed=sc.seed,
            specs=prep.specs,
            inputs={**fixed, **{k: np.asarray(v, dtype=DTYPE) for k, v in inputs.items()}},
        )
        class_a = ledger.mask(**{"class": CLASSES.index("A")})
        doc_of = np.array([costed[c.measure].doc for c in ledger.cells])
        rows = [class_a, *((class_a * (doc_of == d)).astype(DTYPE) for d in docs)]
        series = ledger.series_whole(np.array(rows)).astype(np.float64)
        return {CLASS_A: series[0], **{d: series[i + 1] for i, d in enumerate(docs)}}

    return specs, model


def run_sobol(
    scenario: ResolvedScenario,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
) -> SobolResult:
    """Sobol S1/ST of the class-A total and each document's class-A total under ``scenario``,
    over every uncertain assumption the costings use, from ``samples`` base samples (a power of
    two; N x (D + 2) evaluations), seeded with the scenario's seed unless ``seed`` is given."""
    from .run import prepare

    check_samples(samples)
    sc = with_settings(scenario, seed=seed)
    prep = prepare(sc)
    specs, model = costing_model(prep)
    outputs, evaluations = sobol_indices(specs, model, samples, sc.seed)
    names, _, _, factors = groups_of(specs)
    groups = {f: [m.name for m in members] for f, members in factors.items() if f in names}
    return SobolResult(sc, samples, evaluations, names, outputs, groups)


__all__ = [
    "SobolResult",
    "analyse",
    "check_samples",
    "design",
    "grouped_matrix",
    "groups_of",
    "from_unit",
    "run_sobol",
    "saltelli_matrix",
    "sobol_indices",
]
