"""The costing of the shipped data: measures against hand calculations from the printed numbers and
the central assumptions, the structure of the results, determinism, coverage and ratings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from jnpolicy_analysis.costing import run_costing, sensitivity
from jnpolicy_analysis.costing.rating import LEVELS
from jnpolicy_analysis.costing.sampling import CHUNK
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.paths import DATA_DIR

DRAWS = 2000
# central inputs, by hand from data/baseline: contribution base 90,501 / 12 x 75 %, collected 93 %
WAGE_BILL = 2_300_000 * 84_500 / 12 * 0.75 * 0.93  # 元 a month, enterprise insured (Jinan proxy)
SHUTDOWN = 0.8  # February and March 2020 at 80 % of a normal month's base
MIN_WAGE = 1_730 + 0.65 * (1_910 - 1_730)  # 1,847 元 a month: class 1 in 65 % of cases


@pytest.fixture(scope="module")
def central():
    return run_costing(load_scenario("central", draws=DRAWS, seed=5))


def final(result, measure_id: str) -> float:
    return float(result.measures.loc[measure_id, "at_mode"])  # hand calculations cost at the mode


# --------------------------------------------------------------------------- hand calculations


@pytest.mark.parametrize(
    "measure_id,expected",
    [
        # clause 8: SMEs (65 %) exempt from 16 % + 0.7 % + 0.5 % for February to June (5 months,
        # February and March at 80 %: 3 + 2 x 0.8 = 4.6 months' base)
        (
            "sme_social_insurance_exemption",
            WAGE_BILL * 0.65 * (0.16 + 0.007 + 0.005) * (3 + 2 * SHUTDOWN),
        ),
        # clause 8: large firms (35 %) pay half, February to April (1 + 2 x 0.8 months' base)
        (
            "large_firm_social_insurance_halving",
            WAGE_BILL * 0.35 * 0.172 * 0.5 * (1 + 2 * SHUTDOWN),
        ),
        # clause 7: 1 个百分点 off the employer medical rate, March to December, 1.15 x the wage bill
        # (March at 80 %: 9 + 0.8 months' base)
        ("medical_insurance_rate_cut", WAGE_BILL * 1.15 * 0.01 * (9 + SHUTDOWN)),
        # clause 7: 0.5 pp for May 2020 - April 2021, the return to the higher rate, in clause 8's
        # months too (clause 8 exempts the rate in force: costing/hooks.py)
        ("unemployment_insurance_rate_cut_extension", WAGE_BILL * 0.005 * 12),
        # clause 7: a 35 % cut of the undiscounted work-injury rate: 0.5 % x 0.35 / 0.65 a month
        (
            "work_injury_insurance_rate_cut_extension",
            WAGE_BILL * 0.005 * 0.35 / 0.65 * 12,
        ),
        # clause 6: last year's premiums (1.0 % of 12 months' wage bill) x 85 % eligible x the tiers
        # (91 % at 50 %, 5 % at 60 %, 4 % at 70 %) x 75 % take-up
        (
            "job_retention_refund",
            WAGE_BILL * 12 * 0.010 * 0.85 * (0.91 * 0.5 + 0.05 * 0.6 + 0.04 * 0.7) * 0.75,
        ),
        # clause 6: 6 months of the December 2019 benefit (80 % of 1,847) for 10,000 insured staff
        ("distressed_firm_retention_refund", 6 * 0.8 * MIN_WAGE * 10_000),
        # clause 24: 25,000 recipients x 1,847 x (90 % - 80 %) for February 2020 - December 2022
        ("unemployment_benefit_increase", 25_000 * MIN_WAGE * 0.1 * 35),
        # clause 2: 12,000 hires x 1,000 元 x 65 % take-up x 1.05 (5 % induced hires)
        ("new_hire_grant", 12_000 * 1_000 * 0.65 * 1.05),
        # clause 2: 8,000 placements x 300 元 x 50 %
        ("job_placement_subsidy", 8_000 * 300 * 0.5),
        # clause 9: 10,000 small firms x 4,000 元 a year, 2020-2022
        ("disability_levy_relief", 10_000 * 4_000 * 3),
        # clause 9 (class D): 80,000 employees x 84,500 / 12 x 16 % x 5 months deferred
        ("housing_fund_relief", 80_000 * 84_500 / 12 * 0.16 * 5),
        # clause 12: 1,500 workers x 1,000 元 x 3 months x 80 %
        ("poverty_workshop_subsidy", 1_500 * 1_000 * 3 * 0.8),
        # clause 12: 1,000 people x 2,200 元 x 12 months x 70 %; 3,000 x 600 x 12 x 70 %
        ("public_welfare_job_extension", 1_000 * 2_200 * 12 * 0.7),
        ("flexible_employment_si_subsidy_extension", 3_000 * 600 * 12 * 0.7),
        # clause 10: 3,000 graduates x 350 元 x 2.5 months
        ("graduate_si_subsidy_extension", 3_000 * 350 * 2.5),
        # clause 10: 6,000 interns a year x 6 months / 12 on placement x 1,847 x (60 % - 50 %), for
        # 2020-03-02 .. 2022-12-31 (30/31 + 33 months)
        ("graduate_internship_subsidy", 6_000 * 6 / 12 * MIN_WAGE * 0.1 * (30 / 31 + 33)),
        # clause 14: 40,000 trainees x 1,000 元 x 20 %; 20,000 x 40 hours x 5 元
        ("online_training_platform_subsidy", 40_000 * 1_000 * 0.2),
        ("training_living_allowance", 20_000 * 40 * 5),
        # 三（二）: 2000万 a year for 3 years, 95 % spent
        ("enterprise_cloud_fund", 2_000e4 * 3 * 0.95),
    ],
)
def test_measure_central_cost_by_hand(central, measure_id, expected):
    assert final(central, measure_id) == pytest.approx(expected, rel=1e-9)


def test_guarantee_is_contingent_and_apart(central):
    # clause 18 (class C): 3亿 a year x (30/31 + 33) / 12 years x 3 % expected default
    years = (30 / 31 + 33) / 12
    row = central.measures.loc["startup_guaranteed_loan"]
    assert row["fiscal_class"] == "C"
    assert row["at_mode"] == pytest.approx(3e8 * years * 0.03)
    assert row["exposure"] == pytest.approx(3e8 * years)
    totals = central.totals()
    assert totals["by_fiscal_class"]["C"]["central"] == pytest.approx(row["central"])
    spending = central.costed[central.costed["fiscal_class"] == "A"]["central"].sum()
    assert totals["cost"]["central"] == pytest.approx(spending)


def test_key_supply_subsidy_uses_the_printed_window(central):
    # the data's window 2020-01-24..02-09 is 17 days; 75 % of it worked = 12.75 days
    # 60 firms x 2,550 元 per worker x E[min(W, 196.08)] (97.6, see the instrument test) x 90 %
    assert final(central, "key_supply_hiring_subsidy") == pytest.approx(
        60 * 200 * 12.75 * 97.6 * 0.9, rel=0.002
    )


def test_static_behaviour_final_add_up(central):
    c = central.costed
    np.testing.assert_allclose(
        c["static"] + c["take_up_effect"] + c["response_effect"], c["at_mode"], rtol=1e-12
    )
    # deadweight: hires that would have happened anyway, central / 1.05 for the new-hire grant
    assert c.loc["new_hire_grant", "deadweight"] == pytest.approx(
        c.loc["new_hire_grant", "central"] / 1.05
    )


def test_monthly_flows_sum_to_totals(central):
    c = central.costed
    for column in ("central", "at_mode"):
        by_measure = central.monthly.groupby("measure_id")[column].sum()
        np.testing.assert_allclose(by_measure.reindex(c.index), c[column], rtol=1e-6)
    years = c[["y2020", "y2021", "y2022"]].sum(axis=1)
    np.testing.assert_allclose(years, c["central"], rtol=1e-6)
    by_fund = central.by("funding_source")["central"].sum()
    assert by_fund == pytest.approx(c[c["fiscal_class"] == "A"]["central"].sum())


def test_every_monthly_flow_falls_in_its_window(central):
    m = central.monthly
    sme = m[(m["measure_id"] == "sme_social_insurance_exemption") & (m["at_mode"] != 0)]
    assert set(sme["month"].astype(str)) == {"2020-02", "2020-03", "2020-04", "2020-05", "2020-06"}
    cuts = m[(m["measure_id"] == "medical_insurance_rate_cut") & (m["at_mode"] != 0)]
    assert cuts["month"].min().strftime("%Y-%m") == "2020-03"
    assert cuts["month"].max().strftime("%Y-%m") == "2020-12"


def test_exemption_split_by_fund(central):
    m = central.monthly[central.monthly["measure_id"] == "sme_social_insurance_exemption"]
    shares = m.groupby("funding_source")["at_mode"].sum() / m["at_mode"].sum()
    assert shares["企业职工基本养老保险基金"] == pytest.approx(0.16 / 0.172)
    assert shares["失业保险基金"] == pytest.approx(0.007 / 0.172)
    assert shares["工伤保险基金"] == pytest.approx(0.005 / 0.172)


def test_quantiles_are_ordered(central):
    c = central.costed
    assert (c["p5"] <= c["p50"]).all() and (c["p50"] <= c["p95"]).all()
    assert (c["p5"] < c["p95"]).all()  # every costed measure has an uncertain input


def test_fan_is_ordered_and_sums(central):
    fan = central.fan()
    assert len(fan) == 36
    assert (fan["p5"] <= fan["p50"]).all() and (fan["p50"] <= fan["p95"]).all()
    assert fan["central"].sum() == pytest.approx(central.totals()["cost"]["central"])
    cumulative = central.fan(cumulative=True)
    assert cumulative["central"].iloc[-1] == pytest.approx(fan["central"].sum())


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_results_other_seed_other_draws():
    a = run_costing(load_scenario("central", draws=700, seed=11))
    b = run_costing(load_scenario("central", draws=700, seed=11))
    c = run_costing(load_scenario("central", draws=700, seed=12))
    np.testing.assert_array_equal(a.ledger.cells_whole, b.ledger.cells_whole)
    pd.testing.assert_frame_equal(a.measures, b.measures)
    assert not np.array_equal(a.ledger.cells_whole, c.ledger.cells_whole)
    # the all-at-mode cost does not depend on the draws
    np.testing.assert_allclose(a.measures["at_mode"].dropna(), c.measures["at_mode"].dropna())


def test_results_do_not_depend_on_threads_and_runs_extend_each_other():
    draws = CHUNK + 300  # two chunks
    one = run_costing(load_scenario("central", draws=draws, seed=4), threads=1)
    two = run_costing(load_scenario("central", draws=draws, seed=4), threads=2)
    np.testing.assert_array_equal(one.ledger.cells_whole, two.ledger.cells_whole)
    # a longer run starts with the shorter run's draws, in every chunk
    longer = run_costing(load_scenario("central", draws=draws + 500, seed=4))
    np.testing.assert_array_equal(one.ledger.cells_whole, longer.ledger.cells_whole[:, :draws])
    shorter = run_costing(load_scenario("central", draws=300, seed=4))
    np.testing.assert_array_equal(shorter.ledger.cells_whole, one.ledger.cells_whole[:, :300])


# --------------------------------------------------------------------------- coverage


def test_every_measure_is_costed_or_listed_with_a_reason(central):
    docs = {"济政发〔2020〕1号", "济政办发〔2020〕2号", "济政字〔2020〕16号"}
    m = central.measures[central.measures["doc"].isin(docs)]
    assert len(m) > 0
    for mid, row in m.iterrows():
        assert row["costed"] or (isinstance(row["reason"], str) and len(row["reason"]) > 10), mid
        if row["instrument"] != "unpriced":
            assert row["costed"], f"{mid}: priced instrument without a costing"
    assert set(central.not_costed.index) >= set(m.index[~m["costed"]])


def test_every_clause_of_the_employment_document_is_accounted_for(catalog):
    doc = "济政发〔2020〕1号"
    in_catalog = {str(m.clause) for d, m in catalog.measures if d == doc}
    provisions = catalog.documents[doc].not_costed
    listed = {p.clause for p in provisions}
    assert {str(i) for i in range(1, 27)} <= in_catalog | listed
    assert len({p.id for p in provisions}) == len(provisions)


# --------------------------------------------------------------------------- behaviour


def test_zero_take_up_costs_nothing(data_copy):
    take_up = [
        "key_supply_take_up",
        "new_hire_take_up",
        "job_placement_take_up",
        "retention_take_up",
        "extension_use_share",
        "poverty_workshop_take_up",
        "rent_relief_take_up",
        "budget_execution_rate",
    ]
    scenario = {
        "name": "nobody_claims",
        "title_zh": "无人申领",
        "title_en": "Nobody claims",
        "extends": "central",
        "assumptions": {name: 0 for name in take_up},
    }
    (data_copy / "scenarios" / "nobody_claims.yaml").write_text(
        yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8"
    )
    result = run_costing(load_scenario("nobody_claims", data_copy, draws=300))
    affected = [
        mid
        for mid, r in result.costed.iterrows()
        if set(take_up) & set(r["assumptions"].split(", "))
    ]
    assert len(affected) >= 10
    for mid in affected:
        row = result.measures.loc[mid]
        assert row["at_mode"] == 0 and row["central"] == 0 and row["p95"] == 0, mid
        assert row["static"] > 0 and row["take_up_effect"] == -row["static"], mid


def test_cost_rises_with_every_count(central):
    """One at a time, raising any count (people, firms, stations) never lowers a measure's cost."""
    for mid in central.costed.index:
        table = central.sensitivity(mid)
        counts = table[table["unit"].isin(["人", "家", "个", "项/年", "个/年", "人/年"])]
        assert (counts["cost_high"] >= counts["cost_low"]).all(), mid


