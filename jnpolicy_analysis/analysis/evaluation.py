"""Ex-post evaluation: each published outturn (``data/outturns``) against the costing of the
measures it matches, and the value of each driving assumption that would reproduce it.

What is compared.
- *Outturn*: the published amount, scaled to Jinan by its scaling rule (a share with a low /
  central / high range) when it is a Shandong or national figure. The central share gives the
  outturn; the low and high shares its range.
- *Costed*: the scenario's central (the Monte Carlo mean, the same draws and seed as ``jnpolicy
  cost``; for a stress case its point) of the matched measures, counting only the part of each
  month that lies inside the outturn's period.
- *Ratio*: costed / outturn.
- *Implied*: for each driving assumption, the value that makes the costed amount equal the
  outturn. The assumption's whole range (low, central, high) is multiplied by one factor k, which
  multiplies every draw of it by k (the draws are inverse-CDF transforms of the same uniforms),
  so the mean cost of a measure proportional to it is multiplied by k too. The solve is by
  re-costing: first the **linearity** of the matched measures in the assumption (k = outturn /
  costed), accepted when re-costing at that k reproduces the outturn within ``TOLERANCE``; where
  it does not (a matched measure that does not use the assumption, a rate capped at 100 %, a
  per-firm cap), by a **bracketed root search** on log k over re-costings: the first bracket up a
  geometric grid of k, then Brent's method (``method: brent``). The value given is the
  assumption's new value at the scenario's point (its central, the mode of its draws; a stress
  case's bound), in its written unit; ``None`` when no k within the assumption's valid range
  reproduces the outturn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..costing import grid
from ..costing.bindings import make_plans
from ..costing.engine import Plan
from ..costing.run import cost_plans
from ..errors import DataError, Problem
from ..inputs.loader import parse_many, yaml_files
from ..inputs.scenarios import ResolvedScenario, load_scenario, scenario_files
from ..inputs.schemas import Assumption
from ..inputs.schemas.outturn import Outturn
from ..inputs.schemas.scenario import AssumptionOverride
from ..paths import DATA_DIR
from ..units import did_you_mean, get_unit

TOLERANCE = 1e-3  # relative: a re-costing this close to the outturn reproduces it
K_RANGE = (1e-3, 1e3)  # the factors on an assumption the root search tries
CALIBRATED = "calibrated"  # the scenario `jnpolicy calibrate` writes (analysis/calibration.py)


# --------------------------------------------------------------------------- loading


def load_outturns(
    data_dir: Path | str | None = None, scenario: ResolvedScenario | None = None
) -> list[tuple[Path, Outturn]]:
    """Every outturn of ``data_dir/outturns``, checked against the catalog and the baseline: its id
    is its file name, its measures exist and are costed, its driving assumptions exist and are
    used by one of its measures. Raises DataError with every problem found."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    folder = data_dir / "outturns"
    if not folder.is_dir():
        raise DataError.single(data_dir, "outturns", f"no outturns/ folder in '{data_dir}'")
    files = yaml_files(folder)
    if not files:
        raise DataError.single(folder, "(folder)", "no outturn files (*.yaml) in it")
    parsed = parse_many(files, "outturns")
    sc = scenario or load_scenario("central", data_dir)
    plans = {p.measure.id: p for p in make_plans(sc)}
    problems: list[Problem] = []
    for path, o in zip(files, parsed, strict=True):
        if o.id != path.stem:
            problems.append(Problem(str(path), "id", f"id '{o.id}' differs from the file name"))
        used: set[str] = set()
        for i, mid in enumerate(o.measures):
            if mid not in plans:
                problems.append(
                    Problem(
                        str(path),
                        f"measures[{i}]",
                        f"unknown measure '{mid}'" + did_you_mean(mid, plans),
                    )
                )
            elif not plans[mid].costed:
                problems.append(Problem(str(path), f"measures[{i}]", f"'{mid}' is not costed"))
            else:
                used |= set(plans[mid].uses)
        for i, name in enumerate(o.driving):
            if name not in sc.assumptions:
                problems.append(
                    Problem(
                        str(path),
                        f"driving[{i}]",
                        f"unknown assumption '{name}'" + did_you_mean(name, sc.assumptions),
                    )
                )
            elif used and name not in used:
                problems.append(
                    Problem(
                        str(path),
                        f"driving[{i}]",
                        f"'{name}' is not used by any of the measures {', '.join(o.measures)}",
                    )
                )
    if problems:
        raise DataError(problems)
    return list(zip(files, parsed, strict=True))


