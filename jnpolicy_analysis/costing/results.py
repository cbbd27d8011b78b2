"""Costing results as tidy pandas frames, the JSON contract, and the comparison of two scenarios.

Money is in 元 throughout; ``units.yuan_to`` converts for display. Every figure is read from the
run's ledger (``ledger``): its cells hold each draw's cost of one measure, fund, timing, budget,
level of government and counterfactual part. ``central`` is the expected cost: the mean of the
draws that also give P5/P50/P95, so P5 <= central <= P95 for every measure, total and breakdown,
and the central of a total is the sum of its parts' centrals (the mean of a sum is the sum of the
means). ``at_mode`` is the deterministic cost with every assumption at its mode (the scenario's
point); the hand-worked decomposition (static, take-up and response effects) is of that figure. A
stress case (a scenario with every assumption at a bound) is a point: its ledger is one draw at
that point, so its central is its at-mode cost.
Class A (spending and forgone revenue) is what the totals call cost; class C (the expected cost of
guarantees) and class D (amounts deferred) are shown apart and never added to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..inputs.scenarios import ResolvedScenario
from ..inputs.schemas.policy import BUDGETS, LEVELS, STATUSES
from . import grid
from .engine import Plan
from .ledger import Ledger, paired_quantiles
from .montecarlo import CLASSES, quantiles
from .montecarlo import stat_dict as _stats

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
# what a cost can be summed by: measure attributes, the cell's fund, budget, level of government,
# counterfactual part and status (data/register, month by month), and the year
GROUP_KEYS = (
    "measure_id",
    "doc",
    "funding_source",
    "fiscal_class",
    "government_level",
    "instrument",
    "budget",
    "level",
    "discretionary",
    "status",
    "year",
)
STAT_COLUMNS = ["central", "p5", "p50", "p95"]
# what each total of ``CostResult.totals`` and the financing summary counts (the JSON's
# totals.what_it_counts)
WHAT_IT_COUNTS = {
    "cost": "class A (spending and forgone revenue), inside the fiscal perimeter",
    "by_fiscal_class": (
        "each IMF class inside the fiscal perimeter: A spending and forgone revenue, C expected "
        "loss on guarantees, D amounts deferred; flows outside general government are not in it"
    ),
    "outside_perimeter_by_fiscal_class": (
        "flows outside general government (budget 'outside': 住房公积金), by class; never in a "
        "fiscal total"
    ),
    "class_c.expected_loss": "class C: the expected cost of the guarantees (volume x default rate)",
    "class_c.face_value": (
        "class C: the guaranteed volume (face value, the IMF database's measure) with every "
        "assumption at its mode; a liability that may fall due, not a cost, never added"
    ),
    "class_d.inside_perimeter": "class D: amounts deferred by general government (a timing gain)",
    "class_d.outside_perimeter": "class D: deferrals outside general government (住房公积金)",
    "by_funding_source": "class A by the fund that pays",
    "by_year": "class A by the year it is paid",
    "by_budget": "class A by budget (一般公共预算, 政府性基金预算, 国有资本经营预算, 社会保险基金预算)",
    "by_government_level": "class A by the level of government that bears it",
    "by_budget_and_level": "class A by budget and level: adds up to cost in every draw",
    "city_budget": (
        "class A borne at municipal level: the city's own budgets apart from the social-insurance "
        "funds it pools"
    ),
    "discretionary": "class A that Jinan itself decided (new measures, the part of a top-up above "
    "the higher-level standard)",
    "outside_perimeter": "every flow outside general government, any class, never added",
}


class _Summary:
    """A summary of a CostResult, made the first time it is read (``CostResult.defer``); setting
    it replaces what is pending."""

    def __init__(self, doc: str):
        self.__doc__ = doc

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        return self if obj is None else obj._summary(self.name)

    def __set__(self, obj, value) -> None:
        obj._pending.pop(self.name, None)
        obj._summaries[self.name] = value


@dataclass
class CostResult:
    """The costing of every measure under one scenario.

    ``measures``: one row per measure of the catalog (index: measure id) with its document, clause,
    instrument, IMF class, fund and level; for costed measures the static cost, the take-up and
    response effects, the final (central) cost, P5/P50/P95 and mean over the draws, the deadweight,
    the cost by year and the uncertainty rating; for the others ``costed`` False and the reason.
    ``monthly``: the central cost by measure, fund and month (tidy, one row per month).
    ``not_costed``: measures and provisions with no costing, with the reason.
    """

    scenario: ResolvedScenario
    draws: int
    seed: int
    measures: pd.DataFrame
    monthly: pd.DataFrame
    not_costed: pd.DataFrame
    ledger: Ledger = field(repr=False)
    sensitivity_values: np.ndarray = field(repr=False)  # (costed measures, 1 + 2U)
    sensitivity_names: list[str] = field(repr=False)
    sensitivity_points: pd.DataFrame = field(repr=False)  # assumption -> low, point, high, kind...
    plans: list[Plan] = field(repr=False)
    # the who-pays, funds, horizon and internal-transfer summaries (``financing.summarise``,
    # ``funds.summarise``, ``horizon.summarise``, ``transfers.summarise``), each made the first
    # time it is read (``defer``): a costing asked only for its totals does not pay for them
    _summaries: dict = field(default_factory=dict, repr=False)
    _pending: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ summaries

    def defer(self, **makers) -> None:
        """Register the summaries (name -> a function of no arguments, or None for "none") to be
        made when first read."""
        for name, make in makers.items():
            self._summaries.pop(name, None)
            self._pending[name] = make

    def _summary(self, name: str):
        if name in self._pending:
            make = self._pending.pop(name)
            self._summaries[name] = None if make is None else make()
        return self._summaries.get(name)

    def complete(self) -> CostResult:
        """Make every pending summary now (before the result is cached or sent elsewhere)."""
        for name in list(self._pending):
            self._summary(name)
        return self

    def __getstate__(self) -> dict:  # pickled (the report run's cache) with every summary made
        self.complete()
        return self.__dict__.copy()

    financing = _Summary("Who pays: budget, level of government, counterfactual.")
    funds = _Summary("The funds' solvency (a list of funds).")
    horizon = _Summary("Costs after 2022.")
    transfers = _Summary("Internal transfers that net out for general government.")

    # ------------------------------------------------------------------ frames

    @property
    def costed(self) -> pd.DataFrame:
        return self.measures[self.measures["costed"]]

    def cell_labels(self, key: str) -> list:
        """The label of each ledger cell under ``key`` (one of ``GROUP_KEYS`` but year)."""
        L = self.ledger
        ids = list(self.costed.index)
        if key == "funding_source":
            return [L.fund_names[c.fund] for c in L.cells]
        if key == "budget":
            return [BUDGETS[c.budget] for c in L.cells]
        if key == "level":
            return [LEVELS[c.level] if c.level >= 0 else None for c in L.cells]
        if key == "discretionary":
            return [bool(c.discretionary) for c in L.cells]
        if key == "status":
            return [STATUSES[c.status] for c in L.cells]
        if key == "measure_id":
            return [ids[c.measure] for c in L.cells]
        column = self.costed[key].tolist()
        return [column[c.measure] for c in L.cells]

    def weights(self, *keys: str, fiscal_class: str | None = "A") -> tuple[list, np.ndarray]:
        """(labels, (labels, cells) weights) summing the ledger's cells by ``keys`` (a label is
        a tuple when there are several keys), over the cells of ``fiscal_class`` (all when
        None). A ``year`` key splits each cell by its timing profile's share of each year."""
        for k in keys:
            if k not in GROUP_KEYS:
                raise KeyError(f"cannot group by '{k}'; choose from {', '.join(GROUP_KEYS)}")
        L = self.ledger
        n = len(L.cells)
        keep = np.ones(n, dtype=bool)
        if fiscal_class is not None and "fiscal_class" not in keys:
            keep = L.attribute("class") == CLASSES.index(fiscal_class)
        columns = [self.cell_labels(k) if k != "year" else None for k in keys]
        years = L.year_shares() if "year" in keys else None
        rows: dict[tuple, np.ndarray] = {}
        for c in np.flatnonzero(keep):
            spans = [(None, 1.0)] if years is None else list(zip(grid.YEARS, years[c], strict=True))
            for y, share in spans:
                label = tuple(y if col is None else col[c] for col in columns)
                if any(x is None for x in label):
                    continue  # an outside flow has no level
                row = rows.setdefault(label, np.zeros(n))
                row[c] += share
        labels = sorted(rows, key=lambda t: tuple(str(x) for x in t))
        w = np.array([rows[t] for t in labels]) if labels else np.zeros((0, n))
        return [t[0] if len(keys) == 1 else t for t in labels], w

    def by(self, *keys: str, fiscal_class: str | None = "A") -> pd.DataFrame:
        """Cost (元) summed by any of ``GROUP_KEYS``: the central and P5/P50/P95 of the per-draw
        sums of the ledger's cells. Only class ``fiscal_class`` is summed (default A, spending:
        guarantees and deferrals are not added to it); pass None, or group by ``fiscal_class``,
        to keep every class. With no key, the one total."""
        if not keys:
            labels, w = ["total"], self.weights("fiscal_class", fiscal_class=None)[1]
            if fiscal_class is not None:
                w = self.ledger.mask(**{"class": CLASSES.index(fiscal_class)})[None, :]
            else:
                w = w.sum(axis=0, keepdims=True)
        else:
            labels, w = self.weights(*keys, fiscal_class=fiscal_class)
        central, q = self.ledger.stats(w)
        index = (
            pd.MultiIndex.from_tuples(labels, names=list(keys))
            if len(keys) > 1
            else pd.Index(labels, name=keys[0] if keys else None)
        )
        return pd.DataFrame(
            {"central": central, "p5": q[:, 0], "p50": q[:, 1], "p95": q[:, 2]}, index=index
        )

    def fan(self, cumulative: bool = False, qs: tuple[float, ...] = FAN_QUANTILES) -> pd.DataFrame:
        """Class-A cost by month (元): the central path and quantiles of the draws, for a fan chart.
        ``cumulative`` gives the running total from January 2020."""
        L = self.ledger
        w = L.by_month(L.mask(**{"class": CLASSES.index("A")}), cumulative)
        central = L.central(w)
        q = L.series_quantiles(w, qs)
        frame = pd.DataFrame(q, index=grid.MONTHS, columns=[f"p{round(x * 100)}" for x in qs])
        frame.insert(0, "central", central)
        frame.index.name = "month"
        return frame

    def sensitivity(self, measure_id: str | None = None) -> pd.DataFrame:
        """One-at-a-time sensitivity for a tornado chart: the final cost (元) of one measure, or of
        all class-A measures, with each assumption at its low and its high value and every other
        at the scenario's point; sorted by swing, largest first."""
        costed = list(self.costed.index)
        if measure_id is None:
            rows = [i for i, m in enumerate(costed) if self.costed.loc[m, "fiscal_class"] == "A"]
            values = self.sensitivity_values[rows].sum(axis=0)
        else:
            if measure_id not in costed:
                raise KeyError(f"'{measure_id}' is not a costed measure")
            values = self.sensitivity_values[costed.index(measure_id)]
        return tornado(self.sensitivity_points, values)

    # ------------------------------------------------------------------ totals and JSON

    def class_rows(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(classes present, (classes, cells) weights inside the fiscal perimeter, (classes,
        cells) weights outside it): each IMF class's cells split by budget ``outside`` (flows
        outside general government, 住房公积金), so a class total holds no outside flow."""
        L = self.ledger
        cls = L.attribute("class")
        outside = L.attribute("budget") == BUDGETS.index("outside")
        present = [k for k in range(len(CLASSES)) if (cls == k).any()]
        inside = np.array([(cls == k) & ~outside for k in present], dtype=float)
        out = np.array([(cls == k) & outside for k in present], dtype=float)
        n = len(L.cells)
        return (
            [CLASSES[k] for k in present],
            inside.reshape(len(present), n),
            out.reshape(len(present), n),
        )

    def total_weights(self) -> list[np.ndarray]:
        """The weights of the series ``totals`` reads: each class inside and outside the fiscal
        perimeter, each fund and each year (class A)."""
        _, inside, outside = self.class_rows()
        return [inside, outside, self.weights("year")[1], self.weights("funding_source")[1]]

    def totals(self) -> dict:
        """Totals in 元: class-A cost (central, P5, P50, P95), each class inside the fiscal
        perimeter and, apart, what each class has outside it, the face value of the guarantees
        (class C) beside their expected loss, each fund (class A), each year (class A), all
        summed from the ledger's cells draw by draw; ``what_it_counts`` says what each counts."""

        def stats(frame: pd.DataFrame) -> dict:
            return {
                str(k): _stats(r["central"], r[["p5", "p50", "p95"]].to_numpy())
                for k, r in frame.iterrows()
            }

        classes, inside, outside = self.class_rows()
        ci, qi = self.ledger.stats(inside)
        co, qo = self.ledger.stats(outside)
        by_class = {c: _stats(ci[i], qi[i]) for i, c in enumerate(classes)}
        outside_by_class = {
            c: _stats(co[i], qo[i]) for i, c in enumerate(classes) if outside[i].any()
        }
        by_year = stats(self.by("year"))
        for y in grid.YEARS:
            by_year.setdefault(str(y), _stats(0.0, None))
        guarantees = self.costed[self.costed["fiscal_class"] == "C"]
        face = guarantees["exposure"].dropna()
        zero = _stats(0.0, None)
        return {
            "cost": by_class.get("A", zero),
            "by_fiscal_class": by_class,
            "outside_perimeter_by_fiscal_class": outside_by_class,
            "class_c": {
                "expected_loss": by_class.get("C", zero),
                "face_value": {"at_mode": float(face.sum()), "measures": list(face.index)},
            },
            "class_d": {
                "inside_perimeter": by_class.get("D", zero),
                "outside_perimeter": outside_by_class.get("D", zero),
            },
            "by_funding_source": stats(self.by("funding_source")),
            "by_year": {str(y): by_year[str(y)] for y in grid.YEARS},
            "what_it_counts": WHAT_IT_COUNTS,
            "note": (
                "cost, by_funding_source and by_year are class A (spending and forgone revenue); "
                "class C is the expected cost of guarantees (class_c gives their face value, the "
                "guaranteed volume, beside it) and class D the amount deferred inside the fiscal "
                "perimeter (outside-perimeter deferrals, 住房公积金, in class_d.outside_perimeter), "
                "shown apart and not added to cost; every figure is summed from the same draws, "
                "so parts add up to their totals in every draw"
            ),
        }

    def to_json(self) -> dict:
        """The ``jnpolicy cost --json`` output of docs/json_output.md (amounts in 元, unit "yuan")."""
        measures = []
        for mid, row in self.costed.iterrows():
            measures.append(
                {
                    "id": mid,
                    "doc": row["doc"],
                    "clause": row["clause"],
                    "title_zh": row["title_zh"],
                    "title_en": row["title_en"],
                    "instrument": row["instrument"],
                    "fiscal_class": row["fiscal_class"],
                    "funding_source": row["funding_source"],
                    "government_level": row["government_level"],
                    "cost": {k: float(row[k]) for k in ("central", "p5", "p50", "p95")},
                    "at_mode": float(row["at_mode"]),
                    "static": float(row["static"]),
                    "behavioural": {
                        "take_up": float(row["take_up_effect"]),
                        "response": float(row["response_effect"]),
                    },
                    "deadweight": float(row["deadweight"]),
                    "exposure": None if pd.isna(row["exposure"]) else float(row["exposure"]),
                    "by_year": {str(y): float(row[f"y{y}"]) for y in grid.YEARS},
                    "uncertainty_rating": {
                        "data": row["rating_data"],
                        "modelling": row["rating_modelling"],
                        "behaviour": row["rating_behaviour"],
                        "final": row["rating_final"],
                        "reason": row["rating_reason"],
                    },
                }
            )
        if self.financing is not None:
            for item in measures:
                f = self.financing["measures"][item["id"]]
                item.update({k: f[k] for k in FINANCING_MEASURE_KEYS})
        if self.horizon is not None:
            for item in measures:
                h = self.horizon["measures"].get(item["id"])
                item["after_2022"] = None if h is None else h["after_2022"]
                item["run_rate_after_2022"] = None if h is None else h["run_rate_after_2022"]
        if self.transfers is not None:
            for item in measures:
                item["internal_transfer"] = self.transfers["measures"].get(item["id"])
        totals = self.totals()
        if self.financing is not None:
            totals.update(self.financing["totals"])
        if self.horizon is not None:
            totals.update(self.horizon["totals"])
        if self.transfers is not None:
            totals.update(self.transfers["totals"])
        out = {
            "scenario": self.scenario.name,
            "unit": "yuan",
            "draws": self.draws,
            "seed": self.seed,
            "point": self.scenario.point,
            "stress_case": self.stress_case,
            "measures": measures,
            "not_costed": [
                {"id": i, "doc": r["doc"], "clause": r["clause"], "reason": r["reason"]}
                for i, r in self.not_costed.iterrows()
            ],
            "totals": totals,
        }
        if self.funds is not None:
            from .funds import FUNDS_NOTE

            out["funds"] = self.funds
            out["funds_note"] = FUNDS_NOTE
        return _points_only(out) if self.stress_case else out

    @property
    def stress_case(self) -> bool:
        """Every assumption at a bound of its range (the scenario's point is low or high): a
        stress case is a point, not a distribution, and its JSON gives the point alone."""
        return self.scenario.stress_case


