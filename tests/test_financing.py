"""Who pays: budgets, shares by level of government and the counterfactual (``financing:`` blocks).

The expected values are worked out by hand from the printed numbers and the assumptions' central
values, never read back from the code."""

from __future__ import annotations

import json

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario

DRAWS = 400

DOC = """\
doc: 测政发〔2021〕9号
title_zh: 测试市支持企业稳岗扩岗的若干措施
title_en: Test city measures to help firms keep and add jobs
issuer: 测试市人民政府
issued: 2021-01-01

measures:
  - id: test_hiring_grant
    clause: "1"
    title_zh: 一次性扩岗补助
    title_en: One-off grant per worker hired in spring 2021
    instrument: per_head_grant
    fiscal_class: A
    funding_source: 就业补助资金
    government_level: mixed
    financing:
      budget: 一般公共预算
      government_shares:
        central: 0.25
        provincial: {assumption: test_provincial_share}
        municipal: rest
        district: 0
        source: "public: a test notice: central transfers pay a quarter"
      counterfactual:
        status: local_top_up
        reference: "a test provincial notice printing 1,500 元/人"
        discretionary_share: {value: 0.25}
    period:
      start: 2021-03-01
      end: 2021-05-31
      quote: 2021 年 3 月 1 日至 5 月 31 日
    parameters:
      grant:
        value: 2000
        unit: 元/人
        quote: 按每人 2000 元给予一次性扩岗补助
    costing:
      instrument: per_head_grant
      inputs:
        grant: {parameter: grant}
        heads: {value: 1500, unit: 人}
      timing: {follows: end, spread: 2}
"""

BASELINE = """\
description: Assumptions of the test document.
assumptions:
  test_provincial_share:
    low: 10
    central: 20
    high: 30
    unit: "%"
    source: "assumption: a test provincial share"
    data_quality: low
"""


def _with_doc(data_copy, doc: str = DOC, baseline: str = BASELINE):
    (data_copy / "policies" / "ce_zheng_fa_2021_9.yaml").write_text(doc, encoding="utf-8")
    (data_copy / "baseline" / "test_financing.yaml").write_text(baseline, encoding="utf-8")
    return data_copy


def _cost_json(data_dir, capsys) -> dict:
    capsys.readouterr()
    assert main(["cost", "--data", str(data_dir), "--json", "--draws", str(DRAWS)]) == 0
    return json.loads(capsys.readouterr().out)


def _measure(out: dict, mid: str) -> dict:
    return next(m for m in out["measures"] if m["id"] == mid)


def test_split_by_level_by_hand(data_copy, capsys):
    out = _cost_json(_with_doc(data_copy), capsys)
    m = _measure(out, "test_hiring_grant")
    # 2,000 元 x 1,500 hires = 3,000,000 元; central 25 %, provincial drawn from 10-20-30 %
    # (triangular, mean 20 %), municipal the rest (mean 55 %), district 0. The shares given are
    # the means of the draws: 400 draws put the provincial mean within about 0.2 points of 20 %
    # (its standard deviation is 4.1 points).
    assert m["cost"]["central"] == pytest.approx(3_000_000)
    shares = m["government_shares"]
    assert shares["central"] == pytest.approx(0.25) and shares["district"] == 0.0
    assert shares["provincial"] == pytest.approx(0.20, abs=0.01)
    assert shares["municipal"] == pytest.approx(0.55, abs=0.01)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert m["municipal_cost"] == pytest.approx(3_000_000 * shares["municipal"])
    assert m["budget"] == "一般公共预算"
    assert m["counterfactual"]["status"] == "local_top_up"
    # the top-up is a quarter: 750,000 元 discretionary, in every draw (a fixed share of a fixed cost)
    d = m["discretionary_cost"]
    assert d["central"] == pytest.approx(750_000)
    assert d["p5"] == pytest.approx(750_000, rel=1e-6)
    assert d["p95"] == pytest.approx(750_000, rel=1e-6)


def test_levels_and_budgets_add_up_to_the_cost(data_copy, capsys):
    out = _cost_json(_with_doc(data_copy), capsys)
    t = out["totals"]
    cost = t["cost"]["central"]
    assert sum(s["central"] for s in t["by_government_level"].values()) == pytest.approx(cost)
    assert sum(s["central"] for s in t["by_budget"].values()) == pytest.approx(cost)
    assert set(t["by_budget"]) <= {
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
        "社会保险基金预算",
    }
    # the drawn provincial share of the test measure stays within 10-30 % of 3,000,000 元, so the
    # provincial total moves with it: its P5-P95 is not a single point
    p = t["by_government_level"]["provincial"]
    assert p["p5"] < p["p95"]


