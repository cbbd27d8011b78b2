"""The targets tracker: are the plans' numeric targets on track, and do the plans add up?

``track_targets(scenario, draws=, seed=, as_of=) -> TargetReport`` (a resolved scenario) with ``.targets`` (a DataFrame),
``.paths`` (projected P5/P50/P95 and the required path per year, for charts), ``.consistency`` (a
DataFrame) and ``.to_json()`` (the ``jnpolicy targets --json`` output of docs/json_output.md:
``status``, ``verdict``, ``verdict_basis`` per target, ``years`` per annual commitment).
``observe(...)`` appends a public figure to the observations, checked as the loader checks it.
"""

from __future__ import annotations

from .config import TrackingConfig, load_tracking
from .consistency import ConsistencyRow, fund_verdict, pool_verdict, sum_verdict
from .observe import observe
from .projection import (
    annual_status,
    annual_verdict,
    meets,
    project,
    quantile_draws,
    required_growth,
    required_per_year,
    status_of,
    year_status,
    years_to,
)
from .report import TargetReport, TargetResult, track_targets

__all__ = [
    "ConsistencyRow",
    "TargetReport",
    "TargetResult",
    "TrackingConfig",
    "annual_status",
    "annual_verdict",
    "fund_verdict",
    "observe",
    "load_tracking",
    "meets",
    "pool_verdict",
    "project",
    "quantile_draws",
    "required_growth",
    "required_per_year",
    "status_of",
    "sum_verdict",
    "track_targets",
    "year_status",
    "years_to",
]
