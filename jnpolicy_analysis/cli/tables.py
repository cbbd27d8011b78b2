"""The catalog as plain text for the terminal: measures with their printed numbers, targets."""

from __future__ import annotations

from ..formatting import number, render
from ..inputs.catalog import Catalog


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
                f"{name} = {number(p.value)} {p.unit}" for name, p in m.parameters.items()
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
                    ["clause", "measure", "instrument", "IMF", "fund", "numbers as printed"],
                    rows,
                    keep={5},  # one printed number a line, whole
                )
            )
        if d.facts:
            parts.append(
                render(
                    ["clause", "number", "value", "meaning"],
                    [
                        [f.clause, f.id, f"{number(f.value)} {f.unit}", f.description_zh]
                        for f in d.facts
                    ],
                )
            )
    targets = [(dd, t) for dd, t in cat.targets if not doc or dd == doc]
    if targets:
        rows = []
        for dd, t in targets:
            value = number(t.value) + (f"–{number(t.value_max)}" if t.value_max is not None else "")
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
