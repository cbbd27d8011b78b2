"""Target charts: each headline target's projected path against the path it requires (small
multiples, or one target alone), and the plans' consistency checks as a table.

Each takes a ``TargetReport`` (``jnpolicy_analysis.targets.track_targets``; the charts read its
``results``, ``paths``, ``consistency`` and ``scenario``), ``lang``, ``as_of`` and ``size`` and
returns a matplotlib Figure. Values are in each target's own unit (家, 万家, 亿元, 个), named on
the axis.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..formatting import bound, general, money_words, number, percent
from .common import begin, data_text, finish, scenario_title
from .labels import display_width, label, wrap
from .style import ACCENT, fonts, new_figure, new_figure_with_key, set_titles

BAND, MEDIAN, REQUIRED, TARGET, OBSERVED = ACCENT, ACCENT, "#000000", "#D55E00", "#000000"
VERDICT_FILL = {
    "consistent": "#d6eaf8",
    "inconsistent": "#f9d9c3",
    "depends on reading": "#e8daef",
    "cannot tell": "#eeeeee",
}


def _footer_scenario(targets, lang: str, title: str | None) -> str:
    return title if title is not None else scenario_title(targets.scenario, lang)


def headline_ids(targets) -> list[str]:
    """The targets that have a projected path (headline targets with a starting figure), in the
    report's order."""
    with_paths = set(targets.paths["id"]) if len(targets.paths) else set()
    return [r.id for r in targets.results if r.kind == "headline" and r.id in with_paths]


def _p_met(result, lang: str) -> str:
    """P(met) (labelled when it is what the assumptions imply), the status, and the verdict once
    the deadline has passed."""
    p = result.probability_met
    value = "—" if p is None or (isinstance(p, float) and math.isnan(p)) else percent(p)
    key = "note.p_assumed" if getattr(result, "probability_label", None) else "note.p_met"
    text = f"{label(key, lang, p=value)} · {label(f'status.{result.status}', lang)}"
    verdict = getattr(result, "verdict", None)
    if verdict:
        text += " · " + label("note.verdict", lang, verdict=label(f"outcome.{verdict}", lang))
    return text


def _target_text(result) -> str:
    return bound(
        result.comparator, result.target_value, result.target_value_max, show=general, gap=""
    )


def _unit_text(unit: str, lang: str) -> str:
    text = label(f"unit.{unit}", lang)
    return text or label("axis.count", lang)


def _panel(ax, result, frame: pd.DataFrame, lang: str, size: str, title_width: int | None) -> None:
    """One target: P5–P95 band and median of the projection, the required path, the target line
    (a band for a range target) and the published figures."""
    f = fonts(size)
    lw = 2.0 if size == "slide" else 1.1
    frame = frame.sort_values("year")
    years = frame["year"].to_numpy(dtype=int)
    col = {
        c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float)
        for c in ("p5", "p50", "p95", "required", "observed")
    }
    ax.fill_between(years, col["p5"], col["p95"], color=BAND, alpha=0.22, lw=0, zorder=1)
    ax.plot(
        years, col["p50"], color=MEDIAN, lw=lw, marker="o", ms=3 if size == "slide" else 2, zorder=3
    )
    ax.plot(years, col["required"], color=REQUIRED, lw=lw * 0.8, ls="--", zorder=2)
    if result.comparator == "range" and result.target_value_max is not None:
        ax.axhspan(result.target_value, result.target_value_max, color=TARGET, alpha=0.12, lw=0)
    ax.axhline(result.target_value, color=TARGET, lw=lw * 0.8, ls=":", zorder=2)
    ax.annotate(
        _target_text(result), xy=(1, result.target_value), xycoords=("axes fraction", "data"),
        xytext=(-2, 3), textcoords="offset points", ha="right", va="bottom",
        fontsize=f["note"] * 0.85, color=TARGET,
    )  # fmt: skip
    seen = ~np.isnan(col["observed"])
    if seen.any():
        ax.scatter(
            years[seen],
            col["observed"][seen],
            color=OBSERVED,
            marker="D",
            s=30 if size == "slide" else 10,
            zorder=4,
        )
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years.min() - 0.3, years.max() + 0.3)
    top = np.nanmax(
        np.r_[
            col["p95"],
            col["required"],
            col["observed"],
            result.target_value_max or 0,
            result.target_value,
        ]
    )
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.xaxis.grid(False)
    ax.yaxis.grid(True)
    unit = _unit_text(result.unit, lang)
    upright = display_width(unit) <= 4  # a short unit (家, 万家, 亿元) reads better upright
    ax.set_ylabel(
        unit,
        fontsize=f["label"] * 0.85,
        rotation=0 if upright else 90,
        ha="right" if upright else "center",
        va="center",
    )
    if size != "slide":
        ax.tick_params(axis="x", labelsize=f["tick"] * 0.85)
    if title_width is not None:
        metric = data_text(getattr(result, f"metric_{lang}"), lang)
        p_met = _p_met(result, lang)
        if display_width(p_met) > title_width:
            p_met = p_met.replace(" · ", "\n")
        ax.set_title(
            wrap(metric, title_width, max_lines=2 if size == "slide" else 3) + "\n" + p_met,
            loc="left", fontsize=f["label"] * 0.85, fontweight="normal", linespacing=1.35,
        )  # fmt: skip


