"""The ex-post chart: each outturn's costed / outturn ratio with the range of its scaling rule
(the evaluation itself is ``jnpolicy_analysis.analysis.evaluation``)."""

from __future__ import annotations

import numpy as np

from ..analysis.evaluation import Evaluation
from .common import begin, finish, scenario_title
from .labels import label
from .style import fonts, new_figure, palette, set_titles


def outturn_chart(ev: Evaluation, lang: str = "zh", as_of: str | None = None, size: str = "slide"):
    """Costed / outturn, one row per outturn, on a log scale: the ratio to the outturn's central
    scaling as a dot, the whisker its range over the scaling rule's low-high (1 = the costing
    reproduces the outturn)."""
    lang = begin(lang)
    f = fonts(size)
    fig, ax = new_figure(size)
    zh = lang == "zh"
    set_titles(
        fig,
        label("evaluation.title", lang),
        size,
        ax,
        label("evaluation.subtitle", lang),
    )
    rows = [r for r in ev.rows if r.comparable][::-1]  # a window the measures miss: no ratio
    y = np.arange(len(rows))
    colour = palette(3)
    ratio = np.array([r.ratio for r in rows])
    lo = ratio - np.array([r.costed / r.jinan[2] for r in rows])
    hi = np.array([r.costed / r.jinan[0] for r in rows]) - ratio
    ax.axvline(1.0, color="0.5", lw=0.8, zorder=1)
    for k, r in enumerate(rows):
        c = colour[0] if r.outturn.use == "calibrate" else colour[1]
        ax.errorbar(ratio[k], y[k], xerr=[[lo[k]], [hi[k]]], fmt="o", color=c, capsize=3,
                    zorder=3)  # fmt: skip
        ax.annotate(f"{ratio[k]:.2f}", (ratio[k], y[k]), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=f["legend"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_xticks([0.1, 0.25, 0.5, 1, 2, 4], ["0.1", "0.25", "0.5", "1", "2", "4"])
    ax.set_xlim(0.05, 8)
    ax.set_yticks(y, [r.outturn.title_zh if zh else r.outturn.id for r in rows])
    ax.set_xlabel(label("evaluation.axis", lang), fontsize=f["label"])
    return finish(fig, lang, scenario_title(ev.scenario, lang), as_of)
