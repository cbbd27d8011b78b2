"""Schema of ``data/policies/*.yaml``: one file per gazette document, every measure that carries a
number, each number with the exact words it comes from."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...errors import ParameterWindowError
from ...units import did_you_mean, get_unit
from .common import NonNegative, Number, Period, Strict, implausible, unit_of, value_problem
from .risk import ModellingRisk


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
    # why no costing reads this number of a costed measure (an eligibility condition, a number
    # another parameter already carries); without it validate warns that the number is unread
    unused: str | None = Field(default=None, min_length=8)
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        unit_of(unit)
        return unit

    @model_validator(mode="after")
    def _rate_range(self) -> Parameter:
        why = value_problem(self.value, self.unit, allow_above_one=self.allow_above_one)
        if why:
            raise ValueError(why)
        return self

    @property
    def base_value(self) -> float:
        return get_unit(self.unit).to_base(self.value)

    @property
    def base_unit(self) -> str:
        return get_unit(self.unit).base


class Binding(Strict):
    """Where an input of an instrument gets its value: exactly one of a printed ``parameter`` of the
    measure (``name``, or ``other_measure.name``), a baseline ``assumption``, a ``derived`` quantity
    (of the costing block or of the baseline), a constant ``value`` with its ``unit``, or a
    ``lever`` of the measure with the binding used ``otherwise`` (when no scenario sets it).

    ``at_most`` / ``at_least`` bind a printed limit: the value is capped (floored) at that
    binding, draw by draw, in the same unit (``months: {assumption: m, at_most: {parameter:
    max_months}}`` pays at most the printed months however many are assumed)."""

    parameter: str | None = None
    assumption: str | None = None
    derived: str | None = None
    lever: str | None = None
    otherwise: Binding | None = None
    value: Number | None = None
    unit: str | None = None
    at_most: Binding | None = None
    at_least: Binding | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Binding:
        given = [
            k
            for k in ("parameter", "assumption", "derived", "lever", "value")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of parameter, assumption, derived, lever or value"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if (self.value is None) != (self.unit is None):
            raise ValueError("a constant needs both value and unit")
        if (self.lever is None) != (self.otherwise is None):
            raise ValueError(
                "a lever binding needs 'otherwise': what applies when no scenario sets it"
            )
        return self

    def describe(self) -> str:
        if self.parameter is not None:
            return f"parameter '{self.parameter}'"
        if self.assumption is not None:
            return f"assumption '{self.assumption}'"
        if self.derived is not None:
            return f"derived quantity '{self.derived}'"
        if self.lever is not None:
            return f"lever '{self.lever}'"
        return f"constant {self.value:g} {self.unit}"


Months = int | Binding  # a whole number of months, or a binding to one


class Timing(Strict):
    """When a component's cost is paid, on the monthly grid (January 2020 - December 2022).

    ``follows``: ``window`` pays along the months the window covers (shifted ``lag`` months later);
    ``start`` / ``end`` pay in ``spread`` whole months after the month the window starts / ends
    (and ``lag`` more months). The window is the measure's period (with a scenario's override), or
    ``default_window`` when the measure prints none; ``starts_later_by`` / ``ends_earlier_by``
    move its ends by whole years. ``stagger``: entrants arrive evenly along the window and each is
    paid for that many months (the amount must be the whole cost; months after December 2022 are
    not counted). Timing always uses the scenario's point, never a draw."""

    follows: Literal["window", "start", "end"] = "window"
    lag: Months = 0
    spread: Months | None = None
    default_window: Period | None = None
    starts_later_by: Binding | None = None
    ends_earlier_by: Binding | None = None
    stagger: Binding | None = None

    @model_validator(mode="after")
    def _spread_needed(self) -> Timing:
        if self.follows != "window" and self.spread is None:
            raise ValueError(f"follows: {self.follows} needs spread (the months it is paid over)")
        if self.follows == "window" and self.spread is not None:
            raise ValueError("spread applies to follows: start or end only")
        if self.stagger is not None and self.follows != "window":
            raise ValueError("stagger applies to follows: window only")
        return self


class ComponentBlock(Strict):
    """One part of a measure's cost: an instrument, its inputs, its timing and the fund paying."""

    instrument: str
    inputs: dict[str, Binding | list[Binding]] = Field(default_factory=dict)
    timing: Timing = Field(default_factory=Timing)
    fund: str | None = None  # one of the measure's funding sources (default: all of them)
    note: str | None = None


