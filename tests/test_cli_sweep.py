"""Every flag of every subcommand, swept with bad values: each gives exit 2, one line
``error: <what>: <field>: <what is wrong>`` naming the flag (or file) and the fault, no traceback,
and nothing written (neither in the scratch folder, nor the project's reports/, nor the working
folder)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import checks as cli_checks
from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing.montecarlo import MAX_DRAWS
from jnpolicy_analysis.paths import DATA_DIR, PROJECT_DIR, REPORTS_DIR

LINE = re.compile(r"^error: [^:]+: [^:]+: .+$")
COMMANDS = (
    "catalog",
    "validate",
    "cost",
    "compare",
    "targets",
    "report",
    "observe",
    "brief",
    "sensitivity",
    "evaluate",
    "calibrate",
    "draft",
)
# the positional arguments a command needs before its flags
HEAD = {
    "catalog": ["catalog"],
    "validate": ["validate", str(DATA_DIR / "scenarios" / "central.yaml")],
    "cost": ["cost"],
    "compare": ["compare", "central", "high"],
    "sensitivity": ["sensitivity"],
    "targets": ["targets"],
    "report": ["report", "--scenario", "central"],
    # on a copy of data/ (place["copy"]), so that no case could ever append to the real file
    "observe": [
        "observe",
        "application_demo_projects",
        "2022",
        "100",
        "--unit",
        "个",
        "--basis",
        "proxy",
        "--source",
        "public: a test of the sweep",
        "--data",
        "copy",
    ],
    "brief": ["brief", "--out", "root"],
    "evaluate": ["evaluate"],
    "calibrate": ["calibrate", "--no-write"],
    "draft": [
        "draft",
        str(DATA_DIR / "sources" / "jinan_gazette_2020_05.txt"),
        "--doc",
        "济政发〔2020〕1号",
    ],
}


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, str]:
    """Scratch paths: a file, a folder inside that file, a folder that does not exist, an empty
    folder, data folders each missing one kind of input, and a folder no one can write in."""
    root = tmp_path_factory.mktemp("sweep")
    afile = root / "afile.txt"
    afile.write_text("not a folder\n", encoding="utf-8")
    (root / "empty").mkdir()
    out = {
        "root": str(root),
        "file": str(afile),
        "inside": str(afile / "sub"),
        "missing": str(root / "nope"),
        "empty": str(root / "empty"),
    }
    for kind in {*cli_checks.KIND_FOLDERS, *cli_checks.NEEDS["evaluate"]}:
        dst = root / f"no_{kind}"
        shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("sources"))
        shutil.rmtree(dst / kind)
        out[f"no_{kind}"] = str(dst)
    copy = root / "copy"
    shutil.copytree(DATA_DIR, copy)
    out["copy"] = str(copy)
    emptied = root / "empty_baseline"
    shutil.copytree(DATA_DIR, emptied, ignore=shutil.ignore_patterns("sources"))
    for f in (emptied / "baseline").iterdir():
        f.unlink()
    out["empty_baseline"] = str(emptied)
    if os.geteuid() == 0:  # root writes through any mode bits: a folder on a pseudo-filesystem
        out["readonly"] = "/proc/jnpolicy-out"
    else:
        ro = root / "readonly"
        ro.mkdir()
        ro.chmod(0o555)
        out["readonly"] = str(ro / "reports")
    return out


def _data_cases() -> list[tuple[str, list[str], str]]:
    cases = []
    for cmd in COMMANDS:
        for where, expect in (
            ("file", "is a file, not a folder"),
            ("inside", "which is a file"),
            ("missing", "no such folder"),
            ("", "must not be empty"),
        ):
            cases.append((f"{cmd}-data-{where or 'blank'}", [cmd, "--data", where], expect))
        if cmd in ("validate", "draft"):  # they read no data folder
            continue
        cases.append((f"{cmd}-data-empty", [cmd, "--data", "empty"], "is empty"))
        for kind in cli_checks.NEEDS[cmd]:
            cases.append(
                (f"{cmd}-data-no-{kind}", [cmd, "--data", f"no_{kind}"], f"no {kind}/ folder")
            )
        cases.append(
            (f"{cmd}-data-empty-baseline", [cmd, "--data", "empty_baseline"], "no input files")
            if "baseline" in cli_checks.NEEDS[cmd]
            else None
        )
    return [c for c in cases if c is not None]


def _number_cases() -> list[tuple[str, list[str], str]]:
    huge = str(10**30)
    cases = []
    for cmd in ("cost", "compare", "targets", "report", "brief", "calibrate"):
        for value, expect in (
            ("-5", "must be a positive whole number"),
            ("0", "must be a positive whole number"),
            ("", "must not be empty"),
            ("lots", "must be a whole number"),
            ("1.5", "must be a whole number"),
            (huge, f"more than the {MAX_DRAWS:,} draws"),
            (str(2_000_000_000), f"more than the {MAX_DRAWS:,} draws"),
        ):
            cases.append((f"{cmd}-draws-{value or 'blank'}", [cmd, "--draws", value], expect))
        for value, expect in (
            ("-1", "must be a whole number >= 0"),
            ("", "must not be empty"),
            ("abc", "must be a whole number"),
            ("2.5", "must be a whole number"),
            (huge, "must be at most"),
        ):
            cases.append((f"{cmd}-seed-{value or 'blank'}", [cmd, "--seed", value], expect))
    # seed 0 is a valid seed, so "zero" is not among the seed's bad values
    for value, expect in (
        ("0", "must be at least 1"),
        ("-2", "must be at least 1"),
        ("", "must not be empty"),
        ("many", "must be a whole number"),
        (str(10**6), "must be at most"),
    ):
        cases.append((f"report-workers-{value or 'blank'}", ["report", "--workers", value], expect))
    for value, expect in (
        ("nan", "finite number >= 0"),
        ("-1", "finite number >= 0"),
        ("inf", "finite number >= 0"),
        ("", "must not be empty"),
        ("soon", "number of seconds"),
    ):
        cases.append((f"report-wait-{value or 'blank'}", ["report", "--wait", value], expect))
    for value, expect in (
        ("0", "must be a whole number of at least 1"),
        ("-3", "must be a whole number of at least 1"),
        ("few", "must be a whole number of at least 1"),
        ("", "must be a whole number of at least 1"),
    ):
        cases.append((f"report-keep-{value or 'blank'}", ["report", "--keep", value], expect))
    return cases


def _name_cases() -> list[tuple[str, list[str], str]]:
    long = "x" * 5000
    cases = [
        ("catalog-doc-blank", ["catalog", "--doc", ""], "must not be empty"),
        ("catalog-doc-unknown", ["catalog", "--doc", "济政发〔2020〕9号"], "unknown document"),
        ("catalog-doc-huge", ["catalog", "--doc", long], "unknown document"),
        ("validate-kind-blank", ["validate", "--kind", ""], "must not be empty"),
        ("validate-kind-typo", ["validate", "--kind", "baselin"], "did you mean 'baseline'"),
        ("validate-path-missing", ["validate!", "missing"], "no such file or folder"),
        ("validate-path-inside", ["validate!", "inside"], "which is a file"),
        ("validate-path-blank", ["validate!", ""], "must not be empty"),
        ("validate-path-empty-folder", ["validate!", "empty"], "no input files"),
        ("compare-baseline-unknown", ["compare!", "centrl", "high"], "did you mean 'central'"),
        ("compare-variant-unknown", ["compare!", "central", "hihg"], "did you mean 'high'"),
        ("compare-baseline-blank", ["compare!", "", "high"], "must not be empty"),
        ("compare-variant-blank", ["compare!", "central", ""], "must not be empty"),
        ("compare-variant-unsafe", ["compare!", "central", "../high"], "is not a scenario name"),
        (
            "report-scenario-twice-unknown",
            ["report!", "--scenario", "central", "--scenario", "lw"],
            "did you mean 'low'",
        ),
        ("report-as-of-blank", ["report", "--as-of", ""], "must not be empty"),
        ("report-as-of-text", ["report", "--as-of", "yesterday"], "is not a date"),
        ("report-as-of-bad-day", ["report", "--as-of", "2020-02-30"], "is not a date"),
        ("report-as-of-huge", ["report", "--as-of", "99999-01-01"], "is not a date"),
        ("report-out-file", ["report", "--out", "file"], "is a file, not a folder"),
        ("report-out-inside", ["report", "--out", "inside"], "which is a file"),
        ("report-out-readonly", ["report", "--out", "readonly"], "cannot write in"),
        ("report-out-blank", ["report", "--out", ""], "must not be empty"),
        ("report-notebooks-file", ["report", "--notebooks", "file"], "is a file, not a folder"),
        ("report-notebooks-inside", ["report", "--notebooks", "inside"], "which is a file"),
        ("report-notebooks-missing", ["report", "--notebooks", "missing"], "no such folder"),
        ("report-notebooks-empty", ["report", "--notebooks", "empty"], "notebook not found"),
        ("report-notebooks-blank", ["report", "--notebooks", ""], "must not be empty"),
        ("report-lang", ["report", "--lang", "fr"], "invalid choice"),
        ("report-all-and-scenario", ["report", "--all"], "not allowed with argument"),
        ("targets-as-of-blank", ["targets", "--as-of", ""], "must not be empty"),
        ("targets-as-of-text", ["targets", "--as-of", "2022-13-01"], "is not a date"),
        ("brief-as-of-blank", ["brief", "--as-of", ""], "must not be empty"),
        ("brief-as-of-text", ["brief", "--as-of", "soon"], "is not a date"),
        ("brief-scenario-blank", ["brief", "--scenario", ""], "must not be empty"),
        ("brief-scenario-unknown", ["brief", "--scenario", "centrl"], "did you mean 'central'"),
        ("brief-out-file", ["brief", "--out", "file"], "is a file, not a folder"),
        ("brief-out-inside", ["brief", "--out", "inside"], "which is a file"),
        ("brief-out-readonly", ["brief", "--out", "readonly"], "cannot write in"),
        ("brief-out-blank", ["brief", "--out", ""], "must not be empty"),
        ("brief-lang", ["brief", "--lang", "fr"], "invalid choice"),
        ("observe-unit-blank", ["observe", "--unit", ""], "must not be empty"),
        ("observe-unit-unknown", ["observe", "--unit", "parsecs"], "unit"),
        ("observe-basis-assumed", ["observe", "--basis", "assumption"], "invalid choice"),
        ("observe-source-blank", ["observe", "--source", " "], "must not be empty"),
        ("observe-low-blank", ["observe", "--low", ""], "must not be empty"),
        ("observe-low-text", ["observe", "--low", "some"], "low"),
        ("observe-high-blank", ["observe", "--high", ""], "must not be empty"),
        ("observe-high-text", ["observe", "--high", "many"], "high"),
        (
            "observe-year-text",
            [
                "observe!",
                "application_demo_projects",
                "twenty",
                "1",
                "--unit",
                "个",
                "--basis",
                "proxy",
                "--source",
                "public: a test",
                "--data",
                "copy",
            ],
            "year",
        ),
        (
            "observe-metric-typo",
            [
                "observe!",
                "application_demo_project",
                "2022",
                "1",
                "--unit",
                "个",
                "--basis",
                "proxy",
                "--source",
                "public: a test",
                "--data",
                "copy",
            ],
            "did you mean",
        ),
    ]
    for value, expect in (
        ("100", "must be a power of two"),
        ("32", "must be a power of two of at least 64"),
        ("0", "must be a power of two"),
        ("-64", "must be a power of two"),
        ("many", "must be a whole number"),
        ("", "must be a whole number"),
        ("2.5", "must be a whole number"),
        (str(1 << 20), "must be at most 65,536"),
    ):
        cases.append(
            (f"sensitivity-samples-{value or 'blank'}", ["sensitivity", "--samples", value], expect)
        )
    for cmd in ("cost", "targets", "sensitivity", "evaluate", "calibrate"):
        cases += [
            (f"{cmd}-scenario-blank", [cmd, "--scenario", ""], "must not be empty"),
            (f"{cmd}-scenario-unknown", [cmd, "--scenario", "centrl"], "did you mean 'central'"),
            (f"{cmd}-scenario-huge", [cmd, "--scenario", long], "unknown scenario"),
            (f"{cmd}-scenario-unsafe", [cmd, "--scenario", "../central"], "not a scenario name"),
        ]
    cases += [
        ("draft-text-missing", ["draft!", "missing", "--doc", "测政发〔2021〕1号"], "no such file"),
        ("draft-text-folder", ["draft!", "empty", "--doc", "测政发〔2021〕1号"], "is a directory"),
        ("draft-text-blank", ["draft!", "", "--doc", "测政发〔2021〕1号"], "must not be empty"),
        ("draft-doc-blank", ["draft", "--doc", ""], "must not be empty"),
        ("draft-out-exists", ["draft", "--out", "file"], "a draft never replaces a file"),
        ("draft-out-inside", ["draft", "--out", "inside"], "which is a file"),
        ("draft-out-missing", ["draft", "--out", "missing/x.yaml"], "no such folder"),
        ("draft-out-blank", ["draft", "--out", ""], "must not be empty"),
    ]
    cases += [
        ("report-scenario-blank", ["report!", "--scenario", ""], "must not be empty"),
        ("report-scenario-unknown", ["report!", "--scenario", "centrl"], "did you mean 'central'"),
    ]
    for cmd in COMMANDS:
        cases.append((f"{cmd}-unknown-flag", [cmd, "--colour", "red"], "unrecognized arguments"))
    return cases


CASES = _data_cases() + _number_cases() + _name_cases()


def _argv(spec: list[str], place: dict[str, str]) -> list[str]:
    """The command line of a case: the command's usual head, then the case's arguments with
    scratch names ("file", "inside", ...) made into paths. A command written "cmd!" takes the
    case's own positional arguments instead of the usual ones."""
    cmd, *rest = spec
    if cmd.endswith("!"):
        cmd = cmd[:-1]
        head = [cmd]
    else:
        head = list(HEAD[cmd])
    return [place.get(a, a) for a in head + rest]


