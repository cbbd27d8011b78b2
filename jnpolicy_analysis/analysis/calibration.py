"""Joint calibration to every outturn: a Bayesian posterior over the costing's own prior draws.

The prior is the central scenario's Monte Carlo: its ledger of draws (``Analysis.ledger``), every
assumption drawn from its range (common factors included). Each outturn of ``data/outturns`` is a
likelihood of the costed amount over the outturn's own period (the matched measures' cells, each
month counted for the part of it inside the period: ``evaluation.period_weights``):

- the published amount P is scaled to Jinan by a share s whose range (low / central / high, with
  its data-quality grade) is the outturn's own: a draw d that costs x_d implies the share
  s_d = x_d / P, and its likelihood is that of s_d under a two-piece lognormal with its median at
  the central share and its 5th and 95th percentiles at the low and high shares:
  log L = -1/2 (ln(s_d / central) / sigma)^2, sigma = ln(central / low) / 1.645 below the central,
  ln(high / central) / 1.645 above it (a Jinan figure, with no share, gets ``MIN_SIGMA``);
- an outturn over a window the scenario's measures do not cover (``evaluation.coverage``: days no
  matched measure covers, or a matched measure in force on under a third of them) is no
  likelihood: it is listed as not comparable, with why.

The posterior is the prior draws reweighted by the product of the likelihoods (importance
weights). Its effective sample size, ESS = 1 / sum(w^2) for weights summing to one, says how many
independent draws it is worth; below ``ESS_FLOOR`` the posterior is flagged as unreliable (more
prior draws, ``--draws``, raise it). For every drawn assumption it reports the prior and posterior
mean and P5-P95 and how far the data moved it (the shift of the mean in prior standard deviations,
and the ratio of the P5-P95 widths). An assumption no outturn's measures read, directly or through a
common factor, is "not identified": the data cannot move it, whatever its posterior shows (noise).
Outturns that pull against each other are pairs that, each alone, move an assumption in opposite
directions by at least ``PULL`` prior standard deviations.

``calibrated_scenario`` turns the posterior into ``data/scenarios/calibrated.yaml``: each moved,
identified assumption's range is mapped so that its P5 and P95 are the posterior's (an affine map
of a triangular or uniform range, in logs for a lognormal; a discrete assumption keeps its
readings, shown but not written), the rest stay at central. ``jnpolicy calibrate`` writes it; the
same draws and seed give the same file byte for byte. Drawn again from these marginals (with the
common factors' copula, not the posterior's own dependence between assumptions), the calibrated
scenario is an approximation of the posterior, which ``jnpolicy evaluate --scenario calibrated``
holds against the outturns again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..costing.bindings import make_plans
from ..errors import DataError
from ..inputs.scenarios import ResolvedScenario
from ..inputs.schemas.outturn import Outturn
from ..units import get_unit
from . import Analysis
from .evaluation import CALIBRATED, coverage, load_outturns, period_weights

Z95 = 1.6448536269514722
CALIBRATION_DRAWS = 20_000  # prior draws of ``jnpolicy calibrate`` (the central's seed)
ESS_FLOOR = 200  # below this effective sample size the posterior is flagged as unreliable
MIN_SIGMA = 0.05  # log-sd of a Jinan figure's likelihood (no scaling share): its rounding
PULL = 0.2  # an outturn alone moving an assumption this many prior sd "pulls" it
MOVED_SHIFT = 0.1  # a posterior mean this many prior sd away (or noise, 3 / sqrt(ESS)) moved
NARROWED = 0.9  # a posterior P5-P95 under this share of the prior's narrowed


# --------------------------------------------------------------------------- weighted statistics


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Quantiles ``qs`` of the values ``x`` with weights ``w`` (summing to one): the inverse of
    the weighted empirical CDF, each value at the middle of its weight."""
    order = np.argsort(x, kind="stable")
    xs, ws = np.asarray(x, dtype=np.float64)[order], np.asarray(w, dtype=np.float64)[order]
    cdf = np.cumsum(ws) - ws / 2
    return np.interp(qs, cdf, xs)


