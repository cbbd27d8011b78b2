"""The targets tracker: are the plans' numeric targets on track, and do the plans add up?

``track_targets(scenario, data_dir, draws, seed) -> TargetReport`` with ``.targets`` (a DataFrame),
``.paths`` (projected P5/P50/P95 and the required path per year, for charts), ``.consistency`` (a
DataFrame) and ``.to_json()`` (the ``jnpolicy targets --json`` contract of DESIGN.md).
"""

from __future__ import annotations

from .config import TrackingConfig, load_tracking
from .consistency import ConsistencyRow, pool_verdict, sum_verdict
from .projection import (
    annual_status,
    meets,
    project,
    quantile_draws,
    required_growth,
    required_per_year,
    status_of,
    years_to,
)
from .report import TargetReport, TargetResult, track_targets

__all__ = [
    "ConsistencyRow",
    "TargetReport",
    "TargetResult",
    "TrackingConfig",
    "annual_status",
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
    "years_to",
]
