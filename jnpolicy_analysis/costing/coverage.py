"""Provisions of 济政发〔2020〕1号 that have no entry in the policy catalog, with the reason each is
not costed, so that every clause of the three documents is either costed or listed as not costed.

The catalog (``data/policies``) records the measures that carry a number or a fiscal flow; the
other two documents record their unpriced measures there too. The clauses and parts of clauses of
济政发〔2020〕1号 below carry neither a printed amount nor a rate; most are administrative or
regulatory. Where a provision promises money with no amount, the reason says so.
"""

from __future__ import annotations

from dataclasses import dataclass

DOC = "济政发〔2020〕1号"


@dataclass(frozen=True)
class Provision:
    id: str
    clause: str
    title_en: str
    reason: str


REGULATORY = "regulatory or administrative provision: no fiscal flow"
NO_AMOUNT = "money promised with no amount or rate printed, and no public figure gives one"

PROVISIONS: list[Provision] = [
    Provision(
        "rapid_hiring_response",
        "1",
        "Hiring-service officers for key firms and projects",
        REGULATORY,
    ),
    Provision("online_recruitment", "3", "Online recruitment services", REGULATORY),
    Provision(
        "return_to_work_transport",
        "4",
        "Point-to-point transport back to work, local job matching",
        NO_AMOUNT + " (transport services are organised, not priced)",
    ),
    Provision(
        "stable_labour_relations", "5", "Remote work, flexible hours, dispute handling", REGULATORY
    ),
    Provision(
        "pharma_prepayment",
        "7",
        "Advance payment for medicines to producers and distributors",
        "a liquidity advance with no amount printed (it would be class B, below the line)",
    ),
    Provision(
        "state_capital_to_pension_fund",
        "7",
        "Transfer of state-capital income to cover the enterprise pension fund gap",
        "a transfer between public accounts with no amount printed",
    ),
    Provision(
        "disability_levy_tiered_reduction",
        "9",
        "Tiered reduction of the disability levy; reduction or deferral after heavy losses",
        NO_AMOUNT + " (the tiers are not printed)",
    ),
    Provision(
        "grassroots_programme_expansion",
        "10",
        "More places in 选调生, 三支一扶, 西部计划, 青鸟计划, internships; rural teachers and doctors",
        NO_AMOUNT,
    ),
    Provision(
        "migrant_worker_services",
        "11",
        "Services bought from labour cooperatives and brokers for organised migration",
        NO_AMOUNT,
    ),
    Provision(
        "epidemic_public_welfare_posts",
        "12",
        "Temporary grassroots epidemic-control public-welfare posts",
        NO_AMOUNT + " (the number of posts is not printed)",
    ),
    Provision(
        "other_groups",
        "13",
        "Overcapacity redeployment, veterans, disabled people, women",
        REGULATORY,
    ),
    Provision(
        "free_vocational_school_training",
        "14",
        "Free training by 10 secondary vocational schools; enterprise training centres",
        NO_AMOUNT,
    ),
    Provision(
        "skills_competition_subsidy",
        "15",
        "Competition subsidies (一定赛事补贴), master-craftsman stations, training bases",
        NO_AMOUNT,
    ),
    Provision(
        "vocational_education_reform",
        "16",
        "Vocational education system; a shared smart training base",
        NO_AMOUNT,
    ),
    Provision(
        "district_incubator_schemes",
        "17",
        "District-level operating-subsidy schemes for incubators",
        NO_AMOUNT + " (left to each district)",
    ),
    Provision(
        "graduate_startup_fund_and_credit_villages",
        "18",
        "Graduate start-up fund to be explored; guarantee-free lending for credit villages and parks",
        NO_AMOUNT,
    ),
    Provision(
        "returnee_land_quota", "19", "Land quotas for returnee start-up projects", REGULATORY
    ),
    Provision("leadership", "20", "Organisation, funding mechanisms, awards", REGULATORY),
    Provision(
        "policy_coordination", "21", "Employment impact assessment of other policies", REGULATORY
    ),
    Provision("monitoring", "22", "Monitoring and early warning of unemployment", REGULATORY),
    Provision(
        "employment_risk_reserve",
        "23",
        "Employment risk reserve fund; handling of mass layoffs",
        NO_AMOUNT + " (the reserve's size is not printed)",
    ),
    Provision(
        "temporary_living_allowance",
        "24",
        "One-off temporary living allowance; social assistance for unemployed families",
        NO_AMOUNT,
    ),
    Provision(
        "employment_services", "25", "Employment service brand, online service hall", REGULATORY
    ),
    Provision("implementation", "26", "Publicity and implementation", REGULATORY),
]
