"""Internal transfers: the part of a measure's cost that general government pays to itself.

The medical-insurance rate cut of clause 7 lowers every employer's contribution, public bodies'
included. The fund loses all of it (that loss is its class-A cost, and the funds' solvency check
counts it whole); but what public employers no longer pay in is saved by the budgets that pay
their staff (``offset_budget``), so for general government as a whole it nets out. A measure's
``financing.internal_transfer`` names the fund row and the assumption of the scheme's wage bill
over the enterprises' (ratio r); the public employers' share of the cost is 1 - 1/r, drawn with
the costing's own stream of r, draw by draw. ``totals.internal_transfers`` is their sum and
``totals.cost_net_of_internal_transfers`` the class-A cost less it. Streamed a chunk of draws at
a time; central is the mean of the draws (the point in a stress case). Amounts in 元.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..errors import DataError, Problem
from ..inputs.schemas import Assumption
from ..units import did_you_mean, get_unit
from .montecarlo import CLASSES
from .montecarlo import stat_dict as _stats
from .sampling import DTYPE


def check(catalog, assumptions: Mapping[str, Assumption]) -> None:
    """Raise DataError for an ``internal_transfer`` whose fund is not one of the measure's or
    whose ratio assumption is unknown or not a ratio of 1 or more."""
    from .financing import measure_funds

    problems: list[Problem] = []
    for doc, m in catalog.measures:
        f = m.financing
        if f is None or f.internal_transfer is None:
            continue
        t = f.internal_transfer
        file = str(catalog.files.get(doc, Path(catalog.data_dir) / "policies"))
        where = f"measures.{m.id}.financing.internal_transfer"
        funds = measure_funds(m)
        if t.fund not in funds:
            problems.append(
                Problem(
                    file,
                    f"{where}.fund",
                    f"'{t.fund}' is not a fund of the measure's costing ({', '.join(funds)})"
                    + did_you_mean(t.fund, funds),
                )
            )
        a = assumptions.get(t.public_wage_ratio)
        if a is None:
            problems.append(
                Problem(
                    file,
                    f"{where}.public_wage_ratio",
                    f"unknown assumption '{t.public_wage_ratio}'"
                    + did_you_mean(t.public_wage_ratio, assumptions),
                )
            )
        elif get_unit(a.unit).dimension != "rate" or a.base("low") < 1:
            problems.append(
                Problem(
                    file,
                    f"{where}.public_wage_ratio",
                    f"assumption '{t.public_wage_ratio}' must be a ratio of 1 or more (a whole "
                    "wage bill over the enterprises' part)",
                )
            )
    if problems:
        raise DataError(problems)


def summarise(result) -> dict:
    """``measures``: id -> {fund, offset_budget, public_share (at the point), amount};
    ``totals``: internal_transfers and cost_net_of_internal_transfers (class A). The public
    share of each draw is 1 - 1/r with the ratio r of that draw of the ledger."""
    L = result.ledger
    sc = result.scenario
    ids = list(result.costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    is_a = (L.attribute("class") == CLASSES.index("A")).astype(np.float64)
    measure, fund = L.attribute("measure"), L.attribute("fund")

    items: list[tuple[str, object, np.ndarray]] = []  # id, transfer, its cells (0/1)
    for j, mid in enumerate(ids):
        f = plan_of[mid].measure.financing
        if f is None or f.internal_transfer is None:
            continue
        t = f.internal_transfer
        if t.fund in L.fund_names:
            cells = (measure == j) & (fund == L.fund_names.index(t.fund))
            items.append((mid, t, cells.astype(np.float64)))
    n_series = len(items) + 2

    def chunk_series(i: int) -> np.ndarray:
        cells = L.chunks(i).astype(np.float64)
        values = L.chunks.values(i)
        n = cells.shape[1]
        out = np.zeros((n_series, n))
        for k, (_, t, w) in enumerate(items):
            ratio = np.asarray(values.get(t.public_wage_ratio, sc.assumption(t.public_wage_ratio)))
            out[k] = (w @ cells) * (1.0 - 1.0 / ratio.astype(np.float64))
        out[len(items)] = out[: len(items)].sum(axis=0)
        out[len(items) + 1] = is_a @ cells - out[len(items)]
        return out.astype(DTYPE)

    acc = L.chunk_quantiles(chunk_series, n_series)
    q, means = acc.result(), acc.means
    measures = {}
    for k, (mid, t, _) in enumerate(items):
        share = 1.0 - 1.0 / float(sc.assumption(t.public_wage_ratio))
        measures[mid] = {
            "fund": t.fund,
            "offset_budget": t.offset_budget,
            "public_share": share,
            "amount": _stats(means[k], q[k]),
            "reason": t.reason,
        }
    s_total, s_net = len(items), len(items) + 1
    totals = {
        "internal_transfers": _stats(means[s_total], q[s_total]),
        "cost_net_of_internal_transfers": _stats(means[s_net], q[s_net]),
        "internal_transfers_note": (
            "internal_transfers: the part of the class-A cost that public employers no longer pay "
            "into a fund and their budgets save (it nets out for general government); "
            "cost_net_of_internal_transfers is cost less it. cost and the funds keep it whole."
        ),
    }
    return {"measures": measures, "totals": totals}