def _snapshot(root: Path) -> set[str]:
    out = set()
    for base in (root, REPORTS_DIR, Path.cwd(), PROJECT_DIR):
        if base.is_dir():
            depth = None if base == root else 1
            items = base.rglob("*") if depth is None else base.iterdir()
            out |= {str(p) for p in items}
    return out


@pytest.mark.parametrize(("name", "spec", "expect"), CASES, ids=[c[0] for c in CASES])
def test_bad_value_exits_2_with_one_error_line(name, spec, expect, place, capsys):
    before = _snapshot(Path(place["root"]))
    try:
        code = main(_argv(spec, place))
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (code, err)
    assert len(lines) == 1, err
    assert LINE.match(lines[0]), lines[0]
    assert expect in lines[0], lines[0]
    assert "Traceback" not in out + err
    assert out == ""
    assert _snapshot(Path(place["root"])) == before


def test_sweep_names_every_flag_of_every_subcommand():
    """Every option the parser knows is swept at least once (help and version aside)."""
    from jnpolicy_analysis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    swept = {(c[1][0].rstrip("!"), a) for c in CASES for a in c[1] if a.startswith("--")}
    for cmd, p in sub.choices.items():
        for action in p._actions:
            flags = [o for o in action.option_strings if o.startswith("--")]
            if not flags or action.nargs == 0:  # --help, --json, --quiet, --all: no value
                continue
            assert (cmd, flags[0]) in swept, f"{cmd} {flags[0]} is not swept"


