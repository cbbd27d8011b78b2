"""One analysis of a scenario, computed once: ``analyse(resolved, draws, seed)`` -> ``Analysis``.

    from jnpolicy_analysis.analysis import analyse, open_analysis
    a = open_analysis("central")          # load the scenario from data/ and analyse it
    a.cost.measures                       # one row per measure (costing.CostResult)
    a.cost.by("budget", "level")          # any breakdown, summed from the ledger's cells
    a.targets.to_json()                   # target tracking (targets.TargetsReport)
    a.evaluation.to_json()                # the costing held against what was paid

The ``Analysis`` holds the draw-level ledger (``a.ledger``: measure x fund x timing x budget x level
x counterfactual part, per draw) and everything summed from it. Every table, chart, page, briefing
pack and what-if renders an Analysis; none of them costs anything again. Functions here take a
resolved scenario (``inputs.scenarios.ResolvedScenario``), never a name; ``open_analysis`` is the
one place a name is loaded, for the command line and a notebook opened on its own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..costing.ledger import Ledger
from ..costing.results import CostResult
from ..costing.run import cost, prepare
from ..errors import DataError
from ..inputs.scenarios import ResolvedScenario, load_scenario


@dataclass
class Analysis:
    """A scenario's costing (its ledger of draws and every frame and total summed from it), its
    target tracking and its evaluation against the outturns, each computed once: the costing
    when the analysis is made, the targets and the evaluation the first time they are read."""

    scenario: ResolvedScenario
    cost: CostResult
    as_of: str | None = None
    _made: dict = field(default_factory=dict, repr=False)

    @property
    def ledger(self) -> Ledger:
        return self.cost.ledger

    @property
    def draws(self) -> int:
        return self.cost.draws

    @property
    def seed(self) -> int:
        return self.cost.seed

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def targets(self):
        """Target tracking under the scenario, with its draws and seed (``targets.TargetsReport``)."""
        if "targets" not in self._made:
            from ..targets import track_targets

            self._made["targets"] = track_targets(
                self.scenario, draws=self.draws, seed=self.seed, as_of=self.as_of
            )
        return self._made["targets"]

    @property
    def evaluation(self):
        """The scenario's costing held against every published outturn (``evaluation``)."""
        if "evaluation" not in self._made:
            from .evaluation import evaluate_outturns

            self._made["evaluation"] = evaluate_outturns(self)
        return self._made["evaluation"]

    def ratings(self) -> dict[str, dict[str, str]]:
        """Each costed measure's uncertainty rating after the outturns that cover it
        (``rating.with_outturns``): ``before`` (the costing's final rating), ``final`` and
        ``outturn_reason``. A costing that misses an outturn by more than its range is rated one
        step higher."""
        from ..costing.rating import OutturnCheck, with_outturns

        checks: dict[str, list[OutturnCheck]] = {}
        for r in self.evaluation.rows:
            check = OutturnCheck(
                r.outturn.id, r.within_range, r.ratio, r.outturn.geography == "Jinan"
            )
            for mid in r.outturn.measures:
                checks.setdefault(mid, []).append(check)
        out = {}
        for mid, row in self.cost.costed.iterrows():
            final, why = with_outturns(row["rating_final"], checks.get(mid, []))
            out[mid] = {"before": row["rating_final"], "final": final, "outturn_reason": why}
        return out

    def complete(self) -> Analysis:
        """Make everything that is made when first read (before the analysis is pickled)."""
        self.cost.complete()
        _ = self.targets
        _ = self.evaluation
        return self

    def __getstate__(self) -> dict:  # pickled (a report run's analyses) with everything made
        self.complete()
        return self.__dict__.copy()

    def to_json(self) -> dict:
        """The ``jnpolicy cost --json`` contract."""
        return self.cost.to_json()


def with_settings(
    scenario: ResolvedScenario, draws: int | None = None, seed: int | None = None
) -> ResolvedScenario:
    """``scenario`` with its Monte Carlo draws and seed replaced where given."""
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws <= 0):
        raise DataError.single("--draws", "draws", f"must be a positive whole number, got {draws}")
    changes = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    return dataclasses.replace(scenario, **changes) if changes else scenario


def analyse(
    scenario: ResolvedScenario,
    draws: int | None = None,
    seed: int | None = None,
    *,
    as_of: str | None = None,
    threads: int | None = None,
) -> Analysis:
    """The analysis of a resolved scenario over ``draws`` Monte Carlo draws seeded with ``seed``
    (default: the scenario's own). The one driver of the costing engine: the command line, the
    notebooks, the report runner, the evaluation, the Sobol indices and the what-if all cost
    through it (the last two through ``costing.run.cost`` on its prepared plans)."""
    if not isinstance(scenario, ResolvedScenario):
        raise TypeError("analyse() takes a resolved scenario; use open_analysis() for a name")
    sc = with_settings(scenario, draws, seed)
    return Analysis(sc, cost(prepare(sc), threads=threads), as_of)


def open_analysis(
    name: str,
    data_dir: Path | str | None = None,
    draws: int | None = None,
    seed: int | None = None,
    as_of: str | None = None,
) -> Analysis:
    """Load scenario ``name`` from ``data_dir`` (default: the project's data/) and analyse it."""
    return analyse(load_scenario(name, data_dir, draws=draws, seed=seed), as_of=as_of)


__all__ = ["Analysis", "analyse", "open_analysis", "with_settings"]
