"""Schema of ``data/outturns/*.yaml``: one amount actually paid or forgone, as published, with its
source, geography, period, what it covers, the measures it matches and, for a figure that is not
Jinan's, the rule that scales it to Jinan (an assumption with a range and a data-quality grade)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ...units import get_unit
from .baseline import Assumption, DataQuality
from .common import GRID_END, GRID_START, Number, Period, Strict, unit_of

Geography = Literal["Jinan", "Shandong", "China"]

# A national outturn exceeds the 1万亿元 plausibility limit of a Jinan input (China's 2020
# three-insurance relief was 1.54万亿元), so an outturn's own limit is 10万亿元: above China's 2020
# social-insurance fund spending, so anything larger is a unit slip.
OUTTURN_MAX_YUAN = 1e13


class OutturnSource(Strict):
    title: str = Field(min_length=4)
    publisher: str = Field(min_length=2)
    date: dt.date
    url: str | None = None  # the address, where one is known
    # High / Medium / Low, as in docs/research/outturns_2020.md
    confidence: Literal["high", "medium_high", "medium", "low"]
    quote: str | None = None


class Scaling(Strict):
    """Jinan's share of the published figure: an assumption with a range, never a fact."""

    rule: str = Field(min_length=8)
    low: Number
    central: Number
    high: Number
    unit: str
    source: str = Field(min_length=8)
    data_quality: DataQuality

    @field_validator("unit")
    @classmethod
    def _rate(cls, unit: str) -> str:
        if unit_of(unit).dimension != "rate":
            raise ValueError(f"a scaling share must be a rate (%, fraction), got '{unit}'")
        return unit

    _kind = field_validator("source")(Assumption._source_kind.__func__)

    @model_validator(mode="after")
    def _ordered(self) -> Scaling:
        if not 0 < self.low <= self.central <= self.high:
            raise ValueError(
                f"need 0 < low <= central <= high, got {self.low}, {self.central}, {self.high}"
            )
        if get_unit(self.unit).to_base(self.high) > 1:
            raise ValueError(f"high {self.high} {self.unit} is above 1 once converted")
        return self

    def base(self, point: str) -> float:
        return get_unit(self.unit).to_base(getattr(self, point))


class Outturn(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str
    title_en: str
    amount: Number = Field(gt=0)
    unit: str  # a money unit: 元, 万元, 亿元, 万亿元
    # paid: money spent or refunded; forgone: contributions not collected
    kind: Literal["paid", "forgone"]
    geography: Geography
    period: Period
    # the part of the period in which the policy it counts ran (default: all of it): the costing is
    # comparable only when the matched measures' windows cover every day of it
    in_force: Period | None = None
    covers: str = Field(min_length=8)  # what the figure covers, in a sentence
    measures: list[str] = Field(min_length=1)  # measure ids of data/policies it matches
    # the assumptions whose value reproducing the outturn is reported (solved by re-costing)
    driving: list[str] = Field(default_factory=list)
    # how the figure was meant to be read (shown in the tables): calibrate, the one the earlier
    # hand calibration was built on; cross_check, a check. Every comparable outturn is a
    # likelihood of the joint calibration (analysis/calibration.py), weighed by its scaling range
    use: Literal["calibrate", "cross_check"]
    scaling: Scaling | None = None  # required unless geography is Jinan
    # why the costing and the outturn may differ, one reason a line (shown by 04_evaluation)
    reasons: list[Annotated[str, Field(min_length=8)]] = Field(min_length=1)
    source: OutturnSource
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _money(cls, unit: str) -> str:
        if unit_of(unit).base != "元":
            raise ValueError(f"an outturn is an amount of money (元, 万元, 亿元), got '{unit}'")
        return unit

    @field_validator("period")
    @classmethod
    def _in_grid(cls, period: Period) -> Period:
        if (
            period.start is not None
            and period.end is not None
            and (period.start < GRID_START or period.end > GRID_END)
        ):
            raise ValueError(
                f"{period.start} to {period.end} reaches outside the costing's grid "
                f"({GRID_START:%Y-%m} to {GRID_END:%Y-%m}): only part of the outturn could be "
                "held against the costing; give a period inside the grid"
            )
        return period

    @field_validator("measures", "driving")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for n in names:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", n):
                raise ValueError(f"'{n}' is not a measure or assumption name (snake_case)")
        if len(set(names)) != len(names):
            raise ValueError("a name is listed twice")
        return names

    @model_validator(mode="after")
    def _whole(self) -> Outturn:
        if self.base_amount() > OUTTURN_MAX_YUAN:
            raise ValueError(
                f"amount {self.amount:g} {self.unit} is not plausible: the limit of an outturn "
                "is 10万亿元 once converted"
            )
        if self.period.start is None or self.period.end is None:
            raise ValueError("period needs both start and end")
        f = self.in_force
        if f is not None:
            if f.start is None or f.end is None:
                raise ValueError("in_force needs both start and end")
            if not self.period.start <= f.start <= f.end <= self.period.end:
                raise ValueError(
                    f"in_force {f.start} – {f.end} must lie inside the period "
                    f"{self.period.start} – {self.period.end}"
                )
        if self.geography != "Jinan" and self.scaling is None:
            raise ValueError(f"a {self.geography} figure needs a scaling rule to Jinan (scaling:)")
        if self.geography == "Jinan" and self.scaling is not None:
            raise ValueError("a Jinan figure takes no scaling rule")
        return self

    def base_amount(self) -> float:
        """The published amount in 元."""
        return get_unit(self.unit).to_base(self.amount)

    def jinan(self, point: str = "central") -> float:
        """The Jinan-equivalent amount in 元 at a point of the scaling rule."""
        share = 1.0 if self.scaling is None else self.scaling.base(point)
        return self.base_amount() * share
