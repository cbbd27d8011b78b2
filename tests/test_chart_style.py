"""The house style: palette apart in greyscale, Chinese glyphs that render, exports at the right size."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from PIL import Image  # noqa: E402

from jnpolicy_analysis.charts import export_figure, use_house_style  # noqa: E402
from jnpolicy_analysis.charts.export import safe_name  # noqa: E402
from jnpolicy_analysis.charts.style import PALETTE
from jnpolicy_analysis.fonts import cjk_family  # noqa: E402


def grey(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_palette_neighbours_stay_apart_in_greyscale():
    levels = [grey(c) for c in PALETTE]
    assert levels == sorted(levels)
    assert min(b - a for a, b in zip(levels, levels[1:], strict=False)) >= 0.09


def test_cjk_font_is_found_and_chinese_renders_without_missing_glyphs(tmp_path):
    assert cjk_family() is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise
        assert use_house_style("zh") == "zh"
        fig, ax = plt.subplots()
        ax.set_title("稳岗返还成本（万元）")
        ax.barh(["就业补助资金", "失业保险基金"], [1, 2])
        fig.savefig(tmp_path / "zh.png")
        plt.close(fig)


@pytest.mark.parametrize("size,pixels", [("slide", (2000, 1125)), ("half-a4", (945, 660))])
def test_export_sizes_and_formats(tmp_path, size, pixels):
    use_house_style("zh")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("测试")
    paths = export_figure(fig, "成本 cost/by measure", tmp_path, size=size)
    plt.close(fig)
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 0 for p in paths)
    with Image.open(paths[0]) as img:
        assert img.size == pixels
    svg = paths[1].read_text(encoding="utf-8")
    assert "测试" in svg  # text kept as text
    pdf = paths[2].read_bytes()
    assert b"/FontFile2" in pdf or b"/FontFile3" in pdf  # the font is embedded


def test_safe_names():
    assert safe_name("成本 cost/by measure") == "cost_by_measure"
    assert safe_name("a:b*c?") == "a_b_c"
    with pytest.raises(ValueError):
        safe_name("成本")


def test_english_on_request():
    assert use_house_style("en") == "en"
    with pytest.raises(ValueError):
        use_house_style("fr")
