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
from pathlib import Path

import numpy as np

from ..errors import Problem
from ..inputs.catalog import Catalog
from ..inputs.schemas import Assumption, Measure
from ..inputs.schemas.policy import BUDGETS, LEVELS, STATUSES, GovernmentShares, ShareBinding
from ..units import did_you_mean, get_unit
from .ledger import FISCAL_BUDGETS, OUTSIDE, expr_names, row_financing
from .montecarlo import CLASSES
from .montecarlo import stat_dict as _stats

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
        register = str(Path(catalog.data_dir) / "register")
        for i, ph in enumerate(cf.phases):
            b = ph.discretionary_share
            pw = f"statuses.{m.id}[{i}].discretionary_share"
            if b is not None and b.expr is not None:
                names, params = expr_names(b.expr)
                for n in sorted(names - set(assumptions)):
                    problems.append(
                        Problem(
                            register, pw, f"unknown assumption '{n}'" + did_you_mean(n, assumptions)
                        )
                    )
                for n in sorted(params - set(m.parameters)):
                    problems.append(
                        Problem(register, pw, f"no parameter '{n}'" + did_you_mean(n, m.parameters))
                    )
            elif b is not None:
                _check_binding(b, assumptions, pw, problems, register)
        funds = measure_funds(m)
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


def measure_funds(m: Measure) -> list[str]:
    if m.costing is None or m.costing.not_costed is not None:
        return []
    return [c.fund or m.funding_source or "(fund not named)" for c in m.costing.parts()]


# --------------------------------------------------------------------------- summary


def _share_json(s) -> object:
    if s == "rest":
        return "rest"
    if isinstance(s, ShareBinding):
        if s.expr is not None:
            return {"expr": " ".join(s.expr.split())}
        return {"value": s.value} if s.value is not None else {"assumption": s.assumption}
    return float(s)


def _shares_of(level_central: np.ndarray, total: float) -> dict[str, float] | None:
    if not total:
        return None
    return {lv: float(level_central[k] / total) for k, lv in enumerate(LEVELS)}


CITY_OWN_BUDGETS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
"""The city's own budgets: what it raises and spends itself, apart from the social-insurance funds
it pools (社会保险基金预算), which are the insured's money held in trust."""
POOLED = "社会保险基金预算"


def account_rows(result) -> tuple[list[tuple], np.ndarray]:
    """(names, (rows, cells) 0/1 weights) of every total of the financing summary, over the run's
    ledger cells: ``("budget", b)``, ``("level", lv)``, ``("budget_level", b, lv)`` (class A, inside
    the perimeter), ``("city_own_budgets",)`` (municipal, the three budgets the city raises
    itself), ``("city_pooled_funds",)`` (municipal, 社会保险基金预算), ``("discretionary",)``,
    ``("outside",)`` and per measure ``("measure_discretionary", id)`` and
    ``("measure_municipal", id)``. Each total is one row of weights, so its draws are the sums of
    its cells' draws: the budget x level matrix adds up to class A in every draw."""
    L = result.ledger
    ids = list(result.costed.index)
    is_a = L.attribute("class") == CLASSES.index("A")
    budget, level = L.attribute("budget"), L.attribute("level")
    disc, measure = L.attribute("discretionary"), L.attribute("measure")
    outside = budget == BUDGETS.index(OUTSIDE)
    municipal = level == LEVELS.index("municipal")
    names: list[tuple] = []
    series: list[np.ndarray] = []

    def add(name: tuple, row: np.ndarray) -> None:
        names.append(name)
        series.append(row.astype(float))

    fiscal_a = is_a & ~outside
    for b in FISCAL_BUDGETS:
        add(("budget", b), fiscal_a & (budget == BUDGETS.index(b)))
    for k, lv in enumerate(LEVELS):
        add(("level", lv), fiscal_a & (level == k))
    for b in FISCAL_BUDGETS:
        for k, lv in enumerate(LEVELS):
            add(("budget_level", b, lv), fiscal_a & (budget == BUDGETS.index(b)) & (level == k))
    own = np.isin(budget, [BUDGETS.index(b) for b in CITY_OWN_BUDGETS])
    add(("city_own_budgets",), fiscal_a & municipal & own)
    add(("city_general_budget",), fiscal_a & municipal & (budget == BUDGETS.index("一般公共预算")))
    add(("city_pooled_funds",), fiscal_a & municipal & (budget == BUDGETS.index(POOLED)))
    add(("discretionary",), fiscal_a & (disc == 1))
    status = L.attribute("status")
    add(("restated",), fiscal_a & (status == STATUSES.index("restated")))
    add(("overtaken",), fiscal_a & (status == STATUSES.index("overtaken")))
    add(("outside",), outside)
    for j, mid in enumerate(ids):
        add(("measure_discretionary", mid), ~outside & (disc == 1) & (measure == j))
        add(("measure_municipal", mid), ~outside & municipal & (measure == j))
    w = np.array(series) if series else np.zeros((0, len(L.cells)))
    return names, w