# --------------------------------------------------------------------------- re-costing


def period_weights(outturn: Outturn) -> np.ndarray:
    """The share of each of the costing's 36 months that lies inside the outturn's period."""
    return grid.coverage(outturn.period.start, outturn.period.end)


MIN_IN_FORCE = 1 / 3  # a matched measure in force on less of the outturn's window cannot match it


def coverage(outturn: Outturn, scenario: ResolvedScenario) -> list[str]:
    """Why the costing is not comparable with the outturn over its window (``in_force``, else
    its period), one reason a line; empty when it is. Not comparable: days of the window that no
    matched measure's window (the scenario's, with its period overrides) covers, or a matched
    measure in force on less than ``MIN_IN_FORCE`` of the window's days (it cannot account for
    what was paid across it: a round paid under the rule before the measure began)."""
    window = outturn.in_force or outturn.period
    start, end = window.start, window.end
    days = (end - start).days + 1
    spans, short = [], []
    for mid in outturn.measures:
        p = scenario.period(mid)
        if p is None or p.start is None:
            continue
        lo, hi = max(p.start, start), min(p.end or end, end)
        inside = max((hi - lo).days + 1, 0)
        if inside < MIN_IN_FORCE * days:
            short.append(
                f"{mid} is in force on {inside} of its {days} days ({p.start} – {p.end or end})"
            )
        if lo <= hi:
            spans.append((lo, hi))
    gaps: list[str] = []
    day = start
    for lo, hi in sorted(spans):
        if lo > day:
            gaps.append(f"{day} – {lo - dt.timedelta(days=1)}")
        day = max(day, hi + dt.timedelta(days=1))
    if day <= end:
        gaps.append(f"{day} – {end}")
    out = [f"no matched measure covers {g}" for g in gaps]
    return out + short


def mean_cost(
    scenario: ResolvedScenario, plans: list[Plan], weights: np.ndarray
) -> dict[str, float]:
    """The scenario's central of each plan over ``weights`` (a share of each month), in 元: the
    mean over the scenario's draws of the plans' ledger (``costing.run.cost_plans``: the same
    streams, chunks and seed as ``jnpolicy cost``), or the point of a stress case."""
    ledger = cost_plans(scenario, plans)
    return period_central(ledger, [p.measure.id for p in plans], weights)


def period_central(ledger, ids: list[str], weights: np.ndarray) -> dict[str, float]:
    """The central (mean of the draws) of each costed measure ``ids[j]`` of ``ledger`` over
    ``weights`` (a share of each month): each cell's mean times the part of its timing inside."""
    inside = ledger.month_shares() @ np.asarray(weights, dtype=float)  # (cells,)
    measure = ledger.attribute("measure")
    means = ledger.cell_means()
    return {mid: float((means * inside)[measure == j].sum()) for j, mid in enumerate(ids)}


def scaled(a: Assumption, k: float) -> Assumption | None:
    """The assumption with its low, central and high multiplied by ``k`` (a rate capped at 100 %
    unless it may exceed one), or None when the result is not a valid assumption."""
    values = {p: getattr(a, p) * k for p in ("low", "central", "high")}
    unit = get_unit(a.unit)
    if unit.dimension == "rate" and not a.allow_above_one:
        cap = 1 / unit.factor
        values = {p: min(v, cap) for p, v in values.items()}
    try:
        return Assumption.model_validate(a.model_dump() | values)
    except ValueError:
        return None


