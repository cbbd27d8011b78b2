"""Units convert to base units once: 元 for money, fractions for rates, plain counts."""

from __future__ import annotations

import pytest

from jnpolicy_analysis.units import UnknownUnitError, get_unit, to_base, yuan_to


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        (50, "万元", 500_000),
        (50, "万元/企业", 500_000),
        (2000, "万元/年", 20_000_000),
        (5000, "亿元", 500_000_000_000),
        (200, "元/人/天", 200),
        (50, "%", 0.5),
        (5.5, "%", 0.055),
        (1, "个百分点", 0.01),
        (100, "万家", 1_000_000),
        (60, "个", 60),
    ],
)
def test_to_base(value, unit, expected):
    assert to_base(value, unit) == pytest.approx(expected)


def test_base_units_name_the_dimension():
    assert get_unit("万元/企业").base == "元/企业"
    assert get_unit("%").base == "fraction"
    assert get_unit("万家").base == "count"


def test_unknown_unit_suggests_nearest():
    with pytest.raises(UnknownUnitError, match="did you mean .万元/企业."):
        get_unit("万元/企")


def test_display_conversion():
    assert yuan_to(1_280_000, "万元") == pytest.approx(128)
    assert yuan_to(5e11, "亿元") == pytest.approx(5000)
