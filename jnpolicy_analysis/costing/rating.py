"""OBR-style uncertainty ratings, derived by an explicit rule from the assumptions a costing uses.

The scale (as the OBR's): Low, Medium-Low, Medium, Medium-High, High, Very high (scores 0 to 5).

1. Each assumption gets a score: its ``data_quality`` (high 0, medium 1, low 2, very_low 3) plus
   the width of its range relative to its central value, (high - low) / central (below 0.25: 0;
   below 0.6: 1; below 1.2: 2; otherwise 3); capped at 5.
2. Each assumption has a ``kind`` (data, behaviour or modelling; ``schemas.baseline``) and a weight:
   its swing, the change in the measure's cost between the assumption's low and high values with
   every other assumption at the scenario's point (the one-at-a-time sensitivity).
3. Data = the swing-weighted mean score of the data assumptions (the plain mean when none of them
   moves the cost). Behaviour = the same over the behaviour assumptions, one step higher when
   behaviour assumptions carry more than half of the measure's total swing ("behaviour
   dominates"); Low when the costing has none. Modelling = the higher of the instrument's own
   difficulty (``INSTRUMENT_MODELLING``: how much structure the model adds to the printed rule) and
   the swing-weighted score of the modelling assumptions.
4. Final = the highest of the three, one step higher (up to Very high) when at least two of them
   are Medium-High or above (uncertainties that compound).

Means round half up to the nearest level. The reason names the assumption with the largest swing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..schemas import Assumption

LEVELS = ("Low", "Medium-Low", "Medium", "Medium-High", "High", "Very high")
QUALITY_SCORE = {"high": 0, "medium": 1, "low": 2, "very_low": 3}

# How much model structure each instrument adds to the printed rule (0 = none: a printed sum).
INSTRUMENT_MODELLING = {
    "budget_line": 0,  # the sum is printed
    "per_head_grant": 1,  # rate x count
    "per_person_per_month": 1,
    "contribution_exemption": 1,  # rate x wage bill x months
    "contribution_rate_cut": 1,
    "premium_refund": 2,  # needs last year's premiums and their split by tier
    "levy_relief": 2,
    "wage_linked_subsidy": 2,  # needs the previous standard
    "benefit_extension": 2,  # needs who runs out of entitlement, and when
    "training_subsidy": 2,
    "service_grant": 2,
    "tiered_grant": 2,
    "per_person_per_day": 3,  # a firm-size distribution against a per-firm cap
    "capped_share_grant": 3,
    "rent_relief_subsidy": 3,
    "loan_guarantee": 3,  # default rates of new borrowers
}


def width_score(a: Assumption) -> int:
    """0..3 from the relative width (high - low) / central of the assumption's range."""
    if a.high == a.low:
        return 0
    rel = (a.high - a.low) / abs(a.central) if a.central else math.inf
    return 0 if rel < 0.25 else 1 if rel < 0.6 else 2 if rel < 1.2 else 3


def assumption_score(a: Assumption) -> int:
    return min(QUALITY_SCORE[a.data_quality] + width_score(a), 5)


def _round(x: float) -> int:
    return min(int(math.floor(x + 0.5)), 5)


@dataclass(frozen=True)
class Rating:
    data: str
    modelling: str
    behaviour: str
    final: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {
            "data": self.data,
            "modelling": self.modelling,
            "behaviour": self.behaviour,
            "final": self.final,
            "reason": self.reason,
        }


def _weighted(names: list[str], swings: dict[str, float], meta: dict[str, Assumption]) -> float:
    scores = [assumption_score(meta[n]) for n in names]
    weights = [swings.get(n, 0.0) for n in names]
    if sum(weights) > 0:
        return sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)
    return sum(scores) / len(scores)


def rate(
    instrument: str, swings: dict[str, float], meta: dict[str, Assumption], cost: float
) -> Rating:
    """The rating of one costing. ``swings``: assumption -> |cost(high) - cost(low)| in 元 for
    every assumption the costing reads; ``meta``: their baseline entries; ``cost``: the central
    final cost (for the reason's percentages)."""
    by_kind: dict[str, list[str]] = {"data": [], "behaviour": [], "modelling": []}
    for name in swings:
        by_kind[meta[name].kind].append(name)
    total_swing = sum(swings.values())

    data = _round(_weighted(by_kind["data"], swings, meta)) if by_kind["data"] else 0
    if by_kind["behaviour"]:
        behaviour = _round(_weighted(by_kind["behaviour"], swings, meta))
        behaviour_swing = sum(swings[n] for n in by_kind["behaviour"])
        if total_swing > 0 and behaviour_swing > 0.5 * total_swing:
            behaviour = min(behaviour + 1, 5)
    else:
        behaviour = 0
    modelling = INSTRUMENT_MODELLING.get(instrument, 2)
    if by_kind["modelling"]:
        modelling = max(modelling, _round(_weighted(by_kind["modelling"], swings, meta)))
    top = max(data, modelling, behaviour)
    final = min(top + 1, 5) if sum(x >= 3 for x in (data, modelling, behaviour)) >= 2 else top

    if swings and total_swing > 0:
        name = max(swings, key=lambda n: swings[n])
        a = meta[name]
        share = swings[name] / total_swing
        rel = f"{(a.high - a.low) / abs(a.central):.0%} of central" if a.central else "wide"
        reason = (
            f"driven by {name} ({a.kind}, {a.data_quality.replace('_', ' ')} quality, range "
            f"{rel}; {share:.0%} of the one-at-a-time swing)"
        )
        if cost:
            reason += f"; swing {total_swing / abs(cost):.0%} of the central cost"
    else:
        reason = "no uncertain assumption: the cost follows from printed numbers"
    return Rating(LEVELS[data], LEVELS[modelling], LEVELS[behaviour], LEVELS[final], reason)
