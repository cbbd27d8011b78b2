"""Live what-if: move an assumption, a printed parameter or a lever and see the cost move.

    from jnpolicy_analysis.whatif import what_if
    what_if("central")          # in any notebook: the ipywidgets panel

    from jnpolicy_analysis.whatif import WhatIf      # the same without widgets
    w = WhatIf(open_analysis("central", draws=2000))
    w.set("assumption:average_wage", 80000)          # re-costs only what depends on it
    w.summary()                                      # class A: central, P5, P95, by year, by fund
    w.save("my_variant")                             # data/scenarios/my_variant.yaml

How it stays fast. At the start the scenario is costed once (``costing.prepare`` and the Monte
Carlo), and for every costed measure we note every input it reads: the assumptions (the engine
records them), and the printed parameters, levers and periods (read through dictionaries that
note each key asked for). A change then re-costs only the measures that read the changed input,
deterministically and over the same draws: the draws of each assumption come from streams keyed
by (seed, assumption, chunk), so the re-costed measures' draws are those a full run of the changed
scenario gives (common random numbers), and the totals are the sums of every measure's draws.

What the numbers are: those of ``jnpolicy cost`` for a scenario that extends the starting one with
the same overrides (``save`` writes it; tests check both agree). An assumption's control sets its
value at the scenario's point (central, low or high), so the draws still spread over its range;
a printed parameter or lever is set in its printed unit, as a scenario file writes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .errors import DataError
from .formatting import amount, amount_range
from .units import get_unit

ALL = "(all)"
QUANTILES = (0.05, 0.95)


class _Noting(dict):
    """A dict that notes every key asked for (``in``, ``[]``, ``get``)."""

    def __init__(self, data: dict, seen: set):
        super().__init__(data)
        self.seen = seen

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)


@dataclass
class Control:
    """One input the panel can move: its key, label, unit, start value and bounds (as written)."""

    key: str  # "assumption:<name>", "parameter:<measure.param>", "lever:<measure.name>"
    label: str
    unit: str
    value: float
    low: float
    high: float
    measures: tuple[str, ...]  # the costed measures that read it
    # a discrete assumption's readings: (label, value) each; None as the value is "as drawn"
    # (every reading with its weight), the start
    options: tuple[tuple[str, float | None], ...] = ()
    digits: int = 4  # significant digits the value is shown with: those of its assumption

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(":", 1)[1]

    @property
    def step(self) -> float:
        """A power of ten about a hundredth of the range that puts the start value and both ends
        on the slider's grid (a slider snaps its value to the grid: an off-grid start would move
        the cost before anyone touched it)."""
        span = self.high - self.low
        if span <= 0:
            return 1.0
        for exponent in range(math.floor(math.log10(span / 100)), -7, -1):
            step = 10.0**exponent
            if all(abs(x / step - round(x / step)) < 1e-6 for x in (self.value - self.low, span)):
                return step
        return 10.0 ** math.floor(math.log10(span / 100))

    @property
    def movable(self) -> bool:
        return bool(self.options) or self.high > self.low

    @property
    def choice(self) -> bool:
        """A control with one option per reading (a discrete assumption), not a slider."""
        return bool(self.options)

    @property
    def decimals(self) -> int:
        """Decimal places of the slider's grid: its readout shows the value with these, so a
        value on the grid never prints float noise (1.2, not 1.2000000000)."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9))

    def shown(self, value: float | None = None) -> str:
        """``value`` (default: the control's) at the precision of its assumption."""
        return f"{self.value if value is None else value:.{self.digits}g}"

    def settings(self) -> list[float | None]:
        """Every value the control can be set to that a reader would try first: its low, its
        central (the start) and its high, or each of its readings."""
        if self.choice:
            return [v for _, v in self.options]
        return [self.low, self.value, self.high]


@dataclass
class Summary:
    """What the panel shows (元): the cost with its P5-P95, by year and by fund (central)."""

    scope: str  # ALL (class A of every measure) or a measure id
    central: float
    p5: float
    p95: float
    by_year: dict[int, float]
    by_fund: dict[str, float]
    fiscal_class: str
    seconds: float = 0.0
    recosted: int = 0


