"""Do the plans add up? Their own numbers checked against each other, by checks that can fail.

- sum: "each year N" commitments × their years against the headline target they serve (``serves``
  in the target files): 20 个/年 × 3 年 = 60 against 60+. Inconsistent when the yearly schedule the
  plan prints adds up to less than its headline (a headline of 100 with 20 a year × 3).
- pool: commitments that supply candidates for a headline of another level (``pools`` in
  tracking.yaml): 1—2 municipal bases a year × 3 = 3—6 candidates for 1—2 provincial bases.
  Inconsistent when the pool holds fewer candidates than the headline's lower bound.
- fund: the selections the plan funds each year × a typical award (sourced or assumed, a range)
  against the fund announced for them (``fund_checks``). Inconsistent when even the lowest award
  times the least the plan funds exceeds the fund.

Where a commitment counts (or is funded) only under one reading of the plan (``readings``,
``contested``), the arithmetic is worked out under each reading; when the verdicts differ the row
says ``depends on reading``. Every row states what would make it inconsistent (``fails_if``).

Verdicts: consistent, inconsistent, depends on reading, cannot tell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import DataError, Problem
from ..formatting import bound, money, number, percent_range
from ..units import get_unit
from .config import FundCheck, TrackingConfig

VERDICTS = ("consistent", "inconsistent", "depends on reading", "cannot tell")


@dataclass(frozen=True)
class ConsistencyRow:
    id: str
    check: str  # sum | pool | fund
    subject: str  # the headline target, or the fund check's id
    arithmetic: str
    implied_min: float | None  # base units (count, 元)
    implied_max: float | None  # None: no upper bound (floors, 以上)
    against_min: float | None
    against_max: float | None
    unit: str  # base unit of the implied and against values
    verdict: str
    fails_if: str  # the condition under which the check would say inconsistent
    readings: list[dict] = field(default_factory=list)  # {reading, arithmetic, verdict} each
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def _bound(t) -> str:
    """A target's value as printed with its comparator: ≥ 60 个, > 100 万家, 1–2 个."""
    return bound(t.comparator, t.value, t.value_max, t.unit)


def _commitment_terms(commitments) -> tuple[float, float | None, list[str]]:
    """Least and most (None: unbounded) the commitments promise over their years, in base units,
    with each term written out."""
    least, most, terms = 0.0, 0.0, []
    for c in commitments:
        n = len(c.years)
        u = get_unit(c.unit)
        least += u.to_base(c.value) * n
        if c.comparator == "range":
            most = None if most is None else most + u.to_base(c.value_max) * n
            per = f"{number(c.value)}–{number(c.value_max)}"
        else:
            most = None  # 以上: a floor, no ceiling
            per = number(c.value)
        terms.append(f"{c.clause} {per} {c.unit} × {n} 年")
    return least, most, terms


def _promised(least: float, most: float | None, unit: str) -> str:
    if most is None:
        return f"{number(least)}+ {unit}" if least else f"0+ {unit}"
    if most == least:
        return f"{number(least)} {unit}"
    return f"{number(least)}–{number(most)} {unit}"


def sum_verdict(least: float, most: float | None, headline, range_reading: str = "at_least") -> str:
    """Commitments that add up to a headline. '>=': consistent when the least promised reaches the
    target, else inconsistent; '>': the least promised must be strictly above; a range:
    inconsistent when even the most promised is below its lower bound, or (reading ``within``)
    when even the least promised is above its upper bound."""
    lo = headline.base_value
    if headline.comparator == "range":
        if most is not None and most < lo:
            return "inconsistent"
        if range_reading == "within" and least > headline.base_value_max:
            return "inconsistent"
        return "consistent"
    if headline.comparator == ">":
        return "consistent" if least > lo else "inconsistent"
    return "consistent" if least >= lo else "inconsistent"


def pool_verdict(least: float, headline) -> str:
    """A pool suffices (consistent) when the least it promises reaches the headline's lower bound;
    a larger pool is not an excess, only more candidates."""
    return "consistent" if least >= headline.base_value else "inconsistent"


