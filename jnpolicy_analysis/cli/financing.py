"""The 'who pays' part of the readable ``jnpolicy cost`` table: each measure's budget and
counterfactual, its gross cost, the part Jinan itself decided (discretionary) and the municipal
share; then the class-A totals by budget and by level of government, and the flows outside the
fiscal perimeter, shown apart."""

from __future__ import annotations

from ..formatting import amount, percent, render

UNIT = "万元"
STATS = ("central", "p5", "p50", "p95")


def _wan(value: float) -> str:
    return amount(value, UNIT, 1)


def financing_lines(result) -> list[str]:
    """Lines of text for the financing of a ``CostResult`` (empty when it has none)."""
    fin = getattr(result, "financing", None)
    if fin is None:
        return []
    rows = []
    for mid, r in result.costed.iterrows():
        f = fin["measures"][mid]
        gross = float(r["central"])
        shares = f["government_shares"]
        municipal = "—" if shares is None else percent(shares["municipal"], space=True)
        rows.append(
            [
                mid,
                r["fiscal_class"],
                f["budget"],
                f["counterfactual"]["status"],
                _wan(gross),
                _wan(f["discretionary_cost"]["central"]),
                municipal,
                _wan(f["municipal_cost"]),
            ]
        )
    lines = ["", f"Who pays ({UNIT}; central values; municipal share of the gross cost)"]
    lines.append(
        render(
            [
                "measure",
                "IMF",
                "budget",
                "counterfactual",
                f"gross {UNIT}",
                f"discretionary {UNIT}",
                "municipal share",
                f"municipal {UNIT}",
            ],
            rows,
            right={4, 5, 6, 7},
        )
    )
    lines.append(
        "discretionary: the part Jinan itself decided (all of a new measure, the top-up of a "
        "local_top_up above the higher-level standard, nothing of an implementation, "
        "continuation, restated or overtaken higher-level policy; dated statuses from "
        "data/register, month by month). "
        "Budget 'outside': outside general government (住房公积金), never in a fiscal total."
    )
    t = fin["totals"]
    trows = []
    for budget, s in t["by_budget"].items():
        trows.append([f"class A from the {budget}", *(_wan(s[k]) for k in STATS)])
    for level, s in t["by_government_level"].items():
        trows.append([f"class A borne by {level} government", *(_wan(s[k]) for k in STATS)])
    trows.append(
        [
            "class A discretionary (Jinan's own decisions)",
            *(_wan(t["discretionary"][k]) for k in STATS),
        ]
    )
    trows.append(
        [
            "  beside it: restated national policy (not Jinan's)",
            *(_wan(t["restated_national_policy"][k]) for k in STATS),
        ]
    )
    trows.append(
        [
            "  beside it: overtaken by higher-level policy (data/register)",
            *(_wan(t["overtaken_by_higher_level"][k]) for k in STATS),
        ]
    )
    tr = getattr(result, "transfers", None)
    if tr is not None:
        tt = tr["totals"]
        trows.append(
            [
                "class A internal transfers (public employers' share; nets out)",
                *(_wan(tt["internal_transfers"][k]) for k in STATS),
            ]
        )
        trows.append(
            [
                "class A net of internal transfers (general government)",
                *(_wan(tt["cost_net_of_internal_transfers"][k]) for k in STATS),
            ]
        )
    trows.append(
        [
            "outside the fiscal perimeter (any class, not added)",
            *(_wan(t["outside_perimeter"][k]) for k in STATS),
        ]
    )
    cb = t["city_budget"]
    trows += [
        [
            "class A borne by the city: its own budgets (not the funds it pools)",
            *(_wan(cb["own_budgets"][k]) for k in STATS),
        ],
        [
            "  of which the city's 一般公共预算",
            *(_wan(cb["general_public_budget"][k]) for k in STATS),
        ],
        [
            "class A borne by the city: social-insurance funds it pools",
            *(_wan(cb["pooled_funds"][k]) for k in STATS),
        ],
    ]
    lines += ["", f"Who pays, totals ({UNIT})"]
    lines.append(render(["total", "central", "P5", "P50", "P95"], trows, right={1, 2, 3, 4}))
    lines += matrix_lines(t)
    return lines + horizon_lines(result) + funds_lines(result)


def matrix_lines(t: dict) -> list[str]:
    """The class-A budget x level matrix (central values), with each row's and column's total,
    and the flows outside the perimeter on a row of their own (they have no level)."""
    matrix = t["by_budget_and_level"]
    levels = list(next(iter(matrix.values())))
    rows = []
    for budget, cells in matrix.items():
        whole = t["by_budget"].get(budget, {"central": 0.0})["central"]
        rows.append([budget, *(_wan(cells[lv]["central"]) for lv in levels), _wan(whole), "—"])
    col = [t["by_government_level"][lv]["central"] for lv in levels]
    all_a = sum(s["central"] for s in t["by_budget"].values())
    rows.append(["class A, all budgets", *(_wan(v) for v in col), _wan(all_a), "—"])
    outside = t["outside_perimeter"]["central"]
    rows.append(["outside (住房公积金; not added)", *("—" for _ in levels), "—", _wan(outside)])
    lines = ["", f"Class A by budget and level of government ({UNIT}, central values)"]
    lines.append(
        render(
            ["budget", *levels, "all levels", "no level"],
            rows,
            right=set(range(1, len(levels) + 3)),
        )
    )
    lines.append(
        "Each cell is summed from the same draws as the class-A cost, so the rows and columns add "
        "up to it in every draw; the city's own budgets are the municipal column less 社会保险基金预算."
    )
    return lines


