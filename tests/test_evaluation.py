"""Ex-post evaluation: outturns held against the costing (``jnpolicy evaluate``), the calibrated
scenario, and bad outturn files."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
import yaml

from jnpolicy_analysis.analysis.evaluation import (
    calibration_moves,
    evaluate_outturns,
    load_outturns,
)
from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.run import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.paths import DATA_DIR

REFUNDS = "shandong_2020_retention_refunds"
RELIEF = "china_2020_feb_jun_relief"


@pytest.fixture(scope="module")
def low():
    return evaluate_outturns("low")


@pytest.fixture(scope="module")
def central():
    return evaluate_outturns("central")


# --------------------------------------------------------------------------- worked by hand


def test_shandong_refunds_reconciled_by_hand_in_the_low_stress_case(low):
    """The low stress case is a point, so its costing can be worked by hand from the baseline's
    low values and the gazette's tiers (济政发〔2020〕1号 clause 6)."""
    r = low.get(REFUNDS)
    # outturn: 34.7亿 refunded in Shandong in 2020 x Jinan's central share of 13.5 %
    assert r.outturn.base_amount() == pytest.approx(34.7e8)
    assert r.jinan == pytest.approx((34.7e8 * 0.10, 34.7e8 * 0.135, 34.7e8 * 0.18))
    # job-retention refund at every low value: 1.8M insured x (78,000 x 60 % / 12 = 3,900 元/月)
    # x 12 months x 85 % collected x (0.5 % employer + 0.2 % worker x 0 counted) x 70 % eligible
    # (the refund returns 2019 premiums: the 2020 shutdown months do not lower it)
    premiums = 1_800_000 * 3900 * 12 * 0.85 * 0.005 * 0.70
    assert premiums == pytest.approx(250_614_000)
    # tiers: 50 % on 97 %, 60 % on the 2 % key projects, 70 % on the 1 % energy-intensive firms
    share = 0.97 * 0.50 + 0.02 * 0.60 + 0.01 * 0.70
    refund = premiums * share * 0.50  # take-up 50 %
    # distressed firms: 2,000 staff x 6 months x 70 % of the minimum wage (1,730 + 55 % x 180)
    distressed = 2000 * 6 * 0.70 * (1730 + 0.55 * 180)
    assert r.by_measure["job_retention_refund"] == pytest.approx(refund, rel=1e-6)
    assert r.by_measure["distressed_firm_retention_refund"] == pytest.approx(distressed, rel=1e-6)
    assert refund + distressed == pytest.approx(63_154_728 + 15_363_600)
    assert r.costed == pytest.approx(63_154_728 + 15_363_600, rel=1e-6)
    assert r.ratio == pytest.approx(78_518_328 / 468_450_000, rel=1e-6)
    # even at 100 % take-up the two refunds come to 137.6M + 15.4M 元, below the 468M outturn:
    # no take-up reproduces it, and no eligible share (its cap is 100 % too)
    assert refund / 0.5 + distressed < r.jinan[1]
    assert [(i.assumption, i.value, i.method) for i in r.implied] == [
        ("retention_take_up", None, "none"),
        ("retention_eligible_share", None, "none"),
    ]


def test_relief_implied_insured_employees_by_hand_in_the_low_stress_case(low):
    """Clause 8 at every low value; the cost is proportional to insured employees, so the value
    that reproduces the outturn is solved by linearity."""
    r = low.get(RELIEF)
    wage_bill = 1_800_000 * 0.85 * 3900  # 元 a month, collected (78,000 x 60 % / 12)
    rates = 0.16 + 0.005 + 0.003  # employer pension, unemployment, work injury
    # February and March (the shutdown) at the low shutdown_base_factor, 60 % of a normal month
    sme = wage_bill * 0.50 * rates * (5 - 2 * 0.4)  # exempt February-June
    large = wage_bill * 0.50 * rates * 0.5 * (3 - 2 * 0.4)  # halved February-April
    assert r.costed == pytest.approx(sme + large, rel=1e-6)
    target = 5769e8 * 0.008
    assert r.jinan[1] == pytest.approx(target)
    insured = next(i for i in r.implied if i.assumption == "insured_employees")
    assert insured.method == "linear"
    assert insured.value == pytest.approx(1_800_000 * target / (sme + large), rel=TOL_SOLVE)
    assert insured.unit == "人"


TOL_SOLVE = 2e-3  # the solver stops within 0.1 % of the outturn


