"""OBR-style uncertainty ratings, derived by an explicit rule from the assumptions a costing uses and
the measure's register of modelling risks (``modelling_risks:`` in its policy YAML,
``schemas.risk``).

The scale (as the OBR's): Low, Medium-Low, Medium, Medium-High, High, Very high (scores 0 to 5).

One weakness is counted once:

1. Each assumption scores the worse of its grade and its width, never their sum: grade
   (``data_quality``: high 0, medium 1, low 2, very_low 3) or width, (high - low) / central (below
   0.25: 0; below 0.6: 1; below 1.2: 2; otherwise 3). A poor fact has a wide range because it is
   poor; the range says nothing more.
2. The measure's range is split by kind (data, behaviour, modelling; ``schemas.baseline``) by the
   one-at-a-time swing of each assumption (the change in the measure's cost between its low and
   high values, all others at the scenario's point). Each kind's share of the range speaks for that
   kind alone: the width a data assumption brings is explained by its grade and is not counted
   again under Behaviour or Modelling.
3. A kind's score is the swing-weighted mean of its assumptions' scores (the plain mean when none of
   them moves the cost), lowered when that kind moves the cost little: by 2 when its swing is under
   10 % of the cost, by 1 under 30 % (a weak assumption that hardly changes the cost does not make
   it uncertain). It is never below the score of its weakest large driver (an assumption whose
   own swing is 30 % of the cost or more): the weakest large driver is a floor, not averaged away.
4. Data = the data assumptions' score.
   Behaviour = the behaviour assumptions' score, one step higher when the behaviour swing is half
   the cost or more and those assumptions are graded low or very low (the cost scales with a
   response known from no data). When none is modelled the behaviour is unknown, Medium-High,
   except under a printed fixed sum (a budget line), where it is Low.
   Modelling = the highest of: the instrument's own structure (``INSTRUMENT_MODELLING``); the
   modelling assumptions' score (readings of the text drawn as choices among them); and the
   register of risks not already drawn (``carried_by`` none of the measure's assumptions): the
   worst severity (low 0, medium 2, high 3), one step higher with three or more medium or high
   risks.
5. Final = the highest of the three, one step higher (up to Very high) for each further one of
   them at Medium-High or above (uncertainties that compound: two such, +1; all three, +2). A
   behaviour that is not modelled is a floor (unknown) and does not compound.

Scores round half up. Each of the three carries its reason, and the final reason joins them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..inputs.schemas import Assumption, ModellingRisk

LEVELS = ("Low", "Medium-Low", "Medium", "Medium-High", "High", "Very high")
QUALITY_SCORE = {"high": 0, "medium": 1, "low": 2, "very_low": 3}
SEVERITY_SCORE = {"low": 0, "medium": 2, "high": 3}

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


# An assumption whose own swing is this share of the cost or more is a large driver: its score is
# a floor under its kind's score (a weak fact that moves the cost a lot is not averaged away).
LARGE_DRIVER = 0.3
# A behaviour that is not modelled is unknown, not absent: Medium-High, except under a printed
# fixed sum (a budget line), where no behaviour can move the cost beyond the sum.
NOT_MODELLED_BEHAVIOUR = 3
NO_BEHAVIOUR_INSTRUMENTS = frozenset({"budget_line"})


def width_score(a: Assumption) -> int:
    """0..3 from the relative width (high - low) / central of the assumption's range."""
    if a.high == a.low:
        return 0
    rel = (a.high - a.low) / abs(a.central) if a.central else math.inf
    return 0 if rel < 0.25 else 1 if rel < 0.6 else 2 if rel < 1.2 else 3


def assumption_score(a: Assumption) -> int:
    """The worse of the assumption's grade and its width (0..3): one weakness, counted once."""
    return max(QUALITY_SCORE[a.data_quality], width_score(a))


def _round(x: float) -> int:
    return max(0, min(int(math.floor(x + 0.5)), 5))


def materiality(relative_swing: float) -> int:
    """The step a kind's score moves by for how much that kind moves the cost (swing / cost)."""
    return -2 if relative_swing < 0.1 else -1 if relative_swing < 0.3 else 0


