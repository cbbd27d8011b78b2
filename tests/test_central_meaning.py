"""One meaning of central: the quoted central is the Monte Carlo mean of the same draws (the expected
cost), so it lies within P5-P95 for every measure, total and breakdown of every scenario; a stress
case (every assumption at a bound) is a point, and its JSON gives the point alone."""

from __future__ import annotations

import numpy as np
import pytest

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.costing.results import STAT_COLUMNS
from jnpolicy_analysis.inputs.scenarios import list_scenarios, load_scenario

DRAWS = 400
SCENARIOS = sorted(list_scenarios())
DISTRIBUTIONS = [s for s in SCENARIOS if load_scenario(s).point == "central"]
STRESS = [s for s in SCENARIOS if load_scenario(s).point != "central"]


def _within(central: float, p5: float, p95: float) -> bool:
    slack = 1e-5 * max(abs(p5), abs(p95), 1.0)  # float32 draws
    return p5 - slack <= central <= p95 + slack


def test_the_shipped_stress_cases_are_low_and_high():
    assert set(STRESS) == {"low", "high"}
    assert "central" in DISTRIBUTIONS


@pytest.mark.parametrize("scenario", DISTRIBUTIONS)
def test_central_is_the_mean_of_the_draws_and_within_p5_p95(scenario):
    result = run_costing(load_scenario(scenario, draws=DRAWS, seed=3))
    c = result.costed
    means = np.array([x.mean(dtype=np.float64) for x in result.ledger.measures])
    np.testing.assert_allclose(c["central"].to_numpy(), means, rtol=1e-6)  # float32 draws: 7 digits
    for mid, r in c.iterrows():
        assert _within(r["central"], r["p5"], r["p95"]), (scenario, mid)
    totals = result.totals()
    groups = [("cost", {"A": totals["cost"]})]
    groups += [(k, totals[k]) for k in ("by_fiscal_class", "by_funding_source", "by_year")]
    for name, stats in groups:
        for key, s in stats.items():
            assert _within(s["central"], s["p5"], s["p95"]), (scenario, name, key, s)
    # the class-A total's central is the mean of the class-A draws
    a = result.ledger.classes[0].astype(np.float64).mean()
    assert totals["cost"]["central"] == pytest.approx(a, rel=1e-6)
    for key in ("doc", "funding_source", "government_level", "instrument", "fiscal_class"):
        frame = result.by(key)
        for label, r in frame.dropna(subset=["p5"]).iterrows():
            assert _within(r["central"], r["p5"], r["p95"]), (scenario, key, label)
    fan = result.fan(cumulative=True)
    assert all(_within(r.central, r.p5, r.p95) for r in fan.itertuples())


def test_at_mode_is_kept_apart_and_differs_from_the_mean():
    result = run_costing(load_scenario("central", draws=DRAWS, seed=3))
    c = result.costed
    # the decomposition is of the at-mode cost; with skewed ranges the mean is not the mode
    np.testing.assert_allclose(
        c["static"] + c["take_up_effect"] + c["response_effect"], c["at_mode"], rtol=1e-12
    )
    assert (c["central"] - c["at_mode"]).abs().max() > 0
    out = result.to_json()
    assert out["stress_case"] is False
    m = out["measures"][0]
    assert set(m["cost"]) == set(STAT_COLUMNS) and "at_mode" in m


@pytest.mark.parametrize("scenario", STRESS)
def test_a_stress_case_is_a_point(scenario):
    result = run_costing(load_scenario(scenario, draws=200, seed=3))
    c = result.costed
    # the ledger of a stress case is its one draw at the point, held in float64: its sums are
    # the at-mode costing's, up to the order of float64 additions
    np.testing.assert_allclose(c["central"], c["at_mode"], rtol=1e-12)
    out = result.to_json()
    assert out["stress_case"] is True
    for m in out["measures"]:
        assert set(m["cost"]) == {"point"}, m["id"]
        assert m["cost"]["point"] == pytest.approx(m["at_mode"])
    totals = out["totals"]
    assert set(totals["cost"]) == {"point"}
    assert totals["cost"]["point"] == pytest.approx(c[c["fiscal_class"] == "A"]["at_mode"].sum())
    for stats in totals["by_year"].values():
        assert set(stats) == {"point"}