def ess(w: np.ndarray) -> float:
    """Effective sample size of weights ``w`` summing to one."""
    return float(1.0 / np.sum(np.square(w)))


def normalised(logw: np.ndarray) -> np.ndarray:
    w = np.exp(logw - logw.max())
    return w / w.sum()


# --------------------------------------------------------------------------- the likelihoods


@dataclass(frozen=True)
class Likelihood:
    """One outturn as a likelihood of its costed amount (module docstring)."""

    outturn: Outturn
    jinan: tuple[float, float, float]  # low, central, high scaled to Jinan (元)
    sigma: tuple[float, float]  # log-sd below and above the central
    comparable: bool
    not_covered: list[str]  # why the costing is not comparable with it (``evaluation.coverage``)

    @property
    def id(self) -> str:
        return self.outturn.id

    @property
    def grade(self) -> str:
        return self.outturn.scaling.data_quality if self.outturn.scaling else "high"

    def log(self, x: np.ndarray) -> np.ndarray:
        """The log-likelihood of costed amounts ``x`` (元, an array over draws)."""
        x = np.maximum(np.asarray(x, dtype=np.float64), 1e-9)
        z = np.log(x / self.jinan[1])
        sd = np.where(z < 0, self.sigma[0], self.sigma[1])
        return -0.5 * np.square(z / sd)


def likelihood_of(outturn: Outturn, scenario) -> Likelihood:
    lo, mid, hi = (outturn.jinan(p) for p in ("low", "central", "high"))
    below = math.log(mid / lo) / Z95 if lo < mid else MIN_SIGMA
    above = math.log(hi / mid) / Z95 if hi > mid else MIN_SIGMA
    gaps = coverage(outturn, scenario)
    return Likelihood(outturn, (lo, mid, hi), (below, above), not gaps, gaps)


# --------------------------------------------------------------------------- the posterior


@dataclass(frozen=True)
class Marginal:
    """One drawn assumption before and after the data, in its written unit."""

    name: str
    unit: str
    distribution: str
    prior: tuple[float, float, float]  # mean, P5, P95
    posterior: tuple[float, float, float]
    shift: float  # (posterior mean - prior mean) / prior sd
    width: float  # posterior P5-P95 / prior P5-P95
    identified_by: tuple[str, ...]  # outturns whose measures read it
    through: str | None  # the common factor it is identified through, when no outturn reads it
    moved: bool

    @property
    def identified(self) -> bool:
        return bool(self.identified_by) or self.through is not None

    @property
    def status(self) -> str:
        if not self.identified:
            return "not identified"
        if self.through is not None:
            return f"through factor {self.through}"
        return "moved" if self.moved else "identified, not moved"


@dataclass(frozen=True)
class Fit:
    """One outturn's costed amount under the prior and the posterior (元)."""

    likelihood: Likelihood
    prior: tuple[float, float, float]  # mean, P5, P95
    posterior: tuple[float, float, float]

    @property
    def inside(self) -> bool:
        lo, _, hi = self.likelihood.jinan
        return lo <= self.posterior[0] <= hi


@dataclass(frozen=True)
class Conflict:
    """Two outturns that, each alone, move an assumption in opposite directions."""

    first: str
    second: str
    assumption: str
    first_shift: float  # in prior sd
    second_shift: float


