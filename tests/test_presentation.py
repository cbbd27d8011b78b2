"""Report tables: amounts in 万元 with the unit in the header, the language asked for, escaping."""

from __future__ import annotations

import html
import re

import pytest

from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.publish import presentation


@pytest.fixture(scope="module")
def cost():
    return run_costing(load_scenario("central", draws=200, seed=7))


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


def test_the_measure_table_is_in_yi_yuan_with_the_reason_folded(cost):
    page = presentation.measure_table_html(cost, "zh", doc="济政发〔2020〕1号")
    # the employment package's largest measure is billions of 元: 亿元 to two decimals
    yuan = cost.costed.loc["sme_social_insurance_exemption", "central"]
    assert f"<b>{yuan / 1e8:,.2f}</b>" in page
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    money = [h for h in heads if h.startswith(("中央估计", "P5", "P95", "各年"))]
    assert len(money) == 4 and all(h.endswith("（亿元）") for h in money), heads
    assert "2020年" in heads  # the years under 各年中央估计（亿元）
    # the rating's reason opens under the rating, escaped, and survives the pages' sanitizer
    reason = cost.costed.loc["sme_social_insurance_exemption", "rating_reason"]
    assert f"<p>{html.escape(reason)}</p></details>" in page
    assert "<details>" in presentation.sanitize_html(page)
    # rows are the document's measures, largest first; no id or long text in a numeric cell
    assert page.count("<tr>") == 2 + len(cost.costed[cost.costed["doc"] == "济政发〔2020〕1号"])


def test_a_document_of_small_amounts_is_shown_in_wan_yuan(cost):
    doc = "济政办发〔2020〕2号"
    assert cost.costed.loc[cost.costed["doc"] == doc, "central"].max() < 1e8  # under 1亿元
    page = presentation.measure_table_html(cost, "en", doc=doc)
    assert "Central (万元)" in page and "P95 (万元)" in page and "亿元" not in page
    yuan = cost.costed.loc["angel_investment_reward", "central"]
    assert f"<b>{yuan / 1e4:,.0f}</b>" in page


@pytest.mark.slow
def test_the_measure_table_is_one_line_a_row_at_1300_px(cost, tmp_path, chromium):
    """On a report page (nbconvert's template, its own table rules), every row of the measure
    table is one line and the table needs no horizontal scroll at 1300 px; at 390 px it scrolls
    in its own box and the page does not."""
    import nbformat

    from jnpolicy_analysis.publish.runner import to_html

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("HTML(...)")
    table = presentation.measure_table_html(cost, "zh", doc="济政发〔2020〕1号")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/html": table}, execution_count=1)
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# 各项措施"), cell]
    path = tmp_path / "01_employment_costs.ipynb"
    nbformat.write(nb, str(path))
    page = to_html(path, "01_employment_costs")
    for width, scrolls in ((1300, False), (390, True)):
        chromium.set_window_size(width, 900)
        chromium.get(page.resolve().as_uri())
        m = chromium.execute_script(
            "const t = document.querySelector('table.jnp-measures');"
            "const box = document.querySelector('.jnp-measures-box');"
            "const rows = [...t.tBodies[0].rows].map(r => [r.getBoundingClientRect().height,"
            " r.cells[1].textContent, r.cells[1].getBoundingClientRect().width]);"
            "const line = parseFloat(getComputedStyle(t.tBodies[0].rows[0].cells[1]).lineHeight)"
            " || 18;"
            "return {rows: rows, line: line, box: box.clientWidth, inside: box.scrollWidth,"
            " page: document.documentElement.scrollWidth,"
            " view: document.documentElement.clientWidth}"
        )
        assert m["page"] <= m["view"], (width, m)
        assert (m["inside"] > m["box"]) is scrolls, (width, m)
        if width == 1300:
            tall = [r for r in m["rows"] if r[0] > 1.6 * m["line"] + 8]
            assert not tall, (m["line"], tall)
