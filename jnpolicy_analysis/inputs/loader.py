"""Reading and validating the input files. Every error in a file is collected and reported
together; nothing half-loaded is ever returned.

Every input is read through ``read_bytes_checked``: only regular files (a directory, FIFO, device
or socket under an input's name is refused, never opened for reading), at most ``MAX_FILE_BYTES``
(5 MB) each, with a UTF-8 name. YAML is parsed with a safe loader that also refuses a key written
twice, a key that is not a plain name or number (``? [a, b]``), an impossible date
(``2020-02-30``), nesting deeper than ``MAX_DEPTH`` levels and any alias (``*name``: a value
written once and repeated by reference, which a few hundred bytes can blow up to billions of
values, "billion laughs"), each naming the line. Aliases are found in the parser's event stream,
before any node is composed or expanded, so such a file is refused at once.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import DataError, Problem
from ..units import did_you_mean
from .schemas import BaselineFile, PolicyDocument, Scenario, TargetDocument
from .schemas.common import problems_from
from .schemas.outturn import Outturn
from .schemas.register import Register

# In targets/: the tracker's settings, not a target document (see parse and yaml_files).
TRACKING_FILE = "tracking.yaml"

KINDS: dict[str, type[BaseModel]] = {
    "policies": PolicyDocument,
    "targets": TargetDocument,
    "baseline": BaselineFile,
    "scenarios": Scenario,
    "outturns": Outturn,  # amounts actually paid or forgone (jnpolicy evaluate)
    "register": Register,  # higher-level policy and each measure's dated status
}


MAX_FILE_BYTES = 5 * 1024 * 1024  # an input file's size cap (README: "Input files")
MAX_DEPTH = 64  # nesting levels of a YAML file; the schemas need fewer than 10
# The most measures of a catalog, all documents together (the four gazette documents hold about
# 90): a run costs each one, so a file of thousands would make every command take minutes.
MAX_MEASURES = 300


def _display(path: Path | str) -> str:
    """A path as text that can always be printed (bytes of a non-UTF-8 name escaped)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def read_bytes_checked(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, or DataError when it is missing, not a regular file
    (a directory, FIFO, device, socket, or a link to one), larger than ``limit`` or has a name
    that is not UTF-8. A FIFO is never opened, so reading cannot hang."""
    shown = _display(path)
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise DataError.single(shown, "(file name)", "is not UTF-8; rename it") from None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError.single(shown, "(file)", "no such file") from None
    except OSError as exc:
        raise DataError.single(shown, "(file)", f"cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError.single(shown, "(file)", "is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise DataError.single(
            shown, "(file)", "is not a regular file (a FIFO, device or socket); expected a file"
        )
    if info.st_size > limit:
        raise DataError.single(
            shown,
            "(file)",
            f"is {info.st_size / 1e6:.1f} MB, over the {limit / 1024 / 1024:.0f} MB limit "
            "of an input file",
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DataError.single(shown, "(file)", f"cannot be read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        body = fh.read(limit + 1)
    if len(body) > limit:
        raise DataError.single(
            shown, "(file)", f"is over the {limit / 1024 / 1024:.0f} MB limit of an input file"
        )
    return body


def read_text_checked(path: Path, encoding: str = "utf-8") -> str:
    """``read_bytes_checked`` decoded; DataError when the text is not UTF-8."""
    body = read_bytes_checked(path)
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError.single(_display(path), "(file)", f"not UTF-8 text ({exc.reason})") from None


# libyaml's parser when PyYAML was built with it (its wheels are): the same safe constructor, about
# ten times faster to parse the policies than the pure-Python one
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """SafeLoader (no Python objects from tags) that also refuses a key written twice, a key that
    is not a scalar, and an impossible date."""


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a valid date ({exc})", node.start_mark
        ) from None


def _construct_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain name, not a {kind}", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, dt.date | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain name, got {key!r}", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _too_deep(node: yaml.Node, limit: int = MAX_DEPTH) -> yaml.Node | None:
    """The first node nested deeper than ``limit``, found without recursion."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return current
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend((v, depth + 1) for _, v in current.value)
    return None


def _refuse_aliases(text: str) -> None:
    """Raise ConstructorError at the first alias of ``text`` (the inputs never need one). Only the
    parser's events are read, one at a time: nothing is expanded, so the check is linear in the
    text. Skipped when the text holds no ``&`` (an alias needs an anchor; a lone ``*x`` is a
    composer error anyway)."""
    if "&" not in text:
        return
    for event in yaml.parse(text, Loader=_SafeBase):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"YAML alias '*{event.anchor}' not allowed (an alias can expand a small file "
                "into billions of values); write the value out",
                event.start_mark,
            )


