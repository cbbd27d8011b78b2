"""Tables as the notebooks and reports show them: amounts in 万元 with the unit in every money
header, Chinese headers by default and English with ``lang="en"``.

Text that comes from the data (titles, funds, sources, notes) is never trusted as markup: the
tables escape it, and every HTML output of a report passes through ``sanitize_html`` (called by
``reporting.to_html``) which keeps only table and text tags without links, scripts or event
attributes. Sheets and CSV files get the same care through ``neutralise_formula``.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pandas as pd

from ..formatting import bound, percent, quantity, rating, required, whole_or_hundredths
from ..units import yuan_to

# Headers of the report tables (the charts have their own table in charts/labels.py).
HEADERS: dict[str, tuple[str, str]] = {
    "doc": ("文件", "Document"),
    "clause": ("条款", "Clause"),
    "measure": ("措施", "Measure"),
    "id": ("编号", "Id"),
    "fund": ("资金来源", "Fund"),
    "level": ("政府层级", "Level of government"),
    "class": ("IMF 财政分类", "IMF class"),
    "static": ("静态成本（万元）", "Static cost (10k yuan)"),
    "behaviour": ("行为调整·取众数（万元）", "Behavioural adjustment, at mode (10k yuan)"),
    "at_mode": ("假设全取众数（万元）", "All assumptions at mode (10k yuan)"),
    "final": (
        "最终成本·中央估计＝期望值（万元）",
        "Final cost, central = expected, mean of the draws (10k yuan)",
    ),
    "p5": ("P5（万元）", "P5 (10k yuan)"),
    "p50": ("P50（万元）", "P50 (10k yuan)"),
    "p95": ("P95（万元）", "P95 (10k yuan)"),
    "y2020": ("2020年（万元）", "2020 (10k yuan)"),
    "y2021": ("2021年（万元）", "2021 (10k yuan)"),
    "y2022": ("2022年（万元）", "2022 (10k yuan)"),
    "rating": ("不确定性（数据/模型/行为→总体）", "Uncertainty (data/modelling/behaviour → final)"),
    "rating_reason": ("评级理由", "Reason for the rating"),
    "reason": ("未测算原因", "Why not costed"),
    "fact_value": ("数值", "Value"),
    "quote": ("原文", "Words of the text"),
    "total": ("合计", "Total"),
    "scenario": ("情景", "Scenario"),
    "diff": ("与中性情景之差（万元）", "Difference from central (10k yuan)"),
    "target": ("目标", "Target"),
    "target_value": ("目标值", "Target value"),
    "baseline": ("基期值", "Baseline"),
    "latest": ("最新值", "Latest"),
    "required": ("所需年均增速/增量", "Required growth a year"),
    "p_met": ("达成概率", "P(met)"),
    "status": ("状态", "Status"),
    "basis": ("依据", "Basis"),
    "check": ("核对", "Check"),
    "arithmetic": ("算式", "Arithmetic"),
    "verdict": ("结论", "Verdict"),
    "p_ex_ante": ("事前达成概率（规划起点）", "P(met) ex ante (plan start)"),
    "outcome": ("截止后结论", "Verdict after the deadline"),
    "outcome_basis": ("结论依据", "Verdict basis"),
    "fails_if": ("何种情况为不一致", "Inconsistent if"),
    "serves": ("服务的总目标", "Serves headline"),
    "evidence": ("结论所据数据", "Figure the verdict rests on"),
    "note": ("说明", "Note"),
}

# Base samples of the Sobol chart on the report pages: 512 x (assumptions + 2) costings, under a
# second on the 2-core machine; confidence half-widths of the top indices about 0.05 at this size
# (`jnpolicy sensitivity --samples 4096` for tighter ones).
REPORT_SOBOL_SAMPLES = 512

ASSUMED_NOTE = ("（假设推算）", " (assumptions imply)")

ROWS: dict[str, tuple[str, str]] = {
    "A": ("A类：支出与减收（成本）", "Class A: spending and forgone revenue (the cost)"),
    "B": ("B类：线下（贷款、股权）", "Class B: below the line (loans, equity)"),
    "C": ("C类：担保的预期损失（单列）", "Class C: expected cost of guarantees (shown apart)"),
    "D": ("D类：缓缴金额（单列）", "Class D: amounts deferred (shown apart)"),
    "year": ("A类 {year}年", "Class A in {year}"),
}


def h(key: str, lang: str) -> str:
    zh, en = HEADERS[key]
    return zh if lang == "zh" else en


def wan(yuan) -> float:
    return yuan_to(float(yuan), "万元")


def _title(row, lang: str) -> str:
    return row["title_zh"] if lang == "zh" else row["title_en"]


def labelled(namespace: str, value, lang: str) -> str:
    """``value`` through the charts' label table (``namespace.value``), or as it is when the table
    has no entry for it."""
    from ..charts.labels import has_label, label

    key = f"{namespace}.{value}"
    return label(key, lang) if has_label(key) else str(value)


def unit_in(unit: str, lang: str) -> str:
    """A unit as printed in ``lang``: as the data has it in Chinese, its label in English
    ('家' -> 'firms', '个' -> no unit)."""
    return unit if lang == "zh" or not isinstance(unit, str) else labelled("unit", unit, lang)


def _required(growth, per_year, unit: str, lang: str) -> str:
    """What a target requires a year, as the report tables print it, in ``lang``."""
    text = required(growth, per_year, unit, table=True)
    tail = f" {unit}/年"
    if lang == "zh" or not text.endswith(tail):
        return text
    en = unit_in(unit, lang)
    return text[: -len(tail)] + (f" {en} a year" if en else " a year")


def doc_measures(cost, doc: str) -> list[str]:
    """Ids of the costed measures of document ``doc``."""
    return list(cost.costed.index[cost.costed["doc"] == doc])


def doc_targets(targets, doc: str, kind: str = "headline") -> list[str]:
    """Ids of the targets of document ``doc`` (headline by default)."""
    t = targets.targets
    return list(t.loc[(t["doc"] == doc) & (t["kind"] == kind), "id"])


def _quantile(cost, yuan) -> float:
    """A P5/P50/P95 in 万元, or NaN (shown "–") for a stress case, which is a point."""
    return float("nan") if getattr(cost, "stress_case", False) else wan(yuan)


def measure_costs(cost, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    """One row per costed measure (of ``doc``, or all), largest first, amounts in 万元."""
    m = cost.costed
    if doc:
        m = m[m["doc"] == doc]
    m = m.sort_values("central", ascending=False)
    rows = []
    for mid, r in m.iterrows():
        rows.append(
            {
                h("clause", lang): r["clause"],
                h("measure", lang): _title(r, lang),
                h("id", lang): mid,
                h("fund", lang): r["funding_source"],
                h("class", lang): r["fiscal_class"],
                h("static", lang): wan(r["static"]),
                h("behaviour", lang): wan(r["at_mode"] - r["static"]),
                h("at_mode", lang): wan(r["at_mode"]),
                h("final", lang): wan(r["central"]),
                # a stress case is a point: no P5-P95 of its own (its draws are not shown)
                **{h(q, lang): _quantile(cost, r[q]) for q in ("p5", "p50", "p95")},
                h("y2020", lang): wan(r["y2020"]),
                h("y2021", lang): wan(r["y2021"]),
                h("y2022", lang): wan(r["y2022"]),
                h("rating", lang): rating(
                    *(r[f"rating_{k}"] for k in ("data", "modelling", "behaviour", "final"))
                ),
                h("rating_reason", lang): r["rating_reason"],
            }
        )
    return pd.DataFrame(rows)


# a table whose largest amount is at least this (元) shows 亿元 to two decimals, else 万元 whole
YI_FROM = 1e8
# the measure table on the report pages, each row one line at 1300 px: the numbers right-aligned
# and never wrapped, the rating's reason folded under the rating (a native <details>, no script)
# ".jnp-measures-box table" outranks the page's ":not(.x).jp-RenderedHTMLCommon td" rules
_T = ".jnp-measures-box table.jnp-measures"
MEASURE_CSS = (
    ".jnp-measures-box{overflow-x:auto;max-width:100%}"
    f"{_T}{{border-collapse:collapse;font-size:13px;margin:.4em 0;table-layout:auto}}"
    f"{_T} th,{_T} td{{padding:3px 7px;border:none;border-bottom:1px solid #e3e3e3;"
    "text-align:left;vertical-align:top}"
    f"{_T} th{{background:#f4f6f8;white-space:nowrap}}"
    f"{_T} th.n,{_T} td.n{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}}"
    f"{_T} td.t{{min-width:12em;max-width:28em}}"
    f"{_T} td.r{{white-space:nowrap}}"
    f"{_T} details{{max-width:26em;white-space:normal}}"
    f"{_T} summary{{cursor:pointer;white-space:nowrap}}"
    f"{_T} details p{{margin:.3em 0;color:#444;font-size:12px;text-align:left}}"
)
MEASURE_WORDS = {
    "caption": (
        "金额单位：{unit}；中央估计为蒙特卡洛抽样的均值，区间为同一抽样的 P5–P95；"
        "评级为数据/模型/行为→总体，点击可展开评级理由。各项明细（静态成本、行为调整、编号、资金来源）见本页表格文件。",
        "Amounts in {unit}; the central is the mean of the Monte Carlo draws, the range P5–P95 of "
        "the same draws; the rating is data/modelling/behaviour → final, click it for its reason. "
        "The full table (static cost, behavioural "
        "adjustment, id, fund) is in this page's table files.",
    ),
    "central": ("中央估计", "Central"),
    "class": ("类", "Class"),
    "years": ("各年中央估计", "Central by year"),
    "rating": ("不确定性评级", "Uncertainty"),
}


def money_unit(values) -> tuple[str, int]:
    """The unit a table of amounts (元) is shown in, and its decimals: 亿元 to two decimals when
    its largest amount is at least 1亿元, else 万元 whole."""
    largest = max((abs(float(v)) for v in values if pd.notna(v)), default=0.0)
    return ("亿元", 2) if largest >= YI_FROM else ("万元", 0)


def measure_table_html(cost, lang: str = "zh", doc: str | None = None) -> str:
    """The measure table of a report page as HTML, one line a row: clause, measure, IMF class,
    central, P5, P95 and each year's central in 亿元 (two decimals) or, for a document of small
    amounts, 万元, the unit in every money header; the uncertainty rating with its reason folded
    under it (``<details>``, opened by a click). Every text from the data is escaped."""
    esc = html.escape
    m = cost.costed
    if doc:
        m = m[m["doc"] == doc]
    m = m.sort_values("central", ascending=False)
    unit, decimals = money_unit(m["central"]) if len(m) else ("万元", 0)
    shown = unit  # 亿元 and 万元 are named as they are in English too, as everywhere

    def money(v) -> str:
        if pd.isna(v):
            return "–"
        return f"{yuan_to(float(v), unit):,.{decimals}f}"

    def head(key: str) -> str:
        return f"{key}（{shown}）" if lang == "zh" else f"{key} ({shown})"

    years = [c for c in ("y2020", "y2021", "y2022") if c in m.columns]
    i = 0 if lang == "zh" else 1
    # two header rows: the years under one header that names their unit
    two = ' rowspan="2"' if years else ""
    heads = (
        [f"<th{two}>{esc(h('clause', lang))}</th>", f"<th{two}>{esc(h('measure', lang))}</th>"]
        + [f"<th{two}>{esc(MEASURE_WORDS['class'][i])}</th>"]
        + [
            f'<th class="n"{two}>{esc(head(k))}</th>'
            for k in (MEASURE_WORDS["central"][i], "P5", "P95")
        ]
        + (
            [f'<th class="n" colspan="{len(years)}">{esc(head(MEASURE_WORDS["years"][i]))}</th>']
            if years
            else []
        )
        + [f"<th{two}>{esc(MEASURE_WORDS['rating'][i])}</th>"]
    )
    year_heads = "".join(
        f'<th class="n">{esc(y[1:] + ("年" if lang == "zh" else ""))}</th>' for y in years
    )
    stress = getattr(cost, "stress_case", False)
    rows = []
    for _mid, r in m.iterrows():
        grade = rating(*(r[f"rating_{k}"] for k in ("data", "modelling", "behaviour", "final")))
        reason = r.get("rating_reason")
        detail = (
            f"<details><summary>{esc(grade)}</summary><p>{esc(str(reason))}</p></details>"
            if isinstance(reason, str) and reason.strip()
            else esc(grade)
        )
        spread = ["–", "–"] if stress else [money(r["p5"]), money(r["p95"])]
        cells = (
            [f"<td>{esc(str(r['clause']))}</td>", f'<td class="t">{esc(_title(r, lang))}</td>']
            + [f"<td>{esc(str(r['fiscal_class']))}</td>"]
            + [f'<td class="n"><b>{money(r["central"])}</b></td>']
            + [f'<td class="n">{v}</td>' for v in spread]
            + [f'<td class="n">{money(r[y])}</td>' for y in years]
            + [f'<td class="r">{detail}</td>']
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = MEASURE_WORDS["caption"][i].format(unit=shown)
    return (
        f"<style>{MEASURE_CSS}</style>"
        f'<div class="jnp-measures-box"><table class="jnp-measures">'
        f"<thead><tr>{''.join(heads)}</tr>"
        + (f"<tr>{year_heads}</tr>" if years else "")
        + f"</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p><small>{esc(caption)}</small></p></div>"
    )


def totals(cost, lang: str = "zh") -> pd.DataFrame:
    """Class A cost, then C and D apart, then class A by year: central and P5/P50/P95 in 万元."""
    t = cost.totals()
    rows = []
    for cls, stats in t["by_fiscal_class"].items():
        rows.append((ROWS[cls][0 if lang == "zh" else 1], stats))
    for year, stats in t["by_year"].items():
        rows.append((ROWS["year"][0 if lang == "zh" else 1].format(year=year), stats))
    return pd.DataFrame(
        [
            {
                h("total", lang): name,
                h("final", lang): wan(s["central"]),
                **{h(q, lang): _quantile(cost, s[q]) for q in ("p5", "p50", "p95")},
            }
            for name, s in rows
        ]
    )


def by_fund(cost, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    """Class A central cost by fund and year (万元), of ``doc`` or all."""
    monthly = cost.monthly[cost.monthly["fiscal_class"] == "A"]
    if doc:
        monthly = monthly[monthly["doc"] == doc]
    pivot = monthly.pivot_table(
        index="funding_source", columns="year", values="central", aggfunc="sum", fill_value=0.0
    )
    pivot["total"] = pivot.sum(axis=1)
    pivot = pivot.sort_values("total", ascending=False)
    out = pd.DataFrame({h("fund", lang): pivot.index})
    for year in [c for c in pivot.columns if c != "total"]:
        out[h(f"y{year}", lang)] = [wan(v) for v in pivot[year]]
    out[f"{h('total', lang)}（万元）" if lang == "zh" else f"{h('total', lang)} (10k yuan)"] = [
        wan(v) for v in pivot["total"]
    ]
    return out


def not_costed(cost, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    n = cost.not_costed
    if doc:
        n = n[n["doc"] == doc]
    return pd.DataFrame(
        {
            h("doc", lang): n["doc"].to_numpy(),
            h("clause", lang): n["clause"].to_numpy(),
            h("id", lang): list(n.index),
            h("reason", lang): n["reason"].to_numpy(),
        }
    )


def _value(comparator: str, value: float, value_max, unit: str) -> str:
    """A target's value as the tables print it: '>= 50 家', '1–2 个'."""
    return bound(comparator, value, value_max, unit, show=whole_or_hundredths, symbol=False)


