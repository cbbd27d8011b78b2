"""``jnpolicy observe``: append one public figure to ``data/targets/observations.csv``.

The row is written in the file's own column order and checked exactly as the loader checks the
file — the new file is read back with ``read_observations`` before it replaces the old one — so a
row the tracker would refuse is never written. Problems with the new row are reported against the
command's arguments (``error: YEAR: year: ...``); the file is left as it was.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import unicodedata
from pathlib import Path

from ..errors import DataError, Problem
from ..inputs.catalog import load_catalog
from ..inputs.loader import read_bytes_checked
from ..inputs.observations import (
    FIRST_YEAR,
    LAST_YEAR,
    OBSERVATIONS_FILE,
    Observation,
    metric_specs,
    parse_number,
    read_observations,
)
from ..paths import DATA_DIR
from ..units import nearest
from .config import load_tracking

BASES = ("observed", "proxy")  # what an analyst may enter: public figures only
HEADER = ("metric", "year", "value", "unit", "kind", "low", "high", "source")

# the loader's column -> the argument that fills it
_ARGUMENT = {
    "metric": "METRIC",
    "year": "YEAR",
    "value": "VALUE",
    "unit": "--unit",
    "kind": "--basis",
    "low": "--low",
    "high": "--high",
    "source": "--source",
}


def _header(text: str) -> list[str] | None:
    """The header of an observations file (its first row that is neither blank nor a comment)."""
    for record in csv.reader(io.StringIO(text, newline="")):
        if any(c.strip() for c in record) and not record[0].lstrip().startswith("#"):
            return [h.strip() for h in record]
    return None


def _row_text(header: list[str], cells: dict[str, str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([cells.get(h, "") for h in header])
    return buffer.getvalue()


def _as_arguments(problems: list[Problem], tmp: Path, path: Path, line: int) -> list[Problem]:
    """Problems of the new row (line ``line`` of the file) named by the argument that gave the
    cell; problems elsewhere named by the real file."""
    out = []
    for p in problems:
        if p.file != str(tmp):
            out.append(p)
            continue
        row, _, column = p.field.partition(".")
        if row == f"row {line}" and column in _ARGUMENT:
            message = p.message.replace("(row ", f"({path.name} row ")
            out.append(Problem(_ARGUMENT[column], column, message))
        else:
            out.append(Problem(str(path), p.field, p.message))
    return out


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _plain_text(argument: str, field: str, text: str) -> str:
    """``text`` stripped; refused when it holds a line break, a control character or a
    direction mark (which would reach the file, or show the row in another order)."""
    m = _CONTROL.search(text)
    if m:
        what = (
            "a line break" if m.group() in "\r\n\u2028" else f"the character U+{ord(m.group()):04X}"
        )
        raise DataError.single(argument, field, f"holds {what}; give one line of plain text")
    return text.strip()


def _ascii_number(argument: str, field: str, text: str | float | int) -> str:
    """The number ``text`` in plain ASCII digits: full-width digits are read as their ASCII
    form and digit separators ('1_000', '1,000') dropped; anything else not a plain number is
    refused here, before the row is written."""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    plain = re.sub(r"(?<=[0-9])[_,](?=[0-9]{3})", "", raw)
    _, why = parse_number(plain)
    if why:
        raise DataError.single(argument, field, why)
    return plain


def _year(text: str | int) -> str:
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    if not re.fullmatch(r"[0-9]{4}", raw, re.ASCII):
        raise DataError.single("YEAR", "year", f"expected a year like 2020, got {raw!r}")
    if not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise DataError.single(
            "YEAR", "year", f"{raw} is not a plausible year ({FIRST_YEAR}–{LAST_YEAR})"
        )
    return raw


def _file_format(body: bytes) -> tuple[bytes, bytes]:
    """The encoding mark (b"" or the UTF-8 BOM) and the line ending of an observations file."""
    bom = codecs.BOM_UTF8 if body.startswith(codecs.BOM_UTF8) else b""
    first = body.find(b"\n")
    crlf = first > 0 and body[first - 1 : first] == b"\r"
    return bom, b"\r\n" if crlf else b"\n"


def observe(
    metric: str,
    year: str | int,
    value: str | float,
    unit: str,
    basis: str,
    source: str,
    data_dir: Path | str | None = None,
    low: str | float | None = None,
    high: str | float | None = None,
) -> Observation:
    """Append a public figure (``basis`` observed or proxy) and return it as the loader reads it.
    Raises DataError, writing nothing, when the row or the file would not load.

    The values are normalised first (plain ASCII digits, a year in 2000–2100, a metric named
    exactly); the new file is the old one's bytes with one row added in its own encoding mark and
    line endings, read back with the loader's strict reader, and only then put in place (with the
    old file's mode). A read-only file is refused."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    if basis not in BASES:
        raise DataError.single(
            "--basis", "basis", f"'{basis}' is not one of {', '.join(BASES)} (public figures only)"
        )
    source = _plain_text("--source", "source", source)
    if not source.startswith("public:"):
        source = f"public: {source}"
    unit = _plain_text("--unit", "unit", unit)
    metric = _plain_text("METRIC", "metric", metric)
    catalog = load_catalog(data_dir)
    config, _ = load_tracking(data_dir)
    specs = metric_specs([t for _, t in catalog.targets], config.extra_metrics)
    if metric not in specs:  # exactly a tracked metric: no comment mark, separator or quote
        hint = nearest(metric, specs)
        raise DataError.single(
            "METRIC",
            "metric",
            f"unknown metric {metric[:80]!r}"
            + (f" (did you mean '{hint}'?)" if hint else "; the metric must be a target id"),
        )
    cells = {
        "metric": metric,
        "year": _year(year),
        "value": _ascii_number("VALUE", "value", value),
        "unit": unit,
        "kind": basis,
        "low": "" if low is None else _ascii_number("--low", "low", low),
        "high": "" if high is None else _ascii_number("--high", "high", high),
        "source": source,
    }
    path = data_dir / "targets" / OBSERVATIONS_FILE
    target = path.resolve() if path.is_symlink() else path  # replace the file, not the link
    mode = None
    if target.exists():
        body = read_bytes_checked(target)
        info = os.stat(target)
        mode = stat.S_IMODE(info.st_mode)
        if not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise DataError.single(
                path, "(file)", "is read-only; make it writable to add a row (nothing was written)"
            )
        try:
            old = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError.single(path, "(file)", f"not UTF-8 text ({exc.reason})") from None
    else:
        body, old = b"", ""
    bom, eol = _file_format(body)
    header = _header(old)
    if header is None:
        header = list(HEADER)
        body += bom + ",".join(HEADER).encode("utf-8") + eol
    for column in ("kind", "low", "high"):
        given = {"kind": basis, "low": low, "high": high}[column]
        if column not in header and given not in (None, "", "observed"):
            raise DataError.single(
                path, "header", f"has no '{column}' column for {_ARGUMENT[column]}"
            )
    if body and not body.endswith(b"\n"):
        body += eol
    new = body + _row_text(header, cells).encode("utf-8").replace(b"\n", eol)
    line = new.count(b"\n")  # the new row is the file's last line
    tmp = target.with_name(f".{target.name}.new-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise DataError.single(
            target.parent, "(folder)", f"cannot write beside {path.name}: {exc.strerror}"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
        if mode is not None:
            os.chmod(tmp, mode)
        try:
            loaded = read_observations(
                tmp, specs, config.observation_years.first, config.observation_years.last
            )
        except DataError as exc:
            raise DataError(_as_arguments(exc.problems, tmp, path, line)) from None
        row = next((r for r in loaded.rows if r.line == line), None)
        if row is None:  # never: the row is checked above; but never replace the file blind
            raise DataError.single("METRIC", "metric", "the new row would not be read back")
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return row
