"""Report tables: amounts in 万元 with the unit in the header, the language asked for, escaping."""

from __future__ import annotations

import pytest

from jnpolicy_analysis import presentation
from jnpolicy_analysis.costing import run_costing


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
    html = presentation.scenario_header(scenario, "zh", "2026-03-01")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
