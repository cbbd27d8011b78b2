"""The briefing pack for a director: ``briefing.pdf`` (A4) and ``briefing.pptx`` (16:9 slides).

    from jnpolicy_analysis.publish.brief import write_briefing
    pack = write_briefing("central", out_dir="out/", lang="zh", as_of="2020-06-30")

Both are made offline from the costing and the target tracking of one scenario:

- **PDF**: A4 portrait pages drawn with matplotlib's PDF backend. Text stays text and the font
  (Noto Sans CJK SC, from the package's noto-cjk-sans-otc) is embedded as a subset, so the Chinese
  shows and can be searched and copied on any machine. The charts are the house charts at
  half-A4 size, placed as vector drawings (pypdf puts two on a page).
- **PPTX** (``deck``): python-pptx slides an analyst can edit: title, headline numbers, one key
  figure per slide with its source line, scenario and date, the targets' statuses, methods and
  caveats. Every title, number, table and caveat is real text in text frames and tables, its
  East Asian typeface named (Microsoft YaHei, with the fallbacks ``deck.EA_FALLBACKS``); the
  figures are pictures with alt text.

Amounts are shown in 亿元 (10^8 元) with the unit named; class A (spending and forgone revenue) is
the cost, guarantees (C) and deferrals (D) are shown apart.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..errors import DataError
from ..formatting import amount

PDF_NAME = "briefing.pdf"
PPTX_NAME = "briefing.pptx"
A4 = (8.27, 11.69)  # inches, portrait
SLIDE = (40 / 3, 7.5)  # inches, 16:9
UNIT = "亿元"
PNG_DPI = 150  # slide pictures: 2000 px across a 13.3 in slide

# (chart function, file stem, what it takes) in the order the pack shows them
KEY_FIGURES = [
    ("cost_by_document", "cost"),
    ("cost_fan", "cost"),
    ("monthly_by_fund", "cost"),
    ("cost_by_measure", "cost"),
    ("target_paths", "targets"),
]

TEXT = {
    "title": (
        "济南市2020年稳就业、平台经济与工业互联网政策：成本与目标简报",
        "Jinan's 2020 employment, platform-economy and industrial-internet policies: cost and targets",
    ),
    "scenario": ("情景", "Scenario"),
    "as_of": ("日期", "As of"),
    "headline": ("主要数字", "Headline numbers"),
    "cost_line": (
        "A类成本（支出与减收）中央估计 {central} {unit}，P5–P95 区间 {p5}–{p95} {unit}",
        "Class A cost (spending and forgone revenue), central {central} {unit}; P5–P95 {p5}–{p95} {unit}",
    ),
    "cost_line_stress": (
        "A类成本（支出与减收）{central} {unit}（压力情景：一个点，无P5–P95）",
        "Class A cost (spending and forgone revenue) {central} {unit} (stress case: a point, no P5–P95)",
    ),
    "by_class": ("按财政分类与年份（{unit}）", "By IMF class and year ({unit})"),
    "by_fund": ("A类按资金来源（{unit}）", "Class A by fund ({unit})"),
    "who_pays": (
        "谁来支付：A类总额、自主决定部分、市级承担与体制外（{unit}）",
        "Who pays: class A gross, discretionary, municipal share and outside the perimeter ({unit})",
    ),
    "gross": (
        "A类成本总额（较2020年前政策的变化）",
        "Class A gross cost (change against pre-2020 policy)",
    ),
    "discretionary": ("其中济南自主决定部分", "of which Jinan's own decisions (discretionary)"),
    "municipal": ("其中市级承担", "of which borne at municipal level"),
    "city_general": (
        "　其中市本级一般公共预算",
        "  of which the city's general public budget",
    ),
    "city_pooled": (
        "　其中市级统筹的社会保险基金",
        "  of which the social-insurance funds the city pools",
    ),
    "district": ("其中区县承担", "of which borne by districts and counties"),
    "restated": (
        "另列：重申国家政策（不计入自主决定部分）",
        "Beside it: national policy restated (not in the discretionary part)",
    ),
    "outside": (
        "体制外资金（住房公积金等，不计入成本）",
        "Outside general government (housing fund; not added)",
    ),
    "share_of_gross": ("占总额", "Share of gross"),
    "targets": ("目标状态", "The targets' statuses"),
    "methods": ("方法与注意事项", "Methods and caveats"),
    "figure": ("图", "Figure"),
    "source": (
        "来源：{source}；情景：{scenario}；日期：{as_of}",
        "Source: {source}; scenario: {scenario}; as of {as_of}",
    ),
    "row": ("项目", "Item"),
    "central": ("中央估计", "Central"),
    "fund": ("资金来源", "Fund"),
    "total": ("合计", "Total"),
    "contents": (
        "内容：主要数字、{n} 幅主要图表、目标状态、方法与注意事项。",
        "Contents: headline numbers, {n} key figures, the targets' statuses, methods and caveats.",
    ),
    "made": (
        "由 jnpolicy_analysis {version} 离线生成",
        "Made offline by jnpolicy_analysis {version}",
    ),
}

METHODS = {
    "zh": [
        "成本口径：A类（支出与减收）为成本；C类（担保的预期损失）与D类（缓缴金额）单列，不计入成本。",
        "中央估计：每项假设取情景的{point}；区间：蒙特卡洛 {draws:,} 次抽样（随机种子 {seed}）的 P5–P95。",
        "行为调整：静态成本乘以领取率，并计入行为反应；无谓损失单独报告。",
        "时间范围：2020年1月至2022年12月，按月计算后按年汇总。",
        "未测算：{not_costed} 项条款或措施没有可测算的数字（理由见报告“未测算的条款”）。",
        "目标状态规则：{status_rule}",
        "假设是带区间、来源与质量等级的估计，不是预测；政策变体见各情景说明。",
        "金额单位：亿元（1 亿元 = 10^8 元）；报告表格为万元。",
    ],
    "en": [
        "What counts as cost: class A (spending and forgone revenue); class C (expected cost of guarantees) and class D (amounts deferred) are shown apart and not added.",
        "Central estimate: every assumption at the scenario's {point}; range: P5–P95 of {draws:,} Monte Carlo draws (seed {seed}).",
        "Behaviour: the static cost times take-up, with the behavioural response; deadweight is reported apart.",
        "Period: January 2020 to December 2022, costed by month and summed by year.",
        "Not costed: {not_costed} provisions or measures print no number that can be costed (the report's 'Provisions not costed' says why).",
        "Target status rule: {status_rule}",
        "Assumptions are estimates with a range, a source and a quality grade, not forecasts; policy variants are described with each scenario.",
        "Amounts in 亿元 (100 million yuan, 10^8 元); the report's tables use 万元 (10,000 yuan).",
    ],
}

# a scenario's point, as the methods line names it
POINT = {
    "central": ("中央值", "central value"),
    "low": ("下限", "low bound"),
    "high": ("上限", "high bound"),
}


def t(key: str, lang: str, **kw) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**kw)


def has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


@dataclass
class BriefingPack:
    pdf: Path
    pptx: Path


@dataclass
class KeyFigure:
    """A key figure as a vector PDF page (for the A4 pages) and a PNG (for the slides)."""

    name: str
    title: str
    pdf: bytes
    png: bytes

    @classmethod
    def drawn(cls, name: str, fig: Figure) -> KeyFigure:
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        return cls(name, title or name, _pdf_bytes(fig), _figure_png(fig))

    @classmethod
    def from_files(cls, name: str, stem: Path) -> KeyFigure | None:
        """The figure a notebook of the run exported (``stem``.pdf and .png), or None."""
        pdf, png = stem.with_suffix(".pdf"), stem.with_suffix(".png")
        if not (pdf.is_file() and png.is_file()):
            return None
        from ..charts.labels import has_label, label

        key = f"title.{name}"
        title = label(key, "zh") + " · " + label(key, "en") if has_label(key) else name
        return cls(name, title, pdf.read_bytes(), png.read_bytes())


@dataclass
class _Content:
    """What both documents show, worked out once."""

    lang: str
    as_of: str
    scenario_title: str
    scenario_name: str
    cost_line: str
    class_table: pd.DataFrame
    fund_table: pd.DataFrame
    target_table: pd.DataFrame
    figures: list[KeyFigure]
    source: str
    methods: list[str]
    version: str
    who_pays_table: pd.DataFrame | None = None

    def caption(self) -> str:
        return t(
            "source", self.lang, source=self.source, scenario=self.scenario_title, as_of=self.as_of
        )


# --------------------------------------------------------------------------- content


def _spread(cost, value: float) -> str:
    """A P5 or P95 cell in 亿元; "–" in a stress case, which is a point with no P5–P95 of its own."""
    return "–" if cost.stress_case else amount(value, UNIT, 2)


def _tables(cost, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .presentation import ROWS, labelled

    totals = cost.totals()
    rows = []
    for cls, s in totals["by_fiscal_class"].items():
        rows.append([ROWS[cls][0 if lang == "zh" else 1], s])
    for year, s in totals["by_year"].items():
        rows.append([ROWS["year"][0 if lang == "zh" else 1].format(year=year), s])
    class_table = pd.DataFrame(
        [
            {
                t("row", lang): name,
                f"{t('central', lang)}（{UNIT}）" if lang == "zh" else f"Central ({UNIT})": amount(
                    s["central"], UNIT, 2
                ),
                f"P5（{UNIT}）" if lang == "zh" else f"P5 ({UNIT})": _spread(cost, s["p5"]),
                f"P95（{UNIT}）" if lang == "zh" else f"P95 ({UNIT})": _spread(cost, s["p95"]),
            }
            for name, s in rows
        ]
    )
    fund_table = pd.DataFrame(
        [
            {
                t("fund", lang): labelled("fund", fund, lang),
                f"{t('central', lang)}（{UNIT}）" if lang == "zh" else f"Central ({UNIT})": amount(
                    s["central"], UNIT, 2
                ),
                f"P5（{UNIT}）" if lang == "zh" else f"P5 ({UNIT})": _spread(cost, s["p5"]),
                f"P95（{UNIT}）" if lang == "zh" else f"P95 ({UNIT})": _spread(cost, s["p95"]),
            }
            for fund, s in sorted(
                totals["by_funding_source"].items(), key=lambda kv: -kv[1]["central"]
            )
        ]
    )
    return class_table, fund_table


def headline_table(cost, lang: str) -> pd.DataFrame | None:
    """The briefing's who-pays table (亿元): the class-A gross cost, the part Jinan itself decided
    (discretionary), the part borne at municipal level split into the city's 一般公共预算 and the
    social-insurance funds it pools, the districts' part, national policy restated (beside the
    discretionary part), and the flows outside general government (not added), each central, P5
    and P95, with its share of the gross central cost; None when the costing has no financing.
    Every row is summed from the costing's one ledger of draws."""
    fin = getattr(cost, "financing", None)
    if fin is None:
        return None
    totals = fin["totals"]
    gross = cost.totals()["cost"]
    rows = [
        ("gross", gross),
        ("discretionary", totals["discretionary"]),
        ("municipal", totals["by_government_level"]["municipal"]),
    ]
    city = totals.get("city_budget")
    if city is not None:
        rows += [
            ("city_general", city["general_public_budget"]),
            ("city_pooled", city["pooled_funds"]),
        ]
    rows.append(("district", totals["by_government_level"]["district"]))
    if "restated_national_policy" in totals:
        rows.append(("restated", totals["restated_national_policy"]))
    rows.append(("outside", totals["outside_perimeter"]))
    head = (lambda k: f"{k}（{UNIT}）") if lang == "zh" else (lambda k: f"{k} ({UNIT})")
    return pd.DataFrame(
        [
            {
                t("row", lang): t(key, lang),
                head(t("central", lang)): amount(st["central"], UNIT, 2),
                head("P5"): _spread(cost, st["p5"]),
                head("P95"): _spread(cost, st["p95"]),
                t("share_of_gross", lang): (
                    f"{st['central'] / gross['central'] * 100:.1f} %"
                    if gross["central"] and key != "outside"
                    else "—"
                ),
            }
            for key, st in rows
        ]
    )


