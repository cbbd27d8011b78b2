"""The costing blocks of data/policies and the derived quantities of data/baseline: every fault is
caught when the files load, by `jnpolicy validate` as by `jnpolicy cost`, with exit 2, the file, the
field, what is wrong and the nearest valid name; nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.paths import DATA_DIR

EMPLOYMENT = "policies/ji_zheng_fa_2020_1.yaml"
PLATFORM = "policies/ji_zheng_ban_fa_2020_2.yaml"
LABOUR = "baseline/labour_market.yaml"

NEW_HIRE = """\
      instrument: per_head_grant
      inputs:
        grant: {parameter: grant}
        heads: {derived: new_hire_grant_heads}"""

# (file, text in it, replacement, field named, words in the message)
CASES = [
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("per_head_grant", "per_head_grnt"),
        "measures.new_hire_grant.costing.instrument",
        "unknown instrument 'per_head_grnt' (did you mean 'per_head_grant'?)",
    ),
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("heads:", "head:"),
        "measures.new_hire_grant.costing.inputs.head",
        "per_head_grant has no input 'head' (did you mean 'heads'?)",
    ),
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("{parameter: grant}", "{parameter: grnt}"),
        "measures.new_hire_grant.costing.inputs.grant",
        "the measure has no parameter 'grnt' (did you mean 'grant'?)",
    ),
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("{derived: new_hire_grant_heads}", "{assumption: new_hire_in_window}"),
        "measures.new_hire_grant.costing.inputs.heads",
        "no assumption 'new_hire_in_window' in data/baseline (did you mean 'new_hires_in_window'?)",
    ),
    # the clause-2 rate is 元 per person per day: bound where 元 per person is expected
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("{parameter: grant}", "{parameter: key_supply_hiring_subsidy.rate}"),
        "measures.new_hire_grant.costing.inputs.grant",
        "is in 元/人/天 (元/天), but input 'grant' of per_head_grant expects 元/人 (元)",
    ),
    (
        EMPLOYMENT,
        NEW_HIRE,
        NEW_HIRE.replace("{parameter: grant}", "{value: 1000, unit: 元/人/月}"),
        "measures.new_hire_grant.costing.inputs.grant",
        "constant 1000 元/人/月 is in 元/人/月 (元/月), but input 'grant'",
    ),
    (
        EMPLOYMENT,
        "        rate_cut: {assumption: ui_rate_cut}\n",
        "        rate_cut: {assumption: ui_rate_cut}\n      hook:\n        name: net_of_clause_8_relief\n",
        "measures.unemployment_insurance_rate_cut_extension.costing.hook.name",
        "unknown hook 'net_of_clause_8_relief'; hooks: none are defined",
    ),
    (
        EMPLOYMENT,
        "share: {lever: sme_refund_share,",
        "share: {lever: sme_refund_shar,",
        "measures.job_retention_refund.costing.components[1].inputs.share",
        "no lever 'sme_refund_shar' (declare it under levers:) (did you mean 'sme_refund_share'?)",
    ),
    (
        EMPLOYMENT,
        "expr: param.rate * living_allowance_hours",
        "expr: param.rate * living_allowance_hour",
        "measures.training_living_allowance.costing.derived.living_allowance_per_trainee.expr",
        "unknown name 'living_allowance_hour' (did you mean 'living_allowance_hours'?)",
    ),
    (
        EMPLOYMENT,
        "expr: param.extension * months_per_year",
        "expr: param.extension * 12",
        "measures.public_welfare_job_extension.costing.derived.extension_months.unit",
        "comes out in 年, not the declared 月",
    ),
    (
        EMPLOYMENT,
        "        fund: 工伤保险基金",
        "        fund: 医疗保险基金",
        "measures.sme_social_insurance_exemption.costing.components[2].fund",
        "not among the measure's funding sources",
    ),
    (
        EMPLOYMENT,
        "      timing:\n        default_window:",
        "      timing:\n        old_window:",
        "].costing.timing.old_window",
        "unknown key (did you mean 'default_window'?)",
    ),
    (
        PLATFORM,
        "          - {parameter: national}",
        "          - {parameter: nationl}",
        "measures.postdoc_station_grant.costing.inputs.amounts",
        "(did you mean 'national'?)",
    ),
    # a derived quantity of the baseline whose expression does not give its declared unit
    (
        LABOUR,
        "expr: average_wage * (contribution_base_ratio / months_per_year)",
        "expr: average_wage * contribution_base_ratio",
        "derived.contribution_base.unit",
        "'average_wage * contribution_base_ratio' comes out in 元/年, not the declared 元/月",
    ),
    (
        LABOUR,
        "expr: insured_wage_bill * sme_share_of_insured",
        "expr: insured_wage_bill + sme_share_of_insured",
        "derived.sme_wage_bill.expr",
        "adds 元/月 and 1",
    ),
]


def _listing(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("file,old,new,field,words", CASES, ids=[c[3] for c in CASES])
def test_a_bad_costing_block_exits_2_in_validate_and_cost(
    data_copy, capsys, file, old, new, field, words
):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's change does not apply: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = _listing(data_copy.parent)
    for args in (["validate", str(data_copy)], ["cost", "--data", str(data_copy), "--draws", "50"]):
        assert main(args) == 2, args
        err = capsys.readouterr().err
        line = next((x for x in err.splitlines() if f"{field}: " in x), "")
        assert line.startswith(f"error: {path}: "), err
        assert words in line, err
        assert "Traceback" not in err
    assert _listing(data_copy.parent) == before


def test_a_measure_without_a_costing_block_is_an_error(data_copy, capsys):
    path = data_copy / PLATFORM
    text = path.read_text(encoding="utf-8")
    block = re.search(r"\n    costing:\n      not_costed: [^\n]+", text)
    assert block is not None
    path.write_text(text.replace(block.group(0), "", 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}: measures." in err and ".costing: missing" in err


def test_validate_of_one_policy_file_checks_it_against_its_baseline(data_copy, capsys):
    path = data_copy / EMPLOYMENT
    text = path.read_text(encoding="utf-8")
    assert "job_placements_in_window}" in text
    path.write_text(
        text.replace("job_placements_in_window}", "job_placements}", 1), encoding="utf-8"
    )
    assert main(["validate", str(path)]) == 2
    assert "no assumption 'job_placements'" in capsys.readouterr().err


def test_the_shipped_data_validates(capsys):
    assert main(["validate", str(DATA_DIR)]) == 0
    assert "error" not in capsys.readouterr().err


def test_only_hooked_measures_are_named_in_python():
    """No Python function per measure: the only measure ids in the package's code are the ones a
    hook reads (clause 8's exemptions, for clause 7's rate cuts)."""
    from jnpolicy_analysis.costing.hooks import HOOKS
    from jnpolicy_analysis.inputs.catalog import load_catalog

    ids = {m.id for _, m in load_catalog().measures}
    allowed = {need for spec in HOOKS.values() for need in spec.needs}
    package = Path(__file__).resolve().parents[1] / "jnpolicy_analysis"
    found = {}
    for py in package.rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        for mid in ids:
            if re.search(rf"\b{mid}\b", text):
                found.setdefault(mid, set()).add(py.name)
    assert set(found) <= allowed, {k: v for k, v in found.items() if k not in allowed}


def test_a_cost_result_pickles_with_its_compiled_plans():
    """The report's cache pickles costing results; their compiled plans still run afterwards."""
    import pickle

    from jnpolicy_analysis.costing import run_costing
    from jnpolicy_analysis.costing.engine import evaluate

    result = run_costing(load_scenario("central", draws=100, seed=1))
    again = pickle.loads(pickle.dumps(result))
    sc = again.scenario
    values = {n: sc.assumption(n) for n in sc.assumptions}
    costed = [p for p in again.plans if p.costed]
    finals = {
        p.measure.id: float(c.final_total())
        for p, c in zip(costed, evaluate(costed, sc, values), strict=True)
    }
    assert finals == pytest.approx(
        result.measures.loc[list(finals), "at_mode"].to_dict(), rel=1e-12
    )


@pytest.mark.parametrize(
    "override,words",
    [
        (
            "periods:\n  job_placement_subsidy: {start: 2023-02-01, end: 2023-03-01}\n",
            "the timing cannot be placed on the grid under this scenario",
        ),
        (
            "assumptions:\n  work_injury_cut_share: 100\n",
            "the cost cannot be computed under this scenario",
        ),
    ],
)
def test_a_scenario_the_costing_cannot_run_fails_validate(data_copy, capsys, override, words):
    path = data_copy / "scenarios" / "broken.yaml"
    path.write_text(
        "name: broken\ntitle_zh: 坏情景\ntitle_en: Broken\n"
        "description: A scenario the costing cannot run.\nextends: central\n" + override,
        encoding="utf-8",
    )
    for args in (
        ["validate", str(data_copy)],
        ["cost", "--data", str(data_copy), "--scenario", "broken"],
    ):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and words in err and "Traceback" not in err, err
