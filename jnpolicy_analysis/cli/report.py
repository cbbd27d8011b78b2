"""``jnpolicy report``: run the notebooks for scenarios and publish a dated report."""

from __future__ import annotations

import argparse
import sys

from ..errors import DataError
from ..publish.runner import DEFAULT_WORKERS
from .app import EXIT_FAILED, EXIT_OK, command
from .checks import (
    draws_fit,
    existing_folder,
    path_type,
    run_args,
    text_type,
    wait_type,
    workers_type,
    writable_folder,
)


def _args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--scenario",
        action="append",
        type=text_type("scenario"),
        metavar="NAME",
        help="a scenario to run (repeatable)",
    )
    group.add_argument(
        "--all", action="store_true", help="every scenario in data/scenarios/ (the default)"
    )
    p.add_argument(
        "--as-of",
        type=text_type("as_of"),
        metavar="YYYY-MM-DD",
        help="the report date (default: today)",
    )
    p.add_argument(
        "--out",
        type=path_type("out"),
        metavar="DIR",
        help="reports folder (default: the project's reports/)",
    )
    p.add_argument(
        "--workers",
        type=workers_type,
        default=DEFAULT_WORKERS,
        metavar="N",
        help="notebooks run at once (default: one more than the cores, to use the time kernels"
        " spend starting)",
    )
    run_args(p, scenario=False, whose="each scenario's own")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="chart labels (default zh)")
    p.add_argument(
        "--wait",
        type=wait_type,
        default=0,
        metavar="SECONDS",
        help="if another run is in progress, wait this long for it, then give up (default: give up at once)",
    )
    p.add_argument(
        "--notebooks",
        type=path_type("notebooks"),
        metavar="DIR",
        help="folder of the notebooks to run (default: the project's notebooks/)",
    )
    p.add_argument(
        "--allow-future",
        action="store_true",
        help="accept an --as-of more than a year after today (`latest` follows the newest --as-of)",
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
    from ..publish.prune import check_keep

    try:
        return check_keep(int(text))
    except (ValueError, DataError):
        raise argparse.ArgumentTypeError(
            f"keep: must be a whole number of at least 1, got '{text[:40]}'"
        ) from None


def cmd_report(args: argparse.Namespace) -> int:
    from ..paths import REPORTS_DIR
    from ..publish.runner import DiskFull, Interrupted, ReportFailed, parse_as_of, run_report

    # everything the command line can get wrong, before a kernel starts or a folder is made
    if args.as_of is not None:
        parse_as_of(args.as_of)
    if args.notebooks is not None:
        existing_folder("--notebooks", "notebooks", args.notebooks)
    writable_folder("--out", "out", args.out if args.out is not None else REPORTS_DIR)
    draws_fit("--draws", args.draws, copies=args.workers)
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
            allow_future=args.allow_future,
        )
    except KeyboardInterrupt:  # before the run had started
        print("error: (run): interrupted by SIGINT: nothing published", file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(
            f"error: (run): interrupted by {exc}: kernels stopped, nothing published, "
            "the last good report is unchanged",
            file=sys.stderr,
        )
        return exc.exit_code
    except DiskFull as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except ReportFailed as exc:
        print(f"error: (run): report failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"report for {', '.join(result.scenarios)} published at {result.run_dir / 'index.html'}")
    if result.latest and result.latest != result.as_of:
        print(
            f"note: latest stays on {result.latest}, a newer --as-of than {result.as_of}"
            " (latest is the newest --as-of)"
        )
    print(f"took {result.timings['total']:.1f} s")
    if args.keep:
        from ..paths import REPORTS_DIR
        from ..publish.prune import PruneRefused, prune_reports

        try:
            pruned = prune_reports(args.out or REPORTS_DIR, args.keep, wait=args.wait)
        except PruneRefused as exc:
            print(f"prune skipped: {exc}", file=sys.stderr)
            return EXIT_FAILED
        if pruned.removed:
            print(f"removed the runs of {', '.join(pruned.removed)} (--keep {args.keep})")
        if pruned.linked:
            print(
                f"kept the runs of {', '.join(pruned.linked)}: a link in the reports folder "
                "points into them"
            )
    return EXIT_OK


command("report", "run the notebooks for scenarios and publish a dated report")(_args)(cmd_report)
