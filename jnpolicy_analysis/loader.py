"""Reading and validating the input files. Every error in a file is collected and reported
together; nothing half-loaded is ever returned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem
from .schemas import BaselineFile, PolicyDocument, Scenario, TargetDocument
from .schemas.common import problems_from
from .units import did_you_mean

# In targets/: the tracker's settings, not a target document (see parse and yaml_files).
TRACKING_FILE = "tracking.yaml"

KINDS: dict[str, type[BaseModel]] = {
    "policies": PolicyDocument,
    "targets": TargetDocument,
    "baseline": BaselineFile,
    "scenarios": Scenario,
}


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader (no Python objects from tags) that also refuses a key written twice."""


def _construct_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file into a mapping, or raise DataError naming the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError.single(path, "(file)", "no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError.single(path, "(file)", f"not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise DataError.single(path, "(file)", "file is empty")
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
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


Reader = Callable[[Path, str], Callable[[Path], Any] | None]


def parse(path: Path, kind: str, special: Reader | None = None) -> Any:
    """Read and validate one file as ``kind``; raise DataError with every problem in it.

    ``special(path, kind)`` may return the reader of a file that is not a document of its kind:
    in ``targets/``, the tracker's observations (``.csv``) and settings (``tracking.yaml``) are
    read by ``observations.tracker_reader``, which the loader does not import (it sits above)."""
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
    return sorted(
        p
        for p in folder.glob("*.yaml")
        if not p.name.startswith("_") and not (folder.name == "targets" and p.name == TRACKING_FILE)
    )
