"""The tracker's report as terminal text: the targets, the status rule, the annual commitments,
the consistency of the plans."""

from __future__ import annotations

from ..tables import render
from ..units import get_unit
from .consistency import fmt


def _goal(r) -> str:
    if r.comparator == "range":
        return f"{fmt(r.target_value)}–{fmt(r.target_value_max)} {r.unit}"
    return f"{'≥' if r.comparator == '>=' else '>'} {fmt(r.target_value)} {r.unit}"


def _figure(o, assumed_word: str = "assumed") -> str:
    if o is None:
        return "no observation"
    text = f"{fmt(o.value)} {o.unit} ({o.year}"
    if o.kind == "assumption":
        text += (
            f", {assumed_word} {fmt(o.low)}–{fmt(o.high)}"
            if o.low != o.high
            else f", {assumed_word}"
        )
    elif o.kind != "observed":
        text += f", {o.kind}"
    return text + ")"


def _projected(r) -> str:
    p = r.projected
    if not p:
        return "—"
    if r.status == "achieved":
        return "met"
    return f"{fmt(round(p['p5'], 1))} / {fmt(round(p['p50'], 1))} / {fmt(round(p['p95'], 1))}"


def render_report(report) -> str:

    parts = [
        f"Targets tracker — scenario {report.scenario.name} (point {report.point}), "
        f"{report.draws} draws, seed {report.seed}"
    ]
    docs = list(dict.fromkeys(r.doc for r in report.results))
    for doc in docs:
        rows = []
        for r in report.results:
            if r.doc != doc or r.kind != "headline":
                continue
            rows.append(
                [
                    r.id,
                    r.clause,
                    _goal(r),
                    r.deadline[:4],
                    _figure(r.baseline),
                    _figure(r.latest) if r.latest else "no observation",
                    describe_required(r),
                    "—" if r.probability_met is None else f"{r.probability_met:.2f}",
                    _projected(r),
                    r.status,
                    r.basis,
                ]
            )
        if rows:
            parts.append(f"{doc} — headline targets")
            parts.append(
                render(
                    [
                        "target",
                        "clause",
                        "value",
                        "by",
                        "baseline",
                        "latest",
                        "required",
                        "P(met)",
                        "P5 / P50 / P95 at deadline",
                        "status",
                        "basis",
                    ],
                    rows,
                    right={6, 7},
                )
            )
    annual = [r for r in report.results if r.kind == "annual"]
    if annual:
        years = sorted({y for r in annual for y in r.by_year})
        rows = []
        for r in annual:
            cells = []
            for y in years:
                if y not in r.by_year:
                    cells.append("")
                elif r.by_year[y] is None:
                    cells.append("no observation")
                else:
                    v = r.by_year[y]
                    cells.append(f"{fmt(v['value'])}{' ✓' if v['met'] else ' ✗'}")
            rows.append([r.id, r.clause, _goal(r), *cells, r.status, ", ".join(r.serves) or "—"])
        parts.append("Annual commitments (每年评选 / 每年支持), tracked year by year")
        parts.append(
            render(
                ["commitment", "clause", "each year", *map(str, years), "status", "serves"], rows
            )
        )
    parts.append("Status rule: " + report.status_rule)
    parts.append(
        "Projection: from the latest public figure (else the baseline) to the deadline, one growth "
        "rate (or flow a year) per draw held for every year, triangular over the assumption's "
        "low–high with its mode at the scenario's point (data/baseline/targets_growth.yaml). "
        "basis 'assumption': no public figure, the start is a stated assumption "
        "(data/targets/observations.csv) and P(met) says what the assumptions imply, not what "
        "happened; 'proxy': a public figure that measures the target only approximately."
    )
    rows = [[c.check, c.subject, c.arithmetic, c.verdict] for c in report.consistency_rows]
    parts.append("Consistency of the plans")
    parts.append(render(["check", "subject", "arithmetic", "verdict"], rows))
    notes = [f"- {c.id}: {c.note}" for c in report.consistency_rows if c.note]
    if notes:
        parts.append("Notes\n" + "\n".join(notes))
    return "\n\n".join(parts)


def describe_required(r) -> str:
    """'35.7 %/yr' or '+20 个/yr' (or '—' when undefined)."""
    if r.required_annual_growth is not None:
        return f"{100 * r.required_annual_growth:.1f} %/yr"
    if r.required_per_year is not None:
        scale = get_unit(r.unit).to_base(1.0)
        return f"+{fmt(round(r.required_per_year / scale, 2))} {r.unit}/yr"
    return "—"
