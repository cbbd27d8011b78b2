"""Charts: every chart of every scenario in both languages draws with no warning (a missing glyph
fails), carries its title, unit and foot line; exports have the right pixel size; the label table
names everything a figure shows; two figures match stored baselines.

Each scenario is costed and tracked once per session with 200 draws and a fixed seed.
"""

from __future__ import annotations

import ast
import io
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from jnpolicy_analysis import fonts  # noqa: E402
from jnpolicy_analysis.charts import (  # noqa: E402
    all_figures,
    cost_by_measure,
    export_figure,
    target_path,
    target_paths,
)
from jnpolicy_analysis.charts import style as chart_style  # noqa: E402
from jnpolicy_analysis.charts.costs import assumption_range  # noqa: E402
from jnpolicy_analysis.charts.labels import (  # noqa: E402
    LABELS,
    display_width,
    label,
    latin_only,
    missing_labels,
    shorten,
    wrap,
)
from jnpolicy_analysis.charts.style import fonts as font_sizes  # noqa: E402
from jnpolicy_analysis.costing import run_costing  # noqa: E402
from jnpolicy_analysis.inputs.scenarios import (
    list_scenarios,  # noqa: E402
    load_scenario,
)
from jnpolicy_analysis.targets import track_targets  # noqa: E402

DRAWS, SEED = 200, 20200302
AS_OF = "2020-06-30"
SCENARIOS = list_scenarios()
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="session")
def costings():
    return {s: run_costing(load_scenario(s, draws=DRAWS, seed=SEED)) for s in SCENARIOS}


@pytest.fixture(scope="session")
def reports():
    return {s: track_targets(load_scenario(s, draws=DRAWS, seed=SEED)) for s in SCENARIOS}


def draw(fig) -> None:
    """Render the figure as PNG into memory (glyphs are looked up at this point)."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def footer(fig) -> str:
    return fig._supxlabel.get_text()


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


# --------------------------------------------------------------------------- every chart


def _chart_cases() -> list:
    """central in both languages (the fast tier); every other scenario in the full suite, in one
    language each, taken in turn: what a scenario changes is its data and its title, and every
    scenario's titles are checked in both languages below without drawing."""
    others = [s for s in SCENARIOS if s != "central"]
    return [("central", "zh"), ("central", "en")] + [
        pytest.param(s, ("zh", "en")[i % 2], marks=pytest.mark.slow) for i, s in enumerate(others)
    ]


def test_every_scenario_title_is_in_its_language():
    for name in SCENARIOS:
        sc = load_scenario(name)
        assert sc.title_zh and CJK.search(sc.title_zh), name
        assert sc.title_en and not CJK.search(sc.title_en), name