def with_assumption(sc: ResolvedScenario, name: str, a: Assumption) -> ResolvedScenario:
    return dataclasses.replace(sc, assumptions={**sc.assumptions, name: a})


@dataclass(frozen=True)
class Implied:
    assumption: str
    # the new value at the scenario's point (its central; a stress case's bound), in ``unit``;
    # None: no valid value reproduces the outturn
    value: float | None
    unit: str
    was: float  # the value at the scenario's point before, in ``unit``
    factor: float | None  # k, the factor on the assumption's range
    method: str  # "linear", "brent" or "none"
    low: float | None = None  # the new low, high and central, in ``unit``
    high: float | None = None
    central: float | None = None


def solve(
    sc: ResolvedScenario, plans: list[Plan], weights: np.ndarray, name: str, target: float
) -> Implied:
    """The factor on assumption ``name`` at which the plans' central over ``weights`` equals
    ``target`` (元), by linearity checked by re-costing, else by Brent's method (module docstring)."""
    a = sc.assumptions[name]
    costed: dict[tuple[float, float, float], float] = {}

    def cost(k: float) -> float | None:
        new = scaled(a, k)
        if new is None:
            return None
        # a factor beyond a rate's 100 % cap gives the same assumption as the last: cost it once
        key = (new.low, new.central, new.high)
        if key not in costed:
            costed[key] = sum(mean_cost(with_assumption(sc, name, new), plans, weights).values())
        return costed[key]

    point = sc.point  # central, or the bound of a stress case

    def result(k: float | None, method: str) -> Implied:
        new = scaled(a, k) if k is not None else None
        return Implied(
            name,
            getattr(new, point) if new else None,
            a.unit,
            getattr(a, point),
            k,
            method,
            new.low if new else None,
            new.high if new else None,
            new.central if new else None,
        )

    base = cost(1.0)
    if not base or target <= 0:
        return result(None, "none")
    k0 = target / base
    got = cost(k0)
    if got is not None and abs(got / target - 1) <= TOLERANCE:
        return result(k0, "linear")
    # the first bracket up a geometric grid, walked from its low end, then Brent's method in log k
    bracket = None
    previous = None
    for k in np.geomspace(*K_RANGE, 61):
        c = cost(float(k))
        if previous is not None and c is not None and (previous[1] - target) * (c - target) <= 0:
            bracket = (math.log(previous[0]), math.log(float(k)))
            break
        previous = (float(k), c) if c is not None else None
    if bracket is None:
        return result(None, "none")

    def gap(log_k: float) -> float:
        c = cost(math.exp(log_k))
        return math.nan if c is None else c / target - 1

    # the cost is near proportional to k, so log k to a hundredth of TOLERANCE is well inside it
    log_k = brentq(gap, *bracket, xtol=TOLERANCE / 100, maxiter=100)
    return result(math.exp(log_k), "brent")


# --------------------------------------------------------------------------- the evaluation


