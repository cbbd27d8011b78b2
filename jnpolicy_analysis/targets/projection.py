"""The arithmetic of the tracker, pure and vectorised: required growth, draws, projected paths,
the probability of meeting a target, and its status.

Values are in base units (plain counts; 元 for money). Observations are year-end values; a
deadline of 31 December counts as the end of its year.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Literal

import numpy as np

Model = Literal["compound", "additive"]
Comparator = Literal[">=", ">", "range"]
STATUSES = ("achieved", "on track", "at risk", "off track", "no data")
# after the deadline; None before it. A proxy of another definition, date or geography gives
# "consistent (different definition)" or "cannot tell", never "met"
VERDICTS = (
    "met",
    "met before the plan began",
    "consistent (different definition)",
    "not met",
    "cannot tell",
)
YEAR_STATUSES = ("met", "missed", "no data")  # one year of an annual commitment

# Relative tolerance when comparing a projected value with a target: 20 × 3 meets 60 exactly.
_TOL = 1e-9


def years_to(deadline: dt.date, from_year: int) -> float:
    """Years from the end of ``from_year`` to ``deadline`` (31 Dec 2019 → 31 Dec 2022 is 3)."""
    year_end = dt.date(deadline.year, 12, 31)
    days_in_year = (year_end - dt.date(deadline.year, 1, 1)).days + 1
    short = (year_end - deadline).days / days_in_year
    return deadline.year - from_year - short


def required_growth(start: float, target: float, years: float) -> float | None:
    """Compound yearly growth that takes ``start`` to ``target`` in ``years``:
    (target / start)^(1 / years) − 1. None when it is undefined (a start of zero or less, or no
    time left); negative when the start already exceeds the target."""
    if start <= 0 or years <= 0 or target < 0:
        return None
    return (target / start) ** (1.0 / years) - 1.0


def required_per_year(start: float, target: float, years: float) -> float | None:
    """Additions a year that take ``start`` to ``target`` in ``years``: (target − start) / years."""
    if years <= 0:
        return None
    return (target - start) / years


def quantile_draws(
    u: np.ndarray,
    low: float,
    mode: float,
    high: float,
    distribution: str = "triangular",
) -> np.ndarray:
    """Draws by inverting the CDF at the uniforms ``u``, so that the same ``u`` with a higher
    (low, mode, high) gives draws at least as high, draw by draw.

    triangular: over [low, high] with its peak at ``mode``; uniform: over [low, high]; fixed:
    ``mode``; lognormal: median ``mode``, with low and high as its 5th and 95th percentiles."""
    u = np.asarray(u, dtype=float)
    if distribution == "fixed" or high <= low:
        return np.full(u.shape, float(mode))
    if distribution == "uniform":
        return low + u * (high - low)
    if distribution == "lognormal":
        from scipy.stats import norm

        sigma = np.log(high / low) / (2 * 1.6448536269514722)
        return mode * np.exp(sigma * norm.ppf(np.clip(u, 1e-12, 1 - 1e-12)))
    if distribution != "triangular":
        raise ValueError(f"unknown distribution '{distribution}'")
    width = high - low
    c = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < c, left, right)


def rng_for(seed: int, target_id: str) -> np.random.Generator:
    """A generator of its own per target, so that a target's draws do not change when another
    target is added or removed."""
    return np.random.default_rng([seed, zlib.crc32(target_id.encode("utf-8"))])


def project(
    start: np.ndarray, rate: np.ndarray, years: np.ndarray | float, model: Model
) -> np.ndarray:
    """Values after ``years`` (an array of horizons) for each draw: shape (draws, horizons).

    compound: start × (1 + rate)^t; additive: start + rate × t."""
    start = np.asarray(start, dtype=float)[:, None]
    rate = np.asarray(rate, dtype=float)[:, None]
    t = np.atleast_1d(np.asarray(years, dtype=float))[None, :]
    if model == "compound":
        return start * (1.0 + rate) ** t
    if model == "additive":
        return start + rate * t
    raise ValueError(f"unknown model '{model}'")


def meets(
    values: np.ndarray | float,
    comparator: Comparator,
    value: float,
    value_max: float | None = None,
    range_reading: Literal["at_least", "within"] = "at_least",
) -> np.ndarray:
    """Whether each value meets the target: '>=' at least ``value``; '>' strictly above it;
    'range' at least ``value`` (reading at_least) or within [value, value_max] (reading within)."""
    x = np.asarray(values, dtype=float)
    tol = _TOL * max(1.0, abs(value))
    if comparator == ">=":
        return x >= value - tol
    if comparator == ">":
        return x > value + tol
    if comparator == "range":
        ok = x >= value - tol
        if range_reading == "within":
            if value_max is None:
                raise ValueError("a range target needs value_max")
            ok &= x <= value_max + _TOL * max(1.0, abs(value_max))
        return ok
    raise ValueError(f"unknown comparator '{comparator}'")


def status_of(probability: float | None, achieved: bool, on_track: float, at_risk: float) -> str:
    """achieved when the latest public figure already meets the target; then by P(met): on track
    at or above ``on_track``, at risk at or above ``at_risk``, off track below; no data when there
    is no P(met) resting on a public figure (``None``: nothing to project from, or a projection
    that starts from an assumption)."""
    if achieved:
        return "achieved"
    if probability is None:
        return "no data"
    if probability >= on_track:
        return "on track"
    if probability >= at_risk:
        return "at risk"
    return "off track"


def year_status(met: bool | None) -> str:
    """One year of an "each year N" commitment: met, missed, or no data (no observation)."""
    if met is None:
        return "no data"
    return "met" if met else "missed"


def annual_status(met_by_year: dict[int, bool | None]) -> str:
    """An "each year N" commitment: off track once an observed year falls short; achieved when
    every year is observed and met; on track when the observed years are met and others remain;
    no data when no year is observed."""
    observed = {y: m for y, m in met_by_year.items() if m is not None}
    if not observed:
        return "no data"
    if not all(observed.values()):
        return "off track"
    if len(observed) == len(met_by_year):
        return "achieved"
    return "on track"


def annual_verdict(met_by_year: dict[int, bool | None]) -> str:
    """After the deadline: met when every year is observed and met, not met once a year is
    missed, cannot tell while a year has no observation and none is missed."""
    values = list(met_by_year.values())
    if any(v is False for v in values):
        return "not met"
    if values and all(v is True for v in values):
        return "met"
    return "cannot tell"