@dataclass
class Calibration:
    """The posterior over a prior analysis's draws (module docstring)."""

    # the prior's scenario, with the draws and seed of its Monte Carlo; not the prior analysis
    # itself, whose ledger of draws a report run's saved posterior does not need
    prior: ResolvedScenario
    likelihoods: list[Likelihood]
    weights: np.ndarray  # (draws,), summing to one
    marginals: list[Marginal]
    fits: list[Fit]
    conflicts: list[Conflict]
    pulls: dict[str, dict[str, float]] = field(default_factory=dict)  # outturn -> name -> shift

    @property
    def draws(self) -> int:
        return self.prior.draws

    @property
    def seed(self) -> int:
        return self.prior.seed

    @property
    def ess(self) -> float:
        return ess(self.weights)

    @property
    def reliable(self) -> bool:
        return self.ess >= ESS_FLOOR

    def unmet(self) -> list[Fit]:
        """The comparable outturns whose posterior costed mean lies outside their Jinan range."""
        return [f for f in self.fits if f.likelihood.comparable and not f.inside]

    def why_unmet(self, fit: Fit) -> str:
        """Why an outturn cannot be met together with the others: the outturns that pull its
        assumptions the other way, or that its range lies beyond what the measures can cost."""
        mine = fit.likelihood.id
        against: dict[str, list[str]] = {}
        for c in self.conflicts:
            if mine in (c.first, c.second):
                other = c.second if c.first == mine else c.first
                against.setdefault(other, []).append(c.assumption)
        lo, _, hi = fit.likelihood.jinan
        side = "below" if fit.posterior[0] < lo else "above"
        if against:
            named = "; ".join(
                f"{o} pulls {', '.join(sorted(names))} the other way"
                for o, names in sorted(against.items())
            )
            return f"costed {side} its range under the joint posterior: {named}"
        return (
            f"costed {side} its range under the joint posterior, though no other outturn pulls "
            "against it: the prior ranges of the assumptions it reads cannot reach it"
        )

    def to_json(self) -> dict:
        return {
            "prior": self.prior.name,
            "draws": self.draws,
            "seed": self.seed,
            "ess": self.ess,
            "ess_floor": ESS_FLOOR,
            "reliable": self.reliable,
            "outturns": [
                {
                    "id": f.likelihood.id,
                    "use": f.likelihood.outturn.use,
                    "grade": f.likelihood.grade,
                    "comparable": f.likelihood.comparable,
                    "not_covered": list(f.likelihood.not_covered),
                    "range": [f.likelihood.jinan[0], f.likelihood.jinan[2]],
                    "outturn": f.likelihood.jinan[1],
                    "prior": dict(zip(("central", "p5", "p95"), f.prior, strict=True)),
                    "posterior": dict(zip(("central", "p5", "p95"), f.posterior, strict=True)),
                    "inside": f.inside,
                    "why_not": None if f.inside else self.why_unmet(f),
                }
                for f in self.fits
            ],
            "assumptions": [
                {
                    "assumption": m.name,
                    "unit": m.unit,
                    "prior": dict(zip(("central", "p5", "p95"), m.prior, strict=True)),
                    "posterior": dict(zip(("central", "p5", "p95"), m.posterior, strict=True)),
                    "shift_sd": m.shift,
                    "width_ratio": m.width,
                    "status": m.status,
                    "identified_by": list(m.identified_by),
                }
                for m in self.marginals
            ],
            "conflicts": [
                {
                    "outturns": [c.first, c.second],
                    "assumption": c.assumption,
                    "shifts_sd": [c.first_shift, c.second_shift],
                }
                for c in self.conflicts
            ],
        }


def _prior_draws(analysis: Analysis) -> dict[str, np.ndarray]:
    """Every uncertain assumption's draws over the whole run, in base units."""
    ledger = analysis.ledger
    chunks = ledger.chunks
    names = [s.name for s in chunks.sampler.uncertain]
    out = {n: np.empty(ledger.draws, dtype=np.float64) for n in names}
    for i in range(ledger.n_chunks):
        values = chunks.values(i)
        lo = i * chunks.chunk
        for n in names:
            v = np.asarray(values[n], dtype=np.float64)
            out[n][lo : lo + v.shape[0]] = v
    return out


def _costed(analysis: Analysis, outturns: list[Outturn]) -> np.ndarray:
    """(outturns, draws): each outturn's matched measures' cost over its period, draw by draw."""
    ledger = analysis.ledger
    ids = list(analysis.cost.costed.index)
    measure = ledger.attribute("measure")
    shares = ledger.month_shares()
    rows = []
    for o in outturns:
        idx = [ids.index(m) for m in o.measures]
        inside = shares @ period_weights(o)
        rows.append(np.isin(measure, idx) * inside)
    return ledger.series_whole(np.array(rows, dtype=np.float32)).astype(np.float64)


