"""Schema of ``data/baseline/*.yaml``: the Jinan facts and assumptions every costing needs, each
with low/central/high, a unit and a source."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..units import get_unit
from .common import Number, Strict, implausible
from .policy import Derived, Parameter

DataQuality = Literal["high", "medium", "low", "very_low"]

AssumptionKind = Literal["data", "behaviour", "modelling"]
"""What an assumption stands for, for the OBR-style uncertainty rating of the costings that use it:
``data`` a fact about Jinan (a count, a wage, a rate), ``behaviour`` how people and firms respond
(take-up, induced activity), ``modelling`` a choice of the model (the spread of a size distribution,
which premiums a refund counts)."""


class Assumption(Strict):
    low: Number
    central: Number
    high: Number
    unit: str
    # "public: <the public source: publisher, title, date>" or "assumption: <reasoning>"
    source: str = Field(min_length=8)
    data_quality: DataQuality
    distribution: Literal["triangular", "lognormal", "uniform", "fixed"] = "triangular"
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
        return self

    def base(self, point: str) -> float:
        return get_unit(self.unit).to_base(getattr(self, point))


class Constant(Strict):
    """A fixed number the costings use, with its unit (``12`` ``月/年``): not uncertain, no range."""

    value: Number
    unit: str
    note: str = Field(min_length=8)


class BaselineFile(Strict):
    description: str | None = None
    assumptions: dict[str, Assumption] = Field(default_factory=dict)
    # quantities computed from assumptions and constants, declared once (the insured wage bill)
    derived: dict[str, Derived] = Field(default_factory=dict)
    constants: dict[str, Constant] = Field(default_factory=dict)

    @field_validator("assumptions", "derived", "constants")
    @classmethod
    def _names(cls, items: dict) -> dict:
        import re

        for name in items:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"name '{name}' must be snake_case")
        return items
