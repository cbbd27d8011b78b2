"""How each measure of the gazette is costed: one small function per measure, binding its printed
parameters (``data/policies``) and the baseline assumptions (``data/baseline``) to its instrument's
costing function (``instruments``) and to a timing profile on the month grid (``grid``).

Every function returns the static cost by component, the take-up and the induced response
(``engine.Costing``). Amounts are in 元; a ``monthly`` component is 元 per month along a coverage
profile, a ``total`` component is a total paid along a profile. Measures whose instrument is
``unpriced`` are not costed: nothing is printed to cost them from (``not_costed_reason``).

Interactions. The employer social-insurance exemptions of clause 8 are costed first; the extended
rate cuts of clause 7 cost only what the exemptions have not already forgone (no contribution is
forgone twice in the months the two overlap, including when a scenario extends the exemption).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import grid, instruments
from .engine import Binding, Costing, MeasureContext

PENSION = "企业职工基本养老保险基金"
UNEMPLOYMENT = "失业保险基金"
WORK_INJURY = "工伤保险基金"
SME_EXEMPTION = "sme_social_insurance_exemption"
LARGE_HALVING = "large_firm_social_insurance_halving"

COSTINGS: dict[str, Binding] = {}


def costs(measure_id: str):
    def register(fn: Binding) -> Binding:
        COSTINGS[measure_id] = fn
        return fn

    return register


# --------------------------------------------------------------------------- shared quantities


def minimum_wage(m: MeasureContext):
    """Local monthly minimum wage (元/月), weighted by the share of people in class-1 areas (the
    five core districts: 1,910) against class-2 areas (1,730); never class 1 city-wide."""

    def compute():
        share = m.a("class1_area_share", "fraction")
        low, high = m.a("minimum_wage_class2", "元/月"), m.a("minimum_wage_class1", "元/月")
        return low + share * (high - low)

    return m.shared("minimum_wage", compute)


def contribution_base(m: MeasureContext):
    """Declared monthly contribution base per insured employee (元/月)."""
    return m.shared(
        "contribution_base",
        lambda: m.a("average_wage", "元/年") * (m.a("contribution_base_ratio", "fraction") / 12.0),
    )


def insured_wage_bill(m: MeasureContext):
    """Monthly contribution base on which enterprise contributions are actually collected (元/月)."""
    return m.shared(
        "insured_wage_bill",
        lambda: (
            m.a("insured_employees", "count")
            * m.a("contribution_collection_rate", "fraction")
            * contribution_base(m)
        ),
    )


def overlap(m: MeasureContext, other_id: str, start: dt.date, end: dt.date) -> np.ndarray:
    """Coverage of the days [start, end] shares with another measure's window (scenario-aware)."""
    period = m.scenario.period(other_id)
    if period is None or period.start is None:
        return np.zeros(grid.N_MONTHS)
    lo, hi = max(start, period.start), min(end, period.end or grid.GRID_END)
    return m.covered(lo, hi) if hi >= lo else np.zeros(grid.N_MONTHS)


# --------------------------------------------------------------------------- 济政发〔2020〕1号


@costs("key_supply_hiring_subsidy")
def key_supply_hiring_subsidy(m: MeasureContext) -> Costing:
    """Clause 2: 200 元 per worker per day over Spring Festival (to 2020-02-09), at most 50万 per
    firm, for firms making key epidemic-control supplies. Firm size is lognormal, so the cap binds
    on the large firms only. Paid in the two months after the window."""
    start, end = m.window()
    days = grid.days_inclusive(start, end) * m.a("key_supply_share_of_days_worked", "fraction")
    static = instruments.per_person_per_day(
        m.p("rate"),
        days,
        m.a("key_supply_median_workers", "count"),
        m.p("firm_cap"),
        sigma=m.a("key_supply_firm_size_sigma", "fraction"),
        firms=m.a("key_supply_firms", "count"),
    )
    return m.costing(
        m.total(static, grid.months_after(end, 2)), take_up=m.a("key_supply_take_up", "fraction")
    )


