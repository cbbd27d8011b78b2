"""Schema of ``data/policies/*.yaml``: one file per gazette document, every measure that carries a
number, each number with the exact words it comes from."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..errors import ParameterWindowError
from ..units import UnknownUnitError, did_you_mean, get_unit
from .common import NonNegative, Period, Strict, implausible


class Instrument(StrEnum):
    """How a measure pays out: a closed set, one costing function each."""

    per_person_per_day = "per_person_per_day"  # 元/人/天 × workers × days, capped per firm
    per_head_grant = "per_head_grant"  # one-off 元 per person hired or placed
    premium_refund = (
        "premium_refund"  # share of last year's unemployment-insurance premiums returned
    )
    contribution_exemption = "contribution_exemption"  # employer social-insurance waived or halved
    contribution_rate_cut = "contribution_rate_cut"  # employer contribution rate lowered
    levy_relief = "levy_relief"  # disability-employment levy and housing-fund relief
    wage_linked_subsidy = "wage_linked_subsidy"  # a share of the minimum wage per person per month
    per_person_per_month = "per_person_per_month"  # fixed 元/人/月 for a number of months
    benefit_extension = "benefit_extension"  # an existing subsidy or benefit paid for longer
    training_subsidy = "training_subsidy"  # share of the training standard, or 元/学时
    rent_relief_subsidy = "rent_relief_subsidy"  # share of rent waived by a landlord, capped
    loan_guarantee = "loan_guarantee"  # guaranteed loans: a contingent liability
    service_grant = "service_grant"  # yearly grant per service station plus a bonus per result
    capped_share_grant = "capped_share_grant"  # a share of an amount, capped per recipient
    tiered_grant = "tiered_grant"  # a fixed sum per recipient by tier (national/provincial/city)
    budget_line = "budget_line"  # an appropriation: a fixed sum per year
    unpriced = "unpriced"  # support promised with no amount printed


FiscalClass = Literal["A", "B", "C", "D"]
"""IMF fiscal-response classes: A spending or forgone revenue, B below the line (loans, equity),
C contingent liabilities (guarantees), D deferrals."""

GovernmentLevel = Literal[
    "central", "provincial", "municipal", "district", "social_insurance_fund", "mixed"
]


class Parameter(Strict):
    """One number of a measure, as printed, with the words it comes from."""

    value: NonNegative
    unit: str
    quote: str = Field(min_length=2)
    per: str | None = None  # what a cap or amount is per: 企业, 人, 站 ...
    # for a threshold or cap, which side of the number qualifies: 以上 ">=", 超过 ">", 以下/（含）
    # "<=", 不足 "<", 最高/最长 "<=" (a ceiling), an exact count "=="
    comparator: Literal[">=", ">", "<=", "<", "=="] | None = None
    valid: Period | None = None  # when the number applies; defaults to the measure's period
    allow_above_one: bool = False  # a rate that may exceed 100 %
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        try:
            get_unit(unit)
        except UnknownUnitError as exc:
            raise ValueError(str(exc)) from None
        return unit

    @model_validator(mode="after")
    def _rate_range(self) -> Parameter:
        why = implausible(self.value, self.unit)
        if why:
            raise ValueError(why)
        u = get_unit(self.unit)
        if u.dimension in ("rate", "rate_change") and not self.allow_above_one:
            if not 0 <= u.to_base(self.value) <= 1:
                raise ValueError(
                    f"rate {self.value} {self.unit} is outside [0, 1] once converted "
                    f"({u.to_base(self.value):g}); set allow_above_one if that is intended"
                )
        return self

    @property
    def base_value(self) -> float:
        return get_unit(self.unit).to_base(self.value)

    @property
    def base_unit(self) -> str:
        return get_unit(self.unit).base


# What the instruments' costing functions expect of a parameter, as a base unit (``units``): a
# rate of a per_person_per_day subsidy is money per person per day, so 200 万元 in its place is a
# unit slip, not 200 元/人/天. "*money" applies to every money parameter of the instrument.
EXPECTED_UNITS: dict[str, dict[str, str]] = {
    "per_person_per_day": {"rate": "元/人/天", "firm_cap": "元/企业"},
    "per_person_per_month": {"amount": "元/人/月"},
    "per_head_grant": {"*money": "元/人"},
    "training_subsidy": {"rate": "元/学时"},
    "budget_line": {"annual_amount": "元/年"},
    "service_grant": {"annual_grant": "元/站/年", "per_entrepreneur_bonus": "元/人"},
    "wage_linked_subsidy": {"share_of_minimum_wage": "fraction"},
    "premium_refund": {"refund_share": "fraction"},
    "contribution_exemption": {"*money": "(none)"},
}
_EXAMPLES = {
    "元/人/天": "元/人/天",
    "元/企业": "万元/企业",
    "元/人/月": "元/人/月",
    "元/人": "元/人",
}


class Measure(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    title_zh: str
    title_en: str
    instrument: Instrument
    fiscal_class: FiscalClass | None = None  # None: no fiscal flow (a regulatory provision)
    funding_source: str | None = None
    funding_quote: str | None = None
    government_level: GovernmentLevel | None = None
    responsible: list[str] = Field(default_factory=list)
    period: Period | None = None
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    notes: str | None = None

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, params: dict[str, Parameter]) -> dict[str, Parameter]:
        import re

        for name in params:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"parameter name '{name}' must be snake_case")
        return params

    @model_validator(mode="after")
    def _units_fit_instrument(self) -> Measure:
        expected = EXPECTED_UNITS.get(self.instrument.value, {})
        wrong = []
        for name, p in self.parameters.items():
            u = get_unit(p.unit)
            want = expected.get(name) or (
                expected.get("*money") if u.dimension == "money" else None
            )
            if want is None or u.base == want:
                continue
            if want == "(none)":
                wrong.append(f"{name}: a {self.instrument.value} measure takes no money amount")
                continue
            wrong.append(
                f"{name}: unit '{p.unit}' is {u.base}, but a {self.instrument.value} measure's "
                f"{name if name in expected else 'amount'} is in {want} "
                f"(e.g. '{_EXAMPLES.get(want, want)}')"
            )
        if wrong:
            raise ValueError("; ".join(wrong))
        return self

    def window(self, name: str) -> Period | None:
        p = self.parameters[name]
        return p.valid or self.period

    def value(self, name: str, on: dt.date | None = None) -> float:
        """The base value of parameter ``name``; with ``on``, only if that date is in its window.

        Raises ``ParameterWindowError`` rather than return a value that did not apply on that day.
        """
        if name not in self.parameters:
            raise KeyError(
                f"measure '{self.id}' has no parameter '{name}'"
                + did_you_mean(name, self.parameters)
            )
        if on is not None:
            window = self.window(name)
            if window is not None and not window.contains(on):
                raise ParameterWindowError(
                    f"{self.id}.{name} applies from {window.start or 'the start'} to "
                    f"{window.end or 'open end'}; it has no value on {on}"
                )
        return self.parameters[name].base_value


class Fact(Strict):
    """A number in a document that is neither a costed amount nor a target (item counts, notice
    periods): recorded so the catalog holds every number."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    description_zh: str
    description_en: str
    value: NonNegative
    unit: str
    quote: str = Field(min_length=2)

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)

    @model_validator(mode="after")
    def _plausible(self) -> Fact:
        why = implausible(self.value, self.unit)
        if why:
            raise ValueError(why)
        return self

    @property
    def base_value(self) -> float:
        return get_unit(self.unit).to_base(self.value)


class PolicyDocument(Strict):
    doc: str  # the document number as printed, without inner spaces: 济政发〔2020〕1号
    title_zh: str
    title_en: str
    issuer: str
    issued: dt.date
    measures: list[Measure] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> PolicyDocument:
        seen: set[str] = set()
        for item in [*self.measures, *self.facts]:
            if item.id in seen:
                raise ValueError(f"id '{item.id}' appears twice")
            seen.add(item.id)
        return self
