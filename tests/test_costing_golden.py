"""Golden central totals per scenario (tests/golden/costing_central_totals.yaml): a regression
guard in the style of PolicyEngine's reform-impact list. Each total there carries, in a comment,
the back-of-envelope sum from the inputs that it was checked against."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario

GOLDEN = yaml.safe_load(
    (Path(__file__).parent / "golden" / "costing_central_totals.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("scenario", sorted(GOLDEN["scenarios"]))
def test_central_totals_match_the_golden_file(scenario):
    expected = GOLDEN["scenarios"][scenario]
    result = run_costing(load_scenario(scenario, draws=100))
    by_class = result.costed.groupby("fiscal_class")["at_mode"].sum()
    for cls, value in expected.items():
        assert by_class.get(cls, 0.0) == pytest.approx(value, rel=GOLDEN["tolerance"]), (
            f"{scenario} class {cls}: {by_class.get(cls, 0.0):,.0f} against golden {value:,.0f}; "
            "if the change is intended, update the golden file with its back-of-envelope check"
        )


def test_golden_covers_every_shipped_scenario():
    from jnpolicy_analysis.inputs.scenarios import list_scenarios

    assert set(list_scenarios()) == set(GOLDEN["scenarios"])
