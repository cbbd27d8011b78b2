"""The uncertainty rating: one weakness counted once, the register of modelling risks, the anchors
of the scale on the shipped measures, the discrete (reading) assumption, and bad risks refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.rating import LEVELS, assumption_score, rate
from jnpolicy_analysis.costing.run import run_costing
from jnpolicy_analysis.costing.sampling import draw, spec_of
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.inputs.schemas import Assumption, ModellingRisk
from jnpolicy_analysis.paths import DATA_DIR

ORDER = {level: i for i, level in enumerate(LEVELS)}


def _a(quality: str, low: float, central: float, high: float, kind: str = "data") -> Assumption:
    return Assumption(
        low=low,
        central=central,
        high=high,
        unit="count",
        source="assumption: test",
        data_quality=quality,
        kind=kind,
    )


def _risk(kind: str, severity: str, carried_by: str | None = None) -> ModellingRisk:
    return ModellingRisk(
        kind=kind, severity=severity, description="a risk for the test", carried_by=carried_by
    )


@pytest.fixture(scope="module")
def central():
    return run_costing(load_scenario("central", draws=2_000, seed=3)).costed


# --------------------------------------------------------------------------- the rule


def test_grade_and_width_are_one_weakness_not_two():
    assert assumption_score(_a("high", 10, 10, 10)) == 0
    assert assumption_score(_a("medium", 9, 10, 11)) == 1  # grade 1, width 0.2 -> 0
    assert assumption_score(_a("low", 8, 10, 13)) == 2  # grade 2, width 0.5 -> 1: the worse, 2
    assert assumption_score(_a("very_low", 2, 10, 40)) == 3  # 3 and 3: still 3, not 6
    assert assumption_score(_a("medium", 6, 10, 16)) == 2  # a medium fact, range 1.0x: width 2


def test_adding_one_modelling_risk_changes_the_rating():
    # score 2; a take-up known exactly (Low behaviour: modelled, so not the unknown floor)
    meta = {"heads": _a("low", 8, 10, 13), "take": _a("high", 1, 1, 1, kind="behaviour")}
    swings = {"heads": 50.0, "take": 0.0}
    before = rate("per_head_grant", swings, meta, 100.0)
    assert (before.data, before.modelling, before.final) == ("Medium", "Medium-Low", "Medium")
    after = rate("per_head_grant", swings, meta, 100.0, [_risk("reading", "high")])
    assert after.modelling == "Medium-High" and after.final == "Medium-High"
    assert "high reading risk: a risk for the test" in after.reason
    # a low risk is recorded but does not move the rating on its own
    assert rate("per_head_grant", swings, meta, 100.0, [_risk("timing", "low")]) == before


def test_a_risk_drawn_in_the_monte_carlo_is_counted_once():
    meta = {"heads": _a("low", 8, 10, 13), "scope": _a("low", 8, 10, 12, kind="modelling")}
    swings = {"heads": 50.0, "scope": 40.0}
    drawn = rate("per_head_grant", swings, meta, 100.0, [_risk("reading", "high", "scope")])
    plain = rate("per_head_grant", swings, meta, 100.0)
    assert drawn.modelling == plain.modelling  # carried by 'scope': not counted again
    assert "drawn in the Monte Carlo (scope)" in drawn.reason
    # the same risk carried by an assumption the costing does not read is an open risk
    other = rate("per_head_grant", swings, meta, 100.0, [_risk("reading", "high", "elsewhere")])
    assert ORDER[other.modelling] > ORDER[plain.modelling]


def test_three_serious_risks_compound_and_two_serious_parts_compound():
    meta = {"heads": _a("very_low", 2, 10, 40)}  # Data Medium-High
    risks = [_risk("reading", "medium"), _risk("timing", "medium"), _risk("horizon", "medium")]
    r = rate("per_head_grant", {"heads": 100.0}, meta, 100.0, risks)
    assert r.modelling == "Medium-High"  # medium (2) + 1 for three medium risks
    assert r.data == "Medium-High" and r.final == "High"


def test_a_kind_that_hardly_moves_the_cost_counts_less():
    meta = {"spent": _a("medium", 8, 9.5, 10, kind="behaviour")}  # score 1
    assert rate("budget_line", {"spent": 20.0}, meta, 100.0).behaviour == "Low"  # 20 %: -1
    assert rate("budget_line", {"spent": 40.0}, meta, 100.0).behaviour == "Medium-Low"


def test_a_take_up_known_from_no_data_that_scales_the_cost_is_one_step_higher():
    meta = {"take": _a("low", 8, 10, 12, kind="behaviour")}  # score 2
    assert rate("per_head_grant", {"take": 40.0}, meta, 100.0).behaviour == "Medium"
    assert rate("per_head_grant", {"take": 60.0}, meta, 100.0).behaviour == "Medium-High"


def test_the_weakest_large_driver_is_a_floor_not_averaged_away():
    # a good fact with most of the swing and a very poor one with 40 % of the cost: the mean
    # (0 x 160 + 3 x 40) / 200 = 0.6 rounds to Medium-Low; the poor large driver floors it at 3
    meta = {"good": _a("high", 10, 10, 10), "poor": _a("very_low", 2, 10, 40)}
    r = rate("budget_line", {"good": 160.0, "poor": 40.0}, meta, 100.0)
    assert r.data == "Medium-High"
    assert "floored at Medium-High by its weakest large driver, poor" in r.reason
    # below 30 % of the cost it is not a large driver: averaged, as before,
    # (0 x 160 + 3 x 20) / 180 = 0.33, Low
    r = rate("budget_line", {"good": 160.0, "poor": 20.0}, meta, 100.0)
    assert r.data == "Low"


def test_a_behaviour_not_modelled_is_unknown_and_does_not_compound():
    meta = {"heads": _a("very_low", 2, 10, 40)}  # Data Medium-High
    r = rate("per_head_grant", {"heads": 100.0}, meta, 100.0)
    assert r.behaviour == "Medium-High" and "no behavioural response is modelled" in r.reason
    assert r.final == "Medium-High"  # a floor, not a second serious part
    # under a printed fixed sum no behaviour can move the cost
    assert rate("budget_line", {"heads": 100.0}, meta, 100.0).behaviour == "Low"
    # a modelled poor behaviour does compound with poor data
    both = {**meta, "take": _a("very_low", 2, 10, 40, kind="behaviour")}
    r = rate("per_head_grant", {"heads": 100.0, "take": 100.0}, both, 100.0)
    assert ORDER[r.final] > ORDER["Medium-High"]


# --------------------------------------------------------------------------- the anchors


def test_a_printed_fixed_budget_line_is_low(central):
    row = central.loc["enterprise_cloud_fund"]
    assert row["rating_final"] == "Low", row["rating_reason"]


@pytest.mark.parametrize(
    "measure",
    ["medical_insurance_rate_cut", "sme_social_insurance_exemption"],
)
def test_rate_cuts_on_a_known_wage_bill_are_medium_high_for_the_unmodelled_behaviour(
    central, measure
):
    """Data Medium (a wage bill of low-quality inputs), Modelling Medium-Low; the firms' response
    to the cut is not modelled, so Behaviour is unknown, Medium-High, and the final with it."""
    row = central.loc[measure]
    assert (row["rating_data"], row["rating_behaviour"]) == ("Medium", "Medium-High")
    assert row["rating_final"] == "Medium-High", row["rating_reason"]


def test_a_very_low_quality_large_driver_floors_the_ui_rate_cut(central):
    """ui_rate_cut (very low quality, score 3) swings the cost by its whole size: a large driver,
    so Data is at least Medium-High however the other data assumptions average."""
    row = central.loc["unemployment_insurance_rate_cut_extension"]
    assert row["rating_data"] == "Medium-High"
    assert "weakest large driver, ui_rate_cut" in row["rating_reason"]
    assert ORDER[row["rating_final"]] >= ORDER["Medium-High"]


@pytest.mark.parametrize(
    "measure", ["new_hire_grant", "job_placement_subsidy", "poverty_workshop_subsidy"]
)
def test_take_up_driven_grants_with_no_data_are_high_or_above(central, measure):
    row = central.loc[measure]
    assert ORDER[row["rating_final"]] >= ORDER["High"], row["rating_reason"]


def test_the_ratings_spread_across_the_scale(central):
    counts = central["rating_final"].value_counts()
    assert len(counts) >= 4
    assert counts.max() <= len(central) // 2  # no level holds more than half the measures
    for part in ("Data", "Modelling", "Behaviour"):
        assert central["rating_reason"].str.contains(f"{part} ").all()


def test_every_costed_measure_has_a_risk_register_whose_carriers_it_reads(central):
    from jnpolicy_analysis.costing.bindings import make_plans
    from jnpolicy_analysis.inputs.catalog import load_catalog
    from jnpolicy_analysis.inputs.scenarios import load_scenario

    sc = load_scenario("central")
    plans = {p.measure.id: p for p in make_plans(sc) if p.costed}
    catalog = load_catalog()
    assert set(plans) == set(central.index)
    for mid, plan in plans.items():
        risks = catalog.measure(mid).modelling_risks
        assert risks, f"{mid} has no modelling_risks"
        for r in risks:
            if r.carried_by is not None:
                assert r.carried_by in plan.uses, (mid, r.carried_by)


# --------------------------------------------------------------------------- a reading as a choice


def _scope(**change) -> Assumption:
    spec = {
        "low": 0,
        "central": 1,
        "high": 1,
        "unit": "fraction",
        "distribution": "discrete",
        "kind": "modelling",
        "choices": [
            {"value": 1, "weight": 0.6, "reading": "every firm's new hires"},
            {"value": 0, "weight": 0.4, "reading": "key-supply firms only"},
        ],
        "source": "assumption: a reading of the text",
        "data_quality": "very_low",
    }
    return Assumption(**{**spec, **change})


def test_a_discrete_reading_draws_its_values_with_their_weights():
    spec = spec_of("new_hire_grant_scope", _scope(), "central")
    x = np.asarray(draw(spec, 100_000, seed=7, chunk_index=0))
    assert set(np.unique(x)) == {0.0, 1.0}  # the two readings, nothing between
    assert x.mean() == pytest.approx(0.6, abs=0.01)  # 60 % every firm
    again = np.asarray(draw(spec, 1_000, seed=7, chunk_index=0))
    assert np.array_equal(again, x[:1_000])  # the first draws of a longer run


def test_the_new_hire_grants_expected_cost_weighs_both_readings(central):
    # every firm: 12,000 hires; key-supply firms only: 8 % of them. At mode (every firm):
    # 12,000 x 1,000 元 x 65 % take-up x 1.05 induced = 819万
    row = central.loc["new_hire_grant"]
    assert row["at_mode"] == pytest.approx(8_190_000)
    # the mean of the draws: E[hires] 14,000 x (0.6 + 0.4 x E[share] 10.33 %) x 65 % x 1.0667
    # x 1,000 元 = 622万 (triangular means: (5,000+12,000+25,000)/3, (3+8+20)/3 %, (0+5+15)/3 %)
    assert row["central"] == pytest.approx(6_225_000, rel=0.05)


@pytest.mark.parametrize(
    "change,words",
    [
        (
            {
                "choices": [
                    {"value": 1, "weight": 0.6, "reading": "every firm's new hires"},
                    {"value": 0, "weight": 0.3, "reading": "key-supply firms only"},
                ]
            },
            "sum to 0.9",
        ),
        ({"central": 0}, "heaviest choice"),
        ({"distribution": "triangular"}, "only for, a discrete"),
        ({"low": 0.5}, "smallest and largest"),
    ],
)
def test_a_bad_discrete_assumption_is_refused(change, words):
    with pytest.raises(ValidationError, match=words):
        _scope(**change)


# --------------------------------------------------------------------------- bad risks


@pytest.mark.parametrize(
    "field,typo,nearest",
    [("kind", "readng", "reading"), ("severity", "hgh", "high")],
)
def test_a_typo_in_a_risk_gets_the_nearest_name(field, typo, nearest):
    fields = {"kind": "reading", "severity": "high", "description": "a risk for the test"}
    with pytest.raises(ValidationError, match=f"did you mean '{nearest}'"):
        ModellingRisk(**{**fields, field: typo})


def test_validate_refuses_a_bad_risk_kind_with_exit_2(tmp_path: Path, capsys):
    text = (DATA_DIR / "policies" / "ji_zheng_fa_2020_1.yaml").read_text(encoding="utf-8")
    assert "      - kind: reading\n" in text
    bad = text.replace("      - kind: reading\n", "      - kind: readng\n", 1)
    folder = tmp_path / "policies"
    folder.mkdir()
    path = folder / "ji_zheng_fa_2020_1.yaml"
    path.write_text(bad, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(path) in err
    assert "modelling_risks" in err and "did you mean 'reading'" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- outturn evidence


def test_an_outturn_missed_beyond_its_range_raises_the_rating():
    from jnpolicy_analysis.costing.rating import OutturnCheck, with_outturns

    miss = OutturnCheck("o1", within_range=False, ratio=0.41, jinan_own=False)
    hit = OutturnCheck("o2", within_range=True, ratio=1.2, jinan_own=False)
    assert with_outturns("High", [hit, miss])[0] == "Very high"
    assert with_outturns("Very high", [miss])[0] == "Very high"  # the top of the scale
    assert "misses o1 (costed 0.41x the outturn)" in with_outturns("High", [miss])[1]
    # within the range of a scaled figure of another geography: unchanged, with the reason
    final, why = with_outturns("Medium-High", [hit])
    assert final == "Medium-High" and "not evidence enough" in why
    # within the range of Jinan's own outturns: one step lower, not below Medium-Low
    own = OutturnCheck("jn", within_range=True, ratio=1.0, jinan_own=True)
    assert with_outturns("Medium-High", [own])[0] == "Medium"
    assert with_outturns("Medium-Low", [own])[0] == "Medium-Low"
    assert with_outturns("Medium", []) == ("Medium", "no outturn covers the measure")


def test_the_retention_refunds_are_rated_up_for_the_missed_first_round():
    """Shandong's first round of refunds (9.9亿, scaled to Jinan 0.99-1.78亿) against a costing of
    about 0.55亿 over the same weeks: below the range, so both retention measures go one step up;
    the SME exemption is within the range of China's relief scaled to Jinan: unchanged."""
    from jnpolicy_analysis.analysis import open_analysis

    a = open_analysis("central", draws=300, seed=3)
    ratings = a.ratings()
    for mid in ("job_retention_refund", "distressed_firm_retention_refund"):
        r = ratings[mid]
        assert ORDER[r["final"]] == min(ORDER[r["before"]] + 1, 5), r
        assert "shandong_2020_march_first_round" in r["outturn_reason"]
    sme = ratings["sme_social_insurance_exemption"]
    assert sme["final"] == sme["before"] == "Medium-High"
