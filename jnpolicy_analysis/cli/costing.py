"""``jnpolicy cost`` and ``jnpolicy compare``: the costing on the command line.

A readable table in 万元 by default; ``--json`` gives the JSON of docs/json_output.md, in 元 ("yuan").
A bad scenario, draws or seed exits 2 with ``error: <file>: <field>: <message>``.
"""

from __future__ import annotations

import argparse

from ..formatting import amount, rating, render
from .app import EXIT_OK, command, json_out
from .checks import check_draws_seed, run_args, text_type
from .financing import financing_lines

UNIT = "万元"


def _wan(value: float) -> str:
    return amount(value, UNIT)


# --------------------------------------------------------------------------- cost


def _cost_args(p: argparse.ArgumentParser) -> None:
    run_args(p)
    p.add_argument(
        "--json", action="store_true", help="machine-readable output in 元 (docs/json_output.md)"
    )


def cost_table(result) -> str:
    """The costing as text: every measure in 万元 with P5-P95, fund, class and rating; totals; what
    is not costed and why."""
    sc = result.scenario
    lines = [
        f"Costing of scenario '{sc.name}' ({sc.title_zh} / {sc.title_en})",
        f"{result.draws:,} Monte Carlo draws, seed {result.seed}. Amounts in {UNIT} (10,000 元), "
        "January 2020 - December 2022.",
        (
            f"A stress case: every assumption at its {sc.point} bound; 'central' is that point, "
            "quoted alone (P5-P95 are not shown: a stress case is not a distribution)."
            if result.stress_case
            else "'central' is the expected cost, the mean of the draws (P5 <= central <= P95); "
            "'at mode' has every assumption at its most likely value."
        ),
        "",
    ]
    stress = result.stress_case

    def q(value: float) -> str:
        return "-" if stress else _wan(value)

    rows = []
    for mid, r in result.costed.iterrows():
        rows.append(
            [
                r["doc"],
                str(r["clause"]),
                mid,
                r["fiscal_class"],
                r["funding_source"],
                _wan(r["static"]),
                _wan(r["at_mode"]),
                _wan(r["central"]),
                q(r["p5"]),
                q(r["p50"]),
                q(r["p95"]),
                rating(*(r[f"rating_{k}"] for k in ("data", "modelling", "behaviour", "final"))),
            ]
        )
    lines.append(
        render(
            [
                "document",
                "clause",
                "measure",
                "IMF",
                "fund",
                f"static {UNIT}",
                f"at mode {UNIT}",
                f"central {UNIT}",
                "P5",
                "P50",
                "P95",
                "rating D/M/B → final",
            ],
            rows,
            right={5, 6, 7, 8, 9, 10},
        )
    )
    lines.append(
        "IMF class: A spending or forgone revenue; C contingent (expected cost of guarantees); "
        "D deferral (amount deferred). Rating: L Low, ML Medium-Low, M Medium, MH Medium-High, "
        "H High, VH Very high."
    )
    totals = result.totals()
    lines += ["", f"Totals ({UNIT})"]
    trows = []
    labels = {
        "A": "class A: spending and forgone revenue (the cost)",
        "B": "class B: below the line",
        "C": "class C: expected cost of guarantees (shown apart)",
        "D": "class D: amounts deferred inside the perimeter (shown apart)",
    }
    for cls, stats in totals["by_fiscal_class"].items():
        trows.append(
            [labels[cls], _wan(stats["central"]), *(q(stats[k]) for k in ("p5", "p50", "p95"))]
        )
        if cls == "C":
            face = totals["class_c"]["face_value"]["at_mode"]
            trows.append(["class C: face value of the guarantees (at mode)", _wan(face), *"---"])
    for cls, stats in totals["outside_perimeter_by_fiscal_class"].items():
        trows.append(
            [
                f"class {cls} outside the perimeter (住房公积金; not added)",
                _wan(stats["central"]),
                *(q(stats[k]) for k in ("p5", "p50", "p95")),
            ]
        )
    for year, stats in totals["by_year"].items():
        trows.append(
            [
                f"class A in {year}",
                _wan(stats["central"]),
                *(q(stats[k]) for k in ("p5", "p50", "p95")),
            ]
        )
    for fund, stats in sorted(
        totals["by_funding_source"].items(), key=lambda kv: -kv[1]["central"]
    ):
        trows.append(
            [
                f"class A from {fund}",
                _wan(stats["central"]),
                *(q(stats[k]) for k in ("p5", "p50", "p95")),
            ]
        )
    lines.append(render(["total", "central", "P5", "P50", "P95"], trows, right={1, 2, 3, 4}))
    lines += financing_lines(result)
    lines += ["", f"Not costed ({len(result.not_costed)})"]
    lines.append(
        render(
            ["document", "clause", "measure or provision", "why not"],
            [
                [r["doc"], str(r["clause"]), mid, r["reason"]]
                for mid, r in result.not_costed.iterrows()
            ],
        )
    )
    return "\n".join(lines)


