"""What the notebooks call first and last: parameter checks, and saving figures and tables into
the report folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from ..errors import DataError

KNOWN = {
    "scenario", "scenarios", "draws", "seed", "lang", "as_of", "data_dir", "out_dir",
    "analysis_dir",
}  # fmt: skip
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
        from ..units import did_you_mean

        hints = [f"'{u}'" + did_you_mean(u, allowed) for u in unknown]
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


PREVIEW_DPI = 110  # a figure shown in a notebook: sized for a page on screen


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

    def figure(self, fig, name: str, preview_dpi: float | None = None) -> tuple[str, bytes] | None:
        """Export ``fig``; with ``preview_dpi``, also return (the PNG's path relative to
        ``out_dir``, a smaller PNG for the page), both from one drawing. None when nothing is
        written."""
        if self.out_dir is None:
            return None
        from ..charts.export import export_figure, export_with_preview

        folder = self.out_dir / "figures"
        if preview_dpi is None:
            export_figure(fig, name, folder, size=self.size)
            return None
        written, preview = export_with_preview(fig, name, folder, self.size, preview_dpi)
        png = next(p for p in written if p.suffix == ".png")
        return png.relative_to(self.out_dir).as_posix(), preview

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
            _csv_safe(df).to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        xlsx = folder / f"{self.notebook}.xlsx"
        taken: set[str] = set()
        with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
            for name, df in self.tables.items():
                sheet = _sheet_name(name, taken)
                df.to_excel(writer, sheet_name=sheet, index=False)
                _text_not_formula(writer.sheets[sheet])
        written.append(xlsx)
        return written


def _csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and header a spreadsheet would run as a formula neutralised."""
    from .presentation import neutralise_formula

    out = df.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    return out


def _text_not_formula(sheet) -> None:
    """Every cell openpyxl took for a formula (a text beginning with '=') stored as text: the
    sheet shows the characters and never evaluates them."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


class NotebookRun:
    """Everything a notebook shows, from its parameters: the scenario's analysis (costing, target
    tracking, evaluation: ``analysis.Analysis``), the house style, and where figures and tables go.
    In a report run the analysis is the one the runner computed and saved (``analysis_dir``); a
    notebook opened on its own analyses its scenario once, here. Notebooks call its methods and
    show what they return; nothing here costs anything."""

    def __init__(
        self,
        notebook: str,
        scenario: str = "central",
        draws: int | None = None,
        seed: int | None = None,
        lang: str = "zh",
        as_of: str = "",
        data_dir: str = "",
        out_dir: str = "",
        analysis_dir: str = "",
    ):
        from ..charts import use_house_style

        self.notebook = notebook
        self.data_dir = Path(data_dir) if data_dir else None
        self.as_of = as_of or dt.date.today().isoformat()
        self.analysis_dir = Path(analysis_dir) if analysis_dir else None
        self.analysis = self._open(scenario, draws, seed)
        self.scenario = self.analysis.scenario
        self.draws, self.seed = self.analysis.draws, self.analysis.seed
        self.lang = use_house_style(lang)
        self.out = ReportOutput(out_dir or None, notebook)
        self._calibration = None

    def _open(self, name: str, draws: int | None, seed: int | None):
        from ..analysis import load_analysis, open_analysis

        if self.analysis_dir is not None:
            return load_analysis(self.analysis_dir, name)
        return open_analysis(name, self.data_dir, draws=draws, seed=seed, as_of=self.as_of)

    # ------------------------------------------------------------------ results

    @property
    def cost(self):
        return self.analysis.cost

    @property
    def targets(self):
        return self.analysis.targets

    @property
    def evaluation(self):
        return self.analysis.evaluation

    @property
    def calibration(self):
        """The joint calibration's posterior (``analysis.calibration``): in a report run the one
        the runner computed for the whole run; else computed here, once."""
        from ..analysis import calibration

        if self._calibration is None and self.analysis_dir is not None:
            self._calibration = calibration.load_calibration(self.analysis_dir)
        if self._calibration is None:
            self._calibration = calibration.posterior_of_calibrated(self.data_dir)
        return self._calibration

    # ------------------------------------------------------------------ showing

    def header(self):
        """The scenario's title, description and Monte Carlo settings, escaped for HTML."""
        from IPython.display import HTML

        from .presentation import scenario_header

        return HTML(scenario_header(self.scenario, self.lang, self.as_of))

    def show(self, df: pd.DataFrame, name: str | None = None):
        """Register ``df`` as a report table (when ``name`` is given) and return it for display."""
        if name:
            self.out.table(df, name)
        # escape="html": text from the data is shown, never run (reporting.to_html sanitises too)
        styler = df.style.hide(axis="index").format(
            precision=1, thousands=",", na_rep="–", escape="html"
        )
        styler = styler.format_index(escape="html", axis="columns")
        text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        long = [c for c in text if df[c].astype(str).str.len().max() > 40]
        short = [c for c in text if c not in long]
        styler = styler.set_properties(
            subset=short, **{"text-align": "left", "white-space": "nowrap"}
        )
        styler = styler.set_properties(subset=long, **{"text-align": "left", "min-width": "24em"})
        return styler.set_table_styles(
            [
                {"selector": "th", "props": "text-align: left; white-space: nowrap;"},
                # a wide table scrolls in its own box (report pages and JupyterLab alike)
                {"selector": "", "props": "display: block; overflow-x: auto; max-width: 100%;"},
            ]
        )

    def figure(self, fig, name: str):
        """Export ``fig`` (PNG, SVG, PDF) and show it inline."""
        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        from ..charts.export import png_bytes

        # shown as a PNG whatever matplotlib backend the kernel has (Agg registers no formatter);
        # 110 dpi and a 256-colour palette: sized for a page on screen
        exported = self.out.figure(fig, name, preview_dpi=PREVIEW_DPI)
        title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
        # alt text for readers who cannot see the chart; escaped when the page is written. In a
        # report run the page shows the exported PNG (``file``, beside the page) instead of a
        # second copy of the picture inside the HTML.
        metadata = {"alt": title or name}
        if exported is None:
            data = png_bytes(fig, dpi=PREVIEW_DPI)
        else:
            metadata["file"], data = exported
        display(Image(data=data, format="png", metadata=metadata))
        plt.close(fig)

    def finish(self) -> list[Path]:
        """Write the tables collected so far; returns the files written."""
        return self.out.finish()


