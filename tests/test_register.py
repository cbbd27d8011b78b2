"""The register of higher-level policy (data/register) drives the measures' counterfactual
statuses, month by month.

Hand-worked values:

- job_retention_refund tops up the national 50 % (国发〔2018〕39号) with 60 % and 70 % tiers. At the
  low stress case (key-project firms 2 %, energy-intensive 1 % of premiums) the refund is
  0.97 x 50 % + 0.02 x 60 % + 0.01 x 70 % = 50.4 % of premiums, of which 0.02 x 10 + 0.01 x 20
  = 0.4 points are above 50 %: 0.4 / 50.4 of the cost is Jinan's top-up.
- enterprise_cloud_fund is Jinan's own programme: all of it, 2000万元 x 3 years x the budget
  execution rate (95 % at the mode), is discretionary: 57,000,000 元 at the mode.
- clause 18 is overtaken from 2020-04-15 by 财金〔2020〕21号: its payments from that day on (16 of
  April's 30 days, then every month) are overtaken, those before are implementation.
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import grid, run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.inputs.schemas.policy import STATUSES

DRAWS, SEED = 300, 7


@pytest.fixture(scope="module")
def central():
    return run_costing(load_scenario("central", draws=DRAWS, seed=SEED))


@pytest.fixture(scope="module")
def low():
    return run_costing(load_scenario("low", draws=DRAWS, seed=SEED))


def _fin(result, mid):
    return result.financing["measures"][mid]


def test_a_top_up_costs_only_the_part_above_the_higher_level_standard(low):
    cost = low.costed.loc["job_retention_refund", "central"]
    disc = _fin(low, "job_retention_refund")["discretionary_cost"]["central"]
    assert disc == pytest.approx(cost * 0.004 / 0.504, rel=1e-9)
    cf = _fin(low, "job_retention_refund")["counterfactual"]
    assert cf["status"] == "local_top_up"
    assert cf["phases"][0]["document"]["number"] == "国发〔2018〕39号"


def test_jinans_own_programme_is_discretionary(low, central):
    # low: execution 80 %: 2000万 x 3 x 0.8 = 48,000,000 元, all of it discretionary
    assert _fin(low, "enterprise_cloud_fund")["discretionary_cost"]["central"] == pytest.approx(
        48_000_000
    )
    assert central.costed.loc["enterprise_cloud_fund", "at_mode"] == pytest.approx(57_000_000)
    fin = _fin(central, "enterprise_cloud_fund")
    assert fin["discretionary_cost"]["central"] == pytest.approx(
        central.costed.loc["enterprise_cloud_fund", "central"], rel=1e-6
    )
    assert fin["discretionary_cost"]["central"] > 0
    # the internship rise is all above the standing standard
    intern = _fin(central, "graduate_internship_subsidy")
    assert intern["counterfactual"]["status"] == "local_top_up"
    assert intern["discretionary_cost"]["central"] == pytest.approx(
        central.costed.loc["graduate_internship_subsidy", "central"], rel=1e-6
    )


def test_clause_18_is_overtaken_from_2020_04_15_month_by_month(central):
    L = central.ledger
    j = list(central.costed.index).index("startup_loan_interest_subsidy")
    mine = L.attribute("measure") == j
    status = L.attribute("status")
    before = mine & (status == STATUSES.index("implementation"))
    after = mine & (status == STATUSES.index("overtaken"))
    assert before.any() and after.any() and not (mine & ~before & ~after).any()
    months = L.month_shares()
    means = L.cell_means()
    # month by month, the overtaken part is the measure's payments from 2020-04-15 on
    paid = (months[mine] * means[mine][:, None]).sum(axis=0)
    overtaken = (months[after] * means[after][:, None]).sum(axis=0)
    share_after = grid.coverage(dt.date(2020, 4, 15), None)
    np.testing.assert_allclose(overtaken, paid * share_after, rtol=1e-6, atol=1e-3)
    assert share_after[3] == pytest.approx(16 / 30)
    # the split changes nothing of the measure's cost, in every draw
    w = np.stack([mine, before | after]).astype(float)
    a, b = L.series_whole(w)
    np.testing.assert_allclose(a, b, rtol=1e-6)
    t = central.financing["totals"]
    fin = _fin(central, "startup_loan_interest_subsidy")
    assert fin["discretionary_cost"]["central"] == 0
    assert [p["status"] for p in fin["counterfactual"]["phases"]] == [
        "implementation",
        "overtaken",
    ]
    assert fin["counterfactual"]["phases"][1]["from"] == "2020-04-15"
    assert t["overtaken_by_higher_level"]["central"] == pytest.approx(
        float(overtaken.sum()), rel=1e-6
    )


def test_the_register_moves_no_gross_cost(data_copy, central):
    shutil.rmtree(data_copy / "register")
    bare = run_costing(load_scenario("central", data_copy, draws=DRAWS, seed=SEED))
    a = central.totals()["cost"]["central"]
    assert bare.totals()["cost"]["central"] == pytest.approx(a, rel=1e-9)
    # without the register the cloud fund is a continuation: nothing discretionary
    assert _fin(bare, "enterprise_cloud_fund")["discretionary_cost"]["central"] == 0
    gain = (
        central.financing["totals"]["discretionary"]["central"]
        - bare.financing["totals"]["discretionary"]["central"]
    )
    parts = sum(
        _fin(central, m)["discretionary_cost"]["central"]
        - _fin(bare, m)["discretionary_cost"]["central"]
        for m in ("enterprise_cloud_fund", "graduate_internship_subsidy", "job_retention_refund")
    )
    assert gain == pytest.approx(parts, rel=1e-6)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("enterprise_cloud_fund:", "enterprise_cloud_fnd:"), "no such measure"),
        (("document: caijin_2020_21", "document: caijin_2020_2"), "no document 'caijin_2020_2'"),
        (("retention_key_project_share *", "retention_key_project_shar *"), "unknown assumption"),
    ],
)
def test_a_bad_register_is_one_error_line(data_copy, capsys, edit, message):
    path = data_copy / "register" / "higher_level_policy.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["cost", "--data", str(data_copy), "--draws", "10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and message in err and "Traceback" not in err


def test_the_cost_sums_by_status(central):
    frame = central.by("status")
    t = central.financing["totals"]
    assert frame.loc["restated", "central"] == pytest.approx(
        t["restated_national_policy"]["central"], rel=1e-6
    )
    assert frame.loc["overtaken", "central"] == pytest.approx(
        t["overtaken_by_higher_level"]["central"], rel=1e-6
    )
    assert frame["central"].sum() == pytest.approx(central.totals()["cost"]["central"], rel=1e-6)
