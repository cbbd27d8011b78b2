"""What changed since the last report, and why (``changes.json`` beside ``manifest.json``).

A report run compares itself with the previous complete run in ``--out`` (the one ``latest``
points to when this run starts): the class-A central and P5–P95 of each scenario both ran, each
measure's central (base scenario), each target's status; and what differs between the two runs'
manifests: every input file whose hash differs (changed, added, removed), the package version,
the commit, each scenario's draws and seed.

Attribution, as the OBR reconciles forecasts: the base scenario is re-costed from the previous
run's own input snapshot (``inputs/data``) with this run's code, draws, seed and date (step 0:
what the package, the date and the Monte Carlo settings moved), then with the changed input files
swapped in one at a time, in ``ORDER`` (sources, policies, baseline, scenarios, outturns, targets;
by path within a folder), each step's effect measured with the earlier swaps already in. Where two
changes interact, another order would split their joint effect differently: the order is stated
with the steps. After the last swap the inputs are this run's, so the steps add up to the change
(any residual, e.g. a draw count that differs between the summary and the run, is shown).

With nothing changed (same hashes, version and settings) it says "no change" and re-costs
nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CHANGES = "changes.json"
SUMMARY = "summary.json"
MANIFEST = "manifest.json"
# the order input files are swapped in, by folder; a file in none of them comes last
ORDER = (
    "data/sources/",
    "data/policies/",
    "data/baseline/",
    "data/scenarios/",
    "data/outturns/",
    "data/targets/",
)
ORDER_NOTE = (
    "按此顺序逐个替换输入文件并重新测算，每一步的影响均在前序替换已生效的基础上计量；"
    "若变化之间相互影响，换一种顺序会得到不同的分解。",
    "Input files are swapped in one at a time in this order and re-costed, each step measured "
    "with the earlier swaps already in; where changes interact, another order would split "
    "their joint effect differently.",
)


def previous_run(out: Path) -> Path | None:
    """The run ``latest`` points to in ``out`` (the last complete one), or None."""
    latest = out / "latest"
    if not latest.exists():
        return None
    run = latest.resolve()
    if (run / MANIFEST).is_file() and (run / SUMMARY).is_file():
        return run
    return None


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _rank(path: str) -> tuple[int, str]:
    return (next((i for i, p in enumerate(ORDER) if path.startswith(p)), len(ORDER)), path)


def changed_inputs(before: dict, after: dict) -> list[dict]:
    """The data files whose hash differs between two manifests' ``input_hashes``, in ``ORDER``
    (the notebooks are not inputs of the numbers)."""
    old, new = before.get("input_hashes", {}), after.get("input_hashes", {})
    files = sorted(
        (f for f in set(old) | set(new) if f.startswith("data/") and old.get(f) != new.get(f)),
        key=_rank,
    )
    return [
        {"file": f, "change": "added" if f not in old else "removed" if f not in new else "changed"}
        for f in files
    ]


def _settings(manifest: dict) -> dict[str, tuple]:
    return {s["name"]: (s.get("draws"), s.get("seed")) for s in manifest.get("scenarios", [])}


def compare(prev: Path, this: Path) -> dict:
    """The changes between run ``prev`` and run ``this`` (their manifests and summaries), without
    attribution."""
    m0, m1 = _read(prev / MANIFEST), _read(this / MANIFEST)
    s0, s1 = _read(prev / SUMMARY), _read(this / SUMMARY)
    inputs = changed_inputs(m0, m1)
    version = (m0.get("package_version"), m1.get("package_version"))
    commit = (m0.get("git_commit"), m1.get("git_commit"))
    settings0, settings1 = _settings(m0), _settings(m1)
    settings = [
        {"scenario": n, "before": list(settings0[n]), "after": list(settings1[n])}
        for n in sorted(set(settings0) & set(settings1))
        if settings0[n] != settings1[n]
    ]
    summary_settings = (s0.get("draws"), s0.get("seed")) != (s1.get("draws"), s1.get("seed"))
    by_name0 = {s["name"]: s for s in s0.get("scenarios", [])}
    totals = []
    for s in s1.get("scenarios", []):
        before = by_name0.get(s["name"])
        if before is None:
            continue
        row = {"scenario": s["name"], "title_zh": s.get("title_zh"), "title_en": s.get("title_en")}
        for key in ("central", "p5", "p95"):
            row[key] = {"before": before.get(key), "after": s.get(key)}
        row["change"] = s["central"] - before["central"]
        totals.append(row)
    base0 = by_name0.get(s1.get("base"), {})
    base1 = next((s for s in s1.get("scenarios", []) if s["name"] == s1.get("base")), {})
    measures = []
    for mid, after in (base1.get("measures") or {}).items():
        before = (base0.get("measures") or {}).get(mid)
        if before is None or after != before:
            measures.append({"id": mid, "before": before, "after": after})
    status0 = {t["id"]: t["status"] for t in s0.get("targets", [])}
    targets = [
        {"id": t["id"], "metric_zh": t.get("metric_zh"), "metric_en": t.get("metric_en"),
         "before": status0.get(t["id"]), "after": t["status"]}
        for t in s1.get("targets", [])
        if status0.get(t["id"]) != t["status"]
    ]  # fmt: skip
    changed = bool(
        inputs or version[0] != version[1] or settings or summary_settings or measures or targets
        or any(abs(t["change"]) > 0 for t in totals)
    )  # fmt: skip
    return {
        "previous": {
            "as_of": m0.get("as_of"),
            "created": m0.get("created"),
            "git_commit": commit[0],
            "package_version": version[0],
        },
        "changed": changed,
        "totals": totals,
        "measures": measures,
        "targets": targets,
        "causes": {
            "inputs": inputs,
            "package_version": None if version[0] == version[1] else list(version),
            "git_commit": None if commit[0] == commit[1] else list(commit),
            "settings": settings,
        },
    }


def _outcome(data: Path, base: str, draws, seed, as_of: str) -> dict:
    from ..analysis import open_analysis

    a = open_analysis(base, data, draws, seed, as_of=as_of)
    return {
        "central": float(a.cost.totals()["cost"]["central"]),
        "measures": {m: float(v) for m, v in a.cost.costed["central"].items()},
        "status": {r.id: r.status for r in a.targets.results},
    }


def attribute(prev: Path, this: Path, report: dict, work: Path) -> list[dict]:
    """The steps from the previous run's numbers to this run's (see the module's docstring):
    each with what was swapped in, its effect on the base scenario's class-A central (元), the
    measures it moved and the targets whose status it changed."""
    s0, s1 = _read(prev / SUMMARY), _read(this / SUMMARY)
    base, draws, seed = s1.get("base"), s1.get("draws"), s1.get("seed")
    as_of = _read(this / MANIFEST).get("as_of")
    old, new = prev / "inputs" / "data", this / "inputs" / "data"
    if not (base and old.is_dir() and new.is_dir()):
        return []
    data = work / "data"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(old, data)
    try:
        start = next((s["central"] for s in s0.get("scenarios", []) if s["name"] == base), None)
        status0 = {t["id"]: t["status"] for t in s0.get("targets", [])}
        now = _outcome(data, base, draws, seed, as_of)
        steps = [
            _step("(package, date, draws and seed; the inputs as before)", start, status0, now)
        ]
        for item in report["causes"]["inputs"]:
            rel = item["file"].removeprefix("data/")
            target = data / rel
            if item["change"] == "removed":
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(new / rel, target)
            before = now
            now = _outcome(data, base, draws, seed, as_of)
            steps.append(_step(item["file"], before["central"], before["status"], now, before))
        final = next((s["central"] for s in s1.get("scenarios", []) if s["name"] == base), None)
        if final is not None:
            steps.append({"cause": "(residual)", "effect": final - now["central"]})
        return steps
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _step(cause: str, before: float | None, status: dict, now: dict, prior: dict | None = None):
    moved = []
    if prior is not None:
        moved = [
            {"id": m, "effect": v - prior["measures"].get(m, 0.0)}
            for m, v in now["measures"].items()
            if abs(v - prior["measures"].get(m, 0.0)) > 1e-6 * max(abs(v), 1.0)
        ]
        moved.sort(key=lambda x: -abs(x["effect"]))
    return {
        "cause": cause,
        "effect": None if before is None else now["central"] - before,
        "measures": moved[:10],
        "targets": [
            {"id": t, "before": status.get(t), "after": s}
            for t, s in now["status"].items()
            if status.get(t) != s
        ],
    }


def write_changes(staging: Path, out: Path) -> dict:
    """``changes.json`` in ``staging`` (a run about to be published in ``out``): against the
    previous complete run, attributed; "no earlier run" when there is none."""
    prev = previous_run(out)
    if prev is None:
        report = {"previous": None, "changed": None}
    else:
        report = compare(prev, staging)
        report["order"] = [p.removeprefix("data/").rstrip("/") for p in ORDER]
        report["order_note"] = {"zh": ORDER_NOTE[0], "en": ORDER_NOTE[1]}
        report["attribution"] = (
            attribute(prev, staging, report, staging / ".changes") if report["changed"] else []
        )
    (staging / CHANGES).write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return report


__all__ = ["CHANGES", "ORDER", "attribute", "changed_inputs", "compare", "write_changes"]
