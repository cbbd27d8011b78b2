"""Track every numeric target of the plans under a scenario: ``track_targets`` → ``TargetReport``.

For each headline target: its baseline, its latest public figure, the compound yearly growth (or,
for counts the plan starts at zero, the additions a year) required from the baseline to the
deadline, a projected path from the latest figure to the deadline under the scenario's growth
assumption, the probability of meeting the target by the deadline, and a status from the
thresholds of ``tracking.yaml``. A status of on track / at risk / off track needs a projection
that starts from a public figure; one that starts from an assumption gives ``no data``, and its
P(met) is shown labelled "what the assumptions imply".

Once ``as_of`` is past a target's deadline it gets a verdict — met, not met or cannot tell — from
observed or proxy figures only (never a baseline or an assumption): its own latest figure, or
the sum of the annual commitments that serve it. The ex-ante view stays beside it: P(met) as at
the plan's start and the growth it required.

Annual "each year N" commitments are tracked year by year: met, missed or no data. Then the
consistency of the plans (``consistency.py``).

Projection: one growth rate (or flow) per draw, held for every year, drawn triangular over the
assumption's low–high with its mode at the scenario's point; the starting figure drawn over its
low–high when it carries one. Seeded: the same scenario, draws and seed give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..formatting import number
from ..inputs.observations import Observation, Observations, load_observations
from ..inputs.scenarios import ResolvedScenario, with_settings
from ..units import get_unit
from .config import ProxyReading, TrackingConfig, check_tracking, load_tracking
from .consistency import ConsistencyRow, consistency_rows
from .projection import (
    annual_status,
    annual_verdict,
    meets,
    project,
    quantile_draws,
    required_growth,
    required_per_year,
    rng_for,
    status_of,
    year_status,
    years_to,
)

ASSUMED = "what the assumptions imply"


@dataclass(frozen=True)
class TargetResult:
    """One target tracked. Values in base units (counts, 元) unless named ``*_display`` (the
    target's own unit as printed)."""

    id: str
    doc: str
    clause: str
    kind: str  # headline | annual
    metric_zh: str
    metric_en: str
    comparator: str
    target_value: float  # as printed, in ``unit``
    target_value_max: float | None
    unit: str
    target_base_value: float
    deadline: str
    status: str
    basis: str  # what the status rests on: observed, proxy, assumption, none
    model: str | None = None
    baseline: Observation | None = None
    latest: Observation | None = None
    required_annual_growth: float | None = None  # fraction a year, compound, from the baseline
    required_per_year: float | None = None  # base units a year, additive, from the baseline
    required_from_latest: float | None = None  # the same measure, from the latest figure
    probability_met: float | None = None
    projected: dict | None = None  # p5, p50, p95, point at the deadline, in ``unit``
    growth: dict | None = None  # the assumption: name, low, central, high, unit, point
    by_year: dict[int, dict | None] = field(default_factory=dict)  # annual commitments
    serves: tuple[str, ...] = ()
    note: str | None = None  # the reading of the target, from its file
    probability_label: str | None = None  # ASSUMED when P(met) rests on an assumption
    verdict: str | None = None  # met | not met | cannot tell; None before the deadline
    verdict_basis: str | None = None  # observed | proxy | None
    verdict_evidence: str | None = None  # the figure the verdict rests on, in words
    ex_ante: dict | None = None  # P(met) as at the plan's start, and the growth it required

    @property
    def years(self) -> dict[str, dict] | None:
        """Annual commitments: {"2020": {"observed": value or None, "status": met|missed|no data}}."""
        if self.kind != "annual":
            return None
        return {
            str(y): {
                "observed": None if v is None else v["value"],
                "status": year_status(None if v is None else v["met"]),
                "basis": None if v is None else v["kind"],
            }
            for y, v in self.by_year.items()
        }

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "doc": self.doc,
            "clause": self.clause,
            "kind": self.kind,
            "metric_zh": self.metric_zh,
            "metric_en": self.metric_en,
            "comparator": self.comparator,
            "target_value": self.target_value,
            "target_value_max": self.target_value_max,
            "unit": self.unit,
            "target_base_value": self.target_base_value,
            "deadline": self.deadline,
            "model": self.model,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "latest": self.latest.to_json() if self.latest else None,
            "required_annual_growth": self.required_annual_growth,
            "required_per_year": self.required_per_year,
            "required_from_latest": self.required_from_latest,
            "probability_met": self.probability_met,
            "projected": self.projected,
            "growth_assumption": self.growth,
            "probability_label": self.probability_label,
            "status": self.status,
            "basis": self.basis,
            "verdict": self.verdict,
            "verdict_basis": self.verdict_basis,
            "verdict_evidence": self.verdict_evidence,
            "ex_ante": self.ex_ante,
            "years": self.years,
            "by_year": {str(y): v for y, v in self.by_year.items()}
            if self.kind == "annual"
            else None,
            "serves": list(self.serves),
            "note": self.note,
        }