def fund_verdict(cost_low: float, cost_high: float, fund: float) -> str:
    """consistent when even the highest cost fits the fund, inconsistent when even the lowest
    exceeds it, cannot tell when the fund falls inside the range."""
    if cost_high <= fund:
        return "consistent"
    if cost_low > fund:
        return "inconsistent"
    return "cannot tell"


def combine(verdicts: list[str]) -> str:
    """One verdict from the verdicts under each reading: the common one, else depends on
    reading."""
    distinct = set(verdicts)
    return verdicts[0] if len(distinct) == 1 else "depends on reading"


def _sum_fails_if(h, years: int) -> str:
    if h.comparator == "range":
        return (
            f"the commitments over {years} years could not reach {number(h.value)} {h.unit} "
            f"(the lower bound of {_bound(h)})"
        )
    need = h.value / years if years else h.value
    if h.comparator == ">":
        return (
            f"the yearly commitments over {years} years add up to {number(h.value)} {h.unit} or "
            f"less: they must promise more than {number(round(need, 2))} {h.unit} a year in all"
        )
    return (
        f"the yearly commitments over {years} years add up to less than {number(h.value)} "
        f"{h.unit}: they must promise at least {number(round(need, 2))} {h.unit} a year in all"
    )


def plan_rows(catalog, config: TrackingConfig) -> list[ConsistencyRow]:
    """Sum rows from the targets' ``serves`` (under each reading of ``readings``) and pool rows
    from the settings' pools."""
    targets = {t.id: t for _, t in catalog.targets}
    annual = [t for t in targets.values() if t.kind == "annual"]
    problems: list[Problem] = []
    folder = str(catalog.data_dir / "targets")
    for c in annual:
        for h in c.serves:
            if h not in targets or targets[h].kind != "headline":
                problems.append(
                    Problem(folder, f"targets.{c.id}.serves", f"'{h}' is not a headline target")
                )
    if problems:
        raise DataError(problems)

    rows: list[ConsistencyRow] = []
    for h in (t for t in targets.values() if t.kind == "headline"):
        feeding = [c for c in annual if h.id in c.serves]
        if not feeding:
            continue
        base = get_unit(h.unit).base
        years = max(len(c.years) for c in feeding)
        if any(get_unit(c.unit).base != f"{base}/年" for c in feeding):
            least, most, terms = _commitment_terms(feeding)
            rows.append(
                ConsistencyRow(
                    id=f"{h.id}_from_annual",
                    check="sum",
                    subject=h.id,
                    arithmetic=f"{' + '.join(terms)} against {_bound(h)} ({h.clause})",
                    implied_min=least,
                    implied_max=most,
                    against_min=h.base_value,
                    against_max=h.base_value_max,
                    unit=base,
                    verdict="cannot tell",
                    fails_if=_sum_fails_if(h, years),
                    note="the commitments are not counted in the target's unit",
                )
            )
            continue
        contested = [r for r in config.readings if r.headline == h.id]
        variants = [("as the target files read it", feeding)]
        if contested:
            out = {r.commitment for r in contested}
            counts = "; ".join(r.counts_if for r in contested)
            excluded = "; ".join(r.excluded_if for r in contested)
            variants = [
                (counts, feeding),
                (excluded, [c for c in feeding if c.id not in out]),
            ]
        readings = []
        for reading, commitments in variants:
            least, most, terms = _commitment_terms(commitments)
            verdict = sum_verdict(least, most, h, config.range_reading)
            readings.append(
                {
                    "reading": reading,
                    "arithmetic": f"{' + '.join(terms) or 'nothing'} = "
                    f"{_promised(least, most, h.unit)} against {_bound(h)} ({h.clause})",
                    "verdict": verdict,
                    "implied_min": least,
                    "implied_max": most,
                }
            )
        verdict = combine([r["verdict"] for r in readings])
        first = readings[0]
        arithmetic = (
            first["arithmetic"]
            if len(readings) == 1
            else " | ".join(f"{r['reading']}: {r['arithmetic']} → {r['verdict']}" for r in readings)
        )
        rows.append(
            ConsistencyRow(
                id=f"{h.id}_from_annual",
                check="sum",
                subject=h.id,
                arithmetic=arithmetic,
                implied_min=min(r["implied_min"] for r in readings),
                implied_max=first["implied_max"],
                against_min=h.base_value,
                against_max=h.base_value_max,
                unit=base,
                verdict=verdict,
                fails_if=_sum_fails_if(h, years),
                readings=readings if len(readings) > 1 else [],
            )
        )
    for pool in config.pools:
        h = targets[pool.headline]
        feeding = [targets[c] for c in pool.commitments]
        least, most, terms = _commitment_terms(feeding)
        rows.append(
            ConsistencyRow(
                id=f"{h.id}_pool",
                check="pool",
                subject=h.id,
                arithmetic=f"{' + '.join(terms)} = "
                f"{_promised(least, most, feeding[0].unit.split('/')[0])} "
                f"candidates for {_bound(h)} ({h.clause})",
                implied_min=least,
                implied_max=most,
                against_min=h.base_value,
                against_max=h.base_value_max,
                unit=get_unit(h.unit).base,
                verdict=pool_verdict(least, h),
                fails_if=f"the pool holds fewer than {number(h.value)} candidate(s) over the plan "
                f"(the lower bound of {_bound(h)})",
                note=pool.note or "",
            )
        )
    return rows