@pytest.mark.parametrize(("scenario", "lang"), _chart_cases())
def test_every_chart_draws_without_warnings(costings, reports, scenario, lang):
    cost, report = costings[scenario], reports[scenario]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise
        figures = all_figures(cost, report, lang, AS_OF, baseline=costings["central"])
        for fig in figures.values():
            draw(fig)
    expected = {
        "cost_by_measure",
        "monthly_by_fund",
        "cost_by_document",
        "cost_by_class",
        "cost_fan",
        "assumption_tornado",
        "financing_stack",
        "fund_balance_path",
        "target_paths",
        "consistency_table",
    } | ({"scenario_comparison"} if scenario != "central" else set())
    assert set(figures) == expected
    title = getattr(cost.scenario, f"title_{lang}")
    source = label("footer.source", lang)
    for name, fig in figures.items():
        assert fig._suptitle is not None and fig._suptitle.get_text(), name
        foot = footer(fig)
        assert AS_OF in foot and title in foot and source in foot.replace("\n", ""), name
        if lang == "en":
            assert not CJK.search(texts(fig)), f"{name}: Chinese in an English figure"
    # money is shown in 万元 or 亿元, named on the axis, never in raw 元
    unit_names = {label(f"unit.{u}", lang) for u in ("万元", "亿元")}
    for name in ("cost_by_measure", "cost_by_document", "cost_by_class", "financing_stack"):
        xlabel = figures[name].axes[0].get_xlabel()
        assert any(u in xlabel for u in unit_names), (name, xlabel)
    for name in ("monthly_by_fund", "cost_fan"):
        ylabel = figures[name].axes[0].get_ylabel()
        assert any(u in ylabel for u in unit_names), (name, ylabel)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_half_a4_charts_draw_without_warnings(costings, reports, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures = all_figures(
            costings["sme_retention_refund_100"],
            reports["central"],
            lang,
            AS_OF,
            size="half-a4",
            baseline=costings["central"],
        )
        figures["one_target"] = target_path(
            reports["central"], "platform_hosted_enterprises", lang, AS_OF, "half-a4"
        )
        for fig in figures.values():
            assert tuple(fig.get_size_inches()) == pytest.approx((6.3, 4.4))
            draw(fig)
    measure = figures["cost_by_measure"]
    assert len(measure.axes[0].get_yticklabels()) == 15  # the 15 largest; the rest in a note
    assert measure._suptitle.get_fontsize() == font_sizes("half-a4")["title"]


def test_charts_fall_back_to_english_without_a_cjk_font(costings, reports, monkeypatch):
    """Where no CJK font exists Chinese is asked for and English drawn, with DejaVu Sans only:
    any Chinese left in a label would raise a missing-glyph warning."""
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert chart_style.use_house_style("zh") == "en"
        figures = all_figures(
            costings["exemption_to_december"], reports["central"], "zh", AS_OF,
            baseline=costings["central"],
        )  # fmt: skip
        for fig in figures.values():
            draw(fig)
            assert not CJK.search(texts(fig))
    assert footer(figures["cost_fan"]).startswith("Source:")


def test_cost_by_measure_reads_the_costing(costings):
    cost = costings["central"]
    fig = cost_by_measure(cost, "zh", AS_OF)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    costed = cost.measures[cost.measures["costed"]].sort_values("central", ascending=False)
    assert len(names) == len(costed)
    assert names[0] == costed["title_zh"].iloc[0]  # the largest at the top, by its Chinese title
    widths = sorted((p.get_width() for p in ax.patches), reverse=True)
    assert widths[0] == pytest.approx(costed["central"].iloc[0] / 1e8)  # in 亿元
    assert ax.get_xlabel() == "成本（亿元）"
    assert "中性情景" in footer(fig) and "2020-06-30" in footer(fig)


def test_target_paths_show_probability_and_status(reports):
    report = reports["central"]
    fig = target_paths(report, "zh", AS_OF, scenario="中性情景")
    r = report.result("platform_firms_turnover_over_1bn")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    wanted = f"P(达标) = {r.probability_met:.0%} · {label(f'status.{r.status}', 'zh')}"
    assert any(wanted in t.replace("\n", " · ") or wanted in t for t in titles), titles
    # an assumed start: P(met) labelled as what the assumptions imply; the verdict after 2022
    assert r.probability_label and any(
        "假设推算 P(达标)" in t and "截止后结论：无法判断" in t for t in titles
    ), titles
    with pytest.raises(ValueError, match="no projected path"):
        target_paths(report, "zh", AS_OF, ids=["annual_municipal_platforms"])
    # a target with no path is named under the title, not drawn
    fig = target_paths(report, "en", AS_OF, ids=[r.id, "annual_municipal_platforms"])
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.axison]) == 1
    assert "Not drawn" in texts(fig) and "Municipal industrial-internet platforms" in texts(fig)


def test_cost_by_measure_of_one_document(costings):
    cost = costings["central"]
    ids = list(cost.costed.index[cost.costed["doc"] == "济政办发〔2020〕2号"])
    fig = cost_by_measure(cost, "en", AS_OF, measures=ids)
    names = sorted(t.get_text().rstrip("…") for t in fig.axes[0].get_yticklabels())
    titles = sorted(cost.measures.loc[ids, "title_en"])  # long English titles are shortened
    assert all(t.startswith(n) for n, t in zip(names, titles, strict=True))
    assert fig.axes[0].get_xlabel() == "Cost (10,000 yuan)"  # under 10亿元: in 万元
    with pytest.raises(KeyError, match="no measure"):
        cost_by_measure(cost, "zh", AS_OF, measures=["no_such_measure"])


# --------------------------------------------------------------------------- export