@costs("new_hire_grant")
def new_hire_grant(m: MeasureContext) -> Costing:
    """Clause 2: 1,000 元 per worker newly hired within a month of 2020-02-10 on a contract of a year
    or more with social insurance. Paid over the three months after the hiring window (the hire
    must first appear in the insurance records)."""
    _, end = m.window()
    static = instruments.per_head_grant(m.p("grant"), m.a("new_hires_in_window", "count"))
    return m.costing(
        m.total(static, grid.months_after(end, 3)),
        take_up=m.a("new_hire_take_up", "fraction"),
        response=m.a("new_hire_induced_share", "fraction"),
    )


@costs("job_placement_subsidy")
def job_placement_subsidy(m: MeasureContext) -> Costing:
    """Clause 2: 300 元 per skilled worker or graduate placed with a Jinan firm on a contract of a
    year or more, 2020-02-04 to 05-04. Paid two months after each placement."""
    static = instruments.per_head_grant(m.p("subsidy"), m.a("job_placements_in_window", "count"))
    return m.costing(
        m.total(static, grid.shift(m.covered(), 2)),
        take_up=m.a("job_placement_take_up", "fraction"),
    )


@costs("job_retention_refund")
def job_retention_refund(m: MeasureContext) -> Costing:
    """Clause 6: 50 % of last year's unemployment-insurance premiums back to insured firms that do
    not lay off (or lay off few), 60 % for key-project firms, 70 % for overcapacity and the seven
    energy-intensive industries. Lever ``sme_refund_share`` gives small, medium and micro firms
    another share (the State Council's 100 %). Paid over the 2020 refund round."""
    premiums = (
        m.a("insured_employees", "count")
        * contribution_base(m)
        * 12.0
        * m.a("contribution_collection_rate", "fraction")
        * (
            m.a("employer_ui_rate", "fraction")
            + m.a("employee_ui_rate", "fraction") * m.a("refund_counts_worker_premiums", "fraction")
        )
    )
    eligible = premiums * m.a("retention_eligible_share", "fraction")
    key = m.a("retention_key_project_share", "fraction")
    energy = m.a("retention_energy_intensive_share", "fraction")
    tiered = (
        (1 - key - energy) * m.p("refund_share")
        + key * m.p("refund_share_key_projects")
        + energy * m.p("refund_share_overcapacity_and_energy_intensive")
    )
    sme_share = m.lever("sme_refund_share")
    if sme_share is None:
        static = instruments.premium_refund(eligible, tiered)
    else:
        sme = m.a("sme_share_of_insured", "fraction")
        static = instruments.premium_refund(eligible * (1 - sme), tiered) + (
            instruments.premium_refund(eligible * sme, sme_share)
        )
    return m.costing(m.total(static, m.covered()), take_up=m.a("retention_take_up", "fraction"))


@costs("distressed_firm_retention_refund")
def distressed_firm_retention_refund(m: MeasureContext) -> Costing:
    """Clause 6: for firms in difficulty but expected to recover, a refund of 6 months of the local
    average monthly unemployment benefit of December 2019 per insured worker, during 2020. The
    December 2019 benefit is the previous standard (a share of the minimum wage) before clause 24
    raised it."""
    benefit_dec_2019 = m.a("ui_benefit_prior_share", "fraction") * minimum_wage(m)
    static = instruments.per_person_per_month(
        benefit_dec_2019, m.a("distressed_firm_insured_staff", "count"), m.p("benefit_months")
    )
    return m.costing(m.total(static, m.covered()))


@costs("unemployment_insurance_rate_cut_extension")
def unemployment_insurance_rate_cut_extension(m: MeasureContext) -> Costing:
    """Clause 7: the phased cut in the unemployment-insurance rate runs one more year, 2020-05-01
    to 2021-04-30. No rate is printed: the cut is the assumption ``ui_rate_cut`` (the rate would
    otherwise revert from the phased 1 % total). The employers' part of the cut is not forgone
    again while clause 8 exempts (SMEs) or halves (large firms) their contributions."""
    start, end = m.window()
    employer = m.a("employer_ui_rate", "fraction")
    employer_part = employer / (employer + m.a("employee_ui_rate", "fraction"))
    forgone = instruments.contribution_rate_cut(
        insured_wage_bill(m), m.a("ui_rate_cut", "fraction")
    )
    sme = m.a("sme_share_of_insured", "fraction")
    return m.costing(
        m.monthly(forgone, m.covered()),
        m.monthly(
            -forgone * employer_part * sme * m.other(SME_EXEMPTION, "exemption_share"),
            overlap(m, SME_EXEMPTION, start, end),
        ),
        m.monthly(
            -forgone * employer_part * (1 - sme) * m.other(LARGE_HALVING, "reduction_share"),
            overlap(m, LARGE_HALVING, start, end),
        ),
    )