def _stats(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float, float]:
    if w is None:
        q = np.quantile(x, (0.05, 0.95))
        return float(x.mean()), float(q[0]), float(q[1])
    q = weighted_quantiles(x, w, (0.05, 0.95))
    return float(np.dot(w, x)), float(q[0]), float(q[1])


def calibrate(prior: Analysis, data_dir: Path | str | None = None) -> Calibration:
    """The posterior of ``prior``'s draws given every outturn of its data folder."""
    sc = prior.scenario
    if sc.stress_case or prior.draws < 2:
        raise DataError.single(
            "--scenario",
            "scenario",
            f"'{sc.name}' is a stress case (one draw): calibrate a distribution (point central)",
        )
    if data_dir is None and sc.catalog is not None:
        data_dir = sc.catalog.data_dir
    outturns = [o for _, o in load_outturns(data_dir, sc)]
    likes = [likelihood_of(o, sc) for o in outturns]
    x = _costed(prior, outturns)
    logs = {lk.id: lk.log(x[k]) for k, lk in enumerate(likes) if lk.comparable}
    total = np.sum(list(logs.values()), axis=0) if logs else np.zeros(prior.draws)
    w = normalised(total)
    alone = {o: normalised(v) for o, v in logs.items()}

    draws = _prior_draws(prior)
    plans = {p.measure.id: p for p in make_plans(sc)}
    reads = {lk.id: {n for m in lk.outturn.measures for n in plans[m].uses} for lk in likes}
    factor_of = {m: f for f, spec in sc.factors.items() for m in spec.loadings}
    noise = 3.0 / math.sqrt(max(ess(w), 1.0))
    pulls: dict[str, dict[str, float]] = {o: {} for o in alone}
    marginals = []
    for name, values in draws.items():
        a = sc.assumptions[name]
        factor = get_unit(a.unit).factor
        v = values / factor
        prior_stats = _stats(v, None)
        post = _stats(v, w)
        sd = float(v.std()) or 1.0
        shift = (post[0] - prior_stats[0]) / sd
        width = (post[2] - post[1]) / ((prior_stats[2] - prior_stats[1]) or 1.0)
        by = tuple(lk.id for lk in likes if lk.comparable and name in reads[lk.id])
        through = None
        if not by and name in factor_of:
            f = factor_of[name]
            mates = [m for m in sc.factors[f].loadings if m != name]
            if any(m in reads[lk.id] for lk in likes if lk.comparable for m in mates):
                through = f
        moved = bool(by or through) and (abs(shift) >= max(MOVED_SHIFT, noise) or width < NARROWED)
        for o, wo in alone.items():
            pulls[o][name] = (float(np.dot(wo, v)) - prior_stats[0]) / sd
        marginals.append(
            Marginal(
                name, a.unit, a.distribution, prior_stats, post, shift, width, by, through, moved
            )
        )
    conflicts = []
    ids = list(alone)
    for i, o1 in enumerate(ids):
        for o2 in ids[i + 1 :]:
            for m in marginals:
                s1, s2 = pulls[o1][m.name], pulls[o2][m.name]
                if not (m.name in reads[o1] or m.name in reads[o2]):
                    continue
                if s1 * s2 < 0 and min(abs(s1), abs(s2)) >= PULL:
                    conflicts.append(Conflict(o1, o2, m.name, s1, s2))
    fits = [Fit(lk, _stats(x[k], None), _stats(x[k], w)) for k, lk in enumerate(likes)]
    return Calibration(prior.scenario, likes, w, marginals, fits, conflicts, pulls)