def test_costed_is_the_central_that_cost_quotes(central, central_analysis):
    """Over the whole costing horizon the evaluation's re-costing gives the same central (the
    Monte Carlo mean of the same draws) as ``jnpolicy cost``."""
    result = central_analysis.cost
    r = central.get(REFUNDS)  # 2020, which holds the whole 2020 refund round
    for mid, value in r.by_measure.items():
        assert value == pytest.approx(result.measures.loc[mid, "y2020"], rel=1e-5)


def test_a_part_month_period_counts_only_its_days(central):
    r = central.get("shandong_2020_march_first_round")
    full = central.get(REFUNDS)
    # the distressed-firm refund runs evenly over 2020: January, February and 17 of March's days
    share = (1 + 1 + 17 / 31) / 12
    got = r.by_measure["distressed_firm_retention_refund"]
    assert got == pytest.approx(
        full.by_measure["distressed_firm_retention_refund"] * share, rel=1e-3
    )


# --------------------------------------------------------------------------- calibrated


def test_under_calibrated_every_comparable_outturn_lies_inside_its_range():
    """The calibrated scenario (the joint posterior, drawn again from its marginals) costs every
    outturn the costing covers inside its Jinan-scaled range; the others are named as not
    comparable, with no ratio and no implied assumption."""
    moves = calibration_moves("calibrated")
    assert moves, "the calibrated scenario lists its moves"
    ev = evaluate_outturns("calibrated")
    for r in ev.rows:
        if r.comparable:
            assert r.within_range, (r.outturn.id, r.costed, r.jinan)
        else:
            assert r.implied == [] and r.not_covered


def test_a_move_that_differs_from_the_scenario_is_refused(data_copy, capsys):
    path = data_copy / "scenarios" / "calibrated.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["moves"][0]["to"]["central"] = data["moves"][0]["to"]["central"] * 1.1
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from jnpolicy_analysis.errors import DataError

    with pytest.raises(DataError) as exc:
        calibration_moves("calibrated", data_copy)
    assert "moves[0].to.central" in str(exc.value)


# --------------------------------------------------------------------------- command line


