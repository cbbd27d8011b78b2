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

from ..errors import Problem
from ..inputs.catalog import Catalog
from ..inputs.schemas import Assumption, Measure
from ..inputs.schemas.policy import LEVELS, GovernmentShares, ShareBinding
from ..units import did_you_mean, get_unit
from .montecarlo import CLASSES, Draws
from .montecarlo import stat_dict as _stats
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
    """Values of the shares' assumptions: the scenario's point, and the draws of one chunk of the
    run (the same streams the Monte Carlo uses: ``sampling.draw`` keyed by seed, name and chunk)."""

    def __init__(self, scenario, draws: int, seed: int, chunk: int = CHUNK):
        self.scenario = scenario
        self.draws = draws
        self.seed = seed
        self.chunk = chunk

    def point(self, b: ShareBinding | float | str) -> float:
        if isinstance(b, ShareBinding):
            if b.value is not None:
                return float(b.value)
            return float(self.scenario.assumption(b.assumption))
        return float(b)

    def drawn(
        self, b: ShareBinding | float | str, chunk: int, cache: dict | None = None
    ) -> np.ndarray | float:
        """The draws of ``b`` in chunk ``chunk`` (a float when it is fixed)."""
        if not isinstance(b, ShareBinding) or b.assumption is None:
            return self.point(b)
        name = b.assumption
        if cache is not None and name in cache:
            return cache[name]
        spec = spec_of(name, self.scenario.assumptions[name], self.scenario.point)
        n = min(self.chunk, self.draws - chunk * self.chunk)
        out = draw(spec, n, self.seed, chunk)
        if cache is not None:
            cache[name] = out
        return out

    def shares(
        self, shares: GovernmentShares, chunk: int | None = None, cache: dict | None = None
    ) -> dict[str, np.ndarray | float]:
        """Each level's share: at the point (``chunk`` None) or drawn in chunk ``chunk``."""
        out: dict[str, np.ndarray | float] = {}
        rest = None
        for level, s in shares.items():
            if s == "rest":
                rest = level
                continue
            out[level] = self.point(s) if chunk is None else self.drawn(s, chunk, cache)
        if rest is not None:
            out[rest] = 1.0 - sum(out.values())
        return {level: out[level] for level in LEVELS}


# --------------------------------------------------------------------------- summary


def _share_json(s) -> object:
    if s == "rest":
        return "rest"
    if isinstance(s, ShareBinding):
        return {"value": s.value} if s.value is not None else {"assumption": s.assumption}
    return float(s)


