"""Every chart of a scenario at once, for the notebooks: ``all_figures``."""

from __future__ import annotations

import datetime as dt

from matplotlib.figure import Figure

from .common import scenario_title
from .costs import (
    assumption_tornado,
    cost_by_class,
    cost_by_document,
    cost_by_measure,
    cost_fan,
    monthly_by_fund,
    scenario_comparison,
)
from .financing import financing_stack, fund_balance_path
from .style import resolve_lang
from .targets import consistency_table, target_paths


def all_figures(
    cost,
    targets=None,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    baseline=None,
) -> dict[str, Figure]:
    """Every chart of one scenario, by name (the names are safe file names for ``export_figure``):
    cost_by_measure, monthly_by_fund, cost_by_document, cost_by_class, cost_fan,
    assumption_tornado; financing_stack when the costing carries its financing (who pays, by
    budget and level of government); fund_balance_path when it carries the funds' solvency and one
    of them is pooled at Jinan's level; scenario_comparison when ``baseline`` (the CostResult to
    compare against, run with the same draws and seed) is another scenario; target_paths and
    consistency_table when ``targets`` (a TargetReport) is given."""
    figures = {
        "cost_by_measure": cost_by_measure(cost, lang, as_of, size),
        "monthly_by_fund": monthly_by_fund(cost, lang, as_of, size),
        "cost_by_document": cost_by_document(cost, lang, as_of, size),
        "cost_by_class": cost_by_class(cost, lang, as_of, size),
        "cost_fan": cost_fan(cost, lang, as_of, size),
        "assumption_tornado": assumption_tornado(cost, lang, as_of, size),
    }
    if getattr(cost, "financing", None) is not None:
        figures["financing_stack"] = financing_stack(cost, lang, as_of, size)
    if any(f["threshold_months"] is not None for f in getattr(cost, "funds", None) or []):
        figures["fund_balance_path"] = fund_balance_path(cost, lang, as_of, size)
    if baseline is not None and baseline.scenario.name != cost.scenario.name:
        from ..costing.results import compare_results  # noqa: PLC0415

        comparison = compare_results(baseline, cost)
        figures["scenario_comparison"] = scenario_comparison(comparison, lang, as_of, size)
    if targets is not None:
        title = scenario_title(cost.scenario, resolve_lang(lang))
        figures["target_paths"] = target_paths(targets, lang, as_of, size, scenario=title)
        figures["consistency_table"] = consistency_table(
            targets, lang, as_of, size, cost=cost, scenario=title
        )
    return figures
