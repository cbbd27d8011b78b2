"""The project's folders, named once (cookiecutter-data-science's config.py habit)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("JNPOLICY_DATA", PROJECT_DIR / "data"))
REPORTS_DIR = PROJECT_DIR / "reports"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"

GAZETTE_NAME = "000_2063dfe385f06b2c.txt"


def gazette_path() -> Path:
    """The gazette text: $JNPOLICY_GAZETTE, else ../shared/seed/ beside the checkout."""
    env = os.environ.get("JNPOLICY_GAZETTE")
    if env:
        return Path(env)
    return PROJECT_DIR.parent / "shared" / "seed" / GAZETTE_NAME
