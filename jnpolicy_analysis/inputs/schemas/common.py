"""Shared pieces of the input schemas: strict models, finite numbers, dated periods, and the
translation of pydantic's errors into ``Problem`` lines that name the field and suggest a fix."""

from __future__ import annotations

import datetime as dt
import math
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...errors import Problem
from ...units import UnknownUnitError, did_you_mean, get_unit

# A number written in a data file: an int or float, never a string, never NaN or infinity.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]


# The plausible range of a value once converted to its base unit: anything outside is a typo or a
# unit slip, refused at load (1e308 元 would give infinite costs). Money: at most 1万亿元 in all
# (Jinan's GDP in 2019 was 9,443亿元) and 10亿元 per person, firm or station; counts up to 1.5
# billion (China's population); durations up to a century (in 年, up to year 3000: a calendar
# year is written in 年 too); rates up to 100 times (10,000 %) where a
# rate above one is allowed.
PLAUSIBLE_MAX: dict[str, float] = {
    "元": 1e12,
    "元/*": 1e9,
    "count": 1.5e9,
    "count/年": 1.5e9,
    "fraction": 100.0,
    "天": 36_500,
    "月": 1_200,
    "年": 3_000,  # 年 is also written for a calendar year (2017 年)
    "学时": 10_000,
    "岁": 150,
    "月份": 12,
    "ratio": 1e3,
}


def unit_of(unit: str):
    """The Unit named ``unit``, for a field validator: an unknown name is a ValueError (with the
    nearest known names), which pydantic reports against the field."""
    try:
        return get_unit(unit)
    except UnknownUnitError as exc:
        raise ValueError(str(exc)) from None


def implausible(value: float, unit: str) -> str | None:
    """Why ``value`` in ``unit`` is outside the plausible range of ``PLAUSIBLE_MAX``, or None."""
    from ...units import get_unit

    u = get_unit(unit)
    base = u.to_base(value)
    key = "元/*" if u.base.startswith("元/") else u.base
    limit = PLAUSIBLE_MAX.get(key)
    if limit is None or abs(base) <= limit:
        return None
    shown = f"{limit:,.0f} {u.base}" if limit >= 1 else f"{limit} {u.base}"
    return f"{value:g} {unit} is not plausible: the limit is {shown} once converted"


# The costing's monthly grid (costing.grid reads these): an input dated outside it is refused or
# costed past it explicitly, never cut silently.
GRID_START = dt.date(2020, 1, 1)
GRID_END = dt.date(2022, 12, 31)

SHARE_DIMENSIONS = ("rate", "rate_change")  # a share of a whole (%, 个百分点, fraction)


def value_problem(
    value: object,
    unit: str,
    *,
    allow_above_one: bool = False,
    allow_negative: bool = False,
) -> str | None:
    """The one plausibility rule of a value, wherever it comes from (a policy or baseline file, a
    scenario's parameter or lever override, the what-if's controls, ``jnpolicy observe``): why
    ``value`` in ``unit`` cannot stand, or None. It must be a finite number; plausible for its
    unit once converted (``PLAUSIBLE_MAX``); not negative unless ``allow_negative``; and a share
    of a whole (%, 个百分点, fraction) lies in [0, 1] once converted ([-1, 1] with
    ``allow_negative``) unless ``allow_above_one``, which the value's schema states (a growth
    rate can exceed a whole)."""

    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {type(value).__name__} {value!r}"
    if not math.isfinite(value):
        return "must be a finite number (NaN and infinity are not allowed)"
    try:
        u = get_unit(unit)
    except UnknownUnitError as exc:
        return str(exc)
    if value < 0 and not allow_negative:
        return f"negative {u.dimension} value {value:g} {unit}"
    share = u.dimension in SHARE_DIMENSIONS and not allow_above_one
    why = None if share else implausible(float(value), unit)
    if why:
        return why
    if share:
        base = u.to_base(float(value))
        floor = -1 if allow_negative else 0
        if not floor <= base <= 1:
            return (
                f"{value:g} {unit} is outside [{floor}, 1] once converted ({base:g}): a share "
                "of a whole; a value that can exceed one says so in its schema (allow_above_one)"
            )
    return None