@dataclass(frozen=True)
class Reconciliation:
    path: Path
    outturn: Outturn
    jinan: tuple[float, float, float]  # the outturn scaled to Jinan: low, central, high (元)
    costed: float  # 元
    by_measure: dict[str, float]  # 元
    implied: list[Implied]
    # the days of the outturn's window no matched measure covers (``coverage``): empty when the
    # costing is comparable; else no ratio and no implied assumption is shown
    not_covered: tuple[str, ...] = ()

    @property
    def comparable(self) -> bool:
        return not self.not_covered

    @property
    def ratio(self) -> float:
        return self.costed / self.jinan[1]

    def not_covered_text(self, lang: str = "en") -> str:
        why = "; ".join(self.not_covered)
        if lang == "zh":
            return f"情景的措施未覆盖该执行数的期间（{why}）：不作比较，不给出隐含假设"
        return (
            f"not comparable: the scenario's measures do not cover its window ({why}); "
            "no ratio and no implied assumption"
        )

    @property
    def within_range(self) -> bool:
        return self.jinan[0] <= self.costed <= self.jinan[2]

    def to_json(self) -> dict:
        o = self.outturn
        s = o.source
        return {
            "id": o.id,
            "measures": list(o.measures),
            "geography": o.geography,
            "period": {"start": str(o.period.start), "end": str(o.period.end)},
            "outturn": self.jinan[1],
            "costed": self.costed,
            "ratio": self.ratio if self.comparable else None,
            "comparable": self.comparable,
            "not_covered": list(self.not_covered),
            "implied": [
                {"assumption": i.assumption, "value": i.value, "unit": i.unit} for i in self.implied
            ],
            "source": {
                "title": s.title,
                "publisher": s.publisher,
                "date": str(s.date),
                "url": s.url,
                "published": o.base_amount(),
                "range": [self.jinan[0], self.jinan[2]],
                "scaling": o.scaling.rule if o.scaling else None,
            },
        }


@dataclass(frozen=True)
class Evaluation:
    scenario: ResolvedScenario
    rows: list[Reconciliation]

    def to_json(self) -> dict:
        return {"scenario": self.scenario.name, "outturns": [r.to_json() for r in self.rows]}

    def get(self, outturn_id: str) -> Reconciliation:
        for r in self.rows:
            if r.outturn.id == outturn_id:
                return r
        raise KeyError(
            f"no outturn '{outturn_id}'"
            + did_you_mean(outturn_id, [r.outturn.id for r in self.rows])
        )

    def frame(self) -> pd.DataFrame:
        """One row per outturn: amounts in 元, the ratio, and the implied values as text."""
        return pd.DataFrame(
            [
                {
                    "id": r.outturn.id,
                    "geography": r.outturn.geography,
                    "period": f"{r.outturn.period.start} – {r.outturn.period.end}",
                    "measures": ", ".join(r.outturn.measures),
                    "use": r.outturn.use,
                    "published": r.outturn.base_amount(),
                    "outturn_low": r.jinan[0],
                    "outturn": r.jinan[1],
                    "outturn_high": r.jinan[2],
                    "costed": r.costed,
                    "ratio": r.ratio if r.comparable else float("nan"),
                    "within_range": r.within_range if r.comparable else None,
                    "implied": "; ".join(implied_text(i) for i in r.implied) or "—",
                }
                for r in self.rows
            ]
        ).set_index("id")


def implied_text(i: Implied) -> str:
    if i.value is None:
        return f"{i.assumption}: no value within its valid range reproduces it"
    return f"{i.assumption}: {i.was:g} → {i.value:.4g} {i.unit} (×{i.factor:.3f}, {i.method})"


def evaluate_outturns(subject, data_dir: Path | str | None = None) -> Evaluation:
    """Reconcile every outturn of the scenario's data folder with its costing. ``subject`` is an
    ``Analysis`` (its ledger gives the costed amounts: nothing is costed again but the re-costings
    that solve for the implied assumptions) or a resolved scenario."""
    if hasattr(subject, "ledger") and hasattr(subject, "cost"):  # an Analysis
        sc, ledger = subject.scenario, subject.ledger
        ids = list(subject.cost.costed.index)
    elif isinstance(subject, ResolvedScenario):
        sc, ledger, ids = subject, None, []
    else:
        sc = load_scenario(subject, data_dir)
        ledger, ids = None, []
    if data_dir is None and sc.catalog is not None:
        data_dir = sc.catalog.data_dir
    outturns = load_outturns(data_dir, sc)
    plans = {p.measure.id: p for p in make_plans(sc)}
    rows = []
    for path, o in outturns:
        matched = [plans[m] for m in o.measures]
        w = period_weights(o)
        if ledger is not None:
            every = period_central(ledger, ids, w)
            by_measure = {m: every[m] for m in o.measures}
        else:
            by_measure = mean_cost(sc, matched, w)
        target = o.jinan("central")
        gaps = tuple(coverage(o, sc))
        # over a window the measures do not cover, nothing is implied (like for like only)
        implied = [] if gaps else [solve(sc, matched, w, name, target) for name in o.driving]
        jinan = (o.jinan("low"), target, o.jinan("high"))
        costed = sum(by_measure.values())
        rows.append(Reconciliation(path, o, jinan, costed, by_measure, implied, gaps))
    return Evaluation(sc, rows)


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Move:
    assumption: str
    outturn: str
    unit: str
    before: dict[str, float]  # low / central / high, in ``unit``
    after: dict[str, float]
    why: str