def _content(
    cost, targets, lang: str, as_of: str, figure_dirs: list[Path] | None = None
) -> _Content:
    """What the pack shows. ``figure_dirs`` (a report run): take the key figures the run's
    notebooks exported from these folders, and leave out those not there; else draw them."""
    from .. import __version__, charts
    from ..charts.labels import label
    from . import presentation

    charts.use_house_style(lang)
    sc = cost.scenario
    title = sc.title_zh if lang == "zh" else sc.title_en
    total = cost.totals()["cost"]
    class_table, fund_table = _tables(cost, lang)
    target_table = presentation.target_table(targets, lang)
    keep = [
        presentation.h(k, lang) for k in ("clause", "target", "target_value", "p_met", "status")
    ]
    target_table = target_table[[c for c in keep if c in target_table.columns]]
    figures: list[KeyFigure] = []
    for name, takes in KEY_FIGURES:
        if figure_dirs is not None:
            found = next(
                (k for d in figure_dirs if (k := KeyFigure.from_files(name, d / name))), None
            )
            if found is not None:
                figures.append(found)
            continue
        func = getattr(charts, name)
        fig = func(cost if takes == "cost" else targets, lang, as_of, size="half-a4")
        figures.append(KeyFigure.drawn(name, fig))
    n_not_costed = len(cost.not_costed)
    methods = [
        line.format(
            point=POINT[sc.point][0 if lang == "zh" else 1],
            draws=cost.draws,
            seed=cost.seed,
            not_costed=n_not_costed,
            status_rule=targets.status_rule_in(lang),
        )
        for line in METHODS[lang]
    ]
    return _Content(
        lang=lang,
        as_of=as_of,
        scenario_title=title,
        scenario_name=sc.name,
        cost_line=(
            t("cost_line_stress", lang, central=amount(total["central"], UNIT, 2), unit=UNIT)
            if cost.stress_case
            else t(
                "cost_line",
                lang,
                central=amount(total["central"], UNIT, 2),
                p5=amount(total["p5"], UNIT, 2),
                p95=amount(total["p95"], UNIT, 2),
                unit=UNIT,
            )
        ),
        class_table=class_table,
        fund_table=fund_table,
        target_table=target_table,
        figures=figures,
        source=label("footer.source", lang),
        methods=methods,
        version=__version__,
        who_pays_table=headline_table(cost, lang),
    )


