"""``jnpolicy evaluate``: every outturn of ``data/outturns`` against the costing of a scenario.

A readable table by default (amounts in 万元); ``--json`` gives ``{"scenario", "outturns": [{"id",
"measures", "geography", "period", "outturn", "costed", "ratio", "implied": [{"assumption",
"value", "unit"}], "source"}]}`` with money in 元. A bad scenario or outturn file exits 2 with
``error: <file>: <field>: <message>``.
"""

from __future__ import annotations

import argparse

from ..formatting import render
from ..units import yuan_to
from .app import EXIT_OK, command, json_out
from .checks import run_args

UNIT = "万元"


def _args(p: argparse.ArgumentParser) -> None:
    run_args(p, draws=False)
    p.add_argument("--json", action="store_true", help="machine-readable output in 元")


def evaluation_table(ev) -> str:
    from ..analysis.evaluation import implied_text

    sc = ev.scenario
    lines = [
        f"Outturns against the costing of scenario '{sc.name}' ({sc.title_zh} / {sc.title_en})",
        "Outturn: the published amount scaled to Jinan by its rule (low–high from the rule's "
        "range); costed: the scenario's central over the outturn's period. Amounts in 万元.",
        "Implied: each driving assumption's range scaled by one factor until the re-costed "
        "central equals the outturn (linear: proportional, checked by re-costing; bisection "
        "otherwise).",
        "",
    ]
    rows = [
        [
            r.outturn.id,
            r.outturn.geography,
            f"{r.outturn.period.start}…{r.outturn.period.end}",
            f"{yuan_to(r.jinan[1], UNIT):,.0f}",
            f"{yuan_to(r.jinan[0], UNIT):,.0f}–{yuan_to(r.jinan[2], UNIT):,.0f}",
            f"{yuan_to(r.costed, UNIT):,.0f}",
            f"{r.ratio:.2f}",
            r.outturn.use,
        ]
        for r in ev.rows
    ]
    headers = ["outturn", "geography", "period", "outturn 万元", "range 万元", "costed 万元"]
    lines.append(render([*headers, "ratio", "use"], rows, right={3, 4, 5, 6}))
    for r in ev.rows:
        if r.implied:
            lines.append("")
            lines.append(f"{r.outturn.id}: implied")
            lines += [f"  {implied_text(i)}" for i in r.implied]
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..analysis.evaluation import evaluate_outturns

    ev = evaluate_outturns(args.scenario, args.data)
    if args.json:
        json_out(ev.to_json())
    else:
        print(evaluation_table(ev))
    return EXIT_OK


command("evaluate", "hold each published outturn against the costing (ex-post evaluation)")(_args)(
    cmd_evaluate
)
