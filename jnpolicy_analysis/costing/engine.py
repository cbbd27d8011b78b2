"""The costing engine: evaluate every measure's costing for a scenario, deterministically at the
scenario's point, one assumption at a time for the sensitivity, and over Monte Carlo draws.

A measure's costing (``measures.COSTINGS``) is a small function of a ``MeasureContext`` that returns
a ``Costing``: static cost components (an amount per draw in 元 times a timing profile of 36 month
weights, attributed to a fund), a take-up share and an induced response. The cost in month m of a
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

from ..errors import DataError
from ..scenarios import ResolvedScenario
from ..schemas import Assumption, Measure
from ..schemas.common import Period
from ..units import did_you_mean, get_unit
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
    """What a measure's costing reads: printed parameters (with the scenario's overrides), levers,
    assumptions (floats at the point, or arrays over draws), and its dated window."""

    def __init__(
        self,
        doc: str,
        measure: Measure,
        scenario: ResolvedScenario,
        values: Mapping[str, ArrayLike],
        record: dict[str, str] | None = None,
        cache: dict | None = None,
    ):
        self.doc = doc
        self.measure = measure
        self.scenario = scenario
        self._values = values
        self._record = record  # assumption name -> base unit, filled on the deterministic run
        self._cache = cache  # quantities shared by several measures, within one evaluation

    # ---------------------------------------------------------------- inputs

    def p(self, name: str) -> float:
        """Printed parameter ``name`` of this measure in base units (元, fraction, count, 年...)."""
        if name not in self.measure.parameters and f"{self.measure.id}.{name}" not in (
            self.scenario.parameters
        ):
            raise DataError.single(
                f"data/policies ({self.doc})",
                f"{self.measure.id}.parameters",
                f"the costing needs parameter '{name}', which the measure lacks"
                + did_you_mean(name, self.measure.parameters),
            )
        key = f"{self.measure.id}.{name}"
        if key in self.scenario.parameters:
            return self.scenario.parameters[key]
        return self.measure.parameters[name].base_value

    def other(self, measure_id: str, name: str) -> float:
        """A printed parameter of another measure (for interactions between measures)."""
        return self.scenario.parameter(measure_id, name)

    def lever(self, name: str) -> float | None:
        return self.scenario.lever(self.measure.id, name)

    def a(self, name: str, unit: str) -> ArrayLike:
        """Assumption ``name`` in base unit ``unit`` (checked): a float on the deterministic run,
        an array of draws in a Monte Carlo chunk."""
        if self._record is not None:
            if name not in self.scenario.assumptions:
                raise DataError.single(
                    "data/baseline",
                    f"assumptions.{name}",
                    f"the costing of '{self.measure.id}' needs this assumption, which is missing"
                    + did_you_mean(name, self.scenario.assumptions),
                )
            have = get_unit(self.scenario.assumptions[name].unit).base
            if have != unit:
                raise DataError.single(
                    "data/baseline",
                    f"assumptions.{name}.unit",
                    f"the costing of '{self.measure.id}' needs a value in {unit}, "
                    f"but the unit given converts to {have}",
                )
            self._record[name] = unit
        return self._values[name]

    def shared(self, key: str, compute: Callable[[], ArrayLike]) -> ArrayLike:
        """A quantity several measures use (the insured wage bill, the minimum wage), computed once
        per evaluation. Never cached on the recording run, so every measure records every
        assumption it depends on."""
        if self._cache is None:
            return compute()
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def point(self, name: str) -> float:
        """Assumption ``name`` at the scenario's point, whatever the draw (for timing only)."""
        return self.scenario.assumption(name)

    # ---------------------------------------------------------------- dates

    def period(self) -> Period | None:
        return self.scenario.period(self.measure.id)

    def window(self, default: tuple[dt.date, dt.date] | None = None) -> tuple[dt.date, dt.date]:
        """The measure's dated window with the scenario's override; an open end runs to the end of
        the grid. ``default`` applies when the measure has no period at all."""
        period = self.period()
        if period is None or period.start is None:
            if default is None:
                raise DataError.single(
                    f"data/policies ({self.doc})",
                    f"{self.measure.id}.period",
                    "the costing needs a start date and the measure has none",
                )
            return default
        return period.start, period.end or grid.GRID_END

    def covered(self, start: dt.date | None = None, end: dt.date | None = None) -> np.ndarray:
        """Coverage weights of [start, end], by default the measure's window."""
        if start is None and end is None:
            start, end = self.window()
        return _coverage(start, end)

    def years(self, start: dt.date | None = None, end: dt.date | None = None) -> float:
        """Years of the window that fall on the grid (months covered / 12)."""
        return float(self.covered(start, end).sum()) / 12.0

    # ---------------------------------------------------------------- outputs

    def _fund(self, fund: str | None) -> str:
        named = self.measure.funding_source or "(fund not named)"
        if fund is None:
            return named
        if fund not in named:
            raise ValueError(f"{self.measure.id}: fund {fund} is not among '{named}'")
        return fund

    def monthly(self, amount: ArrayLike, weights: np.ndarray, fund: str | None = None) -> Component:
        """``amount`` 元 per month along coverage ``weights``."""
        return Component(amount, weights, self._fund(fund))

    def total(self, amount: ArrayLike, weights: np.ndarray, fund: str | None = None) -> Component:
        """A total ``amount`` 元 paid along ``weights`` (scaled to sum to 1)."""
        return Component(amount, grid.spread(weights), self._fund(fund))

    def costing(
        self,
        *components: Component,
        take_up: ArrayLike = 1.0,
        response: ArrayLike = 0.0,
        exposure: ArrayLike | None = None,
    ) -> Costing:
        return Costing(list(components), take_up, response, exposure)


Binding = Callable[[MeasureContext], Costing]


@dataclass
class Plan:
    """One measure of the catalog and how it is costed (or why not)."""

    doc: str
    measure: Measure
    binding: Binding | None
    reason: str | None  # why not costed
    uses: dict[str, str] = field(default_factory=dict)  # assumption -> base unit

    @property
    def costed(self) -> bool:
        return self.binding is not None


def evaluate(
    plans: list[Plan],
    scenario: ResolvedScenario,
    values: Mapping[str, ArrayLike],
    record: bool = False,
    cache: bool = False,
) -> list[Costing | None]:
    """Run every costed plan on ``values`` (assumption -> float or array over draws).
    ``record`` notes the assumptions each plan reads (in ``plan.uses``); ``cache`` shares
    quantities several measures compute alike (not with ``record``)."""
    out: list[Costing | None] = []
    shared = {} if cache and not record else None
    for plan in plans:
        if plan.binding is None:
            out.append(None)
            continue
        rec = {} if record else None
        ctx = MeasureContext(plan.doc, plan.measure, scenario, values, rec, shared)
        out.append(plan.binding(ctx))
        if record:
            plan.uses = rec
    return out


def assumption_meta(scenario: ResolvedScenario, names) -> dict[str, Assumption]:
    return {n: scenario.assumptions[n] for n in names}