@dataclass(frozen=True)
class Rating:
    data: str
    modelling: str
    behaviour: str
    final: str
    reason: str
    data_reason: str = ""
    modelling_reason: str = ""
    behaviour_reason: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "data": self.data,
            "modelling": self.modelling,
            "behaviour": self.behaviour,
            "final": self.final,
            "reason": self.reason,
        }


def _describe(name: str, a: Assumption, share: float | None) -> str:
    if a.distribution == "discrete":
        what = f"a {len(a.choices)}-point reading, {a.data_quality.replace('_', ' ')} quality"
    else:
        rel = f"{(a.high - a.low) / abs(a.central):.0%} of central" if a.central else "wide"
        what = f"{a.data_quality.replace('_', ' ')} quality, range {rel}"
    return f"{name} ({what}" + (f"; {share:.0%} of its swing)" if share is not None else ")")


def _kind_score(
    names: list[str], swings: dict[str, float], meta: dict[str, Assumption], cost: float
) -> tuple[int, float, str]:
    """(score, the kind's swing relative to the cost, the reason) for one kind's assumptions:
    the swing-weighted mean, moved by materiality, and never below the score of its weakest
    large driver (an assumption whose own swing is ``LARGE_DRIVER`` of the cost or more)."""
    scores = {n: assumption_score(meta[n]) for n in names}
    weights = {n: swings.get(n, 0.0) for n in names}
    total = sum(weights.values())
    if total > 0:
        mean = sum(scores[n] * weights[n] for n in names) / total
        top = max(names, key=lambda n: weights[n])
        share: float | None = weights[top] / total
    else:
        mean = sum(scores.values()) / len(scores)
        top, share = max(names, key=lambda n: scores[n]), None
    rel = total / abs(cost) if cost else (math.inf if total > 0 else 0.0)
    step = materiality(rel)
    reason = f"driven by {_describe(top, meta[top], share)}"
    if math.isfinite(rel):
        reason += f"; swing {rel:.0%} of the cost"
    if step:
        reason += f", too little to count in full ({step:+d})"
    score = _round(mean + step)
    large = [n for n in names if cost and weights[n] / abs(cost) >= LARGE_DRIVER]
    if large:
        weakest = max(large, key=lambda n: (scores[n], weights[n]))
        if scores[weakest] > score:
            score = scores[weakest]
            reason += (
                f"; floored at {LEVELS[score]} by its weakest large driver, {weakest} "
                f"({meta[weakest].data_quality.replace('_', ' ')} quality, swing "
                f"{weights[weakest] / abs(cost):.0%} of the cost)"
            )
    return score, rel, reason


