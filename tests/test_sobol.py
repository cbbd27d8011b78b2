"""Sobol sensitivity (SALib) through the project's wrapper: known analytic indices, the costing's
indices, the command line and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.sampling import Spec
from jnpolicy_analysis.costing.sobol import from_unit, run_sobol, sobol_indices
from jnpolicy_analysis.inputs.scenarios import load_scenario


def _ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[dict, dict]:
    """Ishigami's function f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i uniform on [-pi, pi]:
    V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s1 = {"x1": v1 / v, "x2": v2 / v, "x3": 0.0}
    st = {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v}
    return s1, st


def test_ishigami_analytic_values_are_the_textbook_ones():
    s1, st = _ishigami_analytic()
    assert s1["x1"] == pytest.approx(0.3139, abs=1e-4)
    assert s1["x2"] == pytest.approx(0.4424, abs=1e-4)
    assert st["x1"] == pytest.approx(0.5576, abs=1e-4)
    assert st["x3"] == pytest.approx(0.2437, abs=1e-4)


def test_sobol_wrapper_matches_ishigami_within_confidence():
    specs = [Spec(n, "uniform", -math.pi, 0.0, math.pi) for n in ("x1", "x2", "x3")]

    def model(x):
        f = np.sin(x["x1"]) + 7.0 * np.sin(x["x2"]) ** 2 + 0.1 * x["x3"] ** 4 * np.sin(x["x1"])
        return {"f": f}

    frames, evaluations = sobol_indices(specs, model, samples=4096, seed=7)
    assert evaluations == 4096 * (3 + 2)
    s1, st = _ishigami_analytic()
    table = frames["f"].set_index("assumption")
    for name in ("x1", "x2", "x3"):
        row = table.loc[name]
        # within SALib's 95 % interval, widened by a small floor for the estimator's own bias
        assert abs(row["S1"] - s1[name]) <= max(row["S1_conf"], 0.01) * 1.5, name
        assert abs(row["ST"] - st[name]) <= max(row["ST_conf"], 0.01) * 1.5, name
    assert list(table.index[:1]) == ["x1"]  # largest total index first


def test_sobol_linear_model_with_triangular_and_lognormal_inputs():
    # y = 2 x + z: additive, so S1 = ST = each term's share of the variance.
    # x triangular (0, 1, 4): var = (a²+b²+c²-ab-ac-bc)/18 = (0+16+1-0-0-4)/18 = 13/18.
    # z lognormal, median 1, low/high 0.5/2 at P5/P95: sigma = ln 4 / (2 * 1.6449),
    # var = (e^{s²} - 1) e^{s²}.
    x = Spec("x", "triangular", 0.0, 1.0, 4.0)
    z = Spec("z", "lognormal", 0.5, 1.0, 2.0)
    sigma = math.log(4.0) / (2 * 1.6448536269514722)
    vx = 4 * 13 / 18
    vz = (math.exp(sigma**2) - 1) * math.exp(sigma**2)
    frames, _ = sobol_indices([x, z], lambda v: {"y": 2 * v["x"] + v["z"]}, 4096, seed=3)
    table = frames["y"].set_index("assumption")
    for name, share in (("x", vx / (vx + vz)), ("z", vz / (vx + vz))):
        assert abs(table.loc[name, "S1"] - share) <= max(table.loc[name, "S1_conf"], 0.01) * 1.5
        assert abs(table.loc[name, "ST"] - share) <= max(table.loc[name, "ST_conf"], 0.01) * 1.5


def test_from_unit_is_the_inverse_cdf_of_each_distribution():
    tri = Spec("t", "triangular", 0.0, 1.0, 4.0)
    # F(c) = (c - a) / (b - a) = 0.25: the mode sits at the quarter
    assert from_unit(tri, np.array([0.25]))[0] == pytest.approx(1.0)
    assert from_unit(Spec("u", "uniform", 2.0, 3.0, 6.0), np.array([0.5]))[0] == pytest.approx(4.0)
    logn = Spec("l", "lognormal", 0.5, 1.0, 2.0)
    assert from_unit(logn, np.array([0.5]))[0] == pytest.approx(1.0)
    assert from_unit(logn, np.array([0.95]))[0] == pytest.approx(2.0, rel=1e-6)


def test_output_that_does_not_vary_has_no_indices():
    specs = [Spec("x", "uniform", 0.0, 0.5, 1.0)]
    frames, _ = sobol_indices(specs, lambda v: {"flat": np.full(len(v["x"]), 3.0)}, 64, seed=1)
    assert frames["flat"].empty


