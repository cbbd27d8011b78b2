"""The Sobol chart: the assumptions that explain most of an output's variance, by total index.

Takes a ``costing.sobol.SobolResult``; one horizontal pair of bars per assumption (total index ST
and first-order S1, each with its 95 % confidence whisker), largest ST at the top.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.figure import Figure

from ..costing.sobol import CLASS_A
from .common import begin, finish, scenario_title
from .costs import HIGH_SIDE, LOW_SIDE, TOP_ASSUMPTIONS, fit_tick_font, rows_top_down
from .labels import label, shorten
from .style import fonts, new_figure, set_titles


def _output_name(output: str, lang: str) -> str:
    return label("output.class_a", lang) if output == CLASS_A else label(f"doc.{output}", lang)


def sobol_chart(
    result,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    top: int | None = None,
    output: str = CLASS_A,
) -> Figure:
    """The ``top`` assumptions (default 12 on a slide, 8 on half an A4 page) by total Sobol index
    of ``output`` (the class-A total, or a document's number), with the first-order index beside
    it and SALib's 95 % confidence whiskers."""
    lang = begin(lang)
    f = fonts(size)
    table = result.outputs[output].head(top or TOP_ASSUMPTIONS[size])
    fig, ax = new_figure(size)
    set_titles(
        fig,
        label("title.sobol", lang),
        size,
        ax,
        label("subtitle.sobol", lang, output=_output_name(output, lang)),
    )
    if table.empty:
        ax.text(0.5, 0.5, label("note.no_sensitivity", lang), ha="center", va="center",
                transform=ax.transAxes)  # fmt: skip
        ax.set_axis_off()
        return finish(fig, lang, scenario_title(result.scenario, lang), as_of)
    y = np.arange(len(table))
    h = 0.38
    st = table["ST"].to_numpy().clip(0, None)
    s1 = table["S1"].to_numpy().clip(0, None)
    ax.barh(y - h / 2, st, height=h, color=LOW_SIDE, label=label("legend.sobol_total", lang),
            xerr=table["ST_conf"], error_kw={"lw": 0.8, "capsize": 2}, zorder=2)  # fmt: skip
    ax.barh(y + h / 2, s1, height=h, color=HIGH_SIDE, edgecolor=LOW_SIDE, lw=0.5,
            label=label("legend.sobol_first", lang), xerr=table["S1_conf"],
            error_kw={"lw": 0.8, "capsize": 2}, zorder=2)  # fmt: skip
    width = 30 if lang == "zh" else 38
    ax.set_yticks(y, [shorten(label(f"assumption.{a}", lang), width) for a in table["assumption"]])
    ax.tick_params(axis="y", labelsize=fit_tick_font(fig, size, len(table)))
    rows_top_down(ax, len(table))
    ax.set_xlim(0, max(1.0, float(np.nanmax(st + table["ST_conf"].to_numpy())) * 1.05))
    ax.set_xlabel(label("axis.sobol_index", lang), fontsize=f["label"])
    ax.legend(loc="lower right", fontsize=f["legend"])
    return finish(fig, lang, scenario_title(result.scenario, lang), as_of)
