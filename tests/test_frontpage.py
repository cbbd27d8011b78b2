"""The front page: headline totals by scenario in 亿元, the targets' statuses, thumbnails that link
to their pages, the run's status/date/commit/duration, earlier runs by date; every text from the
data escaped. And in headless Chromium: a page with a wide table is no wider than its window (the
table scrolls in its own box), at 1400 px and at a phone's 390 px, and the run's one shared font
file loads from disk."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from jnpolicy_analysis.publish.assets import embed
from jnpolicy_analysis.publish.frontpage import SUMMARY, index_html
from jnpolicy_analysis.publish.notebook import NotebookRun
from jnpolicy_analysis.publish.runner import to_html

MARKUP = '<img src=x onerror="alert(1)">'


def _scenario(name: str, title: str) -> SimpleNamespace:
    return SimpleNamespace(
        name=name,
        title_zh=title,
        title_en=title,
        description=MARKUP,
        draws=50,
        seed=1,
        point="central",
    )


@pytest.fixture()
def run(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "reports"
    runs = out / ".runs"
    this = runs / "2026-03-02_x"
    (this / "briefing" / "figures").mkdir(parents=True)
    (this / "briefing" / "00_briefing.html").write_text("<html></html>", encoding="utf-8")
    (this / "central").mkdir()
    (this / "central" / "01_employment_costs.html").write_text("<html></html>", encoding="utf-8")
    summary = {
        "base": "central",
        "draws": 50,
        "seed": 1,
        "scenarios": [
            # 12,345,000,000 元 = 123.45 亿元; P5 98.7 亿元, P95 150 亿元
            {
                "name": "central",
                "title_zh": "中性情景",
                "title_en": "Central",
                "central": 12_345_000_000,
                "p5": 9_870_000_000,
                "p95": 15_000_000_000,
            },
            {
                "name": "high",
                "title_zh": f"高{MARKUP}",
                "title_en": "High",
                "central": 13_345_000_000,
                "stress_case": True,  # a point: no P5–P95 of its own
                "note_zh": "压力情景：全部假设同时取上限",
                "note_en": "Stress case: every assumption at its high bound",
            },
        ],
        "targets": [
            {
                "id": "t1",
                "doc": "济政字〔2020〕16号",
                "clause": "一（二）",
                "kind": "headline",
                "metric_zh": f"工业互联网平台{MARKUP}",
                "metric_en": "platforms",
                "status": "at risk",
                "probability_met": 0.42,
                "deadline": "2022-12-31",
            },
            {
                "id": "t2",
                "doc": "济政字〔2020〕16号",
                "clause": "一（二）",
                "kind": "headline",
                "metric_zh": "示范项目",
                "metric_en": "projects",
                "status": "achieved",
                "probability_met": 1.0,
                "deadline": "2022-12-31",
            },
        ],
        "status_rule": "on track: P(met) >= 0.70",
        "thumbnails": [
            {
                "name": "cost_fan",
                "thumb": "assets/thumbs/briefing__cost_fan.png",
                "png": "briefing/figures/cost_fan.png",
                "page": "briefing/00_briefing.html",
            },
        ],
    }
    (this / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    os.symlink(".runs/2026-03-02_x", out / "2026-03-02")
    for day, total in (("2026-02-28", 11_000_000_000), ("2026-03-01", 12_000_000_000)):
        earlier = runs / f"{day}_y"
        earlier.mkdir(parents=True)
        (earlier / "manifest.json").write_text(
            json.dumps({"git_commit": "abcdef1234567890", "timings_seconds": {"total": 31.4}}),
            encoding="utf-8",
        )
        (earlier / SUMMARY).write_text(
            json.dumps({"base": "central", "scenarios": [{"name": "central", "central": total}]}),
            encoding="utf-8",
        )
        os.symlink(f".runs/{earlier.name}", out / day)
    (out / "_failed" / "20260301T101010000000").mkdir(parents=True)
    return this, out


def _page(run) -> str:
    this, out = run
    manifest = {
        "lang": "zh",
        "git_commit": "0123456789abcdef-dirty",
        "created": "2026-03-02T06:00:00",
        "package_version": "0.1.0",
        "timings_seconds": {"total": 42.4},
    }
    scenarios = [_scenario("central", "中性情景"), _scenario("high", f"高{MARKUP}")]
    return index_html(this, "2026-03-02", scenarios, manifest, out)


def test_headline_totals_in_yi_yuan_with_range_and_difference(run):
    body = _page(run)
    assert "123.45" in body and "98.70–150.00" in body  # 元 / 10^8, two decimals
    assert "133.45" in body and "+10.00" in body  # high: 1.0e9 元 more = +10.00 亿元
    assert "亿元" in body


def test_a_stress_case_is_a_labelled_point_with_its_note(run):
    body = _page(run)
    table = body[body.index("总成本（按情景）") :]
    table = table[: table.index("</table>")]
    rows = {
        r.split("<code>")[1].split("</code>")[0]: r for r in table.split("<tr>") if "<code>" in r
    }
    high, central = rows["high"], rows["central"]
    assert "（压力情景）" in high  # labelled, as in the notebooks' scenario overview
    assert '<b>133.45</b></td><td class="n">–</td>' in high  # the point, no range of its own
    assert "+10.00" in high and "全部假设同时取上限" in high
    assert "98.70–150.00" in central and "压力情景" not in central  # central keeps its range


def test_status_date_commit_duration_and_statuses(run):
    body = _page(run)
    assert "状态：完整" in body and "2026-03-02" in body
    assert "0123456789ab" in body and "42 s" in body
    assert "有风险" in body and "42%" in body and "已达成" in body


def test_thumbnails_link_to_their_pages(run):
    body = _page(run)
    assert (
        '<a href="briefing/00_briefing.html"><img src="assets/thumbs/briefing__cost_fan.png"'
        in body
    )


def test_earlier_runs_listed_newest_first_with_the_failed_one(run):
    body = _page(run)
    later, earlier = body.index('href="../2026-03-01/index.html"'), body.index("../2026-02-28/")
    assert later < earlier
    assert "120.00 亿元" in body and "abcdef123456" in body
    assert "../_failed/20260301T101010000000/errors.txt" in body and "failed" in body
    assert 'href="../2026-03-02/index.html"' not in body  # not itself


def test_every_text_from_the_data_is_escaped(run):
    body = _page(run)
    assert MARKUP not in body
    assert html_escaped(MARKUP) in body


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)


# --------------------------------------------------------------------------- in a browser


def _wide_table_page(folder: Path) -> Path:
    """A report page as the runner makes it (nbconvert, no code) holding a 16-column table."""
    df = pd.DataFrame(
        {f"静态成本（万元）第{i}列": [123456.7 * i, 2.5] for i in range(16)}
        | {"评级理由": ["数据来自公报；行为假设取区间中值" * 3, "–"]}
    )
    styler = NotebookRun.show(None, df)  # the notebooks' own table styling
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("run.show(df)")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result", data={"text/html": styler.to_html()}, execution_count=1
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# 各项措施 · Measure by measure"), cell]
    (folder / "central").mkdir(parents=True)
    path = folder / "central" / "01_employment_costs.ipynb"
    nbformat.write(nb, str(path))
    page = to_html(path, "01_employment_costs · central")
    embed([page], root=folder)
    return page


@pytest.mark.slow
def test_wide_table_page_is_no_wider_than_its_viewport(tmp_path, run, chromium):
    driver = chromium
    page = _wide_table_page(tmp_path / "site")
    this, _ = run
    (this / "index.html").write_text(_page(run), encoding="utf-8")
    embed([this / "index.html"], root=this)
    for width in (1400, 390):
        driver.set_window_size(width, 900)
        for url in (page.resolve().as_uri(), (this / "index.html").resolve().as_uri()):
            driver.get(url)
            m = driver.execute_script(
                "const t = document.querySelector('table');"
                "return {page: document.documentElement.scrollWidth,"
                " view: document.documentElement.clientWidth,"
                " box: t.clientWidth, inside: t.scrollWidth}"
            )
            assert m["page"] <= m["view"], (url, width, m)
            if url.endswith("01_employment_costs.html"):
                assert m["inside"] > m["box"], m  # the table is wider: it scrolls in its box
    driver.get(page.resolve().as_uri())
    status = driver.execute_async_script(
        "const done = arguments[0];"
        "document.fonts.load(\"16px 'JNPolicy CJK'\", '成本').then("
        " () => done([...document.fonts].map(f => f.family + ':' + f.status)))"
    )
    assert "JNPolicy CJK:loaded" in status  # from assets/jnpolicy-cjk.woff, on disk


def test_every_key_figure_has_a_title_not_its_file_name():
    from jnpolicy_analysis.publish.frontpage import KEY_FIGURES, _figure_title

    for name, _, _ in KEY_FIGURES:
        for lang in ("zh", "en"):
            assert _figure_title(name, lang) != name, (name, lang)
    assert _figure_title("consistency_table", "zh") == "规划的内部一致性"