def _percent(p, assumed, lang: str) -> str:
    if pd.isna(p):
        return "–"
    note = ASSUMED_NOTE[0 if lang == "zh" else 1] if isinstance(assumed, str) and assumed else ""
    return f"{percent(p)}{note}"


def _outcome(r, lang: str) -> tuple[str, str]:
    if not isinstance(r.get("verdict"), str):
        return "–", "–"
    basis = r.get("verdict_basis")
    return (
        labelled("outcome", r["verdict"], lang),
        labelled("basis", basis, lang) if isinstance(basis, str) else "–",
    )


def target_table(
    targets, lang: str = "zh", doc: str | None = None, kind: str | None = "headline"
) -> pd.DataFrame:
    """Each target: value, baseline, latest, required growth, P(met) ex ante and now, status, and
    the verdict after the deadline with its basis. A P(met) that rests on an assumption is marked
    as what the assumptions imply. ``kind="annual"``: the commitments year by year
    (``commitment_table``)."""
    if kind == "annual":
        return commitment_table(targets, lang, doc)
    t = targets.targets
    if doc:
        t = t[t["doc"] == doc]
    if kind:
        t = t[t["kind"] == kind]
    rows = []
    for _, r in t.iterrows():
        unit = unit_in(r["unit"], lang)
        value = _value(r["comparator"], r["target_value"], r["target_value_max"], unit)
        need = _required(
            r.get("required_annual_growth"), r.get("required_per_year"), r["unit"], lang
        )
        baseline = quantity(r["baseline_value"], unit)
        if pd.notna(r.get("baseline_year")):
            baseline += f" ({int(r['baseline_year'])})"
        latest = quantity(r["latest_value"], unit)
        if pd.notna(r.get("latest_year")):
            latest += f" ({int(r['latest_year'])})"
        status = labelled("status", r["status"], lang)
        ex_ante_assumed = r.get("ex_ante_label") == "what the assumptions imply"
        outcome, outcome_basis = _outcome(r, lang)
        rows.append(
            {
                h("clause", lang): r["clause"],
                h("target", lang): targets_metric(targets, r["id"], lang),
                h("target_value", lang): value,
                h("baseline", lang): baseline,
                h("latest", lang): latest,
                h("required", lang): need,
                h("p_ex_ante", lang): _percent(
                    r.get("ex_ante_probability"), "yes" if ex_ante_assumed else "", lang
                ),
                h("p_met", lang): _percent(r["probability_met"], r.get("probability_label"), lang),
                h("status", lang): status,
                h("basis", lang): labelled("basis", r["basis"], lang),
                h("outcome", lang): outcome,
                h("outcome_basis", lang): outcome_basis,
            }
        )
    return pd.DataFrame(rows)