def _selections(commitments) -> tuple[float, list[str]]:
    """The least number of selections a year the commitments promise, with each term."""
    least, terms = 0.0, []
    for c in commitments:
        least += get_unit(c.unit).to_base(c.value)
        terms.append(f"{c.clause} {number(c.value)}")
    return least, terms


def fund_row(check: FundCheck, catalog) -> ConsistencyRow:
    """Funded selections a year × the typical award (low–high) against the fund a year."""
    targets = {t.id: t for _, t in catalog.targets}
    award_unit = get_unit(check.award.unit)
    low, high = award_unit.to_base(check.award.low), award_unit.to_base(check.award.high)
    fund = get_unit(check.fund.unit).to_base(check.fund.value)
    variants = [("all funded", [targets[c] for c in check.commitments + check.contested])]
    if check.contested:
        variants = [
            (f"if {check.contested_reading}", variants[0][1]),
            (
                f"if not ({check.contested_reading})",
                [targets[c] for c in check.commitments],
            ),
        ]
    readings = []
    for reading, commitments in variants:
        n, terms = _selections(commitments)
        cost_low, cost_high = n * low, n * high
        verdict = fund_verdict(cost_low, cost_high, fund)
        share = percent_range(cost_low / fund, cost_high / fund) if fund else "—"
        readings.append(
            {
                "reading": reading,
                "arithmetic": f"({' + '.join(terms)}) = {number(n)} selections a year × "
                f"{number(check.award.low)}–{number(check.award.high)} {check.award.unit} = "
                f"{money(cost_low)}–{money(cost_high)} a year against "
                f"{money(fund)} a year ({share} of the fund)",
                "verdict": verdict,
                "implied_min": cost_low,
                "implied_max": cost_high,
                "selections": n,
            }
        )
    verdict = combine([r["verdict"] for r in readings])
    least_n = min(r["selections"] for r in readings)
    limit = fund / low if low else float("inf")
    arithmetic = " | ".join(f"{r['reading']}: {r['arithmetic']} → {r['verdict']}" for r in readings)
    return ConsistencyRow(
        id=check.id,
        check="fund",
        subject=check.id,
        arithmetic=arithmetic if len(readings) > 1 else readings[0]["arithmetic"],
        implied_min=min(r["implied_min"] for r in readings),
        implied_max=max(r["implied_max"] for r in readings),
        against_min=fund,
        against_max=fund,
        unit="元",
        verdict=verdict,
        fails_if=(
            f"the least the plans fund a year ({number(least_n)} selections) × the "
            f"lowest typical award ({number(check.award.low)} {check.award.unit}) exceeds the fund "
            f"of {money(fund)} a year, i.e. more than {number(round(limit))} funded selections a "
            "year at that award"
        ),
        readings=readings if len(readings) > 1 else [],
        note=" ".join(
            x
            for x in (
                check.note or "",
                f"Award: {check.award.source}",
                f"Fund: {check.fund.source}",
            )
            if x
        ),
    )


def consistency_rows(catalog, config: TrackingConfig, observations=None) -> list[ConsistencyRow]:
    return plan_rows(catalog, config) + [fund_row(b, catalog) for b in config.fund_checks]
