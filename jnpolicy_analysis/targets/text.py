"""The tracker's report as terminal text: the targets with their verdicts, the status rule, the
annual commitments year by year, the consistency of the plans."""

from __future__ import annotations

from ..formatting import bound, number, probability, render, required


def _goal(r) -> str:
    return bound(r.comparator, r.target_value, r.target_value_max, r.unit)


def _figure(o, assumed_word: str = "assumed") -> str:
    if o is None:
        return "no observation"
    text = f"{number(o.value)} {o.unit} ({o.year}"
    if o.kind == "assumption":
        text += (
            f", {assumed_word} {number(o.low)}–{number(o.high)}"
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
    return (
        f"{number(round(p['p5'], 1))} / {number(round(p['p50'], 1))} / {number(round(p['p95'], 1))}"
    )


def _p(r) -> str:
    if r.probability_met is None:
        return "—"
    text = probability(r.probability_met)
    return text + " (assumed)" if r.probability_label else text


def _ex_ante(r) -> str:
    e = r.ex_ante
    if not e:
        return "—"
    text = probability(e["probability"])
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
                    required(r.required_annual_growth, r.required_per_year, r.unit),
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
                    cells.append(f"{number(v['value'])} {'met' if v['met'] else 'missed'}")
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