def summarise(result, samples: Draws) -> dict:
    """The financing of a ``CostResult``: ``measures`` (id -> budget, government_shares at the
    point, counterfactual, discretionary_cost, components) and ``totals`` (by_budget,
    by_government_level, discretionary, outside_perimeter), in 元.

    Every figure is a series of the same draws as the costing, summed a chunk at a time with the
    shares drawn for that chunk, and its quantiles are streamed (memory does not grow with the
    draws). Its central is the mean of those draws, like the costing's; in a stress case (a point,
    not a distribution) it is the point."""
    sc = result.scenario
    values = ShareValues(sc, result.draws, result.seed, samples.chunks.chunk)
    stress = sc.stress_case
    costed = result.costed
    ids = list(costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    central_by_row = result.monthly.groupby(["measure_id", "funding_source"], sort=False)[
        "central"
    ].sum()
    class_a = CLASSES.index("A")

    rows_of: dict[int, list[int]] = {}
    for r, j in enumerate(samples.row_measure):
        rows_of.setdefault(int(j), []).append(r)

    # the series, each a linear combination of rows (with drawn shares): budgets, levels,
    # discretionary, outside, then each measure's discretionary cost
    n_b, n_l = len(FISCAL_BUDGETS), len(LEVELS)
    LEV, DISC, OUT = n_b, n_b + n_l, n_b + n_l + 1
    plan_rows: list[tuple] = []  # (row, budget index | None, shares | None, is_a)
    plan_disc: list[tuple] = []  # (rows, discretionary share binding or 1.0, is_a, series)

    measures: dict[str, dict] = {}
    point = {"budget": np.zeros(n_b), "level": np.zeros(n_l), "disc": 0.0, "out": 0.0}
    for j, mid in enumerate(ids):
        m = plan_of[mid].measure
        f = m.financing
        assert f is not None
        is_a = int(samples.measure_class[j]) == class_a
        level_point = dict.fromkeys(LEVELS, 0.0)
        components = []
        fiscal_central = 0.0
        fiscal_rows = []
        for r in rows_of.get(j, []):
            fund = samples.fund_names[int(samples.row_fund[r])]
            rf = row_financing(m, fund)
            central = float(central_by_row.get((mid, fund), 0.0))
            item = {"fund": fund, "budget": rf.budget, "cost": central}
            if rf.budget == OUTSIDE:
                plan_rows.append((r, None, None, is_a))
                point["out"] += central
                item["government_shares"] = None
            else:
                assert rf.shares is not None
                shares = values.shares(rf.shares)
                item["government_shares"] = shares
                fiscal_central += central
                fiscal_rows.append(r)
                for lv in LEVELS:
                    level_point[lv] += central * shares[lv]
                if is_a:
                    bi = FISCAL_BUDGETS.index(rf.budget)
                    plan_rows.append((r, bi, rf.shares, True))
                    point["budget"][bi] += central
                    point["level"] += [central * shares[lv] for lv in LEVELS]
            components.append(item)

        cf = f.counterfactual
        if cf.status == "new":
            d_bind, d_point = 1.0, 1.0
        elif cf.status == "local_top_up":
            assert cf.discretionary_share is not None
            d_bind, d_point = cf.discretionary_share, values.point(cf.discretionary_share)
        else:
            d_bind, d_point = None, 0.0
        disc_m_point = (fiscal_central if f.budget != OUTSIDE else 0.0) * d_point
        if is_a:
            point["disc"] += disc_m_point
        series = None
        if d_bind is not None and f.budget != OUTSIDE:
            series = OUT + 1 + len(plan_disc)
            plan_disc.append((fiscal_rows, d_bind, is_a, series))
        shares_point = (
            {lv: level_point[lv] / fiscal_central for lv in LEVELS} if fiscal_central else None
        )
        if shares_point is None and f.government_shares is not None:
            shares_point = values.shares(f.government_shares)
        measures[mid] = {
            "budget": f.budget,
            "government_shares": shares_point,
            "government_shares_declared": (
                None
                if f.government_shares is None
                else {lv: _share_json(s) for lv, s in f.government_shares.items()}
            ),
            "counterfactual": {"status": cf.status, "reference": cf.reference},
            "discretionary_cost": (disc_m_point, series),
            # the central cost of each fund times its municipal share at the scenario's point
            "municipal_cost": level_point["municipal"],
            "components": components,
        }

    n_series = OUT + 1 + len(plan_disc)

    def chunk_series(i: int) -> np.ndarray:
        rows = samples.chunks(i)[0]
        out = np.zeros((n_series, rows.shape[1]), dtype=DTYPE)
        scratch = np.empty(rows.shape[1], dtype=DTYPE)
        cache: dict = {}
        drawn_of: dict[int, dict] = {}  # id of a shares block -> its shares drawn in this chunk
        for r, bi, shares, _is_a in plan_rows:
            if bi is None:
                out[OUT] += rows[r]
                continue
            out[bi] += rows[r]
            drawn = drawn_of.get(id(shares))
            if drawn is None:
                drawn = drawn_of[id(shares)] = values.shares(shares, i, cache)
            for k, lv in enumerate(LEVELS):
                share = drawn[lv]
                if isinstance(share, float):
                    if share == 0.0:  # adds nothing: the sum stays exactly what it is
                        continue
                    if share == 1.0:
                        out[LEV + k] += rows[r]
                        continue
                np.multiply(rows[r], share, out=scratch)
                out[LEV + k] += scratch
        for fiscal_rows, d_bind, is_a, s in plan_disc:
            d = values.drawn(d_bind, i, cache)
            for r in fiscal_rows:
                out[s] += rows[r]
            out[s] *= d
            if is_a:
                out[DISC] += out[s]
        return out

    acc = samples.chunk_quantiles(chunk_series, n_series)
    q, means = acc.result(), acc.means

    def stats(s: int, at_point: float) -> dict[str, float]:
        return _stats(at_point if stress else means[s], q[s])

    for item in measures.values():
        disc_point, s = item["discretionary_cost"]
        item["discretionary_cost"] = _stats(0.0, None) if s is None else stats(s, disc_point)

    totals = {
        "by_budget": {
            b: stats(k, point["budget"][k])
            for k, b in enumerate(FISCAL_BUDGETS)
            if point["budget"][k] or q[k].any()
        },
        "by_government_level": {
            lv: stats(LEV + k, point["level"][k]) for k, lv in enumerate(LEVELS)
        },
        "discretionary": stats(DISC, point["disc"]),
        "outside_perimeter": stats(OUT, point["out"]),
        "financing_note": (
            "by_budget, by_government_level and discretionary are class A, like cost; "
            "outside_perimeter holds flows outside general government (住房公积金), of any class, "
            "never added to a fiscal total; central is the mean of the draws (shares drawn in "
            "the Monte Carlo), P5-P95 their quantiles; government_shares are the scenario's points"
        ),
    }
    return {"measures": measures, "totals": totals}