def posterior_of_calibrated(data_dir: Path | str | None = None, catalog=None) -> Calibration:
    """The posterior ``jnpolicy calibrate`` writes the calibrated scenario from, by default: the
    prior the calibrated scenario extends (central, also when the folder has no calibrated
    scenario yet), at ``CALIBRATION_DRAWS`` draws and its seed. ``catalog``: the folder's catalog
    when the caller has loaded it already."""
    from ..inputs.catalog import load_catalog
    from ..inputs.scenarios import list_scenarios, load_scenario
    from . import analyse

    name = "central"
    catalog = catalog or load_catalog(data_dir)  # read once for both scenarios
    if CALIBRATED in list_scenarios(data_dir):
        chain = load_scenario(CALIBRATED, data_dir, catalog=catalog).chain
        name = chain[1] if len(chain) > 1 else name
    prior = load_scenario(name, data_dir, draws=CALIBRATION_DRAWS, catalog=catalog)
    return calibrate(analyse(prior), data_dir)


CALIBRATION_FILE = "calibration.pickle"


def save_calibration(cal: Calibration, folder: Path) -> Path:
    """``cal`` pickled into ``folder`` (a report run's saved analyses): the run computes the
    posterior once and every scenario's evaluation page reads it (``load_calibration``)."""
    from . import write_pickle

    return write_pickle(cal, folder / CALIBRATION_FILE)


def load_calibration(folder: Path | str) -> Calibration | None:
    """The posterior ``save_calibration`` wrote into ``folder``; None when there is none."""
    from . import read_pickle

    path = Path(folder) / CALIBRATION_FILE
    return read_pickle(path) if path.is_file() else None


# --------------------------------------------------------------------------- the scenario


def _mapped(m: Marginal, a) -> dict[str, float] | None:
    """The assumption's low / central / high mapped so that its P5 and P95 are the posterior's
    (affine, in logs for a lognormal), in its written unit, rounded to 4 significant figures;
    None for a discrete assumption or when the mapped range is not a valid assumption."""
    if a.distribution == "discrete" or a.distribution == "fixed":
        return None
    (_, p5, p95), (_, q5, q95) = m.prior, m.posterior
    points = {p: float(getattr(a, p)) for p in ("low", "central", "high")}
    if a.distribution == "lognormal":
        if min(p5, q5) <= 0:
            return None
        beta = math.log(q95 / q5) / math.log(p95 / p5) if p95 > p5 else 1.0
        alpha = math.log(q5) - beta * math.log(p5)
        new = {p: math.exp(alpha + beta * math.log(v)) for p, v in points.items()}
    else:
        beta = (q95 - q5) / (p95 - p5) if p95 > p5 else 1.0
        alpha = q5 - beta * p5
        new = {p: alpha + beta * v for p, v in points.items()}
    unit = get_unit(a.unit)
    floor = -math.inf if a.allow_negative else 0.0
    cap = 1 / unit.factor if unit.dimension == "rate" and not a.allow_above_one else math.inf
    new = {p: float(f"{min(max(v, floor), cap):.4g}") for p, v in new.items()}
    try:
        a.model_validate(a.model_dump() | new)
    except ValueError:
        return None
    return new


