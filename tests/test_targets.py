"""The targets tracker: required growth, probabilities, statuses, verdicts after the deadline and
the consistency of the plans, each against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import numpy as np
import pytest

from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.targets import (
    annual_status,
    annual_verdict,
    fund_verdict,
    meets,
    pool_verdict,
    project,
    quantile_draws,
    required_growth,
    required_per_year,
    status_of,
    sum_verdict,
    track_targets,
    year_status,
    years_to,
)
from jnpolicy_analysis.targets.projection import VERDICTS
from jnpolicy_analysis.targets.report import ASSUMED

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
        (None, "no data"),
    ],
)
def test_status_thresholds_at_their_edges(p, expected):
    assert status_of(p, False, on_track=0.7, at_risk=0.3) == expected


def test_achieved_comes_first():
    assert status_of(0.0, True, 0.7, 0.3) == "achieved"


def test_annual_status():
    assert annual_status({2020: None, 2021: None, 2022: None}) == "no data"
    assert annual_status({2020: True, 2021: None, 2022: None}) == "on track"
    assert annual_status({2020: True, 2021: False, 2022: None}) == "off track"
    assert annual_status({2020: True, 2021: True, 2022: True}) == "achieved"


# --------------------------------------------------------------------------- the shipped data


@pytest.fixture(scope="module")
def central():
    return track_targets(load_scenario("central", draws=DRAWS))


def test_every_target_of_the_catalog_is_tracked(central, catalog):
    assert {r.id for r in central.results} == {t.id for _, t in catalog.targets}
    assert len(central.targets) == len(catalog.targets)


def test_observed_target_already_met_is_achieved_with_probability_one(central):
    # 100+ application projects by about 2023 (a proxy: broader 应用项目) against 60+
    r = central.result("application_demo_projects")
    assert (r.latest.value, r.latest.kind) == (100, "proxy")
    assert r.status == "achieved"
    assert r.probability_met == 1.0
    # a proxy of another definition never gives "met" (data/targets/tracking.yaml proxies)
    assert (r.verdict, r.verdict_basis) == ("consistent (different definition)", "proxy")
    assert "broader category" in r.verdict_evidence


def test_annual_commitments_without_observations_say_so(central):
    r = central.result("annual_application_demo_projects")
    assert r.status == "no data"
    assert r.by_year == {2020: None, 2021: None, 2022: None}
    assert r.years == {
        str(y): {"observed": None, "status": "no data", "basis": None} for y in (2020, 2021, 2022)
    }
    assert r.probability_met is None
    assert (r.verdict, r.verdict_basis) == ("cannot tell", None)


def test_required_path_starts_at_the_baseline_and_ends_at_the_target(central):
    paths = central.paths[central.paths["id"] == "application_demo_projects"]
    assert paths["year"].tolist() == [2019, 2020, 2021, 2022]
    assert paths["required"].tolist() == [0, 20, 40, 60]  # 0 + 20 a year
    assert paths["observed"].tolist()[-1] == 100


def test_consistency_sums_by_hand(central):
    rows = {c.id: c for c in central.consistency_rows}
    assert set(rows) == {
        "application_demo_projects_from_annual",
        "new_tech_fusion_demo_projects_from_annual",
        "provincial_demo_industry_bases_pool",
        "funded_selections_vs_fund",
    }  # the caps × 50 platform firms and the totals with nothing to hold against are gone
    app = rows["application_demo_projects_from_annual"]
    assert (app.implied_min, app.against_min, app.verdict) == (60, 60, "consistent")  # 20 × 3
    assert "less than 60 个" in app.fails_if and "at least 20 个 a year" in app.fails_if
    bases = rows["provincial_demo_industry_bases_pool"]
    assert (bases.implied_min, bases.implied_max) == (3, 6)  # 1–2 × 3
    assert (bases.against_min, bases.against_max, bases.verdict) == (1, 2, "consistent")
    assert all(c.fails_if for c in central.consistency_rows)
    assert all(c.verdict != "cannot tell" for c in central.consistency_rows)


def test_fusion_target_depends_on_reading(central):
    """二（三）6 alone gives 10 × 3 = 30 of the 60; with 二（三）7 (10 × 3) it is 60."""
    fusion = next(
        c for c in central.consistency_rows if c.id == "new_tech_fusion_demo_projects_from_annual"
    )
    assert fusion.verdict == "depends on reading"
    by_total = {r["implied_min"]: r for r in fusion.readings}
    assert set(by_total) == {60, 30}
    assert by_total[60]["verdict"] == "consistent"
    assert by_total[30]["verdict"] == "inconsistent"
    assert "= 30+ 个 against ≥ 60 个" in by_total[30]["arithmetic"]
    assert "二（三）7" not in by_total[30]["arithmetic"]


def test_fund_check_by_hand(central):
    """Funded selections a year: 二（一）1 10 + 二（二）5 20 + 20 + 1 = 51, and 71 with 二（三）6 and 7
    (10 + 10). × 20万–300万: 1,020万–1.53亿 and 1,420万–2.13亿, both within the 20亿 fund."""
    fund = next(c for c in central.consistency_rows if c.id == "funded_selections_vs_fund")
    assert fund.verdict == "consistent"
    low, high = (r for r in sorted(fund.readings, key=lambda r: r["selections"]))
    assert low["selections"] == 51 and high["selections"] == 71
    assert (low["implied_min"], low["implied_max"]) == (51 * 200_000, 51 * 3_000_000)
    assert (high["implied_min"], high["implied_max"]) == (71 * 200_000, 71 * 3_000_000)
    assert fund.against_min == 2_000_000_000
    assert "10,000 funded selections" in fund.fails_if  # 20亿 ÷ 20万


def _headline(comparator, value, value_max=None):
    return SimpleNamespace(comparator=comparator, base_value=value, base_value_max=value_max)


def test_sum_pool_and_fund_verdicts():
    assert sum_verdict(60, None, _headline(">=", 60)) == "consistent"  # 20 × 3 = 60
    assert sum_verdict(75, None, _headline(">=", 60)) == "consistent"  # 25 × 3: more is fine
    assert sum_verdict(30, None, _headline(">=", 60)) == "inconsistent"  # 10 × 3
    assert sum_verdict(60, None, _headline(">=", 100)) == "inconsistent"  # headline 100, 20 × 3
    assert sum_verdict(60, None, _headline(">", 60)) == "inconsistent"  # not strictly more
    assert sum_verdict(3, 6, _headline("range", 1, 2)) == "consistent"  # at_least reading
    assert sum_verdict(3, 6, _headline("range", 1, 2), "within") == "inconsistent"
    assert sum_verdict(0, 0.9, _headline("range", 1, 2)) == "inconsistent"
    assert pool_verdict(3, _headline("range", 1, 2)) == "consistent"  # 3 candidates for 1–2
    assert pool_verdict(0, _headline("range", 1, 2)) == "inconsistent"
    assert fund_verdict(1e7, 1e8, 2e9) == "consistent"
    assert fund_verdict(1e7, 3e9, 2e9) == "cannot tell"
    assert fund_verdict(3e9, 4e9, 2e9) == "inconsistent"


def test_an_inconsistent_plan_is_caught(data_copy):
    """A broken plan: headline 100 application projects, 20 a year × 3 = 60."""
    path = data_copy / "targets" / "ji_zheng_zi_2020_16.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    value: 60\n    unit: 个\n    start: 2020-01-01\n    deadline: 2022-12-31\n    quote: 打造"
    assert old in text
    path.write_text(text.replace(old, old.replace("value: 60", "value: 100")), encoding="utf-8")
    report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
    row = next(
        c for c in report.consistency_rows if c.id == "application_demo_projects_from_annual"
    )
    assert row.verdict == "inconsistent"
    assert (row.implied_min, row.against_min) == (60, 100)
    assert "60+ 个 against ≥ 100 个" in row.arithmetic
    assert "inconsistent" in report.to_text()


def test_a_fund_too_small_is_caught(data_copy):
    """Fund 2亿: 71 × 300万 = 2.13亿 may exceed it, 51 × 300万 = 1.53亿 does not: depends on
    reading. Fund 1000万: even 51 × 20万 = 1,020万 exceeds it: inconsistent."""
    path = data_copy / "targets" / "tracking.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      value: 20\n      unit: 亿元" in text
    for fund, verdict in (("2", "depends on reading"), ("0.1", "inconsistent")):
        path.write_text(
            text.replace(
                "      value: 20\n      unit: 亿元", f"      value: {fund}\n      unit: 亿元"
            ),
            encoding="utf-8",
        )
        report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
        row = next(c for c in report.consistency_rows if c.id == "funded_selections_vs_fund")
        assert row.verdict == verdict, fund


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
    keys |= {"verdict", "verdict_basis"}
    for t in out["targets"]:
        assert keys <= set(t), keys - set(t)
        assert t["status"] in {"achieved", "on track", "at risk", "off track", "no data"}
        assert t["verdict"] in VERDICTS  # every deadline has passed
        assert t["verdict_basis"] in {"observed", "proxy", None}
        if t["verdict_basis"] is None:
            assert t["verdict"] == "cannot tell"
        if t["verdict_basis"] == "proxy":
            assert t["verdict"] != "met"  # a proxy never gives "met"
        if t["kind"] == "annual":
            assert set(t["years"]) == {"2020", "2021", "2022"}
            for y in t["years"].values():
                assert y["status"] in {"met", "missed", "no data"}
                assert y["observed"] is None or isinstance(y["observed"], int | float)
        else:
            assert t["years"] is None
    assert out["consistency"] and all(
        c["verdict"] in {"consistent", "inconsistent", "depends on reading", "cannot tell"}
        and c["arithmetic"]
        and c["fails_if"]
        for c in out["consistency"]
    )
    assert "P(met) >= 0.70" in out["status_rule"]


def test_scenarios_order_the_probabilities():
    low, high = (
        track_targets(load_scenario("low", draws=DRAWS)),
        track_targets(load_scenario("high", draws=DRAWS)),
    )
    for lo, hi in zip(low.results, high.results, strict=True):
        if lo.probability_met is not None:
            assert hi.probability_met >= lo.probability_met, lo.id


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = track_targets(load_scenario("central", draws=DRAWS, seed=7)).to_json()
    b = track_targets(load_scenario("central", draws=DRAWS, seed=7)).to_json()
    c = track_targets(load_scenario("central", draws=DRAWS, seed=8)).to_json()
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
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "platform_firms_turnover_over_1bn"
    )
    assert r.required_annual_growth == pytest.approx(0.357209, abs=1e-6)  # 20 → 50 in 3 years
    assert r.baseline.year == 2019 and r.latest is None and r.basis == "assumption"
    # an assumed start gives no status, only what the assumptions imply
    assert (r.status, r.probability_label) == ("no data", ASSUMED)
    assert r.probability_met is not None


def test_strictly_above_target_at_the_deadline(data_copy):
    write_observations(
        data_copy,
        "platform_annual_transactions,2022,5000,亿元,observed,,,public: a test figure\n"
        "platform_hosted_enterprises,2021,101,万家,observed,,,public: a test figure\n",
    )
    report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
    tx = report.result("platform_annual_transactions")
    # exactly 5000 at the deadline is not 超过 5000: nothing left to grow, P = 0
    assert (tx.status, tx.probability_met) == ("off track", 0.0)
    assert (tx.verdict, tx.verdict_basis) == ("not met", "observed")
    hosted = report.result("platform_hosted_enterprises")
    assert (hosted.status, hosted.probability_met) == ("achieved", 1.0)  # 101万 > 100万
    assert (hosted.verdict, hosted.verdict_basis) == ("met", "observed")


def test_threshold_edges_end_to_end(data_copy):
    """A fixed flow of 20 fusion projects a year gives exactly 60 by 2022: P(met) = 1 exactly,
    which a threshold of 1.0 counts as on track; 19.9 a year gives P = 0, at risk when the
    at-risk threshold is 0."""
    write_observations(
        data_copy,
        "new_tech_fusion_demo_projects,2019,0,个,baseline,,,public: a test baseline\n",
    )
    tracking = data_copy / "targets" / "tracking.yaml"
    text = tracking.read_text(encoding="utf-8")
    tracking.write_text(
        text.replace("on_track: 0.7", "on_track: 1.0").replace("at_risk: 0.3", "at_risk: 0.0"),
        encoding="utf-8",
    )
    write_scenario(data_copy, "exactly", "  target_flow_fusion_demo_projects: 20\n")
    write_scenario(data_copy, "barely", "  target_flow_fusion_demo_projects: 19.9\n")
    exact = track_targets(load_scenario("exactly", data_copy, draws=DRAWS)).result(
        "new_tech_fusion_demo_projects"
    )
    assert (exact.probability_met, exact.status) == (1.0, "on track")
    barely = track_targets(load_scenario("barely", data_copy, draws=DRAWS)).result(
        "new_tech_fusion_demo_projects"
    )
    assert (barely.probability_met, barely.status) == (0.0, "at risk")


def test_higher_growth_scenario_raises_the_probability(data_copy):
    write_scenario(
        data_copy, "faster", "  target_growth_platform_firms_over_1bn: {central: 30, high: 60}\n"
    )
    base = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "platform_firms_turnover_over_1bn"
    )
    fast = track_targets(load_scenario("faster", data_copy, draws=DRAWS)).result(
        "platform_firms_turnover_over_1bn"
    )
    assert fast.probability_met > base.probability_met


def test_annual_commitment_observed_year_by_year(data_copy):
    write_observations(
        data_copy,
        "annual_application_demo_projects,2020,25,个/年,observed,,,public: a test figure\n",
    )
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "annual_application_demo_projects"
    )
    assert r.by_year[2020]["met"] is True and r.by_year[2021] is None
    assert r.status == "on track"
    assert r.years["2020"] == {"observed": 25, "status": "met", "basis": "observed"}
    assert r.years["2021"]["status"] == "no data"
    assert r.verdict == "cannot tell"  # 2021 and 2022 unknown, none missed
    write_observations(
        data_copy,
        "annual_application_demo_projects,2020,15,个/年,observed,,,public: a test figure\n",
    )
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "annual_application_demo_projects"
    )
    assert r.status == "off track"
    assert r.years["2020"]["status"] == "missed"
    assert (r.verdict, r.verdict_basis) == ("not met", "observed")  # one year missed


def test_range_reading_within(data_copy):
    write_observations(
        data_copy, "cross_industry_platforms,2022,3,个,observed,,,public: a test figure\n"
    )
    assert (
        track_targets(load_scenario("central", data_copy, draws=DRAWS))
        .result("cross_industry_platforms")
        .status
        == "achieved"
    )  # at_least: 3 platforms meet "1—2"
    tracking = data_copy / "targets" / "tracking.yaml"
    text = tracking.read_text(encoding="utf-8")
    tracking.write_text(
        text.replace("range_reading: at_least", "range_reading: within"), encoding="utf-8"
    )
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "cross_industry_platforms"
    )
    assert (r.status, r.probability_met) == ("off track", 0.0)  # within: 3 is outside [1, 2]


# --------------------------------------------------------------------------- after the deadline


def test_year_status_and_annual_verdict():
    assert [year_status(m) for m in (True, False, None)] == ["met", "missed", "no data"]
    assert annual_verdict({2020: True, 2021: True, 2022: True}) == "met"
    assert annual_verdict({2020: True, 2021: None, 2022: True}) == "cannot tell"
    assert annual_verdict({2020: True, 2021: None, 2022: False}) == "not met"


def test_no_status_from_an_assumed_start(central):
    for r in central.results:
        if r.kind != "headline" or r.status == "achieved":
            continue
        start = r.latest or r.baseline
        if start is None or start.kind == "assumption":
            assert r.status == "no data", r.id
    for tid in (
        "platform_firms_turnover_over_1bn",
        "platform_hosted_enterprises",
        "platform_annual_transactions",
    ):
        r = central.result(tid)
        assert (r.status, r.probability_label, r.basis) == ("no data", ASSUMED, "assumption")
        assert 0 < r.probability_met < 1  # still shown, labelled


def test_every_headline_has_a_verdict_as_of_today(central):
    """By hand from observations.csv: 1 双跨 platform (observed) for 1—2; 58 provincial-or-above
    key platforms (proxy) for 10+; 100+ application projects (proxy) for 60+; 3 provincial
    industrial-internet parks (proxy) for 1—2; continuous 5G coverage of economic parks across
    Shandong (proxy) for 100 %; nothing public for the rest."""
    verdicts = {r.id: (r.verdict, r.verdict_basis) for r in central.results if r.kind == "headline"}
    assert verdicts == {
        "platform_firms_turnover_over_1bn": ("cannot tell", None),
        "platform_hosted_enterprises": ("cannot tell", None),
        "platform_annual_transactions": ("cannot tell", None),
        "cross_industry_platforms": ("met", "observed"),
        # proxies of another definition or date: consistent, not met
        "enterprise_level_platforms": ("consistent (different definition)", "proxy"),
        "application_demo_projects": ("consistent (different definition)", "proxy"),
        "provincial_demo_industry_bases": ("consistent (different definition)", "proxy"),
        "new_tech_fusion_demo_projects": ("cannot tell", None),
        # province-wide (经济园区 covered across Shandong, 2022): another geography
        "key_park_5g_coverage": ("cannot tell", "proxy"),
    }


def test_no_verdict_before_the_deadline():
    report = track_targets(load_scenario("central", draws=DRAWS), as_of="2022-06-30")
    assert report.as_of == "2022-06-30"
    assert all(r.verdict is None and r.verdict_basis is None for r in report.results)


def test_ex_ante_pair_by_hand():
    """application_demo_projects from 0 (the plan's start, an assumption): flow ~ triangular(15,
    25, 40) a year; 60 in 3 years needs a flow of 20 or more:
    P = 1 − (20 − 15)² / ((40 − 15)(25 − 15)) = 1 − 25/250 = 0.9; required +20 a year."""
    r = track_targets(load_scenario("central", draws=40_000)).result("application_demo_projects")
    assert r.ex_ante["probability"] == pytest.approx(0.9, abs=0.01)
    assert r.ex_ante["label"] == ASSUMED
    assert r.ex_ante["required_per_year"] == 20
    assert r.verdict == "consistent (different definition)"  # beside the outcome


def test_verdicts_never_rest_on_a_baseline_or_an_assumption(data_copy):
    write_observations(
        data_copy,
        "cross_industry_platforms,2022,1,个,baseline,,,public: a test baseline\n"
        "enterprise_level_platforms,2019,12,个,assumption,10,14,assumption: a test start\n",
    )
    report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
    assert report.result("cross_industry_platforms").verdict == "cannot tell"
    r = report.result("enterprise_level_platforms")
    assert (r.verdict, r.status) == ("cannot tell", "no data")


def test_commitments_feed_their_headline(data_copy):
    rows = "".join(
        f"annual_application_demo_projects,{y},25,个/年,observed,,,public: a test list\n"
        for y in (2020, 2021, 2022)
    )
    write_observations(data_copy, rows)
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "application_demo_projects"
    )
    assert (r.verdict, r.verdict_basis) == ("met", "observed")  # 25 × 3 = 75 ≥ 60
    assert "= 75 个" in r.verdict_evidence

    rows = rows.replace(",25,", ",15,")
    write_observations(data_copy, rows)
    report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
    assert report.result("application_demo_projects").verdict == "not met"  # 15 × 3 = 45
    assert report.result("annual_application_demo_projects").verdict == "not met"

    write_observations(data_copy, rows.splitlines(keepends=True)[0])  # 2020 only: 15 so far
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "application_demo_projects"
    )
    assert r.verdict == "cannot tell"


def test_observed_sum_outranks_a_proxy(data_copy):
    path = data_copy / "targets" / "observations.csv"
    with path.open("a", encoding="utf-8") as f:
        for y in (2020, 2021, 2022):
            f.write(f"annual_application_demo_projects,{y},15,个/年,observed,,,public: a list\n")
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "application_demo_projects"
    )
    # the proxy (100+ application projects) says met; the observed lists (15 × 3 = 45) say not
    assert (r.verdict, r.verdict_basis) == ("not met", "observed")


def test_coverage_target_without_a_digit(catalog, gazette, data_copy):
    t = catalog.target("key_park_5g_coverage")
    assert (t.clause, t.comparator, t.value, t.unit, t.base_value) == (
        "二（一）1",
        ">=",
        100,
        "%",
        1.0,
    )
    assert t.quote == "重点工业园区 5G 网络全覆盖"
    assert t.quote in gazette  # verbatim, spaces and all
    assert "全覆盖" in t.note and "100 %" in t.note  # the reading is noted
    for value, verdict in (("100", "met"), ("80", "not met")):
        write_observations(
            data_copy, f"key_park_5g_coverage,2022,{value},%,observed,,,public: a test figure\n"
        )
        r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
            "key_park_5g_coverage"
        )
        assert (r.verdict, r.verdict_basis) == (verdict, "observed")
        assert r.status == ("achieved" if verdict == "met" else "no data")


# --------------------------------------------------------------------------- what the evidence is


def test_a_target_met_before_the_plan_began_says_so(data_copy):
    """10+ enterprise-level platforms: an observed 12 at end-2019, before the plan (issued 2020),
    already meets it; the verdict says so, whatever 2022 shows."""
    write_observations(
        data_copy,
        "enterprise_level_platforms,2019,12,个,observed,,,public: a test figure\n"
        "enterprise_level_platforms,2022,15,个,observed,,,public: a test figure\n",
    )
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "enterprise_level_platforms"
    )
    assert (r.verdict, r.verdict_basis) == ("met before the plan began", "observed")
    assert "2019" in r.verdict_evidence and "before the plan began" in r.verdict_evidence


def test_a_proxy_short_of_the_target_cannot_tell(data_copy):
    """3 provincial parks of another designation against 1—2 bases meets; 0 of them does not
    fail the target (another definition): cannot tell, with the difference stated."""
    write_observations(
        data_copy, "provincial_demo_industry_bases,2022,0,个,proxy,,,public: a test figure\n"
    )
    r = track_targets(load_scenario("central", data_copy, draws=DRAWS)).result(
        "provincial_demo_industry_bases"
    )
    assert (r.verdict, r.verdict_basis) == ("cannot tell", "proxy")
    assert "another definition" in r.verdict_evidence


def test_a_proxy_reading_of_an_unknown_target_is_refused(data_copy, capsys):
    from jnpolicy_analysis.cli import main

    path = data_copy / "targets" / "tracking.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  key_park_5g_coverage:\n    differs", "  key_park_5g_cover:\n    differs"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["targets", "--data", str(data_copy), "--draws", "10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "proxies.key_park_5g_cover" in err
