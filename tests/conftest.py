"""Shared fixtures: the shipped catalog, the gazette text, a scratch copy of data/, stand-in
notebooks for the report runner, a headless Chromium driver, and ``made_once`` for a report run
that several tests read."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from jnpolicy_analysis.inputs.catalog import load_catalog
from jnpolicy_analysis.paths import DATA_DIR, gazette_path
from jnpolicy_analysis.publish.runner import (
    BRIEFING_NOTEBOOK,
    GENERIC_CHAPTER,
    SCENARIO_NOTEBOOKS,
)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(DATA_DIR)


@pytest.fixture(scope="session")
def gazette() -> str:
    path = gazette_path()
    if not path.is_file():
        pytest.fail(f"gazette text not found at {path} (data/sources/, or $JNPOLICY_GAZETTE)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def central_analysis():
    """The central scenario analysed once for the session, at its own draws and seed (what
    `jnpolicy cost` gives): tests that only read it share it instead of costing it again."""
    from jnpolicy_analysis.analysis import open_analysis

    return open_analysis("central").complete()


@pytest.fixture(scope="session")
def made_once(tmp_path_factory) -> Callable[[str, Callable[[Path], dict]], dict]:
    """(name, make) -> what ``make`` returned: see ``_made_once``."""
    return lambda name, make: _made_once(tmp_path_factory, name, make)


def _made_once(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> dict:
    """``make(folder)`` run once for the whole session, across pytest-xdist's workers too (a
    module-scoped fixture runs once in each worker that gets one of its tests): the first worker
    to ask makes it under a lock in the session's shared temporary folder; the others wait and
    read what it returned (a JSON-able dict). Its folder must only be read by the tests."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this session
    folder = root / f"once-{name}"
    with FileLock(str(root / f"once-{name}.lock")):
        done = root / f"once-{name}.json"
        if done.is_file():
            return json.loads(done.read_text(encoding="utf-8"))
        if folder.exists():  # a make that failed in another worker: start again
            shutil.rmtree(folder)
        folder.mkdir()
        result = make(folder)
        done.write_text(json.dumps(result), encoding="utf-8")
    return result


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break or change inputs."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


def write_source(data: Path, file: str, text: str, documents: list[str]) -> Path:
    """Put ``text`` in ``data/sources/file`` and list it in sources.yaml for ``documents``, as the
    guide says (docs/adding_a_document.md): what validate checks the documents' quotes against."""
    import datetime as dt
    import hashlib

    import yaml

    folder = data / "sources"
    folder.mkdir(exist_ok=True)
    path = folder / file
    path.write_text(text, encoding="utf-8")
    listing = folder / "sources.yaml"
    current = yaml.safe_load(listing.read_text(encoding="utf-8")) if listing.is_file() else {}
    entries = [e for e in (current or {}).get("sources", []) if e["file"] != file]
    entries.append(
        {
            "file": file,
            "documents": documents,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "title": "a synthetic document made by the test",
            "date": dt.date(2021, 1, 1),
            "publisher": "the test suite",
        }
    )
    listing.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture()
def add_source():
    """write_source, for tests that add a document to a copy of data/."""
    return write_source


# --------------------------------------------------------------------------- stand-in notebooks

# The parameters cell of every stand-in notebook: the real notebooks' parameters, small draws.
STAND_IN_PARAMS = """scenario = "central"
scenarios = ""
draws = 10
seed = 1
lang = "zh"
as_of = ""
data_dir = ""
out_dir = ""
analysis_dir = ""
"""


def stand_in(name: str, body: str) -> nbformat.NotebookNode:
    """A small notebook named like a real one: a title, the parameters cell, then ``body``."""
    nb = nbformat.v4.new_notebook()
    source = STAND_IN_PARAMS
    if name == GENERIC_CHAPTER:  # run once per document, with its doc and chapter name
        source += 'doc = ""\nchapter = ""\n'
        body = body.replace(
            "check_parameters(globals())",
            "from jnpolicy_analysis.publish.notebook import KNOWN\n"
            'check_parameters(globals(), KNOWN | {"doc", "chapter"})',
        )
    params = nbformat.v4.new_code_cell(source)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {name}"),
        params,
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.fixture()
def stand_in_notebook(request):
    """name -> a stand-in notebook whose code is the test module's ``STAND_IN_BODY`` (with
    ``{name}`` filled in)."""
    body = request.module.STAND_IN_BODY
    return lambda name: stand_in(name, body.format(name=name))


@pytest.fixture()
def stand_ins(tmp_path: Path, stand_in_notebook) -> Path:
    """A notebooks folder holding a stand-in for every notebook the report runner runs."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in [BRIEFING_NOTEBOOK, *SCENARIO_NOTEBOOKS, GENERIC_CHAPTER]:
        nbformat.write(stand_in_notebook(name), str(folder / f"{name}.ipynb"))
    return folder


# --------------------------------------------------------------------------- headless Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.fixture()
def chromium(tmp_path: Path):
    """A headless Chromium (selenium's driver), quit after the test. Skipped where Chromium is
    not installed; on CI (``$CI`` set) its absence is a failure, not a skip."""
    if not (CHROMIUM and CHROMEDRIVER):
        missing = "headless Chromium not installed (.ci/run installs Debian's chromium and chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
