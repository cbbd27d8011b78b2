"""Bounded parsing and bounded work, and nothing cut or shown silently: a few hundred bytes of
YAML aliases ("billion laughs") are refused at once; draws from a scenario are held to the same
ceiling as --draws; validate runs the checks cost runs on a scenario; a scenario's period past the
grid is costed to its end in the to-completion line; a costing with NaN or infinity in its draws
is an error naming the measure and the input, never a null."""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.finite import check_finite
from jnpolicy_analysis.costing.run import run_costing
from jnpolicy_analysis.errors import DataError, NonFiniteResult
from jnpolicy_analysis.inputs.scenarios import load_scenario


def billion_laughs(levels: int = 9, fan: int = 10) -> str:
    lines = ["name: lol", "title_zh: 笑", "title_en: laughs", "lol0: &a0 [lol]"]
    for i in range(1, levels):
        lines.append(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def _scenario(data_dir: Path, name: str, body: str) -> Path:
    path = data_dir / "scenarios" / f"{name}.yaml"
    path.write_text(f"name: {name}\ntitle_zh: 试\ntitle_en: test\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize("folder", ["scenarios", "policies", "baseline"])
def test_billion_laughs_is_refused_in_under_five_seconds(data_copy, capsys, folder):
    text = billion_laughs()
    assert len(text.encode()) < 1024  # a 1 KB file: 10**8 values once expanded
    path = data_copy / folder / "lol.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = "lol" if folder == "scenarios" else "central"
    commands = [["validate", str(path)], ["catalog"], ["cost", "--scenario", scenario]]
    for argv in commands:
        start = time.monotonic()
        code = main([*argv, "--data", str(data_copy)])
        took = time.monotonic() - start
        err = capsys.readouterr().err
        if argv[0] == "catalog" and folder != "policies":
            assert code == 0  # the catalog does not read scenarios or baselines
            continue
        assert code == 2, (argv, err)
        assert took < 5, (argv, took)
        assert f"error: {path}: line 5: invalid YAML: YAML alias '*a0' not allowed" in err, err
        assert "Traceback" not in err


def test_an_anchor_alone_and_an_ampersand_in_text_are_fine(data_copy, capsys):
    path = _scenario(data_copy, "amp", "description: 'R&D & more'\nextends: central\n")
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()


def test_a_scenarios_draws_are_held_to_the_ceiling(data_copy, capsys):
    path = _scenario(data_copy, "huge", "extends: central\ndraws: 3000000000\n")
    for argv in (["validate", str(path)], ["cost", "--scenario", "huge"]):
        start = time.monotonic()
        assert main([*argv, "--data", str(data_copy)]) == 2
        assert time.monotonic() - start < 10
        err = capsys.readouterr().err
        assert f"error: {path}: draws: 3,000,000,000 is more than the 1,000,000,000" in err


@pytest.mark.parametrize(
    "body,field,words",
    [
        ("extends: loop_b\n", "extends", "in a loop"),
        ("extends: central\nassumptions:\n  no_such_take_up: 0.5\n", "assumptions.no_such_take_up", "unknown assumption"),
        ("extends: central\nassumptions:\n  new_hire_take_up: 500\n", "assumptions.new_hire_take_up", "outside [0, 1]"),
        ("extends: central\nparameters:\n  new_hire_grant.grant: 1.0e+300\n", "parameters.new_hire_grant.grant", "not plausible"),
        ("extends: central\nperiods:\n  sme_social_insurance_exemption: {end: 9999-12-31}\n", "periods.sme_social_insurance_exemption.end", "2000–2100"),
        ("extends: central\nperiods:\n  sme_social_insurance_exemption: {start: 2020-06-01, end: 2020-03-01}\n", "periods.sme_social_insurance_exemption", "before it starts"),
    ],
)  # fmt: skip
def test_validate_refuses_what_cost_refuses(data_copy, capsys, body, field, words):
    _scenario(data_copy, "loop_b", "extends: loop_a\n")
    path = _scenario(data_copy, "loop_a", body)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}: {field}: " in err and words in err, err
    assert main(["cost", "--scenario", "loop_a", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}: {field}: " in err and words in err, err


def test_a_period_past_the_grid_is_costed_to_its_end(data_copy, capsys):
    _scenario(
        data_copy,
        "to_2023",
        "extends: central\nperiods:\n  sme_social_insurance_exemption: {end: 2023-06-30}\n",
    )
    assert main(["cost", "--scenario", "to_2023", "--json", "--draws", "200"]
                + ["--data", str(data_copy)]) == 0  # fmt: skip
    totals = json.loads(capsys.readouterr().out)["totals"]
    window = totals["window"]["cost"]["central"]
    done = totals["to_completion"]["cost"]["central"]
    assert "sme_social_insurance_exemption" in totals["to_completion"]["ending_measures"]
    # half a year more at the 2022 rate: the to-completion total exceeds the window's
    assert done > window * 1.01


@pytest.fixture(scope="module")
def small_costing():
    return run_costing(load_scenario("central", draws=64))


def test_a_non_finite_measure_names_the_scenario_input(small_costing):
    r = small_costing
    mid = "new_hire_grant"
    measures = r.measures.copy()
    measures.loc[mid, "central"] = np.nan
    sc = dataclasses.replace(
        r.scenario, name="evil", parameter_values={f"{mid}.grant": 1e300}, parameters={}
    )
    bad = dataclasses.replace(r, measures=measures, scenario=sc)
    with pytest.raises(DataError) as exc:
        check_finite(bad)
    (problem,) = exc.value.problems
    assert problem.file.endswith("scenarios/evil.yaml")
    assert problem.field == f"parameters.{mid}.grant" and mid in problem.message


def test_a_non_finite_measure_no_input_explains_is_a_failure(small_costing):
    r = small_costing
    measures = r.measures.copy()
    measures.loc["new_hire_grant", "p95"] = math.inf
    with pytest.raises(NonFiniteResult, match="new_hire_grant"):
        check_finite(dataclasses.replace(r, measures=measures))


def test_the_shipped_costing_is_finite(small_costing):
    check_finite(small_costing)  # no error
    costed = small_costing.measures[small_costing.measures["costed"]]
    assert np.isfinite(costed[["central", "p5", "p50", "p95"]].to_numpy(float)).all()


@pytest.mark.parametrize(
    "start,end", [("2019-02-01", "2020-06-30"), ("2023-01-01", "2023-06-30"), ("2020-02-01", "2023-01-31")]
)  # fmt: skip
def test_an_outturn_outside_the_grid_is_an_error_naming_it(data_copy, capsys, start, end):
    path = data_copy / "outturns" / "china_2020_feb_jun_relief.yaml"
    text = path.read_text(encoding="utf-8")
    assert "period: {start: 2020-02-01, end: 2020-06-30}" in text
    path.write_text(
        text.replace("period: {start: 2020-02-01, end: 2020-06-30}", f"period: {{start: {start}, end: {end}}}"),
        encoding="utf-8",
    )  # fmt: skip
    for argv in (["validate", str(path)], ["evaluate", "--data", str(data_copy)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"error: {path}: period: {start} to {end} reaches outside the costing's grid" in err


def test_a_what_if_save_name_too_long_is_refused_in_a_sentence(data_copy):
    from jnpolicy_analysis.analysis import open_analysis
    from jnpolicy_analysis.whatif import WhatIf

    model = WhatIf(open_analysis("central", data_copy, draws=64))
    files = sorted((data_copy / "scenarios").iterdir())
    with pytest.raises(DataError, match="245 characters long; at most 64"):
        model.save("x" * 245)
    assert sorted((data_copy / "scenarios").iterdir()) == files