def test_draws_that_do_not_fit_in_memory_are_refused_naming_the_most_that_fit(
    monkeypatch, capsys, tmp_path
):
    monkeypatch.setattr(cli_checks, "available_memory", lambda: 1 << 30)  # 1 GiB free
    most = int((1 << 30) * cli_checks.MEMORY_SHARE // cli_checks.TARGET_BYTES_PER_DRAW)
    assert main(["targets", "--draws", str(most + 1)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --draws: draws:") and f"at most {most:,} draws fit" in err
    # a report runs three notebooks at once: a third as many fit
    out = tmp_path / "reports"
    assert main(["report", "--workers", "3", "--draws", str(most // 3 + 1), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"at most {most // 3:,} draws fit" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "--scenario", "central", "--draws", "2000000000"],
        ["report", "--scenario", "central", "--out", "FILE"],
        ["report", "--wait", "nan"],
        ["compare", "central", "nosuch"],
    ],
    ids=["cost-huge-draws", "report-out-file", "report-wait-nan", "compare-unknown"],
)
@pytest.mark.slow
def test_the_installed_command_prints_no_traceback(argv, place):
    argv = [place["file"] if a == "FILE" else a for a in argv]
    run = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=place["root"],
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and LINE.match(lines[0]), run.stderr


@pytest.mark.slow  # two fresh processes, one of them a costing
def test_python_dash_m_sees_every_command():
    """``python -m jnpolicy_analysis.cli`` is the same command line as ``jnpolicy``: every command
    is there (they once registered only when the package's module was imported by its name)."""
    import json

    run = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    listed = re.findall(r"^    (\w+)", run.stdout, flags=re.M)
    assert listed == [
        *("catalog", "validate", "cost", "compare", "sensitivity", "evaluate", "calibrate"),
        *("targets", "observe", "report", "brief", "draft"),
    ]
    cost = subprocess.run(
        [sys.executable, "-m", "jnpolicy_analysis.cli", "cost", "--draws", "50", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cost.returncode == 0, cost.stderr
    assert json.loads(cost.stdout)["unit"] == "yuan"
