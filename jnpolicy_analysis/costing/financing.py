"""Who pays and what is new: each measure's budget, its shares by level of government and its
counterfactual (the ``financing:`` block of ``data/policies``), applied to a costing run.

A measure's cost is split, fund by fund (its Monte Carlo rows), into the four budgets and the four
levels of government. A share is a sourced fraction, an assumption of ``data/baseline`` (drawn with
the same streams as every other assumption: ``sampling.draw`` keyed by seed, name and chunk), or
the rest (one minus the others), so every draw sums to 1. ``discretionary_cost`` is the part Jinan
itself decided: all of a ``new`` measure, ``discretionary_share`` of a ``local_top_up``, nothing
of an ``implementation`` or ``continuation``. Flows with budget ``outside`` (住房公积金) are kept
apart in ``outside_perimeter`` and never reach a fiscal total; validation refuses an ``outside``
measure of class A, so the class-A ``cost`` total never holds one either.

Fiscal totals (``by_budget``, ``by_government_level``, ``discretionary``) are class A, like
``cost``. Amounts in 元.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..catalog import Catalog
from ..errors import Problem
from ..schemas import Assumption, Measure
from ..schemas.policy import LEVELS, GovernmentShares, ShareBinding
from ..units import did_you_mean, get_unit
from .montecarlo import CLASSES, Draws, quantile_rows
from .sampling import CHUNK, DTYPE, draw, spec_of

FISCAL_BUDGETS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算")
OUTSIDE = "outside"


# --------------------------------------------------------------------------- validation


def _check_binding(b: ShareBinding, assumptions, where, problems, file) -> float | None:
    """The highest value the share can take, or None after reporting a problem."""
    if b.assumption is None:
        return b.value
    a = assumptions.get(b.assumption)
    if a is None:
        problems.append(
            Problem(
                file,
                where,
                f"unknown assumption '{b.assumption}'" + did_you_mean(b.assumption, assumptions),
            )
        )
        return None
    u = get_unit(a.unit)
    if u.dimension != "rate":
        problems.append(
            Problem(file, where, f"assumption '{b.assumption}' is in {a.unit}, not a share")
        )
        return None
    return u.to_base(a.high)


def _check_shares(shares: GovernmentShares, assumptions, where, problems, file) -> None:
    highest = 0.0
    has_rest = False
    for level, s in shares.items():
        if s == "rest":
            has_rest = True
        elif isinstance(s, ShareBinding):
            hi = _check_binding(s, assumptions, f"{where}.{level}", problems, file)
            highest += hi or 0.0
        else:
            highest += float(s)
    if has_rest and highest > 1 + 1e-9:
        problems.append(
            Problem(
                file,
                where,
                f"the shares other than 'rest' can sum to {highest:g} at their high values, "
                "more than 1",
            )
        )


def check(catalog: Catalog, assumptions: Mapping[str, Assumption]) -> list[Problem]:
    """Every problem of the measures' ``financing:`` blocks: missing on a measure with a fiscal
    flow, an unknown or non-share assumption, shares that can exceed 1, a ``by_fund`` key that is
    not one of the measure's funds, an ``outside`` measure of class A."""
    problems: list[Problem] = []
    for doc, m in catalog.measures:
        file = str(catalog.files.get(doc, Path(catalog.data_dir) / "policies"))
        where = f"measures.{m.id}.financing"
        if m.fiscal_class is None:
            continue
        f = m.financing
        if f is None:
            problems.append(
                Problem(
                    file,
                    where,
                    "missing: give the measure's budget, government_shares and counterfactual",
                )
            )
            continue
        if f.budget == OUTSIDE and m.fiscal_class == "A":
            problems.append(
                Problem(
                    file,
                    f"{where}.budget",
                    "an outside flow (outside general government) cannot be class A spending",
                )
            )
        if f.government_shares is not None:
            _check_shares(
                f.government_shares, assumptions, f"{where}.government_shares", problems, file
            )
        cf = f.counterfactual
        if cf.discretionary_share is not None:
            _check_binding(
                cf.discretionary_share,
                assumptions,
                f"{where}.counterfactual.discretionary_share",
                problems,
                file,
            )
        funds = _funds(m)
        for fund, ff in f.by_fund.items():
            fw = f"{where}.by_fund.{fund}"
            if fund not in funds:
                problems.append(
                    Problem(
                        file,
                        fw,
                        f"'{fund}' is not a fund of the measure's costing ({', '.join(funds)})"
                        + did_you_mean(fund, funds),
                    )
                )
            if ff.budget == OUTSIDE and m.fiscal_class == "A":
                problems.append(Problem(file, f"{fw}.budget", "an outside flow cannot be class A"))
            if ff.government_shares is not None:
                _check_shares(
                    ff.government_shares, assumptions, f"{fw}.government_shares", problems, file
                )
            if ff.budget not in (None, OUTSIDE) and (
                ff.government_shares is None and f.government_shares is None
            ):
                problems.append(Problem(file, fw, "government_shares is missing"))
    return problems