class Strict(BaseModel):
    """Base for every input model: unknown keys are errors, values are not coerced from strings."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Period(Strict):
    """A dated window, both ends inclusive. ``end`` may be open (None)."""

    start: dt.date | None = None
    end: dt.date | None = None
    quote: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def months(self) -> int | None:
        """Number of calendar months touched by the window, or None when an end is open."""
        if self.start is None or self.end is None:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def _path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc``, to list its valid field names."""
    current: Any = model
    for item in loc[:-1]:
        if (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and item in current.model_fields
        ):
            current = _unwrap(current.model_fields[item].annotation)
        # list indices and dict keys (parameter names) keep the element model
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Find the BaseModel inside list[X], dict[str, X], X | None."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return annotation
    for arg in reversed(typing.get_args(annotation)):
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


_SCALAR_BRANCHES = ("float", "int", "str", "bool", "list", "dict")
_WRONG_TYPE = ("float_type", "int_type", "model_type", "dict_type", "string_type", "list_type")


def _is_branch(item: object) -> bool:
    """A union's branch in an error's location (``float``, ``AssumptionOverride``): never a field
    name, which is snake_case."""
    return isinstance(item, str) and (item in _SCALAR_BRANCHES or item[:1].isupper())


def _meant(err: dict, cut: int) -> bool:
    """Whether ``err`` comes from the union branch its value was meant for: a mapping for a
    model's branch, anything else for a scalar's."""
    branch = err["loc"][cut]
    refused_whole = len(err["loc"]) == cut + 1 and err["type"] in _WRONG_TYPE
    if branch in _SCALAR_BRANCHES:
        return not isinstance(err.get("input"), dict | list)
    return not refused_whole  # a model's branch refusing a value that is not a mapping


def _one_branch(errors: list[dict]) -> list[dict]:
    """The errors of a value that fits none of a union's branches (a number or a mapping, say),
    reduced to those of the branch it was meant for: a branch refusing the value's type is
    dropped when another branch says what is wrong with the value itself. The branch's name is
    taken out of the location, so one value gives one line."""
    groups: dict[tuple, list[dict]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        cut = next((i for i, x in enumerate(loc) if _is_branch(x)), None)
        key = loc[:cut] if cut is not None else loc + ("<no branch>",)
        groups.setdefault(key, []).append(err)
    out: list[dict] = []
    for key, errs in groups.items():
        if key[-1:] == ("<no branch>",) or len(errs) == 1:
            out.extend(errs)
            continue
        kept = [e for e in errs if _meant(e, len(key))] or errs[:1]
        out.extend(kept)
    return [e | {"loc": tuple(x for x in e["loc"] if not _is_branch(x))} for e in out]


def problems_from(
    error: ValidationError, file: str | Path, model: type[BaseModel], prefix: str = ""
) -> list[Problem]:
    """Turn a pydantic ValidationError into one Problem per error, suggesting the nearest valid
    key for an unknown one."""
    out: list[Problem] = []
    for err in _one_branch(error.errors()):
        loc = tuple(err["loc"])
        field = _path(loc)
        if prefix:
            field = f"{prefix}.{field}" if not field.startswith("[") else f"{prefix}{field}"
        kind = err["type"]
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            msg = "unknown key" + (
                did_you_mean(str(loc[-1]), list(owner.model_fields)) if owner else ""
            )
        elif kind in ("float_type", "int_type") and isinstance(err.get("input"), str):
            msg = f"expected a number, got the string {err['input']!r}"
        elif kind == "finite_number":
            msg = "must be a finite number (NaN and infinity are not allowed)"
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
        out.append(Problem(str(file), field, msg))
    return out
