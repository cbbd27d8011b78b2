"""Schema of ``data/baseline/*.yaml``: the Jinan facts and assumptions every costing needs, each
with low/central/high, a unit and a source."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ...units import get_unit
from .common import Number, Strict, implausible
from .policy import ChartLabel, Derived, Parameter

DataQuality = Literal["high", "medium", "low", "very_low"]

AssumptionKind = Literal["data", "behaviour", "modelling"]
"""What an assumption stands for, for the OBR-style uncertainty rating of the costings that use it:
``data`` a fact about Jinan (a count, a wage, a rate), ``behaviour`` how people and firms respond
(take-up, induced activity), ``modelling`` a choice of the model (the spread of a size distribution,
which premiums a refund counts)."""


class Choice(Strict):
    """One reading of a discrete assumption: its value (in the assumption's unit), its weight (the
    probability the Monte Carlo gives it) and what it stands for."""

    value: Number
    weight: float = Field(strict=True, gt=0, le=1, allow_inf_nan=False)
    reading: str = Field(min_length=8)


class Assumption(Strict):
    low: Number
    central: Number
    high: Number
    unit: str
    # "public: <the public source: publisher, title, date>" or "assumption: <reasoning>"
    source: str = Field(min_length=8)
    data_quality: DataQuality
    distribution: Literal["triangular", "lognormal", "uniform", "fixed", "discrete"] = "triangular"
    # a discrete assumption (two readings of the text, say): each value with its weight; low and
    # high are the smallest and largest value, central the value of the largest weight
    choices: list[Choice] = Field(default_factory=list)
    kind: AssumptionKind = "data"
    allow_above_one: bool = False
    allow_negative: bool = False
    year: int | None = None
    note: str | None = None

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @field_validator("source")
    @classmethod
    def _source_kind(cls, source: str) -> str:
        if not source.startswith(("public:", "assumption:", "derived:")):
            raise ValueError("source must start with 'public:', 'derived:' or 'assumption:'")
        return source

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low <= self.central <= self.high:
            raise ValueError(
                f"need low <= central <= high, got {self.low}, {self.central}, {self.high}"
            )
        if not self.allow_negative and self.low < 0:
            raise ValueError(f"low {self.low} is negative")
        for point in ("low", "central", "high"):
            why = implausible(getattr(self, point), self.unit)
            if why:
                raise ValueError(f"{point}: {why}")
        u = get_unit(self.unit)
        if u.dimension == "rate" and not self.allow_above_one:
            for point in ("low", "central", "high"):
                v = u.to_base(getattr(self, point))
                floor = -1 if self.allow_negative else 0  # a negative rate (a fall) when allowed
                if not floor <= v <= 1:
                    raise ValueError(
                        f"{point} {getattr(self, point)} {self.unit} is outside [0, 1] once converted"
                    )
        if self.distribution == "lognormal" and self.low <= 0:
            raise ValueError("a lognormal assumption needs low > 0")
        self._check_choices()
        return self

    def _check_choices(self) -> None:
        if (self.distribution == "discrete") != bool(self.choices):
            raise ValueError(
                "choices (value, weight, reading) are given for, and only for, a discrete assumption"
            )
        if not self.choices:
            return
        values = [c.value for c in self.choices]
        if len(values) < 2 or len(set(values)) != len(values):
            raise ValueError("a discrete assumption needs two or more different values")
        total = sum(c.weight for c in self.choices)
        if abs(total - 1) > 1e-9:
            raise ValueError(f"the weights of the choices sum to {total:g}, not 1")
        if self.low != min(values) or self.high != max(values):
            raise ValueError(
                f"low and high must be the smallest and largest choice ({min(values):g}, "
                f"{max(values):g}), got {self.low:g} and {self.high:g}"
            )
        mode = max(self.choices, key=lambda c: c.weight)
        if self.central != mode.value:
            raise ValueError(
                f"central must be the value of the heaviest choice ({mode.value:g}), "
                f"got {self.central:g}"
            )

    def base(self, point: str) -> float:
        return get_unit(self.unit).to_base(getattr(self, point))


class Factor(Strict):
    """A common driver several assumptions share (Jinan's contribution wage bill: insured employees
    x base), so that their draws move together: each member's normal score is ``loading`` x the
    factor's plus sqrt(1 - loading^2) x its own (a Gaussian copula: each member keeps its own
    distribution; two members' scores correlate by the product of their loadings). ``low`` and
    ``high`` bound the loadings the source allows (the Monte Carlo uses ``loadings``)."""

    description: str = Field(min_length=8)
    loadings: dict[str, float] = Field(min_length=2)  # assumption -> loading in (-1, 1)
    low: float = Field(strict=True, ge=-1, le=1)
    high: float = Field(strict=True, ge=-1, le=1)
    source: str = Field(min_length=8)
    data_quality: DataQuality

    _source_kind = field_validator("source")(Assumption._source_kind.__func__)

    @model_validator(mode="after")
    def _loadings(self) -> Factor:
        if self.low > self.high:
            raise ValueError(f"need low <= high, got {self.low:g} and {self.high:g}")
        for name, v in self.loadings.items():
            if isinstance(v, bool) or not -1 < v < 1 or v == 0:
                raise ValueError(f"loadings.{name}: {v} must lie in (-1, 1), not 0")
            if not self.low <= v <= self.high:
                raise ValueError(
                    f"loadings.{name}: {v:g} lies outside low .. high ({self.low:g} .. {self.high:g})"
                )
        return self


class Constant(Strict):
    """A fixed number the costings use, with its unit (``12`` ``月/年``): not uncertain, no range."""

    value: Number
    unit: str
    note: str = Field(min_length=8)


class Fund(Strict):
    """A social-insurance fund of ``data/baseline/funds.yaml`` for the solvency check: its pooling
    level and, for a fund pooled at Jinan's level, the assumptions (names of this folder's
    ``assumptions:``, or of its ``derived:`` quantities for the 2019 amounts: the contributions on
    the insured wage bill) of its 2019 income, spending and end-2019 balance, their growth without the
    policy, and the months-of-cover threshold."""

    name_en: str = Field(min_length=3)
    pooling_level: Literal["municipal", "provincial", "national"]
    pooling_source: str = Field(min_length=8)
    pooling_data_quality: DataQuality
    income_2019: str | None = None
    spending_2019: str | None = None
    balance_2019: str | None = None
    income_growth: str | None = None
    spending_growth: str | None = None
    threshold_months: float | None = Field(default=None, gt=0, le=120)
    threshold_source: str | None = Field(default=None, min_length=8)
    threshold_data_quality: DataQuality | None = None
    # what the measures pay from the fund in 2020-22 that the costing leaves out, each with why
    excluded: list[Annotated[str, Field(min_length=8)]] = Field(default_factory=list)
    note: str | None = None

    @field_validator("pooling_source", "threshold_source")
    @classmethod
    def _source_kind(cls, source: str | None) -> str | None:
        if source is not None and not source.startswith(("public:", "assumption:")):
            raise ValueError("source must start with 'public:' or 'assumption:'")
        return source

    @model_validator(mode="after")
    def _complete(self) -> Fund:
        local = ("income_2019", "spending_2019", "balance_2019", "income_growth")
        local += ("spending_growth", "threshold_months", "threshold_source")
        local += ("threshold_data_quality",)
        given = [k for k in local if getattr(self, k) is not None]
        if self.pooling_level == "municipal":
            missing = [k for k in local if getattr(self, k) is None]
            if missing:
                raise ValueError(
                    "a fund pooled at Jinan's level needs " + ", ".join(missing) + " (missing)"
                )
        elif given:
            raise ValueError(
                f"a fund pooled at {self.pooling_level} level shows Jinan's contribution to the "
                "pool's shortfall, not its own balance: remove " + ", ".join(given)
            )
        return self


class Solvency(Strict):
    """The ``solvency:`` block: which instruments lower a fund's income (relief, rate cuts; every
    other instrument raises its spending) and the funds."""

    income_instruments: list[str] = Field(min_length=1)
    funds: dict[str, Fund] = Field(min_length=1)


class BaselineFile(Strict):
    description: str | None = None
    assumptions: dict[str, Assumption] = Field(default_factory=dict)
    # the funds' solvency check (data/baseline/funds.yaml; costing/funds.py)
    solvency: Solvency | None = None
    # quantities computed from assumptions and constants, declared once (the insured wage bill)
    derived: dict[str, Derived] = Field(default_factory=dict)
    constants: dict[str, Constant] = Field(default_factory=dict)
    # common drivers several assumptions share (costing/sampling.py draws them together)
    factors: dict[str, Factor] = Field(default_factory=dict)
    # what the charts call each fund, by its name as the policies print it (funding_source, fund)
    fund_labels: dict[str, ChartLabel] = Field(default_factory=dict)

    @field_validator("assumptions", "derived", "constants", "factors")
    @classmethod
    def _names(cls, items: dict) -> dict:
        import re

        for name in items:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"name '{name}' must be snake_case")
        return items
