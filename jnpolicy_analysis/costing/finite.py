"""Non-finite results are failures: a costing whose draws hold NaN or infinity is never shown.

``check_finite`` runs on every costing (``run.cost``): for each costed measure whose central
(the mean of its draws, which any NaN or infinite draw makes non-finite) or P5/P50/P95 is not a
finite number, it names the measure and the input that explains it: a scenario override of one
of the measure's parameters or levers, else an assumption it reads whose values are not finite or
are within a factor ten of the largest the plausibility rule allows. That is bad input (``DataError``, exit 2). When no
input explains it, ``NonFiniteResult`` (exit 1): a fault of the model, reported as such.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import DataError, NonFiniteResult, Problem
from ..inputs.schemas.common import implausible

STATS = ("central", "p5", "p50", "p95")


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _scenario_file(scenario, name: str) -> str:
    catalog = scenario.catalog
    if catalog is None:
        return f"scenario {name}"
    return str(Path(catalog.data_dir) / "scenarios" / f"{name}.yaml")


def _culprits(scenario, plan) -> list[Problem]:
    """The inputs of ``plan``'s measure that can explain a non-finite cost."""
    mid = plan.measure.id
    out: list[Problem] = []
    written = scenario.parameter_values
    for key in sorted(written):
        if key.split(".", 1)[0] == mid:
            out.append(
                Problem(
                    _scenario_file(scenario, scenario.name),
                    f"parameters.{key}",
                    f"its value {written[key]:g} makes the cost of '{mid}' not a finite number",
                )
            )
    for name in sorted(plan.uses):
        a = scenario.assumptions.get(name)
        if a is None:
            continue
        values = (a.low, a.central, a.high)
        # not finite, or within a factor ten of the largest value the plausibility rule allows
        if any(not _finite(v) or implausible(10 * float(v), a.unit) for v in values):
            file = scenario.baseline_files.get(name, "(baseline)")
            out.append(
                Problem(
                    str(file),
                    f"assumptions.{name}",
                    f"its values make the cost of '{mid}' not a finite number",
                )
            )
    return out


def check_finite(result) -> None:
    """Raise when a costed measure's draws hold NaN or infinity (see the module's note)."""
    measures = result.measures
    if "central" not in measures:
        return
    bad = [
        mid
        for mid, row in measures[measures["costed"]].iterrows()
        if not all(_finite(row.get(s)) for s in STATS)
    ]
    if not bad:
        return
    plans = {p.measure.id: p for p in result.plans}
    problems: list[Problem] = []
    for mid in bad:
        found = _culprits(result.scenario, plans[mid])
        if not found:
            raise NonFiniteResult(
                "(costing)",
                mid,
                "the draws of this measure hold NaN or infinity and no input explains it; "
                "nothing is shown (a fault of the model: please report it)",
            )
        problems.extend(found)
    raise DataError(list(dict.fromkeys(problems)))
