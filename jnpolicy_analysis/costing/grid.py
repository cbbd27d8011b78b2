"""The monthly grid of the costing, January 2020 to December 2022, and timing profiles on it.

A profile is a vector of 36 month weights. A cost component is an amount per draw times a profile:
the cost in month ``m`` is ``amount * weights[m]``. Two kinds of profile are used:

- a *coverage* profile: the share of each month's days that a dated window covers (1.0 for a whole
  month, 10/31 for ten days of January). A monthly amount (元 per month) times a coverage profile is
  the monthly cash flow, and its total is the monthly amount times the months covered.
- a *spread* profile: a coverage profile scaled to sum to 1. A total amount (元) times a spread
  profile places that total in the months it is paid.

Windows that reach beyond the grid are cut at its edges: the costing counts only the months from
January 2020 to December 2022, and open-ended measures run to the end of the grid.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd

from ..inputs.schemas.common import GRID_END as GRID_END  # the grid's ends, with the inputs
from ..inputs.schemas.common import GRID_START as GRID_START

N_MONTHS = 36
YEARS = (2020, 2021, 2022)

MONTH_STARTS: tuple[dt.date, ...] = tuple(
    dt.date(2020 + i // 12, i % 12 + 1, 1) for i in range(N_MONTHS)
)
MONTH_ENDS: tuple[dt.date, ...] = tuple(
    dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]) for d in MONTH_STARTS
)
MONTHS = pd.period_range("2020-01", periods=N_MONTHS, freq="M")
MONTH_YEAR = np.array([d.year for d in MONTH_STARTS])


def month_index(day: dt.date) -> int:
    """Position of the month of ``day`` on the grid (may fall outside 0..35)."""
    return (day.year - 2020) * 12 + day.month - 1


def parse_month(text: str) -> dt.date:
    """'2020-03' -> 2020-03-01."""
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def coverage(start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """Share of each grid month's days inside [start, end] (both inclusive); None is open."""
    start = max(start or GRID_START, GRID_START)
    end = min(end or GRID_END, GRID_END)
    weights = np.zeros(N_MONTHS)
    if end < start:
        return weights
    for i, (first, last) in enumerate(zip(MONTH_STARTS, MONTH_ENDS, strict=True)):
        lo, hi = max(first, start), min(last, end)
        if hi >= lo:
            weights[i] = ((hi - lo).days + 1) / ((last - first).days + 1)
    return weights


def whole_months(first: str, last: str) -> np.ndarray:
    """Coverage of the whole months ``first`` to ``last`` ('2020-03', '2020-04')."""
    start = parse_month(first)
    end_month = parse_month(last)
    end = dt.date(
        end_month.year, end_month.month, calendar.monthrange(end_month.year, end_month.month)[1]
    )
    return coverage(start, end)


def spread(weights: np.ndarray) -> np.ndarray:
    """``weights`` scaled to sum to 1 (a total amount paid out along them)."""
    total = float(weights.sum())
    if total <= 0:
        raise ValueError("the timing window lies outside January 2020 - December 2022")
    return weights / total


def shift(weights: np.ndarray, months: int) -> np.ndarray:
    """``weights`` moved ``months`` later; what moves past December 2022 is added to that month,
    so a payment lag never loses money off the end of the grid."""
    if months <= 0:
        return weights.copy()
    out = np.zeros(N_MONTHS)
    if months < N_MONTHS:
        out[months:] = weights[: N_MONTHS - months]
        out[-1] += weights[N_MONTHS - months :].sum()
    else:
        out[-1] = weights.sum()
    return out


def staggered(entry: np.ndarray, duration_months: float) -> np.ndarray:
    """Person-months per entrant when entrants arrive along ``entry`` (a spread profile) and each
    stays ``duration_months``: weight[m] = sum over entry months e <= m < e + duration of entry[e].

    Sums to ``duration_months`` when every stay ends inside the grid. A fractional duration counts
    its last month in part.
    """
    out = np.zeros(N_MONTHS)
    whole = int(duration_months)
    part = duration_months - whole
    for e in np.flatnonzero(entry):
        stop = min(e + whole, N_MONTHS)
        out[e:stop] += entry[e]
        if part and e + whole < N_MONTHS:
            out[e + whole] += entry[e] * part
    return out


def days_inclusive(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` to ``end``, both counted: 2020-01-25..2020-02-09 is 16 days."""
    return (end - start).days + 1


def by_year(monthly: np.ndarray) -> dict[int, float]:
    """Sum a (..., 36) monthly array into the three years of the grid."""
    return {year: float(monthly[..., MONTH_YEAR == year].sum()) for year in YEARS}


def months_after(day: dt.date, months: int, lag: int = 0) -> np.ndarray:
    """Whole-month weights for the ``months`` months that follow the month of ``day`` after a
    further ``lag`` months (payments made after a window closes). Months past December 2022 are
    added to December 2022."""
    out = np.zeros(N_MONTHS)
    first = month_index(day) + 1 + lag
    for i in range(first, first + months):
        out[min(max(i, 0), N_MONTHS - 1)] += 1.0
    return out
