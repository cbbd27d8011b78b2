"""The funds' solvency (data/baseline/funds.yaml, costing/funds.py): the balance rolled forward by
hand, a longer relief lowering the months of cover, and bad input refused cleanly."""

from __future__ import annotations

import json

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.costing.funds import roll_forward
from jnpolicy_analysis.inputs.scenarios import load_scenario

DRAWS = 400
YI = 1e8
UI = "失业保险基金"


def test_roll_forward_by_hand():
    # income 14亿 growing 5 %, spending 12亿 growing 4 %, end-2019 balance 50亿; the measures forgo
    # 3亿 of income and pay 2亿 in 2020, nothing after.
    p = roll_forward(14 * YI, 12 * YI, 50 * YI, 0.05, 0.04, [3 * YI, 0, 0], [2 * YI, 0, 0])
    assert p[2019]["months_of_cover"] == pytest.approx(50 / (12 / 12))
    # 2020: income 14 x 1.05 - 3 = 11.7; spending 12 x 1.04 + 2 = 14.48; balance 50 + 11.7 - 14.48
    assert p[2020]["income"] == pytest.approx(11.7 * YI)
    assert p[2020]["spending"] == pytest.approx(14.48 * YI)
    assert p[2020]["balance"] == pytest.approx(47.22 * YI)
    assert p[2020]["months_of_cover"] == pytest.approx(47.22 / (14.48 / 12))
    # 2021: income 14 x 1.05^2 = 15.435; spending 12 x 1.04^2 = 12.9792; balance 47.22 + 2.4558
    assert p[2021]["balance"] == pytest.approx((47.22 + 15.435 - 12.9792) * YI)


@pytest.fixture(scope="module")
def low_run():
    return run_costing(load_scenario("low", draws=50))


def test_ui_fund_balance_against_a_hand_roll_forward(low_run):
    """The stress case 'low' puts every assumption at its low value: the UI fund's 2019 income is
    the contributions on the low wage bill at the 2019 rates, 1,800,000 insured x 85 % collected x
    78,000 / 12 x 60 % = 59.67亿 a month x (0.5 % + 0.2 %) x 12 = 5.012亿; 6亿 spending, 30亿
    balance, no growth (funds.yaml). What the UI measures forgo and pay in 2020 is read from the
    costing by month: the clause 8 exemptions lower income; clause 7's extended cut does not (the
    2019 base is at the cut rate already); the rest is by hand."""
    fund = next(f for f in low_run.to_json()["funds"] if f["fund"] == UI)
    assert fund["pooling_level"] == "municipal"
    assert fund["income_from_wage_bill"]
    assert fund["in_2019_base"] == ["unemployment_insurance_rate_cut_extension"]
    assert fund["excluded"], "later refund rounds are named as excluded"
    income_2019 = 1_800_000 * 0.85 * 78_000 / 12 * 0.60 * (0.005 + 0.002) * 12
    assert income_2019 == pytest.approx(5.01228e8)
    m = low_run.monthly
    m = m[(m["fiscal_class"] == "A") & (m["funding_source"] == UI)]
    in_base = m["measure_id"] == "unemployment_insurance_rate_cut_extension"
    m = m[~in_base]
    forgone = [
        m[
            (m["year"] == y)
            & m["instrument"].isin(["contribution_exemption", "contribution_rate_cut"])
        ]["central"].sum()
        for y in (2020, 2021, 2022)
    ]
    total = [m[m["year"] == y]["central"].sum() for y in (2020, 2021, 2022)]
    paid = [t - f for t, f in zip(total, forgone, strict=True)]
    # relief lowers income; refunds and benefits raise spending
    assert forgone[0] > 0 and paid[0] > 0
    balance = 30 * YI
    years = fund["years"]
    assert years["2019"]["balance"]["point"] == pytest.approx(balance, rel=1e-9)
    assert years["2019"]["months_of_cover"]["point"] == pytest.approx(30 / (6 / 12))
    assert years["2019"]["income"]["point"] == pytest.approx(income_2019, rel=1e-6)
    for k, y in enumerate(("2020", "2021", "2022")):
        income = income_2019 - forgone[k]
        spending = 6 * YI + paid[k]
        balance = balance + income - spending
        assert years[y]["income"]["point"] == pytest.approx(income, rel=1e-6)
        assert years[y]["spending"]["point"] == pytest.approx(spending, rel=1e-6)
        assert years[y]["balance"]["point"] == pytest.approx(balance, rel=1e-6)
        assert years[y]["months_of_cover"]["point"] == pytest.approx(
            balance / (spending / 12), rel=1e-6
        )


