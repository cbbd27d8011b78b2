"""Beyond the horizon: costs that go on after December 2022 (``financing.after_2022`` in
data/policies, costing/horizon.py). Expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario


@pytest.fixture(scope="module")
def low_json():
    return run_costing(load_scenario("low", draws=50)).to_json()


def _measure(out: dict, mid: str) -> dict:
    return next(m for m in out["measures"] if m["id"] == mid)


def test_benefit_increase_run_rate_by_hand(low_json):
    """Clause 24 raises the benefit to 90 % of the minimum wage from February 2020, with no end.
    At the 'low' point: 15,000 recipients, a class-1 share of 55 % (minimum wage 1,730 + 0.55 x
    180 = 1,829 元) and a prior share of 70 %: 15,000 x 1,829 x (0.9 - 0.7) x 12 a year."""
    m = _measure(low_json, "unemployment_benefit_increase")
    assert m["after_2022"]["status"] == "permanent"
    assert m["run_rate_after_2022"]["point"] == pytest.approx(15_000 * 1_829 * 0.2 * 12, rel=1e-6)


def test_measures_ending_in_the_window_have_no_run_rate(low_json):
    for mid in ("sme_social_insurance_exemption", "large_firm_social_insurance_halving"):
        m = _measure(low_json, mid)
        assert m["after_2022"] is None and m["run_rate_after_2022"] is None


def test_totals_state_their_window_and_a_to_completion_line(low_json):
    t = low_json["totals"]
    assert t["window"]["from"] == "2020-01" and t["window"]["to"] == "2022-12"
    assert t["window"]["cost"]["point"] == pytest.approx(t["cost"]["point"])
    tc = t["to_completion"]
    # nothing in the shipped data ends after 2022: to completion is the window's cost
    assert tc["ending_measures"] == []
    assert tc["cost"]["point"] == pytest.approx(t["cost"]["point"], rel=1e-6)
    rates = [
        _measure(low_json, m)["run_rate_after_2022"]["point"] for m in tc["permanent_measures"]
    ]
    assert tc["run_rate_after_2022"]["point"] == pytest.approx(sum(rates), rel=1e-6)
    assert "unemployment_benefit_increase" in tc["permanent_measures"]


def _set_after(data_copy, block: str) -> None:
    path = data_copy / "policies" / "ji_zheng_fa_2020_1.yaml"
    text = path.read_text(encoding="utf-8")
    old = '      after_2022:\n        status: permanent\n        reason: "the standard is raised'
    assert old in text
    path.write_text(text.replace(old, block + '        reason: "the standard is raised'), "utf-8")


def test_a_measure_that_ends_after_2022_adds_its_tail(data_copy, capsys):
    _set_after(data_copy, "      after_2022:\n        status: ends\n        end: 2024-12-31\n")
    assert main(["cost", "--data", str(data_copy), "--scenario", "low", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    tc = out["totals"]["to_completion"]
    assert tc["ending_measures"] == ["unemployment_benefit_increase"]
    rate = _measure(out, "unemployment_benefit_increase")["run_rate_after_2022"]["point"]
    years = (dt.date(2024, 12, 31) - dt.date(2022, 12, 31)).days / 365.25  # 731 days
    assert tc["cost"]["point"] == pytest.approx(out["totals"]["cost"]["point"] + rate * years)
    assert "unemployment_benefit_increase" not in tc["permanent_measures"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("      after_2022:\n        status: ends\n", "needs an end after 2022-12-31"),
        (
            "      after_2022:\n        status: ends\n        end: 2022-06-30\n",
            "needs an end after 2022-12-31",
        ),
        (
            "      after_2022:\n        status: permanent\n        end: 2025-01-01\n",
            "a permanent measure has no end",
        ),
        ("      after_2022:\n        status: forever\n", "after_2022.status"),
    ],
)
def test_bad_after_2022_is_refused(data_copy, capsys, block, message):
    _set_after(data_copy, block)
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert any(line.startswith("error: ") and message in line for line in err.splitlines()), err


def test_cost_table_shows_the_run_rates(capsys):
    assert main(["cost", "--draws", "50"]) == 0
    out = capsys.readouterr().out
    assert "Beyond the horizon: costs that go on after December 2022 (万元/年)" in out
    assert "class A, window 2020-01 to 2022-12" in out
    assert "class A to completion" in out
