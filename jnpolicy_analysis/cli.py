"""The ``jnpolicy`` command line.

Exit codes: 0 success; 2 bad input (``error: <file>: <field>: <message>`` on stderr, no traceback,
nothing written); 1 a run that failed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import DataError
from .units import did_you_mean

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
MAX_ERRORS = 50  # problems printed; then "and N more"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in our format and with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: (command line): {self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="input folder holding policies/, baseline/, scenarios/, targets/ (default: the project's data/)",
    )


def strict_json(obj: object) -> object:
    """``obj`` with every NaN or infinity replaced by None, so that the output is strict JSON."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: strict_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [strict_json(v) for v in obj]
    return obj


def _json_out(obj: object) -> None:
    """Strict JSON (no NaN or Infinity, which strict parsers reject) on stdout."""
    json.dump(
        strict_json(obj), sys.stdout, ensure_ascii=False, indent=2, default=str, allow_nan=False
    )
    sys.stdout.write("\n")


# --------------------------------------------------------------------------- catalog


def cmd_catalog(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .tables import catalog_summary

    cat = load_catalog(args.data)
    if args.doc and args.doc not in cat.documents and args.doc not in cat.target_documents:
        raise DataError.single(
            "--doc",
            "doc",
            f"unknown document '{args.doc}'"
            + did_you_mean(args.doc, [*cat.documents, *cat.target_documents]),
        )
    if args.json:
        _json_out(cat.to_json(args.doc))
    else:
        print(catalog_summary(cat, args.doc))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .loader import KINDS, parse_many
    from .observations import tracker_reader

    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".csv"))
            )
        else:
            files.append(path)
    if args.kind and args.kind not in KINDS:
        raise DataError.single(
            "--kind",
            "kind",
            f"unknown kind '{args.kind}'" + did_you_mean(args.kind, KINDS),
        )
    parse_many(files, args.kind, tracker_reader)
    from .costing.run import check_costings

    check_costings(files, args.kind)  # each costing block against its data folder's baseline
    for f in files:
        print(f"ok: {f}")
    return EXIT_OK


# --------------------------------------------------------------------------- registry

# Each entry: name -> (help, function that adds arguments, handler). Later modules register here.
COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
] = {}


def command(name: str, help_text: str):
    def wrap(add_args: Callable[[argparse.ArgumentParser], None]):
        def bind(handler: Callable[[argparse.Namespace], int]):
            COMMANDS[name] = (help_text, add_args, handler)
            return handler

        return bind

    return wrap


def _catalog_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", help="only this document, e.g. 济政发〔2020〕1号")
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (the contract in DESIGN.md)"
    )


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to check")
    p.add_argument(
        "--kind",
        help="policies, baseline, scenarios or targets (default: from the folder the file sits in)",
    )


command("catalog", "list every measure, number and target of the gazette documents")(_catalog_args)(
    cmd_catalog
)
command("validate", "check policy, baseline, scenario and target files")(_validate_args)(
    cmd_validate
)


def _register_optional() -> None:
    """Commands that live in their own modules register themselves on import."""
    import importlib

    for module in ("cli_costing", "cli_sensitivity", "cli_targets", "cli_report"):
        try:
            importlib.import_module(f".{module}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise


def build_parser() -> argparse.ArgumentParser:
    _register_optional()
    parser = _Parser(
        prog="jnpolicy",
        description="Cost Jinan's March 2020 subsidy policies and track the targets they serve.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"jnpolicy {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (help_text, add_args, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_args(p)
        _add_data(p)
        p.set_defaults(handler=handler)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except DataError as exc:
        for problem in exc.problems[:MAX_ERRORS]:
            print(problem, file=sys.stderr)
        if len(exc.problems) > MAX_ERRORS:
            more = len(exc.problems) - MAX_ERRORS
            print(f"error: (input): (more): and {more:,} more not shown", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
