"""Clause 9's deferral of the disability-employment levy (缓缴残保金) after heavy epidemic losses: a
class-D measure (the amount deferred), shown apart from the class-A cost.

Every expected value is worked out by hand from the central values of the assumptions in
data/baseline/employment_measures.yaml, never read back from the code:

    levy_liable_large_firms  6,000 家      firms of more than 30 staff that pay the levy
    levy_heavy_loss_share    5 %           of them with heavy direct losses from the epidemic
    levy_per_large_firm      80,000 元/年  a year's levy per such firm, after the 2020 tiers
    levy_deferral_take_up    30 %          of those that apply and are granted a deferral

For the 2020 levy year (one year's levy, the levy being paid once a year):
static 6,000 x 5 % x 80,000 x 1 year = 24,000,000 元; at the mode x 30 % = 7,200,000 元.
"""

from __future__ import annotations

import json

import pytest
import yaml

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.costing.rating import LEVELS
from jnpolicy_analysis.inputs.scenarios import load_scenario

DRAWS, SEED = 300, 11
MID = "disability_levy_deferral"
STATIC = 6_000 * 0.05 * 80_000 * 1.0  # firms x heavy-loss share x levy a year x one levy year
AT_MODE = STATIC * 0.30  # x the share that applies and is granted a deferral


@pytest.fixture(scope="module")
def central():
    return run_costing(load_scenario("central", draws=DRAWS, seed=SEED))


def test_deferral_at_the_mode_by_hand(central):
    row = central.measures.loc[MID]
    assert row["fiscal_class"] == "D"
    assert row["funding_source"] == "残疾人就业保障金"
    assert row["static"] == pytest.approx(24_000_000, rel=1e-9)
    assert row["at_mode"] == pytest.approx(7_200_000, rel=1e-9)
    assert row["at_mode"] == pytest.approx(AT_MODE, rel=1e-9)
    assert row["take_up_effect"] == pytest.approx(-0.7 * STATIC, rel=1e-9)
    # the 2020 levy year: everything deferred falls in 2020
    monthly = central.monthly[central.monthly["measure_id"] == MID]
    assert monthly.groupby("year")["at_mode"].sum().to_dict() == pytest.approx(
        {2020: AT_MODE, 2021: 0.0, 2022: 0.0}
    )
    assert (monthly[monthly["year"] == 2020]["at_mode"] > 0).sum() == 12  # spread over the year


def test_class_d_is_shown_apart_from_the_class_a_cost(central):
    totals = central.totals()
    costed = central.costed
    spending = costed[costed["fiscal_class"] == "A"]["central"].sum()
    deferred = costed[costed["fiscal_class"] == "D"]["central"].sum()
    assert totals["cost"]["central"] == pytest.approx(spending)
    assert set(costed[costed["fiscal_class"] == "D"].index) == {"housing_fund_relief", MID}
    # the class-D total is inside the perimeter: the levy deferral; the housing fund's (住房公积金,
    # outside general government) is shown apart, and the two make every class-D measure
    assert totals["by_fiscal_class"]["D"]["central"] == pytest.approx(costed.loc[MID, "central"])
    outside = totals["class_d"]["outside_perimeter"]["central"]
    assert outside == pytest.approx(costed.loc["housing_fund_relief", "central"])
    assert totals["by_fiscal_class"]["D"]["central"] + outside == pytest.approx(deferred)
    # the class-A fund total of 残疾人就业保障金 is the small-firm exemption alone
    fund = totals["by_funding_source"]["残疾人就业保障金"]["central"]
    assert fund == pytest.approx(costed.loc["disability_levy_relief", "central"], rel=1e-6)


def test_the_measure_is_rated_with_its_risks(central):
    """By the rule of costing/rating.py: the three data assumptions are very low quality (3,
    Medium-High); the take-up is very low quality and swings the cost by (60 % - 10 %) / 30 % =
    167 % of it (3, +1: High); the modelling part is the worst open risk (medium, 2) +1 for three
    medium ones (3), the high reading risk being drawn (levy_heavy_loss_share). Three parts at
    Medium-High or above compound: High + 2 = Very high."""
    row = central.costed.loc[MID]
    assert row["rating_final"] in LEVELS
    assert row["rating_data"] == "Medium-High"
    assert row["rating_behaviour"] == "High"
    assert row["rating_modelling"] == "Medium-High"
    assert row["rating_final"] == "Very high"


