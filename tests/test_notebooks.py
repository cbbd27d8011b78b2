"""The notebooks: thin, paired, committed without outputs; and a real report run of every notebook
for two scenarios with few draws, checked as a reader would see it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from openpyxl import load_workbook

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.paths import NOTEBOOKS_DIR
from jnpolicy_analysis.publish.kernels import KERNEL_OPTIONS
from jnpolicy_analysis.publish.notebook import KNOWN
from jnpolicy_analysis.publish.runner import BRIEFING_NOTEBOOK, GENERIC_CHAPTER, SCENARIO_NOTEBOOKS

NOTEBOOKS = [BRIEFING_NOTEBOOK, *SCENARIO_NOTEBOOKS]
MARKUP = "<script>alert('x')</script><b>bold</b>"


def _may_hold_no_figure(page: Path) -> bool:
    """The generic chapter of a document with no costed measure and no target (济政办字〔2020〕6号:
    item counts only) has tables and no figure."""
    return page.name.startswith(f"{GENERIC_CHAPTER}__")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_one_parameters_cell(name):
    nb = nbformat.read(str(NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = {line.split("=")[0].strip() for line in tagged[0].source.splitlines() if "=" in line}
    assert names <= KNOWN and {"draws", "seed", "lang", "as_of", "data_dir", "out_dir"} <= names
    assert nb.metadata["kernelspec"]["name"] == "jnpolicy"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_paired_py_file_matches_the_notebook(name):
    nb = jupytext.read(NOTEBOOKS_DIR / f"{name}.ipynb")
    py = jupytext.read(NOTEBOOKS_DIR / f"{name}.py")
    assert [(c.cell_type, c.source) for c in nb.cells] == [
        (c.cell_type, c.source) for c in py.cells
    ]
    tags = [c.metadata.get("tags") for c in nb.cells]
    assert tags == [c.metadata.get("tags") for c in py.cells]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_cells_are_thin(name):
    nb = nbformat.read(str(NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            assert len(lines) <= 12, cell.source


# ---------------------------------------------------------------- a real report run


@pytest.fixture(scope="module")
def report(made_once):
    """`jnpolicy report` for central and one variant, 200 draws, on a copy of data/ whose variant
    description carries markup (it must come out escaped); made once for the session."""

    def make(root: Path) -> dict:
        from jnpolicy_analysis.paths import DATA_DIR

        data = root / "data"
        shutil.copytree(DATA_DIR, data)
        variant = data / "scenarios" / "sme_retention_refund_100.yaml"
        text = variant.read_text(encoding="utf-8")
        text = text.replace("description: >-\n", f'description: >-\n  "{MARKUP}"\n', 1)
        variant.write_text(text, encoding="utf-8")
        out = root / "reports"
        args = ["report", "--scenario", "central", "--scenario", "sme_retention_refund_100"]
        args += ["--draws", "200", "--as-of", "2026-03-01", "--out", str(out)]
        assert main([*args, "--data", str(data), "--quiet"]) == 0
        return {"day": str(out / "2026-03-01")}

    return Path(made_once("notebooks-report", make)["day"])


@pytest.mark.slow
def test_every_notebook_ran_for_both_scenarios(report):
    for scenario in ("central", "sme_retention_refund_100"):
        for name in SCENARIO_NOTEBOOKS:
            assert (report / scenario / f"{name}.ipynb").is_file()
            assert (report / scenario / f"{name}.html").is_file()
    assert (report / "briefing" / f"{BRIEFING_NOTEBOOK}.html").is_file()
    assert (report.parent / "latest").resolve() == report.resolve()


@pytest.mark.slow
def test_html_has_no_code_and_holds_figures_and_chinese(report):
    for page in report.rglob("*.html"):
        if page.name == "index.html":
            continue
        body = page.read_text(encoding="utf-8")
        assert "check_parameters" not in body and "NotebookRun" not in body, page
        # each figure is the PNG the run exported beside the page, not a second copy inside it
        sources = re.findall(r'<img[^>]+src="([^"]+)"', body)
        assert sources or _may_hold_no_figure(page), page
        for src in sources:
            assert re.fullmatch(r"figures/[A-Za-z0-9_-]+\.png", src), (page, src[:40])
            assert (page.parent / src).stat().st_size > 10_000, (page, src)
        assert "万元" in body or "亿元" in body or "目标" in body, page
        # Chinese shows anywhere: one font file for the run, linked through the shared stylesheet
        assert re.search(r'<link rel="stylesheet" href="(\.\./)?assets/report\.css">', body), page
        assert "font/woff;base64" not in body, page
    assert "@font-face" in (report / "assets" / "report.css").read_text(encoding="utf-8")
    assert (report / "assets" / "jnpolicy-cjk.woff").stat().st_size > 10_000


@pytest.mark.slow
def test_figures_and_tables_written(report):
    figs = report / "central" / "figures"
    for ext in ("png", "svg", "pdf"):
        assert (figs / f"employment_cost_by_measure.{ext}").is_file()
    book = load_workbook(report / "central" / "tables" / "01_employment_costs.xlsx", read_only=True)
    assert "employment_measures" in book.sheetnames
    headers = [c.value for c in next(book["employment_measures"].iter_rows(max_row=1))]
    assert any("万元" in str(h) for h in headers)
    assert (report / "central" / "tables" / "employment_measures.csv").is_file()


@pytest.mark.slow
def test_manifest_records_what_produced_the_report(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2026-03-01"
    assert [s["name"] for s in manifest["scenarios"]] == ["central", "sme_retention_refund_100"]
    assert all(s["draws"] == 200 for s in manifest["scenarios"])
    assert any(k.startswith("data/policies/") for k in manifest["input_hashes"])
    assert any(k.startswith("notebooks/") for k in manifest["input_hashes"])
    assert {"numpy", "pandas", "matplotlib", "papermill"} <= set(manifest["libraries"])


@pytest.mark.slow
def test_markup_in_a_description_is_escaped(report):
    index = (report / "index.html").read_text(encoding="utf-8")
    page = (report / "sme_retention_refund_100" / "01_employment_costs.html").read_text(
        encoding="utf-8"
    )
    for body in (index, page):
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert" in body or "&amp;lt;script" in body


@pytest.mark.slow
def test_plain_papermill_rejects_an_unknown_parameter(tmp_path):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="unknown parameter 'scenaro'"):
        pm.execute_notebook(
            str(NOTEBOOKS_DIR / "03_industrial_internet.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"scenaro": "high", "draws": 50},
            progress_bar=False,
            kernel_name="python3",
            **KERNEL_OPTIONS,
        )


@pytest.mark.slow
def test_pages_load_in_headless_chromium_with_every_image(report, chromium):
    driver = chromium
    pages = [report / "index.html", *sorted(Path(report).glob("*/*.html"))]
    from selenium.webdriver.support.ui import WebDriverWait

    for page in pages:
        driver.get(page.resolve().as_uri())
        # the figures are files beside the page: give them the time to load (at most 30 s); a page
        # that never completes fails below
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        state = driver.execute_script(
            "return {ready: document.readyState, total: document.images.length,"
            " broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length}"
        )
        assert state["ready"] == "complete", page
        assert state["broken"] == 0, (page, state)
        if page.name != "index.html" and not _may_hold_no_figure(page):
            assert state["total"] > 0, page
    # every link on the index points at a file that exists
    driver.get((report / "index.html").resolve().as_uri())
    hrefs = driver.execute_script(
        "return Array.from(document.links).map(a => a.getAttribute('href'))"
    )
    assert hrefs
    for href in hrefs:
        assert (report / href).is_file(), href
