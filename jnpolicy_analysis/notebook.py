"""What the notebooks call first and last: parameter checks, and saving figures and tables into
the report folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from .errors import DataError

KNOWN = {"scenario", "scenarios", "draws", "seed", "lang", "as_of", "data_dir", "out_dir"}
_SIMPLE = (str, int, float, bool, type(None))
_IPYTHON = {"In", "Out", "exit", "quit", "get_ipython", "open"}


def check_parameters(namespace: dict, allowed: set[str] | None = None) -> None:
    """Fail on a parameter the notebook does not know (papermill only warns about one).

    Called right after papermill's injected-parameters cell: every plain value in the notebook's
    namespace must be a parameter the notebook declares.
    """
    allowed = allowed or KNOWN
    unknown = sorted(
        name
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON
        and isinstance(value, _SIMPLE)
        and name not in allowed
    )
    if unknown:
        from .units import nearest

        hints = [
            f"'{u}'" + (f" (did you mean '{h}'?)" if (h := nearest(u, allowed)) else "")
            for u in unknown
        ]
        raise DataError.single(
            "(notebook parameters)", ", ".join(unknown), "unknown parameter " + ", ".join(hints)
        )
    if "draws" in namespace and namespace["draws"] is not None:
        draws = namespace["draws"]
        if not isinstance(draws, int) or isinstance(draws, bool) or draws <= 0:
            raise DataError.single(
                "(notebook parameters)", "draws", f"must be a positive whole number, got {draws!r}"
            )
    if namespace.get("lang") not in (None, "zh", "en"):
        raise DataError.single(
            "(notebook parameters)", "lang", f"must be 'zh' or 'en', got {namespace['lang']!r}"
        )
    if namespace.get("as_of"):
        try:
            dt.date.fromisoformat(str(namespace["as_of"]))
        except ValueError:
            raise DataError.single(
                "(notebook parameters)", "as_of", f"'{namespace['as_of']}' is not YYYY-MM-DD"
            ) from None


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


class ReportOutput:
    """Collects a notebook's figures and tables and writes them under ``out_dir``.

    Figures go to ``figures/<name>.{png,svg,pdf}``; tables to ``tables/<name>.csv`` and, together,
    to ``tables/<notebook>.xlsx`` with one sheet per table. Column headers carry their unit.
    With no ``out_dir`` (an analyst exploring in JupyterLab) nothing is written.
    """

    def __init__(self, out_dir: str | Path | None, notebook: str, size: str = "slide"):
        self.out_dir = Path(out_dir) if out_dir else None
        self.notebook = notebook
        self.size = size
        self.tables: dict[str, pd.DataFrame] = {}

    def figure(self, fig, name: str) -> None:
        if self.out_dir is None:
            return
        from .charts import export_figure

        export_figure(fig, name, self.out_dir / "figures", size=self.size)

    def table(self, df: pd.DataFrame, name: str) -> pd.DataFrame:
        self.tables[name] = df
        return df

    def finish(self) -> list[Path]:
        if self.out_dir is None or not self.tables:
            return []
        folder = self.out_dir / "tables"
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.tables.items():
            path = folder / f"{name}.csv"
            df.to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        xlsx = folder / f"{self.notebook}.xlsx"
        taken: set[str] = set()
        with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
            for name, df in self.tables.items():
                df.to_excel(writer, sheet_name=_sheet_name(name, taken), index=False)
        written.append(xlsx)
        return written
