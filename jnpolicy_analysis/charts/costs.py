"""Cost charts: by measure, monthly by fund, by document, by IMF class, the cumulative fan, the
tornado of assumptions and the comparison of two scenarios.

Each takes a costing result (``jnpolicy_analysis.costing.CostResult``, or a ``Comparison``),
``lang`` ("zh" by default, "en"), ``as_of`` (the date on the foot line; today when None) and
``size`` ("slide" or "half-a4") and returns a matplotlib Figure. Amounts are converted from 元 to
万元 or 亿元 (whichever reads better) and the unit is named on the axis. Class A (spending and
forgone revenue) is what "cost" means; class C (the expected cost of guarantees) and class D
(deferrals) are drawn apart and never added to it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..formatting import money_words, scaled_numbers, short_number
from ..units import get_unit
from .common import begin, data_text, finish, scenario_title
from .labels import label, shorten, shorten_all, wrap
from .style import (
    ACCENT,
    GREY,
    PALETTE,
    choose_money_unit,
    fonts,
    money_axis,
    new_figure,
    set_titles,
)

# Widest measure label, in columns (a Chinese character is two), by figure size and language.
LABEL_WIDTH = {"slide": {"zh": 40, "en": 46}, "half-a4": {"zh": 28, "en": 34}}
# How many measures and assumptions a figure shows by default (None: all).
TOP_MEASURES: dict[str, int | None] = {"slide": None, "half-a4": 15}
TOP_ASSUMPTIONS = {"slide": 12, "half-a4": 8}

CLASS_STYLE = {
    "A": {"facecolor": ACCENT, "edgecolor": ACCENT},
    "B": {"facecolor": "#f2f2f2", "edgecolor": GREY, "hatch": "xx"},
    "C": {"facecolor": "#d9d9d9", "edgecolor": GREY, "hatch": "//"},
    "D": {"facecolor": "#f2f2f2", "edgecolor": GREY, "hatch": ".."},
}
INCREASE, DECREASE = "#D55E00", "#0072B2"  # apart in greyscale (0.47 vs 0.39) and hue
LOW_SIDE, HIGH_SIDE = "#332288", "#88CCEE"  # tornado: dark for the low value, light for the high
WHISKER = "#000000"


def _to_unit(values, unit: str):
    return np.asarray(values, dtype=float) / {"万元": 1e4, "亿元": 1e8, "元": 1.0}[unit]


def fit_tick_font(fig: Figure, size: str, rows: int, lines: int = 1) -> float:
    """The y tick font size that lets ``rows`` labels of ``lines`` lines each fit the figure."""
    room_pt = fig.get_figheight() * 72 * 0.68
    return round(min(fonts(size)["tick"], 0.78 * room_pt / max(rows * lines, 1)), 2)


def rows_top_down(ax, n: int, at_least: int = 6) -> None:
    """Rows top to bottom; with few rows, room for ``at_least`` so that bars stay bars."""
    ax.set_ylim(max(n, at_least) - 0.4, -0.6)


def _whiskers(ax, y, p5, p95, size: str) -> None:
    p5, p95 = np.asarray(p5, dtype=float), np.asarray(p95, dtype=float)
    ok = ~(np.isnan(p5) | np.isnan(p95))
    if not ok.any():
        return
    ax.errorbar(
        (p5[ok] + p95[ok]) / 2,
        np.asarray(y)[ok],
        xerr=(p95[ok] - p5[ok]) / 2,
        fmt="none",
        ecolor=WHISKER,
        elinewidth=1.2 if size == "slide" else 0.8,
        capsize=4 if size == "slide" else 2.5,
        zorder=3,
    )


def _value_labels(ax, y, central, right_edge, size: str, suffix: str = "") -> None:
    """The central value just right of each bar's whisker."""
    f = fonts(size)
    right = np.nan_to_num(np.asarray(right_edge, dtype=float), nan=0.0)
    central = np.asarray(central, dtype=float)
    for yi, c, r in zip(y, central, right, strict=True):
        ax.annotate(
            short_number(c) + suffix,
            xy=(max(c, r, 0.0), yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=f["note"] * 0.9,
            color="#333333",
        )


def _whisker_handle(lang: str) -> Line2D:
    return Line2D(
        [], [], color=WHISKER, marker="|", markersize=8, lw=1.2, label=label("legend.p5_p95", lang)
    )


def _years_text(cost) -> str:
    years = sorted(pd.unique(cost.monthly["year"]))
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _bars(ax, y, central, p5, p95, classes, size: str) -> None:
    for cls in dict.fromkeys(classes):
        idx = np.asarray([c == cls for c in classes])
        ax.barh(
            np.asarray(y)[idx], np.asarray(central)[idx], height=0.68, zorder=2, **CLASS_STYLE[cls]
        )
    _whiskers(ax, y, p5, p95, size)


# --------------------------------------------------------------------------- cost by measure


def cost_by_measure(
    cost,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    top: int | None = None,
    measures: list[str] | None = None,
) -> Figure:
    """Each costed measure's cost over the whole period (central bar, P5–P95 whisker), largest at
    the top, labelled by its Chinese (or English) title. ``measures``: only these measure ids
    (e.g. one document's). ``top``: show the largest N only (default: all on a slide, 15 on half
    an A4 page) and say what the others add up to. Class C and D measures are hatched grey and
    named in the legend as not added to cost."""
    lang = begin(lang)
    f = fonts(size)
    if measures is not None:
        unknown = [m for m in measures if m not in cost.measures.index]
        if unknown:
            raise KeyError(f"no measure {unknown} in the costing")
        if not measures:
            raise ValueError("measures is empty: no measure to draw")
    measures = cost.measures if measures is None else cost.measures.loc[list(measures)]
    is_costed = measures["costed"].astype(bool)
    costed = measures[is_costed].sort_values("central", ascending=False)
    top = TOP_MEASURES[size] if top is None else top
    shown = costed if top is None else costed.iloc[:top]
    rest = costed.iloc[len(shown) :]

    unit = choose_money_unit(float(np.nanmax(shown[["central", "p95"]].to_numpy())))
    central, p5, p95 = (_to_unit(shown[c], unit) for c in ("central", "p5", "p95"))
    y = np.arange(len(shown))
    classes = list(shown["fiscal_class"])

    fig, ax = new_figure(size)
    _bars(ax, y, central, p5, p95, classes, size)
    _value_labels(ax, y, central, p95, size)
    width = LABEL_WIDTH[size][lang]
    names = shorten_all([data_text(t, lang) for t in shown[f"title_{lang}"]], width)
    ax.set_yticks(y, names)
    ax.tick_params(axis="y", labelsize=fit_tick_font(fig, size, len(shown)))
    rows_top_down(ax, len(shown))
    ax.set_xlim(0, float(np.nanmax(np.r_[central, p95])) * 1.12)
    money_axis(ax, unit, "x", label("axis.cost", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])

    handles = [Patch(label=label("legend.class_a", lang), **CLASS_STYLE["A"])]
    for cls in ("C", "D"):
        if cls in classes:
            handles.append(
                Patch(label=label(f"legend.class_{cls.lower()}", lang), **CLASS_STYLE[cls])
            )
    handles.append(_whisker_handle(lang))
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.1), fontsize=f["legend"])

    notes = []
    if len(rest):
        notes.append(
            label(
                "note.others_shown_apart",
                lang,
                n=len(rest),
                amount=money_words(float(rest["central"].sum()), lang),
            )
        )
    if (~is_costed).sum():
        notes.append(label("note.not_costed", lang, n=int((~is_costed).sum())))
    if notes:
        ax.text(
            0.99, 0.01, "\n".join(notes), transform=ax.transAxes, ha="right", va="bottom",
            fontsize=f["note"] * 0.9, color=GREY,
        )  # fmt: skip
    set_titles(
        fig,
        label("title.cost_by_measure", lang),
        size,
        ax,
        label("subtitle.cost_by_measure", lang, years=_years_text(cost)),
    )
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


