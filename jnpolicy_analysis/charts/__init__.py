"""Briefing figures in one house style, with Chinese labels by default and English on request."""

from .export import export_figure
from .style import FIGURE_SIZES, add_footer, cjk_available, money_axis, palette, use_house_style

__all__ = [
    "FIGURE_SIZES",
    "add_footer",
    "cjk_available",
    "export_figure",
    "money_axis",
    "palette",
    "use_house_style",
]