class Derived(Strict):
    """A quantity computed once from others: ``expr`` uses + - * / and parentheses over names of
    assumptions, constants and derived quantities (and, in a costing block, ``param.name``,
    ``other_measure.name`` and ``window.days`` / ``window.months`` / ``window.years``); ``unit``
    is the base unit it comes out in, checked against the units of what it uses."""

    expr: str = Field(min_length=1)
    unit: str
    note: str | None = None


class Hook(Strict):
    """A named piece of Python for a cost that depends on another measure (``costing/hooks.py``)."""

    name: str
    inputs: dict[str, Binding] = Field(default_factory=dict)


class CostingBlock(Strict):
    """How a measure is costed: one component (``instrument``/``inputs``/``timing``/``fund`` here)
    or several (``components``), the behavioural bindings, and any measure-local derived
    quantities. A measure not costed says why in ``not_costed`` instead."""

    instrument: str | None = None
    inputs: dict[str, Binding | list[Binding]] = Field(default_factory=dict)
    timing: Timing | None = None
    fund: str | None = None
    components: list[ComponentBlock] = Field(default_factory=list)
    derived: dict[str, Derived] = Field(default_factory=dict)
    take_up: Binding | None = None
    induced_response: Binding | None = None
    exposure: Binding | None = None  # guaranteed volume of a contingent liability (元)
    hook: Hook | None = None
    not_costed: str | None = Field(default=None, min_length=8)
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> CostingBlock:
        single = self.instrument is not None or self.inputs or self.timing or self.fund
        if self.not_costed is not None:
            if single or self.components or self.take_up or self.hook:
                raise ValueError("a measure not costed has only not_costed (and a note)")
            return self
        if single and self.components:
            raise ValueError("give instrument/inputs/timing at the top or components, not both")
        if not single and not self.components:
            raise ValueError("give an instrument (or components), or not_costed with the reason")
        if single and self.instrument is None:
            raise ValueError("instrument is missing")
        return self

    def parts(self) -> list[ComponentBlock]:
        if self.components:
            return list(self.components)
        if self.instrument is None:
            return []
        return [
            ComponentBlock(
                instrument=self.instrument,
                inputs=self.inputs,
                timing=self.timing or Timing(),
                fund=self.fund,
            )
        ]


class Lever(Strict):
    """A policy setting a scenario may change that the gazette does not print (set in a scenario
    under ``parameters:`` as ``measure_id.name``, in ``unit``)."""

    unit: str
    description: str = Field(min_length=8)
    when_unset: str = Field(min_length=8)
    allow_above_one: bool = False  # a share that may exceed a whole (checked on every override)

    _known_unit = field_validator("unit")(Parameter._known_unit.__func__)