# --------------------------------------------------------------------------- monthly by fund


def monthly_by_fund(
    cost,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    max_funds: int = 6,
) -> Figure:
    """Class-A cost by month, stacked by fund: the ``max_funds`` largest funds, the rest together."""
    lang = begin(lang)
    f = fonts(size)
    monthly = cost.monthly[cost.monthly["fiscal_class"] == "A"]
    table = monthly.pivot_table(
        index="month", columns="funding_source", values="central", aggfunc="sum", fill_value=0.0
    ).sort_index()
    order = list(table.sum().sort_values(ascending=False).index)
    keep = order if len(order) <= max_funds + 1 else order[:max_funds]
    others = [c for c in order if c not in keep]
    series = [(label(f"fund.{fund}", lang), table[fund]) for fund in keep]
    if others:
        series.append((label("legend.other_funds", lang, n=len(others)), table[others].sum(axis=1)))

    unit = choose_money_unit(float(table.sum(axis=1).max()))
    months = list(table.index)
    x = np.arange(len(months))
    fig, ax = new_figure(size)
    bottom = np.zeros(len(months))
    for i, (name, values) in enumerate(series):
        v = _to_unit(values, unit)
        ax.bar(
            x, v, bottom=bottom, width=0.8, color=PALETTE[i % len(PALETTE)],
            edgecolor="white", linewidth=0.3, label=shorten(name, 30), zorder=2,
        )  # fmt: skip
        bottom += v
    step = 3 if size == "slide" else 6
    ax.set_xticks(x[::step], months[::step])
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.xaxis.grid(False)
    ax.yaxis.grid(True)
    money_axis(ax, unit, "y", label("axis.monthly_cost", lang), lang)
    ax.set_xlabel(label("axis.month", lang), fontsize=f["label"])
    ax.yaxis.label.set_fontsize(f["label"])
    handles, labels_ = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels_[::-1], loc="upper right", fontsize=f["legend"])
    set_titles(
        fig, label("title.monthly_by_fund", lang), size, ax, label("subtitle.monthly_by_fund", lang)
    )
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


