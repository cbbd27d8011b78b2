"""A printed limit binds: "每人每月 500 元 … 最长不超过 6 个月" costed with the months assumed
capped at the printed 6 (``at_most: {parameter: max_months}``), draw by draw; a printed number that
no costing reads is flagged by validate unless the YAML says why (``unused:``)."""

from __future__ import annotations

import json

import pytest

from jnpolicy_analysis.cli import main

DOC = "测政发〔2021〕13号"
TEXT = """\
测试市人民政府关于就业见习补助的通知

测政发〔2021〕13号

1. 见习补助。2021 年 3 月 1 日至 12 月 31 日，按每人每月 500 元给予见习补助，最长不超过 6 个月。
"""

POLICY = """\
doc: 测政发〔2021〕13号
title_zh: 测试市人民政府关于就业见习补助的通知
title_en: Test city internship subsidy
issuer: 测试市人民政府
issued: 2021-02-01
measures:
  - id: test_intern_subsidy
    clause: "1"
    title_zh: 见习补助
    title_en: Internship subsidy per intern per month, for at most six months
    instrument: per_person_per_month
    fiscal_class: A
    funding_source: 就业补助资金
    government_level: municipal
    financing:
      budget: 一般公共预算
      government_shares: {central: 0, provincial: 0, municipal: 1, district: 0, source: "as printed: the city's budget"}
      counterfactual: {status: new}
    period:
      start: 2021-03-01
      end: 2021-12-31
      quote: 2021 年 3 月 1 日至 12 月 31 日
    parameters:
      amount:
        value: 500
        unit: 元/人/月
        quote: 按每人每月 500 元给予见习补助
      max_months:
        value: 6
        unit: 个月
        comparator: "<="
        quote: 最长不超过 6 个月
    costing:
      instrument: per_person_per_month
      inputs:
        amount: {parameter: amount}
        people: {assumption: test_interns}
        months: {assumption: test_intern_months, at_most: {parameter: max_months}}
      timing: {follows: end, spread: 1}
"""

BASELINE = """\
description: Assumptions of the test document 测政发〔2021〕13号.
assumptions:
  test_interns:
    low: 100
    central: 100
    high: 100
    unit: 人
    distribution: fixed
    source: "assumption: a test count of interns"
    data_quality: low
  test_intern_months:
    {months}
    unit: 月
    source: "assumption: how long an internship lasts"
    data_quality: low
"""

FIXED = "low: {m}\n    central: {m}\n    high: {m}\n    distribution: fixed"


@pytest.fixture()
def limited(data_copy, add_source):
    add_source(data_copy, "ce_zheng_fa_2021_13.txt", TEXT, [DOC])
    (data_copy / "policies" / "ce_zheng_fa_2021_13.yaml").write_text(POLICY, encoding="utf-8")
    return data_copy


def _measure(data, months: str, capsys, policy: str = POLICY) -> dict:
    (data / "policies" / "ce_zheng_fa_2021_13.yaml").write_text(policy, encoding="utf-8")
    baseline = BASELINE.replace("{months}", months)
    (data / "baseline" / "test_limits.yaml").write_text(baseline, encoding="utf-8")
    assert main(["validate", str(data)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["cost", "--data", str(data), "--draws", "400", "--seed", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    return next(m for m in out["measures"] if m["id"] == "test_intern_subsidy")


def test_the_cap_binds_above_the_printed_maximum(limited, capsys):
    # 8 months assumed, 6 printed: 500 元 x 100 interns x 6 months = 30万元, not 40万元
    m = _measure(limited, FIXED.format(m=8), capsys)
    assert m["at_mode"] == pytest.approx(500 * 100 * 6)


def test_the_cap_does_not_bind_below_the_printed_maximum(limited, capsys):
    # 4 months assumed, under the printed 6: 500 x 100 x 4 = 20万元
    m = _measure(limited, FIXED.format(m=4), capsys)
    assert m["at_mode"] == pytest.approx(500 * 100 * 4)


def test_the_cap_binds_draw_by_draw(limited, capsys):
    # months triangular (3, 8, 10): P(months <= 6) = 3^2 / (7 x 5) = 9/35, so more than 5 % of the
    # draws reach the cap: P95 is the cap's 30万元 exactly, and the mean is below it, while the
    # uncapped mean is 500 x 100 x E[months] = 500 x 100 x 7 = 35万元
    spread = "low: 3\n    central: 8\n    high: 10"
    m = _measure(limited, spread, capsys)
    assert m["cost"]["p95"] == pytest.approx(300_000)
    assert m["cost"]["p5"] < 300_000
    assert m["cost"]["central"] < 300_000
    uncapped = POLICY.replace(", at_most: {parameter: max_months}", "")
    uncapped = uncapped.replace(
        "最长不超过 6 个月\n", "最长不超过 6 个月\n        unused: the test's uncapped costing\n"
    )
    free = _measure(limited, spread, capsys, policy=uncapped)
    assert free["cost"]["central"] == pytest.approx(350_000, rel=0.02)


def test_a_limit_in_another_unit_is_refused(limited, capsys):
    bad = POLICY.replace("at_most: {parameter: max_months}", "at_most: {parameter: amount}")
    (limited / "policies" / "ce_zheng_fa_2021_13.yaml").write_text(bad, encoding="utf-8")
    baseline = BASELINE.replace("{months}", FIXED.format(m=8))
    (limited / "baseline" / "test_limits.yaml").write_text(baseline, encoding="utf-8")
    assert main(["validate", str(limited)]) == 2
    err = capsys.readouterr().err
    assert "measures.test_intern_subsidy.costing.inputs.months: at_most: parameter 'amount'" in err
    assert "元/人/月" in err


def test_an_unread_printed_number_is_flagged_unless_the_yaml_says_why(limited, capsys):
    baseline = BASELINE.replace("{months}", FIXED.format(m=8))
    (limited / "baseline" / "test_limits.yaml").write_text(baseline, encoding="utf-8")
    path = limited / "policies" / "ce_zheng_fa_2021_13.yaml"
    path.write_text(POLICY.replace(", at_most: {parameter: max_months}", ""), encoding="utf-8")
    assert main(["validate", str(limited)]) == 0
    err = capsys.readouterr().err
    assert (
        f"warning: {path}: measures.test_intern_subsidy.parameters.max_months: 6 个月 is "
        "printed but no costing reads it"
    ) in err
    why = "最长不超过 6 个月\n        unused: a limit the assumed months never reach\n"
    path.write_text(
        POLICY.replace(", at_most: {parameter: max_months}", "").replace(
            "最长不超过 6 个月\n", why
        ),
        encoding="utf-8",
    )
    assert main(["validate", str(limited)]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_the_shipped_data_has_no_unread_printed_number(capsys):
    from jnpolicy_analysis.paths import DATA_DIR

    assert main(["validate", str(DATA_DIR)]) == 0
    assert "warning:" not in capsys.readouterr().err