def _legend_handles(lang: str, size: str) -> list:
    lw = 2.0 if size == "slide" else 1.1
    return [
        Patch(color=BAND, alpha=0.22, label=label("legend.projection_band", lang)),
        Line2D(
            [],
            [],
            color=MEDIAN,
            lw=lw,
            marker="o",
            ms=3,
            label=label("legend.projection_median", lang),
        ),
        Line2D([], [], color=REQUIRED, lw=lw * 0.8, ls="--", label=label("legend.required", lang)),
        Line2D([], [], color=TARGET, lw=lw * 0.8, ls=":", label=label("legend.target", lang)),
        Line2D(
            [], [], color=OBSERVED, lw=0, marker="D", ms=5, label=label("legend.observed", lang)
        ),
    ]


def target_paths(
    targets,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    ids: list[str] | None = None,
    scenario: str | None = None,
) -> Figure:
    """Small multiples, one panel per headline target (``ids``: which, default every target with
    a projected path): the projected P5–P95 and median against the path the target requires, the
    target line and published figures, with P(met) and the status over each panel. ``scenario``:
    the scenario title for the foot line (default: looked up from the report's scenario name)."""
    lang = begin(lang)
    f = fonts(size)
    by_id = {r.id: r for r in targets.results}
    unknown = [i for i in (ids or []) if i not in by_id]
    if unknown:
        raise KeyError(f"no target {unknown} in the report")
    asked = list(ids) if ids is not None else headline_ids(targets)
    with_path = set(targets.paths["id"]) if len(targets.paths) else set()
    ids = [i for i in asked if i in with_path]
    without = [i for i in asked if i not in with_path]  # named in a note, not drawn
    if not ids:
        raise ValueError(
            f"no projected path for {asked}: only headline targets with a starting figure have one"
        )
    n = len(ids)
    ncols = min(4, n)
    nrows = math.ceil(n / ncols)
    fig, key_ax, axes = new_figure_with_key(size, nrows, ncols)
    panel_pt = fig.get_figwidth() * 72 / ncols - (70 if size == "slide" else 28)
    title_width = max(int(panel_pt / (f["label"] * 0.85 * 0.58)), 10)
    for ax, tid in zip(axes, ids, strict=False):
        _panel(ax, by_id[tid], targets.paths[targets.paths["id"] == tid], lang, size, title_width)
    for ax in axes[n:]:
        ax.set_visible(False)
    subtitle = label("subtitle.target_paths", lang)
    if without:
        names = [data_text(getattr(by_id[i], f"metric_{lang}"), lang) for i in without]
        subtitle += "\n" + label(
            "note.no_path", lang, names=label("list.separator", lang).join(names)
        )
    set_titles(fig, label("title.target_paths", lang), size, key_ax, subtitle)
    key_ax.legend(
        handles=_legend_handles(lang, size),
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncols=5,
        fontsize=f["legend"] * (1 if size == "slide" else 0.95),
        borderaxespad=0,
        columnspacing=1.5 if size == "slide" else 1.0,
    )
    return finish(fig, lang, _footer_scenario(targets, lang, scenario), as_of)


def target_path(
    targets,
    target_id: str,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    scenario: str | None = None,
) -> Figure:
    """One headline target alone: its metric as the title, P(met) and status as the subtitle."""
    lang = begin(lang)
    f = fonts(size)
    frame = targets.paths[targets.paths["id"] == target_id]
    if frame.empty:
        raise ValueError(f"no projected path for '{target_id}'")
    result = next(r for r in targets.results if r.id == target_id)
    fig, ax = new_figure(size)
    _panel(ax, result, frame, lang, size, None)
    ax.set_xlabel(label("axis.year", lang), fontsize=f["label"])
    ax.legend(handles=_legend_handles(lang, size), loc="upper left", fontsize=f["legend"])
    metric = data_text(getattr(result, f"metric_{lang}"), lang)
    width = 60 if size == "slide" else 44
    set_titles(fig, wrap(metric, width, max_lines=2), size, ax, _p_met(result, lang))
    return finish(fig, lang, _footer_scenario(targets, lang, scenario), as_of)