def test_json_carries_budget_shares_and_counterfactual(capsys):
    capsys.readouterr()
    assert main(["cost", "--json", "--draws", str(DRAWS), "--seed", str(SEED)]) == 0
    out = json.loads(capsys.readouterr().out)
    m = next(x for x in out["measures"] if x["id"] == MID)
    assert m["fiscal_class"] == "D"
    assert m["at_mode"] == pytest.approx(AT_MODE, rel=1e-9)
    assert m["budget"] == "政府性基金预算"
    # central 0, provincial drawn from disability_levy_provincial_share (0-10-30 %, triangular,
    # mean 13.3 %: the shares shown are the means of the draws, within 2 points here), the rest
    # municipal, district 0
    shares = m["government_shares"]
    assert shares["central"] == 0.0 and shares["district"] == 0.0
    assert shares["provincial"] == pytest.approx(40 / 300, abs=0.02)
    assert shares["municipal"] == pytest.approx(1 - 40 / 300, abs=0.02)
    assert m["counterfactual"]["status"] == "continuation"
    assert "财税〔2015〕72号" in m["counterfactual"]["reference"]
    assert m["discretionary_cost"] == {"central": 0.0, "p5": 0.0, "p50": 0.0, "p95": 0.0}
    # fiscal totals are class A: the deferral reaches none of them
    levy_relief = next(x for x in out["measures"] if x["id"] == "disability_levy_relief")
    by_budget = out["totals"]["by_budget"]["政府性基金预算"]["central"]
    assert by_budget == pytest.approx(levy_relief["cost"]["central"], rel=1e-6)
    housing = next(x for x in out["measures"] if x["id"] == "housing_fund_relief")
    assert out["totals"]["outside_perimeter"]["central"] == pytest.approx(
        housing["cost"]["central"]
    )
    d = out["totals"]["by_fiscal_class"]["D"]["central"]
    assert d == pytest.approx(m["cost"]["central"])
    d_out = out["totals"]["outside_perimeter_by_fiscal_class"]["D"]["central"]
    assert d_out == pytest.approx(housing["cost"]["central"])


def test_cli_table_lists_the_deferral_as_class_d(capsys):
    capsys.readouterr()
    assert main(["cost", "--draws", str(DRAWS), "--seed", str(SEED)]) == 0
    text = capsys.readouterr().out
    cells = next(s for s in text.splitlines() if MID in s).split()
    assert "D" in cells and "残疾人就业保障金" in cells
    # static 24,000,000 元 = 2,400 万元; at the mode 7,200,000 元 = 720 万元
    assert cells[cells.index("残疾人就业保障金") + 1 : cells.index("残疾人就业保障金") + 3] == [
        "2,400",
        "720",
    ]
    assert "class D: amounts deferred inside the perimeter (shown apart)" in text


@pytest.mark.parametrize("zero", ["levy_deferral_take_up", "levy_heavy_loss_share"])
def test_nobody_deferring_costs_nothing_and_leaves_class_a_alone(data_copy, zero):
    """With no firm applying (or none qualifying) at every point nothing is deferred, in every
    draw; the class-A cost is the central scenario's to the last yuan (the other assumptions keep
    their draws: each has its own stream)."""
    scenario = {
        "name": "nobody_defers",
        "title_zh": "无人缓缴",
        "title_en": "Nobody defers",
        "extends": "central",
        "assumptions": {zero: 0},
    }
    (data_copy / "scenarios" / "nobody_defers.yaml").write_text(
        yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8"
    )
    result = run_costing(load_scenario("nobody_defers", data_copy, draws=DRAWS, seed=SEED))
    row = result.measures.loc[MID]
    assert row["at_mode"] == 0 and row["central"] == 0 and row["p95"] == 0
    base = run_costing(load_scenario("central", data_copy, draws=DRAWS, seed=SEED))
    assert result.totals()["cost"]["central"] == pytest.approx(
        base.totals()["cost"]["central"], rel=1e-12
    )
    housing = result.measures.loc["housing_fund_relief", "central"]
    assert result.totals()["by_fiscal_class"]["D"]["central"] == 0
    assert result.totals()["class_d"]["outside_perimeter"]["central"] == pytest.approx(housing)