def calibrated_scenario(cal: Calibration) -> dict:
    """The ``calibrated`` scenario file (a dict to dump as YAML): central with each moved,
    identified assumption mapped to its posterior (``_mapped``), and a ``moves`` entry for each,
    naming the outturn that alone pulls it furthest in the direction the data moved it."""
    sc = cal.prior
    assumptions: dict[str, dict[str, float]] = {}
    moves = []
    for m in cal.marginals:
        if not m.moved:
            continue
        a = sc.assumptions[m.name]
        new = _mapped(m, a)
        if new is None:
            continue
        before = {p: float(getattr(a, p)) for p in ("low", "central", "high")}
        if new == before:
            continue
        assumptions[m.name] = new
        # the outturn that alone pulls it furthest the way the joint posterior moved it
        with_it = [o for o in cal.pulls if cal.pulls[o].get(m.name, 0.0) * m.shift > 0]
        pulled = max(with_it or cal.pulls, key=lambda o: abs(cal.pulls[o].get(m.name, 0.0)))
        moves.append(
            {
                "assumption": m.name,
                "outturn": pulled,
                "from": before,
                "to": new,
                "why": (
                    f"joint posterior over {cal.draws:,} prior draws (seed {cal.seed}, effective "
                    f"sample size {cal.ess:,.0f}): mean {_num(m.prior[0])} -> "
                    f"{_num(m.posterior[0])} {m.unit} ({m.shift:+.2f} prior sd), P5-P95 "
                    f"{_num(m.prior[1])}-{_num(m.prior[2])} -> {_num(m.posterior[1])}-"
                    f"{_num(m.posterior[2])}; pulled furthest by {pulled} "
                    f"({cal.pulls[pulled][m.name]:+.2f} sd alone)"
                ),
            }
        )
    unmet = [f.likelihood.id for f in cal.unmet()]
    excluded = [lk.id for lk in cal.likelihoods if not lk.comparable]
    description = (
        f"Generated by `jnpolicy calibrate` (do not edit by hand): the posterior of the "
        f"'{sc.name}' scenario's {cal.draws:,} draws (seed {cal.seed}) given every outturn of "
        "data/outturns, each a likelihood of the costed amount over its own period with its "
        f"scaling share's range (analysis/calibration.py); effective sample size {cal.ess:,.0f} "
        f"(floor {ESS_FLOOR}). Each moved assumption's range is mapped to its posterior P5-P95; "
        "the rest are as in central."
    )
    if excluded:
        description += " Not comparable (window not covered): " + ", ".join(excluded) + "."
    if unmet:
        description += " Not met together with the others: " + ", ".join(unmet) + "."
    return {
        "name": CALIBRATED,
        "title_zh": "按实际执行数校准的情景",
        "title_en": "Calibrated to the 2020 outturns",
        "description": description,
        "extends": sc.name,
        "assumptions": assumptions,
        "moves": moves,
    }


def scenario_text(cal: Calibration) -> str:
    """The calibrated scenario as the YAML text ``jnpolicy calibrate`` writes."""
    import yaml

    header = (
        "# Generated by `jnpolicy calibrate` from the outturns in data/outturns: do not edit by\n"
        "# hand; run it again after changing an outturn, an assumption or a measure.\n"
    )

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:  # each range written out, no anchors
            return True

    def plain(v):
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v

    body = yaml.dump(
        plain(calibrated_scenario(cal)),
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return header + body


def write_calibrated(cal: Calibration, data_dir: Path | str) -> Path:
    """Write ``scenarios/calibrated.yaml`` of ``data_dir`` and check it loads as a scenario."""
    from ..inputs.scenarios import load_scenario

    path = Path(data_dir) / "scenarios" / f"{CALIBRATED}.yaml"
    text = scenario_text(cal)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(CALIBRATED, data_dir)
    except DataError:
        if old is None:
            path.unlink()
        else:
            path.write_text(old, encoding="utf-8")
        raise
    return path


# --------------------------------------------------------------------------- tables

_H = {
    "assumption": ("假设", "Assumption"),
    "unit": ("单位", "Unit"),
    "prior": ("先验 均值（P5–P95）", "Prior mean (P5–P95)"),
    "posterior": ("后验 均值（P5–P95）", "Posterior mean (P5–P95)"),
    "shift": ("均值移动（先验标准差）", "Shift (prior sd)"),
    "width": ("区间宽度比", "Width ratio"),
    "status": ("识别", "Identified"),
    "outturn": ("执行数", "Outturn"),
    "range": ("折算济南区间（万元）", "Jinan-scaled range (10k yuan)"),
    "costed_prior": ("先验测算（万元）", "Costed, prior (10k yuan)"),
    "costed_post": ("后验测算（万元）", "Costed, posterior (10k yuan)"),
    "inside": ("是否在区间内", "Inside its range"),
}
_STATUS_ZH = {
    "not identified": "无法识别",
    "moved": "已移动",
    "identified, not moved": "可识别，未移动",
}


def _h(key: str, lang: str) -> str:
    return _H[key][0 if lang == "zh" else 1]


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:.4g}"


