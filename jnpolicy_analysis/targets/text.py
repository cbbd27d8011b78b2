"""The tracker's report as terminal text: the targets with their verdicts, the status rule, the
annual commitments year by year, the consistency of the plans."""

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


def _p(r) -> str:
    if r.probability_met is None:
        return "—"
    text = f"{r.probability_met:.2f}"
    return text + " (assumed)" if r.probability_label else text


def _ex_ante(r) -> str:
    e = r.ex_ante
    if not e:
        return "—"
    text = f"{e['probability']:.2f}"
    return text + " (assumed)" if e["label"] != "from a public start" else text


def _verdict(r) -> str:
    if r.verdict is None:
        return "— (before the deadline)"
    return r.verdict + (f" ({r.verdict_basis})" if r.verdict_basis else "")


def render_report(report) -> str:

    parts = [
        f"Targets tracker — scenario {report.scenario.name} (point {report.point}), "
        f"{report.draws} draws, seed {report.seed}, as of {report.as_of}"
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
                    _ex_ante(r),
                    _p(r),
                    _projected(r),
                    r.status,
                    _verdict(r),
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
                        "P(met) ex ante",
                        "P(met)",
                        "P5 / P50 / P95 at deadline",
                        "status",
                        "verdict (basis)",
                    ],
                    rows,
                    right={6, 7, 8},
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
                    cells.append("no data")
                else:
                    v = r.by_year[y]
                    cells.append(f"{fmt(v['value'])} {'met' if v['met'] else 'missed'}")
            rows.append(
                [
                    r.id,
                    r.clause,
                    _goal(r),
                    *cells,
                    r.status,
                    _verdict(r),
                    ", ".join(r.serves) or "—",
                ]
            )
        parts.append("Annual commitments (每年评选 / 每年支持), tracked year by year")
        parts.append(
            render(
                [
                    "commitment",
                    "clause",
                    "each year",
                    *map(str, years),
                    "status",
                    "verdict (basis)",
                    "serves",
                ],
                rows,
            )
        )
    evidence = [
        f"- {r.id}: {r.verdict} — {r.verdict_evidence}"
        for r in report.results
        if r.kind == "headline" and r.verdict is not None
    ]
    if evidence:
        parts.append(
            "Verdicts (after the deadline, from observed or proxy figures only)\n"
            + "\n".join(evidence)
        )
    parts.append("Status rule: " + report.status_rule)
    parts.append(
        "Projection: from the latest public figure (else the baseline) to the deadline, one growth "
        "rate (or flow a year) per draw held for every year, triangular over the assumption's "
        "low–high with its mode at the scenario's point (data/baseline/targets_growth.yaml). "
        "'(assumed)': the projection starts from a stated assumption "
        "(data/targets/observations.csv), so P(met) says what the assumptions imply, not what "
        "happened, and the status is 'no data'; 'P(met) ex ante': from the plan's start over the "
        "whole plan; 'proxy': a public figure that measures the target only approximately."
    )
    lines = []
    for c in report.consistency_rows:
        lines.append(f"- [{c.check}] {c.subject}: {c.verdict}")
        if c.readings:
            for r in c.readings:
                lines.append(f"    {r['reading']}:")
                lines.append(f"      {r['arithmetic']} → {r['verdict']}")
        else:
            lines.append(f"    {c.arithmetic}")
        lines.append(f"    inconsistent if: {c.fails_if}")
    parts.append("Consistency of the plans (each check states what would make it fail)")
    parts.append("\n".join(lines))
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
