"""The what-if: the model agrees with `jnpolicy cost` for the same overrides, re-costs only what
depends on a change, saves a scenario that validates and costs the same (never overwriting without
asking); the notebook is thin and paired; and in a real JupyterLab in headless Chromium, moving a
slider changes the displayed cost to what `jnpolicy cost` gives."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from jnpolicy_analysis.analysis import open_analysis
from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.errors import DataError
from jnpolicy_analysis.inputs.scenarios import load_scenario
from jnpolicy_analysis.paths import NOTEBOOKS_DIR
from jnpolicy_analysis.units import yuan_to
from jnpolicy_analysis.whatif import ALL, WhatIf

DRAWS = 2000
EXEMPTION = "parameter:sme_social_insurance_exemption.exemption_share"
LEVER = "lever:job_retention_refund.sme_refund_share"


@pytest.fixture(scope="module")
def start(central_analysis):
    assert central_analysis.draws == DRAWS
    return central_analysis.cost.totals()


@pytest.fixture()
def model(data_copy) -> WhatIf:
    return WhatIf(open_analysis("central", data_copy, draws=DRAWS))


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    # P5/P95 are sums of float32 draws: the order of summation moves the 7th digit
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def test_starts_where_jnpolicy_cost_is(model, start):
    s = model.summary()
    # the central is the mean of float32 draws, summed in a different order here: 1e-9 apart
    assert s.central == pytest.approx(start["cost"]["central"], rel=1e-9)
    assert _close(s.p5, start["cost"]["p5"]) and _close(s.p95, start["cost"]["p95"])
    for year, stats in start["by_year"].items():
        assert s.by_year[int(year)] == pytest.approx(stats["central"], rel=1e-9)
    assert sum(s.by_fund.values()) == pytest.approx(s.central, rel=1e-12)


def test_exemption_share_scales_its_measure(model):
    measure = "sme_social_insurance_exemption"
    before = model.summary(measure)
    control = model.control(EXEMPTION)
    assert (control.unit, control.value, control.low, control.high) == ("%", 100.0, 0.0, 100.0)
    # clause 8 exempts SMEs of the whole employer contribution: at half the share, half the cost
    half = model.set(EXEMPTION, 50, measure)
    assert half.central == pytest.approx(before.central / 2, rel=1e-9)
    none = model.set(EXEMPTION, 0, measure)
    assert none.central == 0 and none.p95 == 0


def test_only_the_measures_that_read_an_input_are_recosted(model):
    untouched = {k: v for k, v in model.results.items() if k != "job_retention_refund"}
    s = model.set(LEVER, 100)
    assert s.recosted == 1
    for k, v in untouched.items():
        assert model.results[k] is v  # not re-costed
    # the lever, once set, makes the refund read the SMEs' share of the insured
    assert "assumption:sme_share_of_insured" in model.reads["job_retention_refund"]


def test_saved_scenario_validates_and_costs_the_same(model, data_copy):
    model.set("assumption:average_wage", 95_000)
    model.set(EXEMPTION, 60)
    shown = model.summary()
    path = model.save("what_if_saved")
    assert path == data_copy / "scenarios" / "what_if_saved.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["extends"] == "central"
    assert doc["assumptions"] == {"average_wage": {"central": 95_000}}
    assert doc["parameters"] == {"sme_social_insurance_exemption.exemption_share": 60}
    assert main(["validate", str(path)]) == 0
    sc = load_scenario("what_if_saved", data_copy)
    assert sc.chain == ["what_if_saved", "central"]
    cost = run_costing(load_scenario("what_if_saved", data_copy, draws=DRAWS)).totals()
    assert shown.central == pytest.approx(cost["cost"]["central"], rel=1e-9)
    assert _close(shown.p5, cost["cost"]["p5"]) and _close(shown.p95, cost["cost"]["p95"])
    for fund, stats in cost["by_funding_source"].items():
        assert shown.by_fund[fund] == pytest.approx(stats["central"], rel=1e-9)


def test_save_never_overwrites_without_asking(model, data_copy):
    model.set(LEVER, 90)
    path = model.save("what_if_saved")
    before = path.read_bytes()
    model.set(LEVER, 80)
    with pytest.raises(FileExistsError):
        model.save("what_if_saved")
    assert path.read_bytes() == before
    model.save("what_if_saved", overwrite=True)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["parameters"] == {
        "job_retention_refund.sme_refund_share": 80
    }


@pytest.mark.parametrize("name", ["../evil", "Bad-Name", "central"])
def test_bad_names_write_nothing(model, data_copy, name):
    files = sorted((data_copy / "scenarios").iterdir())
    with pytest.raises(DataError):
        model.save(name)
    assert sorted((data_copy / "scenarios").iterdir()) == files


def test_out_of_range_values_are_refused(model):
    with pytest.raises(DataError, match="outside its range, 0 to 100"):
        model.set(EXEMPTION, 120)
    low = model.control("assumption:average_wage").low
    with pytest.raises(DataError, match="outside"):
        model.set("assumption:average_wage", low - 1)
    with pytest.raises(DataError, match="unknown"):
        model.set("assumption:averge_wage", 1)
    assert model.changes == {}


def test_every_control_takes_each_of_its_settings(model):
    """Low, central and high of every slider, and every reading of a discrete assumption (its own
    low bound included), are accepted and give a finite cost; a reading that is not one is refused
    in one sentence that names the control and lists the readings."""
    import math

    discrete = 0
    for c in model.controls(ALL):
        start = None if c.choice else c.value
        for value in c.settings():
            s = model.set(c.key, value)
            assert math.isfinite(s.central) and s.p5 <= s.central <= s.p95, c.key
        if c.choice:
            discrete += 1
            readings = [v for _, v in c.options if v is not None]
            wrong = (max(readings) + min(readings)) / 2 + 0.123
            with pytest.raises(DataError, match=c.key.split(":", 1)[1]) as err:
                model.set(c.key, wrong)
            assert "pydantic" not in str(err.value)
        model.set(c.key, start)
    assert model.changes == {}
    assert discrete >= 1  # new_hire_grant_scope is drawn from readings


def test_controls_are_bounded_with_units(model):
    controls = model.controls(ALL)
    assert controls and all(c.unit for c in controls)
    # a slider starts inside its bounds; a discrete assumption starts "as drawn" (None)
    assert all((c.choice and c.value is None) or c.low <= c.value <= c.high for c in controls)
    assert {c.kind for c in controls} == {"assumption", "lever"}
    own = model.controls("sme_social_insurance_exemption")
    assert EXEMPTION in {c.key for c in own}


def test_controls_are_grouped_once_each_largest_drivers_first(model):
    for scope in (ALL, "job_retention_refund"):
        swing = model.swings(scope)
        groups = model.groups(scope)
        keys = [c.key for _, folds in groups for _, cs in folds for c in cs]
        assert sorted(keys) == sorted(c.key for c in model.controls(scope))  # each once
        for _, folds in groups:
            for _, cs in folds:
                s = [swing.get(c.key, -1.0) for c in cs]
                assert s == sorted(s, reverse=True)  # largest first within a fold
        first = groups[0][1][0][1][0]
        assert swing[first.key] == max(swing.get(k, -1.0) for k in keys)  # the largest driver
    # all measures: a fold of one measure holds only controls that measure alone reads
    for _group, folds in model.groups(ALL):
        for title, cs in folds:
            if title.endswith("）") and "Shared" not in title:
                mid = title.rsplit("（", 1)[1][:-1]
                assert all(c.measures == (mid,) for c in cs), title


def test_the_panel_shows_its_scope_and_filters_its_folds(model):
    pytest.importorskip("ipywidgets")
    from jnpolicy_analysis.whatif import what_if

    panel = what_if(model.analysis)
    scope_line = next(c for c in panel.children if "jnp-scope" in getattr(c, "value", ""))
    search = next(c for c in panel.children if type(c).__name__ == "Text")
    assert "全部措施" in scope_line.value
    groups = next(c for c in panel.children if type(c).__name__ == "VBox").children[0]
    assert groups.selected_index == 0  # the largest drivers' group open, the others folded
    search.value = "insured_employees"
    counts = [int(groups.get_title(i).rsplit("（", 1)[1][:-1]) for i in range(len(groups.children))]
    assert sum(counts) == 1 and groups.selected_index == counts.index(1)
    search.value = ""
    pick = [c for c in panel.children if type(c).__name__ == "HBox"][0].children[1]
    assert pick.value == ALL and pick.label.startswith("全部措施")  # never a blank
    pick.value = "job_retention_refund"
    assert "job_retention_refund" in scope_line.value


def test_notebook_is_paired_thin_and_without_outputs():
    nb = nbformat.read(str(NOTEBOOKS_DIR / "05_what_if.ipynb"), as_version=4)
    py = jupytext.read(NOTEBOOKS_DIR / "05_what_if.py")
    assert [(c.cell_type, c.source) for c in nb.cells] == [
        (c.cell_type, c.source) for c in py.cells
    ]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(len([ln for ln in c.source.splitlines() if ln.strip()]) <= 12 for c in code)
    assert nb.metadata["kernelspec"]["name"] == "jnpolicy"
    assert any("what_if(" in c.source for c in code)


# --------------------------------------------------------------------------- JupyterLab

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _yi(yuan: float) -> str:
    return f"{yuan_to(yuan, '亿元'):,.2f}"


@pytest.fixture()
def lab(tmp_path):
    """JupyterLab on a free port serving a copy of 05_what_if, with a `jnpolicy` kernel that is
    this Python (so the test does not depend on which checkout last registered the kernel)."""
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "05_what_if.ipynb", root)
    data = tmp_path / "jupyter-data"
    kernel = data / "kernels" / "jnpolicy"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (jnpolicy)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        JUPYTER_DATA_DIR=str(data),
        JUPYTER_PATH=str(data),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        MPLBACKEND="Agg",
    )
    port = _free_port()
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--LabApp.extension_manager=readonly",
            "--allow-root",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait(driver, script: str, timeout: float = 240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.5)
    shot = Path(os.environ.get("PYTEST_SCREENSHOTS", "/tmp")) / "what_if_timeout.png"
    driver.save_screenshot(str(shot))
    raise AssertionError(f"timed out waiting for: {script} (screenshot {shot})")


@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
    reason="headless Chromium not installed (.ci/run installs Debian's chromium and chromium-driver)",
)
@pytest.mark.slow
def test_moving_a_slider_in_jupyterlab_shows_what_jnpolicy_cost_gives(
    lab, tmp_path, data_copy, capsys, start
):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(f"{lab}/lab/tree/05_what_if.ipynb")
        notebook = (
            "const nb = window.jupyterapp && Array.from(jupyterapp.shell.widgets('main'))"
            ".find(w => w.sessionContext);"
        )
        _wait(
            driver,
            notebook + " return nb && nb.sessionContext.session"
            " && nb.sessionContext.session.kernel"
            " && nb.sessionContext.session.kernel.status === 'idle'",
        )
        driver.execute_script(
            notebook + " jupyterapp.shell.activateById(nb.id);"
            " jupyterapp.commands.execute('notebook:run-all-cells')"
        )
        first = _wait(
            driver,
            "const e = document.querySelector('.jnp-central'); return e && e.textContent",
        )
        # the slider of the insured employees: focus its handle, move it ten steps to the right
        row = driver.find_element(
            By.XPATH,
            "//div[contains(@class,'jnp-control')][.//label[normalize-space()='insured_employees']]",
        )
        handle = row.find_element(By.CSS_SELECTOR, ".noUi-handle")
        handle.click()
        for _ in range(10):
            handle.send_keys(Keys.ARROW_RIGHT)
        time.sleep(1.0)
        readout = row.find_element(By.CSS_SELECTOR, ".widget-readout").text
        assert readout == "2,400,000", "the readout at the grid's precision, no float noise"
        value = float(readout.replace(",", ""))
        assert value == 2_400_000, "ten steps of 10,000 from 2,300,000"
        shown = _wait(
            driver,
            f"const e = document.querySelector('.jnp-central');"
            f" return e && e.textContent !== {json.dumps(first)} && e.textContent",
        )
        time.sleep(2.0)  # let the last of the key presses arrive
        shown = driver.execute_script("return document.querySelector('.jnp-central').textContent")
        shown_range = driver.execute_script(
            "return document.querySelector('.jnp-range').textContent"
        )
        screenshot = tmp_path / "what_if.png"
        driver.save_screenshot(str(screenshot))
    finally:
        driver.quit()

    # `jnpolicy cost` with the same override: a scenario extending central with that wage
    (data_copy / "scenarios" / "lab_override.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "lab_override",
                "title_zh": "滑块",
                "title_en": "Slider",
                "extends": "central",
                "assumptions": {"insured_employees": {"central": value}},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    args = ["cost", "--scenario", "lab_override", "--data", str(data_copy)]
    assert main([*args, "--draws", str(DRAWS), "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)["totals"]["cost"]
    assert first == _yi(start["cost"]["central"])  # nothing moved before the slider did
    assert shown != first
    assert shown == _yi(cost["central"])
    assert shown_range == f"{_yi(cost['p5'])}–{_yi(cost['p95'])}"