def rate(
    instrument: str,
    swings: dict[str, float],
    meta: dict[str, Assumption],
    cost: float,
    risks: Sequence[ModellingRisk] = (),
) -> Rating:
    """The rating of one costing. ``swings``: assumption -> |cost(high) - cost(low)| in 元 for
    every assumption the costing reads; ``meta``: their baseline entries; ``cost``: the at-mode
    final cost (swings are measured against it); ``risks``: the measure's register of modelling
    risks."""
    by_kind: dict[str, list[str]] = {"data": [], "behaviour": [], "modelling": []}
    for name in swings:
        by_kind[meta[name].kind].append(name)

    if by_kind["data"]:
        data, _, data_reason = _kind_score(by_kind["data"], swings, meta, cost)
    else:
        data, data_reason = 0, "no data assumption: the cost follows from printed numbers"

    unmodelled = False
    if by_kind["behaviour"]:
        behaviour, rel, behaviour_reason = _kind_score(by_kind["behaviour"], swings, meta, cost)
        poor = all(QUALITY_SCORE[meta[n].data_quality] >= 2 for n in by_kind["behaviour"])
        if rel >= 0.5 and poor:
            behaviour = min(behaviour + 1, 5)
            behaviour_reason += "; the cost scales with a response known from no data (+1)"
    elif instrument in NO_BEHAVIOUR_INSTRUMENTS:
        behaviour, behaviour_reason = 0, "a printed fixed sum: no behaviour moves it"
    else:
        behaviour, unmodelled = NOT_MODELLED_BEHAVIOUR, True
        behaviour_reason = (
            "no behavioural response is modelled: unknown, rated "
            f"{LEVELS[NOT_MODELLED_BEHAVIOUR]} (firms' and people's responses are not nil)"
        )

    base = INSTRUMENT_MODELLING.get(instrument, 2)
    parts = [(base, f"the {instrument} rule adds {LEVELS[base].lower()} structure")]
    if by_kind["modelling"]:
        score, _, why = _kind_score(by_kind["modelling"], swings, meta, cost)
        parts.append((score, f"modelling assumptions {why}"))
    drawn = set(swings)
    open_risks = [r for r in risks if r.carried_by not in drawn]
    if open_risks:
        worst = max(open_risks, key=lambda r: SEVERITY_SCORE[r.severity])
        score = SEVERITY_SCORE[worst.severity]
        why = f"{worst.severity} {worst.kind.replace('_', ' ')} risk: {worst.description}"
        serious = sum(r.severity != "low" for r in open_risks)
        if serious >= 3:
            score = min(score + 1, 5)
            why += f" ({serious} medium or high risks, +1)"
        parts.append((score, why))
    carried = [r for r in risks if r.carried_by in drawn]
    modelling, modelling_reason = max(parts, key=lambda p: p[0])
    if carried:
        modelling_reason += (
            f"; {len(carried)} risk{'s' if len(carried) > 1 else ''} drawn in the Monte Carlo "
            f"({', '.join(sorted({r.carried_by or '' for r in carried}))}), counted there"
        )

    levels = (data, modelling, behaviour)
    top = max(levels)
    # an unmodelled behaviour is a floor (unknown), not a measured weakness: it does not compound
    measured = (data, modelling) if unmodelled else levels
    serious_parts = sum(x >= 3 for x in measured)
    compound = serious_parts >= 2
    final = min(top + serious_parts - 1, 5) if compound else top
    named = [
        f"Data {LEVELS[data]}: {data_reason}",
        f"Modelling {LEVELS[modelling]}: {modelling_reason}",
        f"Behaviour {LEVELS[behaviour]}: {behaviour_reason}",
    ]
    reason = (
        f"{LEVELS[final]}"
        + (
            f" ({serious_parts} of the three Medium-High or above compound, +{serious_parts - 1})"
            if compound
            else ""
        )
        + ". "
        + ". ".join(named)
    )
    return Rating(
        LEVELS[data],
        LEVELS[modelling],
        LEVELS[behaviour],
        LEVELS[final],
        reason,
        data_reason,
        modelling_reason,
        behaviour_reason,
    )


# --------------------------------------------------------------------------- outturn evidence


@dataclass(frozen=True)
class OutturnCheck:
    """One outturn a measure's costing was held against: its id, whether the costed amount fell
    inside the outturn's range (scaled to Jinan), the ratio costed / outturn, and whether the
    figure is Jinan's own (not scaled from another geography)."""

    outturn: str
    within_range: bool
    ratio: float
    jinan_own: bool


def with_outturns(final: str, checks: Sequence[OutturnCheck]) -> tuple[str, str]:
    """The final rating after the outturns that cover the measure, and why: one step higher (up to
    Very high) when the costing misses any of them by more than its range; one step lower (not
    below Medium-Low) when every one is within its range and Jinan's own; else unchanged (a
    scaled figure of another geography within its wide range is not evidence enough to lower)."""
    if not checks:
        return final, "no outturn covers the measure"
    k = LEVELS.index(final)
    missed = [c for c in checks if not c.within_range]
    if missed:
        words = ", ".join(f"{c.outturn} (costed {c.ratio:.2f}x the outturn)" for c in missed)
        up = min(k + 1, len(LEVELS) - 1)
        return LEVELS[up], f"the costing misses {words} by more than its range (+1)"
    if all(c.jinan_own for c in checks) and k > 1:
        words = ", ".join(c.outturn for c in checks)
        return LEVELS[k - 1], f"within the range of Jinan's own outturns {words} (-1)"
    words = ", ".join(c.outturn for c in checks)
    return final, (
        f"within the range of {words}, scaled from another geography: not evidence enough to "
        "lower the rating"
    )
