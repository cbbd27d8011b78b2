"""Accounts a finance bureau signs: the class-A budget x level matrix, the city's own budgets apart
from the funds it pools, the districts' share, class C at face value beside the expected loss and
class D inside the perimeter.

Hand-worked values (data/baseline):

- the start-up loan guarantee's face value is the extra guaranteed volume a year (3亿元, the mode of
  startup_loan_additional_volume) times the window from 2020-03-02 to December 2022 in years:
  (30/31 + 33) months / 12 = 2.8306 years, so 849,193,548 元;
- the districts' share of 就业补助资金 is drawn from employment_fund_district_share, triangular
  0 / 10 / 25 %, whose mean is 35/3 = 11.67 %.
"""

from __future__ import annotations

import numpy as np
import pytest

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.costing.financing import account_rows
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.inputs.schemas.policy import LEVELS

DRAWS, SEED = 400, 5


@pytest.fixture(scope="module")
def central():
    return run_costing(load_scenario("central", draws=DRAWS, seed=SEED))


def _series(result):
    names, w = account_rows(result)
    draws = result.ledger.series_whole(w).astype(np.float64)
    return {n: draws[i] for i, n in enumerate(names)}


def test_budget_by_level_adds_up_to_class_a_in_every_draw(central):
    s = _series(central)
    classes, inside, _ = central.class_rows()
    class_a = central.ledger.series_whole(inside[classes.index("A")][None, :])[0]
    matrix = sum(v for k, v in s.items() if k[0] == "budget_level")
    np.testing.assert_allclose(matrix, class_a, rtol=1e-5)
    levels = sum(v for k, v in s.items() if k[0] == "level")
    budgets = sum(v for k, v in s.items() if k[0] == "budget")
    np.testing.assert_allclose(levels, class_a, rtol=1e-5)
    np.testing.assert_allclose(budgets, class_a, rtol=1e-5)
    # each budget's row and each level's column, draw by draw
    for key, v in s.items():
        if key[0] == "budget":
            row = sum(s[("budget_level", key[1], lv)] for lv in LEVELS)
            np.testing.assert_allclose(row, v, rtol=1e-5, atol=1.0)
    # the city's own budgets and the funds it pools make the municipal level in every draw
    np.testing.assert_allclose(
        s[("city_own_budgets",)] + s[("city_pooled_funds",)],
        s[("level", "municipal")],
        rtol=1e-5,
    )


def test_the_city_general_budget_is_shown_apart_from_pooled_funds(central):
    t = central.financing["totals"]
    city = t["city_budget"]
    m = t["by_budget_and_level"]
    assert city["general_public_budget"]["central"] == pytest.approx(
        m["一般公共预算"]["municipal"]["central"]
    )
    assert city["pooled_funds"]["central"] == pytest.approx(
        m["社会保险基金预算"]["municipal"]["central"]
    )
    # the pooled funds dwarf the city's own general budget
    assert city["pooled_funds"]["central"] > 5 * city["general_public_budget"]["central"]


def test_the_districts_bear_a_drawn_share_of_the_employment_fund(central):
    fin = central.financing["measures"]["job_placement_subsidy"]
    assert fin["government_shares"]["district"] == pytest.approx(35 / 300, abs=0.01)
    assert central.financing["totals"]["by_government_level"]["district"]["central"] > 0
    assert fin["government_shares_declared"]["district"] == {
        "assumption": "employment_fund_district_share"
    }


def test_class_c_face_value_and_class_d_inside_the_perimeter(central):
    t = central.totals()
    face = t["class_c"]["face_value"]
    assert face["measures"] == ["startup_guaranteed_loan"]
    assert face["at_mode"] == pytest.approx(3e8 * (33 + 30 / 31) / 12)
    assert t["class_c"]["expected_loss"] == t["by_fiscal_class"]["C"]
    costed = central.costed
    assert t["by_fiscal_class"]["D"]["central"] == pytest.approx(
        costed.loc["disability_levy_deferral", "central"]
    )
    assert t["class_d"]["outside_perimeter"]["central"] == pytest.approx(
        costed.loc["housing_fund_relief", "central"]
    )
    for key in ("cost", "by_fiscal_class", "class_c.face_value", "class_d.outside_perimeter"):
        assert key in t["what_it_counts"]


def test_cost_table_shows_the_matrix(capsys):
    from jnpolicy_analysis.cli import main

    capsys.readouterr()
    assert main(["cost", "--draws", "50", "--seed", "1"]) == 0
    text = capsys.readouterr().out
    assert "Class A by budget and level of government (万元, central values)" in text
    assert "class C: face value of the guarantees (at mode)" in text
    assert "of which the city's 一般公共预算" in text
