"""Input errors, collected per file and reported together as ``error: <file>: <field>: <message>``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# control characters, line and paragraph separators, zero-width and direction marks
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def inert(text: str) -> str:
    """``text`` with every control character, line break and direction mark escaped, so that it
    prints as one line in the order it is written."""

    def escape(m: re.Match) -> str:
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\u{ord(c):04x}")

    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        """One line, whatever the input held: line breaks, other control characters and
        direction marks of a name echoed back are written as escapes (``\\n``, ``\\u202e``)."""
        return inert(f"error: {self.file}: {self.field}: {self.message}")


class DataError(Exception):
    """Bad input: one or more problems, each naming the file, the field and what is wrong.

    The CLI prints every problem and exits 2 without writing anything.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | Path, field: str, message: str) -> DataError:
        return cls([Problem(str(file), field, message)])


class ParameterWindowError(LookupError):
    """A parameter was asked for on a date outside the window in which it applies."""


class ReportFailed(RuntimeError):
    """A report run failed (a notebook raised, or a step after the notebooks); nothing of it was
    published."""


class NonFiniteResult(RuntimeError):
    """A costing whose draws hold NaN or infinity that no input explains (a fault of the model,
    not of the inputs): the command exits 1 with one ``error:`` line, never printing a number."""

    def __init__(self, where: str, field: str, message: str):
        self.problem = Problem(where, field, message)
        super().__init__(str(self.problem))