@dataclass
class _Measure:
    id: str
    fiscal_class: str
    central: float
    by_year: np.ndarray  # (3,)
    by_fund: dict[str, float]
    draws: np.ndarray  # (draws,) float32


class WhatIf:
    """The model behind the panel: the starting analysis (its ledger gives the start's numbers),
    then its measures re-costed one by one, through the same ledger driver, as inputs change
    (``set``)."""

    def __init__(self, start, threads: int = 1):
        """``start``: an ``Analysis`` (``analysis.analyse`` / ``open_analysis``)."""
        self.analysis = start
        self.start = start.scenario
        self.current = self.start
        self.catalog = self.start.catalog
        self.data_dir = Path(self.catalog.data_dir) if self.catalog is not None else None
        self.threads = threads
        self.changes: dict[str, float] = {}  # key -> value as written
        self._starts: dict[str, float | None] = {}  # key -> its start value, once it is moved
        self.plans = [p for p in start.cost.plans if p.costed]
        self.fund_names = list(start.ledger.fund_names)
        self.reads: dict[str, set[str]] = {}
        self.results: dict[str, _Measure] = {}
        self._point_values = {n: self.start.assumption(n) for n in self.start.assumptions}
        for plan in self.plans:
            self._evaluate(plan)
        ids = list(start.cost.costed.index)
        self._read(start.ledger, ids, [start.cost.costed.loc[m, "fiscal_class"] for m in ids])

    @property
    def scenario(self) -> str:
        return self.start.name

    # ------------------------------------------------------------------ dependencies

    def _evaluate(self, plan):
        """The deterministic costing of ``plan`` under the current scenario, noting every input
        it reads: the assumptions (``plan.uses``, by the engine) and the parameters, levers and
        periods (through noting dictionaries). Re-noted at every re-cost, as what a costing reads
        can depend on the values (a lever, once set, brings in its own assumptions)."""
        from .costing.engine import evaluate

        LEVERS = self.catalog.levers()

        seen_p: set[str] = set()
        seen_l: set[str] = set()
        sc = self.current
        noted = dataclasses.replace(
            sc,
            parameters=_Noting(sc.parameters, seen_p),
            levers=_Noting(sc.levers, seen_l),
            periods=_Noting(sc.periods, set()),
        )
        [costing] = evaluate([plan], noted, self._point_values)
        keys = {f"assumption:{n}" for n in plan.uses}
        keys |= {f"lever:{k}" if k in LEVERS else f"parameter:{k}" for k in seen_p | seen_l}
        self.reads[plan.measure.id] = keys
        return costing

    def dependents(self, key: str) -> list[str]:
        return [mid for mid, keys in self.reads.items() if key in keys]

    # ------------------------------------------------------------------ costing

    def _read(self, ledger, ids: list[str], classes: list[str]) -> None:
        """Each measure's draws, central, cost by year and by fund, from a ledger of them."""
        means = ledger.cell_means()
        years = ledger.year_shares()
        measure, fund = ledger.attribute("measure"), ledger.attribute("fund")
        per_draw = ledger.measures
        for j, mid in enumerate(ids):
            mine = measure == j
            by_fund: dict[str, float] = {}
            for c in np.flatnonzero(mine):
                f = ledger.fund_names[int(fund[c])]
                by_fund[f] = by_fund.get(f, 0.0) + float(means[c])
            self.results[mid] = _Measure(
                mid,
                classes[j] or "A",
                float(means[mine].sum()),
                (means[mine, None] * years[mine]).sum(axis=0),
                by_fund,
                np.asarray(per_draw[j], dtype=np.float32),
            )

    def _recost(self, plans: list) -> None:
        from .costing.run import cost_plans

        if not plans:
            return
        central = [self._evaluate(p) for p in plans]
        ledger = cost_plans(self.current, plans, central, threads=self.threads)
        self._read(ledger, [p.measure.id for p in plans], [p.measure.fiscal_class for p in plans])

    def _apply(self, key: str, value: float | None):
        """The current scenario with ``key`` set to ``value`` (as written; None: a discrete
        assumption as drawn); DataError, one sentence naming the control and its valid values,
        when the value is not one it takes or the key is unknown."""
        from .inputs.scenarios import fix_reading

        LEVERS = self.catalog.levers()

        kind, _, name = key.partition(":")
        sc = self.current
        control = self.control(key)
        if control.choice:
            valid = [v for _, v in control.options]
            if value not in valid:
                shown = ", ".join("as drawn" if v is None else f"{v:g}" for v in valid)
                raise DataError.single(
                    "(what-if)", control.name, f"{value} is not one of its readings ({shown})"
                )
        elif value is None or not (control.low - 1e-9 <= value <= control.high + 1e-9):
            raise DataError.single(
                "(what-if)",
                control.name,
                f"{value} {control.unit} is outside its range, "
                f"{control.shown(control.low)} to {control.shown(control.high)} {control.unit}",
            )
        if kind == "assumption":
            a = self.start.assumptions[name]
            try:
                if control.choice:
                    moved = a if value is None else fix_reading(a, float(value))
                else:
                    moved = a.model_validate(a.model_dump() | {sc.point: float(value)})
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                errors = getattr(exc, "errors", None)
                why = errors()[0]["msg"] if callable(errors) else str(exc)
                raise DataError.single(
                    "(what-if)", control.name, why.removeprefix("Value error, ")
                ) from None
            self._point_values[name] = moved.base(sc.point)
            return dataclasses.replace(sc, assumptions=sc.assumptions | {name: moved})
        if kind in ("lever", "parameter"):  # the one rule of a value (schemas.common)
            from .inputs.schemas.common import value_problem

            spec = LEVERS[name] if kind == "lever" else self.catalog.parameter(name)
            why = value_problem(float(value), spec.unit, allow_above_one=spec.allow_above_one)
            if why:
                raise DataError.single("(what-if)", control.name, why)
        if kind == "lever":
            base = get_unit(LEVERS[name].unit).to_base(float(value))
            return dataclasses.replace(
                sc,
                levers=sc.levers | {name: base},
                parameter_values=sc.parameter_values | {name: float(value)},
            )
        p = self.catalog.parameter(name)
        base = get_unit(p.unit).to_base(float(value))
        return dataclasses.replace(
            sc,
            parameters=sc.parameters | {name: base},
            parameter_values=sc.parameter_values | {name: float(value)},
        )

    def set(self, key: str, value: float | None, scope: str = ALL) -> Summary:
        """Set control ``key`` to ``value`` (as written), re-cost the measures that read it, and
        return the summary of ``scope`` with the time it took."""
        started = time.perf_counter()
        if key not in self._starts:
            self._starts[key] = self.control(key).value
        self.current = self._apply(key, value)
        if value is None or value == self._starts[key]:  # back at the start: no change
            self.changes.pop(key, None)
        else:
            self.changes[key] = float(value)
        ids = set(self.dependents(key))
        self._recost([p for p in self.plans if p.measure.id in ids])
        out = self.summary(scope)
        out.seconds = time.perf_counter() - started
        out.recosted = len(ids)
        return out

    # ------------------------------------------------------------------ what is shown

    def summary(self, scope: str = ALL) -> Summary:
        from .costing import grid

        if scope == ALL:
            chosen = [m for m in self.results.values() if m.fiscal_class == "A"]
            fiscal = "A"
        else:
            if scope not in self.results:
                raise KeyError(scope)
            chosen = [self.results[scope]]
            fiscal = chosen[0].fiscal_class
        total = np.zeros(self.current.draws, dtype=np.float32)
        funds: dict[str, float] = {}
        years = np.zeros(len(grid.YEARS))
        central = 0.0
        for m in chosen:
            total += m.draws
            central += m.central
            years += m.by_year
            for f, v in m.by_fund.items():
                funds[f] = funds.get(f, 0.0) + v
        p5, p95 = np.quantile(total.astype(float), QUANTILES)
        return Summary(
            scope,
            central,
            float(p5),
            float(p95),
            dict(zip(grid.YEARS, map(float, years), strict=True)),
            dict(sorted(funds.items(), key=lambda kv: -kv[1])),
            fiscal,
        )

    # ------------------------------------------------------------------ controls

    def measures(self) -> list[tuple[str, str]]:
        """(id, title) of every costed measure, largest central cost first."""
        rows = sorted(self.plans, key=lambda p: -self.results[p.measure.id].central)
        return [(p.measure.id, p.measure.title_zh) for p in rows]

    def _all_keys(self) -> Iterator[str]:
        seen: set[str] = set()
        for keys in self.reads.values():
            for k in sorted(keys):
                if k not in seen:
                    seen.add(k)
                    yield k

    def controls(self, scope: str = ALL) -> list[Control]:
        """The controls of a measure (its parameters, levers and assumptions), or for all
        measures the assumptions and levers (the inputs several measures share)."""
        if scope == ALL:
            keys = [k for k in self._all_keys() if not k.startswith("parameter:")]
        else:
            keys = sorted(self.reads[scope], key=lambda k: (k.split(":")[0] != "parameter", k))
        return [c for c in (self.control(k) for k in keys) if c.movable]

    def swings(self, scope: str = ALL) -> dict[str, float]:
        """How far each assumption moves the scope's cost (元) from its low to its high, the
        others at the scenario's point: the start's one-at-a-time sensitivity (the tornado's),
        read from the analysis. The largest drivers come first in the panel. (Sobol's total
        indices rank the same leaders but take about ten seconds at the panel's start; these take
        a tenth of one.)"""
        cost = self.analysis.cost
        try:
            frame = cost.sensitivity(None if scope == ALL else scope)
        except KeyError:
            return {}
        return {f"assumption:{r.assumption}": float(r.swing) for r in frame.itertuples()}

    def groups(self, scope: str = ALL) -> list[tuple[str, list[tuple[str, list[Control]]]]]:
        """The scope's controls in folds, each control once, the largest drivers first:
        [(group title, [(fold title, controls)])].

        All measures: a group per document, and in it a fold per measure (the controls only that
        measure reads) and one for the controls several of its measures share; a control read by
        several documents' measures goes to a group of its own ("shared"). One measure: one group,
        its printed parameters, its levers and its assumptions in folds. Controls are ordered by
        swing (``swings``), largest first, then the rest in their order; folds and groups by their
        largest driver."""
        from .charts.labels import has_label, label

        swing = self.swings(scope)
        controls = self.controls(scope)
        doc_of = {p.measure.id: p.doc for p in self.plans}
        titles = dict(self.measures())
        tree: dict[str, dict[str, list[Control]]] = {}
        if scope == ALL:
            for c in controls:
                docs = sorted({doc_of[m] for m in c.measures if m in doc_of})
                if len(docs) == 1:
                    key = f"doc.{docs[0]}"
                    group = label(key, "zh") if has_label(key) else docs[0]
                    fold = (
                        f"{titles[c.measures[0]]}（{c.measures[0]}）"
                        if len(c.measures) == 1
                        else "本文件多项措施共用 Shared by its measures"
                    )
                else:
                    group = fold = "多个文件共用 Shared by several documents"
                tree.setdefault(group, {}).setdefault(fold, []).append(c)
        else:
            names = {
                "parameter": "公报参数 Printed parameters",
                "lever": "政策杠杆 Levers",
                "assumption": "假设 Assumptions",
            }
            group = f"{titles.get(scope, scope)}（{scope}）"
            for c in controls:
                tree.setdefault(group, {}).setdefault(names[c.kind], []).append(c)

        def order(c: Control) -> tuple[float, int]:
            return (-swing.get(c.key, -1.0), controls.index(c))

        def top(cs: list[Control]) -> float:
            return -max(swing.get(c.key, -1.0) for c in cs)

        ranked = []
        for group, folds in tree.items():
            parts = sorted(((f, sorted(cs, key=order)) for f, cs in folds.items()),
                           key=lambda fc: top(fc[1]))  # fmt: skip
            ranked.append((group, parts))
        ranked.sort(key=lambda g: top([c for _, cs in g[1] for c in cs]))
        return ranked

    def describe(self, c: Control) -> str:
        """What a filter matches a control on: its key, label and unit, and the ids and titles of
        the measures that read it."""
        titles = dict(self.measures())
        return " ".join(
            [c.key, c.label, c.unit, *c.measures, *(titles.get(m, "") for m in c.measures)]
        )

    def control(self, key: str) -> Control:
        from .charts.labels import has_label, label

        LEVERS = self.catalog.levers()

        kind, _, name = key.partition(":")
        sc = self.start
        if kind == "assumption":
            if name not in sc.assumptions:
                raise DataError.single("(what-if)", key, "unknown assumption")
            a = sc.assumptions[name]
            title = label(f"assumption.{name}", "zh") if has_label(f"assumption.{name}") else name
            now = self.current.assumptions[name]
            if a.distribution == "discrete":
                drawn = ", ".join(f"{c.value:g} ({c.weight:.0%})" for c in a.choices)
                options = (
                    (f"按权重抽取 as drawn: {drawn}", None),
                    *(
                        (f"{c.value:g}: {c.reading.strip()[:60]}", float(c.value))
                        for c in a.choices
                    ),
                )
                value = None if now.distribution == "discrete" else float(now.central)
                return Control(
                    key, f"{title}（{name}）", a.unit, value, a.low, a.high,
                    tuple(self.dependents(key)), options, _digits(a),
                )  # fmt: skip
            current = getattr(now, sc.point)
            low, high = a.low, a.high
            if sc.point == "low":
                high = a.central
            elif sc.point == "high":
                low = a.central
            return Control(
                key, f"{title}（{name}）", a.unit, current, low, high,
                tuple(self.dependents(key)), (), _digits(a),
            )  # fmt: skip
        if kind == "lever":
            if name not in LEVERS:
                raise DataError.single("(what-if)", key, "unknown lever")
            lever = LEVERS[name]
            unit = get_unit(lever.unit)
            current = self.current.parameter_values.get(name)
            if current is None:
                current = 0.0
            high = 1 / unit.factor if unit.dimension == "rate" else max(3 * current, 1.0)
            return Control(
                key, f"{name}（lever）", lever.unit, current, 0.0, high, tuple(self.dependents(key))
            )
        if kind != "parameter":
            raise DataError.single("(what-if)", key, "not assumption:, parameter: or lever:")
        try:
            p = self.catalog.parameter(name)
        except KeyError:
            raise DataError.single("(what-if)", key, "unknown parameter") from None
        unit = get_unit(p.unit)
        printed = sc.parameter_values.get(name, p.value)
        current = self.current.parameter_values.get(name, printed)
        if unit.dimension in ("rate", "rate_change") and not p.allow_above_one:
            high = 1 / unit.factor
        else:
            high = max(3 * float(printed), 1.0)
        return Control(
            key,
            f"{name}：{p.quote[:30]}",
            p.unit,
            float(current),
            0.0,
            high,
            tuple(self.dependents(key)),
        )

    # ------------------------------------------------------------------ saving

    def scenario_yaml(
        self, name: str, title_zh: str | None = None, title_en: str | None = None
    ) -> dict:
        """The scenario file for the current settings: it extends the starting scenario and
        overrides only what changed."""
        params: dict[str, float] = {}
        assumptions: dict[str, dict] = {}
        for key, value in self.changes.items():
            kind, _, n = key.partition(":")
            if kind == "assumption":
                assumptions[n] = {self.start.point: value}
            else:
                params[n] = value
        changed = ", ".join(f"{k.split(':', 1)[1]} = {v:g}" for k, v in self.changes.items())
        doc: dict = {
            "name": name,
            "title_zh": title_zh or f"{self.start.title_zh}（假设分析）",
            "title_en": title_en or f"{self.start.title_en} (what-if)",
            "description": (
                f"What-if from {self.start.name}, saved {dt.date.today().isoformat()}: "
                + (changed or "no change")
                + "."
            ),
            "extends": self.start.name,
        }
        if params:
            doc["parameters"] = params
        if assumptions:
            doc["assumptions"] = assumptions
        return doc

    def save(
        self,
        name: str,
        *,
        overwrite: bool = False,
        title_zh: str | None = None,
        title_en: str | None = None,
    ) -> Path:
        """Write ``data/scenarios/<name>.yaml`` and check it as any scenario is checked. An existing
        file is never replaced unless ``overwrite`` (FileExistsError); a name that is not a scenario
        name, or a file that fails the checks, raises DataError and leaves nothing behind."""
        from .inputs.scenarios import MAX_NAME, SCENARIO_NAME, load_scenario
        from .paths import DATA_DIR

        data = Path(self.data_dir) if self.data_dir else DATA_DIR
        folder = data / "scenarios"
        if not SCENARIO_NAME.match(name):
            raise DataError.single(folder, "name", f"'{name}' is not a scenario name (a-z, 0-9, _)")
        if len(name) > MAX_NAME:
            raise DataError.single(
                folder, "name", f"is {len(name)} characters long; at most {MAX_NAME}"
            )
        if name == self.start.name or name in self.start.chain:
            raise DataError.single(folder, "name", f"'{name}' is the scenario this one extends")
        path = folder / f"{name}.yaml"
        if path.exists() and not overwrite:
            raise FileExistsError(path)
        text = yaml.safe_dump(
            self.scenario_yaml(name, title_zh, title_en), allow_unicode=True, sort_keys=False
        )
        old = path.read_bytes() if path.exists() else None
        tmp = folder / f".{name}.yaml.tmp-{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        try:
            load_scenario(name, data)
        except DataError:
            if old is None:
                path.unlink()
            else:
                path.write_bytes(old)
            raise
        return path