@costs("work_injury_insurance_rate_cut_extension")
def work_injury_insurance_rate_cut_extension(m: MeasureContext) -> Costing:
    """Clause 7: the phased cut in the work-injury rate runs one more year, 2020-05-01 to
    2021-04-30. No rate is printed: the cut is ``work_injury_cut_share`` of the undiscounted rate
    (national 2019 rule: 20 % or 50 % by the fund's reserves), so the forgone rate is
    r x s / (1 - s) on the rate in force r. Not forgone again while clause 8 relieves employers."""
    start, end = m.window()
    cut_share = m.a("work_injury_cut_share", "fraction")
    rate_cut = m.a("employer_work_injury_rate", "fraction") * cut_share / (1 - cut_share)
    forgone = instruments.contribution_rate_cut(insured_wage_bill(m), rate_cut)
    sme = m.a("sme_share_of_insured", "fraction")
    return m.costing(
        m.monthly(forgone, m.covered()),
        m.monthly(
            -forgone * sme * m.other(SME_EXEMPTION, "exemption_share"),
            overlap(m, SME_EXEMPTION, start, end),
        ),
        m.monthly(
            -forgone * (1 - sme) * m.other(LARGE_HALVING, "reduction_share"),
            overlap(m, LARGE_HALVING, start, end),
        ),
    )


@costs("medical_insurance_rate_cut")
def medical_insurance_rate_cut(m: MeasureContext) -> Costing:
    """Clause 7: the employer rate of employee basic medical insurance 1 个百分点 lower from
    2020-03-01 to 12-31, on the wage bill of every employer in the scheme (enterprises and public
    bodies: ``medical_to_enterprise_insured_ratio``)."""
    wage_bill = insured_wage_bill(m) * m.a("medical_to_enterprise_insured_ratio", "fraction")
    forgone = instruments.contribution_rate_cut(wage_bill, m.p("rate_cut"))
    return m.costing(m.monthly(forgone, m.covered()))


def _employer_relief(m: MeasureContext, firms_share, relief_share) -> Costing:
    wage_bill = insured_wage_bill(m) * firms_share
    weights = m.covered()
    rates = [
        (PENSION, m.a("employer_pension_rate", "fraction")),
        (UNEMPLOYMENT, m.a("employer_ui_rate", "fraction")),
        (WORK_INJURY, m.a("employer_work_injury_rate", "fraction")),
    ]
    return m.costing(
        *(
            m.monthly(
                instruments.contribution_exemption(wage_bill, rate, relief_share), weights, fund
            )
            for fund, rate in rates
        )
    )


@costs(SME_EXEMPTION)
def sme_social_insurance_exemption(m: MeasureContext) -> Costing:
    """Clause 8: SMEs exempt from employer pension, unemployment and work-injury contributions,
    February to June 2020; each fund's part forgone month by month."""
    return _employer_relief(m, m.a("sme_share_of_insured", "fraction"), m.p("exemption_share"))


@costs(LARGE_HALVING)
def large_firm_social_insurance_halving(m: MeasureContext) -> Costing:
    """Clause 8: large firms pay half of those three employer contributions, February to April
    2020."""
    return _employer_relief(m, 1 - m.a("sme_share_of_insured", "fraction"), m.p("reduction_share"))


@costs("disability_levy_relief")
def disability_levy_relief(m: MeasureContext) -> Costing:
    """Clause 9: firms of 30 staff or fewer pay no disability-employment levy, 2020 to 2022: the
    levy they would have paid, forgone month by month. The tiered reduction for larger firms has no
    printed tiers and is not costed."""
    per_year = instruments.levy_relief(
        m.a("levy_liable_small_firms", "count"),
        m.a("levy_per_small_firm", "元/企业"),
        m.p("small_firm_exemption"),
    )
    return m.costing(m.monthly(per_year / 12.0, m.covered()))


