"""Numbers as the package prints them, one function per job: plain numbers, amounts of money in
万元 or 亿元 (money is 元 inside the package, converted only here for display), P5–P95 ranges,
targets with their comparator, growth rates, probabilities, percentages and uncertainty ratings;
and plain-text tables for the terminal.

A leaf module: it imports only ``units``, so every layer (the targets tracker, the tables, the
charts, the reports, the command line) may use it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

from .units import MONEY_HEADS, get_unit, yuan_to

# --------------------------------------------------------------------------- numbers


def number(value: float, digits: int = 4) -> str:
    """A number as an analyst writes it: a whole number with thousands separators (6,000), else
    ``digits`` significant figures (0.5, 1.234)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}g}"


def general(value: float) -> str:
    """Python's shortest general form, without separators: 1000, 2.5 (chart labels)."""
    return f"{value:g}"


def whole_or_hundredths(value: float) -> str:
    """6,000 for a whole number, else two decimals: 2.50."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quantity(value: float, unit: str) -> str:
    """A figure with its unit for a report table: '6,000 家', '2.50 万家'; '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{whole_or_hundredths(value)} {unit}"


def axis_number(value: float) -> str:
    """A tick label: 1,200 / 45 / 2.5 / 0."""
    if value == 0:
        return "0"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def short_number(value: float) -> str:
    """A value printed next to a bar, three significant figures: 67.6, 4.75, 0.012, 1,234."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


# Large numbers as printed: 180万, 3.2亿; 1.8m, 3.2bn (factor, suffix), largest first.
NUMBER_STEPS = {"zh": [(1e8, "亿"), (1e4, "万")], "en": [(1e9, "bn"), (1e6, "m")]}


def scaled_numbers(values: list[float], lang: str) -> list[str]:
    """Numbers as printed, on one common scale: 180万 and 280万, 2,000 and 40,000, 1.8m and
    2.8m."""
    smallest = min(abs(v) for v in values)
    for factor, suffix in NUMBER_STEPS[lang]:
        if smallest >= factor:
            return [short_number(v / factor) + suffix for v in values]
    return [short_number(v) for v in values]


# --------------------------------------------------------------------------- money

# Amounts of money in words, for notes: (at or above, divide by, template), largest first.
MONEY_WORDS = {
    "zh": [(1e8, MONEY_HEADS["亿元"], "{v}亿元"), (0.0, MONEY_HEADS["万元"], "{v}万元")],
    "en": [
        (1e9, 1e9, "{v} billion yuan"),
        (1e6, 1e6, "{v} million yuan"),
        (0.0, 1e3, "{v} thousand yuan"),
    ],
}


def amount(yuan: float, unit: str, decimals: int = 0) -> str:
    """An amount in 元 shown in ``unit`` (元, 万元 or 亿元, named by the column or the sentence
    around it) with thousands separators: amount(12_345_678, "万元") -> '1,235'."""
    return f"{yuan_to(float(yuan), unit):,.{decimals}f}"


def amount_range(low: float, high: float, unit: str, decimals: int = 0) -> str:
    """A P5–P95 range of amounts in 元 shown in ``unit``: '1.20–3.40'."""
    return f"{amount(low, unit, decimals)}–{amount(high, unit, decimals)}"


def money(yuan: float) -> str:
    """元 with the unit that reads best, the unit named: '1.5 亿元', '20 万元', '800 元'."""
    for unit in ("亿元", "万元"):
        if abs(yuan) >= MONEY_HEADS[unit]:
            return f"{number(round(yuan / MONEY_HEADS[unit], 2))} {unit}"
    return f"{number(yuan)} 元"


def money_words(yuan: float, lang: str) -> str:
    """An amount in words for a note: 1.23亿元 / 456万元, or 1.23 billion yuan / 4.56 million
    yuan."""
    for at_least, divisor, template in MONEY_WORDS[lang]:
        if abs(yuan) >= at_least:
            return template.format(v=short_number(yuan / divisor))
    raise AssertionError("MONEY_WORDS ends with a threshold of 0")


# --------------------------------------------------------------------------- targets

SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def bound(
    comparator: str,
    value: float,
    value_max: float | None = None,
    unit: str = "",
    *,
    show: Callable[[float], str] = number,
    symbol: bool = True,
    gap: str = " ",
) -> str:
    """A target's value with its comparator: '≥ 60 个', '> 100 万家', '1–2 个'. ``show`` writes
    each number; ``symbol=False`` keeps the comparator as written ('>='); ``gap`` goes between the
    sign and the number; the unit is left out when empty."""
    if comparator == "range" and value_max is not None:
        text = f"{show(value)}–{show(value_max)}"
    else:
        sign = SIGNS.get(comparator, "") if symbol else comparator
        text = f"{sign}{gap}{show(value)}"
    return f"{text} {unit}" if unit else text


def percent(fraction: float, decimals: int = 0, space: bool = False) -> str:
    """A fraction as a percentage: percent(0.357, 1) -> '35.7%'; ``space``: '35.7 %'."""
    return f"{100 * fraction:.{decimals}f}{' ' if space else ''}%"


def percent_range(low: float, high: float, decimals: int = 1) -> str:
    """Two fractions as a range of percentages: '12.5–30.0 %'."""
    return f"{100 * low:.{decimals}f}–{100 * high:.{decimals}f} %"


def probability(p: float) -> str:
    """A probability as the tracker's text prints it: '0.73'."""
    return f"{p:.2f}"