# --------------------------------------------------------------------------- by document, by class


def cost_by_document(
    cost, lang: str = "zh", as_of: dt.date | str | None = None, size: str = "slide"
) -> Figure:
    """Class-A cost of each gazette document (central bar, P5–P95 whisker)."""
    lang = begin(lang)
    f = fonts(size)
    by = cost.by("doc").sort_values("central", ascending=False)
    unit = choose_money_unit(float(np.nanmax(by[["central", "p95"]].to_numpy())))
    central, p5, p95 = (_to_unit(by[c], unit) for c in ("central", "p5", "p95"))
    y = np.arange(len(by))
    fig, ax = new_figure(size)
    _bars(ax, y, central, p5, p95, ["A"] * len(by), size)
    _value_labels(ax, y, central, p95, size)
    width = 32 if lang == "zh" else 28
    ax.set_yticks(y, [wrap(label(f"doc.{d}", lang), width, max_lines=2) for d in by.index])
    ax.tick_params(axis="y", labelsize=fit_tick_font(fig, size, len(by), 2))
    rows_top_down(ax, len(by), 4)
    ax.set_xlim(0, float(np.nanmax(np.r_[central, p95])) * 1.15)
    money_axis(ax, unit, "x", label("axis.cost", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])
    ax.legend(handles=[_whisker_handle(lang)], loc="lower right", fontsize=f["legend"])
    set_titles(
        fig,
        label("title.cost_by_document", lang),
        size,
        ax,
        label("subtitle.cost_by_document", lang),
    )
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


