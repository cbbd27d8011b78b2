"""Scenarios: the shipped variants differ as they should; bad scenarios exit 2 with a clear
message naming the file and the field, and suggest the nearest valid name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import compare, run_costing
from jnpolicy_analysis.inputs.scenarios import list_scenarios, load_scenario

HEADER = "title_zh: 测试\ntitle_en: Test\n"


def _scenario(data: Path, name: str, body: str) -> Path:
    path = data / "scenarios" / f"{name}.yaml"
    path.write_text(f"name: {name}\n{HEADER}{body}", encoding="utf-8")
    return path


def _listing(root: Path) -> set[Path]:
    return set(root.rglob("*"))


BAD = [
    (
        "unknown parameter",
        "extends: central\nparameters:\n  key_supply_hiring_subsidy.rat: 250\n",
        "parameters.key_supply_hiring_subsidy.rat",
        "did you mean 'key_supply_hiring_subsidy.rate'",
    ),
    (
        "unknown assumption",
        "extends: central\nassumptions:\n  insured_employes: 2000000\n",
        "assumptions.insured_employes",
        "did you mean 'insured_employees'",
    ),
    (
        "unknown lever",
        "extends: central\nparameters:\n  job_retention_refund.sme_refund_shar: 100\n",
        "parameters.job_retention_refund.sme_refund_shar",
        "did you mean 'job_retention_refund.sme_refund_share'",
    ),
    (
        "unknown measure in periods",
        "extends: central\nperiods:\n  sme_social_insurance_exemptio: {end: 2020-12-31}\n",
        "periods.sme_social_insurance_exemptio",
        "did you mean 'sme_social_insurance_exemption'",
    ),
    (
        "parameter of the wrong type",
        "extends: central\nparameters:\n  key_supply_hiring_subsidy.rate: '250'\n",
        "parameters.key_supply_hiring_subsidy.rate",
        "expected a number",
    ),
    (
        "assumption of the wrong type",
        "extends: central\nassumptions:\n  insured_employees: {central: lots}\n",
        "assumptions.insured_employees",
        "expected a number",
    ),
    (
        "period of the wrong type",
        "extends: central\nperiods:\n  sme_social_insurance_exemption: {end: soon}\n",
        "periods.sme_social_insurance_exemption.end",
        "date",
    ),
    ("zero draws", "extends: central\ndraws: 0\n", "draws", "positive"),
    ("negative draws", "extends: central\ndraws: -5\n", "draws", "positive"),
    ("draws not whole", "extends: central\ndraws: 10.5\n", "draws", "integer"),
    (
        "extends a missing scenario",
        "extends: centrall\n",
        "extends",
        "does not exist (did you mean 'central'?)",
    ),
    (
        "rate out of range",
        "extends: central\nparameters:\n  job_retention_refund.refund_share: 150\n",
        "parameters.job_retention_refund.refund_share",
        "outside [0, 1]",
    ),
    (
        "lever out of range",
        "extends: central\nparameters:\n  job_retention_refund.sme_refund_share: 150\n",
        "parameters.job_retention_refund.sme_refund_share",
        "outside its range",
    ),
    (
        "assumption override breaks its order",
        "extends: central\nassumptions:\n  insured_employees: {low: 3000000}\n",
        "assumptions.insured_employees",
        "low <= central <= high",
    ),
]


CASES = [("cost", *b) for b in BAD] + [
    ("compare", *b)
    for b in BAD
    if b[0] in ("unknown parameter", "zero draws", "extends a missing scenario")
]


@pytest.mark.parametrize(
    "command,what,body,field,words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_bad_scenario_exits_2(data_copy, capsys, command, what, body, field, words):
    path = _scenario(data_copy, "broken", body)
    before = _listing(data_copy.parent)
    args = (
        ["cost", "--scenario", "broken"] if command == "cost" else ["compare", "central", "broken"]
    )
    assert main([*args, "--draws", "50", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert str(path) in err, err
    assert field in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert _listing(data_copy.parent) == before


def test_two_scenarios_extending_each_other(data_copy, capsys):
    _scenario(data_copy, "left", "extends: right\n")
    _scenario(data_copy, "right", "extends: left\n")
    assert main(["cost", "--scenario", "left", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "extends" in err and "loop" in err and "left -> right -> left" in err


def test_a_scenario_extending_itself(data_copy, capsys):
    _scenario(data_copy, "selfish", "extends: selfish\n")
    assert main(["cost", "--scenario", "selfish", "--data", str(data_copy)]) == 2
    assert "loop" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args,words",
    [
        (["--scenario", "centrl"], "did you mean 'central'"),
        (["--scenario", "../central"], "not a scenario name"),
        (["--draws", "0"], "positive"),
        (["--draws", "-3"], "positive"),
        (["--seed", "-1"], ">= 0"),
    ],
)
def test_bad_command_line_exits_2(capsys, args, words):
    assert main(["cost", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_draws_not_a_number_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["cost", "--draws", "many"])
    assert exc.value.code == 2
    assert "whole number" in capsys.readouterr().err


def test_shipped_scenarios_load():
    names = list_scenarios()
    assert {"central", "low", "high", "sme_retention_refund_100", "exemption_to_december"} <= set(
        names
    )
    for name in names:
        sc = load_scenario(name)
        assert sc.description and sc.draws > 0
    variant = load_scenario("sme_retention_refund_100")
    assert variant.lever("job_retention_refund", "sme_refund_share") == pytest.approx(1.0)
    assert variant.reference and "国办发〔2020〕6号" in variant.reference
    ext = load_scenario("exemption_to_december")
    assert str(ext.period("sme_social_insurance_exemption").end) == "2020-12-31"
    assert str(ext.period("large_firm_social_insurance_halving").end) == "2020-06-30"
    assert str(ext.period("sme_social_insurance_exemption").start) == "2020-02-01"


def test_sme_refund_variant_changes_only_the_refund():
    c = compare(load_scenario("central"), load_scenario("sme_retention_refund_100"), draws=400)
    changed = c.measures[c.measures["difference"].abs() > 1]
    assert list(changed.index) == ["job_retention_refund"]
    # SMEs' 65 % of the eligible premiums move from the tiers (51.3 %) to 100 %, at 75 % take-up:
    # premiums 2.3m x 84,500/12 x 75 % x 93 % x 12 x 1.0 % = 13.56亿; x 85 % x 65 % x 48.7 % x 75 %
    premiums = 2_300_000 * 84_500 / 12 * 0.75 * 0.93 * 12 * 0.010
    expected = premiums * 0.85 * 0.65 * (1 - (0.91 * 0.5 + 0.05 * 0.6 + 0.04 * 0.7)) * 0.75
    assert changed.loc["job_retention_refund", "difference_at_mode"] == pytest.approx(expected)
    # paired draws: the whole P5-P95 of the difference is an increase
    assert changed.loc["job_retention_refund", "difference_p5"] > 0


def test_exemption_to_december_variant():
    c = compare(load_scenario("central"), load_scenario("exemption_to_december"), draws=400)
    d = c.measures["difference_at_mode"]  # hand calculations cost at the mode
    wage_bill = 2_300_000 * 84_500 / 12 * 0.75 * 0.93
    # six more SME months (July-December) and two more large-firm months (May-June), all after
    # the February-March shutdown, so at the full base
    assert d["sme_social_insurance_exemption"] == pytest.approx(wage_bill * 0.65 * 0.172 * 6)
    assert d["large_firm_social_insurance_halving"] == pytest.approx(
        wage_bill * 0.35 * 0.172 * 0.5 * 2
    )
    # the extended rate cuts are the same: clause 8 exempts or halves the rate in force, clause 7
    # still forgoes the return to the higher rate in those months (costing/hooks.py)
    assert d["unemployment_insurance_rate_cut_extension"] == pytest.approx(0.0, abs=1.0)
    assert d["work_injury_insurance_rate_cut_extension"] == pytest.approx(0.0, abs=1.0)
    assert (
        d.drop(
            [
                "sme_social_insurance_exemption",
                "large_firm_social_insurance_halving",
                "unemployment_insurance_rate_cut_extension",
                "work_injury_insurance_rate_cut_extension",
            ]
        )
        .abs()
        .max()
        < 1
    )


def test_low_central_high_order_the_total():
    totals = [
        run_costing(load_scenario(name, draws=200)).totals()["cost"]["central"]
        for name in ("low", "central", "high")
    ]
    assert totals[0] < totals[1] < totals[2]


def test_cost_cli_table_and_json(capsys):
    assert main(["cost", "--scenario", "central", "--draws", "300", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "万元" in out and "P5" in out and "P95" in out and "rating" in out
    for measure in (
        "key_supply_hiring_subsidy",
        "sme_social_insurance_exemption",
        "enterprise_cloud_fund",
    ):
        assert measure in out
    assert "Not costed" in out and "graduate_social_insurance_subsidy" in out
    assert main(["cost", "--scenario", "central", "--draws", "300", "--seed", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "yuan" and data["draws"] == 300 and data["seed"] == 2


def test_compare_cli(capsys):
    assert main(["compare", "central", "exemption_to_december", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    assert "sme_social_insurance_exemption" in out and "difference" in out
    assert main(["compare", "central", "sme_retention_refund_100", "--draws", "300", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["baseline"] == "central" and data["variant"] == "sme_retention_refund_100"
    refund = next(m for m in data["measures"] if m["id"] == "job_retention_refund")
    assert refund["difference"]["central"] > 0
