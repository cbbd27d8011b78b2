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
        "local_top_up, nothing of an implementation or continuation of higher-level policy). "
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
            "outside the fiscal perimeter (any class, not added)",
            *(_wan(t["outside_perimeter"][k]) for k in STATS),
        ]
    )
    lines += ["", f"Who pays, totals ({UNIT})"]
    lines.append(render(["total", "central", "P5", "P50", "P95"], trows, right={1, 2, 3, 4}))
    return lines
