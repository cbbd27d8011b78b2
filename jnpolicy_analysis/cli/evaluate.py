"""``jnpolicy evaluate``: every outturn of ``data/outturns`` against the costing of a scenario.

A readable table by default (amounts in 万元); ``--json`` gives ``{"scenario", "outturns": [{"id",
"measures", "geography", "period", "outturn", "costed", "ratio" (null when not comparable),
"comparable", "not_covered", "implied": [{"assumption", "value", "unit"}], "source"}]}`` with money in 元. A bad scenario or outturn file exits 2 with
``error: <file>: <field>: <message>``.

``jnpolicy calibrate``: the joint posterior of the central's draws given every outturn
(``analysis.calibration``), printed as a table of what moved, and written to
``data/scenarios/calibrated.yaml`` (the same draws and seed write the same file).
"""

from __future__ import annotations

import argparse

from ..errors import DataError
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
        "central equals the outturn (linear: proportional, checked by re-costing; brent: a "
        "bracketed root search otherwise).",
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
            f"{r.ratio:.2f}" if r.comparable else "—",
            r.outturn.use,
        ]
        for r in ev.rows
    ]
    headers = ["outturn", "geography", "period", "outturn 万元", "range 万元", "costed 万元"]
    lines.append(render([*headers, "ratio", "use"], rows, right={3, 4, 5, 6}))
    for r in ev.rows:
        if not r.comparable:
            lines.append("")
            lines.append(f"{r.outturn.id}: {r.not_covered_text()}")
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


MAX_CALIBRATION_DRAWS = 200_000  # each drawn assumption's draws held at once: about 140 MB


def _calibrate_args(p: argparse.ArgumentParser) -> None:
    from ..analysis.calibration import CALIBRATION_DRAWS

    run_args(p, whose=f"{CALIBRATION_DRAWS:,} draws, the scenario's seed")
    p.add_argument(
        "--no-write",
        action="store_true",
        help="show the posterior without writing data/scenarios/calibrated.yaml",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output in 元")


def calibration_text(cal, path) -> str:
    from ..analysis.calibration import fit_table, posterior_table, summary

    moved = posterior_table(cal, identified_only=True)
    lines = [
        f"Joint calibration of scenario '{cal.prior.name}' to every outturn",
        summary(cal),
        "",
        "Outturns (10k yuan): Jinan-scaled range, costed mean (P5–P95) before and after",
        fit_table(cal).to_string(index=False),
        "",
        "Assumptions the outturns identify (the others are not identified: no outturn reads them)",
        moved.to_string(index=False),
    ]
    if cal.conflicts:
        lines += ["", "Outturns that pull against each other (each alone, in prior sd):"]
        lines += [
            f"  {c.first} {c.first_shift:+.2f} vs {c.second} {c.second_shift:+.2f} on {c.assumption}"
            for c in cal.conflicts
        ]
    if path is not None:
        lines += ["", f"wrote {path}"]
    return "\n".join(lines)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..analysis import analyse
    from ..analysis.calibration import CALIBRATION_DRAWS, calibrate, write_calibrated
    from ..inputs.scenarios import load_scenario
    from ..paths import DATA_DIR

    draws = CALIBRATION_DRAWS if args.draws is None else args.draws
    if draws > MAX_CALIBRATION_DRAWS:
        raise DataError.single(
            "--draws",
            "draws",
            f"{draws:,} is more than the {MAX_CALIBRATION_DRAWS:,} draws the calibration holds "
            "at once (every assumption's draws)",
        )
    prior = analyse(load_scenario(args.scenario, args.data, draws=draws, seed=args.seed))
    cal = calibrate(prior, args.data)
    path = None if args.no_write else write_calibrated(cal, args.data or DATA_DIR)
    if args.json:
        json_out(cal.to_json() | {"written": None if path is None else str(path)})
    else:
        print(calibration_text(cal, path))
    return EXIT_OK


command(
    "calibrate",
    "the joint posterior of the draws given every outturn; writes data/scenarios/calibrated.yaml",
)(_calibrate_args)(cmd_calibrate)