def counterfactual_json(cf, higher: Mapping) -> dict:
    """A measure's counterfactual for the JSON: its status (the phases' statuses joined with the
    dates they start on when the register dates them), the reference and each phase with its
    document (number, date, issuer, level) and reason."""
    if not cf.phases:
        return {"status": cf.status, "reference": cf.reference, "phases": []}
    phases = []
    for i, p in enumerate(cf.phases):
        nxt = cf.phases[i + 1].start if i + 1 < len(cf.phases) else None
        doc = higher.get(p.document) if p.document else None
        phases.append(
            {
                "from": p.start.isoformat() if p.start else None,
                "until": nxt.isoformat() if nxt else None,
                "status": p.status,
                "document": None
                if doc is None
                else {
                    "key": p.document,
                    "number": doc.number,
                    "issued": doc.issued.isoformat() if doc.issued else None,
                    "issuer": doc.issuer,
                    "level": doc.level,
                },
                "discretionary_share": None
                if p.discretionary_share is None
                else _share_json(p.discretionary_share),
                "reason": p.reason,
                "source": "data/register" + ("" if doc is None else f": {doc.source}"),
            }
        )
    status = " → ".join(
        ph["status"] + (f" from {ph['from']}" if ph["from"] else "") for ph in phases
    )
    reference = "; ".join(
        dict.fromkeys(ph["document"]["number"] for ph in phases if ph["document"])
    )
    return {"status": status, "reference": reference, "phases": phases}


def summarise(result) -> dict:
    """The financing of a ``CostResult``: ``measures`` (id -> budget, government_shares,
    counterfactual, discretionary_cost, municipal_cost, components) and ``totals`` (by_budget,
    by_government_level, by_budget_and_level, city_budget, discretionary, outside_perimeter), in 元.

    Every figure is a sum of the run's ledger cells, draw by draw (``account_rows``; the level and
    discretionary shares are drawn inside the ledger, with the same streams as every other
    assumption): the levels add up to the budgets, and both to the class-A cost, in every draw; a
    measure's municipal cost is the mean of its municipal cells, so the measures' municipal costs
    add up to the municipal total. ``government_shares`` of a measure or component are the means
    of its cells by level over its fiscal cost."""
    L = result.ledger
    ids = list(result.costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    budget, level = L.attribute("budget"), L.attribute("level")
    measure, fund = L.attribute("measure"), L.attribute("fund")
    outside = budget == BUDGETS.index(OUTSIDE)
    means = L.cell_means()
    names, w = account_rows(result)
    central, q = L.stats(w)
    index = {n: i for i, n in enumerate(names)}

    def stats(name: tuple) -> dict[str, float]:
        i = index[name]
        return _stats(central[i], q[i])

    measures: dict[str, dict] = {}
    for j, mid in enumerate(ids):
        m = plan_of[mid].measure
        f = m.financing
        assert f is not None
        mine = measure == j
        components = []
        for fi in sorted(set(fund[mine].tolist())):
            cells = mine & (fund == fi)
            fund_name = L.fund_names[fi]
            rf = row_financing(m, fund_name)
            total = float(means[cells].sum())
            lv_central = np.array([means[cells & (level == k)].sum() for k in range(len(LEVELS))])
            components.append(
                {
                    "fund": fund_name,
                    "budget": rf.budget,
                    "cost": total,
                    "government_shares": None
                    if rf.budget == OUTSIDE
                    else _shares_of(lv_central, total),
                }
            )
        fiscal = mine & ~outside
        lv_central = np.array([means[fiscal & (level == k)].sum() for k in range(len(LEVELS))])
        cf = f.counterfactual
        higher = getattr(result.scenario.catalog, "higher_level", {}) or {}
        measures[mid] = {
            "budget": f.budget,
            "government_shares": _shares_of(lv_central, float(means[fiscal].sum())),
            "government_shares_declared": (
                None
                if f.government_shares is None
                else {lv: _share_json(s) for lv, s in f.government_shares.items()}
            ),
            "counterfactual": counterfactual_json(cf, higher),
            "discretionary_cost": stats(("measure_discretionary", mid)),
            "municipal_cost": float(central[index[("measure_municipal", mid)]]),
            "components": components,
        }

    by_budget_and_level = {
        b: {lv: stats(("budget_level", b, lv)) for lv in LEVELS} for b in FISCAL_BUDGETS
    }
    totals = {
        "by_budget": {
            b: stats(("budget", b))
            for b in FISCAL_BUDGETS
            if central[index[("budget", b)]] or q[index[("budget", b)]].any()
        },
        "by_government_level": {lv: stats(("level", lv)) for lv in LEVELS},
        "by_budget_and_level": by_budget_and_level,
        "city_budget": {
            "own_budgets": stats(("city_own_budgets",)),
            "general_public_budget": stats(("city_general_budget",)),
            "pooled_funds": stats(("city_pooled_funds",)),
            "note": (
                "class A borne at municipal level, split into the city's own budgets "
                f"({', '.join(CITY_OWN_BUDGETS)}; general_public_budget is the 一般公共预算 alone) "
                f"and the social-insurance funds it pools ({POOLED}: the insured's money, not the "
                "city's revenue); own_budgets + pooled_funds = by_government_level.municipal in "
                "every draw; districts (区县) are by_government_level.district"
            ),
        },
        "discretionary": stats(("discretionary",)),
        "restated_national_policy": stats(("restated",)),
        "overtaken_by_higher_level": stats(("overtaken",)),
        "outside_perimeter": stats(("outside",)),
        "financing_note": (
            "by_budget, by_government_level, by_budget_and_level, city_budget and discretionary "
            "are class A, like cost, each summed from the same draws (shares drawn in the Monte "
            "Carlo), so the budget x level matrix adds up to the budgets, to the levels and to "
            "cost in every draw; outside_perimeter holds flows outside general government "
            "(住房公积金, budget 'outside', no level of government), of any class, never added to "
            "a fiscal total; discretionary is what Jinan itself decided (new measures, the part "
            "of a local top-up above the higher-level standard); restated_national_policy (the "
            "gazette repeating a national rule) and overtaken_by_higher_level (payments after a "
            "higher-level rule at least as generous took over, data/register) are shown beside "
            "it, never in it; central is the mean of the draws, P5-P95 their quantiles; "
            "government_shares are the means of the drawn shares, weighted by cost"
        ),
    }
    return {"measures": measures, "totals": totals}
