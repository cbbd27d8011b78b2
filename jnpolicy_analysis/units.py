"""Units: a closed set, converted to base units once, at load.

Money is held in 元 inside the package; 万元 and 亿元 are converted here and nowhere else.
Percentages become fractions (50 % -> 0.5) and 个百分点 becomes a fraction of a rate (1 个百分点 -> 0.01).
Counts written with 万 (100万家) become plain counts (1,000,000).

A unit is a money or count head, optionally followed by what it is per ("元/人/天", "万元/企业").
Every unit the data may use is listed in ``UNITS``; anything else is an error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit as written in the data, with its base unit and the factor that converts to it."""

    name: str
    base: str
    factor: float
    dimension: str  # money, rate, rate_change, count, duration, age, ratio

    def to_base(self, value: float) -> float:
        return value * self.factor


MONEY_HEADS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}

# What a money amount can be per. "企业" and "站" are per recipient; "人/天" is per person per day.
PER = [
    "人",
    "天",
    "月",
    "年",
    "企业",
    "企业/年",
    "人/天",
    "人/月",
    "人/年",
    "学时",
    "站",
    "站/年",
    "项目",
    "产品",
    "基地",
    "工作站",
    "平台",
    "园区",
]

# Counts: the word names what is counted; 万 multiplies by 10,000.
COUNT_WORDS = ["个", "家", "人", "项", "所", "名", "次", "件", "户", "企业", "项目", "平台"]

DURATIONS = {"天": "天", "日": "天", "个月": "月", "月": "月", "年": "年", "学时": "学时"}


def _build() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for head, factor in MONEY_HEADS.items():
        units[head] = Unit(head, "元", factor, "money")
        for per in PER:
            name = f"{head}/{per}"
            units[name] = Unit(name, f"元/{per}", factor, "money")
    units["%"] = Unit("%", "fraction", 0.01, "rate")
    units["个百分点"] = Unit("个百分点", "fraction", 0.01, "rate_change")
    units["fraction"] = Unit("fraction", "fraction", 1.0, "rate")
    for word in COUNT_WORDS:
        units[word] = Unit(word, "count", 1.0, "count")
        units[f"万{word}"] = Unit(f"万{word}", "count", 1e4, "count")
    units["count"] = Unit("count", "count", 1.0, "count")
    units["人/年"] = Unit("人/年", "count/年", 1.0, "count")
    units["家/年"] = Unit("家/年", "count/年", 1.0, "count")
    units["个/年"] = Unit("个/年", "count/年", 1.0, "count")
    units["项/年"] = Unit("项/年", "count/年", 1.0, "count")
    for name, base in DURATIONS.items():
        units[name] = Unit(name, base, 1.0, "duration")
    units["岁"] = Unit("岁", "岁", 1.0, "age")
    units["月份"] = Unit(
        "月份", "月份", 1.0, "calendar_month"
    )  # a month of the year (12月份), not a duration
    units["元/元"] = Unit("元/元", "ratio", 1.0, "ratio")
    return units


UNITS: dict[str, Unit] = _build()


class UnknownUnitError(ValueError):
    """Raised for a unit outside the closed set; the message suggests the nearest valid unit."""


def nearest(name: str, choices: list[str] | set[str] | dict) -> str | None:
    """The closest valid name to ``name``, or None when nothing is close."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return found[0] if found else None


def did_you_mean(name: str, choices) -> str:
    """ " (did you mean 'x'?)" with the closest valid name, or "" when nothing is close."""
    hint = nearest(name, choices)
    return f" (did you mean '{hint}'?)" if hint else ""


def get_unit(name: str) -> Unit:
    try:
        return UNITS[name]
    except KeyError:
        raise UnknownUnitError(f"unknown unit '{name}'{did_you_mean(name, UNITS)}") from None


def to_base(value: float, unit: str) -> float:
    """Convert ``value`` written in ``unit`` to the base unit (元, fraction, count ...)."""
    return get_unit(unit).to_base(value)


def yuan_to(value: float, unit: str) -> float:
    """Convert an amount in 元 to 元, 万元 or 亿元 for display."""
    return value / MONEY_HEADS[unit]