def _digits(a) -> int:
    """The significant digits an assumption is written with (at least 2, at most 6): its
    control shows no more than that."""

    def digits(x: float) -> int:
        text = f"{abs(float(x)):.6g}".replace(".", "").lstrip("0")
        return len(text.split("e")[0].rstrip("0")) or 1

    return min(6, max(2, *(digits(getattr(a, p)) for p in ("low", "central", "high"))))


# --------------------------------------------------------------------------- the panel


def summary_html(s: Summary, title: str) -> str:
    """The summary as HTML (amounts in 亿元 for all measures, 万元 for one); data escaped."""
    esc = html.escape
    unit = "亿元" if s.scope == ALL else "万元"
    note = (
        "A类（支出与减收）合计；担保（C类）与缓缴（D类）不计入"
        if s.scope == ALL
        else f"IMF {s.fiscal_class} 类" + ("（单列，不计入成本）" if s.fiscal_class in "CD" else "")
    )
    years = "".join(
        f'<tr><td>{y}年</td><td style="text-align:right">{amount(v, unit, 2)}</td></tr>'
        for y, v in s.by_year.items()
    )
    funds = "".join(
        f'<tr><td>{esc(f)}</td><td style="text-align:right">{amount(v, unit, 2)}</td></tr>'
        for f, v in s.by_fund.items()
    )
    box = "display:block;overflow-x:auto;max-width:100%;border-collapse:collapse"
    return (
        f'<div class="jnp-whatif"><div><b>{esc(title)}</b> <span style="color:#666">{esc(note)}</span></div>'
        f'<div style="font-size:1.5em;margin:.2em 0">成本 中央估计 '
        f'<b class="jnp-central">{amount(s.central, unit, 2)}</b> {unit}'
        f' <span style="font-size:.7em">P5–P95 <span class="jnp-range">{amount_range(s.p5, s.p95, unit, 2)}'
        f"</span> {unit}</span></div>"
        f'<div style="display:flex;flex-wrap:wrap;gap:2em">'
        f'<table style="{box}"><tr><th>按年现金流（{unit}，中央估计）</th><th></th></tr>{years}</table>'
        f'<table style="{box}"><tr><th>按资金来源（{unit}，中央估计）</th><th></th></tr>{funds}</table>'
        f'</div><div style="color:#888;font-size:.8em">重新测算 {s.recosted} 项措施，'
        f'用时 <span class="jnp-ms">{s.seconds * 1000:.0f}</span> ms</div></div>'
    )


