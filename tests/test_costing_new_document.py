"""A new gazette document costed from YAML alone: a copy of data/ gains a small document of three
measures on standard instruments (a per-head grant, a capped share grant through a firm-size
distribution, a premium refund) with its own assumptions, and `jnpolicy cost --data` costs it.
The expected values are worked out by hand below; no Python is added to the package."""

from __future__ import annotations

import json
import math

import pytest

from jnpolicy_analysis.cli import main

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
    government_level: municipal
    financing:
      budget: 一般公共预算
      government_shares: {central: 0, provincial: 0, municipal: 1, district: 0, source: "as printed: the city's budget"}
      counterfactual: {status: new}
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
        heads: {assumption: test_hires}
      timing: {follows: end, spread: 2}
      take_up: {assumption: test_hiring_take_up}

  - id: test_rd_grant
    clause: "2"
    title_zh: 研发投入补助
    title_en: Grant of a share of each firm's R&D spending, capped per firm
    instrument: capped_share_grant
    fiscal_class: A
    funding_source: 市级财政预算
    government_level: municipal
    financing:
      budget: 一般公共预算
      government_shares: {central: 0, provincial: 0, municipal: 1, district: 0, source: "as printed: the city's budget"}
      counterfactual: {status: new}
    period:
      start: 2021-01-01
      end: 2021-12-31
      quote: 2021 年度
    parameters:
      share:
        value: 20
        unit: "%"
        quote: 按研发投入的 20% 给予补助
      cap:
        value: 30
        unit: 万元/企业
        quote: 每家企业最高 30 万元
    costing:
      instrument: capped_share_grant
      inputs:
        share: {parameter: share}
        recipients: {derived: test_rd_firms}
        median_base: {assumption: test_rd_spend_median}
        sigma: {assumption: test_rd_spend_sigma}
        cap: {parameter: cap}
      derived:
        test_rd_firms:
          expr: test_rd_firms_per_year * window.years
          unit: count

  - id: test_ui_refund
    clause: "3"
    title_zh: 失业保险稳岗返还
    title_en: Refund of last year's unemployment-insurance premiums
    instrument: premium_refund
    fiscal_class: A
    funding_source: 失业保险基金
    government_level: social_insurance_fund
    financing:
      budget: 社会保险基金预算
      government_shares: {central: 0, provincial: 0, municipal: 1, district: 0, source: "the test city pools its own fund"}
      counterfactual: {status: implementation, reference: "a national notice on premium refunds"}
    period:
      start: 2021-04-01
      end: 2021-06-30
      quote: 2021 年第二季度
    parameters:
      refund_share:
        value: 60
        unit: "%"
        quote: 返还其上年度实际缴纳失业保险费的 60%
    costing:
      instrument: premium_refund
      inputs:
        premiums: {derived: test_premiums_last_year}
        share: {parameter: refund_share}

not_costed:
  - id: test_services
    clause: "4"
    title_en: Employment services
    reason: regulatory or administrative provision, no fiscal flow
"""

# The document's text, as the guide's step 0 puts it in data/sources/: validate checks every
# quote above against it.
TEXT = """\
测试市人民政府关于支持企业稳岗扩岗的若干措施

测政发〔2021〕9号

1. 扩岗补助。2021 年 3 月 1 日至 5 月 31 日新吸纳就业的企业，按每人 2000 元给予一次性扩岗补助。

2. 研发补助。2021 年度，按研发投入的 20% 给予补助，每家企业最高 30 万元。

3. 稳岗返还。2021 年第二季度，对不裁员的企业，返还其上年度实际缴纳失业保险费的 60%。

4. 就业服务。做好就业服务。
"""

BASELINE = """\
description: Assumptions of the test document 测政发〔2021〕9号.
assumptions:
  test_hires:
    low: 1000
    central: 1500
    high: 2000
    unit: 人
    source: "assumption: a test count of hires in the window"
    data_quality: low
  test_hiring_take_up:
    low: 60
    central: 80
    high: 90
    unit: "%"
    source: "assumption: most eligible firms claim"
    data_quality: low
    kind: behaviour
  test_rd_firms_per_year:
    low: 30
    central: 40
    high: 60
    unit: 家/年
    source: "assumption: a test number of firms claiming each year"
    data_quality: low
  test_rd_spend_median:
    low: 80
    central: 100
    high: 150
    unit: 万元/企业
    source: "assumption: median R&D spending of a claiming firm"
    data_quality: low
  test_rd_spend_sigma:
    low: 0.4
    central: 0.5
    high: 0.8
    unit: fraction
    source: "assumption: spread of R&D spending across firms"
    data_quality: low
    kind: modelling
  test_refund_employees:
    low: 80000
    central: 100000
    high: 120000
    unit: 人
    source: "assumption: insured employees of the qualifying firms"
    data_quality: medium
  test_monthly_wage:
    low: 5000
    central: 6000
    high: 7000
    unit: 元/月
    source: "assumption: their average monthly contribution base"
    data_quality: medium
  test_ui_rate:
    low: 0.5
    central: 1
    high: 1
    unit: "%"
    source: "assumption: the unemployment-insurance rate paid last year"
    data_quality: medium
