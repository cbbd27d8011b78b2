"""Levers: policy settings a scenario may change that the gazette does not print.

A policy variant sometimes changes something the printed text has no number for: the State Council
let small and medium firms have 100 % of last year's unemployment-insurance premiums back, while the
Jinan text prints one set of shares (50/60/70 %) for every firm. A lever names such a setting, its
unit and what applies when no scenario sets it. Scenarios set a lever under ``parameters:`` with the
same ``measure_id.name`` key as a printed parameter; an unknown key is an error that suggests the
nearest printed parameter or lever.

This module imports nothing from the package, so the scenario loader can read it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lever:
    measure_id: str
    name: str
    unit: str  # as a scenario writes the value ("%" -> a fraction inside)
    description: str
    when_unset: str  # what the costing does when no scenario sets the lever

    @property
    def path(self) -> str:
        return f"{self.measure_id}.{self.name}"


_LEVERS = [
    Lever(
        measure_id="job_retention_refund",
        name="sme_refund_share",
        unit="%",
        description=(
            "Share of last year's unemployment-insurance premiums refunded to small, medium and "
            "micro firms (中小微企业) that do not lay off, or lay off few, staff. When set, it "
            "replaces the printed 50/60/70 % tiers for those firms; large firms keep the tiers."
        ),
        when_unset="every firm gets the printed tiers (50 %, or 60/70 % in the named sectors)",
    ),
]

LEVERS: dict[str, Lever] = {lever.path: lever for lever in _LEVERS}
