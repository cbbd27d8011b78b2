"""``jnpolicy observe``: append one public figure to ``data/targets/observations.csv``.

The row is written in the file's own column order and checked exactly as the loader checks the
file — the new file is read back with ``read_observations`` before it replaces the old one — so a
row the tracker would refuse is never written. Problems with the new row are reported against the
command's arguments (``error: YEAR: year: ...``); the file is left as it was.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..errors import DataError, Problem
from ..inputs.catalog import load_catalog
from ..inputs.observations import OBSERVATIONS_FILE, Observation, metric_specs, read_observations
from ..paths import DATA_DIR
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
    Raises DataError, writing nothing, when the row or the file would not load."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    if basis not in BASES:
        raise DataError.single(
            "--basis", "basis", f"'{basis}' is not one of {', '.join(BASES)} (public figures only)"
        )
    source = source.strip()
    if not source.startswith("public:"):
        source = f"public: {source}"
    catalog = load_catalog(data_dir)
    config, _ = load_tracking(data_dir)
    path = data_dir / "targets" / OBSERVATIONS_FILE
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    header = _header(old)
    if header is None:
        header, old = list(HEADER), ",".join(HEADER) + "\n"
    for column in ("kind", "low", "high"):
        given = {"kind": basis, "low": low, "high": high}[column]
        if column not in header and given not in (None, "", "observed"):
            raise DataError.single(
                path, "header", f"has no '{column}' column for {_ARGUMENT[column]}"
            )
    cells = {
        "metric": metric.strip(),
        "year": str(year).strip(),
        "value": str(value).strip(),
        "unit": unit.strip(),
        "kind": basis,
        "low": "" if low is None else str(low).strip(),
        "high": "" if high is None else str(high).strip(),
        "source": source,
    }
    if old and not old.endswith("\n"):
        old += "\n"
    new = old + _row_text(header, cells)
    line = new.count("\n")  # the new row is the file's last line
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    tmp.write_text(new, encoding="utf-8")
    try:
        try:
            loaded = read_observations(
                tmp,
                metric_specs([t for _, t in catalog.targets], config.extra_metrics),
                config.observation_years.first,
                config.observation_years.last,
            )
        except DataError as exc:
            raise DataError(_as_arguments(exc.problems, tmp, path, line)) from None
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return next(r for r in loaded.rows if r.line == line)