def calibration_moves(name: str = CALIBRATED, data_dir: Path | str | None = None) -> list[Move]:
    """The moves a calibrated scenario lists (``moves:`` in its file), each checked: its outturn
    exists, its ``from`` is the assumption as the scenario it extends has it, and its ``to`` is
    what the scenario sets."""
    from ..inputs.loader import parse

    data_dir = Path(data_dir) if data_dir else DATA_DIR
    files = scenario_files(data_dir)
    if name not in files:
        raise DataError.single(
            data_dir / "scenarios",
            "scenario",
            f"unknown scenario '{name}'" + did_you_mean(name, files),
        )
    path = files[name]
    sc_file = parse(path, "scenarios")
    resolved = load_scenario(name, data_dir)
    parent = load_scenario(sc_file.extends, data_dir) if sc_file.extends else None
    known = {o.id for _, o in load_outturns(data_dir, resolved)}
    problems: list[Problem] = []
    moves = []
    for i, mv in enumerate(sc_file.moves):
        where = f"moves[{i}]"
        if mv.outturn not in known:
            problems.append(
                Problem(
                    str(path),
                    f"{where}.outturn",
                    f"unknown outturn '{mv.outturn}'" + did_you_mean(mv.outturn, known),
                )
            )
        if mv.assumption not in resolved.assumptions:
            problems.append(
                Problem(str(path), f"{where}.assumption", f"unknown assumption '{mv.assumption}'")
            )
            continue
        now = resolved.assumptions[mv.assumption]
        before = parent.assumptions[mv.assumption] if parent else now
        for label, over, a in (("from", mv.from_, before), ("to", mv.to, now)):
            for point in ("low", "central", "high"):
                v = getattr(over, point)
                if v is not None and not math.isclose(v, getattr(a, point), rel_tol=1e-9):
                    problems.append(
                        Problem(
                            str(path),
                            f"{where}.{label}.{point}",
                            f"{v:g} differs from the scenario's {getattr(a, point):g} {a.unit}",
                        )
                    )
        moves.append(
            Move(
                mv.assumption,
                mv.outturn,
                now.unit,
                _points(mv.from_),
                _points(mv.to),
                mv.why,
            )
        )
    if problems:
        raise DataError(problems)
    return moves


def _points(over: AssumptionOverride) -> dict[str, float]:
    return {p: v for p, v in over.model_dump().items() if v is not None}


def moves_frame(moves: list[Move], lang: str = "en") -> pd.DataFrame:
    """Each move: the assumption, from and to (low / central / high in its unit), the outturn it
    was solved from, and why."""

    def shown(points: dict[str, float], unit: str) -> str:
        order = ("low", "central", "high")
        return " / ".join(f"{points[p]:g}" for p in order if p in points) + f" {unit}"

    zh = lang == "zh"
    return pd.DataFrame(
        [
            {
                ("假设" if zh else "assumption"): m.assumption,
                ("原值（低/中/高）" if zh else "from (low / central / high)"): shown(
                    m.before, m.unit
                ),
                ("新值（低/中/高）" if zh else "to (low / central / high)"): shown(m.after, m.unit),
                ("所据执行数" if zh else "outturn"): m.outturn,
                ("原因" if zh else "why"): m.why,
            }
            for m in moves
        ]
    )


