"""The joint calibration: importance weights over the central's draws given every outturn, the
posterior per assumption, what the data cannot identify, and the calibrated scenario it writes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jnpolicy_analysis.analysis import open_analysis
from jnpolicy_analysis.analysis.calibration import (
    ESS_FLOOR,
    calibrate,
    ess,
    fit_table,
    likelihood_of,
    posterior_table,
    scenario_text,
    summary,
    weighted_quantiles,
)
from jnpolicy_analysis.analysis.evaluation import coverage, load_outturns
from jnpolicy_analysis.cli import main
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.paths import DATA_DIR

DRAWS = 4000


@pytest.fixture(scope="module")
def cal():
    return calibrate(open_analysis("central", draws=DRAWS))


def _outturn(oid: str):
    sc = load_scenario("central")
    return next(o for _, o in load_outturns(None, sc) if o.id == oid), sc


# --------------------------------------------------------------------------- pieces by hand


def test_weighted_quantiles_and_ess_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    w = np.full(4, 0.25)
    # each value at the middle of its weight: 1 at 0.125, 2 at 0.375, ...
    assert weighted_quantiles(x, w, (0.125, 0.5, 0.875)) == pytest.approx([1.0, 2.5, 4.0])
    assert ess(w) == pytest.approx(4.0)
    assert ess(np.array([1.0, 0, 0, 0])) == pytest.approx(1.0)


def test_the_likelihood_of_the_shandong_refunds_by_hand():
    """34.7亿 x 13.5 % = 4.6845亿 at the central share; a draw costing that is at the mode, a draw
    at the high share (18 %: 6.246亿) is 1.645 log-sd above it: log L = -1.645^2 / 2."""
    o, sc = _outturn("shandong_2020_retention_refunds")
    lk = likelihood_of(o, sc)
    assert lk.comparable
    assert lk.jinan[1] == pytest.approx(34.7e8 * 0.135)
    assert lk.sigma[1] == pytest.approx(math.log(18 / 13.5) / 1.6448536269514722)
    got = lk.log(np.array([34.7e8 * 0.135, 34.7e8 * 0.18, 34.7e8 * 0.10]))
    assert got == pytest.approx([0.0, -(1.6448536269514722**2) / 2, -(1.6448536269514722**2) / 2])


def test_coverage_says_why_an_outturn_is_not_comparable():
    o, sc = _outturn("china_2020_full_year_relief")
    why = coverage(o, sc)  # central: the exemption ends in June, the relief ran to December
    assert any("2020-07-01 – 2020-12-31" in w for w in why)
    assert coverage(o, load_scenario("exemption_to_december")) == []
    o, sc = _outturn("shandong_2020_march_first_round")
    # the gazette's job-retention refund starts on 2020-03-02: 16 of the round's 77 days
    assert coverage(o, sc) == [
        "job_retention_refund is in force on 16 of its 77 days (2020-03-02 – 2020-12-31)"
    ]
    o, sc = _outturn("shandong_2020_retention_refunds")
    assert coverage(o, sc) == []


# --------------------------------------------------------------------------- the posterior


def test_weights_are_a_distribution_over_the_prior_draws(cal):
    assert cal.weights.shape == (DRAWS,)
    assert cal.weights.sum() == pytest.approx(1.0)
    assert (cal.weights >= 0).all()
    assert 1 <= cal.ess <= DRAWS
    assert cal.reliable == (cal.ess >= ESS_FLOOR)


def test_the_posterior_mean_of_an_outturn_is_its_weighted_prior_draws(cal):
    """The posterior costed mean is sum_d w_d x_d over the ledger's own draws: the same series
    the prior mean averages."""
    fit = next(f for f in cal.fits if f.likelihood.id == "shandong_2020_retention_refunds")
    assert fit.prior[1] <= fit.prior[0] <= fit.prior[2]
    lo, _, hi = fit.likelihood.jinan
    # the refunds' prior mean is above their central (ratio 1.2): the posterior pulls it down
    assert fit.posterior[0] < fit.prior[0]
    assert lo <= fit.posterior[0] <= hi


def test_an_assumption_no_outturn_reads_is_not_identified(cal):
    by = {m.name: m for m in cal.marginals}
    assert by["angel_projects_per_year"].status == "not identified"
    assert not by["angel_projects_per_year"].moved
    assert by["insured_employees"].identified
    assert "china_2020_feb_jun_relief" in by["insured_employees"].identified_by
    # the wage bill is what the outturns pull down (the relief is 1.5 x its national check)
    assert by["insured_employees"].shift < 0


def test_only_comparable_outturns_weigh(cal):
    excluded = {lk.id for lk in cal.likelihoods if not lk.comparable}
    assert excluded == {"china_2020_full_year_relief", "shandong_2020_march_first_round"}
    assert set(cal.pulls) == {lk.id for lk in cal.likelihoods if lk.comparable}


def test_conflicts_are_opposite_pulls(cal):
    for c in cal.conflicts:
        assert c.first_shift * c.second_shift < 0
        assert min(abs(c.first_shift), abs(c.second_shift)) >= 0.2


def test_tables_and_summary_in_both_languages(cal):
    for lang in ("zh", "en"):
        t = posterior_table(cal, lang)
        assert len(t) == len(cal.marginals)
        f = fit_table(cal, lang)
        assert len(f) == len(cal.fits)
        assert summary(cal, lang)


def test_a_stress_case_is_refused_in_one_line(capsys):
    assert main(["calibrate", "--scenario", "low", "--no-write"]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "stress case" in err and "Traceback" not in err


# --------------------------------------------------------------------------- the scenario


def test_the_scenario_text_is_reproducible_and_loads(cal, data_copy):
    text = scenario_text(cal)
    assert text == scenario_text(calibrate(open_analysis("central", draws=DRAWS)))
    (data_copy / "scenarios" / "calibrated.yaml").write_text(text, encoding="utf-8")
    sc = load_scenario("calibrated", data_copy)
    assert sc.chain == ["calibrated", "central"]


@pytest.mark.slow
def test_the_shipped_calibrated_scenario_is_what_calibrate_writes(data_copy, capsys):
    """`jnpolicy calibrate` (20,000 draws, the central's seed) writes the shipped file byte for
    byte: the calibrated scenario is generated, not moved by hand."""
    assert main(["calibrate", "--data", str(data_copy)]) == 0
    capsys.readouterr()
    written = (data_copy / "scenarios" / "calibrated.yaml").read_text(encoding="utf-8")
    assert written == (DATA_DIR / "scenarios" / "calibrated.yaml").read_text(encoding="utf-8")


def test_more_draws_than_the_calibration_holds_is_refused(capsys):
    assert main(["calibrate", "--draws", "300000", "--no-write"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --draws: draws: 300,000 is more than the 200,000 draws")


def test_the_posterior_needs_no_calibrated_scenario_yet(data_copy):
    """A data folder without calibrated.yaml (before the first `jnpolicy calibrate`): the posterior
    is of central's draws, and writing it makes the scenario."""
    from jnpolicy_analysis.analysis.calibration import posterior_of_calibrated, write_calibrated

    (data_copy / "scenarios" / "calibrated.yaml").unlink()
    cal = posterior_of_calibrated(data_copy)
    assert cal.prior.name == "central" and cal.draws == 20_000
    path = write_calibrated(cal, data_copy)
    assert load_scenario("calibrated", data_copy).chain == ["calibrated", "central"]
    assert path.read_text(encoding="utf-8") == (
        DATA_DIR / "scenarios" / "calibrated.yaml"
    ).read_text(encoding="utf-8")
