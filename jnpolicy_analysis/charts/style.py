"""The house style: palette, sizes, money axes and the foot line every figure carries; the CJK font
comes from ``fonts``."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import style as mpl_style
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from .. import fonts as cjk
from ..formatting import axis_number
from ..paths import PACKAGE_DIR
from ..units import MONEY_HEADS
from .labels import is_wide, wrap
from .labels import label as lab

STYLE_FILE = PACKAGE_DIR / "house.mplstyle"

# Colours from the Okabe-Ito and Paul Tol sets (safe for the common colour-vision deficiencies),
# ordered dark to light so that neighbours in a stack stay apart when printed in greyscale: the
# grey levels are about 0.00, 0.20, 0.34, 0.47, 0.59, 0.74, 0.84 (tests/test_charts.py checks).
PALETTE = ["#000000", "#332288", "#0072B2", "#D55E00", "#CC79A7", "#88CCEE", "#F0E442"]
ACCENT = "#0072B2"  # the one colour of a single series
GREY = "#7f7f7f"

# Inches. A 16:9 slide at 13.33 x 7.5 in (4000 x 2250 px at 300 dpi); half an A4 page of text
# width (16 cm x 11 cm; 1890 x 1320 px).
FIGURE_SIZES = {"slide": (40 / 3, 7.5), "half-a4": (6.3, 4.4)}


def palette(n: int | None = None) -> list[str]:
    return PALETTE[: n or len(PALETTE)]


def resolve_lang(lang: str) -> str:
    """The language charts are drawn in: Chinese only where a CJK font exists."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if lang == "zh" and not cjk.cjk_available():
        return "en"
    return lang


def use_house_style(lang: str = "zh") -> str:
    """Apply the house style to matplotlib's rcParams; return the language actually used."""
    mpl_style.use(str(STYLE_FILE))
    lang = resolve_lang(lang)
    family = cjk.cjk_family()
    families = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = families
    mpl.rcParams["axes.titleweight"] = cjk.title_weight()
    # text from the data ("$\\frac$" in a title) is drawn as written, never parsed as mathtext
    mpl.rcParams["text.parse_math"] = False
    return lang


def choose_money_unit(max_abs_yuan: float) -> str:
    """万元 for amounts under 10亿元, 亿元 above."""
    return "亿元" if max_abs_yuan >= 1e9 else "万元"


def money_axis(ax, unit: str, axis: str = "x", label: str | None = None, lang: str = "zh") -> None:
    """Format an axis whose data are already in ``unit`` (万元 or 亿元) and name the unit on it:
    "成本（亿元）" or "Cost (100 million yuan)"."""
    if unit not in MONEY_HEADS:
        raise ValueError(f"money axes are in {list(MONEY_HEADS)}, got {unit!r}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: axis_number(v)))
    unit_text = lab(f"unit.{unit}", lang)
    text = lab("axis.with_unit", lang, label=label, unit=unit_text) if label else unit_text
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(text)


# --------------------------------------------------------------------------- figure sizes and fonts

# Font sizes (points) for a slide; half an A4 page uses the same sizes times FONT_SCALE, so a figure
# keeps its proportions when it is exported at the other size.
BASE_FONTS = {
    "title": 20.0,
    "subtitle": 14.0,
    "label": 14.0,
    "tick": 13.0,
    "legend": 12.5,
    "note": 12.0,
    "footer": 11.0,
}
FONT_SCALE = {"slide": 1.0, "half-a4": 0.6}


def check_size(size: str) -> str:
    if size not in FIGURE_SIZES:
        raise ValueError(f"size must be one of {sorted(FIGURE_SIZES)}, got {size!r}")
    return size


def fonts(size: str) -> dict[str, float]:
    """Font sizes in points for a figure of ``size`` ("slide" or "half-a4")."""
    scale = FONT_SCALE[check_size(size)]
    return {role: round(pt * scale, 2) for role, pt in BASE_FONTS.items()}


def new_figure(size: str = "slide", nrows: int = 1, ncols: int = 1, **subplots_kw):
    """A figure of ``size`` with constrained layout (titles, labels, legends and the foot line all
    get room) and its axes; tick labels at the size's tick font. Returns (fig, axes)."""
    check_size(size)
    fig = Figure(figsize=FIGURE_SIZES[size], layout="constrained")
    fig.jnpolicy_size = size  # export_figure rescales the fonts when asked for the other size
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplots_kw)
    tick = fonts(size)["tick"]
    for ax in axes.flat:
        ax.tick_params(labelsize=tick)
    return fig, (axes[0, 0] if nrows == ncols == 1 else axes)


