"""Do the plans add up? Their own numbers checked against each other.

- sum: "each year N" commitments × their years against the headline target they serve (``serves``
  in the target files): 20 个/年 × 3 年 = 60 against 60+.
- pool: commitments that supply candidates for a headline of another level (``pools`` in
  tracking.yaml): 1—2 municipal bases a year × 3 = 3—6 against 1—2 provincial bases.
- total: commitments that feed no headline: their total over the plan, nothing to hold it against.
- budget: a budget line or reward cap × what it is multiplied by (``budget_checks``), per unit of
  an observed outcome, against a budget where one is printed.

Every row carries its arithmetic in words and a verdict: consistent, short, exceeds or cannot tell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..errors import DataError, Problem
from ..units import get_unit
from .config import BudgetCheck, TrackingConfig

VERDICTS = ("consistent", "short", "exceeds", "cannot tell")


@dataclass(frozen=True)
class ConsistencyRow:
    id: str
    check: str  # sum | pool | total | budget
    subject: str  # the headline target or the measure checked
    arithmetic: str
    implied_min: float | None  # base units (count, 元)
    implied_max: float | None  # None: no upper bound (floors, 以上)
    against_min: float | None
    against_max: float | None
    unit: str  # base unit of the implied and against values
    verdict: str
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def fmt(value: float) -> str:
    """A number as an analyst writes it: 60, 0.5, 6,000."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def _bound(t) -> str:
    """A target's value as printed with its comparator: ≥ 60 个, > 100 万家, 1–2 个."""
    if t.comparator == "range":
        return f"{fmt(t.value)}–{fmt(t.value_max)} {t.unit}"
    sign = "≥" if t.comparator == ">=" else ">"
    return f"{sign} {fmt(t.value)} {t.unit}"


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
            per = f"{fmt(c.value)}–{fmt(c.value_max)}"
        else:
            most = None  # 以上: a floor, no ceiling
            per = fmt(c.value)
        terms.append(f"{c.clause} {per} {c.unit} × {n} 年")
    return least, most, terms


def _promised(least: float, most: float | None, unit: str) -> str:
    if most is None:
        return f"{fmt(least)}+ {unit}" if least else f"0+ {unit}"
    if most == least:
        return f"{fmt(least)} {unit}"
    return f"{fmt(least)}–{fmt(most)} {unit}"


def sum_verdict(least: float, most: float | None, headline) -> str:
    """Commitments that add up to a headline: for '>=' / '>' the least promised is held against
    the target (equal: consistent, except for '>' which needs more; above: exceeds; below: short);
    for a range, short when even the most promised is below it, exceeds when even the least is
    above it, else consistent."""
    lo = headline.base_value
    if headline.comparator == "range":
        hi = headline.base_value_max
        if most is not None and most < lo:
            return "short"
        if least > hi:
            return "exceeds"
        return "consistent"
    if headline.comparator == ">":
        return "exceeds" if least > lo else "short"
    if least > lo:
        return "exceeds"
    if least == lo:
        return "consistent"
    return "short"


def pool_verdict(least: float, headline) -> str:
    """A pool suffices (consistent) when the least it promises reaches the headline's lower bound;
    a larger pool is not an excess, only more candidates."""
    return "consistent" if least >= headline.base_value else "short"


