"""``data/targets/observations.csv``: baselines and outcomes of the plan targets.

Columns ``metric, year, value, unit, source`` and optionally ``kind, low, high, note``:

- ``metric``: a target id, or an extra metric named in ``tracking.yaml`` (firms on the cloud);
- ``year``: the year the value stands at (a year-end value), inside ``observation_years``;
- ``value``/``low``/``high``: numbers in ``unit``, whose base unit must match the target's
  (万家 and 家 are both counts; 亿元 and 万元 both money);
- ``kind``: ``baseline`` (a public starting figure), ``observed`` (a public outcome), ``proxy`` (a
  public figure that measures the target only approximately: say how in ``source``) or
  ``assumption`` (no public figure: a stated guess with ``low`` and ``high``); default observed;
- ``source``: ``public: <citation>`` or, for an assumption, ``assumption: <reasoning>``.

A baseline or assumption row is a metric's starting point: one per metric, and no later than its
first observation. Annual commitments take observed or proxy rows only, in the years they cover.
Blank rows and rows whose first cell starts with ``#`` are skipped.
Every problem names the file, the row (the line of the file, as a spreadsheet numbers it) and the
column; all are reported together.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from ..units import UnknownUnitError, did_you_mean, get_unit, nearest

OBSERVATIONS_FILE = "observations.csv"
REQUIRED = ("metric", "year", "value", "unit", "source")
OPTIONAL = ("kind", "low", "high", "note")
KINDS = ("baseline", "observed", "proxy", "assumption")
START_KINDS = ("baseline", "assumption")  # a metric's starting point
PUBLIC_KINDS = ("baseline", "observed", "proxy")  # what "latest observation" may be


@dataclass(frozen=True)
class MetricSpec:
    """What an observation's metric must fit: its unit, and for an annual commitment its years."""

    id: str
    unit: str
    annual: bool = False
    years: tuple[int, ...] = ()
    allow_above_one: bool = False  # a share that may exceed a whole (its schema says so)


@dataclass(frozen=True)
class Observation:
    metric: str
    year: int
    value: float
    unit: str
    source: str
    kind: str = "observed"
    low: float | None = None
    high: float | None = None
    note: str | None = None
    line: int = 0  # the line of the file it was read from

    @property
    def base_value(self) -> float:
        return get_unit(self.unit).to_base(self.value)

    @property
    def base_low(self) -> float:
        return get_unit(self.unit).to_base(self.value if self.low is None else self.low)

    @property
    def base_high(self) -> float:
        return get_unit(self.unit).to_base(self.value if self.high is None else self.high)

    def to_json(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "base_value": self.base_value,
            "year": self.year,
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "source": self.source,
        }


@dataclass(frozen=True)
class Observations:
    path: Path
    rows: tuple[Observation, ...] = field(default_factory=tuple)

    def of(self, metric: str) -> list[Observation]:
        """Every row of ``metric``, oldest first."""
        return sorted((r for r in self.rows if r.metric == metric), key=lambda r: r.year)

    def start(self, metric: str) -> Observation | None:
        """The metric's starting point: its baseline or assumption row."""
        return next((r for r in self.of(metric) if r.kind in START_KINDS), None)

    def latest(self, metric: str) -> Observation | None:
        """The newest public figure (baseline, observed or proxy); assumptions never count."""
        public = [r for r in self.of(metric) if r.kind in PUBLIC_KINDS]
        return public[-1] if public else None

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "metric": r.metric,
                    "year": r.year,
                    "value": r.value,
                    "unit": r.unit,
                    "base_value": r.base_value,
                    "kind": r.kind,
                    "low": r.low,
                    "high": r.high,
                    "source": r.source,
                }
                for r in self.rows
            ]
        )


def metric_specs(targets, extra_metrics: dict | None = None) -> dict[str, MetricSpec]:
    """Specs from catalog targets (Target objects) and the extra metrics of tracking.yaml."""
    specs = {
        t.id: MetricSpec(
            t.id, t.unit, t.kind == "annual", tuple(t.years), getattr(t, "allow_above_one", False)
        )
        for t in targets
    }
    for name, extra in (extra_metrics or {}).items():
        specs.setdefault(name, MetricSpec(name, extra.unit))
    return specs


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the plausible years of an observation
# ASCII digits only: Python's float() also takes '1_000' and full-width '１０００', which no
# spreadsheet or CSV reader reads as a number
_YEAR = re.compile(r"^[0-9]{4}$", re.ASCII)
NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", re.ASCII)


