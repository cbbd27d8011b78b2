"""The faces a chart's PDF embeds its Chinese from: the common face (the lean face cut to the
characters of the project's own texts) when it has every character of the figure, else a cut with
the figure's characters added; either way the PDF's text is the figure's text, and its font has
the TrueType outlines the PDF declares (Poppler reads it without a warning)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

from jnpolicy_analysis.charts import use_house_style  # noqa: E402
from jnpolicy_analysis.charts.export import write_pdf  # noqa: E402
from jnpolicy_analysis.fonts import (  # noqa: E402
    common_cjk_font,
    lean_cjk_font,
    pdf_font,
    project_characters,
)

pytestmark = pytest.mark.skipif(lean_cjk_font() is None, reason="no bundled CJK font")

RARE = "齉"  # in the SC face, in none of the project's texts


def _figure(title: str):
    use_house_style()
    fig, ax = plt.subplots()
    fig.suptitle(title)
    ax.set_xlabel("成本（亿元）")
    return fig


def _faces(fig) -> set[str]:
    from matplotlib.text import Text

    with pdf_font(fig):
        return {
            Path(t.get_fontproperties().get_file() or "").name
            for t in fig.findobj(Text)
            if t.get_text()
        }


def test_the_common_face_has_every_project_character_the_lean_face_has():
    path, covered = common_cjk_font()
    lean = set(chr(c) for c in TTFont(str(lean_cjk_font()), lazy=True).getBestCmap())
    wanted = project_characters() & lean
    assert "稳" in wanted and "岗" in wanted  # 稳岗返还, from the gazette
    assert wanted <= covered
    assert RARE not in project_characters() and RARE in lean
    assert path.stat().st_size < lean_cjk_font().stat().st_size / 5


def test_a_figure_of_common_characters_uses_the_common_face():
    fig = _figure("稳岗返还的成本　按月")  # with an ideographic space
    assert _faces(fig) == {common_cjk_font()[0].name}
    plt.close(fig)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
def test_a_rare_character_gets_a_cut_with_it_and_stays_in_the_pdf(tmp_path):
    fig = _figure(f"稳岗返还{RARE}")
    (face,) = _faces(fig)
    assert face.endswith(".ttf") and face != common_cjk_font()[0].name
    assert RARE in {chr(c) for c in TTFont(str(lean_cjk_font().with_name(face))).getBestCmap()}
    write_pdf(fig, tmp_path / "f.pdf")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "f.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"稳岗返还{RARE}" in text and "成本（亿元）" in text
    # the faces are restored after the export
    from matplotlib.text import Text

    assert all(lean_cjk_font().name not in (t.get_fontproperties().get_file() or "")
               for t in fig.findobj(Text))  # fmt: skip
    plt.close(fig)


def test_the_cut_faces_have_truetype_outlines_with_the_same_advances():
    """What matplotlib declares a PDF's font (TrueType) is what the file holds."""
    path, _ = common_cjk_font()
    cut, lean = TTFont(str(path)), TTFont(str(lean_cjk_font()), lazy=True)
    assert "glyf" in cut and "CFF " not in cut and cut.sfntVersion == "\x00\x01\x00\x00"
    name = cut.getBestCmap()[ord("稳")]
    assert cut["hmtx"][name] == lean["hmtx"][lean.getBestCmap()[ord("稳")]]
    assert cut["glyf"][name].numberOfContours > 0


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="no poppler-utils")
def test_poppler_reads_a_chart_pdf_without_a_warning(tmp_path):
    fig = _figure(f"稳岗返还{RARE}")
    fig.axes[0].set_ylabel("成本（亿元）")
    write_pdf(fig, tmp_path / "f.pdf")
    plt.close(fig)
    for command in (["pdffonts"], ["pdftotext"], ["pdftoppm", "-r", "20", "-png"]):
        out = [str(tmp_path / "f.pdf")] + (
            [str(tmp_path / "f")] if command[0] != "pdffonts" else []
        )
        run = subprocess.run(command + out, capture_output=True, text=True, check=True)
        assert run.stderr == "", (command, run.stderr)


def test_a_tables_cells_are_embedded_from_the_same_face():
    fig = _figure("稳岗返还")
    table = fig.axes[0].table(cellText=[["稳岗返还", "4.22"]], colLabels=["措施", "亿元"])
    cells = [c.get_text() for c in table.get_celld().values()]
    with pdf_font(fig):
        faces = {Path(t.get_fontproperties().get_file() or "").name for t in cells}
    assert faces == {common_cjk_font()[0].name}
    plt.close(fig)
