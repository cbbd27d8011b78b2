"""A hostile sweep over every kind of input, on a copy of the shipped ``data/``.

Each variant changes one thing in one input — a policy, baseline, scenario (parameters, levers,
assumptions, periods, extends, draws), outturn, target or observation file, an ``observe``
argument or a command-line flag — to something hostile: overflow and non-finite numbers, a unit of
the wrong dimension, a share outside [0, 1], a date outside the grid or reversed, a name holding a
separator, a comment mark, a quote, a line break, a direction mark or 5,000 characters, YAML
aliases that expand ("billion laughs"), and a valid file too large to cost quickly (1,000
measures). For each, the command must exit 2 with ``error:`` lines only, the first naming the file
or flag and the field, no traceback, within 5 s, and every file of the data folder (and any
``--out``) exactly as it was before the command ran.

Each group test prints ``sweep <group>: tried N, held M``; the totals are the sum. The group that
runs the commands in subprocesses (and the 1,000-measure file, slow to build and parse on a busy
machine) is marked slow.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from jnpolicy_analysis.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
POLICY = "policies/ji_zheng_fa_2020_1.yaml"
BASELINE = "baseline/employment_measures.yaml"
TARGETS = "targets/ji_zheng_zi_2020_16.yaml"
OUTTURN = "outturns/china_2020_feb_jun_relief.yaml"
OBSERVATIONS = "targets/observations.csv"
SCENARIO = "scenarios/sweep.yaml"
LIMIT_S = 5.0

# the anchors the variants replace (each must occur exactly once in its file)
GRANT = "value: 1000\n        unit: 元/人\n"
REFUND = "refund_share:\n        value: 50\n"
TAKE_UP = "  new_hire_take_up:\n    low: 40\n    central: 65\n    high: 90\n"
COVERAGE = 'value: 100\n    unit: "%"\n    start: 2020-01-01\n'
GRANT_PERIOD = "start: 2020-02-10\n      end: 2020-03-09\n"
AMOUNT = "amount: 5769\nunit: 亿元\n"
OUT_PERIOD = "period: {start: 2020-02-01, end: 2020-06-30}\n"

NUMBERS = ["1.0e+309", "-1.0e+309", ".inf", "-.inf", ".nan", "1.0e+300"]
NAMES = {
    "separator": "new_hire/grant",
    "comment": "#new_hire_grant",
    "quote": 'new_hire_"grant',
    "newline": "new_hire\ngrant",
    "rtl": "new_hire_\u202egrant",
    "5000 chars": "n" * 5000,
}


@dataclass(frozen=True)
class Case:
    group: str
    label: str
    argv: tuple[str, ...]  # "{D}" stands for the data folder, "{F}" for the edited file
    where: str  # what the first error line names: "{F}" (the file) or a flag
    field: str  # the field it names (a substring of the text after the file)
    file: str | None = None  # relative path of the edited or new file
    edit: Callable[[str], str] | None = None  # old text -> new text (None: a new file)
    text: str | None = None  # the new file's text
    limit: float = LIMIT_S


def _replace(anchor: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(anchor) == 1, anchor
        return text.replace(anchor, new)

    return edit


def _scenario(body: str, name: str = "sweep") -> str:
    return f"name: {name}\ntitle_zh: 扫\ntitle_en: sweep\n{body}"


def _file_cases(group, label, file, edit, field, commands) -> list[Case]:
    """One case per command that reads the edited file."""
    out = []
    for cmd in commands:
        argv = ("validate", "{F}") if cmd == "validate" else (*cmd, "--data", "{D}")
        name = cmd if isinstance(cmd, str) else cmd[0]
        out.append(Case(group, f"{label} [{name}]", argv, "{F}", field, file, edit))
    return out


POLICY_CMDS = ["validate", ("catalog",)]
# a unit's fit to its instrument is the costing's check (validate runs it; catalog lists numbers)
FIT_CMDS = ["validate", ("cost", "--draws", "50")]
BASELINE_CMDS = ["validate", ("cost", "--draws", "50")]
TARGET_CMDS = ["validate", ("targets", "--draws", "50")]
OUTTURN_CMDS = ["validate", ("evaluate",)]
SCENARIO_CMDS = ["validate", ("cost", "--scenario", "sweep", "--draws", "50")]


def _key(key: str, value: str) -> str:
    quoted = json.dumps(key)
    return f"  {quoted}: {value}\n" if len(quoted) < 1000 else f"  ? {quoted}\n  : {value}\n"


def _scenario_cases(group, label, body, field, name: str = "sweep") -> list[Case]:
    out = []
    for cmd in SCENARIO_CMDS:
        argv = ("validate", "{F}") if cmd == "validate" else (*cmd, "--data", "{D}")
        command = cmd if isinstance(cmd, str) else cmd[0]
        text = _scenario(body, name)
        out.append(Case(group, f"{label} [{command}]", argv, "{F}", field, SCENARIO, None, text))
    return out


def _observe(group, label, metric, year, value, unit, where, field, source="list (sweep)"):
    argv = ("observe", metric, year, value, "--unit", unit, "--basis", "observed")
    argv += ("--source", source, "--data", "{D}")
    return [Case(group, label, argv, where, field)]


def _csv_row(group, label, row, field) -> list[Case]:
    def edit(text: str) -> str:
        return text + row + "\n"

    return _file_cases(group, label, OBSERVATIONS, edit, field, TARGET_CMDS[1:])


def overflow_cases() -> list[Case]:
    g = "overflow and non-finite"
    out: list[Case] = []
    for n in NUMBERS:
        out += _file_cases(
            g,
            f"policy grant {n}",
            POLICY,
            _replace(GRANT, f"value: {n}\n        unit: 元/人\n"),
            "grant",
            POLICY_CMDS,
        )
        out += _file_cases(
            g,
            f"baseline high {n}",
            BASELINE,
            _replace(
                TAKE_UP, f"  new_hire_take_up:\n    low: 40\n    central: 65\n    high: {n}\n"
            ),
            "new_hire_take_up",
            BASELINE_CMDS,
        )
        out += _file_cases(
            g,
            f"target value {n}",
            TARGETS,
            _replace(COVERAGE, f'value: {n}\n    unit: "%"\n    start: 2020-01-01\n'),
            "targets[",
            TARGET_CMDS,
        )
        out += _file_cases(
            g,
            f"outturn amount {n}",
            OUTTURN,
            _replace(AMOUNT, f"amount: {n}\nunit: 亿元\n"),
            "amount",
            OUTTURN_CMDS,
        )
        out += _scenario_cases(
            g,
            f"scenario parameter {n}",
            f"extends: central\nparameters:\n  new_hire_grant.grant: {n}\n",
            "parameters.new_hire_grant.grant",
        )
        out += _scenario_cases(
            g,
            f"scenario lever {n}",
            f"extends: central\nparameters:\n  job_retention_refund.sme_refund_share: {n}\n",
            "parameters.job_retention_refund.sme_refund_share",
        )
        out += _scenario_cases(
            g,
            f"scenario assumption {n}",
            f"extends: central\nassumptions:\n  new_hire_take_up: {{high: {n}}}\n",
            "assumptions.new_hire_take_up",
        )
    # (a VALUE starting with '-' is taken for a flag by argparse: see the names group)
    for text in ("1e400", "inf", "nan", "1e300", "１e400"):
        out += _observe(
            g, f"observe value {text}", "firms_on_cloud", "2021", text, "家", "VALUE", "value"
        )
        out += _csv_row(
            g,
            f"observations.csv value {text}",
            f"firms_on_cloud,2021,{text},家,observed,,,public: sweep row",
            "value",
        )
    for draws in ("3000000000", "10000000000000000000000000000000"):
        out += _scenario_cases(
            g, f"scenario draws {draws[:12]}", f"extends: central\ndraws: {draws}\n", "draws"
        )
    out += [
        Case(
            g,
            "--draws 1e9+1",
            ("cost", "--draws", "1000000001", "--data", "{D}"),
            "--draws",
            "draws",
        ),
        Case(g, "--seed 2**64", ("cost", "--seed", str(2**64), "--data", "{D}"), "--seed", "seed"),
        Case(g, "--wait inf", ("report", "--wait", "inf", "--data", "{D}"), "--wait", "wait"),
        Case(g, "--wait nan", ("report", "--wait", "nan", "--data", "{D}"), "--wait", "wait"),
    ]
    return out  # fmt: skip


def dimension_cases() -> list[Case]:
    g = "wrong-dimension units"
    out: list[Case] = []
    for unit in ("个", "%", "天"):
        out += _file_cases(
            g,
            f"policy grant in {unit}",
            POLICY,
            _replace(GRANT, f"value: 1000\n        unit: '{unit}'\n"),
            "grant",
            FIT_CMDS,
        )
    for unit in ("个", "%", "天"):
        out += _file_cases(
            g,
            f"outturn in {unit}",
            OUTTURN,
            _replace(AMOUNT, f"amount: 5769\nunit: '{unit}'\n"),
            "unit",
            OUTTURN_CMDS,
        )
    for unit in ("万元", "天"):
        out += _observe(
            g, f"observe firms in {unit}", "firms_on_cloud", "2021", "5", unit, "--unit", "unit"
        )
        out += _csv_row(
            g,
            f"observations.csv firms in {unit}",
            f"firms_on_cloud,2021,5,{unit},observed,,,public: sweep row",
            "unit",
        )
    return out


def share_cases() -> list[Case]:
    g = "shares outside [0, 1]"
    out: list[Case] = []
    for v in ("150", "-50", "100.5"):
        out += _file_cases(
            g,
            f"policy refund share {v} %",
            POLICY,
            _replace(REFUND, f"refund_share:\n        value: {v}\n"),
            "refund_share",
            POLICY_CMDS,
        )
        out += _scenario_cases(
            g,
            f"scenario refund share {v} %",
            f"extends: central\nparameters:\n  job_retention_refund.refund_share: {v}\n",
            "parameters.job_retention_refund.refund_share",
        )
        out += _scenario_cases(
            g,
            f"scenario SME lever {v} %",
            f"extends: central\nparameters:\n  job_retention_refund.sme_refund_share: {v}\n",
            "parameters.job_retention_refund.sme_refund_share",
        )
        out += _scenario_cases(
            g,
            f"scenario take-up {v} %",
            f"extends: central\nassumptions:\n  new_hire_take_up: {v}\n",
            "assumptions.new_hire_take_up",
        )
        out += _observe(
            g,
            f"observe 5G coverage {v} %",
            "key_park_5g_coverage",
            "2021",
            v,
            "%",
            "VALUE",
            "value",
        )
        out += _csv_row(
            g,
            f"observations.csv 5G coverage {v} %",
            f"key_park_5g_coverage,2021,{v},%,observed,,,public: sweep row",
            "value",
        )
        out += _file_cases(
            g,
            f"target 5G coverage {v} %",
            TARGETS,
            _replace(COVERAGE, f'value: {v}\n    unit: "%"\n    start: 2020-01-01\n'),
            "targets[",
            TARGET_CMDS,
        )
    out += _file_cases(
        g,
        "baseline take-up 500 %",
        BASELINE,
        _replace(TAKE_UP, "  new_hire_take_up:\n    low: 40\n    central: 65\n    high: 500\n"),
        "new_hire_take_up",
        BASELINE_CMDS,
    )
    return out  # fmt: skip


def date_cases() -> list[Case]:
    g = "dates outside the grid or reversed"
    out: list[Case] = []
    for label, period, field in [
        (
            "reversed",
            "{start: 2020-06-01, end: 2020-03-01}",
            "periods.sme_social_insurance_exemption",
        ),
        ("year 9999", "{end: 9999-12-31}", "periods.sme_social_insurance_exemption.end"),
        ("year 1900", "{start: 1900-01-01}", "periods.sme_social_insurance_exemption.start"),
    ]:
        out += _scenario_cases(
            g,
            f"scenario period {label}",
            f"extends: central\nperiods:\n  sme_social_insurance_exemption: {period}\n",
            field,
        )
    out += _file_cases(
        g,
        "policy period reversed",
        POLICY,
        _replace(GRANT_PERIOD, "start: 2020-02-10\n      end: 2020-01-09\n"),
        "period",
        POLICY_CMDS,
    )
    out += _file_cases(
        g,
        "policy date 2020-02-30",
        POLICY,
        _replace(GRANT_PERIOD, "start: 2020-02-30\n      end: 2020-03-09\n"),
        "line",
        POLICY_CMDS,
    )
    for label, period in [
        ("before the grid", "{start: 2019-02-01, end: 2019-06-30}"),
        ("after the grid", "{start: 2023-02-01, end: 2023-06-30}"),
        ("across the end", "{start: 2022-06-01, end: 2023-06-30}"),
    ]:
        out += _file_cases(
            g,
            f"outturn {label}",
            OUTTURN,
            _replace(OUT_PERIOD, f"period: {period}\n"),
            "period",
            OUTTURN_CMDS,
        )
    out += _file_cases(
        g,
        "target deadline before start",
        TARGETS,
        _replace(COVERAGE, 'value: 100\n    unit: "%"\n    start: 2023-01-01\n'),
        "targets[",
        TARGET_CMDS,
    )
    for year in ("1999", "2101", "20200", "2O21"):
        out += _observe(
            g, f"observe year {year}", "firms_on_cloud", year, "5", "家", "YEAR", "year"
        )
        out += _csv_row(
            g,
            f"observations.csv year {year}",
            f"firms_on_cloud,{year},5,家,observed,,,public: sweep row",
            "year",
        )
    for as_of in ("20200101", "2020-02-30", "2020-W01", "99999-01-01"):
        out.append(
            Case(
                g,
                f"targets --as-of {as_of}",
                ("targets", "--as-of", as_of, "--data", "{D}"),
                "--as-of",
                "as_of",
            )
        )
        out.append(
            Case(
                g,
                f"report --as-of {as_of}",
                ("report", "--as-of", as_of, "--data", "{D}", "--out", "{O}"),
                "--as-of",
                "as_of",
            )
        )
    return out  # fmt: skip


def name_cases() -> list[Case]:
    g = "names with separators, comments, quotes, newlines, RTL marks, 5,000 characters"
    out: list[Case] = []
    for label, name in NAMES.items():
        # json.dumps: a double-quoted YAML scalar; a key past YAML's 1,024 characters of an
        # implicit key is written as an explicit one ('? key' then ': value')
        out += _scenario_cases(
            g, f"scenario extends {label}", f"extends: {json.dumps(name)}\n", "extends"
        )
        out += _scenario_cases(
            g,
            f"scenario parameter key {label}",
            "extends: central\nparameters:\n" + _key(name + ".grant", "5"),
            "parameters.",
        )
        out += _scenario_cases(
            g,
            f"scenario assumption {label}",
            "extends: central\nassumptions:\n" + _key(name + "_take_up", "0.5"),
            "assumptions.",
        )
        out += _scenario_cases(
            g, f"scenario name {label}", "extends: central\n", "name", name=json.dumps(name)
        )
        out.append(
            Case(
                g,
                f"--scenario {label}",
                ("cost", "--scenario", name, "--data", "{D}"),
                "{D}/scenarios",
                "scenario",
            )
        )
        out.append(
            Case(g, f"--doc {label}", ("catalog", "--doc", name, "--data", "{D}"), "--doc", "doc")
        )
        out.append(
            Case(
                g, f"--kind {label}", ("validate", "--kind", name, "{D}/policies"), "--kind", "kind"
            )
        )
        out += _observe(g, f"observe metric {label}", name, "2021", "5", "家", "METRIC", "metric")
        out += _observe(
            g, f"observe unit {label}", "firms_on_cloud", "2021", "5", name, "--unit", "unit"
        )
    for label, source in [
        ("newline", "line one\nline two"),
        ("carriage return", "a\rb"),
        ("rtl", "rtl \u202e mark"),
        ("nul", "nul \x00 byte"),
    ]:
        if "\x00" in source:
            continue  # an argument cannot hold NUL (the OS refuses it before the command runs)
        out += _observe(
            g,
            f"observe --source {label}",
            "firms_on_cloud",
            "2021",
            "5",
            "家",
            "--source",
            "source",
            source=source,
        )
    for label, name in NAMES.items():
        cell = '"' + name.replace('"', '""') + '"'
        out += _csv_row(
            g,
            f"observations.csv metric {label}",
            f"{cell},2021,5,家,observed,,,public: sweep row",
            "row ",
        )
    return out  # fmt: skip


def laughs(levels: int = 9) -> str:
    lines = ["lol0: &a0 [lol]"]
    for i in range(1, levels):
        lines.append(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def alias_cases() -> list[Case]:
    g = "YAML anchors and aliases that expand"
    out: list[Case] = []
    bomb = laughs()
    assert len(bomb.encode()) < 1024
    for file, cmds in [
        (POLICY, POLICY_CMDS),
        (BASELINE, BASELINE_CMDS),
        (TARGETS, TARGET_CMDS),
        (OUTTURN, OUTTURN_CMDS),
        ("targets/tracking.yaml", TARGET_CMDS),
    ]:
        out += _file_cases(
            g, f"billion laughs in {file}", file, lambda t, b=bomb: b + t, "line", cmds
        )
        out += _file_cases(
            g,
            f"a self-referencing alias in {file}",
            file,
            lambda t: "loop: &x [*x]\n" + t,
            "line",
            cmds,
        )
    out += _scenario_cases(g, "billion laughs in a scenario", "extends: central\n" + bomb, "line")
    out += _scenario_cases(
        g,
        "a merge key in a scenario",
        "extends: central\nbase: &b {draws: 10}\nmore:\n  <<: *b\n",
        "line",
    )
    return out  # fmt: skip


GROUPS: dict[str, Callable[[], list[Case]]] = {
    "overflow": overflow_cases,
    "dimension": dimension_cases,
    "share": share_cases,
    "dates": date_cases,
    "names": name_cases,
    "aliases": alias_cases,
}


# --------------------------------------------------------------------------- the runner


def snapshot(*roots: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``roots``: its mode and the hash of its bytes."""
    out = {}
    for root in roots:
        if not root.exists():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and not p.is_symlink():
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
                out[str(p)] = (os.stat(p).st_mode, digest)
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sweep") / "data"
    shutil.copytree(DATA, root)
    return root