# --------------------------------------------------------------------------- drawing


def _wrap(text: str, width: int) -> str:
    """Wrap ``text`` to about ``width`` columns, a Chinese character counting two."""
    from ..charts.labels import wrap

    return wrap(str(text), width, balance=False)


def _draw_table(ax, df: pd.DataFrame, fontsize: float, widths: list[int]) -> None:
    """``df`` as a plain table filling ``ax`` (text kept as text)."""
    ax.axis("off")
    cells = [
        [_wrap(v, w) for v, w in zip(row, widths, strict=True)] for row in df.astype(str).values
    ]
    header = [_wrap(c, w) for c, w in zip(df.columns, widths, strict=True)]
    total = sum(widths)
    table = ax.table(
        cellText=cells or [["–"] * len(header)],
        colLabels=header,
        colWidths=[w / total for w in widths],
        loc="upper left",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(fontsize)
    lines = [max(c.count("\n") + 1 for c in row) for row in [header, *cells]]
    unit = 1.0 / max(sum(lines) + len(lines) * 0.6, 1)
    for (r, _c), cell in table.get_celld().items():
        cell.set_height(unit * (lines[r] + 0.6))
        cell.set_edgecolor("#bbbbbb")
        cell.set_linewidth(0.5)
        if r == 0:
            cell.set_facecolor("#eef2f6")


def _column_widths(df: pd.DataFrame, total: int) -> list[int]:
    """Columns sized by their longest entry, a Chinese character counting two, within ``total``."""
    from ..charts.labels import is_wide

    def width(text: str) -> int:
        return sum(2 if is_wide(ch) else 1 for ch in str(text))

    raw = [max([width(c)] + [width(v) for v in df[c].astype(str)]) + 2 for c in df.columns]
    scale = min(1.0, total / max(sum(raw), 1))
    return [max(6, int(w * scale)) for w in raw]


def _bold() -> str:
    from ..fonts import title_weight

    return title_weight()


def _table_at(fig: Figure, df: pd.DataFrame, top: float, fontsize: float, total: int) -> float:
    """Draw ``df`` on an A4 page from ``top`` (figure fraction) down, as tall as its rows need;
    returns the fraction where it ends."""
    widths = _column_widths(df, total)
    cells = [
        [_wrap(v, w) for v, w in zip(row, widths, strict=True)] for row in df.astype(str).values
    ]
    lines = sum(max(c.count("\n") + 1 for c in row) + 0.6 for row in cells) + 2.2
    height = min(lines * fontsize * 1.5 / 72 / A4[1], top - 0.05)
    ax = fig.add_axes((0.08, top - height, 0.84, height))
    _draw_table(ax, df, fontsize, widths)
    return top - height


def _page() -> Figure:
    return Figure(figsize=A4)


def _pdf_text_pages(c: _Content) -> list[Figure]:
    """The text pages of the PDF: cover with headline numbers, targets, methods."""
    from ..fonts import cjk_family

    cjk_family()
    pages = []
    # 1: title and headline numbers
    fig = _page()
    fig.text(0.08, 0.94, _wrap(t("title", c.lang), 56), fontsize=16, va="top", weight=_bold())
    fig.text(
        0.08,
        0.86,
        f"{t('scenario', c.lang)}：{c.scenario_title}（{c.scenario_name}）    "
        f"{t('as_of', c.lang)}：{c.as_of}"
        if c.lang == "zh"
        else f"{t('scenario', c.lang)}: {c.scenario_title} ({c.scenario_name})    "
        f"{t('as_of', c.lang)}: {c.as_of}",
        fontsize=10,
        color="#444444",
        va="top",
    )
    fig.text(0.08, 0.81, t("headline", c.lang), fontsize=13, weight=_bold(), va="top")
    fig.text(0.08, 0.77, _wrap(c.cost_line, 80), fontsize=11, va="top")
    fig.text(0.08, 0.71, t("by_class", c.lang, unit=UNIT), fontsize=11, weight=_bold(), va="top")
    end = _table_at(fig, c.class_table, 0.69, 8.5, 90)
    fig.text(
        0.08, end - 0.03, t("by_fund", c.lang, unit=UNIT), fontsize=11, weight=_bold(), va="top"
    )
    _table_at(fig, c.fund_table, end - 0.06, 8.5, 90)
    fig.text(0.08, 0.03, t("made", c.lang, version=c.version), fontsize=7, color="#777777")
    pages.append(fig)
    if c.who_pays_table is not None:  # 1b: who pays
        fig = _page()
        fig.text(0.08, 0.95, t("who_pays", c.lang, unit=UNIT), fontsize=13, weight=_bold(),
                 va="top")  # fmt: skip
        _table_at(fig, c.who_pays_table, 0.91, 8.5, 90)
        pages.append(fig)
    # 2: targets
    fig = _page()
    fig.text(0.08, 0.95, t("targets", c.lang), fontsize=14, weight=_bold(), va="top")
    _table_at(fig, c.target_table, 0.92, 8, 100)
    pages.append(fig)
    # 3: methods and caveats
    fig = _page()
    fig.text(0.08, 0.95, t("methods", c.lang), fontsize=14, weight=_bold(), va="top")
    y = 0.90
    for line in c.methods:
        wrapped = _wrap(line, 84)
        fig.text(0.08, y, "• " + wrapped.replace("\n", "\n   "), fontsize=10, va="top")
        y -= 0.0175 * (wrapped.count("\n") + 1) + 0.014
    pages.append(fig)
    return pages


def _pdf_bytes(fig: Figure) -> bytes:
    from ..charts.export import write_pdf

    buffer = io.BytesIO()
    write_pdf(fig, buffer, {"Creator": "jnpolicy_analysis", "CreationDate": None})
    return buffer.getvalue()


def write_pdf(c: _Content, path: Path) -> Path:
    """A4 pages: cover and headline numbers, two key figures a page (vector), targets, methods."""
    from pypdf import PdfReader, PdfWriter, Transformation

    text_pages = [PdfReader(io.BytesIO(_pdf_bytes(f))).pages[0] for f in _pdf_text_pages(c)]
    writer = PdfWriter()
    writer.add_page(text_pages[0])
    width_pt, height_pt = A4[0] * 72, A4[1] * 72
    for i in range(0, len(c.figures), 2):
        pair = c.figures[i : i + 2]
        page_fig = _page()
        page_fig.text(
            0.08,
            0.965,
            f"{t('figure', c.lang)} {i + 1}–{i + len(pair)}"
            if len(pair) > 1
            else f"{t('figure', c.lang)} {i + 1}",
            fontsize=9,
            color="#777777",
            va="top",
        )
        base = writer.add_page(PdfReader(io.BytesIO(_pdf_bytes(page_fig))).pages[0])
        for j, key in enumerate(pair):
            chart = PdfReader(io.BytesIO(key.pdf)).pages[0]
            cw, ch = float(chart.mediabox.width), float(chart.mediabox.height)
            scale = min((width_pt - 100) / cw, height_pt * 0.45 / ch)
            x = (width_pt - cw * scale) / 2
            top = height_pt * (0.955 - j * 0.47)
            y = top - ch * scale
            base.merge_transformed_page(chart, Transformation().scale(scale, scale).translate(x, y))
    for page in text_pages[1:]:
        writer.add_page(page)
    writer.add_metadata({"/Title": t("title", c.lang), "/Creator": "jnpolicy_analysis"})
    with path.open("wb") as fh:
        writer.write(fh)
    return path


# --------------------------------------------------------------------------- slides


def _figure_png(fig: Figure) -> bytes:
    from ..charts.export import png_bytes

    return png_bytes(fig, PNG_DPI)


def write_pptx(c: _Content, path: Path) -> Path:
    """The deck: real text and tables, figures as pictures with alt text (``deck``)."""
    from .deck import write_deck

    return write_deck(c, path, lambda key, **kw: t(key, c.lang, **kw), UNIT)


# --------------------------------------------------------------------------- entry points


def write_briefing(
    analysis,
    out_dir: Path | str = ".",
    *,
    lang: str = "zh",
    as_of: str | None = None,
    figure_dirs: list[Path] | None = None,
) -> BriefingPack:
    """Write ``briefing.pdf`` and ``briefing.pptx`` of ``analysis`` (``analysis.Analysis``) into
    ``out_dir``; ``as_of`` is the date shown (default: the analysis's).

    A bad language raises DataError before anything is written; each file is written beside its
    final name and renamed into place."""
    if lang not in ("zh", "en"):
        raise DataError.single("--lang", "lang", f"must be 'zh' or 'en', got '{lang}'")
    as_of = str(as_of or analysis.as_of or dt.date.today().isoformat())
    cost, targets = analysis.cost, analysis.targets
    content = _content(cost, targets, lang, as_of, figure_dirs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pdf, pptx = out / PDF_NAME, out / PPTX_NAME
    tmp_pdf = out / f".{PDF_NAME}.tmp-{os.getpid()}"
    tmp_pptx = out / f".{PPTX_NAME}.tmp-{os.getpid()}"
    try:
        write_pdf(content, tmp_pdf)
        write_pptx(content, tmp_pptx)
        os.replace(tmp_pdf, pdf)
        os.replace(tmp_pptx, pptx)
    finally:
        for tmp in (tmp_pdf, tmp_pptx):
            if tmp.exists():
                tmp.unlink()
    return BriefingPack(pdf, pptx)


__all__ = ["BriefingPack", "write_briefing"]
