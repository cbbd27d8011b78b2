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
from ..inputs.loader import TRACKING_FILE, parse_many, read_yaml, yaml_files
from ..inputs.observations import Observations, metric_specs, read_observations
from ..inputs.schemas.common import Number, Strict, problems_from
from ..inputs.schemas.policy import Parameter
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
    ``additive`` count + flow × t with the flow in <count unit>/年, or ``none`` (no growth model:
    a coverage target such as 全覆盖, tracked by its observations only)."""

    model: Literal["compound", "additive", "none"]
    growth: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")  # a baseline assumption

    @model_validator(mode="after")
    def _growth_given(self) -> Projection:
        if self.model != "none" and self.growth is None:
            raise ValueError(f"a {self.model} model needs a growth assumption")
        if self.model == "none" and self.growth is not None:
            raise ValueError("model none takes no growth assumption")
        return self


class Pool(Strict):
    """Annual commitments that supply the candidates of a headline target of another level."""

    headline: str
    commitments: list[str] = Field(min_length=1)
    note: str | None = None


class Reading(Strict):
    """A commitment named in ``serves`` whose counting towards that headline hangs on how the plan
    is read: the sum check is worked out with and without it."""

    commitment: str
    headline: str
    counts_if: str = Field(min_length=8)  # the reading under which it counts
    excluded_if: str = Field(min_length=8)  # the reading under which it does not


def _money_unit(unit: str) -> str:
    if get_unit(unit).dimension != "money":
        raise ValueError(f"an amount of money is needed; '{unit}' is not")
    return unit


class Budget(Strict):
    """A fund a year, as announced."""

    value: Number = Field(ge=0)
    unit: str
    source: str = Field(min_length=8)

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @field_validator("unit")
    @classmethod
    def _money(cls, unit: str) -> str:
        return _money_unit(unit)


class Award(Strict):
    """The typical award to one funded selection: a sourced or assumed range."""

    low: Number = Field(ge=0)
    central: Number = Field(ge=0)
    high: Number = Field(ge=0)
    unit: str
    source: str = Field(min_length=8)
    data_quality: Literal["high", "medium", "low", "very_low"]

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @field_validator("unit")
    @classmethod
    def _money(cls, unit: str) -> str:
        return _money_unit(unit)

    @field_validator("source")
    @classmethod
    def _source_kind(cls, source: str) -> str:
        if not source.startswith(("public:", "assumption:")):
            raise ValueError("source must start with 'public:' or 'assumption:'")
        return source

    @model_validator(mode="after")
    def _ordered(self) -> Award:
        if not self.low <= self.central <= self.high:
            raise ValueError(
                f"need low <= central <= high, got {self.low}, {self.central}, {self.high}"
            )
        return self


class FundCheck(Strict):
    """The selections the plan funds each year × a typical award, against the fund announced for
    them. ``contested``: commitments whose funding hangs on a reading (支持 may or may not mean
    money); the arithmetic is shown with and without them."""

    id: str = SnakeId
    commitments: list[str] = Field(min_length=1)
    contested: list[str] = Field(default_factory=list)
    contested_reading: str | None = None
    award: Award
    fund: Budget
    note: str | None = None

    @model_validator(mode="after")
    def _reading_named(self) -> FundCheck:
        if self.contested and not self.contested_reading:
            raise ValueError("contested commitments need contested_reading saying why")
        return self


PROXY_VERDICTS = ("consistent (different definition)", "cannot tell")


class ProxyReading(Strict):
    """How a target's proxy figure differs from the target (its definition, date or geography),
    in words, and the verdict a proxy that meets the target gives: never "met"."""

    differs: list[Literal["definition", "date", "geography"]] = Field(min_length=1)
    difference: str = Field(min_length=8)
    verdict: Literal["consistent (different definition)", "cannot tell"]


class TrackingConfig(Strict):
    description: str | None = None
    status: StatusThresholds
    range_reading: Literal["at_least", "within"]
    observation_years: YearWindow
    extra_metrics: dict[str, ExtraMetric] = Field(default_factory=dict)
    projections: dict[str, Projection]
    pools: list[Pool] = Field(default_factory=list)
    readings: list[Reading] = Field(default_factory=list)
    fund_checks: list[FundCheck] = Field(default_factory=list)
    # target id -> how its proxy figures differ from it (a proxy never gives "met")
    proxies: dict[str, ProxyReading] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_check_ids(self) -> TrackingConfig:
        ids = [b.id for b in self.fund_checks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"fund check ids appear twice: {', '.join(dupes)}")
        return self

    def status_rule(self, lang: str = "en") -> str:
        """The status rule in words (``lang`` "zh" or "en"), shown with every output."""
        s = self.status
        i = 0 if lang == "zh" else 1
        return STATUS_RULE[i].format(
            on=f"{s.on_track:.2f}", risk=f"{s.at_risk:.2f}", range=RANGE_RULE[self.range_reading][i]
        )


# the status rule's words, Chinese and English (one language per output); the status and
# verdict names as charts/labels.py prints them
STATUS_RULE = (
    "已达成：最新公开数据已达到目标（达成概率 = 1）；进度正常：达成概率 ≥ {on}；有风险："
    "{risk} ≤ 达成概率 < {on}；偏离轨道：达成概率 < {risk}；无数据：没有可据以推算的公开数据"
    "（起点为假设，或全无数据），此时的达成概率只是假设推算的结果，不作为状态。期限过后，每个"
    "目标仅依据公开数据或近似指标给出结论：已实现、未实现或无法判断；口径、时间或地域不同的近似指标"
    "不给出“已实现”，而是“一致（口径不同）”或“无法判断”，并说明差异；规划开始前的数据已达到的"
    "目标为“规划前已达成”。“超过”须严格大于目标值；{range}。",
    "achieved: the latest public figure already meets the target (P(met) = 1); "
    "on track: P(met) >= {on}; at risk: {risk} <= P(met) < {on}; off track: P(met) < {risk}; "
    "no data: no public figure to project from (the start is an assumption, or nothing at all); "
    "P(met) is then shown as what the assumptions imply, never as a status. After the deadline "
    "each target gets a verdict, met / not met / cannot tell, from observed or proxy figures only; "
    "a proxy of another definition, date or geography never gives 'met' but 'consistent "
    "(different definition)' or 'cannot tell', with the difference stated; a target already met "
    "by a figure from before the plan began is 'met before the plan began'. "
    "'>' (more than) needs strictly more; {range}.",
)
RANGE_RULE = {
    "at_least": (
        "区间目标（如1—2个）达到下限即算达成",
        "a range target (1—2) counts as met at or above its lower bound",
    ),
    "within": (
        "区间目标（如1—2个）须落在区间之内才算达成",
        "a range target (1—2) counts as met only within its bounds",
    ),
}


def read_tracking_file(path: Path) -> TrackingConfig:
    """Validate ``tracking.yaml`` on its own; when it sits in a data folder whose catalog and
    baseline load, check its references too (``jnpolicy validate``)."""
    config = _parse(path)
    data_dir = path.parent.parent
    if path.parent.name == "targets" and (data_dir / "policies").is_dir():
        from ..inputs.catalog import load_catalog
        from ..inputs.scenarios import load_baseline

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
        if proj.model == "none":
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

    for i, r in enumerate(config.readings):
        field = f"readings[{i}]"
        if r.commitment not in annual:
            problems.append(
                Problem(
                    f, f"{field}.commitment", _unknown("annual commitment", r.commitment, annual)
                )
            )
        elif r.headline not in targets[r.commitment].serves:
            problems.append(
                Problem(
                    f,
                    f"{field}.headline",
                    f"'{r.commitment}' does not serve '{r.headline}' (see its serves)",
                )
            )
    for i, check in enumerate(config.fund_checks):
        for key in ("commitments", "contested"):
            for cid in getattr(check, key):
                if cid not in annual:
                    problems.append(
                        Problem(
                            f,
                            f"fund_checks[{i}].{key}",
                            _unknown("annual commitment", cid, annual),
                        )
                    )
    for tid in config.proxies:
        if tid not in targets:
            problems.append(Problem(f, f"proxies.{tid}", _unknown("target", tid, targets)))
    return problems


# --------------------------------------------------------------------------- validate


def tracker_reader(path: Path, kind: str):
    """For ``loader.parse``: the reader of a tracker file in ``targets/`` (the observations
    ``.csv``, the settings ``tracking.yaml``), or None for a target document."""
    if kind != "targets":
        return None
    if path.suffix.lower() == ".csv":
        return read_observations_file
    if path.name == TRACKING_FILE:
        return read_tracking_file
    return None


def read_observations_file(path: Path) -> Observations:
    """Check an observations file against the target files and ``tracking.yaml`` beside it
    (``jnpolicy validate``)."""
    folder = path.parent
    problems: list[Problem] = []
    targets = []
    try:
        docs = parse_many(yaml_files(folder), "targets")
        targets = [t for d in docs for t in d.targets]
    except DataError as exc:
        problems.extend(exc.problems)
    extra: dict = {}
    first, last = 2018, 2022
    tracking = folder / TRACKING_FILE
    if tracking.is_file():
        try:
            config = _parse(tracking)
            extra = config.extra_metrics
            first, last = config.observation_years.first, config.observation_years.last
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return read_observations(path, metric_specs(targets, extra), first, last)
