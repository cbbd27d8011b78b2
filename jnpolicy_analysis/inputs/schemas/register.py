"""The register of higher-level policy (``data/register/*.yaml``): the national and provincial
documents the gazette's measures implement, restate, top up or are overtaken by, and each
measure's counterfactual status period by period, resting on them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from ...units import did_you_mean
from .common import Strict
from .policy import StatusPhase


class Standard(Strict):
    """A number a higher-level document sets (a rate, a share, a cap), as it sets it."""

    value: float
    unit: str
    note: str | None = None


class HigherLevelDocument(Strict):
    """One document of the register: its number as printed (or a description when the number was
    not found), date, issuer, level, what it sets and where that was read."""

    number: str = Field(min_length=4)
    title: str = Field(min_length=4)
    issued: dt.date | None = None
    issued_note: str | None = Field(default=None, min_length=8)  # why no date, when none
    issuer: str = Field(min_length=2)
    level: Literal["central", "provincial", "municipal"]  # municipal: Jinan's own earlier rules
    sets: str = Field(min_length=8)
    standards: dict[str, Standard] = Field(default_factory=dict)
    source: str = Field(min_length=8)

    @model_validator(mode="after")
    def _dated(self) -> HigherLevelDocument:
        if self.issued is None and self.issued_note is None:
            raise ValueError("give issued (the date), or issued_note saying why it is not known")
        return self


class Register(Strict):
    description: str = Field(min_length=8)
    documents: dict[str, HigherLevelDocument]
    statuses: dict[str, list[StatusPhase]]  # measure id -> its phases, in date order

    @model_validator(mode="after")
    def _phases(self) -> Register:
        for mid, phases in self.statuses.items():
            if not phases:
                raise ValueError(f"statuses.{mid}: give at least one phase")
            if phases[0].start is not None:
                raise ValueError(
                    f"statuses.{mid}[0].start: the first phase runs from the measure's start; "
                    "leave start out"
                )
            if any(p.start is None for p in phases[1:]):
                raise ValueError(f"statuses.{mid}: only the first phase may have no start")
            dated = [p.start for p in phases if p.start is not None]
            if dated != sorted(set(dated)):
                raise ValueError(f"statuses.{mid}: the phases' starts are not in date order")
            for i, p in enumerate(phases):
                if p.document is not None and p.document not in self.documents:
                    raise ValueError(
                        f"statuses.{mid}[{i}].document: no document '{p.document}' in the "
                        "register" + did_you_mean(p.document, self.documents)
                    )
        return self
