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
resolved scenario (``inputs.scenarios.ResolvedScenario``), never a name; ``open_analysis`` and
``open_analyses`` are the one place a name is loaded, for the command line, the report runner and a
notebook opened on its own. A report run analyses each scenario once, saves the analyses
(``save_analyses``) and its notebooks and briefing pack read them back (``load_analysis``).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..costing.ledger import Ledger
from ..costing.results import CostResult
from ..costing.run import cost, prepare
from ..errors import DataError
from ..inputs.scenarios import (
    ResolvedScenario,
    check_scenario_name,
    list_scenarios,
    load_scenario,
    with_settings,
)
from ..paths import short_name


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
        from ..inputs.labels import held

        self.complete()
        return self.__dict__ | {"_labels": held()}

    def __setstate__(self, state: dict) -> None:
        """Read back (a report's notebook): the chart labels of the data folder it was made
        from are held again, as loading that folder would."""
        from ..inputs.labels import restore

        labels = state.pop("_labels", None)
        self.__dict__.update(state)
        if labels is not None:
            restore(labels)

    def to_json(self) -> dict:
        """The ``jnpolicy cost --json`` contract."""
        return self.cost.to_json()


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


def scenario_names(names: list[str] | None, data_dir: Path | str | None = None) -> list[str]:
    """``names`` (default: every scenario in ``data_dir``), each checked to be a safe name of a
    scenario file there."""
    from ..paths import DATA_DIR

    folder = Path(data_dir) if data_dir else DATA_DIR
    chosen = list(names) if names else list_scenarios(folder)
    for name in chosen:
        check_scenario_name(name, folder)
    return chosen


def check_inputs(
    names: list[str],
    data_dir: Path | str | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> list[ResolvedScenario]:
    """Every input a run reads, checked before anything is costed: the scenarios (resolved), the
    catalog of policies, and the observations file when there is one. DataError on bad data."""
    from ..inputs.catalog import load_catalog
    from ..inputs.observations import OBSERVATIONS_FILE
    from ..paths import DATA_DIR
    from ..targets.config import read_observations_file

    folder = Path(data_dir) if data_dir else DATA_DIR
    resolved = [load_scenario(n, folder, draws=draws, seed=seed) for n in names]
    load_catalog(folder)
    observations = folder / "targets" / OBSERVATIONS_FILE
    if observations.is_file():
        read_observations_file(observations)
    return resolved


def open_analyses(
    names: list[str] | None = None,
    data_dir: Path | str | None = None,
    draws: int | None = None,
    seed: int | None = None,
    as_of: str | None = None,
    threads: int | None = None,
) -> list[Analysis]:
    """The analysis of every scenario named (default: all in ``data_dir``), each computed once
    and complete (costing, targets, evaluation)."""
    resolved = check_inputs(scenario_names(names, data_dir), data_dir, draws, seed)
    return [analyse(sc, as_of=as_of, threads=threads).complete() for sc in resolved]


ANALYSIS_SUFFIX = ".analysis.pickle"


def _analysis_file(folder: Path, name: str) -> Path:
    """Where the analysis of scenario ``name`` is saved: its name, shortened with a hash when a
    file name could not hold it (``paths.short_name``)."""
    return folder / f"{short_name(name)}{ANALYSIS_SUFFIX}"


def save_analyses(analyses: list[Analysis], folder: Path) -> list[Path]:
    """Each analysis pickled, complete, as ``<scenario>.analysis.pickle`` in ``folder`` (a report
    run's own staging folder), written beside its name and renamed into place."""
    return [write_pickle(a.complete(), _analysis_file(folder, a.name)) for a in analyses]


def write_pickle(obj, path: Path) -> Path:
    """``obj`` pickled to ``path`` (its folder made), written beside it and renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return path


def read_pickle(path: Path):
    """What ``write_pickle`` wrote to ``path`` (a report run's own staging folder)."""
    with path.open("rb") as fh:
        return pickle.load(fh)  # noqa: S301 - written by this report run, in its own folder


def load_analysis(folder: Path | str, name: str) -> Analysis:
    """The analysis of scenario ``name`` that ``save_analyses`` wrote into ``folder``."""
    path = _analysis_file(Path(folder), name)
    if not path.is_file():
        raise DataError.single(path, "(file)", f"no saved analysis of scenario '{name}' here")
    return read_pickle(path)


__all__ = [
    "Analysis",
    "analyse",
    "check_inputs",
    "load_analysis",
    "open_analyses",
    "open_analysis",
    "save_analyses",
    "scenario_names",
    "with_settings",
]
