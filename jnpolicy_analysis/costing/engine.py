"""The costing engine: evaluate every measure's costing for a scenario, deterministically at the
scenario's point, one assumption at a time for the sensitivity, and over Monte Carlo draws.

A measure's costing (its ``costing:`` block in ``data/policies``, compiled by ``bindings``) is a
function of a ``MeasureContext`` that returns a ``Costing``: static cost components (an amount per
draw in 元 times a timing profile of 36 month weights, attributed to a fund), a take-up share and
an induced response. The cost in month m of a
draw d is ``sum_k amount_k[d] * weights_k[m] * take_up[d] * (1 + response[d])``: a (draws, months)
array held as its factors, because every timing profile is fixed by the scenario (dates and
printed numbers) and only the amounts vary by draw. ``Costing.dense()`` builds the full array.

Final cost = static cost x take-up x (1 + response). The behavioural adjustment is the sum of two
lines: the take-up effect, static x (take-up - 1) (claims below 100 %), and the response effect,
static x take-up x response (activity the measure itself induces: hires that happen only because of
a grant). Deadweight, the part of the final cost paid for outcomes that would have happened anyway,
is final / (1 + response): it is part of the fiscal cost, not a saving, and is shown for judging
value for money.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..inputs.scenarios import ResolvedScenario
from ..inputs.schemas import Assumption, Measure
from . import grid

ArrayLike = float | np.ndarray


@dataclass
class Component:
    """Part of a measure's cost: ``amount`` (元 per unit of weight; a float or an array over draws)
    times ``weights`` (36 month weights), paid from ``fund``."""

    amount: ArrayLike
    weights: np.ndarray
    fund: str

    @property
    def weight_sum(self) -> float:
        return float(self.weights.sum())


@dataclass
class Costing:
    """What one measure's costing returns: static components and the behavioural multipliers."""

    components: list[Component]
    take_up: ArrayLike = 1.0
    response: ArrayLike = 0.0
    exposure: ArrayLike | None = None  # guaranteed volume (class C), in 元

    def static_total(self) -> ArrayLike:
        return sum((c.amount * c.weight_sum for c in self.components), 0.0)

    def multiplier(self) -> ArrayLike:
        return self.take_up * (1.0 + np.asarray(self.response))

    def final_total(self) -> ArrayLike:
        return self.static_total() * self.multiplier()

    def dense(self, draws: int = 1) -> np.ndarray:
        """The final cost as a (draws, 36) array in 元."""
        out = np.zeros((draws, grid.N_MONTHS))
        mult = np.broadcast_to(np.asarray(self.multiplier(), dtype=float), (draws,))
        for c in self.components:
            amount = np.broadcast_to(np.asarray(c.amount, dtype=float), (draws,))
            out += np.outer(amount * mult, c.weights)
        return out


@lru_cache(maxsize=4096)
def _coverage(start: dt.date | None, end: dt.date | None) -> np.ndarray:
    w = grid.coverage(start, end)
    w.flags.writeable = False
    return w


class MeasureContext:
    """What a measure's costing reads in one evaluation: the scenario (printed parameters with its
    overrides, levers, periods), the assumption values (floats at the point, or arrays over draws)
    and a cache for quantities several measures share (the insured wage bill)."""

    __slots__ = ("doc", "measure", "scenario", "values", "cache")

    def __init__(
        self,
        doc: str,
        measure: Measure,
        scenario: ResolvedScenario,
        values: Mapping[str, ArrayLike],
        cache: dict | None = None,
    ):
        self.doc = doc
        self.measure = measure
        self.scenario = scenario
        self.values = values
        self.cache = cache


Binding = Callable[[MeasureContext], Costing]


@dataclass
class Plan:
    """One measure of the catalog and how it is costed (or why not)."""

    doc: str
    measure: Measure
    binding: Binding | None  # compiled from the measure's costing block (``bindings``)
    reason: str | None  # why not costed
    uses: dict[str, str] = field(default_factory=dict)  # assumption -> base unit, for its amounts

    @property
    def costed(self) -> bool:
        return self.binding is not None


def evaluate(
    plans: list[Plan],
    scenario: ResolvedScenario,
    values: Mapping[str, ArrayLike],
    cache: bool = False,
) -> list[Costing | None]:
    """Run every costed plan on ``values`` (assumption -> float or array over draws). ``cache``
    computes the baseline's derived quantities once for all the measures that use them."""
    out: list[Costing | None] = []
    shared: dict | None = {} if cache else None
    for plan in plans:
        if plan.binding is None:
            out.append(None)
            continue
        out.append(plan.binding(MeasureContext(plan.doc, plan.measure, scenario, values, shared)))
    return out


def assumption_meta(scenario: ResolvedScenario, names) -> dict[str, Assumption]:
    return {n: scenario.assumptions[n] for n in names}
