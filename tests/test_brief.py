"""The briefing pack: an A4 PDF with embedded fonts and extractable Chinese, and a PPTX deck with
a title slide, the headline numbers, one slide per key figure, the targets and the methods; Chinese
on the slides is placed as pictures (no font needed where it is shown)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.publish.brief import KEY_FIGURES, has_cjk
from jnpolicy_analysis.units import yuan_to

DRAWS = 120
AS_OF = "2020-06-30"


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    code = main(
        [
            "brief",
            "--scenario",
            "central",
            "--draws",
            str(DRAWS),
            "--as-of",
            AS_OF,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


@pytest.mark.slow
def test_pdf_is_a4_with_every_font_embedded(pack):
    reader = PdfReader(pack / "briefing.pdf")
    assert len(reader.pages) >= 4
    for page in reader.pages:
        # A4 is 210 x 297 mm = 595.3 x 841.9 pt
        assert abs(float(page.mediabox.width) - 595.3) < 1.5
        assert abs(float(page.mediabox.height) - 841.9) < 1.5
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    listing = subprocess.run(
        ["pdffonts", str(pack / "briefing.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "the PDF names no font"
    for line in listing:
        # columns: name, type, encoding, emb, sub, uni, object, ID: "emb" yes for every font
        assert line.split()[-5] == "yes", line
    assert any("NotoSansCJK" in line for line in listing)


@pytest.mark.slow
def test_pdf_chinese_text_is_extractable_and_shows_the_headline(pack):
    text = "".join(page.extract_text() for page in PdfReader(pack / "briefing.pdf").pages)
    for words in ("济南市", "主要数字", "目标状态", "方法与注意事项", "亿元", "中性情景", AS_OF):
        assert words in text, words
    total = run_costing("central", draws=DRAWS).totals()["cost"]
    # the headline gives class A in 亿元 (10^8 元) to two decimals
    assert f"{yuan_to(total['central'], '亿元'):,.2f}" in text
    assert f"{yuan_to(total['p5'], '亿元'):,.2f}" in text


@pytest.mark.slow
def test_pptx_has_the_slides_and_no_chinese_left_to_a_font(pack):
    deck = Presentation(str(pack / "briefing.pptx"))
    slides = list(deck.slides)
    # title, headline numbers, who pays, one per key figure, targets, methods
    assert len(slides) == 3 + len(KEY_FIGURES) + 2
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert "济南市" in notes[0]
    assert "主要数字" in notes[1] and "亿元" in notes[1]
    assert "谁来支付" in notes[2] and "其中市级财政承担" in notes[2]
    for i, slide_notes in enumerate(notes[3 : 3 + len(KEY_FIGURES)], start=3):
        pictures = [sh for sh in slides[i].shapes if sh.shape_type == 13]
        assert len(pictures) >= 2, f"slide {i + 1}: the figure and its caption"
        # the source line, scenario and date
        assert "来源" in slide_notes and "中性情景" in slide_notes and AS_OF in slide_notes
    # every target's status is on the slide: as of the shipped data, met ones and ones with no data
    assert "目标状态" in notes[-2] and "已达成" in notes[-2] and "无数据" in notes[-2]
    assert "方法与注意事项" in notes[-1] and "A类" in notes[-1] and f"{DRAWS}" in notes[-1]
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                assert not has_cjk(shape.text_frame.text), shape.text_frame.text
            if shape.shape_type == 13:  # every picture says in words what it shows
                assert shape._element.nvPicPr.cNvPr.get("descr")


def test_bad_scenario_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["brief", "--scenario", "centrl", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "centrl" in err and "central" in err
    assert not out.exists()


def test_bad_date_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["brief", "--as-of", "2020-13-01", "--out", str(out)]) == 2
    assert "--as-of" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_a_stress_case_shows_its_point_alone():
    """The high stress case is a point: the headline line says so and the tables give no P5–P95
    (the rule of the notebooks' scenario overview); the central scenario keeps its range."""
    from jnpolicy_analysis.publish.brief import _content
    from jnpolicy_analysis.targets import track_targets

    for name, stress in (("high", True), ("central", False)):
        cost = run_costing(name, draws=DRAWS)
        content = _content(cost, track_targets(name, draws=DRAWS), "zh", AS_OF)
        assert ("压力情景" in content.cost_line) is stress
        assert ("P5–P95 区间" in content.cost_line) is not stress
        p95 = content.class_table["P95（亿元）"]
        assert bool((p95 == "–").all()) is stress
        if content.who_pays_table is not None:
            assert bool((content.who_pays_table["P5（亿元）"] == "–").all()) is stress