# The national housing-provident-fund notice of February 2020 allowed deferral to 2020-06-30; the
# gazette prints no dates for clause 9's deferral, so the costing assumes February to June 2020.
HOUSING_FUND_DEFERRAL = (dt.date(2020, 2, 1), dt.date(2020, 6, 30))


@costs("housing_fund_relief")
def housing_fund_relief(m: MeasureContext) -> Costing:
    """Clause 9: struggling SMEs may defer housing-provident-fund contributions (class D: the amount
    deferred, to be paid later; shown apart from spending). Deferring employees x monthly wage x the
    combined employer and employee rate x months deferred (February to June 2020 assumed)."""
    start, end = m.window(default=HOUSING_FUND_DEFERRAL)
    weights = m.covered(start, end)
    monthly = instruments.levy_relief(
        m.a("housing_fund_deferring_employees", "count"),
        m.a("average_wage", "元/年") / 12.0 * m.a("housing_fund_rate_total", "fraction"),
        1.0,
    )
    return m.costing(m.monthly(monthly, weights))


@costs("graduate_si_subsidy_extension")
def graduate_si_subsidy_extension(m: MeasureContext) -> Costing:
    """Clause 10: small firms' social-insurance subsidy for graduate hires that ran out on or after
    2020-02-04 continues to 2020-06-30. Paid a month after the months it covers."""
    static = instruments.benefit_extension(
        m.a("graduate_si_extension_beneficiaries", "count"),
        m.a("graduate_si_subsidy_monthly", "元/人/月"),
        m.a("graduate_si_extension_months", "月"),
    )
    return m.costing(m.total(static, grid.shift(m.covered(), 1)))


@costs("graduate_internship_subsidy")
def graduate_internship_subsidy(m: MeasureContext) -> Costing:
    """Clause 10: the internship subsidy raised to 60 % of the local minimum wage. Costed as the
    rise over the previous standard (``internship_prior_share``) for the interns on placement in
    each month (yearly entrants x average months / 12), from the issue date to the end of 2022."""
    interns_on_placement = (
        m.a("interns_per_year", "count/年") * m.a("internship_months", "月") / 12.0
    )
    per_month = instruments.wage_linked_subsidy(
        interns_on_placement,
        minimum_wage(m),
        m.p("share_of_minimum_wage"),
        m.a("internship_prior_share", "fraction"),
    )
    return m.costing(m.monthly(per_month, m.covered()))


def _extension_one_year(m: MeasureContext, people: str, monthly: str) -> Costing:
    """People whose entitlement expires during the printed year (evenly) keep it ``extension``
    more years; the share still without stable work uses it."""
    start, end = m.window()
    months = m.p("extension") * 12.0
    entry_end = dt.date(end.year - int(m.p("extension")), end.month, end.day)
    weights = grid.staggered(grid.spread(m.covered(start, entry_end)), months)
    static = instruments.benefit_extension(m.a(people, "count"), m.a(monthly, "元/人/月"), 1.0)
    return m.costing(m.monthly(static, weights), take_up=m.a("extension_use_share", "fraction"))


@costs("public_welfare_job_extension")
def public_welfare_job_extension(m: MeasureContext) -> Costing:
    """Clause 12: public-welfare job support that expires in 2020 without stable employment runs
    one more year (job and social-insurance subsidies per person per month)."""
    return _extension_one_year(m, "public_welfare_job_expiries", "public_welfare_job_monthly_cost")


@costs("flexible_employment_si_subsidy_extension")
def flexible_employment_si_subsidy_extension(m: MeasureContext) -> Costing:
    """Clause 12: the flexible-employment social-insurance subsidy of hard-to-employ people that
    expires in 2020 without stable employment runs one more year."""
    return _extension_one_year(m, "flexible_si_expiries", "flexible_si_subsidy_monthly")


@costs("poverty_workshop_subsidy")
def poverty_workshop_subsidy(m: MeasureContext) -> Costing:
    """Clause 12: 1,000 元 per worker per month for 3 months to poverty-alleviation workshops that
    kept operating in the epidemic. Paid the month after each month covered."""
    start, _ = m.window()
    months = m.p("months")
    static = instruments.per_person_per_month(
        m.p("amount"), m.a("poverty_workshop_workers", "count"), months
    )
    weights = grid.months_after(start, int(round(months)), lag=0)
    return m.costing(
        m.total(static, grid.shift(weights, 1)),
        take_up=m.a("poverty_workshop_take_up", "fraction"),
    )