# --------------------------------------------------------------------------- consistency table


def _amount(v: float, unit: str, lang: str) -> str:
    return money_words(v, lang) if unit == "元" else number(v, 3)


def _span(lo, hi, unit: str, lang: str, floor: bool) -> str:
    """lo–hi in the row's unit; without an upper bound 'lo+' (``floor``: '≥ lo')."""
    if pd.isna(lo):
        return label("value.none", lang)
    if pd.isna(hi):
        return "≥ " + _amount(lo, unit, lang) if floor else _amount(lo, unit, lang) + "+"
    if lo == hi:
        return _amount(lo, unit, lang)
    return f"{_amount(lo, unit, lang)}–{_amount(hi, unit, lang)}"


def _implied(row, lang: str) -> str:
    return _span(row["implied_min"], row["implied_max"], row["unit"], lang, floor=False)


def _against(row, lang: str) -> str:
    return _span(row["against_min"], row["against_max"], row["unit"], lang, floor=True)


def _subject_names(targets, cost, lang: str) -> dict[str, str]:
    names = {r.id: getattr(r, f"metric_{lang}") for r in targets.results}
    if cost is not None:
        measures = cost.measures
        names.update(dict(zip(measures.index, measures[f"title_{lang}"], strict=True)))
    else:
        from ..inputs.catalog import load_catalog  # noqa: PLC0415

        for _, m in load_catalog().measures:
            names.setdefault(m.id, getattr(m, f"title_{lang}"))
    return names


def consistency_table(
    targets,
    lang: str = "zh",
    as_of: dt.date | str | None = None,
    size: str = "slide",
    cost=None,
    scenario: str | None = None,
) -> Figure:
    """The plans checked against themselves, as a table: what is checked, the kind of check, what
    the plans imply, what it is held against, and the verdict (shaded). ``cost``: a CostResult
    whose measure titles name the budget checks (default: the catalog's)."""
    lang = begin(lang)
    f = fonts(size)
    table = targets.consistency
    names = _subject_names(targets, cost, lang)
    columns = ["subject", "check", "implied", "against", "verdict"]
    shares = [0.34, 0.27, 0.15, 0.13, 0.11]
    fig, ax = new_figure(size)
    ax.set_axis_off()
    font = f["note"] * (0.92 if size == "slide" else 1.0)
    usable_pt = fig.get_figwidth() * 72 * 0.96
    widths = [max(int(s * usable_pt / (font * 0.5)) - 1, 8) for s in shares]

    def cell(text: str, width: int) -> str:
        return wrap(data_text(text, lang), width, max_lines=3)

    body = []
    for _, row in table.iterrows():
        body.append(
            [
                cell(
                    label("subject.fund", lang)
                    if row["check"] == "fund"
                    else names.get(row["subject"], row["subject"]),
                    widths[0],
                ),
                cell(label(f"check.{row['check']}", lang), widths[1]),
                cell(_implied(row, lang), widths[2]),
                cell(_against(row, lang), widths[3]),
                cell(label(f"verdict.{row['verdict']}", lang), widths[4]),
            ]
        )
    header = [cell(label(f"column.{c}", lang), w) for c, w in zip(columns, widths, strict=True)]
    t = ax.table(
        cellText=body or [[label("value.none", lang)] * len(columns)],
        colLabels=header,
        colWidths=shares,
        cellLoc="left",
        colLoc="left",
        bbox=[0, 0, 1, 1],
    )
    t.auto_set_font_size(False)
    t.set_fontsize(font)
    lines = [max(c.count("\n") + 1 for c in header)] + [
        max(c.count("\n") + 1 for c in r) for r in body
    ]
    for (r, c), cell_ in t.get_celld().items():
        cell_.set_height(lines[r] + 0.8 if r < len(lines) else 1.8)
        cell_.set_edgecolor("white")
        cell_.set_linewidth(1.5)
        cell_.PAD = 0.04
        if r == 0:
            cell_.set_facecolor("#dddddd")
        elif c == len(columns) - 1 and r - 1 < len(table):
            cell_.set_facecolor(VERDICT_FILL.get(table.iloc[r - 1]["verdict"], "white"))
        else:
            cell_.set_facecolor("#f5f5f5" if r % 2 == 0 else "white")
    set_titles(fig, label("title.consistency", lang), size, ax, label("subtitle.consistency", lang))
    return finish(fig, lang, _footer_scenario(targets, lang, scenario), as_of)


__all__ = ["consistency_table", "headline_ids", "target_path", "target_paths"]
