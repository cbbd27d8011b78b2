"""Beyond the horizon: costs that go on after the costing's grid ends (December 2022).

A measure whose ``financing.after_2022`` says ``permanent`` goes on at its 2022 cost a year with
no end; one that ``ends`` after 2022 goes on at that rate until its end. Each measure's
``run_rate_after_2022`` (元/年) is its 2022 cost, draw by draw (each measure-fund row of the
costing split by year in the proportions of its central cost by year). The totals state their
window: ``window`` is January 2020 - December 2022 (the class-A ``cost``); ``to_completion`` adds
the cost after 2022 of the measures that end, and gives apart the yearly rate after 2022 of the
permanent ones, which has no end and cannot be summed. Class A, like ``cost``; in 元. Streamed a
chunk of draws at a time, as ``financing.summarise``; central is the mean of the draws (the point
in a stress case).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import grid
from .montecarlo import CLASSES
from .montecarlo import stat_dict as _stats

HORIZON_END = dt.date(2022, 12, 31)
WINDOW = {"from": "2020-01", "to": "2022-12"}


def years_after(end: dt.date) -> float:
    """Years from 2023-01-01 to ``end`` (both included), in days / 365.25."""
    return ((end - HORIZON_END).days) / 365.25


def summarise(result) -> dict:
    """``measures``: id -> {after_2022, run_rate_after_2022} for the class-A measures with an
    ``after_2022`` block; ``totals``: window and to_completion. Each measure's 2022 cost is the
    sum of its ledger cells' 2022 shares, draw by draw."""
    L = result.ledger
    ids = list(result.costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    class_a = CLASSES.index("A")
    n_cells = len(L.cells)

    tracked: list[tuple[str, dict, float]] = []  # id, after_2022 as JSON, years after (0: none)
    periods = getattr(result.scenario, "periods", {}) or {}
    for j, mid in enumerate(ids):
        if int(L.measure_class[j]) != class_a:
            continue
        f = plan_of[mid].measure.financing
        a = f.after_2022 if f is not None else None
        extended = periods.get(mid)
        if extended is not None and extended.end is not None and extended.end > HORIZON_END:
            if a is None or a.status != "permanent":
                # a scenario's period past the grid: the months after 2022 are costed to its end
                # at the 2022 rate in the to-completion line, never cut silently
                info = {
                    "status": "ends",
                    "end": extended.end.isoformat(),
                    "reason": f"the scenario {result.scenario.name} sets its period to end on "
                    f"{extended.end.isoformat()}, after the costing's grid (2022-12)",
                }
                tracked.append((mid, info, years_after(extended.end)))
                continue
        if a is None:
            continue
        years = 0.0 if a.status == "permanent" else years_after(a.end)
        info = {"status": a.status, "end": None if a.end is None else a.end.isoformat()}
        info["reason"] = a.reason
        tracked.append((mid, info, years))

    # (series, cells): each tracked measure's 2022 cost, the permanent total, the window's cost
    # plus the tails, and the tails alone
    share_2022 = L.year_shares()[:, grid.YEARS.index(2022)]
    weights = np.zeros((len(tracked) + 3, n_cells))
    tail = np.zeros(n_cells)  # the ending measures' cost after 2022, per 元 of cell
    measure = L.attribute("measure")
    for k, (mid, info, years) in enumerate(tracked):
        mine = measure == ids.index(mid)
        weights[k, mine] = share_2022[mine]
        if info["status"] == "permanent":
            weights[len(tracked), mine] = share_2022[mine]
        else:
            tail[mine] += share_2022[mine] * years
    weights[len(tracked) + 1] = (L.attribute("class") == class_a) + tail
    weights[len(tracked) + 2] = tail
    means, q = L.stats(weights)

    measures = {}
    for k, (mid, info, _) in enumerate(tracked):
        measures[mid] = {"after_2022": info, "run_rate_after_2022": _stats(means[k], q[k])}
    window_cost = result.totals()["cost"]
    s_perm, s_done = len(tracked), len(tracked) + 1
    totals = {
        "window": {**WINDOW, "cost": window_cost},
        "to_completion": {
            "cost": _stats(means[s_done], q[s_done]),
            "run_rate_after_2022": _stats(means[s_perm], q[s_perm]),
            "permanent_measures": [m for m, info, _ in tracked if info["status"] == "permanent"],
            "ending_measures": [m for m, info, _ in tracked if info["status"] == "ends"],
            "note": (
                "cost: the window's class-A cost plus what the measures that end after 2022 cost "
                "until their end (at their 2022 rate); run_rate_after_2022: the permanent "
                "measures' yearly cost from 2023 on (元/年, at their 2022 rate), with no end, "
                "so never summed into a total"
            ),
        },
    }
    return {"measures": measures, "totals": totals}