@costs("online_training_platform_subsidy")
def online_training_platform_subsidy(m: MeasureContext) -> Costing:
    """Clause 14: online platforms get 20 % of the course's training-subsidy standard per trainee
    passing the assessment, to 2020-06-30. Paid a month after the training."""
    static = instruments.training_subsidy(
        m.a("online_trainees_certified", "count"),
        m.a("training_subsidy_standard", "元/人"),
        m.p("share_of_training_standard"),
    )
    return m.costing(m.total(static, grid.shift(m.covered(), 1)))


@costs("training_living_allowance")
def training_living_allowance(m: MeasureContext) -> Costing:
    """Clause 14: 5 元 per class hour of living allowance for migrant workers and other priority
    groups in online training, to 2020-06-30. Paid a month after the training."""
    static = instruments.training_subsidy(
        m.a("living_allowance_trainees", "count"),
        m.p("rate") * m.a("living_allowance_hours", "学时"),
    )
    return m.costing(m.total(static, grid.shift(m.covered(), 1)))


def _rent_relief(m: MeasureContext, bases: str, median: str) -> Costing:
    """Clause 17: 30 % of the rent a base waived for SME tenants over at most 3 months, at most 50万
    per base; the rent waived is lognormal across bases. Waivers from the start of the epidemic,
    paid in the three months after the waiver months."""
    start, _ = m.window()
    static = instruments.rent_relief_subsidy(
        m.p("share_of_waived_rent"),
        m.a(bases, "count"),
        m.a(median, "元/基地"),
        m.a("rent_waived_sigma", "fraction"),
        m.p("cap"),
    )
    waiver_months = int(round(m.p("max_months")))
    return m.costing(
        m.total(static, grid.months_after(start, 3, lag=waiver_months)),
        take_up=m.a("rent_relief_take_up", "fraction"),
    )


@costs("provincial_incubator_rent_relief_subsidy")
def provincial_incubator_rent_relief_subsidy(m: MeasureContext) -> Costing:
    """Clause 17, provincial bases and parks (provincial 创业带动就业扶持资金)."""
    return _rent_relief(m, "provincial_incubators", "provincial_rent_waived_median")


@costs("municipal_incubator_rent_relief_subsidy")
def municipal_incubator_rent_relief_subsidy(m: MeasureContext) -> Costing:
    """Clause 17, municipal bases and parks on the provincial terms (municipal fund)."""
    return _rent_relief(m, "municipal_incubators", "municipal_rent_waived_median")


@costs("startup_guaranteed_loan")
def startup_guaranteed_loan(m: MeasureContext) -> Costing:
    """Clause 18: easier guaranteed start-up loans (new-hire ratio 20 %, 10 % above 100 staff; up to
    60万 for partnerships). A contingent liability (class C): the expected cost is the extra
    guaranteed volume x the default rate, booked when the loans are made (evenly from the issue
    date to the end of 2022). The guaranteed volume is reported as the exposure."""
    volume = m.a("startup_loan_additional_volume", "元/年") * m.years()
    static = instruments.loan_guarantee(volume, m.a("startup_loan_default_rate", "fraction"))
    return m.costing(m.total(static, m.covered()), exposure=volume)


@costs("return_entrepreneur_service_station")
def return_entrepreneur_service_station(m: MeasureContext) -> Costing:
    """Clause 19: 5万 a year per returnee-entrepreneur service station plus 1万 per entrepreneur
    it brings back, from the issue date to the end of 2022."""
    static = instruments.service_grant(
        m.a("return_service_stations", "count"),
        m.p("annual_grant"),
        m.years(),
        m.a("returnees_per_station_year", "count/年"),
        m.p("per_entrepreneur_bonus"),
    )
    return m.costing(m.total(static, m.covered()))