def horizon_lines(result) -> list[str]:
    """Lines of text for the costs that go on after 2022: each measure's yearly run-rate after the
    grid ends, and the totals' window and to-completion line (empty when there is none)."""
    h = getattr(result, "horizon", None)
    if h is None:
        return []
    stress = result.stress_case

    def band(s: dict) -> str:
        return (
            _wan(s["central"])
            if stress
            else f"{_wan(s['central'])} ({_wan(s['p5'])}–{_wan(s['p95'])})"
        )

    rows = [
        [
            mid,
            v["after_2022"]["status"]
            + (f" to {v['after_2022']['end']}" if v["after_2022"]["end"] else ""),
            band(v["run_rate_after_2022"]),
        ]
        for mid, v in h["measures"].items()
    ]
    span = "" if stress else " (P5–P95)"
    lines = ["", f"Beyond the horizon: costs that go on after December 2022 ({UNIT}/年){span}"]
    if rows:
        lines.append(render(["measure", "after 2022", f"run-rate {UNIT}/年"], rows, right={2}))
    t = h["totals"]
    tc = t["to_completion"]
    lines += [
        f"class A, window {t['window']['from']} to {t['window']['to']}: {band(t['window']['cost'])} {UNIT}",
        f"class A to completion (the window plus measures that end after 2022, to their end): "
        f"{band(tc['cost'])} {UNIT}, and then {band(tc['run_rate_after_2022'])} {UNIT}/年 with no "
        f"end for the {len(tc['permanent_measures'])} permanent measures (at their 2022 rate)",
    ]
    return lines


FUND_UNIT = "亿元"


def _yi(value: float) -> str:
    return amount(value, FUND_UNIT, 2)


def funds_lines(result) -> list[str]:
    """Lines of text for the funds' solvency of a ``CostResult`` (empty when it has none): for
    each fund pooled at Jinan's level, income, spending, balance and months of cover by year, with
    P5-P95 and the flag below the threshold; for a fund pooled higher up, Jinan's contribution to
    the pool's shortfall."""
    funds = getattr(result, "funds", None)
    if not funds:
        return []
    stress = result.stress_case

    def band(s: dict, fmt) -> str:
        return (
            fmt(s["central"]) if stress else f"{fmt(s['central'])} ({fmt(s['p5'])}–{fmt(s['p95'])})"
        )

    def months(x: float) -> str:
        return f"{x:,.1f}"

    rows = []
    higher = []
    for f in funds:
        if f["threshold_months"] is None:
            for year, v in f["years"].items():
                s = v["jinan_contribution_to_shortfall"]
                higher.append([f["fund"], f["pooling_level"], year, band(s, _yi)])
            continue
        for year, v in f["years"].items():
            flag = "below" if v["below_threshold"] else ""
            if not stress and not v["below_threshold"] and v["share_of_draws_below_threshold"]:
                flag = f"{v['share_of_draws_below_threshold'] * 100:.1f} % of draws below"
            elif not stress and v["below_threshold"]:
                flag = f"below ({v['share_of_draws_below_threshold'] * 100:.0f} % of draws)"
            rows.append(
                [
                    f["fund"],
                    year,
                    band(v["income"], _yi),
                    band(v["spending"], _yi),
                    band(v["balance"], _yi),
                    band(v["months_of_cover"], months),
                    f"{f['threshold_months']:g}",
                    flag,
                ]
            )
    span = "" if stress else " (P5–P95)"
    lines = [
        "",
        f"Funds pooled at Jinan's level: income, spending and end-of-year balance ({FUND_UNIT}), "
        f"months of cover (可支付月数, 月){span}",
    ]
    lines.append(
        render(
            [
                "fund",
                "year",
                f"income {FUND_UNIT}",
                f"spending {FUND_UNIT}",
                f"balance {FUND_UNIT}",
                "months of cover",
                "threshold 月",
                "flag",
            ],
            rows,
            right={2, 3, 4, 5, 6},
        )
    )
    lines.append(
        "2019 is the stated base (data/baseline/funds.yaml, assumptions); 2020-2022 grow it without "
        "the policy, less what the class-A measures forgo and plus what they pay. Months of cover = "
        "balance / monthly spending; 'below' when the central months fall under the threshold."
    )
    if higher:
        lines += [
            "",
            f"Funds pooled higher up: Jinan's contribution to the pool's shortfall ({FUND_UNIT}){span}",
        ]
        lines.append(
            render(["fund", "pooled at", "year", f"contribution {FUND_UNIT}"], higher, right={3})
        )
    return lines