def test_json_has_the_funds_list_in_the_contract(capsys):
    assert main(["cost", "--json", "--draws", str(DRAWS)]) == 0
    out = json.loads(capsys.readouterr().out)
    funds = {f["fund"]: f for f in out["funds"]}
    ui = funds[UI]
    assert ui["threshold_months"] == 12
    assert set(ui["years"]) == {"2019", "2020", "2021", "2022"}
    for y in ui["years"].values():
        for key in ("income", "spending", "balance", "months_of_cover"):
            s = y[key]
            assert s["p5"] <= s["central"] <= s["p95"]
    # the balance path is income less spending, draw by draw, hence in the mean too
    for prev, y in (("2019", "2020"), ("2020", "2021"), ("2021", "2022")):
        a, b = ui["years"][prev], ui["years"][y]
        roll = a["balance"]["central"] + b["income"]["central"] - b["spending"]["central"]
        assert b["balance"]["central"] == pytest.approx(roll, rel=1e-4)
    # the pension pool is provincial: Jinan's contribution to its shortfall, no threshold
    pension = funds["企业职工基本养老保险基金"]
    assert pension["pooling_level"] == "provincial" and pension["threshold_months"] is None
    assert pension["years"]["2020"]["jinan_contribution_to_shortfall"]["central"] > 0
    assert pension["years"]["2019"]["jinan_contribution_to_shortfall"]["central"] == 0


def test_a_longer_relief_lowers_months_of_cover():
    """exemption_to_december keeps SMEs exempt to December 2020 (the gazette: to June): the UI
    and work-injury funds collect less, so hold fewer months of cover from 2020 on."""
    base = {f["fund"]: f for f in run_costing(load_scenario("central", draws=DRAWS)).funds}
    longer = {
        f["fund"]: f for f in run_costing(load_scenario("exemption_to_december", draws=DRAWS)).funds
    }
    for fund in (UI, "工伤保险基金"):
        b, v = base[fund]["years"], longer[fund]["years"]
        assert v["2019"]["months_of_cover"]["central"] == pytest.approx(
            b["2019"]["months_of_cover"]["central"]
        )
        for y in ("2020", "2021", "2022"):
            assert v[y]["months_of_cover"]["central"] < b[y]["months_of_cover"]["central"]
            assert v[y]["balance"]["central"] < b[y]["balance"]["central"]
        assert v["2020"]["income"]["central"] < b["2020"]["income"]["central"]


@pytest.mark.parametrize("scenario", ["central", "exemption_to_december"])
def test_no_fund_income_draw_is_negative(scenario):
    """Income and relief come from the same draws of the wage bill and rates: no draw forgoes
    more than would have been collected (20,000 draws). The work-injury fund starts 2019 with at
    least the 18 months of cover the 2019 rule asked of a fund whose rate was cut."""
    funds = {f["fund"]: f for f in run_costing(load_scenario(scenario, draws=20_000)).funds}
    for fund in (UI, "工伤保险基金", "基本医疗保险基金"):
        for y, v in funds[fund]["years"].items():
            assert v["draws_with_negative_income"] == 0, (fund, y)
            assert v["income"]["p5"] > 0
    wi = funds["工伤保险基金"]["years"]["2019"]
    assert wi["share_of_draws_below_threshold"] == 0.0
    assert wi["months_of_cover"]["p5"] >= 18


def test_cost_table_shows_the_funds(capsys):
    assert main(["cost", "--draws", "50"]) == 0
    out = capsys.readouterr().out
    assert "months of cover (可支付月数, 月)" in out
    assert "Jinan's contribution to the pool's shortfall" in out
    ui_rows = [line for line in out.splitlines() if line.startswith(UI)]
    assert [r.split()[1] for r in ui_rows] == ["2019", "2020", "2021", "2022"]


def _edit_funds(data_copy, old: str, new: str) -> None:
    path = data_copy / "baseline" / "funds.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "spending_2019: ui_fund_spending_2019",
            "spending_2019: ui_fund_spendng_2019",
            "solvency.funds.失业保险基金.spending_2019: unknown assumption 'ui_fund_spendng_2019' "
            "(did you mean 'ui_fund_spending_2019'?)",
        ),
        (
            "income_growth: ui_fund_income_growth",
            "income_growth: ui_fund_spending_2019",
            "solvency.funds.失业保险基金.income_growth: assumption 'ui_fund_spending_2019' is in "
            "亿元, not a rate",
        ),
        (
            "income_2019: ui_fund_contributions_2019",
            "income_2019: insured_wage_bill",
            "solvency.funds.失业保险基金.income_2019: derived quantity 'insured_wage_bill' is in "
            "元/月, not 元",
        ),
        (
            "    失业保险基金:\n",
            "    失业保险基全:\n",
            "no measure is paid from '失业保险基全' (did you mean '失业保险基金'?)",
        ),
        (
            "income_instruments: [contribution_exemption, contribution_rate_cut]",
            "income_instruments: [contribution_exemptoin, contribution_rate_cut]",
            "solvency.income_instruments[0]: unknown instrument 'contribution_exemptoin'",
        ),
        ("      threshold_months: 12\n", "", "threshold_months"),
        ("      threshold_months: 12\n", "      threshold_months: -3\n", "threshold_months"),
    ],
)
def test_bad_funds_file_is_refused_cleanly(data_copy, capsys, old, new, message):
    _edit_funds(data_copy, old, new)
    capsys.readouterr()
    assert main(["cost", "--data", str(data_copy), "--draws", "10"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = next(x for x in err.splitlines() if message in x)
    assert line.startswith("error: ") and "funds.yaml" in line
    assert main(["validate", str(data_copy)]) == 2