def _points_only(obj):
    """``obj`` with every {central, p5, p50, p95} replaced by {"point": central}."""
    if isinstance(obj, dict):
        if set(STAT_COLUMNS) <= set(obj):
            rest = {k: _points_only(v) for k, v in obj.items() if k not in STAT_COLUMNS}
            return {"point": obj["central"], **rest}
        return {k: _points_only(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_points_only(v) for v in obj]
    return obj


FINANCING_MEASURE_KEYS = (
    "budget",
    "government_shares",
    "counterfactual",
    "discretionary_cost",
    "municipal_cost",
    "components",
)


def tornado(points: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    """The tornado table: ``points`` (one row per assumption) with the cost at the point, at each
    assumption's low and high (``values``: point, then low/high pairs), and the swing."""
    frame = points.copy()
    frame["cost_low"] = values[1::2]
    frame["cost_high"] = values[2::2]
    frame["cost_point"] = float(values[0])
    frame["swing"] = (frame["cost_high"] - frame["cost_low"]).abs()
    frame = frame[frame["swing"] > 0].sort_values("swing", ascending=False)
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """Variant minus baseline, by measure and in total (元). With the same draws and seed the two
    runs share every assumption's draws, so the P5-P95 of the difference reflects the policy
    change, not sampling noise."""

    baseline: CostResult
    variant: CostResult
    measures: pd.DataFrame
    totals: pd.DataFrame

    def to_json(self) -> dict:
        def rows(frame: pd.DataFrame) -> list[dict]:
            out = []
            for key, r in frame.iterrows():
                item = {"id": key} if frame is self.measures else {"total": key}
                if frame is self.measures:
                    item.update({"doc": r["doc"], "fiscal_class": r["fiscal_class"]})
                item.update(
                    {
                        "baseline": float(r["baseline"]),
                        "variant": float(r["variant"]),
                        "difference": {
                            "central": float(r["difference"]),
                            "p5": _nan_none(r["difference_p5"]),
                            "p50": _nan_none(r["difference_p50"]),
                            "p95": _nan_none(r["difference_p95"]),
                        },
                    }
                )
                out.append(item)
            return out

        return {
            "baseline": self.baseline.scenario.name,
            "variant": self.variant.scenario.name,
            "unit": "yuan",
            "draws": self.variant.draws,
            "seed": self.variant.seed,
            "measures": rows(self.measures),
            "totals": rows(self.totals),
        }


def _nan_none(x) -> float | None:
    return None if pd.isna(x) else float(x)


def compare_results(baseline: CostResult, variant: CostResult) -> Comparison:
    """Variant minus baseline by measure (central, and P5/P50/P95 of the per-draw difference when
    both runs have the same draws and seed), and by IMF class."""
    paired = (
        baseline.ledger.draws == variant.ledger.draws
        and baseline.seed == variant.seed
        and not (baseline.stress_case or variant.stress_case)
    )
    b, v = baseline.costed, variant.costed
    ids = [m for m in v.index if m in b.index] + [m for m in b.index if m not in v.index]
    frame = pd.DataFrame(index=pd.Index(ids, name="id"))
    frame["doc"] = [(v if m in v.index else b).loc[m, "doc"] for m in ids]
    frame["fiscal_class"] = [(v if m in v.index else b).loc[m, "fiscal_class"] for m in ids]
    frame["baseline"] = [b.loc[m, "central"] if m in b.index else 0.0 for m in ids]
    frame["variant"] = [v.loc[m, "central"] if m in v.index else 0.0 for m in ids]
    frame["difference"] = frame["variant"] - frame["baseline"]
    # the same with every assumption at its mode (what a hand calculation gives)
    frame["baseline_at_mode"] = [b.loc[m, "at_mode"] if m in b.index else 0.0 for m in ids]
    frame["variant_at_mode"] = [v.loc[m, "at_mode"] if m in v.index else 0.0 for m in ids]
    frame["difference_at_mode"] = frame["variant_at_mode"] - frame["baseline_at_mode"]
    qcols = ["difference_p5", "difference_p50", "difference_p95"]
    if paired:
        bpos = {m: i for i, m in enumerate(b.index)}
        vpos = {m: i for i, m in enumerate(v.index)}
        vs, bs = variant.ledger, baseline.ledger

        def rows(ledger: Ledger, pos: dict) -> np.ndarray:
            zero = np.zeros(len(ledger.cells))
            return np.array([ledger.mask(measure=pos[m]) if m in pos else zero for m in ids])

        wv, wb = rows(vs, vpos), rows(bs, bpos)
        frame[qcols] = paired_quantiles(vs, wv, bs, wb)
        cq = paired_quantiles(vs, vs.weights("class"), bs, bs.weights("class"))
    else:
        frame[qcols] = np.nan
        cq = np.full((len(CLASSES), 3), np.nan)
    totals = pd.DataFrame(index=pd.Index([f"class {c}" for c in CLASSES], name="total"))
    bc = b.groupby("fiscal_class")["central"].sum()
    vc = v.groupby("fiscal_class")["central"].sum()
    totals["baseline"] = [float(bc.get(c, 0.0)) for c in CLASSES]
    totals["variant"] = [float(vc.get(c, 0.0)) for c in CLASSES]
    totals["difference"] = totals["variant"] - totals["baseline"]
    totals[qcols] = cq
    keep = (totals["baseline"] != 0) | (totals["variant"] != 0)
    return Comparison(baseline, variant, frame, totals[keep])


__all__ = ["CostResult", "Comparison", "compare_results", "quantiles", "tornado"]