def _expand(value: str, data: Path, file: Path | None, out: Path) -> str:
    return value.replace("{D}", str(data)).replace("{F}", str(file)).replace("{O}", str(out))


def attempt(case: Case, data: Path, run: Callable[[list[str]], tuple[int, str]]) -> str | None:
    """Run ``case``; None when it holds, else what went wrong."""
    file = data / case.file if case.file else None
    out = data.parent / "out"  # any --out: must not be made
    original = file.read_bytes() if file is not None and file.exists() else None
    try:
        if file is not None:
            if case.edit is not None:
                assert original is not None
                file.write_text(case.edit(original.decode("utf-8")), encoding="utf-8")
            else:
                file.write_text(case.text or "", encoding="utf-8")
        before = snapshot(data, out)
        argv = [_expand(a, data, file, out) for a in case.argv]
        start = time.monotonic()
        code, err = run(argv)
        took = time.monotonic() - start
        after = snapshot(data, out)
    finally:
        if file is not None:
            if original is None:
                file.unlink(missing_ok=True)
            else:
                file.write_bytes(original)
        shutil.rmtree(out, ignore_errors=True)
    lines = [line for line in err.splitlines() if line.strip()]
    where = _expand(case.where, data, file, out)
    if code != 2:
        return f"exit {code}: {err[:300]!r}"
    if "Traceback" in err:
        return f"traceback: {err[-300:]!r}"
    if not lines or not all(line.startswith("error: ") for line in lines):
        return f"not error: lines only: {err[:300]!r}"
    if len(set(lines)) != 1:
        return f"{len(set(lines))} different error lines: {err[:400]!r}"
    first = lines[0]
    if not first.startswith(f"error: {where}"):
        return f"does not name {where!r}: {first[:300]!r}"
    if case.field not in first[len(f"error: {where}") :]:
        return f"does not name the field {case.field!r}: {first[:300]!r}"
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        return f"files changed: {changed[:3]}"
    if took > case.limit:
        return f"took {took:.1f} s (limit {case.limit:g} s)"
    return None


