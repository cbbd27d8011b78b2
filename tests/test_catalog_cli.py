"""`jnpolicy catalog`: the readable summary and the JSON of docs/json_output.md."""

from __future__ import annotations

import json

from jnpolicy_analysis.cli import main

DOCS = ("济政发〔2020〕1号", "济政办发〔2020〕2号", "济政字〔2020〕16号")


def _json(capsys, *args):
    assert main(["catalog", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_lists_measures_and_targets_of_every_document_with_base_values(capsys):
    out = _json(capsys)
    assert {m["doc"] for m in out["measures"]} >= set(DOCS)
    assert {t["doc"] for t in out["targets"]} == {"济政办发〔2020〕2号", "济政字〔2020〕16号"}
    for m in out["measures"]:
        assert {
            "id",
            "doc",
            "clause",
            "instrument",
            "fiscal_class",
            "funding_source",
            "parameters",
        } <= set(m)
        for p in m["parameters"]:
            assert {"name", "value", "unit", "base_value", "base_unit", "quote"} <= set(p)
    for t in out["targets"]:
        assert {
            "id",
            "doc",
            "clause",
            "metric_zh",
            "comparator",
            "value",
            "unit",
            "base_value",
            "deadline",
            "quote",
        } <= set(t)


def test_json_base_values_are_yuan_fractions_and_counts(capsys):
    out = _json(capsys)
    params = {(m["id"], p["name"]): p for m in out["measures"] for p in m["parameters"]}
    cap = params[("key_supply_hiring_subsidy", "firm_cap")]
    assert (cap["value"], cap["unit"], cap["base_value"], cap["base_unit"]) == (
        50,
        "万元/企业",
        500_000,
        "元/企业",
    )
    share = params[("job_retention_refund", "refund_share")]
    assert share["base_value"] == 0.5 and share["base_unit"] == "fraction"
    targets = {t["id"]: t for t in out["targets"]}
    assert targets["platform_hosted_enterprises"]["base_value"] == 1_000_000
    assert targets["platform_annual_transactions"]["base_value"] == 500_000_000_000


def test_doc_filter(capsys):
    out = _json(capsys, "--doc", "济政字〔2020〕16号")
    assert {m["doc"] for m in out["measures"]} == {"济政字〔2020〕16号"}
    assert {t["doc"] for t in out["targets"]} == {"济政字〔2020〕16号"}


def test_unknown_doc_exits_2_with_suggestion(capsys):
    assert main(["catalog", "--doc", "济政发〔2020〕2号"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_summary_names_units_and_counts(capsys):
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    assert "rate = 200 元/人/天" in out
    assert "firm_cap = 50 万元/企业" in out
    assert "> 5,000 亿元" in out
    assert "In all:" in out


def test_help_everywhere(capsys):
    import pytest

    for args in (["--help"], ["catalog", "--help"], ["validate", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 0
        assert "--data" in capsys.readouterr().out or args == ["--help"]