@dataclass
class TargetReport:
    """What ``jnpolicy targets`` shows, for notebooks and charts.

    ``.targets`` one row per target; ``.paths`` the projected P5/P50/P95 and the required path per
    target and year (in the target's unit), for charts; ``.consistency`` the plans against
    themselves; ``.to_json()`` the JSON of docs/json_output.md."""

    scenario: ResolvedScenario  # the scenario as resolved from the data folder the run read
    point: str
    draws: int
    seed: int
    config: TrackingConfig
    results: list[TargetResult]
    paths: pd.DataFrame
    consistency_rows: list[ConsistencyRow]
    observations: Observations
    as_of: str = ""

    @property
    def status_rule(self) -> str:
        return self.config.status_rule()

    def status_rule_in(self, lang: str) -> str:
        """The status rule in Chinese (``"zh"``) or English."""
        return self.config.status_rule(lang)

    def result(self, target_id: str) -> TargetResult:
        for r in self.results:
            if r.id == target_id:
                return r
        raise KeyError(target_id)

    @property
    def targets(self) -> pd.DataFrame:
        rows = []
        for r in self.results:
            rows.append(
                {
                    "id": r.id,
                    "doc": r.doc,
                    "clause": r.clause,
                    "kind": r.kind,
                    "comparator": r.comparator,
                    "target_value": r.target_value,
                    "target_value_max": r.target_value_max,
                    "unit": r.unit,
                    "deadline": r.deadline,
                    "baseline_value": r.baseline.value if r.baseline else None,
                    "baseline_unit": r.baseline.unit if r.baseline else None,
                    "baseline_year": r.baseline.year if r.baseline else None,
                    "baseline_kind": r.baseline.kind if r.baseline else None,
                    "latest_value": r.latest.value if r.latest else None,
                    "latest_unit": r.latest.unit if r.latest else None,
                    "latest_year": r.latest.year if r.latest else None,
                    "latest_kind": r.latest.kind if r.latest else None,
                    "model": r.model,
                    "required_annual_growth": r.required_annual_growth,
                    "required_per_year": r.required_per_year,
                    "probability_met": r.probability_met,
                    "p5": r.projected["p5"] if r.projected else None,
                    "p50": r.projected["p50"] if r.projected else None,
                    "p95": r.projected["p95"] if r.projected else None,
                    "probability_label": r.probability_label,
                    "status": r.status,
                    "basis": r.basis,
                    "verdict": r.verdict,
                    "verdict_basis": r.verdict_basis,
                    "verdict_evidence": r.verdict_evidence,
                    "ex_ante_probability": r.ex_ante["probability"] if r.ex_ante else None,
                    "ex_ante_label": r.ex_ante["label"] if r.ex_ante else None,
                }
            )
        return pd.DataFrame(rows)

    @property
    def consistency(self) -> pd.DataFrame:
        return pd.DataFrame([c.to_json() for c in self.consistency_rows])

    def to_json(self) -> dict:
        s = self.config.status
        return {
            "scenario": self.scenario.name,
            "point": self.point,
            "draws": self.draws,
            "seed": self.seed,
            "as_of": self.as_of,
            "status_rule": self.status_rule,
            "thresholds": {"on_track": s.on_track, "at_risk": s.at_risk},
            "range_reading": self.config.range_reading,
            "targets": [r.to_json() for r in self.results],
            "consistency": [c.to_json() for c in self.consistency_rows],
        }

    def to_text(self) -> str:
        from .text import render_report

        return render_report(self)


