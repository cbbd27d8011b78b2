"""Correlated inputs: assumptions that share a common driver (``factors:`` in data/baseline) are
drawn through a Gaussian copula; each keeps its own distribution, and the Sobol indices treat
them as one group."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtri

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.sampling import Spec, draw
from jnpolicy_analysis.costing.sobol import groups_of, sobol_indices
from jnpolicy_analysis.inputs.scenarios import load_scenario

N = 200_000


def _scores(spec: Spec, x: np.ndarray) -> np.ndarray:
    """The normal scores of triangular draws (their CDF, then the inverse normal CDF)."""
    a, c, b = spec.low, spec.mode, spec.high
    x = np.asarray(x, dtype=np.float64)
    cdf = np.where(
        x < c, (x - a) ** 2 / ((b - a) * (c - a)), 1 - (b - x) ** 2 / ((b - a) * (b - c))
    )
    return ndtri(np.clip(cdf, 1e-9, 1 - 1e-9))


def test_members_keep_their_distribution_and_correlate_by_the_product_of_loadings():
    x = Spec("x", "triangular", 0.0, 1.0, 4.0, factor="f", loading=0.8)
    y = Spec("y", "triangular", 10.0, 20.0, 30.0, factor="f", loading=0.5)
    dx, dy = draw(x, N, 1, 0), draw(y, N, 1, 0)
    # the marginal is still the triangular (0, 1, 4): mean (0 + 1 + 4) / 3
    assert dx.mean() == pytest.approx(5 / 3, rel=0.01)
    assert dy.mean() == pytest.approx(20.0, rel=0.01)
    assert dx.min() >= 0 and dx.max() <= 4
    r = np.corrcoef(_scores(x, dx), _scores(y, dy))[0, 1]
    assert r == pytest.approx(0.8 * 0.5, abs=0.01)
    # an assumption outside the factor is independent of both
    z = draw(Spec("z", "triangular", 0.0, 1.0, 2.0), N, 1, 0)
    assert abs(np.corrcoef(dx, z)[0, 1]) < 0.01


def test_a_lognormal_member_keeps_its_median_and_spread():
    x = Spec("x", "lognormal", 1.0, 2.0, 4.0, factor="f", loading=0.7)
    d = draw(x, N, 3, 0).astype(np.float64)
    assert np.median(d) == pytest.approx(2.0, rel=0.01)
    assert np.quantile(d, [0.05, 0.95]) == pytest.approx([1.0, 4.0], rel=0.02)


def test_the_wage_bill_factor_widens_the_product_it_drives():
    """Two members of one factor multiplied (as insured employees and the wage are): with
    positive loadings the product's log-variance is var_a + var_b + 2 rho sd_a sd_b."""
    a = Spec("a", "lognormal", 0.5, 1.0, 2.0, factor="f", loading=0.8)
    b = Spec("b", "lognormal", 0.5, 1.0, 2.0, factor="f", loading=0.5)
    alone = Spec("b", "lognormal", 0.5, 1.0, 2.0)
    sigma = np.log(4.0) / (2 * 1.6448536269514722)
    together = np.log(draw(a, N, 5, 0).astype(np.float64) * draw(b, N, 5, 0))
    apart = np.log(draw(a, N, 5, 0).astype(np.float64) * draw(alone, N, 5, 0))
    assert together.var() == pytest.approx(sigma**2 * (2 + 2 * 0.4), rel=0.02)
    assert apart.var() == pytest.approx(sigma**2 * 2, rel=0.02)


def test_the_shipped_factor_ties_the_wage_bill_to_the_funds():
    sc = load_scenario("central")
    f = sc.factors["contribution_wage_bill"]
    assert {"insured_employees", "medical_fund_income_2019"} <= set(f.loadings)
    # the unemployment and work-injury funds' incomes are computed from the wage bill itself
    assert "insured_wage_bill" in sc.derived["ui_fund_contributions_2019"].expr
    assert f.source.startswith("assumption:")


def test_sobol_groups_the_members_of_a_factor():
    x = Spec("x", "uniform", 0.0, 0.5, 1.0, factor="f", loading=0.9)
    y = Spec("y", "uniform", 0.0, 0.5, 1.0, factor="f", loading=0.9)
    z = Spec("z", "uniform", 0.0, 0.5, 1.0)
    names = groups_of([x, y, z])[0]
    assert names == ["z", "f"]
    frames, evaluations = sobol_indices(
        [x, y, z], lambda v: {"out": v["x"] + v["y"] + 0.1 * v["z"]}, 1024, seed=2
    )
    assert evaluations == 1024 * (2 + 2)
    frame = frames["out"].set_index("assumption")
    # x + y varies by 2 x 1/12 x (1 + rho^2-ish) against 0.01 / 12 for z: the group explains it
    assert frame.loc["f", "ST"] > 0.95
    assert frame.loc["z", "ST"] < 0.02


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      insured_employees: 0.8\n",
            "      insured_employee: 0.8\n",
            "unknown assumption 'insured_employee' (did you mean 'insured_employees'?)",
        ),
        ("      average_wage: 0.5\n", "      minimum_wage_class1: 0.5\n", "is fixed"),
        ("      average_wage: 0.5\n", "      average_wage: 1.5\n", "must lie in (-1, 1)"),
        ("      average_wage: 0.5\n", "      average_wage: 0.2\n", "outside low .. high"),
    ],
)
def test_a_bad_factor_is_one_error_line(data_copy, capsys, old, new, message):
    path = data_copy / "baseline" / "labour_market.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert main(["cost", "--scenario", "central", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "factors.contribution_wage_bill" in err and message in err
    assert "Traceback" not in err