def test_pension_part_of_clause_8_falls_on_the_provincial_pool(capsys):
    """The pension component of the SME exemption is borne by the provincial pool: its share is
    drawn from 70-100-100 % (triangular, mean 90 %); the UI part's provincial share from 0-30-100 %
    (mean 43.3 %, so 56.7 % municipal), the work-injury part's from 0-10-50 % (mean 20 %, so 80 %
    municipal). The shares shown are the means of the draws (within 3 points at 400 draws), and
    the municipal cost is the components' costs times them: the same draws."""
    capsys.readouterr()
    assert main(["cost", "--json", "--draws", str(DRAWS)]) == 0
    m = _measure(json.loads(capsys.readouterr().out), "sme_social_insurance_exemption")
    by_fund = {c["fund"]: c for c in m["components"]}
    pension = by_fund["企业职工基本养老保险基金"]
    ui = by_fund["失业保险基金"]
    wi = by_fund["工伤保险基金"]
    assert pension["government_shares"]["provincial"] == pytest.approx(0.9, abs=0.03)
    assert pension["government_shares"]["municipal"] == pytest.approx(0.1, abs=0.03)
    assert ui["government_shares"]["municipal"] == pytest.approx(1 - 1.3 / 3, abs=0.03)
    assert wi["government_shares"]["municipal"] == pytest.approx(0.8, abs=0.03)
    expected = sum(c["cost"] * c["government_shares"]["municipal"] for c in (pension, ui, wi))
    assert m["municipal_cost"] == pytest.approx(expected)
    assert m["cost"]["central"] == pytest.approx(pension["cost"] + ui["cost"] + wi["cost"])


@pytest.mark.parametrize(
    "shares, message",
    [
        (
            "{central: 0.5, provincial: 0.2, municipal: 0.2, district: 0, source: a sourced test}",
            "shares sum to 0.9, not 1",
        ),
        (
            "{central: 0.5, provincial: 0.6, municipal: rest, district: 0, source: a sourced test}",
            "more than 1",
        ),
        (
            "{central: 0, provincial: {assumption: test_provincial_share}, municipal: 0.8, "
            "district: 0}",
            "need one level given as 'rest'",
        ),
        ("{central: rest, provincial: rest, municipal: 0, district: 0}", "only one level"),
        ("{central: 0, provincial: 0, municipal: 1}", "district"),
    ],
)
def test_shares_not_summing_to_one_are_refused(data_copy, capsys, shares, message):
    doc = DOC.replace(
        DOC[DOC.index("      government_shares:") : DOC.index("      counterfactual:")],
        f"      government_shares: {shares}\n",
    )
    _with_doc(data_copy, doc)
    capsys.readouterr()
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if "government_shares" in ln)
    assert line.startswith("error: ")
    assert "ce_zheng_fa_2021_9.yaml" in line
    assert message in line
    assert "Traceback" not in err


def test_assumption_shares_that_can_exceed_one_are_refused(data_copy, capsys):
    baseline = BASELINE.replace("high: 30", "high: 80")  # 0.25 + 0.80 > 1
    _with_doc(data_copy, baseline=baseline)
    capsys.readouterr()
    assert main(["cost", "--data", str(data_copy), "--draws", "10"]) == 2
    err = capsys.readouterr().err
    assert "measures.test_hiring_grant.financing.government_shares" in err
    assert "can sum to 1.05" in err


def test_unknown_share_assumption_names_the_nearest(data_copy, capsys):
    _with_doc(
        data_copy,
        DOC.replace("{assumption: test_provincial_share}", "{assumption: test_provincal_share}"),
    )
    capsys.readouterr()
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "government_shares.provincial: unknown assumption 'test_provincal_share'" in err
    assert "test_provincial_share" in err.split("unknown assumption")[1]


def test_missing_financing_is_refused(data_copy, capsys):
    doc = DOC[: DOC.index("    financing:")] + DOC[DOC.index("    period:") :]
    _with_doc(data_copy, doc)
    capsys.readouterr()
    assert main(["validate", str(data_copy)]) == 2
    assert "measures.test_hiring_grant.financing: missing" in capsys.readouterr().err


