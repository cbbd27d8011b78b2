"""Numbers of 济政发〔2020〕1号, read by hand from the gazette and written here as literals, in base
units (元, fractions, counts). None of them is computed from the data."""

from __future__ import annotations

import datetime as dt

import pytest

from jnpolicy_analysis.errors import ParameterWindowError

DOC = "济政发〔2020〕1号"


def test_document_header(catalog):
    d = catalog.documents[DOC]
    assert d.issuer == "济南市人民政府"
    assert d.issued == dt.date(2020, 3, 2)
    assert d.title_zh == "济南市人民政府关于积极应对新冠肺炎疫情进一步做好稳就业工作的实施意见"


def test_clause_2_key_supply_hiring_subsidy(catalog):
    m = catalog.measure("key_supply_hiring_subsidy")
    assert m.clause == "2"
    assert m.instrument == "per_person_per_day"
    assert m.parameters["rate"].value == 200
    assert m.parameters["rate"].unit == "元/人/天"
    assert m.value("rate") == 200
    assert m.parameters["firm_cap"].value == 50
    assert m.parameters["firm_cap"].unit == "万元/企业"
    assert m.value("firm_cap") == 500_000
    assert m.period.end == dt.date(2020, 2, 9)
    assert m.period.start == dt.date(2020, 1, 24)  # inferred: Spring Festival eve
    assert m.funding_source == "就业补助资金"


def test_clause_2_new_hire_grant(catalog):
    m = catalog.measure("new_hire_grant")
    assert m.value("grant") == 1000
    assert m.value("min_contract_term") == 1
    assert m.value("hiring_window") == 1
    assert m.period.start == dt.date(2020, 2, 10)


def test_clause_2_job_placement_subsidy(catalog):
    m = catalog.measure("job_placement_subsidy")
    assert m.value("subsidy") == 300
    assert m.value("min_contract_term") == 1
    assert m.period.start == dt.date(2020, 2, 4)
    assert m.period.end == dt.date(2020, 5, 4)
    assert m.value("subsidy", on=dt.date(2020, 5, 4)) == 300
    with pytest.raises(ParameterWindowError):
        m.value("subsidy", on=dt.date(2020, 5, 5))


def test_clause_6_job_retention_refund(catalog):
    m = catalog.measure("job_retention_refund")
    assert m.instrument == "premium_refund"
    assert m.value("refund_share") == pytest.approx(0.5)
    assert m.value("refund_share_key_projects") == pytest.approx(0.6)
    assert m.value("refund_share_overcapacity_and_energy_intensive") == pytest.approx(0.7)
    assert m.value("layoff_rate_ceiling") == pytest.approx(0.055)
    assert m.value("small_firm_layoff_ceiling") == pytest.approx(0.20)
    assert m.value("small_firm_size_limit") == 30
    assert m.government_level == "social_insurance_fund"


def test_clause_6_distressed_firm_refund(catalog):
    m = catalog.measure("distressed_firm_retention_refund")
    assert m.value("benefit_months") == 6
    assert m.value("extension") == 1
    assert m.period.start == dt.date(2020, 1, 1)
    assert m.period.end == dt.date(2020, 12, 31)


def test_clause_7_rate_cut_extensions(catalog):
    for mid in (
        "unemployment_insurance_rate_cut_extension",
        "work_injury_insurance_rate_cut_extension",
    ):
        m = catalog.measure(mid)
        assert m.instrument == "contribution_rate_cut"
        assert m.value("extension") == 1
        assert m.period.start == dt.date(2020, 5, 1)
        assert m.period.end == dt.date(2021, 4, 30)


def test_clause_7_medical_insurance_cut(catalog):
    m = catalog.measure("medical_insurance_rate_cut")
    assert m.parameters["rate_cut"].value == 1
    assert m.parameters["rate_cut"].unit == "个百分点"
    assert m.value("rate_cut") == pytest.approx(0.01)
    assert m.period.start == dt.date(2020, 3, 1)
    assert m.period.end == dt.date(2020, 12, 31)
    assert m.value("rate_cut", on=dt.date(2020, 6, 15)) == pytest.approx(0.01)
    with pytest.raises(ParameterWindowError):
        m.value("rate_cut", on=dt.date(2021, 1, 15))
    with pytest.raises(ParameterWindowError):
        m.value("rate_cut", on=dt.date(2020, 2, 29))


def test_clause_8_contribution_relief_windows(catalog):
    sme = catalog.measure("sme_social_insurance_exemption")
    assert sme.value("exemption_share") == pytest.approx(1.0)
    assert sme.period.start == dt.date(2020, 2, 1)
    assert sme.period.end == dt.date(2020, 6, 30)
    large = catalog.measure("large_firm_social_insurance_halving")
    assert large.value("reduction_share") == pytest.approx(0.5)
    assert large.period.start == dt.date(2020, 2, 1)
    assert large.period.end == dt.date(2020, 4, 30)
    assert sme.value("exemption_share", on=dt.date(2020, 5, 15)) == pytest.approx(1.0)
    with pytest.raises(ParameterWindowError):
        large.value("reduction_share", on=dt.date(2020, 5, 15))