def parse_as_of(as_of: dt.date | str | None) -> dt.date:
    """The date the targets are judged at: a date, 'YYYY-MM-DD', or None / '' for today."""
    if as_of is None or as_of == "":
        return dt.date.today()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(as_of), re.ASCII):
            raise ValueError(as_of)  # fromisoformat also takes 20200101 and 2020-W01
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise DataError.single("--as-of", "as_of", f"'{as_of}' is not a date YYYY-MM-DD") from None


def track_targets(
    scenario: ResolvedScenario,
    *,
    draws: int | None = None,
    seed: int | None = None,
    as_of: dt.date | str | None = None,
) -> TargetReport:
    """Track every target of the catalog under ``scenario`` (resolved: ``load_scenario``; its
    data folder and catalog are read) with its draws and seed (unless given) as at ``as_of``
    (default today). Raises DataError for bad inputs."""
    when = parse_as_of(as_of)
    sc = with_settings(scenario, draws, seed)
    catalog = sc.catalog
    assert catalog is not None  # load_scenario gives every scenario its catalog
    data_dir = Path(catalog.data_dir)
    config, config_path = load_tracking(data_dir)
    problems = check_tracking(config, config_path, catalog, sc.assumptions)
    if problems:
        raise DataError(problems)
    obs = load_observations(data_dir, [t for _, t in catalog.targets], config)

    annual: dict[str, TargetResult] = {
        t.id: _annual(doc, t, obs, config.range_reading, when)
        for doc, t in catalog.targets
        if t.kind == "annual"
    }
    results: list[TargetResult] = []
    path_frames: list[pd.DataFrame] = []
    for doc, t in catalog.targets:
        if t.kind == "annual":
            results.append(annual[t.id])
            continue
        feeding = [a for a in annual.values() if t.id in a.serves]
        result, frame = _headline(doc, t, obs, config, sc, when, feeding)
        results.append(result)
        if frame is not None:
            path_frames.append(frame)
    paths = (
        pd.concat(path_frames, ignore_index=True)
        if path_frames
        else pd.DataFrame(
            columns=["id", "year", "p5", "p50", "p95", "required", "observed", "unit"]
        )
    )
    return TargetReport(
        scenario=sc,
        point=sc.point,
        draws=sc.draws,
        seed=sc.seed,
        config=config,
        results=results,
        paths=paths,
        consistency_rows=consistency_rows(catalog, config, obs),
        observations=obs,
        as_of=when.isoformat(),
    )


def _common(doc: str, t) -> dict:
    return {
        "id": t.id,
        "doc": doc,
        "clause": t.clause,
        "kind": t.kind,
        "metric_zh": t.metric_zh,
        "metric_en": t.metric_en,
        "comparator": t.comparator,
        "target_value": t.value,
        "target_value_max": t.value_max,
        "unit": t.unit,
        "target_base_value": t.base_value,
        "deadline": t.deadline.isoformat(),
        "serves": tuple(t.serves),
        "note": t.note,
    }