def test_evaluate_json_shape(capsys):
    assert main(["evaluate", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"scenario", "outturns"}
    assert out["scenario"] == "central"
    ids = {p.stem for p in (DATA_DIR / "outturns").glob("*.yaml")}
    assert {o["id"] for o in out["outturns"]} == ids
    keys = {"id", "measures", "geography", "period", "outturn", "costed", "ratio", "implied"}
    keys |= {"comparable", "not_covered"}
    for o in out["outturns"]:
        assert set(o) == keys | {"source"}
        if o["comparable"]:
            assert o["ratio"] == pytest.approx(o["costed"] / o["outturn"])
        else:
            assert o["ratio"] is None and o["implied"] == [] and o["not_covered"]
        for i in o["implied"]:
            assert set(i) == {"assumption", "value", "unit"}
            assert i["value"] is None or math.isfinite(i["value"])
    refunds = next(o for o in out["outturns"] if o["id"] == REFUNDS)
    assert refunds["outturn"] == pytest.approx(34.7e8 * 0.135)  # 元, not 亿元
    assert refunds["source"]["published"] == pytest.approx(34.7e8)
    assert refunds["geography"] == "Shandong"


def test_evaluate_text_names_every_outturn(capsys):
    assert main(["evaluate", "--scenario", "calibrated"]) == 0
    out = capsys.readouterr().out
    for p in (DATA_DIR / "outturns").glob("*.yaml"):
        assert p.stem in out
    assert "万元" in out


def _write(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _listing(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")} | set(os.listdir(Path.cwd()))


@pytest.mark.parametrize(
    ("change", "field", "expect"),
    [
        (lambda d: d.update(measure=d.pop("measures")), "measure", "did you mean 'measures'"),
        (
            lambda d: d["measures"].__setitem__(0, "job_retention_refnd"),
            "measures[0]",
            "did you mean 'job_retention_refund'",
        ),
        (
            lambda d: d["driving"].__setitem__(0, "retention_takeup"),
            "driving[0]",
            "did you mean 'retention_take_up'",
        ),
        (lambda d: d.pop("scaling"), "(top level)", "needs a scaling rule"),
        (lambda d: d.update(unit="人"), "unit", "amount of money"),
        (lambda d: d["scaling"].update(high=180), "scaling", "above 1"),
        (lambda d: d["source"].update(publsher="x"), "source.publsher", "did you mean 'publisher'"),
        (lambda d: d.update(id="other_name"), "id", "differs from the file name"),
        (
            lambda d: d["driving"].__setitem__(0, "insured_employees_x"),
            "driving[0]",
            "unknown assumption",
        ),
    ],
    ids=[
        "key-typo",
        "measure-typo",
        "assumption-typo",
        "no-scaling",
        "not-money",
        "share-above-one",
        "source-typo",
        "id",
        "unknown-assumption",
    ],
)
def test_bad_outturn_file_is_refused(data_copy, capsys, change, field, expect):
    path = data_copy / "outturns" / f"{REFUNDS}.yaml"
    _write(path, change)
    before = _listing(data_copy)
    for argv in (["validate", str(data_copy / "outturns")], ["evaluate", "--data", str(data_copy)]):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and all(line.startswith("error: ") for line in lines), err
        hit = [line for line in lines if f"{REFUNDS}.yaml: {field}: " in line]
        assert hit and expect in hit[0], err
        assert out == "" or argv[0] == "validate"
        assert "Traceback" not in err
    assert _listing(data_copy) == before


def test_a_data_folder_without_outturns_is_refused(data_copy, capsys):
    import shutil

    shutil.rmtree(data_copy / "outturns")
    assert main(["evaluate", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --data: outturns:") and "no outturns/ folder" in err


def test_every_shipped_outturn_loads_with_its_source_and_rule():
    outturns = load_outturns(DATA_DIR)
    assert len(outturns) >= 4
    for path, o in outturns:
        assert o.source.title and o.source.publisher and o.source.date
        if o.geography != "Jinan":
            assert o.scaling is not None and o.scaling.source.startswith("assumption:")
        assert o.use in ("calibrate", "cross_check"), path


# --------------------------------------------------------------------------- report pages


def test_stress_cases_are_labelled_beside_central_p5_p95_with_the_reason():
    from jnpolicy_analysis.publish import presentation

    costs = [run_costing(load_scenario(name, draws=300)) for name in ("central", "low", "high")]
    central = costs[0].totals()["cost"]
    for lang, p5, p95, note in (
        ("zh", "P5（万元）", "P95（万元）", "说明"),
        ("en", "P5 (10k yuan)", "P95 (10k yuan)", "Note"),
    ):
        table = presentation.scenario_overview(costs, lang).set_index(presentation.h("id", lang))
        assert table.loc["central", note] == ""
        assert table.loc["central", p5] == pytest.approx(central["p5"] / 1e4)
        for name, side in (("low", "P5"), ("high", "P95")):
            row = table.loc[name]
            assert math.isnan(row[p5]) and math.isnan(row[p95])  # a point: no range of its own
            assert ("压力情景" if lang == "zh" else "stress case") in row[
                presentation.h("scenario", lang)
            ].lower()
            assert side in row[note]
            edge = central["p5" if side == "P5" else "p95"] / 1e4
            assert f"{edge:,.0f}" in row[note]
    # the low and high points lie outside the central scenario's P5-P95, as the lines say
    assert costs[1].totals()["cost"]["central"] < central["p5"]
    assert costs[2].totals()["cost"]["central"] > central["p95"]


def test_a_stress_case_page_shows_no_p5_p95():
    from jnpolicy_analysis.publish import presentation

    table = presentation.measure_costs(run_costing(load_scenario("high", draws=300)), "en")
    assert table["P5 (10k yuan)"].isna().all() and table["P95 (10k yuan)"].isna().all()
    table = presentation.measure_costs(run_costing(load_scenario("central", draws=300)), "en")
    assert table["P5 (10k yuan)"].notna().all()


def test_outturn_chart_and_tables_in_both_languages(central):
    from jnpolicy_analysis.analysis import evaluation
    from jnpolicy_analysis.charts.evaluation import outturn_chart

    for lang in ("zh", "en"):
        fig = outturn_chart(central, lang, "2026-03-01")
        assert len(fig.axes[0].get_yticklabels()) == sum(r.comparable for r in central.rows)
        table = evaluation.outturn_table(central, lang)
        assert len(table) == len(central.rows)
        reasons = evaluation.reasons_table(central, lang)
        assert len(reasons) == sum(len(r.outturn.reasons) for r in central.rows)
    changed = evaluation.what_changed(central, None, "en")
    assert list(changed["assumption"]) == [m.assumption for m in calibration_moves("calibrated")]
