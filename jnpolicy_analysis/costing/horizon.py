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

from .montecarlo import CLASSES, Draws
from .montecarlo import stat_dict as _stats
from .sampling import DTYPE

HORIZON_END = dt.date(2022, 12, 31)
WINDOW = {"from": "2020-01", "to": "2022-12"}


def years_after(end: dt.date) -> float:
    """Years from 2023-01-01 to ``end`` (both included), in days / 365.25."""
    return ((end - HORIZON_END).days) / 365.25


def summarise(result, samples: Draws) -> dict:
    """``measures``: id -> {after_2022, run_rate_after_2022} for the class-A measures with an
    ``after_2022`` block; ``totals``: window and to_completion."""
    sc = result.scenario
    stress = sc.stress_case
    ids = list(result.costed.index)
    plan_of = {p.measure.id: p for p in result.plans if p.costed}
    class_a = CLASSES.index("A")
    monthly = result.monthly[result.monthly["fiscal_class"] == "A"]
    by_year = monthly.groupby(["measure_id", "funding_source", "year"])["central"].sum()
    n_rows = len(samples.row_measure)

    tracked: list[tuple[str, dict, float]] = []  # id, after_2022 as JSON, years after (0: none)
    for j, mid in enumerate(ids):
        f = plan_of[mid].measure.financing
        if int(samples.measure_class[j]) != class_a or f is None or f.after_2022 is None:
            continue
        a = f.after_2022
        years = 0.0 if a.status == "permanent" else years_after(a.end)
        info = {"status": a.status, "end": None if a.end is None else a.end.isoformat()}
        info["reason"] = a.reason
        tracked.append((mid, info, years))

    # (series, rows): each tracked measure's 2022 cost, the permanent total, the window's cost
    # plus the tails, and the tails alone
    weights = np.zeros((len(tracked) + 3, n_rows))
    tail = np.zeros(n_rows)  # the ending measures' cost after 2022, per 元 of row
    class_a_rows = np.zeros(n_rows)
    point_rate = np.zeros(len(tracked))
    for r in range(n_rows):
        j = int(samples.row_measure[r])
        if int(samples.measure_class[j]) == class_a:
            class_a_rows[r] = 1.0
    for k, (mid, info, years) in enumerate(tracked):
        j = ids.index(mid)
        for r in np.flatnonzero(samples.row_measure == j):
            fund = samples.fund_names[int(samples.row_fund[r])]
            y = [float(by_year.get((mid, fund, yr), 0.0)) for yr in (2020, 2021, 2022)]
            share = y[2] / sum(y) if sum(y) else 0.0
            weights[k, r] = share
            point_rate[k] += y[2]
            if info["status"] == "permanent":
                weights[len(tracked), r] = share
            else:
                tail[r] += share * years
    weights[len(tracked) + 1] = class_a_rows + tail
    weights[len(tracked) + 2] = tail

    def chunk_series(i: int) -> np.ndarray:
        rows = samples.chunks(i)[0].astype(np.float64)
        return (weights @ rows).astype(DTYPE)

    acc = samples.chunk_quantiles(chunk_series, len(weights))
    q, means = acc.result(), acc.means

    measures = {}
    permanent_point = 0.0
    tail_point = 0.0
    for k, (mid, info, years) in enumerate(tracked):
        measures[mid] = {
            "after_2022": info,
            "run_rate_after_2022": _stats(point_rate[k] if stress else means[k], q[k]),
        }
        if info["status"] == "permanent":
            permanent_point += point_rate[k]
        else:
            tail_point += point_rate[k] * years
    window_cost = result.totals()["cost"]
    s_perm, s_done, s_tail = len(tracked), len(tracked) + 1, len(tracked) + 2
    totals = {
        "window": {**WINDOW, "cost": window_cost},
        "to_completion": {
            "cost": _stats(
                window_cost["central"] + (tail_point if stress else means[s_tail]), q[s_done]
            ),
            "run_rate_after_2022": _stats(permanent_point if stress else means[s_perm], q[s_perm]),
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