def what_if(
    start="central",
    data_dir: Path | str | None = None,
    draws: int = 2000,
    seed: int | None = None,
):
    """The what-if panel: pick a scenario and a measure (or all), move the controls, see the
    cost, its P5-P95, the cash flow by year and the split by fund follow; "Save as scenario"
    writes the settings as a scenario that extends the one picked (asking before it overwrites
    a file). Returns the ipywidgets box; in a notebook, the last line of a cell shows it."""
    import ipywidgets as w

    from .analysis import Analysis, open_analysis
    from .inputs.scenarios import list_scenarios

    def opened(name: str) -> WhatIf:
        return WhatIf(open_analysis(name, data_dir, draws, seed))

    if isinstance(start, Analysis):
        state = {"model": WhatIf(start)}
        data_dir = state["model"].data_dir
    else:
        state = {"model": opened(start)}
    scenario = state["model"].scenario
    pick_scenario = w.Dropdown(
        options=list_scenarios(data_dir),
        value=scenario,
        description="情景 Scenario",
        style={"description_width": "initial"},
    )
    pick_measure = w.Dropdown(
        description="措施 Measure",
        style={"description_width": "initial"},
        layout=w.Layout(width="36em"),
    )
    controls_box = w.VBox()
    scope_line = w.HTML()
    search = w.Text(
        placeholder="筛选：假设、措施或文件 Filter: assumption, measure or document",
        layout=w.Layout(width="36em"),
    )
    out = w.HTML()
    message = w.HTML()
    save_name = w.Text(placeholder="new_scenario_name", description="名称 Name")
    save_button = w.Button(description="Save as scenario", icon="save")
    confirm = w.Button(
        description="Overwrite", button_style="danger", layout=w.Layout(display="none")
    )

    def model() -> WhatIf:
        return state["model"]

    def scope() -> str:
        return pick_measure.value or ALL

    def show(summary: Summary | None = None) -> None:
        s = summary or model().summary(scope())
        title = "全部措施 All measures" if scope() == ALL else dict(model().measures())[scope()]
        out.value = summary_html(s, f"{model().start.title_zh} · {title}")
        scope_line.value = (
            "<div class='jnp-scope' style='margin:.4em 0'>正在调整 Adjusting: "
            f"<b>{html.escape(model().start.title_zh)}</b> · <b>{html.escape(title)}</b>"
            + (f" <code>{html.escape(scope())}</code>" if scope() != ALL else "")
            + "</div>"
        )

    # (what the filter matches, the row, its group, its fold); the folds' titles and widgets
    rows: list[tuple[str, object, int, int]] = []
    folds: list[list[tuple[str, object]]] = []
    titles: list[str] = []
    groups_box = w.Accordion()

    def apply_filter(change=None) -> None:
        words = search.value.strip().lower().split()
        counts = [[0] * len(f) for f in folds]
        for text, row, g, f in rows:
            hit = all(word in text for word in words)
            row.layout.display = None if hit else "none"
            counts[g][f] += hit
        for g, group_folds in enumerate(folds):
            groups_box.set_title(g, f"{titles[g]}（{sum(counts[g])}）")
            inner = groups_box.children[g]
            for f, (title, fold) in enumerate(group_folds):
                inner.set_title(f, f"{title}（{counts[g][f]}）")
                fold.layout.display = None if counts[g][f] else "none"
            if words:  # open the first fold with a match
                inner.selected_index = next((f for f, n in enumerate(counts[g]) if n), None)
        if words:
            groups_box.selected_index = next((g for g, c in enumerate(counts) if sum(c)), None)

    def build_controls() -> None:
        rows.clear()
        folds.clear()
        titles.clear()
        groups = []
        for g, (title, parts) in enumerate(model().groups(scope())):
            inner = w.Accordion()
            boxes = []
            for f, (_title, group) in enumerate(parts):
                sliders = control_rows(group)
                rows.extend(
                    (model().describe(c).lower(), row, g, f)
                    for c, row in zip(group, sliders, strict=True)
                )
                boxes.append(w.VBox(sliders))
            inner.children = boxes
            for f, (fold_title, group) in enumerate(parts):
                inner.set_title(f, f"{fold_title}（{len(group)}）")
            inner.selected_index = 0 if boxes else None
            folds.append([(t, box) for (t, _), box in zip(parts, boxes, strict=True)])
            titles.append(title)
            groups.append(inner)
        groups_box.children = groups
        for g, title in enumerate(titles):
            n = sum(len(b.children) for b in groups[g].children)
            groups_box.set_title(g, f"{title}（{n}）")
        groups_box.selected_index = 0 if groups else None  # the largest drivers' group is open
        controls_box.children = [groups_box]
        if search.value.strip():
            apply_filter()

    def control_rows(controls: list[Control]) -> list:
        sliders = []
        for c in controls:
            if c.choice:
                choice = w.Dropdown(
                    options=list(c.options),
                    value=c.value,
                    description=c.name,
                    style={"description_width": "16em"},
                    layout=w.Layout(width="44em"),
                )

                def chosen(change, key=c.key) -> None:
                    try:
                        show(model().set(key, change["new"], scope()))
                        message.value = ""
                    except DataError as exc:
                        message.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"

                choice.observe(chosen, names="value")
                choice.add_class("jnp-control")
                sliders.append(w.HBox([choice, w.HTML(html.escape(c.label))]))
                continue
            slider = w.FloatSlider(
                value=c.value,
                min=c.low,
                max=c.high,
                step=c.step,
                description=c.name,
                readout_format=f",.{c.decimals}f",
                continuous_update=True,
                style={"description_width": "16em"},
                layout=w.Layout(width="44em"),
            )
            unit = w.HTML(
                f"{html.escape(c.unit)} <span style='color:#888'>"
                f"[{c.shown(c.low)}–{c.shown(c.high)}] "
                f"{html.escape(c.label)}</span>"
            )

            def moved(change, key=c.key, step=c.step, digits=c.digits) -> None:
                if abs(change["new"] - model().control(key).value) < step / 1000:
                    return  # the same value, echoed back by the browser
                value = float(f"{change['new']:.{max(digits, 6)}g}")  # no float noise
                try:
                    show(model().set(key, value, scope()))
                    message.value = ""
                except DataError as exc:
                    message.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"

            slider.observe(moved, names="value")
            slider.add_class("jnp-control")
            sliders.append(w.HBox([slider, unit]))  # the readout can be typed in
        return sliders

    def measure_options() -> None:
        pick_measure.options = [("全部措施 All measures", ALL)] + [
            (f"{t}（{mid}）", mid) for mid, t in model().measures()
        ]
        pick_measure.value = ALL

    def new_scenario(change) -> None:
        state["model"] = opened(change["new"])
        measure_options()
        build_controls()
        show()

    def new_measure(change) -> None:
        build_controls()
        show()

    def save(overwrite: bool = False) -> None:
        confirm.layout.display = "none"
        try:
            path = model().save(save_name.value.strip(), overwrite=overwrite)
        except FileExistsError as exc:
            message.value = (
                f"<span style='color:#b00'>{html.escape(str(exc))} exists: overwrite it?</span>"
            )
            confirm.layout.display = None
            return
        except DataError as exc:
            message.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return
        message.value = f"saved and checked: {html.escape(str(path))}"

    search.observe(apply_filter, names="value")
    pick_scenario.observe(new_scenario, names="value")
    pick_measure.observe(new_measure, names="value")
    save_button.on_click(lambda _b: save(False))
    confirm.on_click(lambda _b: save(True))
    measure_options()
    build_controls()
    show()
    font = w.HTML(_panel_font(model(), list_scenarios(data_dir)))
    panel = w.VBox(
        [
            font,
            w.HBox([pick_scenario, pick_measure]),
            out,
            scope_line,
            search,
            controls_box,
            w.HBox([save_name, save_button, confirm]),
            message,
        ]
    )
    panel.add_class("jnp-panel")
    panel.model = model  # for notebooks and tests: the WhatIf behind the panel
    return panel


PANEL_TEXT = (
    "情景措施全部名称成本中央估计按年现金流按资金来源重新测算项用时类合计担保缓缴不计入单列"
    "支出与减收亿元万元年（）：，。；、假设分析正在调整筛选文件多个共用公报参数政策杠杆"
)


def _panel_font(model: WhatIf, scenarios: list[str]) -> str:
    """The panel's Chinese as glyphs on any machine: the CJK face subset to every character the
    panel can show (its own words, measure titles, funds, assumption labels, scenario titles)."""
    from .charts.labels import LABELS
    from .fonts import scoped_style
    from .inputs.scenarios import load_scenario

    words = [PANEL_TEXT, *(t for _, t in model.measures())]
    words += [p.measure.funding_source or "" for p in model.plans]
    words += [v.zh for k, v in LABELS.items() if k.startswith("assumption.")]
    for name in scenarios:
        try:
            words.append(load_scenario(name, model.data_dir).title_zh)
        except DataError:
            continue
    return scoped_style("".join(words), ".jnp-panel")
