"""The project's folders, named once (cookiecutter-data-science's config.py habit)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("JNPOLICY_DATA", PROJECT_DIR / "data"))
REPORTS_DIR = PROJECT_DIR / "reports"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"

# The gazette travels with the project: data/sources/ holds its text and sources.yaml (title,
# date, publisher, sha256). Always the checkout's own data/sources/, whatever JNPOLICY_DATA says.
SOURCES_DIR = PROJECT_DIR / "data" / "sources"
SOURCES_FILE = SOURCES_DIR / "sources.yaml"
GAZETTE_NAME = "jinan_gazette_2020_05.txt"


def gazette_path() -> Path:
    """The gazette text: $JNPOLICY_GAZETTE when set, else data/sources/ in the checkout."""
    env = os.environ.get("JNPOLICY_GAZETTE")
    if env:
        return Path(env)
    return SOURCES_DIR / GAZETTE_NAME


def short_name(text: str, limit: int = 120) -> str:
    """``text`` as a file-name part of at most ``limit`` bytes (a hash keeps long names apart)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    cut = text.encode("utf-8")[: limit - 11].decode("utf-8", "ignore")
    return f"{cut}-{digest}"
