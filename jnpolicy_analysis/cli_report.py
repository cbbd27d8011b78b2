"""``jnpolicy report``: run the notebooks for scenarios and publish a dated report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import EXIT_FAILED, EXIT_OK, command
from .errors import DataError
from .reporting import DEFAULT_WORKERS


def _args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--scenario", action="append", metavar="NAME", help="a scenario to run (repeatable)"
    )
    group.add_argument(
        "--all", action="store_true", help="every scenario in data/scenarios/ (the default)"
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the report date (default: today)")
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="reports folder (default: the project's reports/)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help="notebooks run at once (default: one more than the cores, to use the time kernels"
        " spend starting)",
    )
    p.add_argument(
        "--draws", type=int, metavar="N", help="Monte Carlo draws (default: each scenario's own)"
    )
    p.add_argument(
        "--seed", type=int, metavar="S", help="random seed (default: each scenario's own)"
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="chart labels (default zh)")
    p.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="if another run is in progress, wait this long for it, then give up (default: give up at once)",
    )
    p.add_argument(
        "--notebooks",
        type=Path,
        metavar="DIR",
        help="folder of the notebooks to run (default: the project's notebooks/)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar (for cron)")
    p.add_argument(
        "--keep",
        type=_keep,
        metavar="N",
        help="after publishing, keep the N newest complete runs and remove older ones (never the"
        " run `latest` points to, nor a run in progress)",
    )


def _keep(text: str) -> int:
    from .retention import check_keep

    try:
        return check_keep(int(text))
    except (ValueError, DataError):
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least 1, got '{text}'"
        ) from None


def cmd_report(args: argparse.Namespace) -> int:
    from .reporting import ReportFailed, run_report

    try:
        result = run_report(
            args.scenario,
            as_of=args.as_of,
            out_dir=args.out,
            workers=args.workers,
            draws=args.draws,
            seed=args.seed,
            lang=args.lang,
            data_dir=args.data,
            notebooks_dir=args.notebooks,
            lock_timeout=args.wait,
            progress=not args.quiet,
        )
    except ReportFailed as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"report for {', '.join(result.scenarios)} published at {result.run_dir / 'index.html'}")
    print(f"took {result.timings['total']:.1f} s")
    if args.keep:
        from .paths import REPORTS_DIR
        from .retention import PruneRefused, prune_reports

        try:
            pruned = prune_reports(args.out or REPORTS_DIR, args.keep, wait=args.wait)
        except PruneRefused as exc:
            print(f"prune skipped: {exc}", file=sys.stderr)
            return EXIT_FAILED
        if pruned.removed:
            print(f"removed the runs of {', '.join(pruned.removed)} (--keep {args.keep})")
    return EXIT_OK


command("report", "run the notebooks for scenarios and publish a dated report")(_args)(cmd_report)
