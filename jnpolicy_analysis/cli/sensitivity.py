"""``jnpolicy sensitivity``: Sobol first-order and total indices of the costing (SALib).

A readable table of the top assumptions by total index for each output by default; ``--json``
gives ``{"scenario", "samples", "outputs": {"<output>": [{"assumption", "S1", "S1_conf", "ST",
"ST_conf"}]}}``. A bad scenario or sample size exits 2 with ``error: <file>: <field>: <message>``.
"""

from __future__ import annotations

import argparse

from ..formatting import render
from .app import EXIT_OK, command, json_out
from .checks import run_args

TOP = 10


def _samples(text: str) -> int:
    """The --samples value; a word that is not a whole number gets the same one-line error as a
    bad number (not argparse's usage block)."""
    from ..costing.sobol import check_samples
    from ..errors import DataError

    try:
        value = int(text)
    except ValueError:  # int() also refuses "" and 10**5000-digit words
        raise DataError.single(
            "--samples", "samples", f"must be a whole number, a power of two, got '{text}'"
        ) from None
    return check_samples(value)


def _args(p: argparse.ArgumentParser) -> None:
    run_args(p, draws=False)
    p.add_argument(
        "--samples",
        default="1024",
        help="base samples N, a power of two (default 1024; N x (assumptions + 2) evaluations)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")


def sensitivity_table(result) -> str:
    sc = result.scenario
    lines = [
        f"Sobol sensitivity of scenario '{sc.name}' ({sc.title_zh} / {sc.title_en})",
        f"{result.samples:,} base samples, {result.evaluations:,} evaluations over "
        f"{len(result.assumptions)} uncertain inputs (an assumption, or a common factor's group). "
        "S1: share of the output's variance "
        "explained by the assumption alone; ST: with its interactions. ± is the 95 % confidence "
        "half-width. Outputs are class-A totals (spending and forgone revenue).",
    ]
    for factor, members in result.groups.items():
        lines.append(
            f"{factor}: a common factor, one group of correlated inputs ({', '.join(members)})"
        )
    for name, frame in result.outputs.items():
        lines += ["", f"{name}: top {min(TOP, len(frame))} of {len(frame)} by total index"]
        if frame.empty:
            lines.append("does not vary with any assumption")
            continue
        rows = [
            [r.assumption, f"{r.S1:.3f} ± {r.S1_conf:.3f}", f"{r.ST:.3f} ± {r.ST_conf:.3f}"]
            for r in frame.head(TOP).itertuples()
        ]
        lines.append(render(["assumption", "S1", "ST"], rows, right={1, 2}))
    return "\n".join(lines)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..costing.sobol import run_sobol
    from ..inputs.scenarios import load_scenario

    samples = _samples(args.samples)
    result = run_sobol(load_scenario(args.scenario, args.data), samples=samples)
    if args.json:
        json_out(result.to_json())
    else:
        print(sensitivity_table(result))
    return EXIT_OK


command(
    "sensitivity",
    "Sobol first-order and total indices of the class-A total and each document's (SALib)",
)(_args)(cmd_sensitivity)
