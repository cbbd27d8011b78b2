"""The briefing pack: an A4 PDF with embedded fonts and extractable Chinese, and a PPTX deck with
a title slide, the headline numbers, one slide per key figure, the targets and the methods, all of
it editable text (text frames and tables) naming an East Asian typeface; figures are pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.costing import run_costing
from jnpolicy_analysis.inputs.scenarios import load_scenario
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
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_reads_the_pdf_with_nothing_on_stderr(pack, tmp_path):
    pdf = str(pack / "briefing.pdf")
    for command in (
        ["pdffonts", pdf],
        ["pdftotext", pdf, str(tmp_path / "b.txt")],
        ["pdftoppm", "-r", "20", "-png", pdf, str(tmp_path / "b")],
    ):
        run = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
        assert run.stderr == "", (command[0], run.stderr[:300])


@pytest.mark.slow
def test_pdf_chinese_text_is_extractable_and_shows_the_headline(pack):
    text = "".join(page.extract_text() for page in PdfReader(pack / "briefing.pdf").pages)
    for words in ("济南市", "主要数字", "目标状态", "方法与注意事项", "亿元", "中性情景", AS_OF):
        assert words in text, words
    total = run_costing(load_scenario("central", draws=DRAWS)).totals()["cost"]
    # the headline gives class A in 亿元 (10^8 元) to two decimals
    assert f"{yuan_to(total['central'], '亿元'):,.2f}" in text
    assert f"{yuan_to(total['p5'], '亿元'):,.2f}" in text


def _runs(slide):
    """Every text run of ``slide``: in its text boxes and in its tables' cells."""
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if getattr(shape, "has_table", False) and shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for para in frame.paragraphs:
                yield from para.runs


@pytest.mark.slow
def test_pptx_is_real_text_with_an_east_asian_typeface(pack):
    from pptx.oxml.ns import qn

    from jnpolicy_analysis.publish.deck import EA_FALLBACKS, EA_TYPEFACE

    deck = Presentation(str(pack / "briefing.pptx"))
    slides = list(deck.slides)
    # title, headline numbers, who pays, one per key figure, targets, methods
    assert len(slides) == 3 + len(KEY_FIGURES) + 2
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    texts = ["\n".join(r.text for r in _runs(s)) for s in slides]
    for i, (slide, words) in enumerate(zip(slides, texts, strict=True), start=1):
        runs = list(_runs(slide))
        assert runs and words.strip(), f"slide {i}: no text"
        assert has_cjk(words), f"slide {i}: no Chinese in its text runs"
        for run in runs:  # each run asks for the East Asian face, and says it is Chinese
            rpr = run._r.find(qn("a:rPr"))
            assert rpr.find(qn("a:ea")).get("typeface") == EA_TYPEFACE, run.text
            assert rpr.get("lang") == "zh-CN"
        for shape in slide.shapes:
            if shape.shape_type == 13:  # every picture says in words what it shows
                assert shape._element.nvPicPr.cNvPr.get("descr")
    assert EA_TYPEFACE == EA_FALLBACKS[0]
    assert "济南市" in texts[0]
    total = run_costing(load_scenario("central", draws=DRAWS)).totals()["cost"]
    # the headline gives class A in 亿元 (10^8 元) to two decimals, as text
    assert f"{yuan_to(total['central'], '亿元'):,.2f}" in texts[1] and "亿元" in texts[1]
    assert "谁来支付" in texts[2] and "其中市级承担" in texts[2]
    for i, words in enumerate(texts[3 : 3 + len(KEY_FIGURES)], start=3):
        pictures = [sh for sh in slides[i].shapes if sh.shape_type == 13]
        assert len(pictures) == 1, f"slide {i + 1}: the figure"
        # the source line, scenario and date
        assert "来源" in words and "中性情景" in words and AS_OF in words
    # the targets are a table: as of the shipped data, met ones and ones with no data
    tables = [sh for sh in slides[-2].shapes if getattr(sh, "has_table", False) and sh.has_table]
    assert len(tables) == 1
    cells = [c.text for row in tables[0].table.rows for c in row.cells]
    assert "已达成" in cells and "无数据" in cells and "目标状态" in texts[-2]
    assert "方法与注意事项" in texts[-1] and "A类" in texts[-1] and f"{DRAWS}" in texts[-1]


@pytest.mark.slow
def test_the_deck_renders_in_libreoffice_with_its_text(pack, tmp_path):
    """LibreOffice (headless) opens the deck and draws every slide; the PDF it makes holds each
    slide's title as text, set in a CJK font."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdffonts") is None:
        pytest.skip("LibreOffice (libreoffice-impress) or poppler-utils not installed")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(pack / "briefing.pptx")],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "briefing.pdf"
    pages = PdfReader(pdf).pages
    deck = Presentation(str(pack / "briefing.pptx"))
    assert len(pages) == len(deck.slides)
    for page, slide in zip(pages, deck.slides, strict=True):
        title = next(sh for sh in slide.shapes if sh.name == "title").text_frame.text
        words = "".join(page.extract_text().split())
        assert "".join(title.split())[:6] in words, title
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout or "YaHei" in fonts.stdout, fonts.stdout


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
        cost = run_costing(load_scenario(name, draws=DRAWS))
        content = _content(cost, track_targets(load_scenario(name, draws=DRAWS)), "zh", AS_OF)
        assert ("压力情景" in content.cost_line) is stress
        assert ("P5–P95 区间" in content.cost_line) is not stress
        p95 = content.class_table["P95（亿元）"]
        assert bool((p95 == "–").all()) is stress
        if content.who_pays_table is not None:
            assert bool((content.who_pays_table["P5（亿元）"] == "–").all()) is stress
