"""A report run's copy of its inputs: ``snapshot_inputs`` copies the data folder and the notebooks
into the run, with the sha256 of every file copied, so every notebook runs from that copy and the
manifest names exactly what the tables were computed from."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import DataError, Problem
from .loader import read_bytes_checked

SNAPSHOT_SKIP = {".ipynb_checkpoints", "__pycache__", ".git"}


def snapshot_inputs(data_dir: Path, notebooks: list[Path], dest: Path) -> dict[str, str]:
    """Copy ``data_dir`` and the notebooks into ``dest`` (``data/`` and ``notebooks/``) and return
    the sha256 of each file copied, from the copied bytes: every notebook then runs from this
    snapshot, and the manifest names exactly what the tables were computed from.

    Only regular files are copied; a directory where a file is expected is walked, and anything
    else (a FIFO, a device, a link to one), a file over ``loader.MAX_FILE_BYTES`` or a name that is not
    UTF-8 is refused with DataError."""
    hashes: dict[str, str] = {}
    problems = []
    target = dest / "data"
    for root, dirs, files in os.walk(data_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SNAPSHOT_SKIP)
        rel_root = Path(root).relative_to(data_dir)
        for name in [*sorted(files), *[d for d in dirs if (Path(root) / d).is_symlink()]]:
            src = Path(root) / name
            rel = rel_root / name
            try:
                rel.as_posix().encode("utf-8")
            except UnicodeEncodeError:
                problems.append(
                    (
                        str(src).encode("utf-8", "backslashreplace").decode(),
                        "(file name)",
                        "is not UTF-8; rename it",
                    )
                )
                continue
            try:
                body = read_bytes_checked(src)
            except DataError as exc:
                problems.extend((p.file, p.field, p.message) for p in exc.problems)
                continue
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(body)
            hashes[f"data/{rel.as_posix()}"] = hashlib.sha256(body).hexdigest()
    if problems:
        raise DataError([Problem(*p) for p in problems])
    (dest / "notebooks").mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        body = read_bytes_checked(nb)
        (dest / "notebooks" / nb.name).write_bytes(body)
        hashes[f"notebooks/{nb.name}"] = hashlib.sha256(body).hexdigest()
    return hashes