__all__ = [
    "CALIBRATED",
    "Evaluation",
    "Implied",
    "Move",
    "Reconciliation",
    "calibration_moves",
    "MIN_IN_FORCE",
    "coverage",
    "evaluate_outturns",
    "load_outturns",
    "mean_cost",
    "moves_frame",
    "period_weights",
    "solve",
]


def check_outturn_files(files: list[Path], kind: str | None = None) -> None:
    """For ``jnpolicy validate``: check the outturns among ``files`` against their data folder's
    catalog and baseline (measures, driving assumptions), as ``evaluate`` would."""
    from ..inputs.loader import check_data_folders

    check_data_folders(files, ("outturns",), load_outturns, kind)


# --------------------------------------------------------------------------- the report's tables

_H: dict[str, tuple[str, str]] = {
    "outturn_id": ("执行数", "Outturn"),
    "title": ("内容", "What"),
    "geography": ("地域", "Geography"),
    "period": ("期间", "Period"),
    "measures": ("对应措施", "Measures matched"),
    "published": ("公布数（万元）", "Published (10k yuan)"),
    "jinan": ("折算济南（万元）", "Scaled to Jinan (10k yuan)"),
    "range": ("折算区间（万元）", "Scaled range (10k yuan)"),
    "costed": ("测算（万元）", "Costed (10k yuan)"),
    "ratio": ("测算/执行", "Costed / outturn"),
    "verdict": ("判断", "Verdict"),
    "use": ("用途", "Use"),
    "measure": ("措施", "Measure"),
    "share": ("期内占比", "Share in the period"),
    "assumption": ("假设", "Assumption"),
    "was": ("原值", "Was"),
    "implied": ("可复现执行数的值", "Value that reproduces the outturn"),
    "unit": ("单位", "Unit"),
    "factor": ("倍数", "Factor"),
    "method": ("求解方法", "Solved by"),
    "reason": ("差异原因", "Reasons for the difference"),
    "before": ("校准前 测算/执行", "Costed / outturn before"),
    "after": ("校准后 测算/执行", "Costed / outturn after"),
}
_USE = {"calibrate": ("用于校准", "calibrates"), "cross_check": ("仅作核对", "cross-check")}
_METHOD = {
    "linear": ("线性（重算核验）", "linearity, checked by re-costing"),
    "brent": ("区间求根重算（Brent 法）", "bracketed root search on re-costings (Brent)"),
    "none": ("有效范围内无解", "no value within the valid range"),
}


def _h(key: str, lang: str) -> str:
    return _H[key][0 if lang == "zh" else 1]


def _wan(yuan: float) -> float:
    return yuan / 1e4


def verdict(r: Reconciliation, lang: str = "zh") -> str:
    """Whether the costing lies inside the outturn's scaled range, above or below it (or that the
    scenario's measures do not cover the outturn's window)."""
    if not r.comparable:
        return r.not_covered_text(lang)
    if r.costed > r.jinan[2]:
        return "测算高于执行数区间" if lang == "zh" else "costing above the outturn's range"
    if r.costed < r.jinan[0]:
        return "测算低于执行数区间" if lang == "zh" else "costing below the outturn's range"
    return "测算在执行数区间内" if lang == "zh" else "costing within the outturn's range"


