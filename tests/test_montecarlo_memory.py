"""Monte Carlo in memory that does not grow with the draws: exact quantiles streamed over chunks.

Expected values here are numpy's own ``np.quantile`` over every draw held at once, never the
package's streamed figures."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from jnpolicy_analysis.costing import compare, montecarlo, run_costing, sampling
from jnpolicy_analysis.costing.montecarlo import StreamQuantiles, order_keys
from jnpolicy_analysis.inputs.scenarios import load_scenario

QS = (0.05, 0.5, 0.95)


def _exact(per_draw: np.ndarray, qs=QS) -> np.ndarray:
    return np.quantile(per_draw.astype(np.float64), qs, axis=1).T


@pytest.fixture()
def streamed(monkeypatch):
    """Runs that keep no chunk (every pass evaluates the chunks again), in chunks of 1,000."""
    monkeypatch.setattr(montecarlo, "CACHE_BYTES", 0)
    monkeypatch.setattr(sampling, "CHUNK", 1000)


def test_quantiles_at_100000_draws_match_numpy_within_a_tenth_of_a_percent(monkeypatch):
    monkeypatch.setattr(montecarlo, "CACHE_BYTES", 0)  # the streamed path, 1 chunk of 2**17
    result = run_costing(load_scenario("central", draws=100_000, seed=3))
    exact = _exact(np.array(result.ledger.measures))
    got = result.costed[["p5", "p50", "p95"]].to_numpy(dtype=float)
    assert np.all(np.abs(got - exact) <= 1e-3 * np.abs(exact))
    np.testing.assert_allclose(got, exact, rtol=1e-12)  # in fact exact: the same order statistics


def test_a_run_of_many_small_chunks_has_the_quantiles_of_its_draws_held_at_once(streamed):
    result = run_costing(load_scenario("central", draws=12_000, seed=5))  # 12 chunks, none kept
    samples = result.ledger
    assert samples.n_chunks == 12 and not samples.chunks.kept
    measures = np.array(samples.measures)  # every draw at once, for the check only
    np.testing.assert_allclose(
        result.costed[["p5", "p50", "p95"]].to_numpy(dtype=float), _exact(measures), rtol=1e-12
    )
    np.testing.assert_allclose(result.costed["mean"], measures.mean(axis=1), rtol=1e-6)
    classes = np.array(samples.classes)
    total = result.totals()["cost"]
    exact_a = _exact(classes[:1])[0]
    assert [total["p5"], total["p50"], total["p95"]] == pytest.approx(exact_a, rel=1e-12)
    fan = result.fan()
    class_a = samples.by_month(samples.mask(**{"class": 0}))
    exact_fan = _exact(samples.series_whole(class_a), (0.05, 0.25, 0.5, 0.75, 0.95))
    np.testing.assert_allclose(
        fan[["p5", "p25", "p50", "p75", "p95"]].to_numpy(), exact_fan, rtol=1e-5, atol=1.0
    )


def test_streamed_and_kept_runs_give_identical_results(monkeypatch):
    monkeypatch.setattr(sampling, "CHUNK", 1000)
    kept = run_costing(load_scenario("central", draws=6_500, seed=8))  # 7 chunks, all kept
    assert len(kept.ledger.chunks.kept) == 7
    monkeypatch.setattr(montecarlo, "CACHE_BYTES", 0)
    streamed = run_costing(load_scenario("central", draws=6_500, seed=8))
    assert not streamed.ledger.chunks.kept
    for a, b in ((kept, streamed),):
        assert a.totals() == b.totals()
        np.testing.assert_array_equal(
            a.costed[["p5", "p50", "p95", "mean"]], b.costed[["p5", "p50", "p95", "mean"]]
        )
        np.testing.assert_array_equal(a.by("doc").to_numpy(), b.by("doc").to_numpy())
        np.testing.assert_array_equal(a.fan(cumulative=True), b.fan(cumulative=True))


def test_paired_difference_quantiles_match_numpy(streamed):
    c = compare(
        load_scenario("central"), load_scenario("sme_retention_refund_100"), draws=3_000, seed=2
    )
    b, v = c.baseline, c.variant
    diffs = np.array(v.ledger.measures) - np.array(b.ledger.measures)
    ids = list(b.costed.index)
    assert ids == list(v.costed.index)
    exact = _exact(diffs)
    got = c.measures.loc[ids, ["difference_p5", "difference_p50", "difference_p95"]]
    np.testing.assert_allclose(got.to_numpy(dtype=float), exact, rtol=1e-6, atol=1.0)


def test_traced_memory_does_not_grow_with_the_draws(streamed):
    def peak(draws: int) -> int:
        tracemalloc.start()
        try:
            run_costing(load_scenario("central", draws=draws, seed=1)).totals()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(8_000)
    assert large < 1.2 * small  # four times the draws, not four times the memory


@pytest.mark.parametrize("dist", ["normal", "ties", "signs"])
def test_stream_quantiles_are_numpys_on_awkward_values(dist):
    rng = np.random.default_rng(0)
    n = 30_001
    if dist == "normal":
        x = rng.normal(1e6, 3e5, (3, n))
    elif dist == "ties":  # one value repeated (a measure with no uncertainty), and few values
        x = np.vstack([np.full(n, 123.5), rng.integers(0, 4, n), rng.random(n)])
    else:  # negative, zero and positive values, as in a difference of two scenarios
        x = np.vstack([rng.normal(0, 1, n), -rng.random(n), np.r_[np.zeros(n - 5), 1, 2, -1, 3, 4]])
    x = x.astype(np.float32)
    qs = (0.0, 0.05, 0.25, 0.5, 0.95, 1.0)
    acc = StreamQuantiles(3, n, qs)
    for stage in (1, 2):
        if stage == 2:
            acc.start_pass2()
        for lo in range(0, n, 4_096):  # in chunks, in any order: counts add up
            acc.add(x[:, lo : lo + 4_096])
    np.testing.assert_allclose(acc.result(), _exact(x, qs), rtol=1e-12, atol=0)


def test_order_keys_sort_like_the_values():
    x = np.array([-np.inf, -3.5, -1e-30, -0.0, 0.0, 1e-30, 2.0, 7e20, np.inf], dtype=np.float32)
    keys = order_keys(x)
    assert np.all(np.diff(keys.astype(np.int64)) > 0)


@pytest.mark.parametrize("keep", [True, False])
def test_a_result_pickles_and_its_draws_still_stream(monkeypatch, keep):
    """A report run saves its analyses as pickles that its notebooks read back."""
    import pickle

    monkeypatch.setattr(sampling, "CHUNK", 1000)
    if not keep:
        monkeypatch.setattr(montecarlo, "CACHE_BYTES", 0)
    result = run_costing(load_scenario("central", draws=2_500, seed=9))
    again = pickle.loads(pickle.dumps(result))
    assert again.totals() == result.totals()
    np.testing.assert_array_equal(again.fan().to_numpy(), result.fan().to_numpy())
    np.testing.assert_array_equal(again.ledger.cells_whole, result.ledger.cells_whole)