class BriefingRun(NotebookRun):
    """The briefing's view: every scenario's analysis side by side, the first one (central when
    present) as the base the others are compared with."""

    def __init__(
        self,
        notebook: str,
        scenarios: str = "",
        draws: int | None = None,
        seed: int | None = None,
        lang: str = "zh",
        as_of: str = "",
        data_dir: str = "",
        out_dir: str = "",
        analysis_dir: str = "",
    ):
        from ..analysis import scenario_names

        names = scenario_names(
            [s.strip() for s in scenarios.split(",") if s.strip()], data_dir or None
        )
        if "central" in names:
            names = ["central", *[n for n in names if n != "central"]]
        super().__init__(
            notebook, names[0], draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
        )
        others = [self._open(n, draws, seed) for n in names[1:]]
        self.analyses = [self.analysis, *others]
        self.scenarios = [a.scenario for a in self.analyses]

    def header(self):
        from IPython.display import HTML

        from .presentation import scenario_header

        return HTML("".join(scenario_header(sc, self.lang, self.as_of) for sc in self.scenarios))

    @property
    def costs(self) -> list:
        """Each scenario's CostResult, from its analysis (the same one its own pages show). With
        the same draws and seed (the scenarios' own, or the run's --draws and --seed) the
        differences between scenarios are the policies', not sampling noise."""
        return [a.cost for a in self.analyses]

    @property
    def base_cost(self):
        return self.cost

    @property
    def base_targets(self):
        return self.targets

    def comparison_figures(self) -> dict:
        """Variant minus base, by measure, for every other scenario."""
        from ..charts import scenario_comparison
        from ..costing.results import compare_results

        base = self.base_cost
        return {
            f"comparison_{c.scenario.name}": scenario_comparison(
                compare_results(base, c), self.lang, self.as_of
            )
            for c in self.costs[1:]
        }