def test_sensitivity_for_the_tornado():
    table = sensitivity(load_scenario("central"))
    assert list(table.columns[:6]) == ["assumption", "kind", "unit", "low", "point", "high"]
    assert (table["swing"].diff().dropna() <= 0).all()  # largest first
    top = set(table["assumption"].head(3))
    assert top & {"insured_employees", "contribution_base_ratio"}


# --------------------------------------------------------------------------- ratings


# the rule itself: tests/test_rating.py


def test_every_costed_measure_is_rated(central):
    for col in ("rating_data", "rating_modelling", "rating_behaviour", "rating_final"):
        assert central.costed[col].isin(LEVELS).all()
    assert central.costed["rating_reason"].str.len().min() > 10
    order = {level: i for i, level in enumerate(LEVELS)}
    for _, r in central.costed.iterrows():
        parts = [order[r[c]] for c in ("rating_data", "rating_modelling", "rating_behaviour")]
        assert order[r["rating_final"]] >= max(parts)


# --------------------------------------------------------------------------- JSON contract


def test_json_contract(central):
    out = central.to_json()
    assert out["scenario"] == "central" and out["unit"] == "yuan"
    assert out["draws"] == DRAWS and out["seed"] == 5
    ids = {m["id"] for m in out["measures"]}
    assert ids == set(central.costed.index)
    for m in out["measures"]:
        assert {
            "id",
            "doc",
            "clause",
            "fiscal_class",
            "funding_source",
            "cost",
            "by_year",
            "uncertainty_rating",
        } <= set(m)
        assert set(m["cost"]) == {"central", "p5", "p50", "p95"}
        assert set(m["by_year"]) == {"2020", "2021", "2022"}
        assert {"data", "modelling", "behaviour", "final"} <= set(m["uncertainty_rating"])
        assert re.match(r"^济政(办)?(发|字)〔2020〕\d+号$", m["doc"])
    totals = out["totals"]
    assert {"cost", "by_fiscal_class", "by_funding_source", "by_year"} <= set(totals)
    assert set(totals["by_fiscal_class"]) == {"A", "C", "D"}
    assert totals["cost"] == totals["by_fiscal_class"]["A"]
    assert sum(v["central"] for v in totals["by_year"].values()) == pytest.approx(
        totals["cost"]["central"]
    )
    assert sum(v["central"] for v in totals["by_funding_source"].values()) == pytest.approx(
        totals["cost"]["central"]
    )
    assert {n["id"] for n in out["not_costed"]} >= {"graduate_social_insurance_subsidy"}


def test_baseline_files_cite_their_sources():
    for path in (DATA_DIR / "baseline").glob("*.yaml"):
        if path.name == "targets_growth.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, a in data.get("assumptions", {}).items():
            src = a["source"]
            assert src.startswith(("public:", "assumption:", "derived:")), name
            assert len(src) > 40, f"{name}: give the figure and citation, or a line of reasoning"


def test_summaries_are_made_when_first_read_and_before_a_result_is_pickled():
    import pickle

    from jnpolicy_analysis.costing import run_costing

    r = run_costing(load_scenario("central", draws=200))
    assert set(r._pending) == {"financing", "funds", "horizon", "transfers"}
    assert r.totals()["cost"]["central"] > 0 and len(r._pending) == 4  # totals need none
    first = r.financing
    assert "financing" not in r._pending and r.financing is first  # made once
    copy = pickle.loads(pickle.dumps(r))
    assert copy._pending == {} and r._pending == {}
    assert copy.funds == r.funds and copy.horizon == r.horizon
    assert copy.financing["totals"] == first["totals"]
