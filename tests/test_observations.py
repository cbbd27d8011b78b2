"""Bad observation and tracker-settings files: `jnpolicy validate` and `jnpolicy targets --data`
both exit 2 with a message naming the file, the row and the field, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.paths import DATA_DIR

OBS = DATA_DIR / "targets" / "observations.csv"
GOOD_ROW = "application_demo_projects,2022,100,个,observed,,,public: a test figure"
HEADER = "metric,year,value,unit,kind,low,high,source"

# (what, the bad row (line 3 of the file), the field the message must name, words it must hold)
BAD_ROWS = [
    (
        "year after the plan",
        "application_demo_projects,2023,100,个,observed,,,public: x figure",
        "row 3.year",
        "outside the plan window 2018–2022",
    ),
    (
        "year before the baseline window",
        "application_demo_projects,2017,0,个,baseline,,,public: x figure",
        "row 3.year",
        "outside the plan window",
    ),
    (
        "unknown metric",
        "application_demo_project,2021,80,个,observed,,,public: x figure",
        "row 3.metric",
        "did you mean 'application_demo_projects'",
    ),
    (
        "unit of another dimension",
        "application_demo_projects,2021,80,亿元,observed,,,public: x figure",
        "row 3.unit",
        "does not match the unit of 'application_demo_projects'",
    ),
    (
        "annual unit for a level",
        "application_demo_projects,2021,80,个/年,observed,,,public: x figure",
        "row 3.unit",
        "does not match",
    ),
    (
        "string value",
        "application_demo_projects,2021,eighty,个,observed,,,public: x figure",
        "row 3.value",
        "expected a number, got the string 'eighty'",
    ),
    (
        "NaN",
        "application_demo_projects,2021,NaN,个,observed,,,public: x figure",
        "row 3.value",
        "finite",
    ),
    (
        "infinity",
        "application_demo_projects,2021,inf,个,observed,,,public: x figure",
        "row 3.value",
        "finite",
    ),
    (
        "empty value",
        "application_demo_projects,2021,,个,observed,,,public: x figure",
        "row 3.value",
        "missing",
    ),
    (
        "year not a year",
        "application_demo_projects,2021.5,80,个,observed,,,public: x figure",
        "row 3.year",
        "expected a year",
    ),
    (
        "unknown unit",
        "application_demo_projects,2021,80,个个,observed,,,public: x figure",
        "row 3.unit",
        "unknown unit",
    ),
    (
        "negative count",
        "application_demo_projects,2021,-5,个,observed,,,public: x figure",
        "row 3.value",
        "negative",
    ),
    (
        "unknown kind",
        "application_demo_projects,2021,80,个,observd,,,public: x figure",
        "row 3.kind",
        "did you mean 'observed'",
    ),
    (
        "assumption without a range",
        "platform_annual_transactions,2019,3000,亿元,assumption,,,assumption: a guess",
        "row 3.low",
        "low and high",
    ),
    (
        "value outside its range",
        "platform_annual_transactions,2019,3000,亿元,assumption,3500,4000,assumption: a guess",
        "row 3.low",
        "low <= value <= high",
    ),
    (
        "assumption passed off as public",
        "platform_annual_transactions,2019,3000,亿元,assumption,2000,4000,public: nobody",
        "row 3.source",
        "assumption:",
    ),
    (
        "same metric and year twice",
        "application_demo_projects,2022,90,个,observed,,,public: x figure",
        "row 3.year",
        "already has a figure for 2022 (row 2)",
    ),
    (
        "annual commitment outside its years",
        "annual_application_demo_projects,2019,20,个/年,observed,,,public: x figure",
        "row 3.year",
        "not a year of the commitment",
    ),
    (
        "assumed start for an annual commitment",
        "annual_application_demo_projects,2020,20,个/年,assumption,20,20,assumption: a guess",
        "row 3.kind",
        "year by year",
    ),
    (
        "too many cells",
        "application_demo_projects,2021,80,个,observed,,,public: x figure,extra",
        "row 3",
        "has 9 cells",
    ),
]


def _listing(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _check_rejected(capsys, data_dir: Path, path: Path, field: str, words: str) -> None:
    before = _listing(data_dir)
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr()
    err = out.err
    assert err.startswith("error: "), err
    assert f"{path}: {field}" in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert main(["targets", "--data", str(data_dir), "--draws", "50"]) == 2
    out = capsys.readouterr()
    assert f"{path}: {field}" in out.err, out.err
    assert words in out.err
    assert out.out == ""  # no table printed
    assert _listing(data_dir) == before  # nothing written


@pytest.mark.parametrize("what,row,field,words", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_observation_rejected(capsys, data_copy, what, row, field, words):
    path = data_copy / "targets" / "observations.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\n{row}\n", encoding="utf-8")
    _check_rejected(capsys, data_copy, path, field, words)


@pytest.mark.parametrize(
    "header,field,words",
    [
        ("metric,year,value,units,source", "header.units", "did you mean 'unit'"),
        ("metric,year,value,source", "header", "missing column 'unit'"),
    ],
)
def test_bad_header_rejected(capsys, data_copy, header, field, words):
    path = data_copy / "targets" / "observations.csv"
    path.write_text(
        f"{header}\napplication_demo_projects,2022,100,个,public: x\n", encoding="utf-8"
    )
    _check_rejected(capsys, data_copy, path, field, words)


def test_start_after_an_observation_rejected(capsys, data_copy):
    path = data_copy / "targets" / "observations.csv"
    path.write_text(
        f"{HEADER}\n{GOOD_ROW}\n"
        "application_demo_projects,2021,50,个,observed,,,public: x figure\n"
        "application_demo_projects,2022,0,个,assumption,0,0,assumption: from zero\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 4" in err and "observations.csv" in err


def test_all_problems_of_a_file_reported_together(capsys, data_copy):
    path = data_copy / "targets" / "observations.csv"
    path.write_text(
        f"{HEADER}\n"
        "application_demo_projects,2023,100,个,observed,,,public: x figure\n"
        "application_demo_projct,2021,eighty,亿元,observed,,,public: x figure\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
    fields = {ln.split(": ")[2] for ln in lines}
    assert {"row 2.year", "row 3.metric", "row 3.value"} <= fields, lines


def test_shipped_observations_and_settings_validate(capsys):
    assert main(["validate", str(OBS), str(DATA_DIR / "targets" / "tracking.yaml")]) == 0
    assert "ok:" in capsys.readouterr().out


# --------------------------------------------------------------------------- tracking.yaml

BAD_SETTINGS = [
    ("unknown key", ("range_reading:", "range_readin:"), "range_readin", "did you mean"),
    (
        "threshold above 1",
        ("on_track: 0.7", "on_track: 1.7"),
        "status.on_track",
        "less than or equal to 1",
    ),
    (
        "thresholds crossed",
        ("at_risk: 0.3", "at_risk: 0.8"),
        "status",
        "at_risk 0.8 is above on_track 0.7",
    ),
    (
        "unknown target",
        ("  cross_industry_platforms: {", "  cross_industry_platform: {"),
        "projections.cross_industry_platform",
        "did you mean 'cross_industry_platforms'",
    ),
    (
        "unknown growth assumption",
        ("growth: target_flow_fusion_demo_projects", "growth: target_flow_fusion"),
        "projections.new_tech_fusion_demo_projects.growth",
        "unknown assumption",
    ),
    (
        "a flow where a rate is needed",
        (
            "growth: target_growth_platform_transactions",
            "growth: target_flow_fusion_demo_projects",
        ),
        "projections.platform_annual_transactions.growth",
        "needs a growth rate in %",
    ),
    (
        "unknown funded commitment",
        ("      - annual_intranet_upgrade_benchmarks", "      - annual_intranet_upgrade_benchmark"),
        "fund_checks[0].commitments",
        "did you mean 'annual_intranet_upgrade_benchmarks'",
    ),
    (
        "a fund that is not money",
        ("      value: 20\n      unit: 亿元", "      value: 20\n      unit: 个"),
        "fund_checks[0].fund.unit",
        "not",
    ),
    (
        "award range out of order",
        ("      low: 20\n      central: 50", "      low: 80\n      central: 50"),
        "fund_checks[0].award",
        "need low <= central <= high",
    ),
    (
        "a reading of a commitment that does not serve the headline",
        (
            "  - commitment: annual_industry_fusion_benchmarks",
            "  - commitment: annual_municipal_platforms",
        ),
        "readings[0].headline",
        "does not serve",
    ),
    (
        "a growth model without its growth",
        ("key_park_5g_coverage: {model: none}", "key_park_5g_coverage: {model: additive}"),
        "projections.key_park_5g_coverage",
        "needs a growth assumption",
    ),
]


@pytest.mark.parametrize("what,change,field,words", BAD_SETTINGS, ids=[b[0] for b in BAD_SETTINGS])
def test_bad_settings_rejected(capsys, data_copy, what, change, field, words):
    path = data_copy / "targets" / "tracking.yaml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text, change
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    _check_rejected(capsys, data_copy, path, field, words)


def test_headline_target_without_projection_rejected(capsys, data_copy):
    path = data_copy / "targets" / "tracking.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith("  cross_industry_platforms: {")]
    path.write_text("".join(kept), encoding="utf-8")
    _check_rejected(
        capsys, data_copy, path, "projections", "'cross_industry_platforms' has no projection"
    )


def test_catalog_skips_the_settings_file(catalog):
    assert all(t.id != "tracking" for _, t in catalog.targets)
    assert len(catalog.target_documents) == 2