def _in_process(capsys) -> Callable[[list[str]], tuple[int, str]]:
    def run(argv: list[str]) -> tuple[int, str]:
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        return code, capsys.readouterr().err

    return run


def _report(group: str, cases: list[Case], failures: list[str]) -> None:
    held = len(cases) - len(failures)
    print(f"\nsweep {group}: tried {len(cases)}, held {held}", file=sys.__stdout__)


@pytest.mark.slow  # a sweep of hundreds of variants: the full suite's
@pytest.mark.parametrize("group", list(GROUPS))
def test_sweep(group, data, capsys):
    cases = GROUPS[group]()
    assert len({c.label for c in cases}) == len(cases)
    run = _in_process(capsys)
    failures = []
    for case in cases:
        why = attempt(case, data, run)
        if why is not None:
            failures.append(f"{case.label}: {why}")
    _report(group, cases, failures)
    assert not failures, "\n".join(failures)


def test_the_shipped_data_is_unchanged_by_the_sweep(data):
    # the copy the sweep ran on is the shipped data again, byte for byte
    mine = {k.replace(str(data), ""): v for k, v in snapshot(data).items()}
    shipped = {k.replace(str(DATA), ""): v[1] for k, v in snapshot(DATA).items()}
    assert {k: v[1] for k, v in mine.items()} == shipped