def outturn_table(ev: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """Forecast against outturn, one row per outturn; amounts in 万元."""
    return pd.DataFrame(
        [
            {
                _h("outturn_id", lang): r.outturn.id,
                _h("title", lang): r.outturn.title_zh if lang == "zh" else r.outturn.title_en,
                _h("geography", lang): r.outturn.geography,
                _h("period", lang): f"{r.outturn.period.start} – {r.outturn.period.end}",
                _h("published", lang): _wan(r.outturn.base_amount()),
                _h("jinan", lang): _wan(r.jinan[1]),
                _h("range", lang): f"{_wan(r.jinan[0]):,.0f} – {_wan(r.jinan[2]):,.0f}",
                _h("costed", lang): _wan(r.costed),
                _h("ratio", lang): round(r.ratio, 2) if r.comparable else float("nan"),
                _h("verdict", lang): verdict(r, lang),
                _h("use", lang): _USE[r.outturn.use][0 if lang == "zh" else 1],
            }
            for r in ev.rows
        ]
    )


def measure_table(ev: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """The costed amount of each matched measure in each outturn's period (万元), and the share
    of the measure's whole cost that falls in the period."""
    from ..costing.bindings import make_plans

    plans = {p.measure.id: p for p in make_plans(ev.scenario)}
    whole = np.ones(grid.N_MONTHS)
    rows = []
    for r in ev.rows:
        full = mean_cost(ev.scenario, [plans[m] for m in r.outturn.measures], whole)
        for mid, value in r.by_measure.items():
            m = plans[mid].measure
            rows.append(
                {
                    _h("outturn_id", lang): r.outturn.id,
                    _h("measure", lang): m.title_zh if lang == "zh" else m.title_en,
                    "id": mid,
                    _h("costed", lang): _wan(value),
                    _h("share", lang): round(value / full[mid], 3) if full[mid] else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def implied_table(ev: Evaluation, lang: str = "zh") -> pd.DataFrame:
    i = 0 if lang == "zh" else 1
    return pd.DataFrame(
        [
            {
                _h("outturn_id", lang): r.outturn.id,
                _h("assumption", lang): m.assumption,
                _h("was", lang): m.was,
                _h("implied", lang): float("nan") if m.value is None else round(m.value, 4),
                _h("unit", lang): m.unit,
                _h("factor", lang): float("nan") if m.factor is None else round(m.factor, 3),
                _h("method", lang): _METHOD[m.method][i],
            }
            for r in ev.rows
            for m in r.implied
        ]
    )


def reasons_table(ev: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """Each outturn's verdict, then the reasons (from its file) why costing and outturn differ."""
    return pd.DataFrame(
        [
            {
                _h("outturn_id", lang): r.outturn.id,
                _h("ratio", lang): round(r.ratio, 2) if r.comparable else float("nan"),
                _h("verdict", lang): verdict(r, lang),
                _h("reason", lang): reason,
            }
            for r in ev.rows
            for reason in r.outturn.reasons
        ]
    )


def calibration_table(
    before: Evaluation, after: Evaluation, moves: list[Move], lang: str = "zh"
) -> pd.DataFrame:
    """What changed in the model: each move of the calibrated scenario, from what to what and
    why, with the costed / outturn ratio of its outturn before and after."""
    table = moves_frame(moves, lang)
    table[_h("before", lang)] = [round(before.get(m.outturn).ratio, 3) for m in moves]
    table[_h("after", lang)] = [round(after.get(m.outturn).ratio, 3) for m in moves]
    return table


def what_changed(
    ev: Evaluation, data_dir: Path | str | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """The calibrated scenario's moves with their outturns' ratio under central (before) and
    calibrated (after), both at ``ev``'s draws and seed; empty when the data folder has no
    calibrated scenario."""
    if CALIBRATED not in scenario_files(Path(data_dir) if data_dir else DATA_DIR):
        return pd.DataFrame(columns=["assumption", "outturn", "why"])
    moves = calibration_moves(CALIBRATED, data_dir)
    draws, seed = ev.scenario.draws, ev.scenario.seed

    def at(name: str) -> Evaluation:
        if ev.scenario.name == name:
            return ev
        return evaluate_outturns(load_scenario(name, data_dir, draws=draws, seed=seed), data_dir)

    return calibration_table(at("central"), at(CALIBRATED), moves, lang)