def plan_rows(catalog, config: TrackingConfig) -> list[ConsistencyRow]:
    """Sum, pool and total rows from the targets' ``serves`` and the settings' pools."""
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
    used: set[str] = set()
    for h in (t for t in targets.values() if t.kind == "headline"):
        feeding = [c for c in annual if h.id in c.serves]
        if not feeding:
            continue
        used |= {c.id for c in feeding}
        least, most, terms = _commitment_terms(feeding)
        base = get_unit(h.unit).base
        if any(get_unit(c.unit).base != f"{base}/年" for c in feeding):
            verdict, note = "cannot tell", "the commitments are not counted in the target's unit"
        else:
            verdict, note = sum_verdict(least, most, h), ""
        rows.append(
            ConsistencyRow(
                id=f"{h.id}_from_annual",
                check="sum",
                subject=h.id,
                arithmetic=f"{' + '.join(terms)} = {_promised(least, most, h.unit)} "
                f"against {_bound(h)} ({h.clause})",
                implied_min=least,
                implied_max=most,
                against_min=h.base_value,
                against_max=h.base_value_max,
                unit=base,
                verdict=verdict,
                note=note,
            )
        )
    for pool in config.pools:
        h = targets[pool.headline]
        feeding = [targets[c] for c in pool.commitments]
        used |= {c.id for c in feeding}
        least, most, terms = _commitment_terms(feeding)
        rows.append(
            ConsistencyRow(
                id=f"{h.id}_pool",
                check="pool",
                subject=h.id,
                arithmetic=f"{' + '.join(terms)} = {_promised(least, most, feeding[0].unit.split('/')[0])} "
                f"candidates for {_bound(h)} ({h.clause})",
                implied_min=least,
                implied_max=most,
                against_min=h.base_value,
                against_max=h.base_value_max,
                unit=get_unit(h.unit).base,
                verdict=pool_verdict(least, h),
                note=pool.note or "",
            )
        )
    for c in annual:
        if c.id in used:
            continue
        least, most, terms = _commitment_terms([c])
        rows.append(
            ConsistencyRow(
                id=f"{c.id}_total",
                check="total",
                subject=c.id,
                arithmetic=f"{terms[0]} = {_promised(least, most, c.unit.split('/')[0])} "
                "over the plan; no headline target to hold it against",
                implied_min=least,
                implied_max=most,
                against_min=None,
                against_max=None,
                unit=get_unit(c.unit).base.split("/")[0],
                verdict="cannot tell",
                note=c.note or "",
            )
        )
    return rows


def _money(value: float) -> str:
    """元 as 万元 (or 元 when small), for the arithmetic column."""
    if abs(value) >= 1e4:
        return f"{fmt(value / 1e4)} 万元"
    return f"{fmt(value)} 元"


def budget_row(check: BudgetCheck, catalog, observations) -> ConsistencyRow:
    """amount × times, divided by the latest observation of ``per``, against ``budget``."""
    m = catalog.measure(check.measure)
    p = m.parameters[check.amount]
    amount = p.base_value
    times = check.times
    if times.parameter is not None:
        q = m.parameters[times.parameter]
        n, n_text = get_unit(q.unit).to_base(q.value), f"{fmt(q.value)} {q.unit}"
    elif times.target is not None:
        t = catalog.target(times.target)
        n, n_text = t.base_value, f"{fmt(t.value)} {t.unit} ({times.target})"
    else:
        n, n_text = float(times.value), f"{fmt(times.value)} {times.label}"
    total = amount * n
    amount_text = f"{fmt(p.value)} {p.unit}"
    text = f"{amount_text} × {n_text} = {_money(total)}"
    if check.per is not None:
        latest = observations.latest(check.per)
        if latest is None:
            text += f"; no observation of {check.per} to divide by"
        else:
            per_unit = total / latest.base_value
            text += (
                f"; ÷ {fmt(latest.value)} {latest.unit} {check.per} ({latest.year}) "
                f"= {fmt(round(per_unit, 2))} 元 each"
            )
    if check.budget is not None:
        budget = get_unit(check.budget.unit).to_base(check.budget.value)
        verdict = "consistent" if total <= budget else "exceeds"
        text += f" against a budget of {_money(budget)}"
        against = budget
    else:
        verdict, against = "cannot tell", None
        text += "; no budget printed to hold it against"
    return ConsistencyRow(
        id=check.id,
        check="budget",
        subject=check.measure,
        arithmetic=text,
        implied_min=total,
        implied_max=total,
        against_min=against,
        against_max=against,
        unit="元",
        verdict=verdict,
        note=check.note or "",
    )


def consistency_rows(catalog, config: TrackingConfig, observations) -> list[ConsistencyRow]:
    return plan_rows(catalog, config) + [
        budget_row(b, catalog, observations) for b in config.budget_checks
    ]