def _annual(doc: str, t, obs: Observations, range_reading: str, when: dt.date) -> TargetResult:
    by_year: dict[int, dict | None] = {}
    met: dict[int, bool | None] = {}
    rows = {o.year: o for o in obs.of(t.id)}
    for year in t.years:
        o = rows.get(year)
        if o is None:
            by_year[year], met[year] = None, None
            continue
        ok = bool(meets(o.base_value, t.comparator, t.base_value, t.base_value_max, range_reading))
        by_year[year] = {**o.to_json(), "met": ok}
        met[year] = ok
    observed_kinds = {rows[y].kind for y in t.years if y in rows}
    basis = "proxy" if "proxy" in observed_kinds else ("observed" if observed_kinds else "none")
    latest = max((rows[y] for y in t.years if y in rows), key=lambda o: o.year, default=None)
    verdict = verdict_basis = evidence = None
    if when > t.deadline:
        verdict = annual_verdict(met)
        if verdict != "cannot tell":
            verdict_basis = basis
        seen = [f"{y}: {number(v['value'])}" for y, v in by_year.items() if v is not None]
        evidence = (
            f"{', '.join(seen)} against {number(t.value)} {t.unit}"
            if seen
            else "no public figure for any year"
        )
    return TargetResult(
        **_common(doc, t),
        status=annual_status(met),
        basis=basis,
        latest=latest,
        by_year=by_year,
        verdict=verdict,
        verdict_basis=verdict_basis,
        verdict_evidence=evidence,
    )


def _proxy(verdict: str, basis: str, words: str, proxies: ProxyReading | None) -> tuple[str, str]:
    """A verdict resting on a proxy: "met" becomes the proxy's reading (``tracking.yaml``
    ``proxies``; "consistent (different definition)" when it has none) with the difference stated,
    "not met" becomes "cannot tell" (a figure of another definition cannot fail the target)."""
    if basis != "proxy":
        return verdict, words
    if proxies is None:
        reading, why = (
            "consistent (different definition)",
            "a proxy: it measures the target only approximately",
        )
    else:
        reading = proxies.verdict
        why = f"a proxy of another {' and '.join(proxies.differs)}: {proxies.difference}"
    if verdict == "met":
        return reading, f"{words}; {why}"
    return "cannot tell", f"{words}; {why}"


def _evidence(
    t,
    obs: Observations,
    feeding: list[TargetResult],
    range_reading: str,
    proxy=None,
    plan_start: dt.date | None = None,
):
    """The decisive public evidence on a headline target at its deadline, best first: a list of
    (verdict, basis, words). Observed comes before proxy, the target's own figure before the sum
    of its commitments. Only observed and proxy rows count. A figure from before the plan began
    (``plan_start``'s year) that meets the target gives "met before the plan began"; a proxy gives
    its reading (``_proxy``), never "met"."""

    def ok(value: float) -> bool:
        return bool(meets(value, t.comparator, t.base_value, t.base_value_max, range_reading))

    found = []
    scale = get_unit(t.unit).to_base(1.0)
    own = [o for o in obs.of(t.id) if o.kind in ("observed", "proxy") and o.year <= t.deadline.year]
    early = [
        o for o in own if plan_start is not None and o.year < plan_start.year and ok(o.base_value)
    ]
    if early:
        o = early[0]
        words = f"{number(o.value)} {o.unit} ({o.year}, {o.kind}), before the plan began"
        if o.kind == "proxy":
            verdict, words = _proxy("met", o.kind, words, proxy)
        else:
            verdict = "met before the plan began"
        found.append((verdict, o.kind, words, -1))
    if own:
        o = own[-1]
        words = f"{number(o.value)} {o.unit} ({o.year}, {o.kind})"
        if ok(o.base_value):
            found.append(("met", o.kind, words, 0))
        elif o.year >= t.deadline.year:
            found.append(("not met", o.kind, words, 0))
    if feeding:
        total, kinds, complete, terms = 0.0, set(), True, []
        for c in feeding:
            for year, v in c.by_year.items():
                if v is None:
                    complete = False
                    continue
                total += v["base_value"]
                kinds.add(v["kind"])
                terms.append(f"{c.id} {year} {number(v['value'])}")
        if kinds:
            basis = "proxy" if "proxy" in kinds else "observed"
            words = (
                f"sum of the commitments that serve it: {' + '.join(terms)} = "
                f"{number(total / scale)} {t.unit}" + ("" if complete else " (some years missing)")
            )
            if ok(total):
                found.append(("met", basis, words, 1))
            elif complete:
                found.append(("not met", basis, words, 1))
    found.sort(key=lambda e: (e[3] >= 0, e[1] != "observed", e[3]))
    out = []
    for verdict, basis, words, rank in found:
        if rank >= 0:
            verdict, words = _proxy(verdict, basis, words, proxy)
        out.append((verdict, basis, words, rank))
    return out


