"""The publisher on small stand-in notebooks (issue 10, cases 3-8 and the publishing parts of 10):
it never replaces a user's file, never prunes a run a link points at, keeps ``latest`` on the
newest --as-of with a one-year rule, runs from a snapshot of its inputs, cleans staging of dead
runs, stops on a full disk and on SIGINT/SIGTERM without leaving staging or connection files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.errors import DataError
from jnpolicy_analysis.publish import runner as reporting
from jnpolicy_analysis.publish.runner import (
    BRIEFING_NOTEBOOK,
    SCENARIO_NOTEBOOKS,
    DiskFull,
    ReportFailed,
    run_report,
)

STAND_IN_BODY = """
import os, time
from pathlib import Path
from jnpolicy_analysis.publish.notebook import check_parameters, ReportOutput
check_parameters(globals())
import pandas as pd
import yaml
if scenario:  # the scenario file's own words (a test marks it to fail or to hang)
    with open(Path(data_dir) / "scenarios" / f"{{scenario}}.yaml", encoding="utf-8") as fh:
        description = yaml.safe_load(fh)["description"]
    if description.startswith("FAIL"):
        raise RuntimeError("this scenario is set to fail")
    if description.startswith("SLEEP"):
        time.sleep(120)
edit = os.environ.get("JNPOLICY_TEST_EDIT")
if edit and "{name}" == "00_briefing":
    with open(edit, "a", encoding="utf-8") as fh:  # a user editing --data while the run goes
        fh.write("# edited during the run\\n")