def required(
    growth: float | None, per_year: float | None, unit: str, *, table: bool = False
) -> str:
    """What a target requires from its start: a growth rate a year, else a flow a year
    (``per_year`` in base units, shown in the target's ``unit``). The terminal's form
    ('35.7 %/yr', '+20 个/yr', '—') or, with ``table``, the report tables' ('35.7%',
    '+20.00 个/年', '–')."""
    if growth is not None and not (isinstance(growth, float) and math.isnan(growth)):
        return percent(growth, 1) if table else f"{percent(growth, 1, space=True)}/yr"
    if per_year is not None and not (isinstance(per_year, float) and math.isnan(per_year)):
        flow = per_year / get_unit(unit).to_base(1.0)
        if table:
            return f"+{flow:,.2f} {unit}/年"
        return f"+{number(round(flow, 2))} {unit}/yr"
    return "–" if table else "—"


# --------------------------------------------------------------------------- ratings

RATING_SHORT = {
    "Low": "L",
    "Medium-Low": "ML",
    "Medium": "M",
    "Medium-High": "MH",
    "High": "H",
    "Very high": "VH",
}


def rating(data: str, modelling: str, behaviour: str, final: str) -> str:
    """The uncertainty rating of a costing, short: 'ML/M/H → M' (data / modelling / behaviour →
    final)."""
    short = [RATING_SHORT.get(r, r) for r in (data, modelling, behaviour)]
    return f"{'/'.join(short)} → {RATING_SHORT.get(final, final)}"


# --------------------------------------------------------------------------- terminal tables


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(cols - width(text), 0)
    return gap + text if right else text + gap


# a table wider than this is wrapped when the output is not a terminal (a file, a pipe, a test)
PIPE_WIDTH = 120
MIN_COLUMN = 10  # a wrapped text column keeps at least this many columns (or its header's)
LONG_WORD = 16  # a word up to this wide is not cut when its column is narrowed


def table_width() -> int:
    """The width tables are fitted to: the terminal's, or ``PIPE_WIDTH`` when the output is not
    a terminal."""
    import os
    import sys

    try:
        if sys.stdout.isatty():
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, 40)
    except (AttributeError, OSError, ValueError):
        pass
    return PIPE_WIDTH


