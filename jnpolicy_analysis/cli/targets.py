"""``jnpolicy targets``: every numeric target of the plans with its baseline, latest figure,
required growth, probability of being met, status and — after its deadline — its verdict, then the
consistency of the plans. ``jnpolicy observe``: append a public figure to the observations."""

from __future__ import annotations

import argparse

from ..paths import DATA_DIR
from .app import EXIT_OK, command, json_out
from .checks import draws_fit, run_args, text_type


def _targets_args(p: argparse.ArgumentParser) -> None:
    run_args(p)
    p.add_argument(
        "--as-of",
        type=text_type("as_of"),
        metavar="YYYY-MM-DD",
        default=None,
        help="judge the targets as at this date (default: today); past a deadline, a verdict",
    )
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (docs/json_output.md)"
    )


def cmd_targets(args: argparse.Namespace) -> int:
    from ..targets import track_targets
    from ..targets.report import parse_as_of

    if args.as_of is not None:
        parse_as_of(args.as_of)
    from ..inputs.scenarios import check_scenario_name, load_scenario

    draws_fit("--draws", args.draws)
    # draws from the scenario file (or one it extends) must fit in memory too, before the run
    sc = load_scenario(args.scenario, args.data, draws=args.draws, seed=args.seed)
    if args.draws is None:
        draws_fit(str(check_scenario_name(args.scenario, args.data or DATA_DIR)), sc.draws)
    report = track_targets(sc, as_of=args.as_of)
    if args.json:
        json_out(report.to_json())
    else:
        print(report.to_text())
    return EXIT_OK


command("targets", "track the plans' numeric targets and check the plans add up")(_targets_args)(
    cmd_targets
)


def _observe_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("metric", metavar="METRIC", help="a target id (or an extra metric)")
    p.add_argument("year", metavar="YEAR", help="the year the figure stands at, e.g. 2020")
    p.add_argument("value", metavar="VALUE", help="the figure, in --unit")
    p.add_argument(
        "--unit",
        type=text_type("unit"),
        required=True,
        help="the figure's unit, e.g. 个/年, 万家, 亿元",
    )
    p.add_argument(
        "--basis",
        required=True,
        choices=("observed", "proxy"),
        help="observed: measures the target; proxy: measures it only approximately",
    )
    p.add_argument(
        "--source",
        type=text_type("source"),
        required=True,
        help="where the figure comes from (a citation; 'public:' added)",
    )
    p.add_argument(
        "--low",
        type=text_type("low"),
        default=None,
        help="lower end, for a figure given as a range",
    )
    p.add_argument(
        "--high",
        type=text_type("high"),
        default=None,
        help="upper end, for a figure given as a range",
    )


def cmd_observe(args: argparse.Namespace) -> int:
    from ..inputs.scenarios import load_scenario
    from ..targets import track_targets
    from ..targets.observe import observe

    row = observe(
        args.metric,
        args.year,
        args.value,
        args.unit,
        args.basis,
        args.source,
        args.data,
        low=args.low,
        high=args.high,
    )
    print(f"appended: {row.metric} {row.year} = {row.value:g} {row.unit} ({row.kind})")
    report = track_targets(load_scenario("central", args.data, draws=200))
    r = report.result(row.metric) if row.metric in {x.id for x in report.results} else None
    if r is not None:
        if r.kind == "annual":
            print(f"{r.id} {row.year}: {r.years[str(row.year)]['status']}")
        print(f"{r.id}: status {r.status}, verdict {r.verdict or '— (before the deadline)'}")
        for h in r.serves:
            hr = report.result(h)
            basis = f" ({hr.verdict_basis})" if hr.verdict_basis else ""
            print(f"  serves {h}: verdict {hr.verdict}{basis}")
    return EXIT_OK


command("observe", "append a public figure to data/targets/observations.csv, checked first")(
    _observe_args
)(cmd_observe)
