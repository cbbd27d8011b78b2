"""Schema rules that are not about a malformed file: signs and ranges of rates."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jnpolicy_analysis.inputs.schemas import Assumption

GROWTH = {"low": -5, "central": 12, "high": 30, "unit": "%", "data_quality": "low"}
SOURCE = "assumption: yearly growth of a count, may fall"


def test_a_negative_rate_needs_allow_negative():
    with pytest.raises(ValidationError, match="negative"):
        Assumption(**GROWTH, source=SOURCE)
    a = Assumption(**GROWTH, source=SOURCE, allow_negative=True)
    assert a.base("low") == pytest.approx(-0.05)


def test_allow_negative_still_bounds_a_rate_at_minus_100_percent():
    with pytest.raises(ValidationError, match="outside"):
        Assumption(**{**GROWTH, "low": -150}, source=SOURCE, allow_negative=True)


def test_a_rate_above_100_percent_needs_allow_above_one():
    with pytest.raises(ValidationError, match="outside"):
        Assumption(**{**GROWTH, "low": 0, "high": 150}, source=SOURCE)
    assert (
        Assumption(**{**GROWTH, "low": 0, "high": 150}, source=SOURCE, allow_above_one=True).base(
            "high"
        )
        == 1.5
    )
