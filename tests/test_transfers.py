"""Missing and misfiled instruments: the public-sector share of the medical-insurance rate cut is
an internal transfer that nets out for general government; clause 7's state-capital transfer is
a provision not costed, with its reason. Expected values worked out by hand."""

from __future__ import annotations

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario


@pytest.fixture(scope="module")
def low_json():
    return run_costing(load_scenario("low", draws=50)).to_json()


def test_public_share_of_the_medical_cut_by_hand(low_json):
    """At the 'low' point the scheme's wage bill is 1.00 times the enterprises' (the ratio's low
    value): public employers are none of it, and nothing nets out."""
    m = next(x for x in low_json["measures"] if x["id"] == "medical_insurance_rate_cut")
    t = m["internal_transfer"]
    assert t["public_share"] == pytest.approx(0.0)
    assert t["amount"]["point"] == pytest.approx(0.0, abs=1e-6)


def test_central_public_share_and_net_cost(capsys):
    out = run_costing(load_scenario("central", draws=400)).to_json()
    m = next(x for x in out["measures"] if x["id"] == "medical_insurance_rate_cut")
    t = m["internal_transfer"]
    # ratio 115 %: public employers pay 0.15 / 1.15 of the scheme's contributions
    assert t["public_share"] == pytest.approx(0.15 / 1.15)
    assert t["offset_budget"] == "一般公共预算"
    assert t["amount"]["p5"] <= t["amount"]["central"] <= t["amount"]["p95"]
    assert 0 < t["amount"]["central"] < m["cost"]["central"]
    tot = out["totals"]
    # the only internal transfer today is this one
    assert tot["internal_transfers"]["central"] == pytest.approx(t["amount"]["central"], rel=1e-6)
    net = tot["cost"]["central"] - tot["internal_transfers"]["central"]
    assert tot["cost_net_of_internal_transfers"]["central"] == pytest.approx(net, rel=1e-5)


def test_state_capital_transfer_is_a_provision_not_costed_with_its_reason(catalog):
    doc = catalog.documents["济政发〔2020〕1号"]
    p = next(p for p in doc.not_costed if p.id == "state_capital_to_pension_fund")
    assert p.clause == "7"
    assert "国有资本经营预算" in p.reason and "nets out" in p.reason
    words = "有序划转国有股权承接主体持有的国有资本收益，专项用于弥补企业职工基本养老保险基金缺口"
    assert words in p.reason


def test_bad_internal_transfer_is_refused(data_copy, capsys):
    path = data_copy / "policies" / "ji_zheng_fa_2020_1.yaml"
    text = path.read_text(encoding="utf-8")
    old = "public_wage_ratio: medical_to_enterprise_insured_ratio"
    assert old in text
    path.write_text(text.replace(old, "public_wage_ratio: medical_to_enterprise_insurd_ratio"))
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        "financing.internal_transfer.public_wage_ratio: unknown assumption "
        "'medical_to_enterprise_insurd_ratio' (did you mean 'medical_to_enterprise_insured_ratio'?)"
    ) in err
