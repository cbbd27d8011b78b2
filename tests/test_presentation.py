"""Report tables: amounts in 万元 with the unit in the header, the language asked for, escaping."""

from __future__ import annotations

import pytest

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.publish import presentation


@pytest.fixture(scope="module")
def cost():
    return run_costing("central", draws=200, seed=7)


def test_measure_table_is_in_wan_yuan_and_sorted(cost):
    table = presentation.measure_costs(cost, "zh", doc="济政发〔2020〕1号")
    header = "最终成本·中央估计＝期望值（万元）"
    assert header in table.columns
    row = table[table["编号"] == "key_supply_hiring_subsidy"].iloc[0]
    yuan = cost.measures.loc["key_supply_hiring_subsidy", "central"]
    assert row[header] == pytest.approx(yuan / 10_000)
    assert list(table[header]) == sorted(table[header], reverse=True)
    assert set(cost.costed.loc[list(table["编号"]), "doc"]) == {"济政发〔2020〕1号"}


def test_every_money_header_names_its_unit(cost):
    for lang, unit in (("zh", "万元"), ("en", "10k yuan")):
        for table in (
            presentation.measure_costs(cost, lang),
            presentation.totals(cost, lang),
            presentation.by_fund(cost, lang),
        ):
            money = [c for c in table.columns if table[c].dtype.kind == "f"]
            assert money and all(unit in c for c in money), table.columns


def test_totals_keep_guarantees_and_deferrals_apart(cost):
    table = presentation.totals(cost, "en")
    names = list(table["Total"])
    assert names[0].startswith("Class A")
    a = table.iloc[0]["Final cost, central = expected, mean of the draws (10k yuan)"]
    spending = cost.costed.loc[cost.costed["fiscal_class"] == "A", "central"].sum() / 10_000
    assert a == pytest.approx(spending)


def test_scenario_header_escapes_markup(cost):
    from dataclasses import replace

    scenario = replace(cost.scenario, description="<script>x</script> & <b>y</b>")
    html = presentation.scenario_header(scenario, "en", "2026-03-01")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html


def test_a_stress_note_names_the_edge_in_the_unit_asked_for():
    from types import SimpleNamespace

    from jnpolicy_analysis.publish.presentation import stress_note

    high = SimpleNamespace(
        stress_case=True,
        scenario=SimpleNamespace(point="high"),
        totals=lambda: {"cost": {"central": 26_800_000_000.0}},
    )
    central = {"p5": 8_500_000_000.0, "p95": 13_398_710_000.0}
    # 13,398,710,000 元 = 1,339,871 万元 = 133.99 亿元
    assert "P95（1,339,871万元）" in stress_note(high, central, "zh")
    assert "P95（133.99亿元）" in stress_note(high, central, "zh", "亿元")
    assert "P95 (133.99 亿元)" in stress_note(high, central, "en", "亿元")
    assert "高于" in stress_note(high, central, "zh")
