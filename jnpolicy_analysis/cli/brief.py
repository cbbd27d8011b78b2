"""``jnpolicy brief``: the briefing pack (briefing.pdf and briefing.pptx) of one scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

from .app import EXIT_OK, command
from .checks import (
    check_draws_seed,
    draws_fit,
    path_type,
    run_args,
    text_type,
    writable_folder,
)


def _args(p: argparse.ArgumentParser) -> None:
    run_args(p)
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    p.add_argument(
        "--out",
        type=path_type("out"),
        default=Path("."),
        metavar="DIR",
        help="folder (default: here)",
    )
    p.add_argument(
        "--as-of",
        type=text_type("as_of"),
        metavar="YYYY-MM-DD",
        help="the date shown (default: today)",
    )


def cmd_brief(args: argparse.Namespace) -> int:
    from ..analysis import open_analysis
    from ..publish.brief import write_briefing
    from ..publish.runner import parse_as_of

    # everything the command line can get wrong, before any costing runs or a file is written
    check_draws_seed(args.draws, args.seed)
    writable_folder("--out", "out", args.out)
    draws_fit("--draws", args.draws)
    as_of = parse_as_of(args.as_of)
    analysis = open_analysis(args.scenario, args.data, args.draws, args.seed, as_of=as_of)
    pack = write_briefing(analysis, args.out, lang=args.lang, as_of=as_of)
    print(f"wrote {pack.pdf} and {pack.pptx}")
    return EXIT_OK


command("brief", "write the briefing pack (A4 PDF and PPTX slides) of a scenario")(_args)(cmd_brief)
