"""Every breakdown is summed from the one ledger of draws, so the parts add up to the totals at
every draw: the measures, funds, budgets and years to the class-A cost; the levels to the cost
inside the perimeter; within each level, the measures to that level. The central of a total is
the sum of its parts' centrals, and the quantiles of a part and of the total are those of the
same draws. Checked for every shipped scenario and for a synthetic document added in a copy of
data/."""

from __future__ import annotations

import numpy as np
import pytest
from test_costing_new_document import BASELINE, DOC

from jnpolicy_analysis.analysis import analyse
from jnpolicy_analysis.costing.montecarlo import CLASSES
from jnpolicy_analysis.inputs.scenarios import list_scenarios, load_scenario

DRAWS = 400


def _series(result, *keys):
    """(labels, (labels, draws) per-draw sums) of class A by ``keys``, in float64."""
    labels, w = result.weights(*keys)
    return labels, w.astype(np.float64) @ result.ledger.cells_whole.astype(np.float64)


def check_identities(result) -> None:
    L = result.ledger
    cells = L.cells_whole.astype(np.float64)
    a = L.mask(**{"class": CLASSES.index("A")}).astype(np.float64)
    total = a @ cells  # class A, every draw
    scale = max(float(np.abs(total).max()), 1.0)
    atol = 1e-9 * scale

    for key in ("measure_id", "doc", "funding_source", "budget", "year"):
        _, parts = _series(result, key)
        np.testing.assert_allclose(parts.sum(axis=0), total, rtol=0, atol=atol, err_msg=key)

    # the levels: every flow inside the perimeter has one; outside flows have none
    outside = (a * (L.attribute("level") < 0)) @ cells
    levels, by_level = _series(result, "level")
    np.testing.assert_allclose(by_level.sum(axis=0) + outside, total, rtol=0, atol=atol)

    # within each level, the measures add up to that level, draw by draw
    pairs, by_pair = _series(result, "measure_id", "level")
    for i, level in enumerate(levels):
        mine = [j for j, (_, lv) in enumerate(pairs) if lv == level]
        np.testing.assert_allclose(by_pair[mine].sum(axis=0), by_level[i], rtol=0, atol=atol)

    # budget x level adds up to each budget's part inside the perimeter
    _, by_bl = _series(result, "budget", "level")
    np.testing.assert_allclose(by_bl.sum(axis=0) + outside, total, rtol=0, atol=atol)

    # centrals: the total's is the sum of its parts' (frames and the JSON alike)
    whole = result.by()
    # (cells_whole holds float32: a stress case's one float64 draw is rounded there)
    assert whole.loc["total", "central"] == pytest.approx(total.mean(), rel=1e-7)
    for key in ("measure_id", "funding_source", "budget", "year"):
        frame = result.by(key)
        assert frame["central"].sum() == pytest.approx(whole.loc["total", "central"], rel=1e-9)
    js = result.totals()
    assert js["cost"]["central"] == pytest.approx(whole.loc["total", "central"], rel=1e-12)
    assert sum(v["central"] for v in js["by_year"].values()) == pytest.approx(
        js["cost"]["central"], rel=1e-9
    )
    costed = result.costed
    a_rows = costed[costed["fiscal_class"] == "A"]
    assert a_rows["central"].sum() == pytest.approx(js["cost"]["central"], rel=1e-9)

    # quantiles of the parts and of the total come from the same draws
    frame = result.by("level")
    for i, level in enumerate(levels):
        expect = np.quantile(by_level[i], [0.05, 0.5, 0.95])
        got = frame.loc[level, ["p5", "p50", "p95"]].to_numpy(dtype=float)
        np.testing.assert_allclose(got, expect, rtol=1e-5, atol=1e-3 * max(scale, 1.0) * 1e-6)
    np.testing.assert_allclose(
        whole.loc["total", ["p5", "p50", "p95"]].to_numpy(dtype=float),
        np.quantile(total, [0.05, 0.5, 0.95]),
        rtol=1e-5,
    )


@pytest.mark.parametrize("name", list_scenarios())
def test_parts_add_up_at_every_draw_in_every_scenario(name):
    result = analyse(load_scenario(name), draws=DRAWS, seed=11).cost
    check_identities(result)


def test_parts_add_up_at_every_draw_for_a_new_document(data_copy):
    (data_copy / "policies" / "ce_zheng_fa_2021_9.yaml").write_text(DOC, encoding="utf-8")
    (data_copy / "baseline" / "test_document.yaml").write_text(BASELINE, encoding="utf-8")
    result = analyse(load_scenario("central", data_copy), draws=DRAWS, seed=5).cost
    assert "测政发〔2021〕9号" in set(result.costed["doc"])
    check_identities(result)


def test_the_identity_check_catches_a_part_that_does_not_add_up():
    """The check is not vacuous: a ledger whose one cell is counted twice in the measures fails."""
    result = analyse(load_scenario("central"), draws=50, seed=3).cost
    labels, w = result.weights("measure_id")
    broken = w.copy()
    broken[0, np.flatnonzero(w[0])[0]] += 1.0
    original = result.weights
    result.weights = lambda *k, **kw: (
        (labels, broken) if k == ("measure_id",) else original(*k, **kw)
    )
    with pytest.raises(AssertionError):
        check_identities(result)