def cost_by_class(
    cost, lang: str = "zh", as_of: dt.date | str | None = None, size: str = "slide"
) -> Figure:
    """Cost by IMF fiscal class: A (spending and forgone revenue) on top; C (expected cost of
    guarantees) and D (deferrals) below a rule, hatched and marked "not added to cost"."""
    lang = begin(lang)
    f = fonts(size)
    by = cost.by("fiscal_class").sort_index()
    by = by[by["central"].abs() > 0]
    unit = choose_money_unit(float(np.nanmax(by[["central", "p95"]].to_numpy())))
    central, p5, p95 = (_to_unit(by[c], unit) for c in ("central", "p5", "p95"))
    classes = list(by.index)
    y = np.arange(len(by))
    fig, ax = new_figure(size)
    _bars(ax, y, central, p5, p95, classes, size)
    apart = label("note.not_in_cost", lang)
    suffixes = ["" if c == "A" else ("  " if lang == "zh" else "  ") + apart for c in classes]
    for yi, c, r, s in zip(y, central, np.nan_to_num(p95), suffixes, strict=True):
        _value_labels(ax, [yi], [c], [r], size, s)
    if "A" in classes and len(classes) > 1:
        ax.axhline(classes.index("A") + 0.5, color=GREY, lw=0.8, ls="--")
    width = 20 if lang == "zh" else 26
    ax.set_yticks(y, [wrap(label(f"class.{c}", lang), width, max_lines=2) for c in classes])
    ax.tick_params(axis="y", labelsize=fit_tick_font(fig, size, len(by), 2))
    rows_top_down(ax, len(by), 4)
    ax.set_xlim(0, float(np.nanmax(np.r_[central, p95])) * 1.3)
    money_axis(ax, unit, "x", label("axis.cost", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])
    ax.legend(handles=[_whisker_handle(lang)], loc="lower right", fontsize=f["legend"])
    set_titles(
        fig, label("title.cost_by_class", lang), size, ax, label("subtitle.cost_by_class", lang)
    )
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


# --------------------------------------------------------------------------- fan chart


def cost_fan(
    cost, lang: str = "zh", as_of: dt.date | str | None = None, size: str = "slide"
) -> Figure:
    """The cumulative class-A cost month by month from January 2020: the central path, the
    P25–P75 and P5–P95 ranges of the draws, and the end values labelled."""
    lang = begin(lang)
    f = fonts(size)
    fan = cost.fan(cumulative=True)
    unit = choose_money_unit(float(fan.to_numpy().max()))
    months = list(fan.index)
    x = np.arange(len(months))
    v = {c: _to_unit(fan[c], unit) for c in fan.columns}
    fig, ax = new_figure(size)
    ax.fill_between(
        x, v["p5"], v["p95"], color=ACCENT, alpha=0.18, lw=0, label=label("legend.p5_p95", lang)
    )
    ax.fill_between(
        x, v["p25"], v["p75"], color=ACCENT, alpha=0.38, lw=0, label=label("legend.p25_p75", lang)
    )
    ax.plot(
        x,
        v["central"],
        color="#000000",
        lw=2 if size == "slide" else 1.2,
        label=label("legend.central", lang),
    )
    for key in ("p95", "central", "p5"):
        ax.annotate(
            short_number(v[key][-1]),
            xy=(x[-1], v[key][-1]),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=f["note"] * 0.9,
            color="#000000" if key == "central" else "#333333",
        )
    step = 3 if size == "slide" else 6
    ax.set_xticks(x[::step], months[::step])
    ax.set_xlim(-0.5, len(months) + (2.5 if size == "slide" else 4.5))
    ax.set_ylim(0, None)
    ax.xaxis.grid(False)
    ax.yaxis.grid(True)
    money_axis(ax, unit, "y", label("axis.cumulative_cost", lang), lang)
    ax.set_xlabel(label("axis.month", lang), fontsize=f["label"])
    ax.yaxis.label.set_fontsize(f["label"])
    handles, labels_ = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels_[::-1], loc="upper left", fontsize=f["legend"])
    set_titles(fig, label("title.cost_fan", lang), size, ax, label("subtitle.cost_fan", lang))
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


# --------------------------------------------------------------------------- tornado


