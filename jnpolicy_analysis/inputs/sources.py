"""The texts of the documents, ``<data>/sources/``, and the check of every quote against them.

``sources/sources.yaml`` lists each text: its ``file`` (in that folder), the ``documents`` it holds
(their numbers as printed), its ``sha256``, ``title``, ``date`` and ``publisher``. Every quote of a
document (its parameters, periods, funding words, facts and targets) must stand verbatim in that
document's own text (whitespace aside: the gazette prints spaces between numbers and words), and
the number it supports must stand inside it. A document with no text is an error naming it; a
quote not found names the nearest passage of the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from ..errors import DataError, Problem
from .catalog import Catalog
from .draft import document_text, numbers_in, squash
from .loader import read_bytes_checked, read_yaml
from .schemas.common import Strict, problems_from

SOURCES = "sources"
SOURCES_YAML = "sources.yaml"


class Source(Strict):
    """One text of ``sources/``: the file and the documents it holds, with what identifies it."""

    file: str = Field(min_length=1)
    documents: list[str] = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str = Field(min_length=2)
    date: dt.date
    publisher: str = Field(min_length=2)
    issue: str | None = None
    serial: str | None = None
    encoding: str = "UTF-8"
    note: str | None = None

    @field_validator("file")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        if "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"'{name}' must be a file name in sources/, not a path")
        return name

    @field_validator("documents")
    @classmethod
    def _numbers(cls, docs: list[str]) -> list[str]:
        for d in docs:
            if squash(d) != d:
                raise ValueError(f"document number '{d}' has spaces: write it without them")
        return docs


class SourcesFile(Strict):
    sources: list[Source] = Field(default_factory=list)


def sources_file(data_dir: Path) -> Path:
    return Path(data_dir) / SOURCES / SOURCES_YAML


def load_sources(data_dir: Path) -> SourcesFile:
    """``<data_dir>/sources/sources.yaml``; DataError naming the file when it is missing or bad."""
    path = sources_file(data_dir)
    if not path.is_file():
        raise DataError.single(
            path,
            "(file)",
            "no sources.yaml: list each document's text (file, documents, sha256, title, date, "
            "publisher) so that its quotes can be checked",
        )
    try:
        return SourcesFile.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise DataError(problems_from(exc, path, SourcesFile)) from None


def _quotes(catalog: Catalog, doc: str) -> Iterator[tuple[str, str, float | None]]:
    """(field, quote, value it must hold) of every quote of the document ``doc``."""
    d = catalog.documents.get(doc)
    if d is not None:
        for m in d.measures:
            where = f"measures.{m.id}"
            if m.period is not None and m.period.quote:
                yield f"{where}.period.quote", m.period.quote, None
            if m.funding_quote:
                yield f"{where}.funding_quote", m.funding_quote, None
            for name, p in m.parameters.items():
                yield f"{where}.parameters.{name}.quote", p.quote, float(p.value)
        for f in d.facts:
            yield f"facts.{f.id}.quote", f.quote, float(f.value)
    td = catalog.target_documents.get(doc)
    if td is not None:
        for t in td.targets:
            for v in (t.value, t.value_max):
                if v is not None:
                    yield f"targets.{t.id}.quote", t.quote, float(v)


def nearest_passage(text: str, quote: str, width: int | None = None) -> str:
    """The passage of ``text`` (whitespace removed) most like ``quote``: the window of its length
    that shares the most pairs of characters with it, in order."""
    flat, q = squash(text), squash(quote)
    if not flat or not q:
        return ""
    n = width or len(q)
    where: dict[str, list[int]] = {}
    for k in range(len(flat) - 1):
        where.setdefault(flat[k : k + 2], []).append(k)
    votes: Counter[int] = Counter()
    for j in range(len(q) - 1):
        for k in where.get(q[j : j + 2], ()):
            votes[k - j] += 1
    if not votes:
        return flat[:n]
    start = max(0, min(votes, key=lambda s: (-votes[s], s)))
    return flat[start : start + n]


def _doc_texts(data_dir: Path, sources: SourcesFile) -> tuple[dict[str, str], list[Problem]]:
    """Each listed document's own text, and the problems of the texts (missing, wrong hash)."""
    yaml_path = sources_file(data_dir)
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for i, src in enumerate(sources.sources):
        path = Path(data_dir) / SOURCES / src.file
        try:
            body = read_bytes_checked(path)
        except DataError as exc:
            problems += [
                Problem(str(yaml_path), f"sources[{i}].file", f"{src.file}: {p.message}")
                for p in exc.problems
            ]
            continue
        digest = hashlib.sha256(body).hexdigest()
        if digest != src.sha256:
            problems.append(
                Problem(
                    str(yaml_path),
                    f"sources[{i}].sha256",
                    f"{src.file} has sha256 {digest}, not the {src.sha256} listed: the text "
                    "changed since it was listed (list the new hash once you have checked it)",
                )
            )
            continue
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(str(path), "(file)", f"not UTF-8 text ({exc.reason})"))
            continue
        for doc in src.documents:
            texts[doc] = document_text(text, doc)
    return texts, problems


def check_quotes(catalog: Catalog, data_dir: Path | None = None) -> list[Problem]:
    """Every problem of the quotes of every document of ``catalog`` against its own text."""
    data_dir = Path(data_dir or catalog.data_dir)
    try:
        sources = load_sources(data_dir)
    except DataError as exc:
        return exc.problems
    texts, problems = _doc_texts(data_dir, sources)
    listed = {d for s in sources.sources for d in s.documents}
    docs = [
        *catalog.documents,
        *(d for d in catalog.target_documents if d not in catalog.documents),
    ]
    for doc in docs:
        file = catalog.files.get(doc) or _target_file(catalog, doc)
        if doc not in listed:
            problems.append(
                Problem(
                    str(file),
                    "doc",
                    f"no text of document {doc}: put it in {data_dir / SOURCES} and list it in "
                    f"{SOURCES_YAML} (file, documents, sha256, title, date, publisher)",
                )
            )
            continue
        if doc not in texts:
            continue  # its text is missing or changed: reported above
        text = texts[doc]
        flat = squash(text)
        for field, quote, value in _quotes(catalog, doc):
            if squash(quote) not in flat:
                near = nearest_passage(text, quote)
                problems.append(
                    Problem(
                        str(file),
                        field,
                        f"'{quote}' is not in the text of {doc}; the nearest passage is '{near}'",
                    )
                )
            elif value is not None and value not in numbers_in(quote):
                problems.append(
                    Problem(str(file), field, f"the value {value:g} is not in its quote '{quote}'")
                )
    return problems


def _target_file(catalog: Catalog, doc: str) -> Path:
    """The target file of ``doc`` (the catalog keeps the files of policies only)."""
    from .loader import yaml_files

    for path in yaml_files(catalog.data_dir / "targets"):
        if squash(str(read_yaml(path).get("doc", ""))) == doc:
            return path
    return catalog.data_dir / "targets"


def check_sources(data_dir: Path) -> None:
    """For ``jnpolicy validate``: raise DataError with every quote problem of ``data_dir``."""
    from .catalog import load_catalog

    problems = check_quotes(load_catalog(data_dir), data_dir)
    if problems:
        raise DataError(problems)
