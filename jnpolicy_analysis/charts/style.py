"""The house style: fonts (a CJK font found and registered once), palette, sizes, money axes and
the foot line every figure carries."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..paths import PACKAGE_DIR

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

CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
]


def palette(n: int | None = None) -> list[str]:
    return PALETTE[: n or len(PALETTE)]


def _bundled_font() -> Path | None:
    """The .ttc shipped by PyPI's noto-cjk-sans-otc, when installed."""
    try:
        import noto_cjk_sans_otc  # noqa: PLC0415
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


@functools.cache
def cjk_family() -> str | None:
    """Find a CJK font and register it with matplotlib; the family name, or None (said once)."""
    bundled = _bundled_font()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    warnings.warn(
        "no CJK font found (install the Python package noto-cjk-sans-otc, or Debian's "
        "fonts-noto-cjk): charts are drawn with English labels",
        RuntimeWarning,
        stacklevel=2,
    )
    return None


def cjk_available() -> bool:
    return cjk_family() is not None


def resolve_lang(lang: str) -> str:
    """The language charts are drawn in: Chinese only where a CJK font exists."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if lang == "zh" and not cjk_available():
        return "en"
    return lang


def use_house_style(lang: str = "zh") -> str:
    """Apply the house style to matplotlib's rcParams; return the language actually used."""
    mpl.style.use(str(STYLE_FILE))
    lang = resolve_lang(lang)
    family = cjk_family()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = fonts
    return lang


MONEY_UNITS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


def choose_money_unit(max_abs_yuan: float) -> str:
    """万元 for amounts under 10亿元, 亿元 above."""
    return "亿元" if max_abs_yuan >= 1e9 else "万元"


def money_axis(ax, unit: str, axis: str = "x", label: str | None = None) -> None:
    """Format an axis whose data are already in ``unit`` (万元 or 亿元) and name the unit on it."""
    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.1f}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(fmt)
    text = f"{label}（{unit}）" if label else unit
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(text)


def add_footer(fig: Figure, source: str, scenario: str, as_of: str, lang: str = "zh") -> None:
    """The foot line: source, scenario and date, bottom left, small and grey."""
    if lang == "zh":
        text = f"来源：{source}　情景：{scenario}　日期：{as_of}"
    else:
        text = f"Source: {source}   Scenario: {scenario}   Date: {as_of}"
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=8, color=GREY)
