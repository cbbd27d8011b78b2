"""The interest subsidy on guaranteed start-up loans (clause 18), class A, against a hand
calculation: a scenario narrows the window to March-December 2020 and the term to one year, so
that every payment falls inside the grid."""

from __future__ import annotations

import json

import pytest

from jnpolicy_analysis.cli import main

SCENARIO = """\
name: interest_test
title_zh: 测试
title_en: test
extends: central
periods:
  startup_loan_interest_subsidy: {start: 2020-03-01, end: 2020-12-31}
assumptions:
  startup_loan_subsidy_years: 1
"""


def _measure(out: dict, mid: str) -> dict:
    return next(m for m in out["measures"] if m["id"] == mid)


def test_interest_subsidy_by_hand(data_copy, capsys):
    (data_copy / "scenarios" / "interest_test.yaml").write_text(SCENARIO, encoding="utf-8")
    capsys.readouterr()
    args = ["cost", "--data", str(data_copy), "--json", "--draws", "200"]
    assert main([*args, "--scenario", "interest_test"]) == 0, capsys.readouterr().err
    m = _measure(json.loads(capsys.readouterr().out), "startup_loan_interest_subsidy")
    # at the mode (every assumption at its most likely value): 3亿元 a year of extra lending x 4.85 % a year x 67 % subsidised = 9,748,500
    # 元 a year per year of lending; 10 months of lending (10/12 of a year), each subsidised 1 year
    total = 300_000_000 * 0.0485 * 0.67 * (10 / 12) * 1
    assert total == pytest.approx(8_123_750)
    assert m["fiscal_class"] == "A"
    assert m["at_mode"] == pytest.approx(total)
    central = m["cost"]["central"]  # the mean of the draws, spread along the same path
    # a tenth of the lending each month March-December 2020, each paid over 12 months: of the
    # March loans 10 months fall in 2020, of the April loans 9, ..., of the December loans 1
    in_2020 = total * sum(range(1, 11)) / 12 / 10
    assert m["by_year"]["2020"] == pytest.approx(central * in_2020 / total)
    assert m["by_year"]["2021"] == pytest.approx(central * (total - in_2020) / total)
    assert m["by_year"]["2022"] == pytest.approx(0.0, abs=1e-6)
    # implementation of the national subsidy rule: nothing discretionary; the central share drawn
    # from 0-30-60 % (mean 30 %), the provincial from 0-10-30 % (mean 13.3 %), municipal the rest
    # (mean 56.7 %); the municipal cost is the mean of the same draws (within 3 points at 200)
    # the register of higher-level policy: the national rule implemented, then overtaken by
    # 财金〔2020〕21号 from 2020-04-15; nothing discretionary in either period
    phases = m["counterfactual"]["phases"]
    assert [p["status"] for p in phases] == ["implementation", "overtaken"]
    assert phases[1]["from"] == "2020-04-15"
    assert m["discretionary_cost"]["central"] == 0.0
    assert m["municipal_cost"] / central == pytest.approx(1 - 0.3 - 0.4 / 3, abs=0.03)
    assert m["municipal_cost"] / central == pytest.approx(m["government_shares"]["municipal"])


def test_interest_subsidy_is_cut_at_the_end_of_2022(capsys):
    """In the central scenario lending runs to December 2022 and each loan is subsidised for three
    years, so part of the lifetime subsidy falls after the grid: the cost is below the lifetime
    total (3亿 x 4.85 % x 67 % x 3 years x the window's years) and above the first-year share."""
    capsys.readouterr()
    assert main(["cost", "--json", "--draws", "200"]) == 0
    m = _measure(json.loads(capsys.readouterr().out), "startup_loan_interest_subsidy")
    window_years = (30 / 31 + 33) / 12  # 2020-03-02 to 2022-12-31 on the monthly grid
    lifetime = 300_000_000 * 0.0485 * 0.67 * window_years * 3
    assert 0.3 * lifetime < m["cost"]["central"] < lifetime