def test_outside_measure_never_reaches_a_fiscal_total(data_copy, capsys):
    """The housing-fund relief (住房公积金, outside general government) is shown apart. Making it
    ten times larger moves outside_perimeter with it and no fiscal total at all."""
    base = _cost_json(data_copy, capsys)
    hf = _measure(base, "housing_fund_relief")
    assert hf["budget"] == "outside"
    assert hf["government_shares"] is None
    (data_copy / "scenarios" / "housing_x10.yaml").write_text(
        "name: housing_x10\ntitle_zh: 测试\ntitle_en: test\nextends: central\n"
        # 800,000 deferring employees at every point, against a central 80,000 in the baseline
        "assumptions:\n  housing_fund_deferring_employees: 800000\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    args = ["cost", "--data", str(data_copy), "--json", "--draws", str(DRAWS)]
    assert main([*args, "--scenario", "housing_x10"]) == 0, capsys.readouterr().err
    varied = json.loads(capsys.readouterr().out)
    # at the mode the relief is linear in the deferring employees (the central, a mean of the
    # draws, is not: fixing the assumption removes its spread)
    before = hf["at_mode"]
    after = _measure(varied, "housing_fund_relief")["at_mode"]
    assert after == pytest.approx(10 * before)
    for out in (base, varied):
        hf_cost = _measure(out, "housing_fund_relief")["cost"]["central"]
        assert out["totals"]["outside_perimeter"]["central"] == pytest.approx(hf_cost)
    bt, vt = base["totals"], varied["totals"]
    for key in ("cost", "discretionary"):
        assert vt[key]["central"] == pytest.approx(bt[key]["central"])
    for group in ("by_budget", "by_government_level"):
        assert "outside" not in vt[group]
        for k, stats in vt[group].items():
            assert stats["central"] == pytest.approx(bt[group][k]["central"])


def test_outside_measure_of_class_a_is_refused(data_copy, capsys):
    _with_doc(data_copy, DOC.replace("budget: 一般公共预算", "budget: outside"))
    capsys.readouterr()
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "measures.test_hiring_grant.financing.budget: an outside flow" in err


def test_restated_measure_has_no_discretionary_cost(capsys):
    """Clause 9's disability-levy relief restates 财政部公告2019年第98号 (data/register): restated
    national policy, so nothing of it is Jinan's own decision, though its gross cost is positive;
    it is the whole of the restated-national-policy line, shown beside the discretionary total."""
    capsys.readouterr()
    assert main(["cost", "--json", "--draws", str(DRAWS)]) == 0
    out = json.loads(capsys.readouterr().out)
    m = _measure(out, "disability_levy_relief")
    assert m["counterfactual"]["status"] == "restated"
    assert "2019年第98号" in m["counterfactual"]["reference"]
    assert m["cost"]["central"] > 0
    assert m["discretionary_cost"] == {"central": 0.0, "p5": 0.0, "p50": 0.0, "p95": 0.0}
    restated = out["totals"]["restated_national_policy"]
    assert restated["central"] == pytest.approx(m["cost"]["central"], rel=1e-6)


def test_new_measure_is_wholly_discretionary():
    result = run_costing(load_scenario("central", draws=DRAWS))
    fin = result.financing
    assert fin is not None
    row = result.costed.loc["municipal_incubator_rent_relief_subsidy"]
    m = fin["measures"]["municipal_incubator_rent_relief_subsidy"]
    assert m["counterfactual"]["status"] == "new"
    assert m["discretionary_cost"]["central"] == pytest.approx(row["central"], rel=1e-5)
    assert m["discretionary_cost"]["p50"] == pytest.approx(row["p50"], rel=1e-5)


def test_every_costed_measure_cites_a_reference_unless_new(catalog):
    for _doc, m in catalog.measures:
        if m.fiscal_class is None:
            continue
        assert m.financing is not None, m.id
        cf = m.financing.counterfactual
        if cf.status != "new":
            assert len(cf.reference) >= 8, m.id


def test_cost_table_shows_gross_discretionary_and_municipal_share(capsys):
    capsys.readouterr()
    assert main(["cost", "--draws", "50"]) == 0
    out = capsys.readouterr().out
    assert "Who pays" in out
    header = next(ln for ln in out.splitlines() if ln.startswith("measure ") and "gross" in ln)
    for col in ("budget", "counterfactual", "gross 万元", "discretionary 万元", "municipal share"):
        assert col in header
    assert "outside the fiscal perimeter" in out