@costs("unemployment_benefit_increase")
def unemployment_benefit_increase(m: MeasureContext) -> Costing:
    """Clause 24: unemployment benefit raised to 90 % of the local minimum wage from February 2020:
    recipients x minimum wage x (90 % - the previous share), each month to the end of 2022."""
    per_month = instruments.wage_linked_subsidy(
        m.a("ui_benefit_recipients", "count"),
        minimum_wage(m),
        m.p("share_of_minimum_wage"),
        m.a("ui_benefit_prior_share", "fraction"),
    )
    return m.costing(m.monthly(per_month, m.covered()))


@costs("unemployment_benefit_to_retirement")
def unemployment_benefit_to_retirement(m: MeasureContext) -> Costing:
    """Clause 24: benefit continues to retirement for those whose entitlement ran out (December
    2019 on) less than a year before it, at the raised standard (90 % of the minimum wage). New
    cases arrive evenly, ``near_retirement_continuers`` a year; each is paid
    ``near_retirement_months`` more months. Months paid after December 2022 are not counted."""
    months = m.a("near_retirement_months", "月")
    typical = m.point("near_retirement_months")
    benefit = m.other("unemployment_benefit_increase", "share_of_minimum_wage") * minimum_wage(m)
    per_month_entrants = m.a("near_retirement_continuers", "count/年") / 12.0
    # people on benefit in month t per entrant-month: the cases that arrived in the last months
    on_benefit = grid.staggered(m.covered(), typical)
    static = instruments.benefit_extension(per_month_entrants, benefit, months / typical)
    return m.costing(m.monthly(static, on_benefit))


# --------------------------------------------------------------------------- 济政办发〔2020〕2号


@costs("first_version_software_grant")
def first_version_software_grant(m: MeasureContext) -> Costing:
    """四（二）: 30 % of a first-version software product's receipts in its first year of sales, at
    most 100万 per product; receipts lognormal across products. Paid once the year of sales is
    over, so from a year after the issue date to the end of 2022."""
    start, end = m.window()
    first_payment = dt.date(start.year + int(m.p("sales_window")), start.month, start.day)
    years = m.years(first_payment, end)
    static = instruments.capped_share_grant(
        m.p("share"),
        m.a("first_version_products_per_year", "count/年") * years,
        m.a("first_version_sales_median", "元/产品"),
        m.a("first_version_sales_sigma", "fraction"),
        m.p("cap"),
    )
    return m.costing(m.total(static, m.covered(first_payment, end)))


@costs("postdoc_station_grant")
def postdoc_station_grant(m: MeasureContext) -> Costing:
    """四（二）: 50万 / 20万 / 10万 per newly approved national / provincial / municipal post-doctoral
    station set up by a platform firm with a university, from the issue date to the end of 2022."""
    years = m.years()
    static = instruments.tiered_grant(
        [
            m.a("postdoc_national_per_year", "count/年") * years,
            m.a("postdoc_provincial_per_year", "count/年") * years,
            m.a("postdoc_municipal_per_year", "count/年") * years,
        ],
        [m.p("national"), m.p("provincial"), m.p("municipal")],
    )
    return m.costing(m.total(static, m.covered()))


@costs("angel_investment_reward")
def angel_investment_reward(m: MeasureContext) -> Costing:
    """四（二）: 10 % of an angel fund's investment in a Jinan platform project, at most 100万 per
    project; investments lognormal across projects."""
    static = instruments.capped_share_grant(
        m.p("share"),
        m.a("angel_projects_per_year", "count/年") * m.years(),
        m.a("angel_investment_median", "元/项目"),
        m.a("angel_investment_sigma", "fraction"),
        m.p("cap"),
    )
    return m.costing(m.total(static, m.covered()))


# --------------------------------------------------------------------------- 济政字〔2020〕16号


@costs("enterprise_cloud_fund")
def enterprise_cloud_fund(m: MeasureContext) -> Costing:
    """三（二）: 2000万 a year for three years for 企业上云; spent at ``budget_execution_rate``."""
    static = instruments.budget_line(m.p("annual_amount"), m.p("years"))
    return m.costing(m.total(static, m.covered()), take_up=m.a("budget_execution_rate", "fraction"))


def not_costed_reason(instrument: str, fiscal_class: str | None) -> str:
    if instrument == "unpriced":
        return "no amount or rate is printed, and no public figure gives one"
    if fiscal_class is None:
        return "a regulatory provision with no fiscal flow"
    return "no costing written for this measure yet"
