"""Run the costing of a scenario: ``run_costing``, ``sensitivity`` and ``compare``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem
from ..inputs.catalog import load_catalog
from ..inputs.scenarios import (
    ResolvedScenario,
    list_scenarios,
    load_baseline,
    load_scenario,
    with_settings,
)
from . import grid
from .bindings import compile_plans, make_plans, unread_parameters
from .engine import Costing, Plan, evaluate
from .financing import summarise as summarise_financing
from .finite import check_finite
from .funds import known_funds
from .funds import load as load_funds
from .funds import summarise as summarise_funds
from .horizon import summarise as summarise_horizon
from .ledger import Ledger, specs_for
from .ledger import build as build_ledger
from .montecarlo import default_threads
from .rating import rate
from .results import Comparison, CostResult, compare_results, tornado
from .sampling import Spec
from .transfers import check as check_transfers
from .transfers import summarise as summarise_transfers


@dataclass
class Prepared:
    """The deterministic part of a run: plans, central costings, draw specs and sensitivity."""

    scenario: ResolvedScenario
    plans: list[Plan]
    central: list[Costing | None]
    specs: dict[str, Spec]
    sens_names: list[str]
    sens_values: np.ndarray  # (costed measures, 1 + 2U) final cost at point, low_j, high_j


def prepare(scenario: ResolvedScenario) -> Prepared:
    assert scenario.catalog is not None
    plans = make_plans(scenario)
    values = {n: scenario.assumption(n) for n in scenario.assumptions}
    central = evaluate(plans, scenario, values)
    used = sorted({name for p in plans for name in p.uses})
    specs = specs_for(plans, scenario)

    # One-at-a-time sensitivity as one vectorised evaluation: column 0 is the point, column
    # 2j+1 assumption j at its low value, 2j+2 at its high value, all others at the point.
    width = 1 + 2 * len(used)
    sens_inputs: dict[str, object] = dict(values)
    for j, name in enumerate(used):
        a = scenario.assumptions[name]
        column = np.full(width, float(values[name]))
        column[2 * j + 1] = a.base("low")
        column[2 * j + 2] = a.base("high")
        sens_inputs[name] = column
    costed = [p for p in plans if p.costed]
    sens = evaluate(costed, scenario, sens_inputs)  # type: ignore[arg-type]
    sens_values = np.array(
        [np.broadcast_to(np.asarray(c.final_total(), dtype=float), (width,)) for c in sens]
    ).reshape(len(costed), width)
    return Prepared(scenario, plans, central, specs, used, sens_values)


def point_inputs(prep: Prepared) -> dict[str, float]:
    """Every drawn assumption at the scenario's point: a stress case's one draw."""
    return {name: spec.mode for name, spec in prep.specs.items()}


def cost(
    prep: Prepared,
    *,
    draws: int | None = None,
    seed: int | None = None,
    inputs: dict | None = None,
    threads: int | None = None,
) -> CostResult:
    """The costing of a prepared scenario: its ledger of draws (``draws`` of the assumptions'
    streams seeded with ``seed``, default the scenario's; or the caller's ``inputs``, name -> an
    array over the draws; a stress case is its one draw at the point) and every frame and total
    summed from it. The one place a run is costed."""
    sc = prep.scenario
    draws = sc.draws if draws is None else draws
    seed = sc.seed if seed is None else seed
    if inputs is None and sc.stress_case:
        inputs, n = point_inputs(prep), 1
    elif inputs is not None:
        n = next((len(v) for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim), 1)
    else:
        n = draws
    ledger = build_ledger(
        prep.plans,
        sc,
        prep.central,
        draws=n,
        seed=seed,
        specs=prep.specs,
        inputs=inputs,
        threads=threads or default_threads(),
    )
    result = _result(prep, ledger, draws, seed)
    check_finite(result)  # NaN or infinity in any measure's draws: never shown as a cost
    assert sc.catalog is not None
    # the inputs of the summaries are checked now; the summaries are made when first read
    check_transfers(sc.catalog, sc.assumptions)
    funds = load_funds(sc.catalog.data_dir, sc.assumptions, known_funds(sc.catalog), sc.derived)
    result.defer(
        financing=lambda: summarise_financing(result),
        horizon=lambda: summarise_horizon(result),
        transfers=lambda: summarise_transfers(result),
        funds=None if funds is None else (lambda: summarise_funds(result, funds)),
    )
    return result


def cost_plans(
    scenario: ResolvedScenario,
    plans: list[Plan],
    central: list[Costing | None] | None = None,
    threads: int | None = None,
) -> Ledger:
    """The ledger of some of a scenario's plans alone (the measures an outturn covers, costed
    again with one assumption moved; the measures a what-if change touches): the same draws,
    streams and seed as the whole run's, or the point of a stress case. ``central``: the plans'
    deterministic costings, when the caller has them."""
    if central is None:
        values = {n: scenario.assumption(n) for n in scenario.assumptions}
        central = evaluate(plans, scenario, values)
    specs = specs_for(plans, scenario)
    stress = scenario.stress_case or not any(s.uncertain for s in specs.values())
    return build_ledger(
        plans,
        scenario,
        central,
        draws=1 if stress else scenario.draws,
        seed=scenario.seed,
        specs=specs,
        inputs={n: s.mode for n, s in specs.items()} if stress else None,
        threads=threads,
    )


def run_costing(
    scenario: ResolvedScenario,
    *,
    draws: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
) -> CostResult:
    """Cost every measure of the catalog under ``scenario`` (resolved: ``load_scenario``): central
    cost (the mean of the draws), P5/P50/P95 over ``draws`` Monte
    Carlo draws (default: the scenario's) seeded with ``seed``, the cost by month, fund, budget,
    level and IMF class, and an uncertainty rating per measure. Amounts in 元. Raises
    ``DataError`` for a bad scenario or bad inputs."""
    return cost(prepare(with_settings(scenario, draws, seed)), threads=threads)


def _points(prep: Prepared) -> pd.DataFrame:
    sc = prep.scenario
    return pd.DataFrame(
        [
            {
                "assumption": n,
                "kind": sc.assumptions[n].kind,
                "unit": sc.assumptions[n].unit,
                "low": sc.assumptions[n].base("low"),
                "point": sc.assumption(n),
                "high": sc.assumptions[n].base("high"),
            }
            for n in prep.sens_names
        ],
        columns=["assumption", "kind", "unit", "low", "point", "high"],
    )


def _result(prep: Prepared, ledger: Ledger, draws: int, seed: int) -> CostResult:
    sc = prep.scenario
    # per costed measure: central (mean of its cells' draws) and by year; the quantiles below
    w_measure = ledger.weights("measure")
    cell_means = ledger.cell_means()
    central_of = ledger.central(w_measure)
    years = ledger.year_shares()
    months = ledger.month_shares()
    cells = ledger.cells
    rows = []
    monthly_parts = []
    k = 0
    for plan, costing in zip(prep.plans, prep.central, strict=True):
        m = plan.measure
        row = {
            "id": m.id,
            "doc": plan.doc,
            "clause": m.clause,
            "title_zh": m.title_zh,
            "title_en": m.title_en,
            "instrument": m.instrument.value,
            "fiscal_class": m.fiscal_class,
            "funding_source": m.funding_source,
            "government_level": m.government_level,
            "costed": plan.costed,
            "reason": plan.reason,
        }
        if costing is not None and plan.costed:
            static = float(costing.static_total())
            take_up = float(costing.take_up)
            response = float(costing.response)
            final = static * take_up * (1 + response)
            mult = take_up * (1 + response)
            mine = [c for c, cell in enumerate(cells) if cell.measure == k]
            by_year = (cell_means[mine, None] * years[mine]).sum(axis=0)
            # by month and fund: the at-mode static and final cost of the deterministic
            # costing, and the central (the mean of the ledger's cells of that fund)
            for comp in costing.components:
                amount = float(comp.amount)
                monthly_parts.append((plan, comp.fund, amount * comp.weights, mult, None))
            for c in mine:
                fund = ledger.fund_names[cells[c].fund]
                monthly_parts.append((plan, fund, None, None, cell_means[c] * months[c]))
            swings = {
                name: abs(prep.sens_values[k, 2 * j + 2] - prep.sens_values[k, 2 * j + 1])
                for j, name in enumerate(prep.sens_names)
                if name in plan.uses
            }
            rating = rate(
                m.instrument.value,
                swings,
                {n: sc.assumptions[n] for n in plan.uses},
                final,
                m.modelling_risks,
            )
            central_value = float(central_of[k])
            row.update(
                {
                    "static": static,
                    "take_up_effect": static * (take_up - 1),
                    "response_effect": static * take_up * response,
                    "at_mode": final,
                    "central": central_value,
                    "p5": np.nan,  # filled below, with the totals' quantiles
                    "p50": np.nan,
                    "p95": np.nan,
                    "mean": central_value,
                    "deadweight": central_value / (1 + response),
                    "exposure": (
                        float(costing.exposure) if costing.exposure is not None else np.nan
                    ),
                    **{f"y{y}": float(v) for y, v in zip(grid.YEARS, by_year, strict=True)},
                    "rating_data": rating.data,
                    "rating_modelling": rating.modelling,
                    "rating_behaviour": rating.behaviour,
                    "rating_final": rating.final,
                    "rating_reason": rating.reason,
                    "assumptions": ", ".join(sorted(plan.uses)),
                }
            )
            k += 1
        rows.append(row)
    measures = pd.DataFrame(rows).set_index("id")
    monthly = _monthly(monthly_parts)

    not_costed = measures[~measures["costed"]][
        ["doc", "clause", "title_en", "instrument", "fiscal_class", "reason"]
    ]
    assert sc.catalog is not None
    extra = pd.DataFrame(
        [
            {
                "id": p.id,
                "doc": d.doc,
                "clause": p.clause,
                "title_en": p.title_en,
                "instrument": None,
                "fiscal_class": None,
                "reason": p.reason,
            }
            for d in sc.catalog.documents.values()
            for p in d.not_costed
        ],
        columns=["id", "doc", "clause", "title_en", "instrument", "fiscal_class", "reason"],
    ).set_index("id")
    not_costed = pd.concat([not_costed, extra])

    result = CostResult(
        scenario=sc,
        draws=draws,
        seed=seed,
        measures=measures,
        monthly=monthly,
        not_costed=not_costed,
        ledger=ledger,
        sensitivity_values=prep.sens_values,
        sensitivity_names=prep.sens_names,
        sensitivity_points=_points(prep),
        plans=prep.plans,
    )
    # the measures' quantiles and the totals' together: a run too large to keep its cells
    # streams its draws once (two passes) for all of them, not once for each table
    q = ledger.quantiles([w_measure, *result.total_weights()])[0]
    measures.loc[measures.index[measures["costed"]], ["p5", "p50", "p95"]] = q
    return result


MONTHLY_KEYS = [
    "measure_id",
    "doc",
    "fiscal_class",
    "funding_source",
    "government_level",
    "instrument",
    "month",
    "year",
]


def _monthly(parts: list) -> pd.DataFrame:
    """By measure, fund and month: ``static`` and ``at_mode`` (the deterministic costing) and
    ``central`` (the ledger's mean)."""
    static = np.zeros((len(parts), grid.N_MONTHS))
    at_mode = np.zeros_like(static)
    central = np.zeros_like(static)
    for i, (_, _, s, mult, c) in enumerate(parts):
        if s is not None:
            static[i], at_mode[i] = s, s * mult
        else:
            central[i] = c
    n = grid.N_MONTHS
    frame = pd.DataFrame(
        {
            "measure_id": np.repeat([p.measure.id for p, *_ in parts], n),
            "doc": np.repeat([p.doc for p, *_ in parts], n),
            "fiscal_class": np.repeat([p.measure.fiscal_class for p, *_ in parts], n),
            "funding_source": np.repeat([f for _, f, *_ in parts], n),
            "government_level": np.repeat([p.measure.government_level for p, *_ in parts], n),
            "instrument": np.repeat([p.measure.instrument.value for p, *_ in parts], n),
            "month": np.tile(np.asarray(grid.MONTHS), len(parts)),
            "year": np.tile(grid.MONTH_YEAR, len(parts)),
            "static": static.ravel(),
            "at_mode": at_mode.ravel(),
            "central": central.ravel(),
        }
    )
    return frame.groupby(MONTHLY_KEYS, sort=False, as_index=False, dropna=False)[
        ["static", "at_mode", "central"]
    ].sum()


def sensitivity(scenario: ResolvedScenario, measure_id: str | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity (no Monte Carlo): each assumption to its low and its high value
    with every other at the scenario's point; the final cost in 元 of ``measure_id``, or of every
    class-A measure together. Columns: assumption, kind, unit, low, point, high, cost_low,
    cost_high, cost_point, swing; largest swing first."""
    prep = prepare(with_settings(scenario))
    costed = [p for p in prep.plans if p.costed]
    if measure_id is None:
        rows = [i for i, p in enumerate(costed) if (p.measure.fiscal_class or "A") == "A"]
        values = prep.sens_values[rows].sum(axis=0)
    else:
        ids = [p.measure.id for p in costed]
        if measure_id not in ids:
            raise KeyError(f"'{measure_id}' is not a costed measure")
        values = prep.sens_values[ids.index(measure_id)]
    return tornado(_points(prep), values)


def compare(
    baseline: ResolvedScenario | CostResult,
    variant: ResolvedScenario | CostResult,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> Comparison:
    """Variant minus baseline by measure and by IMF class (元), each a resolved scenario or a
    costing. Scenarios are run with the same draws and seed (the baseline's unless given), so the
    two share their assumption draws."""
    if not isinstance(baseline, CostResult):
        baseline = run_costing(baseline, draws=draws, seed=seed)
    if not isinstance(variant, CostResult):
        variant = run_costing(
            variant,
            draws=draws or baseline.draws,
            seed=seed if seed is not None else baseline.seed,
        )
    assert isinstance(baseline, CostResult) and isinstance(variant, CostResult)
    return compare_results(baseline, variant)


def check_costings(files: list[Path], kind: str | None = None) -> list[Problem]:
    """For ``jnpolicy validate``: compile the costing blocks of every data folder that one of
    ``files`` (policy or baseline files, or a folder of them) belongs to, so that validation
    passing means the costing runs; a scenario file is resolved with every other scenario of its
    folder (extends, cycles, ranges), as cost resolves it. Raises DataError with every problem
    found; returns the warnings (printed parameters of costed measures that nothing reads)."""
    from ..inputs.loader import check_data_folders

    found = check_data_folders(files, ("policies", "baseline", "scenarios"), check_data, kind)
    return [w for warnings in found for w in (warnings or [])]


def check_data(data_dir: Path | str) -> list[Problem]:
    """Load the catalog and baseline of ``data_dir``, compile every costing block, and cost every
    scenario of the folder at its point (no Monte Carlo): what ``jnpolicy validate`` runs, so
    that validation passing means the costing runs. Returns the printed parameters of costed
    measures that no costing reads and that do not say why (``unused:``), as warnings."""
    catalog = load_catalog(data_dir)
    baseline = load_baseline(data_dir)
    reads: set[str] = set()
    compile_plans(
        catalog, baseline.assumptions, baseline.derived, baseline.constants, baseline.files, reads
    )
    load_funds(data_dir, baseline.assumptions, known_funds(catalog), baseline.derived)
    check_transfers(catalog, baseline.assumptions)
    for name in list_scenarios(data_dir):
        prepare(load_scenario(name, data_dir, catalog=catalog, baseline=baseline))
    return unread_parameters(catalog, reads)