def wrap_cell(text: str, cols: int) -> list[str]:
    """``text`` in lines of at most ``cols`` display columns, broken at spaces; a word wider than
    ``LONG_WORD`` (a Chinese sentence has no spaces) may also break between two Chinese
    characters, and a word wider than a line is cut."""
    if width(text) <= cols:
        return [text]
    tokens: list[str] = []
    for word in text.split(" "):
        if width(word) <= min(LONG_WORD, cols):
            tokens.append(word)
        else:
            piece = ""
            for ch in word:  # a Chinese character is a token of its own
                if width(ch) == 2:
                    if piece:
                        tokens.append(piece)
                        piece = ""
                    tokens.append(ch)
                else:
                    piece += ch
            if piece:
                tokens.append(piece)
        tokens.append(" ")
    lines, line = [], ""
    for token in tokens[:-1]:
        if token == " " and not line:
            continue
        while width(token) > cols:  # a word longer than a line: cut it
            room = cols - width(line)
            head = ""
            for ch in token:
                if width(head + ch) > room:
                    break
                head += ch
            if not head:
                lines.append(line.rstrip())
                line = ""
                continue
            lines.append((line + head).rstrip())
            line, token = "", token[len(head) :]
        if width(line + token) > cols:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def fitted_widths(
    natural: list[int],
    headers: list[str],
    right: set[int],
    total: int,
    gap: int = 2,
    words: list[list[int]] | None = None,
) -> list[int]:
    """Column widths no wider than ``total`` with the gaps between them: the widest wrappable
    columns narrowed first to a common width; the ``right`` ones (numbers, names kept whole)
    keep theirs. Where even that cannot fit, each wrappable column keeps ``MIN_COLUMN`` (or its
    header's longest word, or ``words[i]``: its cells' longest words, up to ``LONG_WORD``) and the
    table is wider than ``total``."""
    room = total - gap * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    words = words or [[] for _ in natural]
    floor = [
        n
        if i in right
        else min(n, max(MIN_COLUMN, *(width(w) for w in headers[i].split()), *words[i]))
        for i, n in enumerate(natural)
    ]
    lo, hi = 0, max(natural)
    while lo < hi:  # the largest cap at which the row fits
        mid = (lo + hi + 1) // 2
        used = sum(n if i in right else max(floor[i], min(n, mid)) for i, n in enumerate(natural))
        if used <= room:
            lo = mid
        else:
            hi = mid - 1
    return [n if i in right else max(floor[i], min(n, lo)) for i, n in enumerate(natural)]


def _is_name(text: str) -> bool:
    """A cell kept whole: an id, a document number, a clause (no space, no list, 48 columns at
    most), which a reader copies or looks up as it is."""
    return width(text) <= 48 and not any(ch in text for ch in " 、，；,;")


def render(
    headers: list[str],
    rows: list[list[str]],
    right: set[int] | None = None,
    max_width: int | None = None,
    keep: set[int] | None = None,
) -> str:
    """A table with columns sized to their widest cell; ``right`` holds right-aligned columns.
    A table wider than ``max_width`` (default ``table_width()``: the terminal's, 120 columns when
    not a terminal) has its long texts wrapped onto further lines of their row; numbers, names
    (``_is_name``) and the ``keep`` columns are never wrapped."""
    right = right or set()
    natural = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    whole = right | (keep or set())
    whole |= {i for i in range(len(headers)) if all(_is_name(str(r[i])) for r in rows)}
    longest = [
        [min(max((width(w) for w in str(r[i]).split()), default=0), LONG_WORD) for r in rows]
        for i in range(len(headers))
    ]
    cols = fitted_widths(natural, headers, whole, max_width or table_width(), words=longest)

    def lines_of(cells: list[str]) -> list[str]:
        wrapped = [
            [c] if i in whole else wrap_cell(c, cols[i]) for i, c in enumerate(map(str, cells))
        ]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(
                pad(w[k] if k < len(w) else "", cols[i], i in right) for i, w in enumerate(wrapped)
            ).rstrip()
            for k in range(height)
        ]

    out = lines_of(headers)
    out.append("  ".join("-" * c for c in cols))
    for r in rows:
        out += lines_of(r)
    return "\n".join(out)