def parse_number(text: str) -> tuple[float | None, str | None]:
    """A finite number written in plain ASCII digits from a cell, or the reason it is not one."""
    if text == "":
        return None, "missing: a number is needed"
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return None, "must be a finite number (NaN and infinity are not allowed)"
    if not NUMBER.match(text):
        return None, (
            f"expected a number, got the string {text!r} (write plain ASCII digits, like 1000 "
            "or 12.5)"
        )
    value = float(text)
    if not math.isfinite(value):
        return None, "must be a finite number (NaN and infinity are not allowed)"
    return value, None


def read_observations(
    path: Path, metrics: dict[str, MetricSpec], first_year: int, last_year: int
) -> Observations:
    """Read and check ``path`` against the known metrics and the year window; raise DataError with
    every problem of the file."""
    from .loader import read_text_checked

    f = str(path)
    text = read_text_checked(path, encoding="utf-8-sig")
    # strict: a stray quote is an error, and so is a quoted cell running over lines (a closing
    # quote left out swallows the rows after it into one cell)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines = io.StringIO(text, newline="").readlines()  # as the reader counts them
    body: list[tuple[int, list[str]]] = []
    end = 0  # the last line of the previous record
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            start = end + 1
            if "unexpected end of data" in str(exc):
                msg = f"a quote opened on line {start} is never closed"
            else:
                msg = f"not valid CSV on line {reader.line_num} ({exc})"
            raise DataError.single(path, f"row {start}", msg) from None
        start, end = end + 1, reader.line_num
        if end > start and any("\n" in c or "\r" in c for c in record):
            raise DataError.single(
                path,
                f"row {start}",
                f"a quoted cell runs from line {start} to line {end}: a closing quote is "
                "missing (cells may not hold line breaks)",
            )
        # line_num: the last line of the record, as a spreadsheet counts. A comment is a line
        # whose text starts with '#'; a quoted cell "#x" is a value (an unknown metric), never a
        # row skipped without a word
        comment = lines[start - 1].lstrip().startswith("#") if start <= len(lines) else False
        if any(c.strip() for c in record) and not comment:
            body.append((end, record))
    if not body:
        raise DataError.single(path, "(file)", "file is empty")
    header_line, header = body[0]
    header = [h.strip() for h in header]
    problems: list[Problem] = []
    for name in header:
        if name not in REQUIRED + OPTIONAL:
            problems.append(
                Problem(
                    f,
                    f"header.{name}",
                    "unknown column" + did_you_mean(name, REQUIRED + OPTIONAL),
                )
            )
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(f, "header", f"missing column '{name}'"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(f, "header", f"columns appear twice: {', '.join(dupes)}"))
    if problems:
        raise DataError(problems)

    out: list[Observation] = []
    for line, raw in body[1:]:
        where = f"row {line}"
        if len(raw) != len(header):
            problems.append(
                Problem(f, where, f"has {len(raw)} cells, the header has {len(header)}")
            )
            continue
        cell = {h: c.strip() for h, c in zip(header, raw, strict=True)}
        before = len(problems)

        metric = cell["metric"]
        spec = metrics.get(metric)
        if spec is None:
            problems.append(Problem(f, f"{where}.metric", _unknown_metric(metric, metrics)))

        year: int | None = None
        if not _YEAR.match(cell["year"]):
            problems.append(
                Problem(
                    f,
                    f"{where}.year",
                    f"expected a year like 2020 in plain digits, got {cell['year']!r}",
                )
            )
        else:
            year = int(cell["year"])
            if not FIRST_YEAR <= year <= LAST_YEAR:
                problems.append(
                    Problem(
                        f,
                        f"{where}.year",
                        f"{year} is not a plausible year ({FIRST_YEAR}–{LAST_YEAR})",
                    )
                )
                year = None
            elif not first_year <= year <= last_year:
                problems.append(
                    Problem(
                        f,
                        f"{where}.year",
                        f"{year} is outside the plan window {first_year}–{last_year}",
                    )
                )
                year = None
            elif spec is not None and spec.annual and year not in spec.years:
                covered = ", ".join(str(y) for y in spec.years)
                problems.append(
                    Problem(
                        f,
                        f"{where}.year",
                        f"{year} is not a year of the commitment '{metric}' ({covered})",
                    )
                )

        numbers: dict[str, float | None] = {}
        for name in ("value", "low", "high"):
            text = cell.get(name, "")
            if name != "value" and text == "":
                numbers[name] = None
                continue
            value, why = parse_number(text)
            if why:
                problems.append(Problem(f, f"{where}.{name}", why))
            numbers[name] = value

        unit = cell["unit"]
        try:
            u = get_unit(unit)
        except UnknownUnitError as exc:
            problems.append(Problem(f, f"{where}.unit", str(exc)))
            u = None
        if u is not None and spec is not None:
            want = get_unit(spec.unit)
            if u.base != want.base:
                problems.append(
                    Problem(
                        f,
                        f"{where}.unit",
                        f"'{unit}' ({u.base}) does not match the unit of '{metric}', "
                        f"'{spec.unit}' ({want.base})",
                    )
                )
        if u is not None:
            from .schemas.common import value_problem

            above_one = spec.allow_above_one if spec is not None else False
            for name, value in numbers.items():
                why = (
                    None if value is None else value_problem(value, unit, allow_above_one=above_one)
                )
                if why:
                    problems.append(Problem(f, f"{where}.{name}", why))

        kind = cell.get("kind", "") or "observed"
        if kind not in KINDS:
            problems.append(
                Problem(
                    f,
                    f"{where}.kind",
                    f"unknown kind '{kind}'"
                    + did_you_mean(kind, KINDS)
                    + f"; one of {', '.join(KINDS)}",
                )
            )
        elif spec is not None and spec.annual and kind in START_KINDS:
            problems.append(
                Problem(
                    f,
                    f"{where}.kind",
                    "an annual commitment is tracked year by year: observed or proxy rows only",
                )
            )

        low, value, high = numbers["low"], numbers["value"], numbers["high"]
        if (low is None) != (high is None):
            problems.append(Problem(f, f"{where}.low", "give both low and high, or neither"))
        elif kind == "assumption" and low is None:
            problems.append(
                Problem(f, f"{where}.low", "an assumption needs its range: low and high")
            )
        elif low is not None and value is not None and high is not None:
            if not low <= value <= high:
                problems.append(
                    Problem(
                        f, f"{where}.low", f"need low <= value <= high, got {low}, {value}, {high}"
                    )
                )

        source = cell["source"]
        prefix = "assumption:" if kind == "assumption" else "public:"
        if not source.startswith(prefix) or len(source) < len(prefix) + 5:
            problems.append(
                Problem(
                    f,
                    f"{where}.source",
                    f"a{'n' if kind in ('assumption', 'observed') else ''} {kind} row needs a "
                    f"source starting '{prefix}' and saying where the figure comes from",
                )
            )

        if len(problems) == before and year is not None and value is not None:
            out.append(
                Observation(
                    metric=metric,
                    year=year,
                    value=value,
                    unit=unit,
                    source=source,
                    kind=kind,
                    low=low,
                    high=high,
                    note=cell.get("note") or None,
                    line=line,
                )
            )

    problems.extend(_cross_row_problems(f, out))
    if problems:
        raise DataError(problems)
    return Observations(path=path, rows=tuple(out))