def assumption_range(low: float, high: float, unit: str, lang: str) -> str:
    """An assumption's low–high in its printed unit: "60–95%", "180万–280万人", "1.8m–2.8m people"."""
    factor = get_unit(unit).to_base(1.0)
    lo, hi = scaled_numbers([low / factor, high / factor], lang)
    if unit in ("%", "fraction"):
        return f"{lo}–{hi}{'%' if unit == '%' else ''}"
    unit_text = label(f"unit.{unit}", lang)
    return f"{lo}–{hi}{'' if lang == 'zh' else ' '}{unit_text}".rstrip()


def assumption_tornado(
    cost,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    top: int | None = None,
    measure_id: str | None = None,
) -> Figure:
    """The ``top`` assumptions (default 12 on a slide, 8 on half an A4 page) that move the class-A
    total most (or one measure's cost, ``measure_id``), each at its low and its high value with
    every other at the scenario's; the label gives the assumption's range."""
    lang = begin(lang)
    f = fonts(size)
    table = cost.sensitivity(measure_id).head(top or TOP_ASSUMPTIONS[size])
    fig, ax = new_figure(size)
    set_titles(fig, label("title.tornado", lang), size, ax, label("subtitle.tornado", lang))
    if table.empty:
        ax.text(
            0.5,
            0.5,
            label("note.no_sensitivity", lang),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)
    point = float(table["cost_point"].iloc[0])
    unit = choose_money_unit(float(np.nanmax(table[["cost_low", "cost_high"]].abs().to_numpy())))
    p = float(_to_unit([point], unit)[0])
    lo, hi = _to_unit(table["cost_low"], unit), _to_unit(table["cost_high"], unit)
    y = np.arange(len(table))
    ax.barh(
        y,
        lo - p,
        left=p,
        height=0.66,
        color=LOW_SIDE,
        label=label("legend.assumption_low", lang),
        zorder=2,
    )
    ax.barh(y, hi - p, left=p, height=0.66, color=HIGH_SIDE, edgecolor=LOW_SIDE, lw=0.5,
            label=label("legend.assumption_high", lang), zorder=2)  # fmt: skip
    ax.axvline(p, color="#000000", lw=1.2, zorder=3)
    width = 30 if lang == "zh" else 38
    names = [
        shorten(label(f"assumption.{r.assumption}", lang), width)
        + "\n"
        + assumption_range(r.low, r.high, r.unit, lang)
        for r in table.itertuples()
    ]
    ax.set_yticks(y, names)
    ax.tick_params(axis="y", labelsize=fit_tick_font(fig, size, len(table), 2))
    rows_top_down(ax, len(table))
    span = max(float(np.nanmax(np.r_[lo, hi])) - p, p - float(np.nanmin(np.r_[lo, hi])), 1e-9)
    ax.set_xlim(
        max(0.0, p - 1.15 * span) if np.nanmin(np.r_[lo, hi]) >= 0 else p - 1.15 * span,
        p + 1.15 * span,
    )
    ax.annotate(
        label("note.point", lang, amount=short_number(p)),
        xy=(p, 0),
        xycoords=("data", "axes fraction"),
        xytext=(4, 4),
        textcoords="offset points",
        fontsize=f["note"] * 0.9,
    )
    money_axis(ax, unit, "x", label("axis.total_cost", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])
    ax.legend(loc="lower right", fontsize=f["legend"])
    return finish(fig, lang, scenario_title(cost.scenario, lang), as_of)


# --------------------------------------------------------------------------- scenario comparison


def scenario_comparison(
    comparison,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    top: int | None = None,
) -> Figure:
    """Variant minus baseline: the class-A total on top, then each measure whose cost changes
    (bars orange for a rise, blue for a fall; P5–P95 whiskers of the paired difference where the
    two runs share their draws). ``comparison``: ``costing.compare(...)`` or ``compare_results``."""
    lang = begin(lang)
    f = fonts(size)
    d = comparison.measures
    scale = max(float(d[["baseline", "variant"]].abs().to_numpy().max()), 1.0)
    changed = d[d["difference"].abs() > 1e-9 * scale].sort_values("difference", ascending=False)
    top = top or (20 if size == "slide" else 12)
    changed = changed.reindex(changed["difference"].abs().sort_values(ascending=False).index[:top])
    changed = changed.sort_values("difference", ascending=False)
    titles = pd.concat([comparison.baseline.measures, comparison.variant.measures])
    titles = titles[~titles.index.duplicated(keep="last")][f"title_{lang}"]

    rows = []  # (label, central, p5, p95)
    if "class A" in comparison.totals.index:
        t = comparison.totals.loc["class A"]
        rows.append(
            (
                label("row.total_class_a", lang),
                t["difference"],
                t["difference_p5"],
                t["difference_p95"],
            )
        )
    width = LABEL_WIDTH[size][lang]
    names = [data_text(titles.get(mid, mid), lang) for mid in changed.index]
    two_lines = len(changed) <= 8
    names = [wrap(n, width, max_lines=2) for n in names] if two_lines else shorten_all(names, width)
    for name, (_, r) in zip(names, changed.iterrows(), strict=True):
        rows.append((name, r["difference"], r["difference_p5"], r["difference_p95"]))
    frame = pd.DataFrame(rows, columns=["name", "central", "p5", "p95"])

    fig, ax = new_figure(size)
    variant = scenario_title(comparison.variant.scenario, lang)
    baseline = scenario_title(comparison.baseline.scenario, lang)
    set_titles(
        fig,
        label("title.comparison", lang),
        size,
        ax,
        label("subtitle.comparison", lang, variant=variant, baseline=baseline),
    )
    extent = (
        float(np.nanmax(np.abs(frame[["central", "p5", "p95"]].to_numpy(dtype=float))))
        if len(frame)
        else 0.0
    )
    unit = choose_money_unit(extent)
    central, p5, p95 = (_to_unit(frame[c], unit) for c in ("central", "p5", "p95"))
    y = np.arange(len(frame))
    colours = [INCREASE if c > 0 else DECREASE for c in central]
    ax.barh(y, central, height=0.66, color=colours, zorder=2)
    _whiskers(ax, y, p5, p95, size)
    ax.axvline(0, color="#000000", lw=1)
    for yi, c, lo_, hi_ in zip(y, central, np.nan_to_num(p5), np.nan_to_num(p95), strict=True):
        right = c >= 0
        edge = max(c, hi_) if right else min(c, lo_)
        ax.annotate(
            short_number(c), xy=(edge, yi), xytext=(4 if right else -4, 0), textcoords="offset points",
            ha="left" if right else "right", va="center", fontsize=f["note"] * 0.9, color="#333333",
        )  # fmt: skip
    ax.set_yticks(y, list(frame["name"]))
    ax.tick_params(
        axis="y", labelsize=fit_tick_font(fig, size, max(len(frame), 4), 2 if two_lines else 1)
    )
    rows_top_down(ax, len(frame), 4)
    if len(frame) > 1:
        ax.axhline(0.5, color=GREY, lw=0.8, ls="--")
    everything = np.r_[central, p5, p95, 0.0]
    lo, hi = float(np.nanmin(everything)), float(np.nanmax(everything))
    pad = max(hi - lo, 1e-9) * 0.16  # room for the value labels
    ax.set_xlim(lo - pad if lo < 0 else -0.03 * pad, hi + pad if hi > 0 else 0.03 * pad)
    money_axis(ax, unit, "x", label("axis.difference", lang), lang)
    ax.xaxis.label.set_fontsize(f["label"])

    notes = []
    if changed.empty:
        notes.append(label("note.no_difference", lang))
    unchanged = len(d) - len(changed)
    if unchanged and not changed.empty:
        notes.append(label("note.unchanged_measures", lang, n=unchanged))
    if notes:
        ax.text(0.99, 0.02, "\n".join(notes), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=f["note"] * 0.9, color=GREY)  # fmt: skip
    handles = [
        Patch(color=INCREASE, label=label("legend.increase", lang)),
        Patch(color=DECREASE, label=label("legend.decrease", lang)),
        _whisker_handle(lang),
    ]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.1), fontsize=f["legend"])
    footer = label("footer.comparison", lang, variant=variant, baseline=baseline)
    return finish(fig, lang, footer, as_of)