@pytest.fixture(scope="module")
def costing_sobol():
    return run_sobol(load_scenario("central"), samples=128)


def test_costing_sobol_covers_the_total_and_each_document(costing_sobol):
    out = costing_sobol.to_json()
    assert out["scenario"] == "central" and out["samples"] == 128
    assert "class A" in out["outputs"]
    docs = {p.doc for p in costing_sobol_plans(costing_sobol)}
    assert set(out["outputs"]) - {"class A"} <= docs
    assert len(out["outputs"]) >= 3
    n = len(costing_sobol.assumptions)
    assert costing_sobol.evaluations == 128 * (n + 2)
    total = out["outputs"]["class A"]
    assert {r["assumption"] for r in total} == set(costing_sobol.assumptions)
    assert all(set(r) == {"assumption", "S1", "S1_conf", "ST", "ST_conf"} for r in total)
    sts = [r["ST"] for r in total]
    assert sts == sorted(sts, reverse=True)
    # the indices are shares of variance: the total indices of the leading assumptions explain a
    # large part of it, and no first-order sum much beyond 1
    assert sum(r["S1"] for r in total) < 1.3
    assert sum(sts) > 0.7


def costing_sobol_plans(result):
    from jnpolicy_analysis.costing import prepare

    return [p for p in prepare(result.scenario).plans if p.costed]


def test_cli_sensitivity_json(capsys):
    assert main(["sensitivity", "--scenario", "central", "--samples", "64", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"scenario", "samples", "groups", "outputs"}
    assert "insured_employees" in out["groups"]["contribution_wage_bill"]
    assert out["samples"] == 64


@pytest.mark.parametrize("value", ["100", "0", "-64", "32", "abc"])
def test_cli_bad_samples_exit_2_with_one_line(capsys, value):
    code = main(["sensitivity", "--samples", value])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: --samples: samples: "), err


def test_saltelli_matrix_is_salibs_sample():
    from SALib.sample import sobol as sample

    from jnpolicy_analysis.costing.sobol import saltelli_matrix

    problem = {"num_vars": 4, "names": list("abcd"), "bounds": [[0.0, 1.0]] * 4}
    ref = sample.sample(problem, 64, calc_second_order=False, scramble=True, seed=11)
    np.testing.assert_array_equal(saltelli_matrix(4, 64, seed=11), ref)


def test_analysis_skipping_unused_assumptions_agrees_with_salib_on_all():
    from SALib.analyze import sobol as analyze

    from jnpolicy_analysis.costing.sobol import analyse, saltelli_matrix

    # y = x1 + 2 x2 (x3 unused): shares 1/5 and 4/5 for uniform inputs
    x = saltelli_matrix(3, 1024, seed=5)
    y = x[:, 0] + 2 * x[:, 1]
    mine = analyse(y, ["x1", "x2", "x3"], seed=5).set_index("assumption")
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0]] * 3}
    full = analyze.analyze(problem, y, calc_second_order=False, seed=5, print_to_console=False)
    assert mine.loc["x3"].tolist() == [0.0, 0.0, 0.0, 0.0]
    for j, name in enumerate(["x1", "x2"]):
        assert mine.loc[name, "S1"] == pytest.approx(full["S1"][j], abs=0.02)
        assert mine.loc[name, "ST"] == pytest.approx(full["ST"][j], abs=0.02)
        assert mine.loc[name, "ST"] == pytest.approx((0.2, 0.8)[j], abs=mine.loc[name, "ST_conf"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sobol_chart_draws_top_assumptions_with_labels(costing_sobol, lang):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    from jnpolicy_analysis.charts.labels import label
    from jnpolicy_analysis.charts.sensitivity import sobol_chart

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph fails
        fig = sobol_chart(costing_sobol, lang=lang, as_of="2020-06-30")
        fig.canvas.draw()
    ax = fig.axes[0]
    top = costing_sobol.outputs["class A"].head(12)["assumption"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == len(top)
    assert ticks[0].startswith(label(f"assumption.{top.iloc[0]}", lang)[:6])
    assert ax.get_xlabel() == label("axis.sobol_index", lang)
    for doc in costing_sobol.outputs:
        if doc != "class A":
            sobol_chart(costing_sobol, lang=lang, output=doc)
