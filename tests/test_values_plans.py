"""Hand-read numbers of 济政办发〔2020〕2号, 济政字〔2020〕16号 and 济政办字〔2020〕6号, in base units.

Every expected number below was read from the gazette (济南市人民政府公报 2020 年第 5 期) and
converted by hand: 万元 x 10,000, 亿元 x 100,000,000, % / 100, 万家 x 10,000. None is computed
from the data files.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jnpolicy_analysis.inputs.loader import parse
from jnpolicy_analysis.paths import DATA_DIR

END_2022 = dt.date(2022, 12, 31)


def _policy(name: str):
    return parse(DATA_DIR / "policies" / f"{name}.yaml", "policies")


def _targets(name: str):
    return parse(DATA_DIR / "targets" / f"{name}.yaml", "targets")


@pytest.fixture(scope="module")
def platform_doc():
    return _policy("ji_zheng_ban_fa_2020_2")


@pytest.fixture(scope="module")
def iiot_doc():
    return _policy("ji_zheng_zi_2020_16")


@pytest.fixture(scope="module")
def licence_doc():
    return _policy("ji_zheng_ban_zi_2020_6")


@pytest.fixture(scope="module")
def platform_targets():
    return {t.id: t for t in _targets("ji_zheng_ban_fa_2020_2").targets}


@pytest.fixture(scope="module")
def iiot_targets():
    return {t.id: t for t in _targets("ji_zheng_zi_2020_16").targets}


def _measure(doc, measure_id):
    return next(m for m in doc.measures if m.id == measure_id)


# --- documents ----------------------------------------------------------------------------


def test_document_headers(platform_doc, iiot_doc, licence_doc):
    assert platform_doc.doc == "济政办发〔2020〕2号"
    assert platform_doc.issuer == "济南市人民政府办公厅"
    assert platform_doc.issued == dt.date(2020, 3, 2)
    assert iiot_doc.doc == "济政字〔2020〕16号"
    assert iiot_doc.issuer == "济南市人民政府"
    assert iiot_doc.issued == dt.date(2020, 3, 9)
    assert licence_doc.doc == "济政办字〔2020〕6号"
    assert licence_doc.issuer == "济南市人民政府办公厅"
    assert licence_doc.issued == dt.date(2020, 2, 26)


# --- 济政办发〔2020〕2号 measures ---------------------------------------------------------


def test_first_version_software_grant(platform_doc):
    m = _measure(platform_doc, "first_version_software_grant")
    assert m.instrument == "capped_share_grant"
    assert m.clause == "四（二）"
    assert m.fiscal_class == "A"
    assert m.value("share") == pytest.approx(0.30)  # 30%
    assert m.value("cap") == pytest.approx(1_000_000)  # 最高资助 100 万元
    assert m.parameters["cap"].base_unit.startswith("元")
    assert m.value("sales_window") == 1  # 销售后 1 年内


def test_postdoc_station_grant(platform_doc):
    m = _measure(platform_doc, "postdoc_station_grant")
    assert m.instrument == "tiered_grant"
    assert m.clause == "四（二）"
    assert m.value("national") == pytest.approx(500_000)  # 50 万元
    assert m.value("provincial") == pytest.approx(200_000)  # 20 万元
    assert m.value("municipal") == pytest.approx(100_000)  # 10 万元


def test_angel_investment_reward(platform_doc):
    m = _measure(platform_doc, "angel_investment_reward")
    assert m.instrument == "capped_share_grant"
    assert m.clause == "四（二）"
    assert m.value("share") == pytest.approx(0.10)  # 10%
    assert m.value("cap") == pytest.approx(1_000_000)  # 最高奖励 100 万元


def test_platform_unpriced_measures_carry_no_amount(platform_doc):
    for measure_id in ("platform_accelerator_rent_subsidy", "exhibition_fund_support"):
        m = _measure(platform_doc, measure_id)
        assert m.instrument == "unpriced"
        assert not m.parameters


# --- 济政字〔2020〕16号 measures ----------------------------------------------------------


def test_enterprise_cloud_fund(iiot_doc):
    m = _measure(iiot_doc, "enterprise_cloud_fund")
    assert m.instrument == "budget_line"
    assert m.clause == "三（二）"
    assert m.fiscal_class == "A"
    assert m.value("annual_amount") == pytest.approx(20_000_000)  # 2000 万元 a year
    assert m.parameters["annual_amount"].base_unit == "元/年"
    assert m.value("years") == 3  # 三年内
    assert m.period.start == dt.date(2020, 1, 1)
    assert m.period.end == END_2022


def test_iiot_unpriced_counts(iiot_doc):
    expected = {
        ("intranet_upgrade_benchmark_support", "projects_per_year"): 10,
        ("industrial_internet_platform_support", "municipal_platforms_per_year"): 3,
        ("application_demonstration_support", "demo_enterprises_per_year"): 20,
        ("application_demonstration_support", "demo_projects_per_year"): 20,
        ("application_demonstration_support", "demo_bases_per_year_min"): 1,
        ("application_demonstration_support", "demo_bases_per_year_max"): 2,
        ("new_tech_fusion_support", "projects_per_year"): 10,
        ("industry_fusion_support", "projects_per_year"): 10,
    }
    for (measure_id, name), value in expected.items():
        m = _measure(iiot_doc, measure_id)
        assert m.instrument == "unpriced", measure_id
        assert m.value(name) == value, f"{measure_id}.{name}"


def test_iiot_other_support_is_from_the_special_fund(iiot_doc):
    for m in iiot_doc.measures:
        if m.id != "enterprise_cloud_fund":
            assert "先进制造业和数字经济发展专项" in m.funding_source, m.id


# --- 济政办字〔2020〕6号 facts -------------------------------------------------------------


def test_licence_reform_has_no_measures(licence_doc):
    assert licence_doc.measures == []


@pytest.mark.parametrize(
    "fact_id,value",
    [
        ("zzfl_abolished_items", 13),
        ("zzfl_filing_items", 10),
        ("zzfl_filing_items_central", 8),
        ("zzfl_filing_items_provincial", 2),
        ("zzfl_notification_commitment_items", 60),
        ("zzfl_optimised_service_items", 452),
        ("zzfl_optimised_service_items_central", 442),
        ("zzfl_optimised_service_items_provincial", 10),
    ],
)
def test_licence_item_counts(licence_doc, fact_id, value):
    facts = {f.id: f for f in licence_doc.facts}
    assert facts[fact_id].base_value == value
    assert facts[fact_id].unit == "项"


def test_licence_breakdowns_add_up(licence_doc):
    facts = {f.id: f.value for f in licence_doc.facts}
    assert facts["zzfl_filing_items_central"] + facts["zzfl_filing_items_provincial"] == 10
    assert (
        facts["zzfl_optimised_service_items_central"]
        + facts["zzfl_optimised_service_items_provincial"]
        == 452
    )


# --- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target_id,comparator,value",
    [
        ("platform_firms_turnover_over_1bn", ">=", 50),  # 达到 50 家以上
        ("platform_hosted_enterprises", ">", 1_000_000),  # 超过 100 万家
        ("platform_annual_transactions", ">", 500_000_000_000),  # 超过 5000 亿元
    ],
)
def test_platform_targets(platform_targets, target_id, comparator, value):
    t = platform_targets[target_id]
    assert t.kind == "headline"
    assert t.comparator == comparator
    assert t.base_value == pytest.approx(value)
    assert t.value_max is None
    assert t.deadline == END_2022


def test_platform_transactions_target_is_money(platform_targets):
    assert platform_targets["platform_annual_transactions"].unit == "亿元"


@pytest.mark.parametrize(
    "target_id,comparator,value,value_max",
    [
        ("cross_industry_platforms", "range", 1, 2),  # 1—2 个
        ("enterprise_level_platforms", ">=", 10, None),  # 10 个以上
        ("application_demo_projects", ">=", 60, None),  # 60 个以上
        ("provincial_demo_industry_bases", "range", 1, 2),  # 1—2 个
        ("new_tech_fusion_demo_projects", ">=", 60, None),  # 60 个以上
    ],
)
def test_iiot_headline_targets(iiot_targets, target_id, comparator, value, value_max):
    t = iiot_targets[target_id]
    assert t.kind == "headline"
    assert t.comparator == comparator
    assert t.base_value == value
    assert t.base_value_max == value_max
    assert t.start == dt.date(2020, 1, 1)
    assert t.deadline == END_2022


@pytest.mark.parametrize(
    "target_id,comparator,value,value_max,serves",
    [
        ("annual_intranet_upgrade_benchmarks", ">=", 10, None, []),
        ("annual_municipal_platforms", ">=", 3, None, []),
        ("annual_municipal_demo_enterprises", ">=", 20, None, []),
        ("annual_application_demo_projects", ">=", 20, None, ["application_demo_projects"]),
        ("annual_municipal_demo_bases", "range", 1, 2, []),
        ("annual_new_tech_fusion_benchmarks", ">=", 10, None, ["new_tech_fusion_demo_projects"]),
        ("annual_industry_fusion_benchmarks", ">=", 10, None, ["new_tech_fusion_demo_projects"]),
    ],
)
def test_iiot_annual_commitments(iiot_targets, target_id, comparator, value, value_max, serves):
    t = iiot_targets[target_id]
    assert t.kind == "annual"
    assert t.comparator == comparator
    assert t.base_value == value
    assert t.base_value_max == value_max
    assert t.years == [2020, 2021, 2022]
    assert t.deadline == END_2022
    assert t.serves == serves


def test_serves_names_a_headline_target(iiot_targets):
    for t in iiot_targets.values():
        for target_id in t.serves:
            assert iiot_targets[target_id].kind == "headline", (t.id, target_id)
