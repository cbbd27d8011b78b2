"""The targets tracker: required growth, probabilities, statuses and the consistency of the plans,
each against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import numpy as np
import pytest

from jnpolicy_analysis.targets import (
    annual_status,
    meets,
    pool_verdict,
    project,
    quantile_draws,
    required_growth,
    required_per_year,
    status_of,
    sum_verdict,
    track_targets,
    years_to,
)

HEADER = "metric,year,value,unit,kind,low,high,source\n"
DRAWS = 400


def write_observations(data_dir, rows: str) -> None:
    (data_dir / "targets" / "observations.csv").write_text(HEADER + rows, encoding="utf-8")


def write_scenario(data_dir, name: str, assumptions: str) -> None:
    text = (
        f"name: {name}\ntitle_zh: 测试\ntitle_en: Test\nextends: central\n"
        f"assumptions:\n{assumptions}"
    )
    (data_dir / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- arithmetic


def test_required_growth_20_to_50_in_three_years():
    # (50 / 20)^(1/3) - 1 = 2.5^(1/3) - 1 = 1.357209 - 1
    assert required_growth(20, 50, 3) == pytest.approx(0.357209, abs=1e-6)


def test_required_growth_edges():
    assert required_growth(50, 50, 3) == 0.0
    assert required_growth(60, 50, 3) < 0  # already above: negative growth would do
    assert required_growth(0, 50, 3) is None  # compound growth from zero is undefined
    assert required_growth(20, 50, 0) is None


def test_required_per_year_from_zero():
    assert required_per_year(0, 60, 3) == 20
    assert required_per_year(0, 1, 3) == pytest.approx(1 / 3)


def test_years_from_a_year_end_to_the_deadline():
    assert years_to(dt.date(2022, 12, 31), 2019) == 3
    assert years_to(dt.date(2022, 12, 31), 2022) == 0
    # half a year short of the end of 2022 (184 of 365 days remain)
    assert years_to(dt.date(2022, 6, 30), 2019) == pytest.approx(3 - 184 / 365)


def test_project_compound_and_additive_by_hand():
    start, rate = np.array([20.0]), np.array([0.5])
    # 20 × 1.5 = 30, 20 × 1.5² = 45, 20 × 1.5³ = 67.5
    assert project(start, rate, [1, 2, 3], "compound")[0].tolist() == [30, 45, 67.5]
    # 20 + 0.5 t
    assert project(start, rate, [0, 2], "additive")[0].tolist() == [20, 21]


def test_meets_respects_the_comparator():
    assert meets(60, ">=", 60)
    assert not meets(59.99, ">=", 60)
    assert not meets(5000, ">", 5000)  # 超过: strictly above
    assert meets(5000.01, ">", 5000)
    assert meets(1, "range", 1, 2, "at_least")
    assert meets(3, "range", 1, 2, "at_least")
    assert not meets(3, "range", 1, 2, "within")
    assert meets(2, "range", 1, 2, "within")
    assert not meets(0.9, "range", 1, 2, "within")


def test_triangular_quantiles_give_the_hand_probability():
    u = (np.arange(100_000) + 0.5) / 100_000  # an even grid: the exact quantiles
    # flow ~ triangular(0, 0.5, 1); one platform in 3 years needs flow >= 1/3:
    # P = 1 - (1/3)² / (1 × 0.5) = 1 - 2/9 = 7/9
    flow = quantile_draws(u, 0, 0.5, 1)
    assert np.mean(meets(3 * flow, "range", 1, 2)) == pytest.approx(7 / 9, abs=1e-4)
    # flow ~ triangular(10, 20, 35); 60 in 3 years needs flow >= 20:
    # P = (35 - 20)² / ((35 - 10) × (35 - 20)) = 225 / 375 = 0.6
    flow = quantile_draws(u, 10, 20, 35)
    assert np.mean(meets(3 * flow, ">=", 60)) == pytest.approx(0.6, abs=1e-4)


def test_higher_growth_never_lowers_the_probability():
    """Property: with the same uniforms, raising the growth assumption cannot lower P(met)."""
    rng = np.random.default_rng(1)
    u_start, u_rate = rng.random(2000), rng.random(2000)
    start = quantile_draws(u_start, 10, 20, 35)
    probabilities = []
    for central in np.linspace(0.0, 0.4, 17):
        rate = quantile_draws(u_rate, 0.0, central, 0.4)
        probabilities.append(np.mean(meets(project(start, rate, 3, "compound")[:, -1], ">=", 50)))
    assert all(b >= a for a, b in zip(probabilities, probabilities[1:], strict=False))
    assert probabilities[-1] > probabilities[0]


# --------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    "p,expected",
    [
        (1.0, "on track"),
        (0.7, "on track"),  # exactly at on_track
        (0.6999, "at risk"),
        (0.3, "at risk"),  # exactly at at_risk
        (0.2999, "off track"),
        (0.0, "off track"),
        (None, "no observation"),
    ],
)
def test_status_thresholds_at_their_edges(p, expected):
    assert status_of(p, False, on_track=0.7, at_risk=0.3) == expected


def test_achieved_comes_first():
    assert status_of(0.0, True, 0.7, 0.3) == "achieved"


def test_annual_status():
    assert annual_status({2020: None, 2021: None, 2022: None}) == "no observation"
    assert annual_status({2020: True, 2021: None, 2022: None}) == "on track"
    assert annual_status({2020: True, 2021: False, 2022: None}) == "off track"
    assert annual_status({2020: True, 2021: True, 2022: True}) == "achieved"


# --------------------------------------------------------------------------- the shipped data


@pytest.fixture(scope="module")
def central():
    return track_targets("central", draws=DRAWS)


def test_every_target_of_the_catalog_is_tracked(central, catalog):
    assert {r.id for r in central.results} == {t.id for _, t in catalog.targets}
    assert len(central.targets) == len(catalog.targets)


def test_observed_target_already_met_is_achieved_with_probability_one(central):
    # 100+ application projects by end-2022 against 60+
    r = central.result("application_demo_projects")
    assert r.latest.value == 100
    assert r.status == "achieved"
    assert r.probability_met == 1.0


def test_annual_commitments_without_observations_say_so(central):
    r = central.result("annual_application_demo_projects")
    assert r.status == "no observation"
    assert r.by_year == {2020: None, 2021: None, 2022: None}
    assert r.probability_met is None


def test_required_path_starts_at_the_baseline_and_ends_at_the_target(central):
    paths = central.paths[central.paths["id"] == "application_demo_projects"]
    assert paths["year"].tolist() == [2019, 2020, 2021, 2022]
    assert paths["required"].tolist() == [0, 20, 40, 60]  # 0 + 20 a year
    assert paths["observed"].tolist()[-1] == 100


def test_consistency_sums_by_hand(central):
    rows = {c.id: c for c in central.consistency_rows}
    app = rows["application_demo_projects_from_annual"]
    assert (app.implied_min, app.against_min, app.verdict) == (60, 60, "consistent")  # 20 × 3
    fusion = rows["new_tech_fusion_demo_projects_from_annual"]
    assert (fusion.implied_min, fusion.against_min, fusion.verdict) == (
        60,  # (10 + 10) × 3
        60,
        "consistent",
    )
    bases = rows["provincial_demo_industry_bases_pool"]
    assert (bases.implied_min, bases.implied_max) == (3, 6)  # 1–2 × 3
    assert (bases.against_min, bases.against_max, bases.verdict) == (1, 2, "consistent")
    assert rows["annual_intranet_upgrade_benchmarks_total"].implied_min == 30  # 10 × 3
    assert rows["annual_municipal_platforms_total"].implied_min == 9  # 3 × 3
    cloud = rows["enterprise_cloud_fund_per_cloud_firm"]
    assert cloud.implied_min == 60_000_000  # 2000万 × 3 = 6000万元
    assert "= 1,000 元 each" in cloud.arithmetic  # 6000万 ÷ 60,000 firms
    assert cloud.verdict == "cannot tell"
    assert rows["first_version_software_exposure"].implied_min == 50_000_000  # 50 × 100万
    assert rows["angel_investment_reward_exposure"].implied_min == 50_000_000  # 50 × 100万
    assert rows["postdoc_station_exposure"].implied_min == 25_000_000  # 50 × 50万


def _headline(comparator, value, value_max=None):
    return SimpleNamespace(comparator=comparator, base_value=value, base_value_max=value_max)


def test_sum_and_pool_verdicts():
    assert sum_verdict(60, None, _headline(">=", 60)) == "consistent"  # 20 × 3 = 60
    assert sum_verdict(75, None, _headline(">=", 60)) == "exceeds"  # 25 × 3
    assert sum_verdict(30, None, _headline(">=", 60)) == "short"  # 10 × 3
    assert sum_verdict(60, None, _headline(">", 60)) == "short"  # not strictly more
    assert sum_verdict(3, 6, _headline("range", 1, 2)) == "exceeds"  # 1–2 × 3 added up
    assert sum_verdict(1, 2, _headline("range", 1, 2)) == "consistent"
    assert sum_verdict(0, 0.9, _headline("range", 1, 2)) == "short"
    assert pool_verdict(3, _headline("range", 1, 2)) == "consistent"  # 3 candidates for 1–2
    assert pool_verdict(0, _headline("range", 1, 2)) == "short"


def test_json_contract(central):
    out = json.loads(json.dumps(central.to_json(), ensure_ascii=False))
    keys = {
        "id",
        "doc",
        "clause",
        "target_value",
        "unit",
        "deadline",
        "baseline",
        "latest",
        "required_annual_growth",
        "probability_met",
        "status",
    }
    for t in out["targets"]:
        assert keys <= set(t), keys - set(t)
        assert t["status"] in {"achieved", "on track", "at risk", "off track", "no observation"}
    assert out["consistency"] and all(
        "verdict" in c and "arithmetic" in c for c in out["consistency"]
    )
    assert "P(met) >= 0.70" in out["status_rule"]


def test_scenarios_order_the_probabilities():
    low, high = track_targets("low", draws=DRAWS), track_targets("high", draws=DRAWS)
    for lo, hi in zip(low.results, high.results, strict=True):
        if lo.probability_met is not None:
            assert hi.probability_met >= lo.probability_met, lo.id


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = track_targets("central", draws=DRAWS, seed=7).to_json()
    b = track_targets("central", draws=DRAWS, seed=7).to_json()
    c = track_targets("central", draws=DRAWS, seed=8).to_json()
    assert a == b
    assert [t["probability_met"] for t in a["targets"]] != [
        t["probability_met"] for t in c["targets"]
    ]


# --------------------------------------------------------------------------- controlled inputs


def test_hand_growth_through_the_report(data_copy):
    write_observations(
        data_copy,
        "platform_firms_turnover_over_1bn,2019,20,家,assumption,20,20,assumption: a test baseline\n",
    )
    r = track_targets(data_dir=data_copy, draws=DRAWS).result("platform_firms_turnover_over_1bn")
    assert r.required_annual_growth == pytest.approx(0.357209, abs=1e-6)  # 20 → 50 in 3 years
    assert r.baseline.year == 2019 and r.latest is None and r.basis == "assumption"


def test_strictly_above_target_at_the_deadline(data_copy):
    write_observations(
        data_copy,
        "platform_annual_transactions,2022,5000,亿元,observed,,,public: a test figure\n"
        "platform_hosted_enterprises,2021,101,万家,observed,,,public: a test figure\n",
    )
    report = track_targets(data_dir=data_copy, draws=DRAWS)
    tx = report.result("platform_annual_transactions")
    # exactly 5000 at the deadline is not 超过 5000: nothing left to grow, P = 0
    assert (tx.status, tx.probability_met) == ("off track", 0.0)
    hosted = report.result("platform_hosted_enterprises")
    assert (hosted.status, hosted.probability_met) == ("achieved", 1.0)  # 101万 > 100万


def test_threshold_edges_end_to_end(data_copy):
    """A fixed flow of 20 fusion projects a year gives exactly 60 by 2022: P(met) = 1 exactly,
    which a threshold of 1.0 counts as on track; 19.9 a year gives P = 0, at risk when the
    at-risk threshold is 0."""
    write_observations(
        data_copy,
        "new_tech_fusion_demo_projects,2019,0,个,assumption,0,0,assumption: counted from 2020\n",
    )
    tracking = data_copy / "targets" / "tracking.yaml"
    text = tracking.read_text(encoding="utf-8")
    tracking.write_text(
        text.replace("on_track: 0.7", "on_track: 1.0").replace("at_risk: 0.3", "at_risk: 0.0"),
        encoding="utf-8",
    )
    write_scenario(data_copy, "exactly", "  target_flow_fusion_demo_projects: 20\n")
    write_scenario(data_copy, "barely", "  target_flow_fusion_demo_projects: 19.9\n")
    exact = track_targets("exactly", data_copy, draws=DRAWS).result("new_tech_fusion_demo_projects")
    assert (exact.probability_met, exact.status) == (1.0, "on track")
    barely = track_targets("barely", data_copy, draws=DRAWS).result("new_tech_fusion_demo_projects")
    assert (barely.probability_met, barely.status) == (0.0, "at risk")


def test_higher_growth_scenario_raises_the_probability(data_copy):
    write_scenario(
        data_copy, "faster", "  target_growth_platform_firms_over_1bn: {central: 30, high: 60}\n"
    )
    base = track_targets("central", data_copy, draws=DRAWS).result(
        "platform_firms_turnover_over_1bn"
    )
    fast = track_targets("faster", data_copy, draws=DRAWS).result(
        "platform_firms_turnover_over_1bn"
    )
    assert fast.probability_met > base.probability_met


def test_annual_commitment_observed_year_by_year(data_copy):
    write_observations(
        data_copy,
        "annual_application_demo_projects,2020,25,个/年,observed,,,public: a test figure\n",
    )
    r = track_targets(data_dir=data_copy, draws=DRAWS).result("annual_application_demo_projects")
    assert r.by_year[2020]["met"] is True and r.by_year[2021] is None
    assert r.status == "on track"
    write_observations(
        data_copy,
        "annual_application_demo_projects,2020,15,个/年,observed,,,public: a test figure\n",
    )
    r = track_targets(data_dir=data_copy, draws=DRAWS).result("annual_application_demo_projects")
    assert r.status == "off track"


def test_range_reading_within(data_copy):
    write_observations(
        data_copy, "cross_industry_platforms,2022,3,个,observed,,,public: a test figure\n"
    )
    assert (
        track_targets(data_dir=data_copy, draws=DRAWS).result("cross_industry_platforms").status
        == "achieved"
    )  # at_least: 3 platforms meet "1—2"
    tracking = data_copy / "targets" / "tracking.yaml"
    text = tracking.read_text(encoding="utf-8")
    tracking.write_text(
        text.replace("range_reading: at_least", "range_reading: within"), encoding="utf-8"
    )
    r = track_targets(data_dir=data_copy, draws=DRAWS).result("cross_industry_platforms")
    assert (r.status, r.probability_met) == ("off track", 0.0)  # within: 3 is outside [1, 2]