def test_clause_9_levy_and_housing_fund(catalog):
    m = catalog.measure("disability_levy_relief")
    assert m.value("small_firm_exemption") == pytest.approx(1.0)
    assert m.value("small_firm_size_limit") == 30
    assert m.period.start == dt.date(2020, 1, 1)
    assert m.period.end == dt.date(2022, 12, 31)
    hf = catalog.measure("housing_fund_relief")
    assert hf.fiscal_class == "D"
    assert hf.funding_source == "住房公积金"
    # the deferral after heavy losses prints no number: a class-D measure of its own, quoted
    deferral = catalog.measure("disability_levy_deferral")
    assert deferral.clause == "9"
    assert deferral.fiscal_class == "D"
    assert deferral.funding_source == "残疾人就业保障金"
    assert deferral.funding_quote == "对因疫情遭受重大直接经济损失的，可申请减免或者缓缴残保金"
    assert deferral.parameters == {}
    assert deferral.financing.budget == "政府性基金预算"
    # not costed twice: the provision left uncosted names the reduction, not the deferral
    provision = next(
        p for p in catalog.documents[DOC].not_costed if p.id == "disability_levy_tiered_reduction"
    )
    assert "deferral" not in provision.title_en
    assert "disability_levy_deferral" in provision.reason


def test_clause_10_graduates(catalog):
    m = catalog.measure("graduate_internship_subsidy")
    assert m.instrument == "wage_linked_subsidy"
    assert m.value("share_of_minimum_wage") == pytest.approx(0.6)
    assert m.value("months_before_insurance") == 3
    ext = catalog.measure("graduate_si_subsidy_extension")
    assert ext.period.start == dt.date(2020, 2, 4)
    assert ext.period.end == dt.date(2020, 6, 30)
    assert (
        catalog.measure("graduate_social_insurance_subsidy").value("years_since_leaving_school")
        == 2
    )


def test_clause_12_hard_to_employ(catalog):
    for mid in ("public_welfare_job_extension", "flexible_employment_si_subsidy_extension"):
        assert catalog.measure(mid).value("extension") == 1
    m = catalog.measure("poverty_workshop_subsidy")
    assert m.parameters["amount"].unit == "元/人/月"
    assert m.value("amount") == 1000
    assert m.value("months") == 3
    assert m.funding_source == "创业带动就业扶持资金"


def test_clause_14_training(catalog):
    p = catalog.measure("online_training_platform_subsidy")
    assert p.value("share_of_training_standard") == pytest.approx(0.2)
    assert p.period.end == dt.date(2020, 6, 30)
    assert p.funding_source == "职业技能提升行动专账资金"
    a = catalog.measure("training_living_allowance")
    assert a.parameters["rate"].unit == "元/学时"
    assert a.value("rate") == 5
    assert a.period.end == dt.date(2020, 6, 30)
    with pytest.raises(ParameterWindowError):
        a.value("rate", on=dt.date(2020, 7, 1))
    assert catalog.measure("labour_preparation_training_expansion").value("age_limit") == 20


def test_clause_17_rent_relief(catalog):
    prov = catalog.measure("provincial_incubator_rent_relief_subsidy")
    city = catalog.measure("municipal_incubator_rent_relief_subsidy")
    for m in (prov, city):
        assert m.instrument == "rent_relief_subsidy"
        assert m.value("share_of_waived_rent") == pytest.approx(0.3)
        assert m.value("max_months") == 3
        assert m.value("cap") == 500_000
    assert prov.funding_source == "省级创业带动就业扶持资金"
    assert prov.government_level == "provincial"
    assert city.funding_source == "市级创业带动就业扶持资金"
    assert city.government_level == "municipal"


def test_clause_18_guaranteed_loans(catalog):
    m = catalog.measure("startup_guaranteed_loan")
    assert m.fiscal_class == "C"
    assert m.value("partnership_loan_cap") == 600_000
    assert m.value("new_hire_ratio") == pytest.approx(0.2)
    assert m.value("new_hire_ratio_over_100_staff") == pytest.approx(0.1)
    assert m.value("over_100_staff_threshold") == 100


def test_clause_19_service_stations(catalog):
    m = catalog.measure("return_entrepreneur_service_station")
    assert m.instrument == "service_grant"
    assert m.value("annual_grant") == 50_000
    assert m.value("per_entrepreneur_bonus") == 10_000


def test_clause_24_unemployment_benefit(catalog):
    m = catalog.measure("unemployment_benefit_increase")
    assert m.value("share_of_minimum_wage") == pytest.approx(0.9)
    assert m.period.start == dt.date(2020, 2, 1)
    assert m.value("share_of_minimum_wage", on=dt.date(2020, 2, 1)) == pytest.approx(0.9)
    with pytest.raises(ParameterWindowError):
        m.value("share_of_minimum_wage", on=dt.date(2020, 1, 31))
    r = catalog.measure("unemployment_benefit_to_retirement")
    assert r.value("years_to_retirement") == 1
    assert r.period.start == dt.date(2019, 12, 1)


def test_facts(catalog):
    facts = {f.id: f for f in catalog.documents[DOC].facts}
    assert facts["layoff_notice_days"].base_value == 30
    assert facts["free_training_vocational_schools"].base_value == 10
    assert facts["energy_intensive_industries"].base_value == 7
    assert facts["management_committees"].base_value == 4
    assert facts["distressed_refund_reference_month"].value == 12
    assert facts["social_insurance_lines_relieved"].value == 3