class Provision(Strict):
    """A provision of the document with no entry among its measures (no number to record), and why
    it is not costed."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    title_en: str
    reason: str = Field(min_length=8)


BUDGETS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "outside")
"""The four budgets of Chinese public finance, and ``outside`` for flows outside general government
(住房公积金: employees' own savings)."""
Budget = Literal[
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "outside"
]
LEVELS = ("central", "provincial", "municipal", "district")
COUNTERFACTUALS = ("new", "local_top_up", "implementation", "continuation")
STATUSES = (*COUNTERFACTUALS, "restated", "overtaken")
"""A measure's counterfactual status in one period: the four of ``Counterfactual``, and from the
register of higher-level policy (data/register) ``restated`` (the gazette repeats a national or
provincial rule: shown as restated national policy, outside the gazette's discretionary total) and
``overtaken`` (from a date, a higher-level rule at least as generous applies, so the cost would
be paid without the measure)."""
Status = Literal["new", "local_top_up", "implementation", "continuation", "restated", "overtaken"]


class ShareBinding(Strict):
    """A fraction that is either a sourced number (``value`` with ``source``), an assumption of
    ``data/baseline`` (drawn in the Monte Carlo) or, for a discretionary share, an ``expr`` of
    + - * / and parentheses over assumptions, numbers and the measure's printed ``param.name``
    (evaluated draw by draw: the part of a tiered rate above a higher-level standard)."""

    value: float | None = Field(default=None, ge=0, le=1)
    assumption: str | None = None
    expr: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one(self) -> ShareBinding:
        given = [k for k in ("value", "assumption", "expr") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of value (a sourced fraction), assumption or expr"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class GovernmentShares(Strict):
    """The shares of a measure's cost borne by each level of government. Each is a sourced
    fraction (a plain number, backed by ``source``), ``{assumption: name}`` (drawn in the Monte
    Carlo), or ``rest`` (one minus the others; at most one level). They sum to 1."""

    central: float | ShareBinding | Literal["rest"]
    provincial: float | ShareBinding | Literal["rest"]
    municipal: float | ShareBinding | Literal["rest"]
    district: float | ShareBinding | Literal["rest"]
    source: str | None = Field(default=None, min_length=8)  # for the plain numbers

    def items(self) -> list[tuple[str, float | ShareBinding | str]]:
        return [(level, getattr(self, level)) for level in LEVELS]

    @model_validator(mode="after")
    def _sum_to_one(self) -> GovernmentShares:
        rest = [lv for lv, s in self.items() if s == "rest"]
        if len(rest) > 1:
            raise ValueError(f"only one level may be 'rest', got {', '.join(rest)}")
        fixed = [
            s if isinstance(s, float | int) else s.value for _, s in self.items() if s != "rest"
        ]
        numbers = [x for x in fixed if x is not None]
        for lv, s in self.items():
            x = s if isinstance(s, float | int) else getattr(s, "value", None)
            if x is not None and not 0 <= x <= 1:
                raise ValueError(f"{lv}: share {x} is not between 0 and 1")
        drawn = [lv for lv, s in self.items() if isinstance(s, ShareBinding) and s.assumption]
        if drawn and not rest:
            raise ValueError(
                f"shares drawn from assumptions ({', '.join(drawn)}) need one level given as "
                "'rest', so that every draw sums to 1"
            )
        total = sum(numbers)
        if not rest and abs(total - 1) > 1e-9:
            raise ValueError(f"shares sum to {total:g}, not 1")
        if rest and total > 1 + 1e-9:
            raise ValueError(f"the given shares sum to {total:g}, more than 1, before 'rest'")
        if numbers and any(x > 0 for x in numbers) and self.source is None:
            raise ValueError("plain-number shares need a source (source: public: ... or the words)")
        return self


class StatusPhase(Strict):
    """A measure's counterfactual status from ``start`` (None: from the start of the measure) to
    the next phase's start: ``status``, the register's ``document`` it rests on (None only for a
    ``new`` measure), the ``discretionary_share`` of a ``local_top_up`` (the part above the
    higher-level standard), and the ``reason`` with its source."""

    start: dt.date | None = None
    status: Status
    document: str | None = None
    discretionary_share: ShareBinding | None = None
    reason: str = Field(min_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> StatusPhase:
        if self.status != "new" and self.document is None:
            raise ValueError(f"a {self.status} phase names the register's document it rests on")
        if (self.status == "local_top_up") != (self.discretionary_share is not None):
            raise ValueError(
                "discretionary_share (the part above the higher-level standard) is given for, "
                "and only for, a local_top_up phase"
            )
        return self


class Counterfactual(Strict):
    """What the measure changes against policy already decided: ``new`` (Jinan's own decision),
    ``local_top_up`` (beyond a higher-level mandate; ``discretionary_share`` is the part beyond),
    ``implementation`` (carries out a national or provincial decision) or ``continuation``
    (extends a policy already in force). ``reference`` cites the higher-level document."""

    status: Literal["new", "local_top_up", "implementation", "continuation"]
    reference: str = ""
    discretionary_share: ShareBinding | None = None
    note: str | None = None
    # set from the register of higher-level policy (data/register), never in a policy file:
    # the measure's status period by period, which replaces ``status`` in the costing
    phases: tuple[StatusPhase, ...] = ()

    @model_validator(mode="after")
    def _reference(self) -> Counterfactual:
        if self.status != "new" and len(self.reference) < 8:
            raise ValueError(
                f"a {self.status} measure cites the higher-level document in reference"
            )
        if (self.status == "local_top_up") != (self.discretionary_share is not None):
            raise ValueError(
                "discretionary_share (the part beyond the mandate) is given for, and only for, "
                "a local_top_up measure"
            )
        return self


class FundFinancing(Strict):
    """Budget and shares of one fund of a measure paid from several, where they differ."""

    budget: Budget | None = None
    government_shares: GovernmentShares | None = None
    note: str | None = None


class AfterHorizon(Strict):
    """What becomes of a measure's cost after the costing's grid ends (December 2022):
    ``permanent`` (it goes on at its 2022 yearly rate with no end) or ``ends`` on ``end``, a date
    after 2022 (its 2022 rate goes on until then); ``reason`` cites the text or the reasoning."""

    status: Literal["permanent", "ends"]
    end: dt.date | None = None
    reason: str = Field(min_length=8)

    @model_validator(mode="after")
    def _end(self) -> AfterHorizon:
        if self.status == "ends" and (self.end is None or self.end <= dt.date(2022, 12, 31)):
            raise ValueError("a measure that ends after the horizon needs an end after 2022-12-31")
        if self.status == "permanent" and self.end is not None:
            raise ValueError("a permanent measure has no end; use status: ends")
        return self


class InternalTransfer(Strict):
    """The part of a measure's cost that general government pays to itself: a fund's forgone
    income that public employers, paid from ``offset_budget``, no longer pay in. It nets out for
    general government. The public employers' share of the cost on ``fund`` is 1 - 1/ratio, where
    ``public_wage_ratio`` names the assumption of the scheme's whole wage bill over the
    enterprises' (a ratio of 1 or more)."""

    fund: str
    public_wage_ratio: str
    offset_budget: Literal["一般公共预算", "政府性基金预算", "国有资本经营预算"]
    reason: str = Field(min_length=8)


class Financing(Strict):
    """Who pays: the budget, the shares by level of government, and the counterfactual; with
    ``by_fund`` overrides for a measure whose funds (costing components) differ; ``after_2022``
    for a cost that goes on after the grid ends."""

    budget: Budget
    government_shares: GovernmentShares | None = None  # required unless budget is outside
    counterfactual: Counterfactual
    by_fund: dict[str, FundFinancing] = Field(default_factory=dict)
    after_2022: AfterHorizon | None = None
    internal_transfer: InternalTransfer | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shares(self) -> Financing:
        if self.budget != "outside" and self.government_shares is None:
            raise ValueError("government_shares is missing (only an outside flow has none)")
        return self


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
    levers: dict[str, Lever] = Field(default_factory=dict)
    costing: CostingBlock | None = None
    # what the costing's structure may get wrong, for the uncertainty rating (schemas.risk)
    modelling_risks: list[ModellingRisk] = Field(default_factory=list)
    financing: Financing | None = None
    notes: str | None = None

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, params: dict[str, Parameter]) -> dict[str, Parameter]:
        import re

        for name in params:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"parameter name '{name}' must be snake_case")
        return params

    # A parameter's unit is checked against the input it is bound to when the costing block is
    # compiled (costing/bindings.py), from the one table of instrument units,
    # costing/instruments.INSTRUMENTS: 200 万元 bound where 元/人/天 is expected is an error there.

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


class ChartLabel(Strict):
    """The short name a chart shows for a document or a fund, in Chinese and English."""

    zh: str = Field(min_length=1, max_length=40)
    en: str = Field(min_length=1, max_length=80)


class PolicyDocument(Strict):
    # written by `jnpolicy draft` and not yet reviewed: validated, never costed (cost refuses it)
    draft: bool = False
    doc: str  # the document number as printed, without inner spaces: 济政发〔2020〕1号
    title_zh: str
    title_en: str
    issuer: str
    issued: dt.date
    # what the charts call the document: 济政发〔2020〕1号（稳就业） / Ji Zheng Fa [2020] No. 1 (employment)
    chart_label: ChartLabel | None = None
    # the report notebook that is the document's chapter (notebooks/); left out, the generic
    # chapter (06_document) is run for it
    chapter: str | None = Field(default=None, pattern=r"^[0-9a-z_]+$")
    # at most inputs.loader.MAX_MEASURES (300) measures: a run costs each one
    measures: list[Measure] = Field(default_factory=list, max_length=300)
    facts: list[Fact] = Field(default_factory=list)
    # provisions with no measure entry (no number printed), each with why it is not costed
    not_costed: list[Provision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> PolicyDocument:
        seen: set[str] = set()
        for item in [*self.measures, *self.facts, *self.not_costed]:
            if item.id in seen:
                raise ValueError(f"id '{item.id}' appears twice")
            seen.add(item.id)
        return self