def _verdict(t, obs, feeding, range_reading: str, when: dt.date, proxy=None, plan_start=None):
    """(verdict, basis, evidence) once ``when`` is past the deadline, else (None, None, None)."""
    if when <= t.deadline:
        return None, None, None
    found = _evidence(t, obs, feeding, range_reading, proxy, plan_start)
    if not found:
        return "cannot tell", None, "no observed or proxy figure at the deadline"
    verdict, basis, words, _ = found[0]
    return verdict, basis, words


def _draw_assumption(a, point: str, u: np.ndarray) -> np.ndarray:
    return quantile_draws(u, a.base("low"), a.base(point), a.base("high"), a.distribution)


def _headline(
    doc: str,
    t,
    obs: Observations,
    config: TrackingConfig,
    sc,
    when: dt.date,
    feeding: list[TargetResult],
):
    proj = config.projections[t.id]
    catalog = getattr(sc, "catalog", None)
    document = catalog.documents.get(doc) if catalog is not None else None
    verdict, verdict_basis, evidence = _verdict(
        t,
        obs,
        feeding,
        config.range_reading,
        when,
        config.proxies.get(t.id),
        document.issued if document is not None else None,
    )
    outcome = {"verdict": verdict, "verdict_basis": verdict_basis, "verdict_evidence": evidence}
    baseline = obs.start(t.id)
    latest = obs.latest(t.id)
    # the starting point of the required growth: the baseline row, else the earliest public one
    base = baseline or (obs.of(t.id)[0] if obs.of(t.id) else None)
    common = _common(doc, t)
    achieved = latest is not None and bool(
        meets(latest.base_value, t.comparator, t.base_value, t.base_value_max, config.range_reading)
    )
    if proj.model == "none":  # a coverage target: observations only, no growth model
        return (
            TargetResult(
                **common,
                status="achieved" if achieved else "no data",
                basis=latest.kind if latest is not None else "none",
                model="none",
                baseline=base,
                latest=latest,
                probability_met=1.0 if achieved else None,
                **outcome,
            ),
            None,
        )
    a = sc.assumptions[proj.growth]
    growth_json = {
        "name": proj.growth,
        "low": a.low,
        "central": a.central,
        "high": a.high,
        "unit": a.unit,
        "distribution": a.distribution,
        "point": sc.point,
        "source": a.source,
    }
    if base is None:
        return (
            TargetResult(
                **common,
                status="no data",
                basis="none",
                model=proj.model,
                growth=growth_json,
                **outcome,
            ),
            None,
        )

    deadline_years = years_to(t.deadline, base.year)
    req_growth = req_flow = None
    if proj.model == "compound":
        req_growth = required_growth(base.base_value, t.base_value, deadline_years)
    else:
        req_flow = required_per_year(base.base_value, t.base_value, deadline_years)

    # Project from the latest public figure, else from the baseline (an assumption).
    start = latest if latest is not None and latest.year >= base.year else base
    horizon = max(years_to(t.deadline, start.year), 0.0)
    req_latest = None
    if start is not base and horizon > 0:
        req_latest = (
            required_growth(start.base_value, t.base_value, horizon)
            if proj.model == "compound"
            else required_per_year(start.base_value, t.base_value, horizon)
        )

    rng = rng_for(sc.seed, t.id)
    u_start, u_rate = rng.random(sc.draws), rng.random(sc.draws)
    start_draws = quantile_draws(u_start, start.base_low, start.base_value, start.base_high)
    rate_draws = _draw_assumption(a, sc.point, u_rate)
    steps = list(range(0, int(np.floor(horizon)) + 1))
    if not steps or steps[-1] < horizon:
        steps.append(horizon)
    values = project(start_draws, rate_draws, np.array(steps, dtype=float), proj.model)
    at_deadline = values[:, -1]
    met = meets(at_deadline, t.comparator, t.base_value, t.base_value_max, config.range_reading)
    probability = 1.0 if achieved else float(met.mean())
    assumed = start.kind == "assumption"  # no public figure to project from
    status = status_of(
        None if assumed else probability, achieved, config.status.on_track, config.status.at_risk
    )
    basis = latest.kind if latest is not None else "assumption"

    # The ex-ante view: P(met) as at the plan's start, projected from the start over the whole
    # plan with the same growth draws, and the growth it required.
    if start is base:
        p_start = float(met.mean())
    else:
        start0 = quantile_draws(u_start, base.base_low, base.base_value, base.base_high)
        end0 = project(start0, rate_draws, np.array([deadline_years]), proj.model)[:, -1]
        p_start = float(
            meets(end0, t.comparator, t.base_value, t.base_value_max, config.range_reading).mean()
        )
    ex_ante = {
        "probability": p_start,
        "label": ASSUMED if base.kind == "assumption" else "from a public start",
        "start": base.to_json(),
        "required_annual_growth": req_growth,
        "required_per_year": req_flow,
    }

    # the deterministic path at the scenario's point, and the quantiles, in the target's unit
    scale = get_unit(t.unit).to_base(1.0)
    point_rate = a.base(sc.point)
    point_path = project(
        np.array([start.base_value]), np.array([point_rate]), np.array(steps), proj.model
    )[0]
    q = np.percentile(values, [5, 50, 95], axis=0)
    projected = {
        "from_year": start.year,
        "years": horizon,
        "p5": float(q[0, -1] / scale),
        "p50": float(q[1, -1] / scale),
        "p95": float(q[2, -1] / scale),
        "point": float(point_path[-1] / scale),
        "unit": t.unit,
    }

    # Path table for charts: years from the baseline to the deadline.
    observed = {o.year: o.base_value / scale for o in obs.of(t.id) if o.kind != "assumption"}
    rows = []
    for year in range(base.year, t.deadline.year + 1):
        since_base = min(year - base.year, deadline_years)
        if proj.model == "compound":
            required = (
                base.base_value * (1 + req_growth) ** since_base if req_growth is not None else None
            )
        else:
            required = base.base_value + (req_flow or 0.0) * since_base
        k = year - start.year
        in_projection = 0 <= k < len(steps)
        rows.append(
            {
                "id": t.id,
                "year": year,
                "p5": float(q[0, k] / scale) if in_projection else None,
                "p50": float(q[1, k] / scale) if in_projection else None,
                "p95": float(q[2, k] / scale) if in_projection else None,
                "point": float(point_path[k] / scale) if in_projection else None,
                "required": None if required is None else required / scale,
                "observed": observed.get(year),
                "target": t.value,
                "unit": t.unit,
            }
        )
    frame = pd.DataFrame(rows)

    result = TargetResult(
        **common,
        status=status,
        basis=basis,
        model=proj.model,
        baseline=base,
        latest=latest,
        required_annual_growth=req_growth,
        required_per_year=req_flow,
        required_from_latest=req_latest,
        probability_met=probability,
        probability_label=ASSUMED if assumed and not achieved else None,
        projected=projected,
        growth=growth_json,
        ex_ante=ex_ante,
        **outcome,
    )
    return result, frame
