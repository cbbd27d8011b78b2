"""Plain-text tables for the terminal."""

from __future__ import annotations

import unicodedata

from .catalog import Catalog


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(cols - width(text), 0)
    return gap + text if right else text + gap


def render(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A table with columns sized to their widest cell; ``right`` holds right-aligned columns."""
    right = right or set()
    cols = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "  ".join(pad(h, cols[i], i in right) for i, h in enumerate(headers))
    out = [line, "  ".join("-" * c for c in cols)]
    out += ["  ".join(pad(c, cols[i], i in right) for i, c in enumerate(r)) for r in rows]
    return "\n".join(out)


def fmt_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def catalog_summary(cat: Catalog, doc: str | None = None) -> str:
    """Measures by document with their numbers as printed, then the targets."""
    parts: list[str] = []
    n_params = 0
    for d in cat.documents.values():
        if doc and d.doc != doc:
            continue
        rows = []
        for m in d.measures:
            # one line per printed number; the measure's own columns only on its first line
            numbers = [
                f"{name} = {fmt_number(p.value)} {p.unit}" for name, p in m.parameters.items()
            ] or ["-"]
            n_params += len(m.parameters)
            head = [m.clause, m.id, m.instrument.value, m.fiscal_class or "-"]
            rows.append([*head, m.funding_source or "-", numbers[0]])
            rows.extend([*([""] * len(head)), "", extra] for extra in numbers[1:])
        parts.append(
            f"{d.doc}  {d.title_zh}\n  {len(d.measures)} measures, {len(d.facts)} other numbers"
        )
        if rows:
            parts.append(
                render(
                    ["clause", "measure", "instrument", "IMF", "fund", "numbers as printed"], rows
                )
            )
        if d.facts:
            parts.append(
                render(
                    ["clause", "number", "value", "meaning"],
                    [
                        [f.clause, f.id, f"{fmt_number(f.value)} {f.unit}", f.description_zh]
                        for f in d.facts
                    ],
                )
            )
    targets = [(dd, t) for dd, t in cat.targets if not doc or dd == doc]
    if targets:
        rows = []
        for dd, t in targets:
            value = fmt_number(t.value) + (
                f"–{fmt_number(t.value_max)}" if t.value_max is not None else ""
            )
            rows.append(
                [
                    dd,
                    t.clause,
                    t.id,
                    t.kind,
                    f"{t.comparator} {value} {t.unit}",
                    t.deadline.isoformat(),
                ]
            )
        parts.append(f"Targets ({len(targets)})")
        parts.append(render(["doc", "clause", "target", "kind", "value", "deadline"], rows))
    n_measures = sum(len(d.measures) for d in cat.documents.values() if not doc or d.doc == doc)
    parts.append(
        f"In all: {n_measures} measures with {n_params} printed numbers, {len(targets)} targets."
    )
    return "\n\n".join(parts)
