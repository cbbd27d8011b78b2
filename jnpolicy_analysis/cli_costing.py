"""``jnpolicy cost`` and ``jnpolicy compare``: the costing on the command line.

A readable table in 万元 by default; ``--json`` gives the contract of DESIGN.md in 元 ("yuan").
A bad scenario, draws or seed exits 2 with ``error: <file>: <field>: <message>``.
"""

from __future__ import annotations

import argparse
import json
import sys

from .cli import EXIT_OK, command
from .cli_checks import draws_type, seed_type, text_type
from .cli_financing import financing_lines
from .errors import DataError
from .tables import render
from .units import yuan_to

UNIT = "万元"
SHORT = {
    "Low": "L",
    "Medium-Low": "ML",
    "Medium": "M",
    "Medium-High": "MH",
    "High": "H",
    "Very high": "VH",
}


def _check(draws: int | None, seed: int | None) -> None:
    """Values given to the functions directly, not through the parser."""
    if draws is not None and draws <= 0:
        raise DataError.single("--draws", "draws", f"must be a positive whole number, got {draws}")
    if seed is not None and seed < 0:
        raise DataError.single("--seed", "seed", f"must be a whole number >= 0, got {seed}")


def _wan(value: float) -> str:
    return f"{yuan_to(value, UNIT):,.0f}"


def _json_out(obj: object) -> None:
    from .cli import strict_json  # no NaN or Infinity: strict JSON parsers reject them

    json.dump(strict_json(obj), sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --------------------------------------------------------------------------- cost


def _cost_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario",
        type=text_type("scenario"),
        default="central",
        help="scenario name in data/scenarios (default: central)",
    )
    p.add_argument(
        "--draws", type=draws_type, default=None, help="Monte Carlo draws (default: the scenario's)"
    )
    p.add_argument(
        "--seed", type=seed_type, default=None, help="random seed (default: the scenario's)"
    )
    p.add_argument(
        "--json", action="store_true", help="machine-readable output in 元 (DESIGN.md contract)"
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
        rating = "/".join(
            SHORT[r[k]] for k in ("rating_data", "rating_modelling", "rating_behaviour")
        )
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
                f"{rating} → {SHORT[r['rating_final']]}",
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
        "D": "class D: amounts deferred (shown apart)",
    }
    for cls, stats in totals["by_fiscal_class"].items():
        trows.append(
            [labels[cls], _wan(stats["central"]), *(q(stats[k]) for k in ("p5", "p50", "p95"))]
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
    from .costing import run_costing

    _check(args.draws, args.seed)
    result = run_costing(args.scenario, args.data, draws=args.draws, seed=args.seed)
    if args.json:
        _json_out(result.to_json())
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
    p.add_argument(
        "--draws",
        type=draws_type,
        default=None,
        help="Monte Carlo draws for both (default: the baseline's)",
    )
    p.add_argument(
        "--seed",
        type=seed_type,
        default=None,
        help="random seed for both (default: the baseline's)",
    )
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
    from .costing import compare

    _check(args.draws, args.seed)
    comparison = compare(args.baseline, args.variant, args.data, draws=args.draws, seed=args.seed)
    if args.json:
        _json_out(comparison.to_json())
    else:
        print(compare_table(comparison))
    return EXIT_OK


command("cost", "cost every measure under a scenario, with P5-P95 and uncertainty ratings")(
    _cost_args
)(cmd_cost)
command("compare", "cost two scenarios and show the variant minus the baseline by measure")(
    _compare_args
)(cmd_compare)
