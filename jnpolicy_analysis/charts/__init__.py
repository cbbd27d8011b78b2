"""Briefing figures in one house style, with Chinese labels by default and English on request.

    from jnpolicy_analysis.charts import all_figures, cost_by_measure, export_figure
    from jnpolicy_analysis.analysis import open_analysis
    fig = cost_by_measure(open_analysis("central").cost, lang="zh", as_of="2020-06-30")
    export_figure(fig, "cost_by_measure", "out/")      # PNG 300 dpi, SVG, PDF

Every chart takes its result object(s), ``lang`` ("zh" or "en"), ``as_of`` (the date on the foot
line) and ``size`` ("slide" or "half-a4") and returns a matplotlib Figure. Labels come from one
table, ``labels.LABELS``.
"""

from ..fonts import cjk_available
from .costs import (
    assumption_tornado,
    cost_by_class,
    cost_by_document,
    cost_by_measure,
    cost_fan,
    monthly_by_fund,
    scenario_comparison,
)
from .export import export_figure
from .financing import financing_stack, fund_balance_path, funds_table
from .gallery import all_figures
from .labels import LABELS, label
from .style import (
    FIGURE_SIZES,
    add_footer,
    money_axis,
    palette,
    use_house_style,
)
from .targets import consistency_table, target_path, target_paths

__all__ = [
    "FIGURE_SIZES",
    "LABELS",
    "add_footer",
    "all_figures",
    "assumption_tornado",
    "cjk_available",
    "financing_stack",
    "fund_balance_path",
    "funds_table",
    "consistency_table",
    "cost_by_class",
    "cost_by_document",
    "cost_by_measure",
    "cost_fan",
    "export_figure",
    "label",
    "money_axis",
    "monthly_by_fund",
    "palette",
    "scenario_comparison",
    "target_path",
    "target_paths",
    "use_house_style",
]