def verdict_table(targets, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    """Each headline target after its deadline: the verdict (met / not met / cannot tell), what it
    rests on (observed or proxy figures only), the figure itself, and beside it the ex-ante view:
    P(met) as at the plan's start (marked when the start is an assumption)."""
    rows = []
    for res in targets.results:
        if res.kind != "headline" or (doc and res.doc != doc):
            continue
        outcome, outcome_basis = _outcome(
            {"verdict": res.verdict, "verdict_basis": res.verdict_basis}, lang
        )
        e = res.ex_ante or {}
        assumed = "yes" if e.get("label") == "what the assumptions imply" else ""
        rows.append(
            {
                h("clause", lang): res.clause,
                h("target", lang): res.metric_zh if lang == "zh" else res.metric_en,
                h("outcome", lang): outcome,
                h("outcome_basis", lang): outcome_basis,
                h("evidence", lang): res.verdict_evidence or "–",
                h("p_ex_ante", lang): _percent(e.get("probability", float("nan")), assumed, lang),
                h("required", lang): _required(
                    res.required_annual_growth, res.required_per_year, res.unit, lang
                ),
            }
        )
    return pd.DataFrame(rows)


def commitment_table(targets, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    """Each annual commitment year by year (the figure and met / missed / no data), its status,
    its verdict after the deadline, and the headline it serves."""
    rows = []
    for res in targets.results:
        if res.kind != "annual" or (doc and res.doc != doc):
            continue
        value = _value(
            res.comparator, res.target_value, res.target_value_max, unit_in(res.unit, lang)
        )
        row = {
            h("clause", lang): res.clause,
            h("target", lang): res.metric_zh if lang == "zh" else res.metric_en,
            h("target_value", lang): value,
        }
        for year, y in res.years.items():
            figure = "" if y["observed"] is None else f"{y['observed']:,.0f} "
            row[f"{year}年" if lang == "zh" else year] = figure + labelled(
                "year", y["status"], lang
            )
        outcome, outcome_basis = _outcome(
            {"verdict": res.verdict, "verdict_basis": res.verdict_basis}, lang
        )
        row[h("status", lang)] = labelled("status", res.status, lang)
        row[h("outcome", lang)] = outcome
        row[h("outcome_basis", lang)] = outcome_basis
        row[h("serves", lang)] = (
            "、".join(targets_metric(targets, s, lang) for s in res.serves) or "–"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def targets_metric(targets, target_id: str, lang: str) -> str:
    res = targets.result(target_id)
    return res.metric_zh if lang == "zh" else res.metric_en


def consistency(targets, lang: str = "zh", doc: str | None = None) -> pd.DataFrame:
    c = targets.consistency
    if doc:
        ids = set(targets.targets.loc[targets.targets["doc"] == doc, "id"])
        c = c[c["subject"].isin(ids) | c["check"].isin(["fund"])]
    return pd.DataFrame(
        {
            h("check", lang): [labelled("check", v, lang) for v in c["check"]],
            h("target", lang): c["subject"].to_numpy(),
            h("arithmetic", lang): c["arithmetic"].to_numpy(),
            h("verdict", lang): [labelled("verdict", v, lang) for v in c["verdict"]],
            h("fails_if", lang): c["fails_if"].to_numpy(),
        }
    )


STRESS_LABEL = ("压力情景", "stress case")
STRESS_NOTE = (
    "压力情景：全部假设同时取{bound}，是一个点而非分布，无自身P5–P95；{side}中性情景的{q}（{edge}），"
    "因为各假设独立抽样，几乎不会同时取到{bound}。",
    "Stress case: every assumption at its {bound} bound at once, a point with no P5–P95 of its own; "
    "it lies {side} the central scenario's {q} ({edge}) because independent draws almost "
    "never put every assumption at its bound together.",
)


def stress_title(title: str, lang: str = "zh") -> str:
    """A stress case's title, labelled as one (unless its title already says so)."""
    label = STRESS_LABEL[0 if lang == "zh" else 1]
    if label in title.lower():
        return title
    return f"{title}（{label}）" if lang == "zh" else f"{title} ({label})"


def central_of(costs: list) -> dict | None:
    """The class-A totals of the central scenario among ``costs`` (None when it is not run): what
    a stress case is held against."""
    return next((c.totals()["cost"] for c in costs if c.scenario.name == "central"), None)


def stress_note(cost, central_totals: dict | None, lang: str = "zh", unit: str = "万元") -> str:
    """The one line on why a stress case lies outside the central scenario's P5–P95 ("" for a
    scenario that is not a stress case, or when the central scenario's totals are not given);
    the edge it is held against in ``unit`` (万元 whole, as the notebooks' tables, or 亿元 to two
    decimals, as the front page)."""
    if not cost.stress_case or central_totals is None:
        return ""
    point = cost.totals()["cost"]["central"]
    low = cost.scenario.point == "low"
    bound = ("下限", "low") if low else ("上限", "high")
    q = "P5" if point < central_totals["p5"] else "P95" if point > central_totals["p95"] else None
    if q is None:  # inside the range: say so rather than claim it lies outside
        return (
            f"压力情景：全部假设同时取{bound[0]}，是一个点而非分布；落在中性情景的P5–P95之内。"
            if lang == "zh"
            else f"Stress case: every assumption at its {bound[1]} bound at once, a point; it lies "
            "within the central scenario's P5–P95."
        )
    side = ("低于", "below") if q == "P5" else ("高于", "above")
    value = central_totals["p5" if q == "P5" else "p95"]
    edge = f"{yuan_to(value, unit):,.2f}" if unit == "亿元" else f"{wan(value):,.0f}"
    edge = f"{edge}{unit}" if lang == "zh" else f"{edge} {unit}"
    i = 0 if lang == "zh" else 1
    return STRESS_NOTE[i].format(bound=bound[i], side=side[i], q=q, edge=edge)


def scenario_overview(costs: list, lang: str = "zh") -> pd.DataFrame:
    """Every scenario side by side: class A total (central, P5, P95) and the difference from the
    first scenario given (central), in 万元. A stress case is labelled, shows its point alone
    (no P5–P95 of its own) and a line on why it lies outside the central scenario's P5–P95."""
    base = costs[0].totals()["cost"]["central"]
    central = central_of(costs)
    rows = []
    for c in costs:
        t = c.totals()["cost"]
        sc = c.scenario
        title = sc.title_zh if lang == "zh" else sc.title_en
        if c.stress_case:
            title = stress_title(title, lang)
        rows.append(
            {
                h("scenario", lang): title,
                h("id", lang): sc.name,
                h("final", lang): wan(t["central"]),
                h("p5", lang): float("nan") if c.stress_case else wan(t["p5"]),
                h("p95", lang): float("nan") if c.stress_case else wan(t["p95"]),
                h("diff", lang): wan(t["central"] - base),
                h("note", lang): stress_note(c, central, lang),
            }
        )
    return pd.DataFrame(rows)


def scenario_header(scenario, lang: str, as_of: str) -> str:
    """The scenario's title, description and settings as HTML; every text from the data is escaped."""
    esc = html.escape
    title = scenario.title_zh if lang == "zh" else scenario.title_en
    zh_point, en_point = POINTS.get(scenario.point, (scenario.point, scenario.point))
    settings = (
        f"蒙特卡洛 {scenario.draws:,} 次抽样，随机种子 {scenario.seed}；假设取{zh_point}；日期 {as_of}"
        if lang == "zh"
        else f"{scenario.draws:,} Monte Carlo draws, seed {scenario.seed}; assumptions at their {en_point}; as of {as_of}"
    )
    # the description as the data has it, shown when it is in the page's language
    description = scenario.description or ""
    wide = any(ord(ch) > 0x2E7F for ch in description)
    shown = description and (wide if lang == "zh" else not wide)
    return (
        f"<h2>{esc(title)} <code>{esc(scenario.name)}</code></h2>"
        + (f"<p>{esc(description)}</p>" if shown else "")
        + f"<p><small>{esc(settings)}</small></p>"
    )


# a scenario's point as the pages name it
POINTS = {
    "central": ("中央值", "central values"),
    "low": ("下限", "low bounds"),
    "high": ("上限", "high bounds"),
}


# --------------------------------------------------------------------------- the rendering edge

SAFE_TAGS = frozenset(
    "table thead tbody tfoot tr th td caption colgroup col h1 h2 h3 h4 h5 h6 p small code div "
    "span br ul ol li b i em strong pre style details summary".split()
)
SAFE_ATTRIBUTES = frozenset({"id", "class", "colspan", "rowspan", "scope", "type"})
VOID_TAGS = frozenset({"br", "col"})


class _Sanitizer(HTMLParser):
    """Rebuilds an HTML fragment keeping only ``SAFE_TAGS`` with ``SAFE_ATTRIBUTES``; any other
    tag is shown as text (escaped), comments and processing instructions are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        kept = "".join(
            f' {name}="{html.escape(value or "")}"'
            for name, value in attrs
            if name in SAFE_ATTRIBUTES
        )
        self.out.append(f"<{tag}{kept}>")
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag):
        if tag in SAFE_TAGS and tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")
        elif tag not in SAFE_TAGS:
            self.out.append(html.escape(f"</{tag}>"))
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            # CSS of the table styler; anything that could end the element or load a URL goes
            if "<" not in data and "url(" not in data.lower() and "@import" not in data.lower():
                self.out.append(data)
            return
        self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name):
        self.out.append(f"&{name};" if name.isalnum() else html.escape(f"&{name}"))

    def handle_charref(self, name):
        self.out.append(f"&#{name};" if name.lstrip("xX").isalnum() else html.escape(f"&#{name}"))

    def unknown_decl(self, data):
        self.out.append(html.escape(f"<![{data}]>"))


def sanitize_html(fragment: str) -> str:
    """``fragment`` with every tag outside a small set of table and text tags shown as text, and
    every attribute but id, class, colspan, rowspan, scope and type removed: no script, link,
    image, frame, form or event handler survives."""
    parser = _Sanitizer()
    parser.feed(fragment)
    parser.close()
    rest = parser.rawdata if hasattr(parser, "rawdata") else ""
    return "".join(parser.out) + html.escape(rest)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that a spreadsheet would take for a formula (it begins with =, +, -, @, a tab or
    a carriage return) prefixed with a single quote, as OWASP advises for CSV; other values as
    they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --------------------------------------------------------------------------- a document's chapter


def document_heading(document, lang: str = "zh") -> str:
    """The heading of a document's chapter (``notebooks/06_document``): its number, title, issuer
    and date, escaped for HTML (the words come from the data)."""
    title = document.title_zh if lang == "zh" else document.title_en or document.title_zh
    issued = f"{document.issuer} · {document.issued.isoformat()}"
    return f"<h2>{html.escape(document.doc)} {html.escape(title)}</h2><p>{html.escape(issued)}</p>"


def document_facts(document, lang: str = "zh") -> pd.DataFrame:
    """The numbers of a document that are neither costed nor targets (its ``facts:``)."""
    rows = [
        {
            h("clause", lang): f.clause,
            h("id", lang): f.id,
            h("fact_value", lang): f"{whole_or_hundredths(f.value)} {f.unit}",
            h("quote", lang): f.quote,
        }
        for f in document.facts
    ]
    columns = [h(k, lang) for k in ("clause", "id", "fact_value", "quote")]
    return pd.DataFrame(rows, columns=columns)