def new_figure_with_key(size: str = "slide", nrows: int = 1, ncols: int = 1):
    """A figure of ``size`` with a thin row across the top for a shared legend (constrained
    layout gives the legend the room it needs) above ``nrows`` × ``ncols`` panels.
    Returns (fig, key_ax, axes as a flat list)."""
    check_size(size)
    fig = Figure(figsize=FIGURE_SIZES[size], layout="constrained")
    fig.jnpolicy_size = size
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.001] + [1.0] * nrows)
    key_ax = fig.add_subplot(grid[0, :])
    key_ax.set_axis_off()
    tick = fonts(size)["tick"]
    axes = []
    for i in range(nrows):
        for j in range(ncols):
            ax = fig.add_subplot(grid[i + 1, j])
            ax.tick_params(labelsize=tick)
            axes.append(ax)
    return fig, key_ax, axes


def set_titles(fig: Figure, title: str, size: str, ax=None, subtitle: str | None = None) -> None:
    """The figure's title, top left and bold; the subtitle (what is shown, in which measure) above
    the axes ``ax``."""
    f = fonts(size)
    fig.suptitle(title, x=0.01, ha="left", fontsize=f["title"], fontweight=cjk.title_weight())
    if ax is not None and subtitle:
        # the axes start right of their tick labels: keep the subtitle within about 60 % of the width
        width = int(fig.get_figwidth() * 72 * 0.6 / (f["subtitle"] * 0.5))
        ax.set_title(
            "\n".join(wrap(part, width, max_lines=2) for part in subtitle.split("\n")),
            loc="left", fontsize=f["subtitle"],
            fontweight="normal", color="#333333",
        )  # fmt: skip


def _text_width_pt(text: str, fontsize: float) -> float:
    """A generous estimate of a line's printed width: a Chinese character is one em, other
    characters 0.58 em."""
    return sum(1.0 if is_wide(ch) else 0.58 for ch in text) * fontsize


def add_footer(
    fig: Figure,
    source: str | None,
    scenario: str,
    as_of: str,
    lang: str = "zh",
    fontsize: float | None = None,
) -> None:
    """The foot line: source, scenario and date, bottom left, small and grey. It is the figure's
    ``supxlabel``, so constrained layout leaves room for it; it breaks onto two lines when one
    would be wider than the figure. ``source`` None: the gazette and this package."""
    size = getattr(fig, "jnpolicy_size", "slide")
    fontsize = fontsize or fonts(size)["footer"]
    parts = {
        "source": source or lab("footer.source", lang),
        "scenario": scenario,
        "as_of": str(as_of),
    }
    fig.jnpolicy_footer = (parts, lang)
    text = lab("footer.template", lang, **parts)
    if _text_width_pt(text, fontsize) > 0.97 * fig.get_figwidth() * 72:
        text = (
            lab("footer.source_line", lang, **parts)
            + "\n"
            + lab("footer.scenario_line", lang, **parts)
        )
    fig.supxlabel(text, x=0.01, ha="left", fontsize=fontsize, color=GREY, linespacing=1.3)


def refit_footer(fig: Figure) -> None:
    """Lay the foot line out again after the figure changed size or fonts."""
    stored = getattr(fig, "jnpolicy_footer", None)
    if stored is None:
        return
    parts, lang = stored
    add_footer(fig, parts["source"], parts["scenario"], parts["as_of"], lang)


def rescale_fonts(fig: Figure, to_size: str) -> None:
    """Change a figure built for one size to the other: every text scaled by the ratio of the two
    sizes' fonts (``FONT_SCALE``), ticks included, and the foot line laid out again."""
    from_size = getattr(fig, "jnpolicy_size", None)
    check_size(to_size)
    if from_size is None or from_size == to_size:
        return
    ratio = FONT_SCALE[to_size] / FONT_SCALE[from_size]
    for text in fig.findobj(Text):
        text.set_fontsize(text.get_fontsize() * ratio)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                ticks = axis.get_major_ticks() if which == "major" else axis.get_minor_ticks()
                if ticks:
                    axis.set_tick_params(which=which, labelsize=ticks[0].label1.get_fontsize())
    fig.jnpolicy_size = to_size
    refit_footer(fig)