def _load_yaml(text: str):
    """Refuse aliases, compose (flow nesting is parsed without deep recursion up to the limit
    checked here), then construct."""
    _refuse_aliases(text)
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        deep = _too_deep(node)
        if deep is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", deep.start_mark
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file into a mapping, or raise DataError naming the file and the line."""
    text = read_text_checked(path)
    if not text.strip():
        raise DataError.single(path, "(file)", "file is empty")
    try:
        data = _load_yaml(text)
    except RecursionError:
        raise DataError.single(
            path, "(file)", f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "maximum nesting depth" in str(problem):  # libyaml's own limit (1,000 levels)
            problem = f"nested deeper than {MAX_DEPTH} levels"
        if "python/" in str(exc) or "could not determine a constructor" in str(exc):
            problem = f"YAML tag not allowed: {problem}"
        raise DataError.single(path, where, f"invalid YAML: {problem}") from None
    if data is None:
        raise DataError.single(path, "(file)", "file is empty")
    if not isinstance(data, dict):
        raise DataError.single(
            path, "(top level)", f"expected a mapping, got {type(data).__name__}"
        )
    return data


def kind_of(path: Path) -> str | None:
    """The kind of an input file from the folder it sits in."""
    for part in reversed(path.resolve().parts[:-1]):
        if part in KINDS:
            return part
    return None


def check_data_folders(
    files: list[Path], kinds: tuple[str, ...], check: Callable[[Path], Any], kind: str | None = None
) -> list[Any]:
    """For ``jnpolicy validate``: run ``check`` once on every data folder (one holding policies/
    and baseline/) that one of ``files`` of ``kinds`` sits in; raise DataError with every problem
    that the checks found, folder after folder; else return what each check returned."""
    folders: list[Path] = []
    for f in files:
        k = kind or kind_of(f)
        if k not in kinds:
            continue
        parts = f.parts if k in f.parts[:-1] else f.resolve().parts
        if k not in parts[:-1]:
            continue
        root = Path(*parts[: len(parts) - 2 - parts[:-1][::-1].index(k)] or ".")
        if (root / "policies").is_dir() and (root / "baseline").is_dir() and root not in folders:
            folders.append(root)
    problems: list[Problem] = []
    results = []
    for root in folders:
        try:
            results.append(check(root))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return results


Reader = Callable[[Path, str], Callable[[Path], Any] | None]


def parse(path: Path, kind: str, special: Reader | None = None) -> Any:
    """Read and validate one file as ``kind``; raise DataError with every problem in it.

    ``special(path, kind)`` may return the reader of a file that is not a document of its kind:
    in ``targets/``, the tracker's observations (``.csv``) and settings (``tracking.yaml``) are
    read by ``targets.config.tracker_reader``, which the loader does not import (it sits above)."""
    if kind not in KINDS:
        raise DataError.single(
            path,
            "--kind",
            f"unknown kind '{kind}'" + did_you_mean(kind, KINDS),
        )
    reader = special(path, kind) if special is not None else None
    if reader is not None:
        return reader(path)
    data = read_yaml(path)
    listed = data.get("measures") if kind == "policies" else None
    if isinstance(listed, list) and len(listed) > MAX_MEASURES:  # before validating each one
        raise DataError.single(
            path,
            "measures",
            f"{len(listed):,} measures: more than the {MAX_MEASURES} a run is bounded to "
            "(every command costs or lists each of them)",
        )
    model = KINDS[kind]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataError(problems_from(exc, path, model)) from None


def parse_many(
    paths: list[Path], kind: str | None = None, special: Reader | None = None
) -> list[Any]:
    """Validate several files, collecting the problems of all of them before raising."""
    problems: list[Problem] = []
    out: list[Any] = []
    for path in paths:
        k = kind or kind_of(path)
        if k is None:
            problems.append(
                Problem(
                    str(path), "(file)", "cannot tell the kind of file from its folder; pass --kind"
                )
            )
            continue
        try:
            out.append(parse(path, k, special))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        # a file another one depends on (targets for observations.csv) may report twice
        raise DataError(list(dict.fromkeys(problems)))
    return out


def yaml_files(folder: Path) -> list[Path]:
    """The documents of a data folder: its ``*.yaml`` files except ``_*`` and, in ``targets/``,
    the tracker's ``tracking.yaml``."""
    odd = sorted(
        p for p in folder.glob("*") if p.suffix.lower() in (".yaml", ".yml") and p.suffix != ".yaml"
    )
    if odd:  # names are matched exactly: X.YAML or x.yml would silently not be read
        raise DataError(
            [
                Problem(
                    _display(p),
                    "(file name)",
                    f"not read: only names ending '.yaml' are; rename it to '{p.stem}.yaml'",
                )
                for p in odd
            ]
        )
    return sorted(
        p
        for p in folder.glob("*.yaml")
        if not p.name.startswith("_") and not (folder.name == "targets" and p.name == TRACKING_FILE)
    )


def case_hint(path: Path) -> str:
    """ " (found 'X', whose name differs only in case; names are matched exactly)" when the folder
    of the missing ``path`` holds such a file, else ""."""
    try:
        others = [p.name for p in path.parent.iterdir() if p.name.lower() == path.name.lower()]
    except OSError:
        return ""
    others = [n for n in others if n != path.name]
    if not others:
        return ""
    return f" (found '{others[0]}', whose name differs only in case; names are matched exactly)"
