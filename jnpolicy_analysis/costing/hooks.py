"""Hooks: the few costs that depend on another measure, each a named function that a costing block
names (``hook: {name: ..., inputs: ...}``) and that adds components to what the instrument costs.

A hook receives the scenario, the components already costed, the costing window (start, end) and
its inputs (bound in YAML and unit-checked like an instrument's), and returns more components.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..inputs.scenarios import ResolvedScenario
from . import grid
from .engine import Component, _coverage

# Clause 8 of 济政发〔2020〕1号: employers' pension, unemployment and work-injury contributions
# exempted for SMEs (February to June 2020) and halved for large firms (February to April 2020).
SME_EXEMPTION = "sme_social_insurance_exemption"
LARGE_HALVING = "large_firm_social_insurance_halving"


@dataclass(frozen=True)
class HookSpec:
    function: Callable[..., list[Component]]
    inputs: dict[str, str]  # input name -> base unit expected
    needs: tuple[str, ...]  # measures of the catalog the hook reads


HOOKS: dict[str, HookSpec] = {}


def hook(name: str, *, needs: tuple[str, ...] = (), **inputs: str):
    def register(fn: Callable[..., list[Component]]) -> Callable[..., list[Component]]:
        HOOKS[name] = HookSpec(fn, inputs, needs)
        return fn

    return register


def overlap(scenario: ResolvedScenario, other_id: str, start: dt.date, end: dt.date) -> np.ndarray:
    """Coverage of the days [start, end] shares with another measure's window (scenario-aware)."""
    period = scenario.period(other_id)
    if period is None or period.start is None:
        return np.zeros(grid.N_MONTHS)
    lo, hi = max(start, period.start), min(end, period.end or grid.GRID_END)
    return _coverage(lo, hi) if hi >= lo else np.zeros(grid.N_MONTHS)


@hook(
    "net_of_clause_8_relief",
    needs=(SME_EXEMPTION, LARGE_HALVING),
    employer_part="fraction",
    sme_share="fraction",
)
def net_of_clause_8_relief(
    scenario: ResolvedScenario,
    components: list[Component],
    window: tuple[dt.date, dt.date],
    employer_part,
    sme_share,
) -> list[Component]:
    """Clause 7's extended rate cuts forgo only what clause 8 has not already forgone: in the months
    a cut overlaps the SME exemption or the large-firm halving (including when a scenario extends
    them), the employers' part of the cut (``employer_part`` of the monthly amount forgone) is
    taken back for SMEs (``sme_share`` of the insured) times the exemption share and for large
    firms times the halving share. The first component is the monthly amount forgone."""
    start, end = window
    forgone, fund = components[0].amount, components[0].fund
    exempt = scenario.parameter(SME_EXEMPTION, "exemption_share")
    halved = scenario.parameter(LARGE_HALVING, "reduction_share")
    return [
        Component(
            -forgone * employer_part * sme_share * exempt,
            overlap(scenario, SME_EXEMPTION, start, end),
            fund,
        ),
        Component(
            -forgone * employer_part * (1 - sme_share) * halved,
            overlap(scenario, LARGE_HALVING, start, end),
            fund,
        ),
    ]
