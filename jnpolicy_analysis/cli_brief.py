"""``jnpolicy brief``: the briefing pack (briefing.pdf and briefing.pptx) of one scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli import EXIT_OK, command


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{text}'") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {value}")
    return value


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", default="central", help="scenario name (default: central)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    p.add_argument(
        "--out", type=Path, default=Path("."), metavar="DIR", help="folder (default: here)"
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date shown (default: today)")
    p.add_argument("--draws", type=_positive, metavar="N", help="draws (default: the scenario's)")
    p.add_argument("--seed", type=int, metavar="S", help="random seed (default: the scenario's)")


def cmd_brief(args: argparse.Namespace) -> int:
    from .brief import write_briefing

    pack = write_briefing(
        args.scenario,
        args.out,
        lang=args.lang,
        as_of=args.as_of,
        data_dir=args.data,
        draws=args.draws,
        seed=args.seed,
    )
    print(f"wrote {pack.pdf} and {pack.pptx}")
    return EXIT_OK


command("brief", "write the briefing pack (A4 PDF and PPTX slides) of a scenario")(_args)(cmd_brief)
