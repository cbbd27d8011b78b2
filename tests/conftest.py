"""Shared fixtures: the shipped catalog, the gazette text, and a scratch copy of data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jnpolicy_analysis.catalog import load_catalog
from jnpolicy_analysis.paths import DATA_DIR, gazette_path


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(DATA_DIR)


@pytest.fixture(scope="session")
def gazette() -> str:
    path = gazette_path()
    if not path.is_file():
        pytest.fail(f"gazette text not found at {path} (data/sources/, or $JNPOLICY_GAZETTE)")
    return path.read_text(encoding="utf-8")


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break or change inputs."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst
