"""Who pays and the funds: a stack of the class-A cost by budget and level of government, and the
funds' balance paths against their thresholds.

Each takes a costing result (``CostResult``, with its ``financing`` and ``funds``), ``lang`` ("zh"
by default, "en"), ``as_of`` and ``size`` like the other charts, and returns a matplotlib Figure.
Amounts in 万元 or 亿元, the unit named on the axis.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.figure import Figure

from ..costing.financing import FISCAL_BUDGETS, OUTSIDE
from ..formatting import short_number
from ..inputs.schemas.policy import LEVELS
from ..units import MONEY_HEADS
from .common import begin, finish, scenario_title
from .labels import label, wrap
from .style import (
    ACCENT,
    GREY,
    PALETTE,
    choose_money_unit,
    fonts,
    money_axis,
    new_figure,
    new_figure_with_key,
    set_titles,
)

LEVEL_COLOURS = dict(zip(LEVELS, PALETTE, strict=False))


def budget_level_matrix(cost) -> tuple[list[str], np.ndarray, float]:
    """The class-A central cost (元) of each fiscal budget (rows, those with a cost) by level of
    government (columns, ``LEVELS``): each measure-fund component's central cost times its shares
    at the scenario's point; and the central flows outside general government (any class)."""
    fin = cost.financing
    matrix = np.zeros((len(FISCAL_BUDGETS), len(LEVELS)))
    outside = 0.0
    for mid, row in cost.costed.iterrows():
        for comp in fin["measures"][mid]["components"]:
            if comp["budget"] == OUTSIDE:
                outside += comp["cost"]
                continue
            if row["fiscal_class"] != "A":
                continue
            b = FISCAL_BUDGETS.index(comp["budget"])
            for k, lv in enumerate(LEVELS):
                matrix[b, k] += comp["cost"] * comp["government_shares"][lv]
    keep = [i for i in range(len(FISCAL_BUDGETS)) if matrix[i].sum() > 0]
    return [FISCAL_BUDGETS[i] for i in keep], matrix[keep], outside


def financing_stack(
    cost, lang: str = "zh", as_of: dt.date | str | None = None, size: str = "slide"
) -> Figure:
    """Class-A cost by budget (bars), stacked by level of government; flows outside general
    government in a hatched bar below a rule, marked as not added to cost."""
    lang = begin(lang)
    f = fonts(size)
    budgets, matrix, outside = budget_level_matrix(cost)
    totals = matrix.sum(axis=1)
    unit = choose_money_unit(float(max(totals.max(initial=0.0), outside)))
    m = matrix / MONEY_HEADS[unit]
    rows = [*budgets, OUTSIDE] if outside > 0 else budgets
    y = np.arange(len(rows))
    fig, ax = new_figure(size)
    left = np.zeros(len(budgets))
    for k, lv in enumerate(LEVELS):
        if not m[:, k].any():
            continue
        ax.barh(
            y[: len(budgets)],
            m[:, k],
            left=left,
            color=LEVEL_COLOURS[lv],
            edgecolor="white",
            lw=0.6,
            label=label(f"level.{lv}", lang),
        )
        left += m[:, k]
    right = float(max(left.max(initial=0.0), outside / MONEY_HEADS[unit]))
    for yi, v in zip(y, left, strict=False):
        ax.annotate(
            short_number(v), (v, yi), xytext=(4, 0), textcoords="offset points", va="center",
            fontsize=f["note"],
        )  # fmt: skip
    if outside > 0:
        v = outside / MONEY_HEADS[unit]
        ax.barh(y[-1], v, facecolor="#f2f2f2", edgecolor=GREY, hatch="..")
        ax.annotate(
            f"{short_number(v)}  {label('note.outside_not_added', lang)}",
            (v, y[-1]), xytext=(4, 0), textcoords="offset points", va="center",
            fontsize=f["note"],
        )  # fmt: skip
        ax.axhline(len(budgets) - 0.5, color=GREY, lw=0.8, ls="--")
    width = 16 if lang == "zh" else 30
    ax.set_yticks(y, [wrap(label(f"budget.{b}", lang), width, max_lines=2) for b in rows])
    ax.set_ylim(max(len(rows), 4) - 0.4, -0.6)
    ax.set_xlim(0, right * 1.35 if right > 0 else 1)
    money_axis(ax, unit, "x", label("axis.cost", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])
    ax.legend(loc="lower right", fontsize=f["legend"], title=None)
    set_titles(
        fig, label("title.financing_stack", lang), size, ax, label("subtitle.financing_stack", lang)
    )
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


