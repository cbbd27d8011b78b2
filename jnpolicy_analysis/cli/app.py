"""The ``jnpolicy`` command line.

Exit codes: 0 success; 2 bad input (``error: <file>: <field>: <message>`` on stderr, no traceback,
nothing written); 1 a run that failed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import DataError, NonFiniteResult, inert
from ..units import did_you_mean

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
MAX_ERRORS = 50  # problems printed; then "and N more"


# argparse's message for a value its type= function refused: "argument --draws: draws: ..."
_BAD_VALUE = re.compile(r"^argument (?P<flag>[^:/\s]+)(?:/\S+)?: (?P<field>[a-z_]+): (?P<what>.+)$")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in our format, on one line, with exit code 2: a bad
    value as ``error: --flag: field: what is wrong``, anything else (an unknown flag, a missing
    argument) as ``error: (command line): <command>: <message> (see --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        m = _BAD_VALUE.match(message)
        if m:
            line = f"error: {m['flag']}: {m['field']}: {m['what']}"
        else:
            line = f"error: (command line): {self.prog}: {message} (see {self.prog} --help)"
        print(inert(line), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _add_data(p: argparse.ArgumentParser) -> None:
    from .checks import path_type

    p.add_argument(
        "--data",
        type=path_type("data"),
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


def json_out(obj: object) -> None:
    """Strict JSON (no NaN or Infinity, which strict parsers reject) on stdout."""
    json.dump(
        strict_json(obj), sys.stdout, ensure_ascii=False, indent=2, default=str, allow_nan=False
    )
    sys.stdout.write("\n")


# --------------------------------------------------------------------------- catalog


def cmd_catalog(args: argparse.Namespace) -> int:
    from ..inputs.catalog import load_catalog
    from .tables import catalog_summary

    cat = load_catalog(args.data)
    if (
        args.doc is not None
        and args.doc not in cat.documents
        and args.doc not in cat.target_documents
    ):
        raise DataError.single(
            "--doc",
            "doc",
            f"unknown document '{args.doc}'"
            + did_you_mean(args.doc, [*cat.documents, *cat.target_documents]),
        )
    if args.json:
        json_out(cat.to_json(args.doc))
    else:
        print(catalog_summary(cat, args.doc))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from ..inputs.loader import KINDS, parse_many
    from ..targets.config import tracker_reader
    from .checks import inside_file

    if args.kind is not None and args.kind not in KINDS:
        raise DataError.single(
            "--kind",
            "kind",
            f"unknown kind '{args.kind}'" + did_you_mean(args.kind, KINDS),
        )
    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml", ".csv")
                and p.is_file()
                and "sources" not in p.relative_to(path).parts  # data/sources: the gazette
            )
            if not found:
                raise DataError.single(path, "(folder)", "no input files (*.yaml, *.csv) in it")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif (holder := inside_file(path)) is not None:
            raise DataError.single(path, "(file)", f"is inside '{holder}', which is a file")
        else:
            raise DataError.single(path, "(file)", "no such file or folder")
    parse_many(files, args.kind, tracker_reader)
    from ..costing.run import check_costings
    from ..errors import Problem
    from ..inputs.loader import check_data_folders
    from ..inputs.sources import check_sources

    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:  # every quote of every document against its own text in sources/
        check_data_folders(files, ("policies", "targets"), check_sources, args.kind)
    except DataError as exc:
        problems += exc.problems
    try:  # each costing block against its data folder's baseline; warnings: printed numbers unread
        warnings = check_costings(files, args.kind)
    except DataError as exc:
        problems += exc.problems
    if problems:
        raise DataError(problems)
    from ..analysis.evaluation import check_outturn_files

    check_outturn_files(files, args.kind)  # each outturn's measures and assumptions
    for w in warnings:
        print(f"warning: {w.file}: {w.field}: {w.message}", file=sys.stderr)
    for f in files:
        print(f"ok: {f}")
    return EXIT_OK


# --------------------------------------------------------------------------- registry

# Each entry: name -> (help, function that adds arguments, handler). The command modules of this
# package register here; the package's __init__ imports every one of them.
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
    from .checks import text_type

    p.add_argument(
        "--doc", type=text_type("doc"), help="only this document, e.g. 济政发〔2020〕1号"
    )
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (docs/json_output.md)"
    )


def _validate_args(p: argparse.ArgumentParser) -> None:
    from .checks import path_type, text_type

    p.add_argument(
        "paths", nargs="+", type=path_type("path"), metavar="PATH", help="files or folders to check"
    )
    p.add_argument(
        "--kind",
        type=text_type("kind"),
        help="policies, baseline, scenarios or targets (default: from the folder the file sits in)",
    )


command("catalog", "list every measure, number and target of the gazette documents")(_catalog_args)(
    cmd_catalog
)
command("validate", "check policy, baseline, scenario and target files")(_validate_args)(
    cmd_validate
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jnpolicy",
        description="Cost Jinan's March 2020 subsidy policies and track the targets they serve.",
    )
    from .. import __version__

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
    from .checks import data_folder

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        data_folder(args.data, args.command)
        return args.handler(args)
    except DataError as exc:
        for problem in exc.problems[:MAX_ERRORS]:
            print(problem, file=sys.stderr)
        if len(exc.problems) > MAX_ERRORS:
            more = len(exc.problems) - MAX_ERRORS
            print(f"error: (input): (more): and {more:,} more not shown", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NonFiniteResult as exc:  # a costing gave NaN or infinity no input explains
        print(exc.problem, file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into head
        return EXIT_OK
    except MemoryError:
        print(
            f"error: (run): memory: the {args.command} run ran out of memory; try fewer --draws",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except OSError as exc:  # a file that cannot be read or written, found only once work began
        where = exc.filename if exc.filename is not None else "(file)"
        print(f"error: {where}: (file): {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