def cmd_cost(args: argparse.Namespace) -> int:
    from ..costing import run_costing
    from ..inputs.scenarios import load_scenario

    check_draws_seed(args.draws, args.seed)
    result = run_costing(load_scenario(args.scenario, args.data, draws=args.draws, seed=args.seed))
    if args.json:
        json_out(result.to_json())
    else:
        print(cost_table(result))
    return EXIT_OK


# --------------------------------------------------------------------------- compare


def _compare_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "baseline", type=text_type("baseline"), help="the scenario to compare against, e.g. central"
    )
    p.add_argument(
        "variant",
        type=text_type("variant"),
        help="the scenario compared, e.g. exemption_to_december",
    )
    run_args(p, scenario=False, whose="the baseline's, for both")
    p.add_argument("--json", action="store_true", help="machine-readable output in 元")


def compare_table(comparison) -> str:
    b, v = comparison.baseline, comparison.variant
    lines = [
        f"Scenario '{v.scenario.name}' minus '{b.scenario.name}'",
        f"{v.draws:,} draws, seed {v.seed}, shared by both runs (the difference's P5-P95 is the "
        f"policy's, not sampling noise). Amounts in {UNIT}.",
        "",
    ]
    changed = comparison.measures[comparison.measures["difference"].abs() > 0.5]
    rows = [
        [
            mid,
            r["fiscal_class"],
            _wan(r["baseline"]),
            _wan(r["variant"]),
            _wan(r["difference"]),
            _wan(r["difference_p5"]) if r["difference_p5"] == r["difference_p5"] else "-",
            _wan(r["difference_p95"]) if r["difference_p95"] == r["difference_p95"] else "-",
        ]
        for mid, r in changed.iterrows()
    ]
    heads = [
        "measure",
        "IMF",
        b.scenario.name,
        v.scenario.name,
        "difference",
        "diff P5",
        "diff P95",
    ]
    lines.append(
        render(heads, rows, right={2, 3, 4, 5, 6}) if rows else "No measure's cost changes."
    )
    lines += ["", "Totals"]
    trows = [
        [
            key,
            "",
            _wan(r["baseline"]),
            _wan(r["variant"]),
            _wan(r["difference"]),
            _wan(r["difference_p5"]) if r["difference_p5"] == r["difference_p5"] else "-",
            _wan(r["difference_p95"]) if r["difference_p95"] == r["difference_p95"] else "-",
        ]
        for key, r in comparison.totals.iterrows()
    ]
    lines.append(render(["total", "", *heads[2:]], trows, right={2, 3, 4, 5, 6}))
    return "\n".join(lines)


def cmd_compare(args: argparse.Namespace) -> int:
    from ..costing import compare
    from ..inputs.scenarios import load_scenario

    check_draws_seed(args.draws, args.seed)
    # both loaded before either is costed, so a bad variant fails at once
    baseline, variant = (load_scenario(n, args.data) for n in (args.baseline, args.variant))
    comparison = compare(baseline, variant, draws=args.draws, seed=args.seed)
    if args.json:
        json_out(comparison.to_json())
    else:
        print(compare_table(comparison))
    return EXIT_OK


command("cost", "cost every measure under a scenario, with P5-P95 and uncertainty ratings")(
    _cost_args
)(cmd_cost)
command("compare", "cost two scenarios and show the variant minus the baseline by measure")(
    _compare_args
)(cmd_compare)