out = ReportOutput(out_dir, "{name}")
seen = (Path(data_dir) / "scenarios" / "low.yaml").read_text(encoding="utf-8")
out.table(pd.DataFrame({{"edited": ["edited during the run" in seen]}}), "seen")
out.finish()
"""


def _run(data, notebooks, out, **kw):
    # one kernel: the stand-ins take a moment each, and a second kernel's start-up is most of a
    # run's work (the signal test runs the default two; a run whose notebooks fail takes two, as a
    # failed notebook's kernel is replaced by a fresh one)
    kw.setdefault("workers", 1)
    return run_report(
        kw.pop("scenarios", ["low"]),
        out_dir=out,
        data_dir=data,
        notebooks_dir=notebooks,
        progress=False,
        **kw,
    )


def _cli(data, notebooks, out, *extra) -> int:
    args = ["report", "--scenario", "low", "--data", str(data), "--notebooks", str(notebooks)]
    return main([*args, "--out", str(out), "--workers", "1", "--quiet", *extra])


# --------------------------------------------------------------------------- 3: user files


@pytest.mark.parametrize("name", ["latest", "2026-12-01"])
def test_a_users_file_is_never_replaced(data_copy, stand_ins, tmp_path, capsys, name):
    out = tmp_path / "reports"
    out.mkdir()
    (out / name).write_text("my notes", encoding="utf-8")
    code = _cli(data_copy, stand_ins, out, "--as-of", "2026-12-01")
    err = capsys.readouterr().err
    assert code == 2  # before: replaced by a symlink, exit 0
    assert f"error: {out / name}: (file): exists and is not" in err
    assert (out / name).read_text(encoding="utf-8") == "my notes"
    assert not (out / ".runs").exists()


def test_a_real_directory_named_latest_is_refused(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    (out / "latest").mkdir(parents=True)
    (out / "latest" / "mine.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match="latest"):
        _run(data_copy, stand_ins, out, as_of="2026-12-01")
    assert (out / "latest" / "mine.txt").is_file() and not (out / ".runs").exists()


def test_out_inside_data_is_refused(data_copy, stand_ins, capsys):
    code = _cli(data_copy, stand_ins, data_copy / "reports")
    assert code == 2
    assert "inside --data" in capsys.readouterr().err
    assert not (data_copy / "reports").exists()


# --------------------------------------------------------------------------- 4: pinned runs


@pytest.mark.slow
def test_a_pinned_run_is_never_pruned(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    _run(data_copy, stand_ins, out, as_of="2026-12-01")
    first = (out / "2026-12-01").resolve()
    (out / "keep-archive").symlink_to(first)  # absolute
    _run(data_copy, stand_ins, out, as_of="2026-12-01")
    second = (out / "2026-12-01").resolve()
    assert second != first and first.is_dir()  # before: pruned on the next same-day run
    (out / "keep-archive").unlink()
    (out / "pins").mkdir()
    (out / "pins" / "rel").symlink_to(Path("..") / ".runs" / second.name / "low")  # inside a run
    _run(data_copy, stand_ins, out, as_of="2026-12-01")
    assert not first.exists()  # nothing points at it any more
    assert second.is_dir()  # pinned by the relative link into it
    assert len(list((out / ".runs").iterdir())) == 2


# --------------------------------------------------------------------------- 5: latest and the future


@pytest.mark.slow
def test_latest_is_the_newest_as_of(data_copy, stand_ins, tmp_path, capsys):
    out = tmp_path / "reports"
    assert _cli(data_copy, stand_ins, out, "--as-of", "2026-03-02") == 0
    capsys.readouterr()
    assert _cli(data_copy, stand_ins, out, "--as-of", "2026-03-01") == 0
    printed = capsys.readouterr().out
    assert os.readlink(out / "latest") == "2026-03-02"
    assert "latest stays on 2026-03-02" in printed  # the run says so rather than mislead


@pytest.mark.slow
def test_a_far_future_as_of_needs_allow_future(data_copy, stand_ins, tmp_path, capsys):
    out = tmp_path / "reports"
    assert _cli(data_copy, stand_ins, out, "--as-of", "9999-12-31") == 2
    assert "--allow-future" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    assert _cli(data_copy, stand_ins, out, "--as-of", "9999-12-31", "--allow-future") == 0
    assert os.readlink(out / "latest") == "9999-12-31"


# --------------------------------------------------------------------------- 6: a consistent run


@pytest.mark.slow
def test_run_uses_a_snapshot_and_publishes_it(data_copy, stand_ins, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    watched = data_copy / "scenarios" / "low.yaml"
    before = watched.read_bytes()
    monkeypatch.setenv("JNPOLICY_TEST_EDIT", str(watched))
    _run(data_copy, stand_ins, out, as_of="2026-12-01", workers=1)
    assert watched.read_bytes() != before  # the briefing did edit --data mid-run
    day = out / "2026-12-01"
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    hashes = manifest["input_hashes"]
    # the manifest names the inputs as they were when the run started, not as they ended
    assert hashes["data/scenarios/low.yaml"] == hashlib.sha256(before).hexdigest()
    assert (day / "inputs" / "data" / "scenarios" / "low.yaml").read_bytes() == before
    for rel, digest in hashes.items():
        assert hashlib.sha256((day / "inputs" / rel).read_bytes()).hexdigest() == digest
    # every notebook read the snapshot: none saw the edit
    for name in SCENARIO_NOTEBOOKS:
        seen = (day / "low" / "tables" / "seen.csv").read_text(encoding="utf-8-sig")
        assert "False" in seen and "True" not in seen, name
    assert set(hashes) >= {"data/scenarios/low.yaml", f"notebooks/{BRIEFING_NOTEBOOK}.ipynb"}


# --------------------------------------------------------------------------- 7: disk full


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.slow
def test_stale_staging_of_a_dead_run_is_cleaned(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    stale = out / ".runs" / ".staging-2026-01-01_1"
    live = out / ".runs" / ".staging-2026-01-01_2"
    for folder, pid in ((stale, _dead_pid()), (live, os.getppid())):
        folder.mkdir(parents=True)
        (folder / ".pid").write_text(str(pid), encoding="ascii")
        (folder / "big.bin").write_bytes(b"0" * 1000)
    _run(data_copy, stand_ins, out, as_of="2026-12-01")
    assert not stale.exists()  # before: never cleaned
    assert live.exists()  # a live run's staging is left alone


@pytest.mark.slow
def test_too_little_free_space_exits_1_before_running(data_copy, stand_ins, tmp_path, capsys):
    out = tmp_path / "reports"
    _run(data_copy, stand_ins, out, as_of="2026-12-01")
    good = (out / "latest").resolve()
    free = shutil.disk_usage(tmp_path).free
    reporting.MIN_FREE_BYTES, saved = free * 10, reporting.MIN_FREE_BYTES
    try:
        code = _cli(data_copy, stand_ins, out, "--as-of", "2026-12-02")
    finally:
        reporting.MIN_FREE_BYTES = saved
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: ") and "free space" in err
    assert "Traceback" not in err
    assert (out / "latest").resolve() == good
    assert not list((out / ".runs").glob(".staging-*"))


def _can_mount_tmpfs(where: Path) -> str | None:
    if os.geteuid() != 0:
        return "not root: cannot mount a small tmpfs to fill"
    where.mkdir()
    run = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        return f"mount tmpfs refused here: {run.stderr.strip() or run.returncode}"
    return None


@pytest.mark.slow
def test_disk_full_during_a_run(data_copy, stand_ins, tmp_path, capsys):
    disk = tmp_path / "disk"
    why = _can_mount_tmpfs(disk)
    if why:
        pytest.skip(why)
    try:
        out = disk / "reports"
        reporting.MIN_FREE_BYTES, saved = 0, reporting.MIN_FREE_BYTES
        try:
            with pytest.raises(DiskFull):
                _run(data_copy, stand_ins, out, as_of="2026-12-01")
            # the next run, with the same full disk, fails the same clean way (not poisoned)
            code = _cli(data_copy, stand_ins, out, "--as-of", "2026-12-01")
        finally:
            reporting.MIN_FREE_BYTES = saved
        err = capsys.readouterr().err
        assert code == 1 and "error: " in err and "disk full" in err
        assert "Traceback" not in err
        assert not list((out / ".runs").glob(".staging-*"))  # before: 9 MB left behind
        assert not (out / "latest").exists()
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# --------------------------------------------------------------------------- 8: signals


def _connection_files(folder: Path) -> list[Path]:
    return [*folder.rglob("kernel-*.json"), *folder.glob("tmp*.json")]


CLI = "import sys; from jnpolicy_analysis.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.slow
def test_a_signal_stops_the_kernels_at_once(data_copy, stand_ins, tmp_path, sig, code):
    scenario = data_copy / "scenarios" / "low.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(
        text.replace("description: >-\n  ", "description: >-\n  SLEEP ", 1), encoding="utf-8"
    )
    out = tmp_path / "reports"
    runtime = tmp_path / "runtime"  # where the kernels' connection files go (tmp*.json)
    runtime.mkdir()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(runtime)}
    args = ["report", "--scenario", "low", "--data", str(data_copy), "--notebooks", str(stand_ins)]
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *args, "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(_connection_files(runtime)) < 2:
        time.sleep(0.2)
    assert _connection_files(runtime), "no kernel started"
    time.sleep(2)  # the notebooks are now running (sleeping 120 s)
    started = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - started < 30  # before: every notebook ran to its end
    assert proc.returncode == code, err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "interrupted" in errors[0]
    assert "Traceback" not in err
    assert not list((out / ".runs").glob(".staging-*"))
    assert not _connection_files(runtime)
    assert not (out / "latest").exists()


# --------------------------------------------------------------------------- 10: publishing


@pytest.mark.slow
def test_a_long_scenario_name_and_a_failing_notebook(data_copy, stand_ins, tmp_path):
    name = "s" + "x" * 235  # legal: 236 characters
    src = (data_copy / "scenarios" / "low.yaml").read_text(encoding="utf-8")
    src = src.replace("name: low", f"name: {name}", 1).replace(
        "description: >-\n  ", "description: >-\n  FAIL ", 1
    )
    try:
        (data_copy / "scenarios" / f"{name}.yaml").write_text(src, encoding="utf-8")
    except OSError:
        pytest.skip("this file system does not take a 241-byte name")
    out = tmp_path / "reports"
    with pytest.raises(ReportFailed, match="set to fail"):  # before: ENAMETOOLONG, error lost
        _run(data_copy, stand_ins, out, scenarios=[name], as_of="2026-12-01", workers=2)
    kept = list((out / "_failed").rglob("*.ipynb"))
    assert kept and all(len(p.name.encode()) <= 255 for p in kept)


def test_a_non_utf8_name_in_data_is_refused_before_notebooks_run(data_copy, stand_ins, tmp_path):
    try:
        (data_copy / "policies" / os.fsdecode(b"notes-\xff.txt")).write_text("x", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take non-UTF-8 names")
    out = tmp_path / "reports"
    with pytest.raises(DataError, match="not UTF-8"):  # before: a crash after every notebook ran
        _run(data_copy, stand_ins, out, as_of="2026-12-01")
    assert not list((out / ".runs").glob(".staging-*")) and not (out / "latest").exists()