def _funds(m: Measure) -> list[str]:
    if m.costing is None or m.costing.not_costed is not None:
        return []
    return [c.fund or m.funding_source or "(fund not named)" for c in m.costing.parts()]


# --------------------------------------------------------------------------- values


@dataclass
class RowFinancing:
    """Budget and shares of one measure-fund row."""

    budget: str
    shares: GovernmentShares | None


def row_financing(m: Measure, fund: str) -> RowFinancing:
    f = m.financing
    assert f is not None
    ff = f.by_fund.get(fund)
    budget = (ff.budget if ff and ff.budget else None) or f.budget
    shares = (ff.government_shares if ff and ff.government_shares else None) or f.government_shares
    return RowFinancing(budget, None if budget == OUTSIDE else shares)


class ShareValues:
    """Values of the shares' assumptions: the scenario's point, and every draw of the run (the same
    streams the Monte Carlo uses)."""

    def __init__(self, scenario, draws: int, seed: int):
        self.scenario = scenario
        self.draws = draws
        self.seed = seed
        self._drawn: dict[str, np.ndarray] = {}

    def point(self, b: ShareBinding | float | str) -> float:
        if isinstance(b, ShareBinding):
            if b.value is not None:
                return float(b.value)
            return float(self.scenario.assumption(b.assumption))
        return float(b)

    def drawn(self, b: ShareBinding | float | str) -> np.ndarray | float:
        if not isinstance(b, ShareBinding) or b.assumption is None:
            return self.point(b)
        name = b.assumption
        if name not in self._drawn:
            spec = spec_of(name, self.scenario.assumptions[name], self.scenario.point)
            out = np.empty(self.draws, dtype=DTYPE)
            for i in range(-(-self.draws // CHUNK)):
                lo = i * CHUNK
                n = min(CHUNK, self.draws - lo)
                out[lo : lo + n] = draw(spec, n, self.seed, i)
            self._drawn[name] = out
        return self._drawn[name]

    def shares(self, shares: GovernmentShares, drawn: bool) -> dict[str, np.ndarray | float]:
        get = self.drawn if drawn else self.point
        out: dict[str, np.ndarray | float] = {}
        rest = None
        for level, s in shares.items():
            if s == "rest":
                rest = level
                continue
            out[level] = get(s)
        if rest is not None:
            out[rest] = 1.0 - sum(out.values())
        return {level: out[level] for level in LEVELS}


# --------------------------------------------------------------------------- summary


def _stats(central: float, draws: np.ndarray | None) -> dict[str, float]:
    if draws is None:
        return {"central": float(central), "p5": 0.0, "p50": 0.0, "p95": 0.0}
    q = quantile_rows([np.asarray(draws, dtype=np.float64)])[0]
    return {"central": float(central), "p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}


def _share_json(s) -> object:
    if s == "rest":
        return "rest"
    if isinstance(s, ShareBinding):
        return {"value": s.value} if s.value is not None else {"assumption": s.assumption}
    return float(s)


def summarise(result, samples: Draws) -> dict:
    """The financing of a ``CostResult``: ``measures`` (id -> budget, government_shares at the
    point, counterfactual, discretionary_cost, components) and ``totals`` (by_budget,
    by_government_level, discretionary, outside_perimeter), in 元."""
    sc = result.scenario
    values = ShareValues(sc, result.draws, result.seed)
    costed = result.costed
    ids = list(costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    monthly = result.monthly
    central_by_row = monthly.groupby(["measure_id", "funding_source"], sort=False)["final"].sum()

    n = result.draws
    zeros = np.zeros(n, dtype=np.float64)
    budget_draws = {b: zeros.copy() for b in FISCAL_BUDGETS}
    budget_central = dict.fromkeys(FISCAL_BUDGETS, 0.0)
    level_draws = {lv: zeros.copy() for lv in LEVELS}
    level_central = dict.fromkeys(LEVELS, 0.0)
    disc_draws = zeros.copy()
    disc_central = 0.0
    out_draws = zeros.copy()
    out_central = 0.0
    measures: dict[str, dict] = {}
    class_a = CLASSES.index("A")

    rows_of: dict[int, list[int]] = {}
    for r, j in enumerate(samples.row_measure):
        rows_of.setdefault(int(j), []).append(r)

    for j, mid in enumerate(ids):
        m = plan_of[mid].measure
        f = m.financing
        assert f is not None
        is_a = int(samples.measure_class[j]) == class_a
        measure_draws = np.zeros(n, dtype=np.float64)
        level_point = dict.fromkeys(LEVELS, 0.0)
        components = []
        fiscal_central = 0.0
        for r in rows_of.get(j, []):
            fund = samples.fund_names[int(samples.row_fund[r])]
            rf = row_financing(m, fund)
            row = samples.rows[r].astype(np.float64)
            central = float(central_by_row.get((mid, fund), 0.0))
            measure_draws += row
            item = {"fund": fund, "budget": rf.budget, "cost": central}
            if rf.budget == OUTSIDE:
                out_draws += row
                out_central += central
                item["government_shares"] = None
            else:
                assert rf.shares is not None
                point = values.shares(rf.shares, drawn=False)
                item["government_shares"] = point
                fiscal_central += central
                for lv in LEVELS:
                    level_point[lv] += central * point[lv]
                if is_a:
                    budget_draws[rf.budget] += row
                    budget_central[rf.budget] += central
                    drawn = values.shares(rf.shares, drawn=True)
                    for lv in LEVELS:
                        level_draws[lv] += row * drawn[lv]
                        level_central[lv] += central * point[lv]
            components.append(item)

        cf = f.counterfactual
        if cf.status == "new":
            d_point, d_draw = 1.0, 1.0
        elif cf.status == "local_top_up":
            assert cf.discretionary_share is not None
            d_point = values.point(cf.discretionary_share)
            d_draw = values.drawn(cf.discretionary_share)
        else:
            d_point, d_draw = 0.0, 0.0
        fiscal_draws = measure_draws if f.budget != OUTSIDE else zeros
        disc_m_draws = fiscal_draws * d_draw
        disc_m_central = (fiscal_central if f.budget != OUTSIDE else 0.0) * d_point
        if is_a:
            disc_draws += disc_m_draws
            disc_central += disc_m_central
        shares_point = (
            {lv: level_point[lv] / fiscal_central for lv in LEVELS} if fiscal_central else None
        )
        if shares_point is None and f.government_shares is not None:
            shares_point = values.shares(f.government_shares, drawn=False)
        measures[mid] = {
            "budget": f.budget,
            "government_shares": shares_point,
            "government_shares_declared": (
                None
                if f.government_shares is None
                else {lv: _share_json(s) for lv, s in f.government_shares.items()}
            ),
            "counterfactual": {"status": cf.status, "reference": cf.reference},
            "discretionary_cost": _stats(
                disc_m_central,
                disc_m_draws if isinstance(d_draw, np.ndarray) or d_point else None,
            ),
            "municipal_cost": level_point["municipal"],
            "components": components,
        }

    totals = {
        "by_budget": {
            b: _stats(budget_central[b], budget_draws[b])
            for b in FISCAL_BUDGETS
            if budget_central[b] or budget_draws[b].any()
        },
        "by_government_level": {lv: _stats(level_central[lv], level_draws[lv]) for lv in LEVELS},
        "discretionary": _stats(disc_central, disc_draws),
        "outside_perimeter": _stats(out_central, out_draws),
        "financing_note": (
            "by_budget, by_government_level and discretionary are class A, like cost; "
            "outside_perimeter holds flows outside general government (住房公积金), of any class, "
            "never added to a fiscal total; government shares are points of the scenario for "
            "central and drawn in the Monte Carlo for P5-P95"
        ),
    }
    return {"measures": measures, "totals": totals}
