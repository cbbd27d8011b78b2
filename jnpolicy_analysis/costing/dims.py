"""Dimensions of the costing's units, for checking bindings when a file loads.

A base unit (``units.Unit.base``: "元/人/天", "count/年", "fraction") is reduced to powers of money
(元) and of time (天, 月, 年, 学时). What a number counts (people, firms, stations, products) is not a
dimension: "元/人" and "元/企业" are both money, "count" and "fraction" are pure numbers. So a
元/人/天 rate bound where 元/人 is expected is an error (money per day is not money), while a count
of firms may be bound where a count is expected.
"""

from __future__ import annotations

from ..units import COUNT_WORDS, PER, UNITS

Dims = tuple[tuple[str, int], ...]  # sorted (symbol, power) pairs, powers never 0
NONE: Dims = ()

MEASURED = ("元", "天", "月", "年", "学时", "岁", "月份")
PURE = {"count", "fraction", "ratio", *COUNT_WORDS, *PER} - set(MEASURED)


class UnitError(ValueError):
    """A unit the costing cannot reduce to dimensions."""


def parse(unit: str) -> tuple[float, Dims]:
    """(factor to base units, dimensions) of ``unit``: a unit of ``units.UNITS`` ("万元/企业") or a
    product of the symbols above divided by others ("月/年", "元/人/月")."""
    if unit in UNITS:
        u = UNITS[unit]
        return u.factor, parse(u.base)[1] if u.base != unit else _reduce(unit)
    return 1.0, _reduce(unit)


def _reduce(unit: str) -> Dims:
    head, *per = unit.split("/")
    powers: dict[str, int] = {}
    for i, token in enumerate([head, *per]):
        token = token.strip()
        if token in ("1", "") and i == 0:
            continue
        if token in ("日", "个月"):
            token = {"日": "天", "个月": "月"}[token]
        if token in MEASURED:
            powers[token] = powers.get(token, 0) + (1 if i == 0 else -1)
        elif token not in PURE and not (i == 0 and token.startswith("万") and token[1:] in PURE):
            raise UnitError(
                f"unknown unit '{unit}' (its part '{token}' is neither money, time nor a count)"
            )
    return tuple(sorted((s, p) for s, p in powers.items() if p))


def mul(a: Dims, b: Dims, sign: int = 1) -> Dims:
    powers = dict(a)
    for s, p in b:
        powers[s] = powers.get(s, 0) + sign * p
    return tuple(sorted((s, p) for s, p in powers.items() if p))


def show(d: Dims) -> str:
    """Dimensions written as a unit: "元/月", "月/年", "1" for a pure number."""
    top = [s + (f"^{p}" if p > 1 else "") for s, p in d if p > 0]
    bottom = [s + (f"^{-p}" if p < -1 else "") for s, p in d if p < 0]
    return ("·".join(top) or "1") + "".join(f"/{s}" for s in bottom)
