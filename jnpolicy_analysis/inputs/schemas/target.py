"""Schema of ``data/targets/*.yaml``: the numeric targets of the plans, each with its quote."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...units import get_unit
from .common import NonNegative, Strict, value_problem
from .policy import Parameter


class Target(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    metric_zh: str
    metric_en: str
    # headline: a level to reach by the deadline; annual: "each year select N" commitments
    kind: Literal["headline", "annual"] = "headline"
    comparator: Literal[">=", ">", "range"]  # 以上/达到 -> ">=", 超过 -> ">", 1—2 个 -> "range"
    value: NonNegative  # the lower bound for a range
    value_max: NonNegative | None = None  # the upper bound of a range target
    unit: str
    start: dt.date | None = None  # when the plan starts counting
    deadline: dt.date
    years: list[int] = Field(default_factory=list)  # for annual commitments: the years they cover
    quote: str = Field(min_length=2)
    serves: list[str] = Field(default_factory=list)  # headline targets an annual commitment feeds
    # a target in % that may exceed a whole (a growth rate); its observations are held to it
    allow_above_one: bool = False
    note: str | None = None

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.comparator == "range":
            if self.value_max is None:
                raise ValueError("a range target needs value_max")
            if self.value_max < self.value:
                raise ValueError(f"value_max {self.value_max} is below value {self.value}")
        elif self.value_max is not None:
            raise ValueError("value_max is only for comparator 'range'")
        for v in (self.value, self.value_max):
            why = (
                None
                if v is None
                else value_problem(v, self.unit, allow_above_one=self.allow_above_one)
            )
            if why:
                raise ValueError(why)
        if self.kind == "annual" and not self.years:
            raise ValueError("an annual commitment needs the years it covers")
        if self.start and self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} precedes start {self.start}")
        return self

    @property
    def base_value(self) -> float:
        return get_unit(self.unit).to_base(self.value)

    @property
    def base_value_max(self) -> float | None:
        return None if self.value_max is None else get_unit(self.unit).to_base(self.value_max)


class TargetDocument(Strict):
    doc: str
    targets: list[Target]

    @model_validator(mode="after")
    def _unique_ids(self) -> TargetDocument:
        ids = [t.id for t in self.targets]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"target ids appear twice: {', '.join(dupes)}")
        return self