def fund_balance_path(
    cost, lang: str = "zh", as_of: dt.date | str | None = None, size: str = "slide"
) -> Figure:
    """One panel per fund pooled at Jinan's level: its end-of-year balance 2019-2022, central and
    P5-P95, against the balance its months-of-cover threshold asks for (threshold x the central
    monthly spending); years whose central cover is below the threshold are marked."""
    lang = begin(lang)
    f = fonts(size)
    funds = [x for x in (cost.funds or []) if x["threshold_months"] is not None]
    if not funds:
        raise ValueError(
            "the costing has no fund pooled at Jinan's level (data/baseline/funds.yaml)"
        )
    fig, key_ax, axes = new_figure_with_key(size, 1, len(funds))
    key_ax.set_title(
        label("subtitle.fund_balance_path", lang), loc="left", fontsize=f["subtitle"],
        color="#333333",
    )  # fmt: skip
    for ax, fund in zip(axes, funds, strict=True):
        years = list(fund["years"])
        x = np.arange(len(years))
        bal = {
            k: np.array([fund["years"][y]["balance"][k] for y in years])
            for k in ("central", "p5", "p95")
        }
        spend = np.array([fund["years"][y]["spending"]["central"] for y in years])
        need = fund["threshold_months"] * spend / 12.0
        unit = choose_money_unit(float(np.abs(np.r_[bal["p95"], bal["p5"], need]).max()))
        d = MONEY_HEADS[unit]
        if not cost.stress_case:
            ax.fill_between(x, bal["p5"] / d, bal["p95"] / d, color=ACCENT, alpha=0.2, lw=0,
                            label=label("legend.p5_p95", lang))  # fmt: skip
        ax.plot(x, bal["central"] / d, color="#000000", lw=2 if size == "slide" else 1.2,
                marker="o", label=label("legend.central", lang))  # fmt: skip
        ax.plot(x, need / d, color=GREY, ls="--", lw=1.2,
                label=label("legend.threshold", lang, months=f"{fund['threshold_months']:g}"))  # fmt: skip
        below = [i for i, y in enumerate(years) if fund["years"][y]["below_threshold"]]
        if below:
            ax.scatter(x[below], bal["central"][below] / d, s=60, facecolors="none",
                       edgecolors="#D55E00", lw=1.6, zorder=5, label=label("legend.below", lang))  # fmt: skip
        ax.axhline(0, color="#000000", lw=0.6)
        ax.set_xticks(x, years)
        ax.set_title(wrap(label(f"fund.{fund['fund']}", lang), 22 if lang == "zh" else 28, max_lines=2),
                     loc="left", fontsize=f["subtitle"])  # fmt: skip
        money_axis(ax, unit, "y", label("axis.balance", lang), lang)
        ax.yaxis.label.set_fontsize(f["label"])
        ax.legend(loc="best", fontsize=f["legend"] * 0.85)
    set_titles(fig, label("title.fund_balance_path", lang), size)
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


def funds_table(cost, lang: str = "zh"):
    """The funds' solvency as a table (pandas DataFrame): for each fund pooled at Jinan's level
    and year, income, spending and balance (亿元, central with P5–P95) and months of cover, the
    threshold and whether the central cover is below it; for a fund pooled higher up, Jinan's
    contribution to the pool's shortfall."""
    import pandas as pd

    def col(key: str) -> str:
        return label(f"column.funds_{key}", lang)

    def band(s: dict, d: float = 1e8) -> str:
        if cost.stress_case:
            return f"{s['central'] / d:,.2f}"
        return f"{s['central'] / d:,.2f} ({s['p5'] / d:,.2f}–{s['p95'] / d:,.2f})"

    rows = []
    for f in cost.funds or []:
        name = label(f"fund.{f['fund']}", lang)
        for year, v in f["years"].items():
            row = {col("fund"): name, col("year"): year}
            if f["threshold_months"] is None:
                row[col("shortfall")] = band(v["jinan_contribution_to_shortfall"])
                rows.append(row)
                continue
            row[col("income")] = band(v["income"])
            row[col("spending")] = band(v["spending"])
            row[col("balance")] = band(v["balance"])
            row[col("months")] = band(v["months_of_cover"], 1.0)
            row[col("threshold")] = f"{f['threshold_months']:g}"
            row[col("below")] = col("below_yes") if v["below_threshold"] else ""
            rows.append(row)
    return pd.DataFrame(rows).fillna("")


__all__ = ["budget_level_matrix", "financing_stack", "fund_balance_path", "funds_table"]
