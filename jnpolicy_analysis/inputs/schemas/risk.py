"""Schema of a measure's ``modelling_risks:``: the register of what the costing's structure may get
wrong, beside its ``costing:`` block, read by the uncertainty rating (``costing/rating.py``).

Each risk has a ``kind``, a one-line ``description`` and a ``severity``:

- ``reading``: the text can be read more than one way and the readings cost differently;
- ``counterfactual``: what would have happened without the measure (deadweight, a policy already
  in force) is not known;
- ``timing``: when the money is paid (lags, claims after the window) is not printed;
- ``interaction``: the cost depends on another measure (the same wage bill relieved twice);
- ``horizon``: the period is open, inferred or cut at the end of the model's grid;
- ``model_form``: the structure of the costing (a size distribution, a rate x base rule) may be
  wrong, not only its inputs.

Severity: ``low`` (a few per cent of the cost), ``medium`` (could move it by a quarter or more),
``high`` (could change it by half or more, or its sign). A risk already drawn in the Monte Carlo
names that assumption in ``carried_by``: the rating then counts it once, through the assumption's
grade and range, not a second time as a risk.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from ...units import did_you_mean
from .common import Strict

RISK_KINDS = ("reading", "counterfactual", "timing", "interaction", "horizon", "model_form")
SEVERITIES = ("low", "medium", "high")
RiskKind = Literal["reading", "counterfactual", "timing", "interaction", "horizon", "model_form"]
Severity = Literal["low", "medium", "high"]


def _one_of(value: object, valid: tuple[str, ...], what: str) -> object:
    """A clear error for a string outside ``valid``, with the nearest valid name."""
    if isinstance(value, str) and value not in valid:
        raise ValueError(
            f"unknown {what} '{value}'{did_you_mean(value, valid)}; valid: {', '.join(valid)}"
        )
    return value


class ModellingRisk(Strict):
    """One entry of a measure's register of modelling risks."""

    kind: RiskKind
    description: str = Field(min_length=8)
    severity: Severity
    carried_by: str | None = None  # the assumption that draws this risk in the Monte Carlo

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _one_of(value, RISK_KINDS, "risk kind")

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: object) -> object:
        return _one_of(value, SEVERITIES, "severity")

    @field_validator("carried_by")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise ValueError(f"carried_by '{value}' must be the snake_case name of an assumption")
        return value
