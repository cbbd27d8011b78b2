"""The one formatting module, against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from jnpolicy_analysis import formatting as f


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (60, 4, "60"),
        (6000.0, 4, "6,000"),
        (0.5, 4, "0.5"),
        (1.23456, 4, "1.235"),
        (1.23456, 3, "1.23"),
        (-1500, 4, "-1,500"),
    ],
)
def test_number(value, digits, expected):
    assert f.number(value, digits) == expected


def test_money_amounts_in_their_unit():
    # 12,345,678 元 = 1,234.5678 万元 = 0.12345678 亿元
    assert f.amount(12_345_678, "万元") == "1,235"
    assert f.amount(12_345_678, "万元", 1) == "1,234.6"
    assert f.amount(12_345_678, "亿元", 2) == "0.12"
    assert f.amount(1.2e8, "亿元", 2) == "1.20"
    # a P5–P95 range: 1.2 亿元 to 3.4 亿元
    assert f.amount_range(1.2e8, 3.4e8, "亿元", 2) == "1.20–3.40"


def test_money_picks_the_unit_that_reads_best():
    assert f.money(150_000_000) == "1.5 亿元"  # 1.5e8 / 1e8
    assert f.money(200_000) == "20 万元"  # 2e5 / 1e4
    assert f.money(12_345) == "1.23 万元"  # 1.2345, rounded to 2 decimals
    assert f.money(800) == "800 元"


def test_money_words_for_notes():
    assert f.money_words(123_000_000, "zh") == "1.23亿元"
    assert f.money_words(4_560_000, "zh") == "456万元"
    assert f.money_words(1_230_000_000, "en") == "1.23 billion yuan"
    assert f.money_words(4_560_000, "en") == "4.56 million yuan"
    assert f.money_words(45_600, "en") == "45.6 thousand yuan"


def test_chart_numbers():
    assert f.axis_number(0) == "0"
    assert f.axis_number(1200) == "1,200"
    assert f.axis_number(2.5) == "2.5"
    assert f.axis_number(3.0) == "3"
    assert f.short_number(67.61) == "67.6"
    assert f.short_number(0.01234) == "0.0123"
    assert f.short_number(1234.4) == "1,234"
    # 1.8 and 2.8 million people on one scale
    assert f.scaled_numbers([1_800_000, 2_800_000], "zh") == ["180万", "280万"]
    assert f.scaled_numbers([1_800_000, 2_800_000], "en") == ["1.8m", "2.8m"]
    assert f.scaled_numbers([2000, 40000], "en") == ["2,000", "40,000"]


def test_bounds_of_targets():
    assert f.bound(">=", 60, None, "个") == "≥ 60 个"
    assert f.bound(">", 100, None, "万家") == "> 100 万家"
    assert f.bound("range", 1, 2, "个") == "1–2 个"
    assert f.bound(">=", 5000, None, show=f.general, gap="") == "≥5000"
    assert f.bound(">=", 50, None, "家", show=f.whole_or_hundredths, symbol=False) == ">= 50 家"
    assert f.bound(">=", 2.5, None, "万家", show=f.whole_or_hundredths) == "≥ 2.50 万家"


def test_percentages_and_probabilities():
    assert f.percent(0.357, 1) == "35.7%"
    assert f.percent(0.25, space=True) == "25 %"
    assert f.percent_range(0.125, 0.3) == "12.5–30.0 %"
    assert f.probability(0.7345) == "0.73"


def test_required_growth_and_flow():
    # (100 / 50) ** (1 / 2) - 1 = 0.41421...: 41.4 % a year
    growth = (100 / 50) ** 0.5 - 1
    assert f.required(growth, None, "家") == "41.4 %/yr"
    assert f.required(growth, None, "家", table=True) == "41.4%"
    # 200,000 firms a year in base units is 20 万家 a year
    assert f.required(None, 200_000, "万家") == "+20 万家/yr"
    assert f.required(None, 200_000, "万家", table=True) == "+20.00 万家/年"
    assert f.required(None, None, "家") == "—"
    assert f.required(math.nan, math.nan, "家", table=True) == "–"


def test_quantity():
    assert f.quantity(6000, "家") == "6,000 家"
    assert f.quantity(2.5, "万家") == "2.50 万家"
    assert f.quantity(math.nan, "家") == "–"
    assert f.quantity(None, "家") == "–"


def test_rating():
    assert f.rating("Medium-Low", "Medium", "High", "Medium") == "ML/M/H → M"
    assert f.rating("Low", "Very high", "Medium-High", "Very high") == "L/VH/MH → VH"


def test_terminal_table_counts_cjk_as_two_columns():
    assert f.width("万元") == 4 and f.width("ab") == 2
    table = f.render(["a", "金额"], [["x", "1"], ["yy", "20"]], right={1})
    assert table.splitlines() == ["a   金额", "--  ----", "x      1", "yy    20"]
