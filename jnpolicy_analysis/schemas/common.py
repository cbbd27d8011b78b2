"""Shared pieces of the input schemas: strict models, finite numbers, dated periods, and the
translation of pydantic's errors into ``Problem`` lines that name the field and suggest a fix."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import Problem
from ..units import did_you_mean

# A number written in a data file: an int or float, never a string, never NaN or infinity.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]


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


def problems_from(
    error: ValidationError, file: str | Path, model: type[BaseModel], prefix: str = ""
) -> list[Problem]:
    """Turn a pydantic ValidationError into one Problem per error, suggesting the nearest valid
    key for an unknown one."""
    out: list[Problem] = []
    for err in error.errors():
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
