"""Each instrument's costing function against a hand calculation, and its properties.

Expected values are worked out by hand in the literals (never taken from the code's output).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jnpolicy_analysis.costing import grid, instruments
from jnpolicy_analysis.costing.montecarlo import quantiles
from jnpolicy_analysis.costing.sampling import Spec, draw

WAN = 10_000


# --------------------------------------------------------------------------- hand calculations


def test_hiring_subsidy_hand_calculation():
    # 济政发〔2020〕1号 clause 2: 40 workers x 16 days x 200 元 = 128,000 元, below the 50万 cap
    assert instruments.per_person_per_day(200, 16, 40, 50 * WAN) == pytest.approx(128_000)


def test_hiring_subsidy_large_firm_hits_the_cap():
    # 300 workers x 16 days x 200 元 = 960,000 元, held to the 500,000 元 cap
    assert 300 * 16 * 200 == 960_000
    assert instruments.per_person_per_day(200, 16, 300, 50 * WAN) == pytest.approx(500_000)


def test_cap_binds_only_above_it():
    # 156 workers earn 156 x 3,200 = 499,200 元 (under the cap); 157 earn 502,400 (over it)
    assert instruments.per_person_per_day(200, 16, 156, 50 * WAN) == pytest.approx(499_200)
    assert instruments.per_person_per_day(200, 16, 157, 50 * WAN) == pytest.approx(500_000)


def test_hiring_subsidy_over_a_size_distribution_caps_firm_by_firm():
    # 60 firms, median 80 workers, sigma 1.1, 12.75 days: cap in workers 500,000 / 2,550 = 196.08.
    # By hand: z = (ln 196.08 - ln 80) / 1.1 = 0.8150; mean 80 e^0.605 = 146.5;
    # E[min] = 146.5 Phi(-0.2850) + 196.08 Phi(-0.8150) = 146.5 x 0.3878 + 196.08 x 0.2075 = 97.6
    cost = instruments.per_person_per_day(200, 12.75, 80, 50 * WAN, sigma=1.1, firms=60)
    assert cost == pytest.approx(60 * 2_550 * 97.6, rel=0.002)
    # never the cap applied to an average firm: 60 x min(146.5 x 2,550, 500,000) would be 22.4m
    assert cost < 60 * 2_550 * 146.5 * 0.7


def test_limited_mean_closed_form_matches_sampled_firms():
    rng = np.random.default_rng(7)
    median, sigma, cap = 80.0, 1.0, 150.0
    firms = rng.lognormal(math.log(median), sigma, 2_000_000)
    sampled = np.minimum(firms, cap).mean()
    assert instruments.lognormal_limited_mean(median, sigma, cap) == pytest.approx(
        sampled, rel=0.003
    )


def test_limited_mean_limits():
    # no cap: the lognormal mean 80 e^(0.5) ; a tiny cap: the cap ; sigma 0: min(median, cap)
    assert instruments.lognormal_limited_mean(80, 1.0, np.inf) == pytest.approx(80 * math.exp(0.5))
    assert instruments.lognormal_limited_mean(80, 1.0, 1e-3) == pytest.approx(1e-3, rel=1e-6)
    assert instruments.lognormal_limited_mean(80, 0.0, 60) == pytest.approx(60)
    assert instruments.lognormal_limited_mean(80, 0.0, 100) == pytest.approx(80)


@pytest.mark.parametrize(
    "value,expected",
    [
        # clause 2: 12,000 hires x 1,000 元
        (lambda: instruments.per_head_grant(1_000, 12_000), 12_000_000),
        # clause 6: 50 % of 10亿 of premiums
        (lambda: instruments.premium_refund(1e9, 0.5), 5e8),
        # clause 8: a 1e10 元 monthly wage bill x 16 % pension, fully exempt; halved
        (lambda: instruments.contribution_exemption(1e10, 0.16, 1.0), 1.6e9),
        (lambda: instruments.contribution_exemption(1e10, 0.16, 0.5), 0.8e9),
        # clause 7: 1 个百分点 on a 1e10 元 monthly wage bill
        (lambda: instruments.contribution_rate_cut(1e10, 0.01), 1e8),
        # clause 9: 10,000 firms x 4,000 元 a year
        (lambda: instruments.levy_relief(10_000, 4_000, 1.0), 4e7),
        # clause 24: 25,000 recipients x 1,847 元 x (90 % - 80 %)
        (lambda: instruments.wage_linked_subsidy(25_000, 1_847, 0.9, 0.8), 4_617_500),
        # clause 12: 1,000 元 x 1,500 workers x 3 months
        (lambda: instruments.per_person_per_month(1_000, 1_500, 3), 4_500_000),
        # clause 12: 1,000 people x 2,200 元 x 12 months
        (lambda: instruments.benefit_extension(1_000, 2_200, 12), 26_400_000),
        # clause 14: 40,000 trainees x 1,000 元 standard x 20 %; 20,000 x 5 元 x 40 hours
        (lambda: instruments.training_subsidy(40_000, 1_000, 0.2), 8_000_000),
        (lambda: instruments.training_subsidy(20_000, 5 * 40), 4_000_000),
        # clause 17: 30 % of 100万 waived = 30万; of 200万 = 60万, capped at 50万
        (lambda: instruments.rent_relief_subsidy(0.3, 1, 100 * WAN, 0.0, 50 * WAN), 30 * WAN),
        (lambda: instruments.rent_relief_subsidy(0.3, 1, 200 * WAN, 0.0, 50 * WAN), 50 * WAN),
        # 四（二）: 30 % of 400万 receipts = 120万, capped at 100万; 10 % of 500万 = 50万
        (lambda: instruments.capped_share_grant(0.3, 1, 400 * WAN, 0.0, 100 * WAN), 100 * WAN),
        (lambda: instruments.capped_share_grant(0.1, 1, 500 * WAN, 0.0, 100 * WAN), 50 * WAN),
        # clause 18: 3亿 guaranteed x 3 % default
        (lambda: instruments.loan_guarantee(3e8, 0.03), 9e6),
        # clause 19: 10 stations x 2 years x (5万 + 5 returnees x 1万)
        (lambda: instruments.service_grant(10, 5 * WAN, 2, 5, 1 * WAN), 200 * WAN),
        # 四（二）: 1 national (50万) + 2 provincial (20万) + 3 municipal (10万) stations
        (
            lambda: instruments.tiered_grant([1, 2, 3], [50 * WAN, 20 * WAN, 10 * WAN]),
            120 * WAN,
        ),
        # 三（二）: 2000万 a year for 3 years
        (lambda: instruments.budget_line(2000 * WAN, 3), 6000 * WAN),
    ],
)
def test_instrument_hand_calculations(value, expected):
    assert value() == pytest.approx(expected)


def test_every_priced_instrument_is_registered_with_the_inputs_of_its_function():
    import inspect

    from jnpolicy_analysis.inputs.schemas import Instrument

    priced = {i.value for i in Instrument} - {"unpriced"}
    assert set(instruments.INSTRUMENTS) == priced
    for name, spec in instruments.INSTRUMENTS.items():
        params = inspect.signature(spec.function).parameters
        assert list(spec.inputs) == list(params), name
        for input_name, inp in spec.inputs.items():
            has_default = params[input_name].default is not inspect.Parameter.empty
            assert (inp.default is not None) == has_default, (name, input_name)
            if has_default:
                assert inp.default == params[input_name].default, (name, input_name)


# --------------------------------------------------------------------------- properties

RISING = [
    (
        instruments.per_person_per_day,
        dict(rate=200, days=12, workers=80, firm_cap=5e5, sigma=1.0, firms=60),
        ["rate", "days", "workers", "firms", "firm_cap"],
    ),
    (instruments.per_head_grant, dict(grant=1000, heads=5000), ["grant", "heads"]),
    (instruments.premium_refund, dict(premiums=1e9, share=0.5), ["premiums", "share"]),
    (
        instruments.contribution_exemption,
        dict(wage_bill_monthly=1e10, rate=0.16, relief_share=0.5),
        ["wage_bill_monthly", "rate", "relief_share"],
    ),
    (
        instruments.contribution_rate_cut,
        dict(wage_bill_monthly=1e10, rate_cut=0.005),
        ["wage_bill_monthly", "rate_cut"],
    ),
    (
        instruments.levy_relief,
        dict(payers=1e4, levy_per_payer=4e3, relief_share=1.0),
        ["payers", "levy_per_payer"],
    ),
    (
        instruments.wage_linked_subsidy,
        dict(people=2e4, minimum_wage=1847, share=0.9, prior_share=0.8),
        ["people", "minimum_wage", "share"],
    ),
    (
        instruments.per_person_per_month,
        dict(amount=1000, people=1500, months=3),
        ["amount", "people", "months"],
    ),
    (
        instruments.benefit_extension,
        dict(beneficiaries=1000, monthly_amount=2200, months=12),
        ["beneficiaries", "monthly_amount", "months"],
    ),
    (
        instruments.training_subsidy,
        dict(trainees=4e4, unit_amount=1000, share=0.2),
        ["trainees", "unit_amount", "share"],
    ),
    (
        instruments.rent_relief_subsidy,
        dict(share=0.3, bases=12, median_rent_waived=5e5, sigma=0.9, cap=5e5),
        ["share", "bases", "median_rent_waived", "cap"],
    ),
    (
        instruments.capped_share_grant,
        dict(share=0.3, recipients=27, median_base=1.5e6, sigma=1.2, cap=1e6),
        ["share", "recipients", "median_base", "cap"],
    ),
    (instruments.loan_guarantee, dict(volume=3e8, default_rate=0.03), ["volume", "default_rate"]),
    (
        instruments.service_grant,
        dict(stations=10, annual_grant=5e4, years=2.8, results_per_station_year=5, bonus=1e4),
        ["stations", "annual_grant", "years", "results_per_station_year", "bonus"],
    ),
    (instruments.budget_line, dict(annual_amount=2e7, years=3), ["annual_amount", "years"]),
]


@pytest.mark.parametrize(
    "fn,kwargs,arg",
    [(fn, kw, a) for fn, kw, args in RISING for a in args],
    ids=[f"{fn.__name__}-{a}" for fn, _, args in RISING for a in args],
)
def test_cost_rises_with_each_rate_and_count(fn, kwargs, arg):
    base = fn(**kwargs)
    more = fn(**{**kwargs, arg: kwargs[arg] * 1.1})
    assert base > 0
    assert more > base


@pytest.mark.parametrize("fn,kwargs,args", RISING, ids=[f[0].__name__ for f in RISING])
def test_zero_count_or_rate_costs_nothing(fn, kwargs, args):
    assert fn(**{**kwargs, args[0]: 0.0}) == pytest.approx(0.0)


def test_instruments_are_vectorised_over_draws():
    workers = np.array([40.0, 300.0, 156.0])
    out = instruments.per_person_per_day(200, 16, workers, 50 * WAN)
    np.testing.assert_allclose(out, [128_000, 500_000, 499_200])
    f32 = np.array([1.0, 2.0], dtype=np.float32)
    assert instruments.contribution_rate_cut(f32, 0.01).dtype == np.float32


# --------------------------------------------------------------------------- grid and sampling


def test_key_supply_window_days_inclusive():
    # the 16 days: Spring Festival day 2020-01-25 to 2020-02-09, both counted
    import datetime as dt

    assert grid.days_inclusive(dt.date(2020, 1, 25), dt.date(2020, 2, 9)) == 16
    assert grid.days_inclusive(dt.date(2020, 1, 24), dt.date(2020, 2, 9)) == 17


def test_coverage_counts_days_of_each_month():
    import datetime as dt

    w = grid.coverage(dt.date(2020, 1, 24), dt.date(2020, 2, 9))
    assert w[0] == pytest.approx(8 / 31) and w[1] == pytest.approx(9 / 29)
    assert w[2:].sum() == 0
    assert grid.coverage(dt.date(2019, 6, 1), None).sum() == pytest.approx(36)


def test_staggered_sums_to_duration():
    entry = grid.spread(grid.whole_months("2020-01", "2020-12"))
    assert grid.staggered(entry, 12).sum() == pytest.approx(12)
    assert grid.shift(entry, 40).sum() == pytest.approx(1)  # nothing lost past the grid


@pytest.mark.parametrize(
    "kind,low,mode,high,mean",
    [
        ("triangular", 1.0, 2.0, 5.0, (1 + 2 + 5) / 3),
        ("triangular", 0.0, 0.0, 4.0, 4 / 3),
        ("uniform", 1.0, 2.0, 5.0, 3.0),
        ("lognormal", 1.0, 2.0, 4.0, 2.0 * math.exp(0.5 * (math.log(4) / (2 * 1.6448536)) ** 2)),
    ],
)
def test_draws_follow_their_distribution(kind, low, mode, high, mean):
    x = draw(Spec("x", kind, low, mode, high), 400_000, seed=3, chunk_index=0).astype(float)
    assert x.mean() == pytest.approx(mean, rel=0.01)
    if kind != "lognormal":
        assert low <= x.min() and x.max() <= high
    else:  # low..high is the 5-95 % range around a median at the point
        q = np.quantile(x, [0.05, 0.5, 0.95])
        np.testing.assert_allclose(q, [1.0, 2.0, 4.0], rtol=0.02)


def test_triangular_cdf_at_the_mode():
    # F(c) = (c - a) / (b - a) = 1/4 for (1, 2, 5)
    x = draw(Spec("x", "triangular", 1.0, 2.0, 5.0), 400_000, seed=3, chunk_index=0)
    assert np.mean(x < 2.0) == pytest.approx(0.25, abs=0.003)


def test_fixed_assumption_is_not_drawn():
    assert draw(Spec("x", "fixed", 3.0, 3.0, 3.0), 10, seed=1, chunk_index=0) == 3.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_quantiles_equal_numpy(dtype):
    rng = np.random.default_rng(11)
    for x in (
        rng.lognormal(10, 1, 300_001),
        np.concatenate([-rng.lognormal(8, 1, 100_000), rng.lognormal(10, 1, 200_000)]),
        np.round(rng.lognormal(3, 1, 200_000)),
        np.full(120_000, 5.0),
    ):
        x = x.astype(dtype)
        qs = (0.0, 0.05, 0.5, 0.95, 1.0)
        np.testing.assert_array_equal(quantiles(x, qs), np.quantile(x.astype(float), qs))


def test_the_guide_lists_every_instrument_with_its_inputs_and_units():
    """docs/adding_a_document.md's table of instruments is the registry's, input by input."""
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[1] / "docs" / "adding_a_document.md").read_text(
        encoding="utf-8"
    )
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in guide.splitlines()
        if line.startswith("| `")
    }
    for name, spec in instruments.INSTRUMENTS.items():
        assert name in rows, name
        assert rows[name].rstrip(" |").endswith(spec.output), name
        for input_name, inp in spec.inputs.items():
            assert f"`{input_name}` {inp.unit}" in rows[name], (name, input_name)
