"""One pure, vectorised costing function per instrument, and ``INSTRUMENTS``: the name, inputs
(with the base unit each expects) and output unit of each, which a measure's ``costing:`` block in
``data/policies`` binds (``bindings``).

Each function takes the printed parameters of a measure (floats, base units: 元, fractions, counts)
and the assumptions it needs (floats or numpy arrays of shape ``(draws,)``, float64 or float32; the
result keeps their type) and returns the *static* cost in 元, a float or an array of the broadcast
shape: the cost if every eligible person or firm claimed and
nobody changed what they do. Take-up and induced behaviour are applied afterwards, the same way for
every instrument (``engine.Costing``); timing is attached from the costing block (``bindings``).

No function loops over draws or firms. Per-recipient caps bind recipient by recipient through a
lognormal size distribution (``lognormal_limited_mean``), never on an average recipient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

ArrayLike = float | np.ndarray


def lognormal_limited_mean(median: ArrayLike, sigma: ArrayLike, cap: ArrayLike) -> ArrayLike:
    """E[min(X, cap)] for X lognormal with the given median and log-standard deviation ``sigma``.

    With mu = ln(median):
        E[min(X, c)] = exp(mu + sigma²/2) * Phi((ln c - mu - sigma²)/sigma)
                       + c * (1 - Phi((ln c - mu)/sigma))
    and, for sigma = 0 (every recipient the same size), min(median, c). The result is in the unit
    of ``median`` and ``cap``. An infinite cap gives the plain mean exp(mu + sigma²/2).
    """
    if np.all(sigma > 0) and np.all(np.isfinite(cap)):  # the usual case, without branches
        z = np.log(cap / median) / sigma  # (ln c - mu) / sigma
        return np.exp(0.5 * sigma * sigma) * median * ndtr(z - sigma) + cap * ndtr(-z)
    median, sigma, cap = np.asarray(median), np.asarray(sigma), np.asarray(cap)
    degenerate = sigma <= 0
    s = np.where(degenerate, 1.0, sigma)
    mu = np.log(median)
    mean = np.exp(mu + 0.5 * s * s)
    finite = np.isfinite(cap)
    log_cap = np.log(np.where(finite, cap, 1.0))
    z = (log_cap - mu) / s
    limited = mean * ndtr(z - s) + np.where(finite, cap, 0.0) * ndtr(-z)
    limited = np.where(finite, limited, mean)
    return np.where(degenerate, np.minimum(median, cap), limited)


def per_person_per_day(
    rate: ArrayLike,
    days: ArrayLike,
    workers: ArrayLike,
    firm_cap: ArrayLike,
    *,
    sigma: ArrayLike = 0.0,
    firms: ArrayLike = 1.0,
) -> ArrayLike:
    """Hiring subsidy of ``rate`` 元 per worker per day, capped at ``firm_cap`` 元 per firm.

    With ``sigma`` = 0, every one of ``firms`` firms employs ``workers``:
    cost = firms * min(rate * workers * days, firm_cap). With ``sigma`` > 0, firm size is lognormal
    with median ``workers`` and log-sd ``sigma``, and the cap binds firm by firm:
    cost = firms * rate * days * E[min(W, firm_cap / (rate * days))].
    Example (济政发〔2020〕1号 clause 2): 40 workers x 16 days x 200 元 = 128,000 元; a firm of 300
    workers would earn 960,000 元 and is held to the 500,000 元 cap.
    """
    per_worker = rate * days
    return (
        firms * per_worker * lognormal_limited_mean(workers, sigma, _cap_in(firm_cap, per_worker))
    )


def _cap_in(cap: ArrayLike, per_unit: np.ndarray) -> ArrayLike:
    """A cap in 元 expressed in units of the size variable (cap / 元 per unit); infinite where
    a unit earns nothing."""
    if np.all(per_unit > 0):
        return cap / per_unit
    with np.errstate(divide="ignore"):
        return np.where(per_unit > 0, cap / np.where(per_unit > 0, per_unit, 1.0), np.inf)


def per_head_grant(grant: ArrayLike, heads: ArrayLike) -> ArrayLike:
    """One-off ``grant`` 元 for each of ``heads`` people hired or placed."""
    return grant * heads


def premium_refund(premiums: ArrayLike, share: ArrayLike) -> ArrayLike:
    """Refund of ``share`` (a fraction) of ``premiums`` 元 paid last year. A tiered refund is the
    sum of this over the tiers, each with its own premiums."""
    return premiums * share


def contribution_exemption(
    wage_bill_monthly: ArrayLike, rate: ArrayLike, relief_share: ArrayLike
) -> ArrayLike:
    """Contributions forgone per month: ``wage_bill_monthly`` 元 (the contribution base of the
    firms concerned) x the employer ``rate`` waived x ``relief_share`` (1 for 免征, 0.5 for 减半)."""
    return wage_bill_monthly * (rate * relief_share)


def contribution_rate_cut(wage_bill_monthly: ArrayLike, rate_cut: ArrayLike) -> ArrayLike:
    """Contributions forgone per month when the rate falls by ``rate_cut`` (a fraction: 1 个百分点
    = 0.01) on a contribution base of ``wage_bill_monthly`` 元."""
    return wage_bill_monthly * rate_cut


def levy_relief(payers: ArrayLike, levy_per_payer: ArrayLike, relief_share: ArrayLike) -> ArrayLike:
    """Levy forgone per year: ``payers`` who would have paid ``levy_per_payer`` 元 a year, relieved
    of ``relief_share`` of it (1 for an exemption)."""
    return payers * levy_per_payer * relief_share


def wage_linked_subsidy(
    people: ArrayLike, minimum_wage: ArrayLike, share: ArrayLike, prior_share: ArrayLike = 0.0
) -> ArrayLike:
    """Cost per month of paying ``people`` a ``share`` of the ``minimum_wage`` (元/月) where they
    were paid ``prior_share`` of it before: people x minimum wage x (share - prior_share)."""
    return people * minimum_wage * (share - prior_share)


def per_person_per_month(amount: ArrayLike, people: ArrayLike, months: ArrayLike) -> ArrayLike:
    """``amount`` 元 per person per month for ``months`` months to ``people`` people."""
    return amount * people * months


def benefit_extension(
    beneficiaries: ArrayLike, monthly_amount: ArrayLike, months: ArrayLike
) -> ArrayLike:
    """An existing benefit of ``monthly_amount`` 元 paid ``months`` longer to ``beneficiaries``."""
    return beneficiaries * monthly_amount * months


def training_subsidy(
    trainees: ArrayLike, unit_amount: ArrayLike, share: ArrayLike = 1.0
) -> ArrayLike:
    """``share`` of ``unit_amount`` 元 (per trainee, or per class hour times hours) for each of
    ``trainees``."""
    return trainees * unit_amount * share


def capped_share_grant(
    share: ArrayLike,
    recipients: ArrayLike,
    median_base: ArrayLike,
    sigma: ArrayLike,
    cap: ArrayLike,
) -> ArrayLike:
    """``share`` of each recipient's base (sales, investment, rent waived; lognormal across
    recipients with ``median_base`` 元 and log-sd ``sigma``), capped at ``cap`` 元 per recipient:
    recipients x share x E[min(B, cap / share)]."""
    return recipients * share * lognormal_limited_mean(median_base, sigma, _cap_in(cap, share))


def rent_relief_subsidy(
    share: ArrayLike,
    bases: ArrayLike,
    median_rent_waived: ArrayLike,
    sigma: ArrayLike,
    cap: ArrayLike,
) -> ArrayLike:
    """Operating subsidy of ``share`` of the rent each base waived (lognormal across bases),
    capped at ``cap`` 元 per base: the capped-share grant applied to rent waived."""
    return capped_share_grant(share, bases, median_rent_waived, sigma, cap)


def loan_guarantee(
    volume: ArrayLike, default_rate: ArrayLike, loss_given_default: ArrayLike = 1.0
) -> ArrayLike:
    """Expected cost of guaranteeing ``volume`` 元 of loans: volume x default rate x loss given
    default. A contingent liability (IMF class C): shown apart from spending."""
    return volume * default_rate * loss_given_default


def service_grant(
    stations: ArrayLike,
    annual_grant: ArrayLike,
    years: ArrayLike,
    results_per_station_year: ArrayLike,
    bonus: ArrayLike,
) -> ArrayLike:
    """``annual_grant`` 元 a year per station plus ``bonus`` 元 per result (an entrepreneur
    attracted), for ``years`` years: stations x years x (annual grant + results x bonus)."""
    return stations * years * (annual_grant + results_per_station_year * bonus)


def tiered_grant(counts: list[ArrayLike], amounts: list[ArrayLike]) -> ArrayLike:
    """A fixed sum per recipient by tier (national / provincial / municipal): sum of count x amount."""
    if len(counts) != len(amounts):
        raise ValueError("one amount per tier")
    total: ArrayLike = 0.0
    for count, amount in zip(counts, amounts, strict=True):
        total = total + count * amount
    return total


def budget_line(annual_amount: ArrayLike, years: ArrayLike) -> ArrayLike:
    """An appropriation of ``annual_amount`` 元 a year for ``years`` years."""
    return annual_amount * years


@dataclass(frozen=True)
class Input:
    """An input of an instrument: the base unit it expects (counts are "count", shares
    "fraction"), its default when the costing block leaves it out, and whether it is a list (one
    binding per tier)."""

    unit: str
    default: float | None = None
    many: bool = False


@dataclass(frozen=True)
class Spec:
    function: Callable[..., ArrayLike]
    inputs: dict[str, Input]
    output: str  # 元: a total paid along the timing; 元/月 or 元/年: a flow over the months covered


def _spec(function: Callable[..., ArrayLike], output: str = "元", **inputs: Input) -> Spec:
    return Spec(function, inputs, output)


In = Input
INSTRUMENTS: dict[str, Spec] = {
    "per_person_per_day": _spec(
        per_person_per_day,
        rate=In("元/人/天"),
        days=In("天"),
        workers=In("count"),
        firm_cap=In("元/企业"),
        sigma=In("fraction", 0.0),
        firms=In("count", 1.0),
    ),
    "per_head_grant": _spec(per_head_grant, grant=In("元/人"), heads=In("count")),
    "premium_refund": _spec(premium_refund, premiums=In("元"), share=In("fraction")),
    "contribution_exemption": _spec(
        contribution_exemption,
        "元/月",
        wage_bill_monthly=In("元/月"),
        rate=In("fraction"),
        relief_share=In("fraction"),
    ),
    "contribution_rate_cut": _spec(
        contribution_rate_cut, "元/月", wage_bill_monthly=In("元/月"), rate_cut=In("fraction")
    ),
    "levy_relief": _spec(
        levy_relief,
        "元/年",
        payers=In("count"),
        levy_per_payer=In("元/企业/年"),
        relief_share=In("fraction"),
    ),
    "wage_linked_subsidy": _spec(
        wage_linked_subsidy,
        "元/月",
        people=In("count"),
        minimum_wage=In("元/月"),
        share=In("fraction"),
        prior_share=In("fraction", 0.0),
    ),
    "per_person_per_month": _spec(
        per_person_per_month, amount=In("元/人/月"), people=In("count"), months=In("月")
    ),
    "benefit_extension": _spec(
        benefit_extension, beneficiaries=In("count"), monthly_amount=In("元/人/月"), months=In("月")
    ),
    "training_subsidy": _spec(
        training_subsidy, trainees=In("count"), unit_amount=In("元/人"), share=In("fraction", 1.0)
    ),
    "capped_share_grant": _spec(
        capped_share_grant,
        share=In("fraction"),
        recipients=In("count"),
        median_base=In("元"),
        sigma=In("fraction"),
        cap=In("元"),
    ),
    "rent_relief_subsidy": _spec(
        rent_relief_subsidy,
        share=In("fraction"),
        bases=In("count"),
        median_rent_waived=In("元/基地"),
        sigma=In("fraction"),
        cap=In("元/基地"),
    ),
    "loan_guarantee": _spec(
        loan_guarantee,
        volume=In("元"),
        default_rate=In("fraction"),
        loss_given_default=In("fraction", 1.0),
    ),
    "service_grant": _spec(
        service_grant,
        stations=In("count"),
        annual_grant=In("元/站/年"),
        years=In("年"),
        results_per_station_year=In("count/年"),
        bonus=In("元/人"),
    ),
    "tiered_grant": _spec(
        tiered_grant, counts=In("count", many=True), amounts=In("元/人", many=True)
    ),
    "budget_line": _spec(budget_line, annual_amount=In("元/年"), years=In("年")),
}
