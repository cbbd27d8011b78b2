"""Schema of ``data/scenarios/*.yaml``: a named set of overrides on the gazette parameters and the
baseline assumptions, extending another scenario, with its Monte Carlo settings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from .common import Number, Strict


class AssumptionOverride(Strict):
    low: Number | None = None
    central: Number | None = None
    high: Number | None = None


class PeriodOverride(Strict):
    start: dt.date | None = None
    end: dt.date | None = None


class CalibrationMove(Strict):
    """One assumption a calibrated scenario moves to what an outturn implies (data/outturns):
    from its values before, to the values the scenario sets, and why."""

    assumption: str
    outturn: str  # the id of the outturn in data/outturns it was solved from
    from_: AssumptionOverride = Field(alias="from")
    to: AssumptionOverride
    why: str = Field(min_length=8)


class Scenario(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str
    title_en: str
    description: str = ""
    # where a policy variant comes from: the notice that adopted it (title, number, date)
    reference: str | None = None
    extends: str | None = None
    # which point of every assumption the deterministic estimate uses; draws spread around it
    point: Literal["low", "central", "high"] | None = None
    draws: int | None = Field(default=None, strict=True)
    seed: int | None = Field(default=None, strict=True, ge=0)
    # "measure_id.parameter" -> new value in the parameter's own unit (a policy variant). Besides the
    # printed parameters, a key may name a lever of a measure (its ``levers:`` in data/policies):
    # a policy setting the gazette does not print, such as a separate refund share for SMEs.
    parameters: dict[str, Number] = Field(default_factory=dict)
    # assumption name -> a number (all three points) or some of low/central/high
    assumptions: dict[str, Number | AssumptionOverride] = Field(default_factory=dict)
    # period overrides of a measure: "measure_id" -> {start, end}
    periods: dict[str, PeriodOverride] = Field(default_factory=dict)
    # a calibrated scenario's moves, each also set under ``assumptions`` (checked by evaluation)
    moves: list[CalibrationMove] = Field(default_factory=list)

    @field_validator("draws")
    @classmethod
    def _positive(cls, draws: int | None) -> int | None:
        if draws is not None and draws <= 0:
            raise ValueError(f"draws must be a positive whole number, got {draws}")
        return draws
