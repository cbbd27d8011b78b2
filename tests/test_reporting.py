"""The report runner's mechanics, on small stand-in notebooks: staging and atomic publishing, a
failed run that leaves the last good report alone, refusal of bad scenario names before anything
runs, the manifest, and the lock."""

from __future__ import annotations

import json
import os

import nbformat
import pytest
from filelock import FileLock

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.publish.kernels import KERNEL_OPTIONS
from jnpolicy_analysis.publish.runner import (
    BRIEFING_NOTEBOOK,
    SCENARIO_NOTEBOOKS,
    ReportFailed,
    run_report,
)

STAND_IN_BODY = """
from pathlib import Path
from jnpolicy_analysis.publish.notebook import check_parameters, ReportOutput
check_parameters(globals())
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import yaml
if scenario:  # the scenario file's own words (a test marks it to fail or to hang)
    with open(Path(data_dir) / "scenarios" / f"{{scenario}}.yaml", encoding="utf-8") as fh:
        description = yaml.safe_load(fh)["description"]
    if description.startswith("FAIL"):
        raise RuntimeError("this scenario is set to fail")
out = ReportOutput(out_dir, "{name}")
fig, ax = plt.subplots()
ax.bar(["甲", "乙"], [1, 2])
out.figure(fig, "bars")
out.table(pd.DataFrame({{"成本（万元）": [1.0, 2.0]}}), "cost")
out.finish()
print("稳岗返还 {name}", scenario)
"""


def _run(data_copy, stand_ins, out, **kw):
    kw.setdefault("scenarios", ["low"])
    # one kernel: the stand-ins take a moment each (a run whose notebooks fail takes two, as a
    # failed notebook's kernel is replaced by a fresh one)
    kw.setdefault("workers", 1)
    return run_report(
        kw.pop("scenarios"),
        out_dir=out,
        data_dir=data_copy,
        notebooks_dir=stand_ins,
        progress=False,
        **kw,
    )


@pytest.mark.slow
def test_run_publishes_everything_and_links_latest(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    result = _run(data_copy, stand_ins, out, as_of="2026-03-01")
    day = out / "2026-03-01"
    assert day.is_symlink() and (out / "latest").is_symlink()
    assert (out / "latest").resolve() == day.resolve()
    for name in SCENARIO_NOTEBOOKS:
        html = (day / "low" / f"{name}.html").read_text(encoding="utf-8")
        assert "稳岗返还" in html
        assert "check_parameters" not in html  # no code cells in the HTML
        assert (day / "low" / f"{name}.ipynb").is_file()
    assert (day / "briefing" / f"{BRIEFING_NOTEBOOK}.html").is_file()
    for ext in ("png", "svg", "pdf"):
        assert (day / "low" / "figures" / f"bars.{ext}").is_file()
    assert (day / "low" / "tables" / "cost.csv").is_file()
    assert (day / "low" / "tables" / "01_employment_costs.xlsx").is_file()
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    assert {
        "package_version",
        "git_commit",
        "input_hashes",
        "libraries",
        "timings_seconds",
        "scenarios",
    } <= set(manifest)
    assert manifest["scenarios"][0]["name"] == "low"
    index = (day / "index.html").read_text(encoding="utf-8")
    assert 'href="low/01_employment_costs.html"' in index
    assert result.scenarios == ["low"]


@pytest.mark.slow
def test_failed_run_keeps_last_good_report_and_notebook(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    _run(data_copy, stand_ins, out, as_of="2026-03-01")
    good = (out / "2026-03-01").resolve()
    before = sorted(p.relative_to(good) for p in good.rglob("*"))
    sc = data_copy / "scenarios" / "low.yaml"
    sc.write_text(
        sc.read_text(encoding="utf-8").replace("description: >-\n", "description: >-\n  FAIL "),
        encoding="utf-8",
    )
    with pytest.raises(ReportFailed, match="set to fail"):
        _run(data_copy, stand_ins, out, as_of="2026-03-01", workers=2)
    assert (out / "2026-03-01").resolve() == good
    assert sorted(p.relative_to(good) for p in good.rglob("*")) == before
    failed = list((out / "_failed").glob("*/*.ipynb"))
    assert failed, "the failed executed notebook is kept"
    assert not list((out / ".runs").glob(".staging*"))


@pytest.mark.slow
def test_cli_exits_1_on_a_failing_notebook(data_copy, stand_ins, tmp_path, capsys):
    sc = data_copy / "scenarios" / "low.yaml"
    sc.write_text(
        sc.read_text(encoding="utf-8").replace("description: >-\n", "description: >-\n  FAIL "),
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    args = ["report", "--scenario", "low", "--out", str(out), "--data", str(data_copy)]
    assert main([*args, "--notebooks", str(stand_ins), "--quiet", "--as-of", "2026-03-02"]) == 1
    assert "report failed" in capsys.readouterr().err
    assert not (out / "2026-03-02").exists()


@pytest.mark.slow
def test_same_day_rerun_replaces_and_manifest_hash_follows_inputs(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    _run(data_copy, stand_ins, out, as_of="2026-03-01")
    first = json.loads((out / "2026-03-01" / "manifest.json").read_text(encoding="utf-8"))
    base = data_copy / "baseline"
    some = sorted(base.glob("*.yaml"))[0] if list(base.glob("*.yaml")) else None
    changed = some or data_copy / "scenarios" / "low.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _run(data_copy, stand_ins, out, as_of="2026-03-01")
    second = json.loads((out / "2026-03-01" / "manifest.json").read_text(encoding="utf-8"))
    key = f"data/{changed.relative_to(data_copy).as_posix()}"
    assert first["input_hashes"][key] != second["input_hashes"][key]
    unchanged = [k for k in first["input_hashes"] if k != key]
    assert all(first["input_hashes"][k] == second["input_hashes"][k] for k in unchanged)
    assert len(list((out / ".runs").iterdir())) == 1  # the replaced run was removed


@pytest.mark.parametrize("name", ["../x", "unknown_scenario", "Central"])
def test_bad_scenario_refused_before_anything_runs(data_copy, stand_ins, tmp_path, capsys, name):
    out = tmp_path / "reports"
    code = main(
        ["report", "--scenario", name, "--out", str(out), "--data", str(data_copy), "--quiet"]
    )
    assert code == 2
    assert "scenario" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_second_run_refuses_while_one_holds_the_lock(data_copy, stand_ins, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    with FileLock(str(out / ".lock")), pytest.raises(ReportFailed, match="another report run"):
        _run(data_copy, stand_ins, out, as_of="2026-03-01")
    assert not (out / "2026-03-01").exists()


@pytest.mark.slow
def test_unknown_notebook_parameter_is_an_error(tmp_path, stand_in_notebook):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    src = tmp_path / "nb.ipynb"
    nbformat.write(stand_in_notebook("01_employment_costs"), str(src))
    with pytest.raises(PapermillExecutionError, match="unknown parameter 'draw'"):
        pm.execute_notebook(
            str(src),
            str(tmp_path / "out.ipynb"),
            parameters={"draw": 5},
            progress_bar=False,
            kernel_name="python3",
            **KERNEL_OPTIONS,
        )
    assert os.path.isfile(tmp_path / "out.ipynb")
