"""The costing engine: what every measure costs, when, from which fund, and how sure we are.

    from jnpolicy_analysis.costing import run_costing, compare, sensitivity
    from jnpolicy_analysis.inputs.scenarios import load_scenario
    central = load_scenario("central")     # a name is read here; what computes takes the result
    result = run_costing(central, draws=2000, seed=1)
    result.measures          # one row per measure: static, behavioural, final, P5/P50/P95, rating
    result.by("funding_source")
    result.fan()             # class-A cost by month with quantiles, for a fan chart
    result.to_json()         # the `jnpolicy cost --json` contract
    compare(central, load_scenario("sme_retention_refund_100")).measures

Amounts are in 元. See ``engine`` for the method, ``bindings`` for how each measure's costing block
in ``data/policies`` is read and checked, ``instruments`` for the costing functions, ``hooks`` for
the costs that depend on another measure, ``rating`` for the uncertainty rule.
"""

from .results import Comparison, CostResult
from .run import compare, prepare, run_costing, sensitivity

__all__ = ["Comparison", "CostResult", "compare", "prepare", "run_costing", "sensitivity"]
