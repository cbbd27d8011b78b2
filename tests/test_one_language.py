"""One language per briefing: ``--lang zh`` is Chinese throughout (no English sentence in the PDF,
the deck or the front page), ``--lang en`` English throughout (no Chinese but a short list of
names and units: 亿元, 万元, the documents' numbers and their clauses as printed)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from jnpolicy_analysis.cli import main

DRAWS = 120
AS_OF = "2020-06-30"

# four or more Latin words in a row: a sentence (names such as "Monte Carlo", "P5–P95", "PDF",
# "jnpolicy_analysis 0.1.0" are shorter)
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,;:/-]+[A-Za-z][A-Za-z'’]*){3,}")
# Chinese an English page may hold: units, the documents' numbers, clauses as printed
ALLOWED_CJK = re.compile(
    r"亿元|万元|10\^8 元|\d+ 元|济政[^\s，。；]*?〔\d{4}〕\d+号|[一二三四五六七八九十]+（[一二三四五六七八九十]+）"
    r"|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+(?=[\s|]|$)"
)
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def english_sentences(text: str) -> list[str]:
    return ENGLISH.findall(text)


def stray_chinese(text: str) -> list[str]:
    return CJK.findall(ALLOWED_CJK.sub(" ", text))


def test_the_scanners_find_what_they_look_for():
    assert english_sentences("目标状态规则：achieved: the latest public figure") == [
        "achieved: the latest public figure"
    ]
    assert (
        english_sentences("由 jnpolicy_analysis 0.1.0 离线生成；蒙特卡洛 P5–P95 Monte Carlo") == []
    )
    assert stray_chinese("Class A, 107.42 亿元; 济政发〔2020〕1号 一（二） 1") == []
    assert stray_chinese("Fund 失业保险基金") == ["失业保险基金"]


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.out)


def deck_text(path: Path) -> str:
    lines = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                lines += [c.text for row in shape.table.rows for c in row.cells]
            if shape.shape_type == 13:
                lines.append(shape._element.nvPicPr.cNvPr.get("descr") or "")
    return "\n".join(lines)


@pytest.fixture(scope="module", params=["zh", "en"])
def pack(request, tmp_path_factory) -> tuple[str, Path]:
    lang = request.param
    out = tmp_path_factory.mktemp(f"brief_{lang}")
    args = ["brief", "--scenario", "central", "--draws", str(DRAWS), "--as-of", AS_OF]
    assert main([*args, "--lang", lang, "--out", str(out)]) == 0
    return lang, out


def _check(lang: str, text: str, where: str) -> None:
    # a line break a table cell put between two Chinese characters is no space
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    if lang == "zh":
        assert english_sentences(text) == [], where
    else:
        assert stray_chinese(text) == [], where


@pytest.mark.slow  # builds a briefing pack, as tests/test_brief.py's slow tests do
def test_the_pdf_is_in_one_language(pack):
    lang, out = pack
    text = "\n".join(p.extract_text() for p in PdfReader(out / "briefing.pdf").pages)
    # the figures are drawn by the house charts in the pack's language; their text is checked
    # with the rest (a figure's title, axis and source line)
    _check(lang, text, "briefing.pdf")
    assert ("目标状态规则" in text) if lang == "zh" else ("Target status rule" in text)


@pytest.mark.slow  # builds a briefing pack, as tests/test_brief.py's slow tests do
def test_the_deck_is_in_one_language(pack):
    lang, out = pack
    _check(lang, deck_text(out / "briefing.pptx"), "briefing.pptx")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_front_page_is_in_one_language(lang, tmp_path):
    from jnpolicy_analysis.analysis import open_analyses
    from jnpolicy_analysis.publish.frontpage import index_html, summarise

    analyses = open_analyses(["central", "high"], draws=DRAWS, as_of=AS_OF)
    scenarios = [a.scenario for a in analyses]
    summarise(tmp_path, analyses)
    manifest = {"lang": lang, "git_commit": "0123456789ab", "created": "2026-03-02T06:00:00"}
    page = visible_text(index_html(tmp_path, AS_OF, scenarios, manifest, None))
    _check(lang, page, "index.html")
    assert ("目标状态" in page) if lang == "zh" else ("The targets" in page)