def _unknown_metric(metric: str, metrics: dict[str, MetricSpec]) -> str:
    if not metric:
        return "missing: a target id is needed"
    hint = nearest(metric, metrics)
    return f"unknown metric '{metric}'" + (
        f" (did you mean '{hint}'?)" if hint else "; the metric must be a target id"
    )


def _cross_row_problems(f: str, rows: list[Observation]) -> list[Problem]:
    """One row per metric and year; one starting point per metric, no later than its first
    public observation."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int], int] = {}
    starts: dict[str, Observation] = {}
    for r in rows:
        key = (r.metric, r.year)
        if key in seen:
            problems.append(
                Problem(
                    f,
                    f"row {r.line}.year",
                    f"'{r.metric}' already has a figure for {r.year} (row {seen[key]})",
                )
            )
        seen.setdefault(key, r.line)
        if r.kind in START_KINDS:
            if r.metric in starts:
                problems.append(
                    Problem(
                        f,
                        f"row {r.line}.kind",
                        f"'{r.metric}' already has a starting point (row "
                        f"{starts[r.metric].line}); keep one baseline or assumption",
                    )
                )
            else:
                starts[r.metric] = r
    for metric, start in starts.items():
        later = [r for r in rows if r.metric == metric and r.kind not in START_KINDS]
        first = min(later, key=lambda r: r.year) if later else None
        if first is not None and first.year < start.year:
            problems.append(
                Problem(
                    f,
                    f"row {start.line}.year",
                    f"the starting point of '{metric}' ({start.year}) comes after its "
                    f"observation of {first.year} (row {first.line})",
                )
            )
    return problems


def load_observations(data_dir: Path, targets, config) -> Observations:
    """The observations of ``data_dir/targets/`` checked against the catalog's targets and the
    tracker's settings; a missing file is an empty set (every target then shows no observation)."""
    from .loader import case_hint

    path = data_dir / "targets" / OBSERVATIONS_FILE
    if not path.exists() and not path.is_symlink():
        hint = case_hint(path)
        if hint:  # Observations.csv would otherwise mean "no observations" without a word
            raise DataError.single(path, "(file)", "no such file" + hint)
        return Observations(path=path)
    return read_observations(
        path,
        metric_specs(targets, config.extra_metrics),
        config.observation_years.first,
        config.observation_years.last,
    )
