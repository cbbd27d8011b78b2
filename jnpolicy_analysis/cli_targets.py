"""``jnpolicy targets``: every numeric target of the plans with its baseline, latest figure,
required growth, probability of being met and status, then the consistency of the plans."""

from __future__ import annotations

import argparse

from .cli import EXIT_OK, _json_out, command
from .cli_checks import draws_fit, draws_type, seed_type, text_type


def _targets_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario",
        type=text_type("scenario"),
        default="central",
        help="scenario name (default: central)",
    )
    p.add_argument(
        "--draws", type=draws_type, default=None, help="Monte Carlo draws (default: the scenario's)"
    )
    p.add_argument(
        "--seed", type=seed_type, default=None, help="random seed (default: the scenario's)"
    )
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (the contract in DESIGN.md)"
    )


def cmd_targets(args: argparse.Namespace) -> int:
    from .targets import track_targets

    draws_fit("--draws", args.draws)
    report = track_targets(args.scenario, args.data, draws=args.draws, seed=args.seed)
    if args.json:
        _json_out(report.to_json())
    else:
        print(report.to_text())
    return EXIT_OK


command("targets", "track the plans' numeric targets and check the plans add up")(_targets_args)(
    cmd_targets
)