# --------------------------------------------------------------------------- slow parts


def many_measures(data: Path) -> str:
    """A valid policy document of 1,000 measures (copies of the new-hire grant)."""
    doc = yaml.safe_load((data / POLICY).read_text(encoding="utf-8"))
    grant = next(m for m in doc["measures"] if m["id"] == "new_hire_grant")
    measures = [copy.deepcopy(grant) | {"id": f"sweep_{i:04d}_grant"} for i in range(1000)]
    extra = {k: doc[k] for k in ("title_zh", "title_en", "issuer", "issued")}
    return yaml.safe_dump({"doc": "济政发〔2020〕999号", **extra, "measures": measures},
                          allow_unicode=True, sort_keys=False)  # fmt: skip


@pytest.mark.slow
def test_sweep_a_valid_file_too_large_to_cost(data, capsys):
    text = many_measures(data)
    cases = [
        Case("long", f"1,000 measures [{cmd[0]}]", (*cmd, "--data", "{D}") if cmd[0] != "validate"
             else ("validate", "{F}"), "{F}", "measures", "policies/sweep_many.yaml", None, text,
             limit=30)
        for cmd in (("validate",), ("catalog",), ("cost", "--draws", "50"))
    ]  # fmt: skip
    failures = [f"{c.label}: {w}" for c in cases if (w := attempt(c, data, _in_process(capsys)))]
    _report("a valid file too large to cost", cases, failures)
    assert not failures, "\n".join(failures)


def _subprocess(argv: list[str]) -> tuple[int, str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    run = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    return run.returncode, run.stderr


@pytest.mark.slow
def test_sweep_in_subprocesses(data):
    """One case of each group as a user runs it: a fresh process (the interpreter's start-up
    counts against the limit too), numpy's warnings and all."""
    cases = [dataclass_replace(GROUPS[g]()[0], limit=LIMIT_S + 5) for g in GROUPS]
    failures = [f"{c.label}: {w}" for c in cases if (w := attempt(c, data, _subprocess))]
    _report("in subprocesses", cases, failures)
    assert not failures, "\n".join(failures)


def dataclass_replace(case: Case, **changes) -> Case:
    import dataclasses

    return dataclasses.replace(case, **changes)
