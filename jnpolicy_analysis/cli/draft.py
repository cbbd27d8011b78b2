"""``jnpolicy draft TEXT --doc NUMBER [--out FILE]``: the YAML skeleton of a policy document, every
number of its text with its unit, comparator and verbatim quote (``inputs.draft``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DataError
from .app import EXIT_OK, command


def _args(p: argparse.ArgumentParser) -> None:
    from .checks import path_type, text_type

    p.add_argument("text", type=path_type("text"), metavar="TEXT", help="the policy text (UTF-8)")
    p.add_argument(
        "--doc",
        type=text_type("doc"),
        required=True,
        metavar="NUMBER",
        help="the document's number as printed, e.g. 济政发〔2020〕1号",
    )
    p.add_argument(
        "--out",
        type=path_type("out"),
        default=None,
        metavar="FILE",
        help="write the skeleton here (default: standard output); an existing file is not replaced",
    )


def cmd_draft(args: argparse.Namespace) -> int:
    from ..inputs.draft import draft, squash
    from ..inputs.loader import read_text_checked

    if args.out is not None and args.out.exists():
        raise DataError.single(
            "--out", "out", f"'{args.out}' exists: a draft never replaces a file; name a new one"
        )
    if args.out is not None and not args.out.parent.is_dir():
        parent = args.out.parent
        if parent.exists():
            raise DataError.single(
                "--out", "out", f"'{args.out}' is inside '{parent}', which is a file"
            )
        raise DataError.single("--out", "out", f"no such folder '{parent}'")
    text = read_text_checked(args.text)
    if not text.strip():
        raise DataError.single(args.text, "(file)", "the text is empty")
    doc = squash(args.doc)
    body, entries = draft(text, doc, source=Path(args.text).name)
    if args.out is None:
        sys.stdout.write(body)
    else:
        tmp = args.out.with_name(f".{args.out.name}.tmp")
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(args.out)
    clauses = len({e.clause for e in entries})
    where = args.out if args.out is not None else "standard output"
    print(
        f"draft: {len(entries)} numbers in {clauses} clauses of {doc} written to {where}; "
        "review it, then remove 'draft: true'",
        file=sys.stderr,
    )
    return EXIT_OK


command("draft", "write a YAML skeleton of a policy text: every number with its quote")(_args)(
    cmd_draft
)
