"""Schema and checks of ``data/targets/tracking.yaml``: the tracker's settings.

Status thresholds, the reading of range targets, the years an observation may carry, the metrics
observed besides the targets, the growth model of each headline target, and the checks of the plans
against themselves (pools of candidates, budget lines). Unknown keys are errors that suggest the
nearest valid name; cross-references are checked against the catalog and the baseline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import DataError, Problem
from ..loader import TRACKING_FILE, read_yaml
from ..schemas.common import Number, Strict, problems_from
from ..schemas.policy import Parameter
from ..units import did_you_mean, get_unit

SnakeId = Field(pattern=r"^[a-z][a-z0-9_]*$")


class StatusThresholds(Strict):
    """P(met) at or above ``on_track`` is on track; at or above ``at_risk`` at risk; else off
    track. Achieved (the latest figure already meets the target) comes before both."""

    on_track: Number = Field(ge=0, le=1)
    at_risk: Number = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> StatusThresholds:
        if self.at_risk > self.on_track:
            raise ValueError(f"at_risk {self.at_risk} is above on_track {self.on_track}")
        return self


class YearWindow(Strict):
    """The years an observation may carry (year-end values), both ends included."""

    first: int = Field(strict=True, ge=1900, le=2100)
    last: int = Field(strict=True, ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> YearWindow:
        if self.last < self.first:
            raise ValueError(f"last {self.last} is before first {self.first}")
        return self


class ExtraMetric(Strict):
    """A metric observed that is not a plan target (firms on the cloud, the digital economy)."""

    unit: str
    metric_zh: str
    metric_en: str
    note: str | None = None

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)


class Projection(Strict):
    """How a headline target is projected: ``compound`` level × (1 + g)^t with g in %, or
    ``additive`` count + flow × t with the flow in <count unit>/年."""

    model: Literal["compound", "additive"]
    growth: str = SnakeId  # a baseline assumption, overridable by scenarios


class Pool(Strict):
    """Annual commitments that supply the candidates of a headline target of another level."""

    headline: str
    commitments: list[str] = Field(min_length=1)
    note: str | None = None


class Multiplier(Strict):
    """What an amount is multiplied by: a parameter of the same measure (``years``), the value of a
    target (50 platform firms), or a plain number with a label. Exactly one."""

    parameter: str | None = None
    target: str | None = None
    value: Number | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Multiplier:
        given = [k for k in ("parameter", "target", "value") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of parameter, target, value")
        if self.value is not None and not self.label:
            raise ValueError("a plain value needs a label saying what it counts")
        return self


class Budget(Strict):
    value: Number = Field(ge=0)
    unit: str
    source: str = Field(min_length=8)

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @field_validator("unit")
    @classmethod
    def _money(cls, unit: str) -> str:
        if get_unit(unit).dimension != "money":
            raise ValueError(f"a budget is money; '{unit}' is not")
        return unit


class BudgetCheck(Strict):
    """total = amount × times; optionally divided by the latest observation of ``per``, and held
    against a ``budget`` when one is printed."""

    id: str = SnakeId
    measure: str
    amount: str  # a money parameter of the measure
    times: Multiplier
    per: str | None = None  # a target or extra metric
    budget: Budget | None = None
    note: str | None = None


class TrackingConfig(Strict):
    description: str | None = None
    status: StatusThresholds
    range_reading: Literal["at_least", "within"]
    observation_years: YearWindow
    extra_metrics: dict[str, ExtraMetric] = Field(default_factory=dict)
    projections: dict[str, Projection]
    pools: list[Pool] = Field(default_factory=list)
    budget_checks: list[BudgetCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_check_ids(self) -> TrackingConfig:
        ids = [b.id for b in self.budget_checks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"budget check ids appear twice: {', '.join(dupes)}")
        return self

    def status_rule(self) -> str:
        """The status rule in words, shown with every output."""
        s = self.status
        rng = (
            "a range target (1—2) counts as met at or above its lower bound"
            if self.range_reading == "at_least"
            else "a range target (1—2) counts as met only within its bounds"
        )
        return (
            "achieved: the latest public figure already meets the target (P(met) = 1); "
            f"on track: P(met) >= {s.on_track:.2f}; at risk: {s.at_risk:.2f} <= P(met) < "
            f"{s.on_track:.2f}; off track: P(met) < {s.at_risk:.2f}; no observation: nothing "
            "to start from. '>' (超过) needs strictly more; " + rng + "."
        )


def read_tracking_file(path: Path) -> TrackingConfig:
    """Validate ``tracking.yaml`` on its own; when it sits in a data folder whose catalog and
    baseline load, check its references too (``jnpolicy validate``)."""
    config = _parse(path)
    data_dir = path.parent.parent
    if path.parent.name == "targets" and (data_dir / "policies").is_dir():
        from ..catalog import load_catalog
        from ..scenarios import load_baseline

        try:
            catalog = load_catalog(data_dir)
            assumptions = load_baseline(data_dir).assumptions
        except DataError:
            return config  # those files report their own problems when validated
        problems = check_tracking(config, path, catalog, assumptions)
        if problems:
            raise DataError(problems)
    return config


def load_tracking(data_dir: Path) -> tuple[TrackingConfig, Path]:
    """The settings under ``data_dir/targets/`` (schema only; see ``check_tracking``)."""
    path = data_dir / "targets" / TRACKING_FILE
    if not path.is_file():
        raise DataError.single(path, "(file)", "no such file: the tracker needs its settings")
    return _parse(path), path


def _parse(path: Path) -> TrackingConfig:
    data = read_yaml(path)
    try:
        return TrackingConfig.model_validate(data)
    except ValidationError as exc:
        raise DataError(problems_from(exc, path, TrackingConfig)) from None


def _unknown(what: str, name: str, choices) -> str:
    return f"unknown {what} '{name}'" + did_you_mean(name, list(choices))


def check_tracking(config: TrackingConfig, path: Path, catalog, assumptions: dict) -> list[Problem]:
    """Every reference of the settings resolves and fits: projected targets exist and are
    headline targets, every headline target is projected, growth assumptions exist in units that
    suit the model, pools and budget checks name real targets, measures and parameters."""
    f = str(path)
    problems: list[Problem] = []
    targets = {t.id: t for _, t in catalog.targets}
    headline = {i for i, t in targets.items() if t.kind == "headline"}
    annual = {i for i, t in targets.items() if t.kind == "annual"}

    for name in config.extra_metrics:
        if name in targets:
            problems.append(
                Problem(f, f"extra_metrics.{name}", "is a target id; observe the target instead")
            )

    for tid, proj in config.projections.items():
        field = f"projections.{tid}"
        if tid not in targets:
            problems.append(Problem(f, field, _unknown("target", tid, targets)))
            continue
        if tid not in headline:
            problems.append(
                Problem(f, field, "is an annual commitment: tracked year by year, not projected")
            )
            continue
        if proj.growth not in assumptions:
            problems.append(
                Problem(f, f"{field}.growth", _unknown("assumption", proj.growth, assumptions))
            )
            continue
        a_unit = get_unit(assumptions[proj.growth].unit)
        t_unit = get_unit(targets[tid].unit)
        if proj.model == "compound" and a_unit.dimension != "rate":
            problems.append(
                Problem(
                    f,
                    f"{field}.growth",
                    f"a compound model needs a growth rate in %, '{proj.growth}' is in {a_unit.name}",
                )
            )
        if proj.model == "additive" and a_unit.base != f"{t_unit.base}/年":
            problems.append(
                Problem(
                    f,
                    f"{field}.growth",
                    f"an additive model needs a flow in {t_unit.base}/年 (e.g. 个/年), "
                    f"'{proj.growth}' is in {a_unit.name}",
                )
            )
        if a_unit.dimension == "rate" and assumptions[proj.growth].base("low") <= -1:
            problems.append(
                Problem(f, f"{field}.growth", "a growth rate of -100 % or less leaves nothing")
            )
    for tid in sorted(headline - set(config.projections)):
        problems.append(
            Problem(f, "projections", f"headline target '{tid}' has no projection settings")
        )

    for i, pool in enumerate(config.pools):
        if pool.headline not in headline:
            problems.append(
                Problem(
                    f, f"pools[{i}].headline", _unknown("headline target", pool.headline, headline)
                )
            )
        for cid in pool.commitments:
            if cid not in annual:
                problems.append(
                    Problem(
                        f, f"pools[{i}].commitments", _unknown("annual commitment", cid, annual)
                    )
                )

    measures = {m.id: m for _, m in catalog.measures}
    metrics = set(targets) | set(config.extra_metrics)
    for i, check in enumerate(config.budget_checks):
        field = f"budget_checks[{i}]"
        m = measures.get(check.measure)
        if m is None:
            problems.append(
                Problem(f, f"{field}.measure", _unknown("measure", check.measure, measures))
            )
            continue
        if check.amount not in m.parameters:
            problems.append(
                Problem(f, f"{field}.amount", _unknown("parameter", check.amount, m.parameters))
            )
        elif get_unit(m.parameters[check.amount].unit).dimension != "money":
            problems.append(
                Problem(f, f"{field}.amount", f"'{check.amount}' is not an amount of money")
            )
        t = check.times
        if t.parameter is not None and t.parameter not in m.parameters:
            problems.append(
                Problem(
                    f, f"{field}.times.parameter", _unknown("parameter", t.parameter, m.parameters)
                )
            )
        if t.target is not None and t.target not in targets:
            problems.append(
                Problem(f, f"{field}.times.target", _unknown("target", t.target, targets))
            )
        if check.per is not None and check.per not in metrics:
            problems.append(Problem(f, f"{field}.per", _unknown("metric", check.per, metrics)))
    return problems
