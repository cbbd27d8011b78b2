"""`jnpolicy observe`: an analyst enters a public figure without editing the CSV by hand. A good
row is appended and changes the commitment's year, the headline's verdict and the report; a bad
one exits 2 with the argument named, and the file is left byte for byte as it was."""

from __future__ import annotations

import csv
import json

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.targets import observe, track_targets

COMMITMENT = "annual_new_tech_fusion_benchmarks"  # 二（三）6: 10+ a year, serves the fusion 60+
HEADLINE = "new_tech_fusion_demo_projects"
DRAWS = 200


def enter(data_dir, metric, year, value, unit="个/年", basis="observed", *extra) -> int:
    return main(
        [
            "observe",
            metric,
            str(year),
            str(value),
            "--unit",
            unit,
            "--basis",
            basis,
            "--source",
            f"Jinan {year} list of fusion benchmark projects (test)",
            "--data",
            str(data_dir),
            *extra,
        ]
    )


def targets_json(capsys, data_dir) -> dict:
    capsys.readouterr()
    assert main(["targets", "--json", "--draws", str(DRAWS), "--data", str(data_dir)]) == 0
    return {t["id"]: t for t in json.loads(capsys.readouterr().out)["targets"]}


def test_an_entered_observation_changes_year_verdict_and_report(capsys, data_copy):
    before = targets_json(capsys, data_copy)
    assert before[COMMITMENT]["years"]["2020"] == {
        "observed": None,
        "status": "no data",
        "basis": None,
    }
    assert before[HEADLINE]["verdict"] == "cannot tell"

    assert enter(data_copy, COMMITMENT, 2020, 25) == 0
    out = capsys.readouterr().out
    assert f"{COMMITMENT} 2020: met" in out  # the command says what changed
    after = targets_json(capsys, data_copy)
    assert after[COMMITMENT]["years"]["2020"] == {
        "observed": 25,
        "status": "met",
        "basis": "observed",
    }
    assert after[COMMITMENT]["status"] == "on track"
    assert after[HEADLINE]["verdict"] == "cannot tell"  # 25 of 60 so far, two years unknown

    assert enter(data_copy, COMMITMENT, 2021, 25) == 0
    assert enter(data_copy, COMMITMENT, 2022, 25) == 0
    after = targets_json(capsys, data_copy)
    assert after[COMMITMENT]["verdict"] == "met"  # 25 ≥ 10 each year
    # 25 × 3 = 75 fusion projects under 二（三）6 alone reach the 60+ of the headline
    assert (after[HEADLINE]["verdict"], after[HEADLINE]["verdict_basis"]) == ("met", "observed")

    capsys.readouterr()
    assert main(["targets", "--draws", str(DRAWS), "--data", str(data_copy)]) == 0
    text = capsys.readouterr().out
    assert f"- {HEADLINE}: met — sum of the commitments that serve it" in text
    assert "= 75 个" in text


def test_a_missed_year_shows_and_the_headline_is_not_met(data_copy):
    for metric in (COMMITMENT, "annual_industry_fusion_benchmarks"):
        for year in (2020, 2021, 2022):
            assert enter(data_copy, metric, year, 5) == 0  # 5 < 10 each year
    report = track_targets(load_scenario("central", data_copy, draws=DRAWS))
    c = report.result(COMMITMENT)
    assert {y["status"] for y in c.years.values()} == {"missed"}
    assert (c.status, c.verdict) == ("off track", "not met")
    h = report.result(HEADLINE)
    assert (h.verdict, h.verdict_basis) == ("not met", "observed")  # (5 + 5) × 3 = 30 < 60


def test_the_row_is_appended_as_the_loader_reads_it(data_copy):
    path = data_copy / "targets" / "observations.csv"
    before = path.read_text(encoding="utf-8")
    row = observe(
        "enterprise_level_platforms",
        2021,
        "31",
        "个",
        "proxy",
        'city list, "key platforms", 2021',
        data_copy,
    )
    assert (row.metric, row.year, row.value, row.kind) == (
        "enterprise_level_platforms",
        2021,
        31,
        "proxy",
    )
    assert row.source == 'public: city list, "key platforms", 2021'  # 'public:' added
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended, nothing else touched
    last = next(csv.reader([after.splitlines()[-1]]))
    assert last == ["enterprise_level_platforms", "2021", "31", "个", "proxy", "", "", row.source]


BAD = [
    ("typo in the metric", ["annual_new_tech_fusion_benchmark", "2020", "12"], "METRIC", "metric", "did you mean 'annual_new_tech_fusion_benchmarks'"),
    ("year after the plan", [COMMITMENT, "2023", "12"], "YEAR", "year", "outside the plan window"),
    ("a year the commitment does not cover", [COMMITMENT, "2019", "12"], "YEAR", "year", "not a year of the commitment"),
    ("a number with a comma", [COMMITMENT, "2020", "1,2"], "VALUE", "value", "expected a number"),
    ("a negative count", [COMMITMENT, "2020", "-3"], "VALUE", "value", "negative"),
    ("not a number at all", [COMMITMENT, "2020", "nan"], "VALUE", "value", "finite"),
]  # fmt: skip


@pytest.mark.parametrize("what,args,flag,field,words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_and_writes_nothing(capsys, data_copy, what, args, flag, field, words):
    path = data_copy / "targets" / "observations.csv"
    before = path.read_bytes()
    code = main(
        ["observe", *args, "--unit", "个/年", "--basis", "observed", "--source", "a test list"]
        + ["--data", str(data_copy)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert f"error: {flag}: {field}: " in err and words in err, err
    assert "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [
            "observations.csv",
            "tracking.yaml",
            "ji_zheng_ban_fa_2020_2.yaml",
            "ji_zheng_zi_2020_16.yaml",
        ]
    )  # no temporary file left behind


def test_other_bad_input(capsys, data_copy):
    path = data_copy / "targets" / "observations.csv"
    before = path.read_bytes()
    # a unit of another dimension
    assert enter(data_copy, COMMITMENT, 2020, 12, "亿元") == 2
    assert "error: --unit: unit: '亿元'" in capsys.readouterr().err
    # a basis that is not public
    with pytest.raises(SystemExit) as exc:
        enter(data_copy, COMMITMENT, 2020, 12, "个/年", "assumption")
    assert exc.value.code == 2
    assert "--basis" in capsys.readouterr().err
    # a range given by halves
    assert enter(data_copy, COMMITMENT, 2020, 12, "个/年", "observed", "--low", "10") == 2
    assert "error: --low: low: give both low and high" in capsys.readouterr().err
    assert path.read_bytes() == before
    # a year already entered: the second is refused, naming the row of the first
    assert enter(data_copy, COMMITMENT, 2020, 12) == 0
    once = path.read_bytes()
    assert enter(data_copy, COMMITMENT, 2020, 14) == 2
    err = capsys.readouterr().err
    assert (
        "error: YEAR: year: 'annual_new_tech_fusion_benchmarks' already has a figure for 2020"
        in err
    )
    assert "observations.csv row" in err
    assert path.read_bytes() == once