def _span(t: tuple[float, float, float]) -> str:
    return f"{_num(t[0])} ({_num(t[1])}–{_num(t[2])})"


def posterior_table(
    cal: Calibration, lang: str = "en", identified_only: bool = False
) -> pd.DataFrame:
    """Each drawn assumption's prior and posterior mean and P5–P95 (its written unit), the shift
    in prior sd, the width ratio and whether the data identify it; moved ones first
    (``identified_only``: without the assumptions no outturn reads)."""
    rows = sorted(
        cal.marginals, key=lambda m: (not m.moved, not m.identified, -abs(m.shift), m.name)
    )
    if identified_only:
        rows = [m for m in rows if m.identified]

    def status(m: Marginal) -> str:
        if lang != "zh":
            return m.status
        if m.through is not None:
            return f"经共同因子 {m.through}"
        return _STATUS_ZH[m.status]

    return pd.DataFrame(
        [
            {
                _h("assumption", lang): m.name,
                _h("unit", lang): m.unit,
                _h("prior", lang): _span(m.prior),
                _h("posterior", lang): _span(m.posterior),
                _h("shift", lang): round(m.shift, 2),
                _h("width", lang): round(m.width, 2),
                _h("status", lang): status(m),
            }
            for m in rows
        ]
    )


def fit_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """Each outturn's Jinan-scaled range and its costed mean (P5–P95) under the prior and the
    posterior, in 万元, and whether the posterior lies inside (or why not)."""

    def wan(t: tuple[float, float, float]) -> str:
        return f"{t[0] / 1e4:,.0f} ({t[1] / 1e4:,.0f}–{t[2] / 1e4:,.0f})"

    def verdict(f: Fit) -> str:
        if not f.likelihood.comparable:
            why = "; ".join(f.likelihood.not_covered)
            return ("不可比：" if lang == "zh" else "not comparable: ") + why
        if f.inside:
            return "是" if lang == "zh" else "yes"
        return cal.why_unmet(f)

    return pd.DataFrame(
        [
            {
                _h("outturn", lang): f.likelihood.id,
                _h("range", lang): f"{f.likelihood.jinan[0] / 1e4:,.0f}–"
                f"{f.likelihood.jinan[2] / 1e4:,.0f}",
                _h("costed_prior", lang): wan(f.prior),
                _h("costed_post", lang): wan(f.posterior),
                _h("inside", lang): verdict(f),
            }
            for f in cal.fits
        ]
    )


def summary(cal: Calibration, lang: str = "en") -> str:
    """One sentence: what the calibration moved, and how reliable it is."""
    moved = [m.name for m in cal.marginals if m.moved and m.through is None]
    unmet = [f.likelihood.id for f in cal.unmet()]
    n_not = sum(1 for m in cal.marginals if not m.identified)
    if lang == "zh":
        s = (
            f"联合校准（{cal.draws:,} 个先验抽样，有效样本量 {cal.ess:,.0f}，下限 {ESS_FLOOR}）"
            f"移动了 {', '.join(moved) or '无'}；{n_not} 个假设无法由执行数识别"
        )
        return s + (f"；无法同时满足：{', '.join(unmet)}。" if unmet else "。")
    s = (
        f"The joint calibration ({cal.draws:,} prior draws, effective sample size "
        f"{cal.ess:,.0f}, floor {ESS_FLOOR}) moved {', '.join(moved) or 'nothing'}; {n_not} "
        "assumptions are not identified by any outturn"
    )
    if not cal.reliable:
        s += "; the effective sample size is below its floor: rerun with more --draws"
    return s + (f"; not met together with the others: {', '.join(unmet)}." if unmet else ".")


__all__ = [
    "CALIBRATION_DRAWS",
    "ESS_FLOOR",
    "Calibration",
    "Conflict",
    "Fit",
    "Likelihood",
    "Marginal",
    "calibrate",
    "calibrated_scenario",
    "ess",
    "fit_table",
    "posterior_of_calibrated",
    "posterior_table",
    "scenario_text",
    "summary",
    "weighted_quantiles",
    "write_calibrated",
]
