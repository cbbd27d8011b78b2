"""The same answers everywhere: the briefing's who-pays table, the stack of budget x level and the
fund-balance path chart agree with the costing's JSON."""

from __future__ import annotations

import pytest

from jnpolicy_analysis import charts
from jnpolicy_analysis.charts.financing import budget_level_matrix
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.publish.brief import headline_table


@pytest.fixture(scope="module")
def cost():
    return run_costing(load_scenario("central", draws=300))


def test_headline_table_holds_gross_discretionary_municipal_and_outside(cost):
    fin = cost.financing["totals"]
    gross = cost.totals()["cost"]["central"]
    municipal = fin["by_government_level"]["municipal"]["central"]
    city = fin["city_budget"]
    expected = [  # row by row, in 元
        gross,
        fin["discretionary"]["central"],
        municipal,
        city["general_public_budget"]["central"],
        city["pooled_funds"]["central"],
        fin["by_government_level"]["district"]["central"],
        fin["restated_national_policy"]["central"],
        fin["outside_perimeter"]["central"],
    ]
    for lang in ("zh", "en"):
        table = headline_table(cost, lang)
        assert len(table) == len(expected)
        central = table.iloc[:, 1].str.replace(",", "").astype(float)
        for row, value in enumerate(expected):
            assert central[row] == pytest.approx(value / 1e8, abs=0.006), row
        assert table.iloc[2, 4] == f"{municipal / gross * 100:.1f} %"
        assert table.iloc[len(expected) - 1, 4] == "—"  # outside: no part of the gross cost


def test_budget_by_level_stack_adds_up_to_each_budget(cost):
    budgets, matrix, outside = budget_level_matrix(cost)
    by_budget = cost.financing["totals"]["by_budget"]
    assert set(budgets) == set(by_budget)
    for b, row in zip(budgets, matrix, strict=True):
        # the shares of each component sum to 1, so a budget's levels sum to its cost
        assert row.sum() == pytest.approx(by_budget[b]["central"], rel=1e-4)
        assert (row >= 0).all()
    assert outside == pytest.approx(
        cost.financing["totals"]["outside_perimeter"]["central"], rel=1e-4
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_draw_in_both_languages(cost, lang):
    fig = charts.financing_stack(cost, lang, "2020-06-30")
    title = fig._suptitle.get_text()
    assert title == (
        "谁来支付：按预算与政府层级" if lang == "zh" else "Who pays: by budget and level"
    )
    fig = charts.fund_balance_path(cost, lang, "2020-06-30")
    local = [f for f in cost.funds if f["threshold_months"] is not None]
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.lines]
    assert len(panels) == len(local) == 3
    # each panel's central line is the fund's balance path, in 亿元
    for ax, f in zip(panels, local, strict=True):
        y = ax.lines[0].get_ydata()
        want = [f["years"][k]["balance"]["central"] / 1e8 for k in ("2019", "2020", "2021", "2022")]
        assert list(y) == pytest.approx(want)


def test_funds_table_flags_the_years_below_threshold(cost):
    table = charts.funds_table(cost, "en")
    for f in cost.funds:
        if f["threshold_months"] is None:
            continue
        name = charts.label(f"fund.{f['fund']}", "en")
        rows = table[table["Fund"] == name]
        flags = [y for y, v in f["years"].items() if v["below_threshold"]]
        assert list(rows[rows["Below"] == "yes"]["Year"]) == flags