constants:
  test_months_last_year:
    value: 12
    unit: 月
    note: The twelve months of 2020 whose premiums are refunded.
derived:
  test_premiums_last_year:
    expr: test_refund_employees * test_monthly_wage * test_months_last_year * test_ui_rate
    unit: 元
    note: Last year's unemployment-insurance premiums of the qualifying firms.
"""


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _limited_mean(median: float, sigma: float, cap: float) -> float:
    """E[min(X, cap)] for X lognormal (median, sigma), from the textbook formula."""
    mu = math.log(median)
    z = (math.log(cap) - mu) / sigma
    return math.exp(mu + sigma**2 / 2) * _phi(z - sigma) + cap * (1 - _phi(z))


@pytest.fixture()
def new_document(data_copy, add_source):
    add_source(data_copy, "ce_zheng_fa_2021_9.txt", TEXT, ["测政发〔2021〕9号"])
    (data_copy / "policies" / "ce_zheng_fa_2021_9.yaml").write_text(DOC, encoding="utf-8")
    (data_copy / "baseline" / "test_document.yaml").write_text(BASELINE, encoding="utf-8")
    return data_copy


def _cost(data, capsys) -> dict:
    assert main(["validate", str(data)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["cost", "--data", str(data), "--draws", "200", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_new_document_is_costed_from_yaml_alone(new_document, capsys):
    out = _cost(new_document, capsys)
    by_id = {m["id"]: m for m in out["measures"] if m["doc"] == "测政发〔2021〕9号"}
    assert set(by_id) == {"test_hiring_grant", "test_rd_grant", "test_ui_refund"}

    # 1: 2,000 元 x 1,500 hires = 300万 static; 80 % take-up -> 240万, paid June-July 2021
    hiring = by_id["test_hiring_grant"]
    assert hiring["static"] == pytest.approx(3_000_000)
    # hand calculations cost at the mode; the quoted central is the mean of the draws
    assert hiring["at_mode"] == pytest.approx(2_400_000)
    assert hiring["cost"]["p5"] <= hiring["cost"]["central"] <= hiring["cost"]["p95"]
    assert hiring["behavioural"]["take_up"] == pytest.approx(-600_000)
    assert hiring["by_year"]["2021"] == pytest.approx(hiring["cost"]["central"])  # all in 2021

    # 2: 40 firms (40 a year x 1 year) x 20 % x E[min(spend, 30万 / 20 % = 150万)] with spend
    # lognormal, median 100万, sigma 0.5: the cap binds on the firms spending over 150万 only
    rd = by_id["test_rd_grant"]
    expected = 40 * 0.20 * _limited_mean(1_000_000, 0.5, 1_500_000)
    # by hand: 113.31万 x Phi(0.311) + 150万 x Phi(-0.811) = 113.31万 x 0.6221 + 150万 x 0.2087
    assert expected == pytest.approx(8_143_650, rel=1e-5)
    assert rd["at_mode"] == pytest.approx(expected, rel=1e-9)
    assert rd["at_mode"] < 40 * 0.20 * 1_000_000 * math.exp(0.125)  # the cap bites
    assert rd["by_year"]["2021"] == pytest.approx(rd["cost"]["central"], rel=1e-6)

    # 3: 100,000 employees x 6,000 元/月 x 12 months x 1 % = 7,200万 premiums; 60 % back
    refund = by_id["test_ui_refund"]
    assert refund["at_mode"] == pytest.approx(43_200_000)
    assert refund["funding_source"] == "失业保险基金"

    not_costed = {m["id"]: m for m in out["not_costed"]}
    assert not_costed["test_services"]["doc"] == "测政发〔2021〕9号"
    # the shipped documents are costed as before alongside it
    assert any(m["id"] == "key_supply_hiring_subsidy" for m in out["measures"])


def test_a_unit_mismatch_in_the_new_document_fails_validate_and_cost(new_document, capsys):
    path = new_document / "policies" / "ce_zheng_fa_2021_9.yaml"
    # a count of hires a year where the grant expects a count of hires
    path.write_text(
        DOC.replace(
            "heads: {assumption: test_hires}", "heads: {assumption: test_rd_firms_per_year}"
        ),
        encoding="utf-8",
    )
    for args in (["validate", str(new_document)], ["cost", "--data", str(new_document)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert f"error: {path}: measures.test_hiring_grant.costing.inputs.heads: " in err
        assert "家/年" in err and "expects count" in err