def test_exports_have_the_expected_pixel_size(costings, reports, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        slide = cost_by_measure(costings["central"], "zh", AS_OF, size="slide")
        [png] = export_figure(slide, "成本 cost_by_measure", tmp_path, formats=["png"])
        half = target_paths(reports["central"], "zh", AS_OF, size="half-a4", scenario="中性情景")
        paths = export_figure(half, "target_paths", tmp_path)  # the size it was built for
        # a slide figure exported for half a page: the fonts follow the size
        again = export_figure(slide, "cost_by_measure_half", tmp_path, ["png"], "half-a4")
    with Image.open(png) as img:
        assert img.size == (2000, 1125)  # 150 dpi: sized for a slide or a screen
    assert png.name == "cost_by_measure.png"
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    with Image.open(paths[0]) as img:
        assert img.size == (945, 660)
    assert "目标的预测路径与所需路径" in paths[1].read_text(encoding="utf-8")  # text kept as text
    assert b"/FontFile2" in paths[2].read_bytes() or b"/FontFile3" in paths[2].read_bytes()
    with Image.open(again[0]) as img:
        assert img.size == (945, 660)
    assert slide._suptitle.get_fontsize() == pytest.approx(font_sizes("half-a4")["title"])


# --------------------------------------------------------------------------- the label table


def test_label_table_names_everything_a_figure_shows(costings, reports):
    keys = set()
    for cost in costings.values():
        keys |= {f"fund.{f}" for f in cost.monthly["funding_source"].unique()}
        keys |= {f"fund.{f}" for f in cost.measures["funding_source"].unique()}
        keys |= {f"doc.{d}" for d in cost.measures["doc"].unique()}
        keys |= {f"class.{c}" for c in cost.measures["fiscal_class"].unique()}
        points = cost.sensitivity_points
        keys |= {f"assumption.{a}" for a in points["assumption"]}
        keys |= {f"unit.{u}" for u in points["unit"]}
    for report in reports.values():
        keys |= {f"status.{r.status}" for r in report.results}
        keys |= {f"unit.{r.unit}" for r in report.results if r.kind == "headline"}
        keys |= {f"verdict.{v}" for v in report.consistency["verdict"]}
        keys |= {f"check.{c}" for c in report.consistency["check"]}
    keys |= {f"status.{s}" for s in ("achieved", "on track", "at risk", "off track")}
    assert missing_labels(keys) == []


def test_label_table_is_complete_in_both_languages():
    for key, entry in LABELS.items():
        assert isinstance(entry.zh, str) and isinstance(entry.en, str), key
        assert not CJK.search(entry.en), f"{key}: English label holds Chinese"
        if key.split(".")[0] in ("title", "axis", "legend", "status", "verdict", "check", "column"):
            assert CJK.search(entry.zh), f"{key}: Chinese label holds no Chinese"
    with pytest.raises(KeyError, match="labels.py"):
        label("title.nothing_like_this", "zh")


def test_no_label_text_outside_the_label_table():
    """Chinese shown in a figure comes from labels.py or from the data, never from a string in
    the chart code (unit names used as keys aside)."""
    allowed = {"元", "万元", "亿元"}
    folder = Path(chart_style.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if path.name == "labels.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings or node.value in allowed:
                    continue
                assert not CJK.search(node.value), f"{path.name}:{node.lineno}: {node.value!r}"


def test_text_helpers():
    assert display_width("稳岗返还 x") == 10
    assert shorten("阶段性降低职工基本医疗保险单位缴费费率", 20) == "阶段性降低职工基本…"
    assert shorten("One-off hiring subsidy for firms", 20) == "One-off hiring…"
    assert wrap("C类：或有负债（担保预期成本）", 14) == "C类：或有\n负债（担保\n预期成本）"
    assert latin_only("Platforms of 1 billion yuan (10 亿元) or more") == (
        "Platforms of 1 billion yuan or more"
    )
    assert assumption_range(1.8e6, 2.8e6, "人", "zh") == "180万–280万人"
    assert assumption_range(1.8e6, 2.8e6, "人", "en") == "1.8m–2.8m people"
    assert assumption_range(2000, 40000, "人", "zh") == "2,000–40,000人"
    assert assumption_range(0.6, 0.95, "%", "en") == "60–95%"
    assert assumption_range(0.005, 0.01, "个百分点", "zh") == "0.5–1个百分点"
