"""Clause 7 with clause 8, worked by hand for one month and both firm groups.

The rule (costing/hooks.py): for each firm group and month the contributions forgone are the full
counterfactual rate less what the firm pays; clause 8 takes the rate in force, clause 7 the return
to the higher rate. The numbers below are the baseline's central values, written out:

- contribution base 84,500 元/年 x 75 % / 12 = 5,281.25 元/月 a head;
- insured wage bill 2,300,000 x 93 % collected x 5,281.25 = 11,296,593,750 元/月;
- SMEs 65 % of it, 7,342,785,937.5 元/月; large firms 3,953,807,812.5 元/月;
- unemployment insurance: in force 0.7 % employer + 0.3 % worker; the cut 0.5 point of the total
  rate, the employer's part of it 0.7 of the cut, so the counterfactual rates are 1.05 % + 0.45 %;
- work injury: 0.5 % in force after a 35 % cut, so 0.5 / 0.65 % without it (employer only).

May 2020: SMEs are exempt (clause 8, February to June), large firms pay in full (their halving
ended in April), and clause 7's extended cut runs (from May). The shutdown factor is set to 100 %
so that clause 8's window-average base is May's own base.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jnpolicy_analysis.costing import grid
from jnpolicy_analysis.costing.run import prepare
from jnpolicy_analysis.inputs.scenarios import load_scenario

MAY_2020 = grid.month_index(dt.date(2020, 5, 1))
JUNE_2020 = MAY_2020 + 1

BILL = 2_300_000 * 0.93 * (84_500 * 0.75 / 12)
SME, LARGE = BILL * 0.65, BILL * 0.35
UI_EMPLOYER, UI_WORKER, UI_CUT, UI_EMPLOYER_SHARE = 0.007, 0.003, 0.005, 0.7
WI_IN_FORCE, WI_CUT_SHARE = 0.005, 0.35


def _month_by_fund(scenario, measure_id: str, month: int) -> dict[str, float]:
    prep = prepare(scenario)
    for plan, costing in zip(prep.plans, prep.central, strict=True):
        if plan.measure.id == measure_id:
            mult = float(costing.multiplier())
            out: dict[str, float] = {}
            for comp in costing.components:
                out[comp.fund] = (
                    out.get(comp.fund, 0.0) + float(comp.amount) * comp.weights[month] * mult
                )
            return out
    raise KeyError(measure_id)


@pytest.fixture(scope="module")
def central_no_shutdown():
    sc = load_scenario("central")
    a = sc.assumptions["shutdown_base_factor"]
    a = a.model_copy(update={"central": 100.0})
    return dataclasses.replace(sc, assumptions={**sc.assumptions, "shutdown_base_factor": a})


def _forgone(scenario, fund: str, month: int) -> float:
    ids = (
        "sme_social_insurance_exemption",
        "large_firm_social_insurance_halving",
        "unemployment_insurance_rate_cut_extension"
        if fund == "失业保险基金"
        else "work_injury_insurance_rate_cut_extension",
    )
    return sum(_month_by_fund(scenario, m, month).get(fund, 0.0) for m in ids)


def test_wage_bill_by_hand():
    assert BILL == pytest.approx(11_296_593_750.0)
    assert SME == pytest.approx(7_342_785_937.5)


def test_unemployment_insurance_may_2020_full_counterfactual_rate_less_what_is_paid(
    central_no_shutdown,
):
    # SMEs: counterfactual 1.05 % employer + 0.45 % worker; they pay 0 % and 0.3 % -> 1.20 %
    cf_employer = UI_EMPLOYER + UI_CUT * UI_EMPLOYER_SHARE
    cf_worker = UI_WORKER + UI_CUT * (1 - UI_EMPLOYER_SHARE)
    assert cf_employer == pytest.approx(0.0105) and cf_worker == pytest.approx(0.0045)
    sme = SME * ((cf_employer - 0.0) + (cf_worker - UI_WORKER))  # 88,113,431.25 元
    # large firms pay the rates in force in May: the cut alone, 0.5 %
    large = LARGE * ((cf_employer - UI_EMPLOYER) + (cf_worker - UI_WORKER))  # 19,769,039.06 元
    assert sme == pytest.approx(88_113_431.25)
    assert large == pytest.approx(19_769_039.0625)
    got = _forgone(central_no_shutdown, "失业保险基金", MAY_2020)
    assert got == pytest.approx(sme + large, rel=1e-9)
    # clause 8's part is the rate in force on the SMEs; clause 7's the whole cut on everyone
    c8 = _month_by_fund(central_no_shutdown, "sme_social_insurance_exemption", MAY_2020)
    assert c8["失业保险基金"] == pytest.approx(SME * UI_EMPLOYER, rel=1e-9)
    c7 = _month_by_fund(central_no_shutdown, "unemployment_insurance_rate_cut_extension", MAY_2020)
    assert c7["失业保险基金"] == pytest.approx(BILL * UI_CUT, rel=1e-9)


def test_work_injury_may_2020_full_counterfactual_rate_less_what_is_paid(central_no_shutdown):
    cf = WI_IN_FORCE / (1 - WI_CUT_SHARE)  # 0.769 %
    sme = SME * (cf - 0.0)  # exempt: pays nothing
    large = LARGE * (cf - WI_IN_FORCE)  # pays the rate in force
    got = _forgone(central_no_shutdown, "工伤保险基金", MAY_2020)
    assert got == pytest.approx(sme + large, rel=1e-9)


def test_halved_large_firm_june_2020_under_the_december_variant():
    """exemption_to_december keeps large firms halved to June: they pay half the rate in force,
    so 1.05 % - 0.35 % = 0.70 % of the employer's counterfactual is forgone, plus the workers'
    0.15 %, on their base (the shutdown factor does not touch June: set to 100 % as above)."""
    sc = load_scenario("exemption_to_december")
    a = sc.assumptions["shutdown_base_factor"].model_copy(update={"central": 100.0})
    sc = dataclasses.replace(sc, assumptions={**sc.assumptions, "shutdown_base_factor": a})
    cf_employer = UI_EMPLOYER + UI_CUT * UI_EMPLOYER_SHARE
    paid_employer = UI_EMPLOYER * 0.5
    large = LARGE * ((cf_employer - paid_employer) + UI_CUT * (1 - UI_EMPLOYER_SHARE))
    sme = SME * (cf_employer + UI_CUT * (1 - UI_EMPLOYER_SHARE))
    got = _forgone(sc, "失业保险基金", JUNE_2020)
    assert got == pytest.approx(sme + large, rel=1e-9)
