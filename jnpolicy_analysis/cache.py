"""A small on-disk cache shared by the notebooks of one report run.

``jnpolicy report`` sets ``JNPOLICY_CACHE_DIR`` to a folder inside its staging area, so the four
notebooks of a scenario cost it once rather than four times; a lock per key makes a second notebook
wait for the first instead of computing the same thing. Outside a report run (an analyst in
JupyterLab, a plain papermill command) the variable is unset and nothing is cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from filelock import FileLock

T = TypeVar("T")
ENV = "JNPOLICY_CACHE_DIR"


def cache_key(*parts: object) -> str:
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def cached(kind: str, key_parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per key within a report run; a plain call outside one."""
    folder = os.environ.get(ENV)
    if not folder:
        return compute()
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    key = f"{kind}-{cache_key(*key_parts)}"
    path = root / f"{key}.pickle"
    with FileLock(str(root / f"{key}.lock")):
        if path.is_file():
            with path.open("rb") as fh:
                return pickle.load(fh)  # noqa: S301 - written by this run, in its own folder
        value = compute()
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return value
